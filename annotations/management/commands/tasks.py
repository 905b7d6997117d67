"""``manage.py tasks``: list queued, running and failed background tasks,
and retry failed ones."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django_tasks_db.models import DBTaskResult

from annotations import tasks


class Command(BaseCommand):
    help = "List background tasks (counts by status, then the failed ones) and retry failed ones."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--retry", metavar="ID", nargs="+", help="retry these failed tasks")
        parser.add_argument("--retry-all", action="store_true", help="retry every failed task")
        parser.add_argument("--limit", type=int, default=50, help="failed tasks listed (50)")

    def handle(self, *args, retry=None, retry_all=False, limit=50, **options) -> None:
        if retry or retry_all:
            failed = tasks.failed_tasks()
            chosen = list(failed if retry_all else failed.filter(pk__in=retry))
            missing = set(retry or []) - {str(result.pk) for result in chosen}
            if missing:
                raise CommandError(f"No failed task with id {', '.join(sorted(missing))}.")
            for result in chosen:
                new_id = tasks.retry_failed(result)
                self.stdout.write(f"retried {result.pk} {result.task_path} as {new_id}")
            self.stdout.write(f"{len(chosen)} task(s) queued again.")
            return
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")).order_by())
        self.stdout.write(
            "  ".join(
                f"{status.lower()}: {counts.get(status, 0)}"
                for status in ("READY", "RUNNING", "SUCCESSFUL", "FAILED")
            )
        )
        for result in tasks.failed_tasks()[:limit]:
            last_line = (result.traceback or "").strip().splitlines()[-1:] or [""]
            self.stdout.write(
                f"{result.pk}  {result.task_path}  {result.args_kwargs}  "
                f"failed {result.finished_at:%Y-%m-%d %H:%M:%S}  {last_line[0]}"
            )
