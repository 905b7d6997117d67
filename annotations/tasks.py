"""Background tasks, on Django's tasks framework.

The default backend keeps the queue in the database (django-tasks-db), so a
task enqueued inside a transaction commits or rolls back with the rows it
is about: no task for a source that was never saved, no source without its
task. ``manage.py worker`` runs them. Every task here is idempotent (a second
run finds the work done), retried with a doubling delay when the failure
may pass, and time-limited; a task whose worker died is found by
``recover_stalled`` and queued again.
"""

from __future__ import annotations

import contextlib
import datetime
import signal
import smtplib
import threading
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.tasks import TaskResultStatus, task, task_backends
from django.tasks.exceptions import TaskResultDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django_tasks.exceptions import TaskResultDoesNotExist as RQTaskResultDoesNotExist
from django_tasks_db.models import DBTaskResult

from annotations import archive, importers
from annotations.models import Evidence, Notification

PERIODIC_EVERY = datetime.timedelta(minutes=5)
LINK_CHECKS_PER_RUN = 200


class TimeLimitExceeded(archive.Transient):
    """The task ran past FACTCHECK_TASK_TIME_LIMIT."""


class WorkerLost(Exception):
    """The worker running the task stopped before it finished."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds``. The worker runs tasks on its
    main thread, where an alarm signal can interrupt a blocking read; on
    another thread (a task run inside a threaded test or server) the fetcher's
    own timeout is the limit."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return
    if signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        # The worker enforces a limit of its own with the alarm (RQ does).
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise TimeLimitExceeded(f"The task ran past its time limit of {seconds:g} s.")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def uses_database_queue() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def enqueue(task_obj, *args: Any, **kwargs: Any) -> None:
    """Queue ``task_obj`` as part of the current transaction. The database
    queue's row commits with it; any other backend is told after commit."""
    if uses_database_queue() or not transaction.get_connection().in_atomic_block:
        task_obj.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))


def _retry_later(task_obj, attempt: int, *args: Any) -> str | None:
    """Queue attempt ``attempt + 1`` after a doubling delay; ``None`` when
    the attempts are used up. Returns the new task's id."""
    if attempt >= settings.FACTCHECK_TASK_ATTEMPTS:
        return None
    delay = datetime.timedelta(seconds=settings.FACTCHECK_TASK_BACKOFF * 2 ** (attempt - 1))
    result = task_obj.using(run_after=timezone.now() + delay).enqueue(*args, attempt=attempt + 1)
    return str(result.id)


# --- tasks -------------------------------------------------------------------


@task()
def archive_source(evidence_id: int, attempt: int = 1) -> str:
    """Archive one URL source (see ``archive.capture``)."""
    try:
        with time_limit(settings.FACTCHECK_TASK_TIME_LIMIT):
            done = archive.capture(evidence_id)
    except archive.Transient as error:
        if _retry_later(archive_source, attempt, evidence_id):
            return f"retrying: {error}"
        archive.record_failure(evidence_id, str(error))
        return f"failed: {error}"
    return "archived" if done is not None else "nothing to do"


@task()
def import_url(url: str, user_id: int | None = None, attempt: int = 1) -> dict[str, Any]:
    """Import an article from a URL. Answers ``{"article", "created",
    "title"}``, ``{"error"}`` for a refusal, or ``{"error", "retry"}`` with
    the id of the next attempt when the failure may pass."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        with time_limit(settings.FACTCHECK_TASK_TIME_LIMIT):
            result = importers.import_url(url, by=user)
    except (importers.ImportRejected, archive.Transient) as error:
        message = getattr(error, "message", str(error))
        status = archive._http_status(message)
        if isinstance(error, archive.Transient) or archive._is_transient(message, status):
            retry = _retry_later(import_url, attempt, url, user_id)
            if retry:
                return {"error": message, "retry": retry}
        return {"error": message}
    return {
        "article": result.article.pk,
        "created": result.created,
        "title": result.article.title,
    }


@task()
def check_sources() -> dict[str, int]:
    """The periodic round: requeue tasks of dead workers, archive sources
    that have no copy yet, check the links that are due, then come back."""
    recovered = recover_stalled()
    queued = archive_missing()
    counts = {"recovered": recovered, "queued": queued, "ok": 0, "changed": 0, "gone": 0}
    for evidence in archive.due_for_check()[:LINK_CHECKS_PER_RUN]:
        counts[archive.check_link(evidence)] += 1
    schedule_periodic(after=PERIODIC_EVERY)
    return counts


@task()
def email_notification(notification_id: int, attempt: int = 1) -> str:
    """Email one notification to its recipient, once: ``emailed_at`` is set
    in the same transaction that holds the row locked, and a notification
    already emailed (or not wanted by email) is left alone."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "claim", "claim__article")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return "nothing to do"
        recipient = notification.recipient
        if not recipient.is_active or not recipient.email:
            # Nobody to write to; never tried again.
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            return "no address"
        try:
            with time_limit(settings.FACTCHECK_TASK_TIME_LIMIT):
                mail.EmailMessage(
                    subject=notification_subject(notification),
                    body=notification_body(notification),
                    to=[recipient.email],
                ).send()
        except (OSError, smtplib.SMTPException, TimeLimitExceeded) as error:
            if _retry_later(email_notification, attempt, notification_id):
                return f"retrying: {error}"
            return f"failed: {error}"
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return "sent"


