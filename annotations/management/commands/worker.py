"""``manage.py worker``: run background tasks (django-tasks-db's worker)
after requeueing tasks whose worker died and queueing the periodic round."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from annotations import tasks


class Command(DBWorkerCommand):
    help = (
        "Run the background task worker. Before it starts, tasks left running by a "
        "killed worker are queued again and the periodic source check is scheduled."
    )

    def handle(self, *args, **options) -> None:
        recovered = tasks.recover_stalled()
        if recovered:
            self.stdout.write(f"Requeued {recovered} task(s) whose worker had stopped.")
        if not options.get("batch"):
            tasks.schedule_periodic()
        super().handle(*args, **options)
