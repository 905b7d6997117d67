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
        if not tasks.uses_database_queue():
            return self.handle_rq(retry=retry, retry_all=retry_all, limit=limit)
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

    def handle_rq(self, *, retry, retry_all, limit) -> None:
        """The same for the Redis queue (RQ keeps failed jobs in a registry)."""
        import django_rq
        from django_tasks_rq import Job

        queue = django_rq.get_queue("default", job_class=Job)
        failed = queue.failed_job_registry
        failed_ids = failed.get_job_ids()
        if retry or retry_all:
            chosen = failed_ids if retry_all else retry
            missing = set(chosen) - set(failed_ids)
            if missing:
                raise CommandError(f"No failed task with id {', '.join(sorted(missing))}.")
            for job_id in chosen:
                failed.requeue(job_id)
                self.stdout.write(f"retried {job_id}")
            self.stdout.write(f"{len(chosen)} task(s) queued again.")
            return
        self.stdout.write(
            f"ready: {queue.count}  running: {queue.started_job_registry.count}  "
            f"scheduled: {queue.scheduled_job_registry.count}  failed: {len(failed_ids)}"
        )
        for job in Job.fetch_many(failed_ids[:limit], connection=queue.connection):
            if job is None:
                continue
            result = job.latest_result()
            error = (result.exc_string if result else "") or ""
            last_line = error.strip().splitlines()[-1:] or [""]
            self.stdout.write(f"{job.id}  {job.func_name}  {job.args}  {last_line[0]}")