def absolute_url(path: str) -> str:
    """``path`` on the site as people reach it (``SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + path


def notification_subject(notification: Notification) -> str:
    claim = Truncator(str(notification.claim)).chars(60)
    return f"[Factcheck] {notification.get_kind_display()}: {claim}"


def notification_body(notification: Notification) -> str:
    return (
        f"Hello {notification.recipient.get_username()},\n\n"
        f"{notification.message}\n\n"
        f"Open the claim: {absolute_url(notification.claim.get_absolute_url())}\n\n"
        "--\n"
        "Choose which notifications you get by email: "
        f"{absolute_url(reverse('annotations:notification_settings'))}\n"
    )


# --- housekeeping ------------------------------------------------------------

TASK_PATH_CHECK_SOURCES = f"{__name__}.check_sources"


def schedule_periodic(*, after: datetime.timedelta = datetime.timedelta(0)) -> bool:
    """Make sure one ``check_sources`` round is queued (a worker calls this
    when it starts; each round queues the next)."""
    if not uses_database_queue():
        return False
    waiting = DBTaskResult.objects.filter(
        task_path=TASK_PATH_CHECK_SOURCES, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return False
    check_sources.using(run_after=timezone.now() + after).enqueue()
    return True


def archive_missing() -> int:
    """Queue an archive for every link source without one and without a
    queued task (sources copied into a correction, tasks lost by hand)."""
    if not uses_database_queue():
        return 0
    queued = {
        str(args["args"][0] if args["args"] else args["kwargs"].get("evidence_id"))
        for args in DBTaskResult.objects.filter(
            task_path=f"{__name__}.archive_source",
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).values_list("args_kwargs", flat=True)
    }
    missing = Evidence.objects.filter(kind=Evidence.Kind.URL, archive__isnull=True)
    count = 0
    for pk in missing.values_list("pk", flat=True):
        if str(pk) not in queued:
            archive_source.enqueue(pk)
            count += 1
    return count


def requeue(result: DBTaskResult) -> str:
    """Queue a fresh run of a finished or dead task with the same arguments."""
    args_kwargs = result.args_kwargs
    new = result.task.enqueue(*args_kwargs["args"], **args_kwargs["kwargs"])
    return str(new.id)


def recover_stalled(now: datetime.datetime | None = None) -> int:
    """Tasks still marked running long past their time limit lost their
    worker (killed, machine restarted): mark them failed and run them again,
    which is safe because every task is idempotent."""
    now = now or timezone.now()
    limit = datetime.timedelta(seconds=settings.FACTCHECK_TASK_STALLED_AFTER)
    stalled = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - limit
    )
    count = 0
    for result in stalled:
        with transaction.atomic():
            claimed = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=result.pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if claimed is None:
                continue
            claimed.set_failed(WorkerLost("The worker stopped while running this task."))
            if claimed.task_path != TASK_PATH_CHECK_SOURCES:
                requeue(claimed)
            count += 1
    return count


def failed_tasks():
    return DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")


def retry_failed(result: DBTaskResult) -> str:
    """Run a failed task again; the failed entry gives way to the new one."""
    with transaction.atomic():
        new_id = requeue(result)
        result.delete()
    return new_id


def import_status(result_id: str) -> dict[str, Any] | None:
    """Where a URL import stands, for the page that waits for it:
    ``{"state": "pending"|"done"|"failed", "url", ...}`` following retries,
    or ``None`` when there is no such import."""
    backend = task_backends["default"]
    try:
        first = backend.get_result(result_id)
    except (TaskResultDoesNotExist, RQTaskResultDoesNotExist):
        # The RQ backend builds on the django-tasks backport's exceptions.
        return None
    if first.task.module_path != import_url.module_path:
        return None
    return {"url": first.args[0], **_import_state(backend, result_id)}


def _import_state(backend, result_id: str) -> dict[str, Any]:
    for _ in range(settings.FACTCHECK_TASK_ATTEMPTS + 1):
        result = backend.get_result(result_id)
        if result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
            return {"state": "pending", "attempt": result.kwargs.get("attempt", 1)}
        if result.status == TaskResultStatus.FAILED:
            return {"state": "failed", "error": "The import stopped with an internal error."}
        value = result.return_value or {}
        if value.get("retry"):
            result_id = value["retry"]
            continue
        if "error" in value:
            return {"state": "failed", "error": value["error"]}
        return {"state": "done", **value}
    return {"state": "failed", "error": "The import was retried too often."}


# --- archive every source when it is added ------------------------------------


@receiver(post_save, sender=Evidence, dispatch_uid="archive-new-sources")
def archive_new_source(sender, instance: Evidence, created: bool, raw: bool = False, **kwargs):
    if raw or instance.kind != Evidence.Kind.URL:
        return
    if instance.archive_id is not None:
        if instance.archive.url == instance.url:
            return
        # The link was edited: its old copy belongs to another page.
        Evidence.objects.filter(pk=instance.pk).update(
            archive=None, link_status=Evidence.LinkStatus.UNCHECKED, link_since=None
        )
        instance.archive = None
    enqueue(archive_source, instance.pk)
