"""The Redis queue (TASKS_BACKEND=redis: django-tasks-rq on RQ) runs the
same tasks: sources are archived and URLs imported by an RQ worker, and
``manage.py tasks`` lists and retries its failed jobs. Needs the Redis at
REDIS_TEST_URL (default redis://127.0.0.1:6379/13, a database of its own,
flushed by these tests); CI starts one."""

from __future__ import annotations

import os

import pytest
import redis
from asgiref.local import Local
from django.core.management import call_command
from django.tasks import task_backends

from annotations import tasks, workflow
from annotations.models import Archive, Article

pytestmark = pytest.mark.django_db
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/13")


def _reset_backends() -> None:
    # django.tasks keeps its backends for the life of the process.
    task_backends._settings = None
    task_backends.__dict__.pop("settings", None)
    task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture
def redis_queue(settings, media):
    connection = redis.Redis.from_url(REDIS_TEST_URL)
    connection.ping()  # a missing Redis fails the run: start redis-server
    connection.flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_TEST_URL, "DEFAULT_TIMEOUT": 60}}
    _reset_backends()
    yield connection
    connection.flushdb()
    _reset_backends()


@pytest.fixture
def run_rq():
    """Run the queued RQ jobs in this process (RQ's SimpleWorker, burst)."""
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    def run() -> None:
        queue = django_rq.get_queue("default", job_class=Job)
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(
            burst=True, with_scheduler=False
        )

    return run


def test_a_source_is_archived_through_redis(
    redis_queue, run_rq, draft, editor, source_site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = workflow.add_evidence(
            draft, by=editor, version=draft.version, url=f"{source_site.url}/fine"
        )
    assert not tasks.uses_database_queue()
    assert redis_queue.keys("rq:job:*")
    run_rq()
    evidence.refresh_from_db()
    assert evidence.archive.status == Archive.Status.OK
    assert "Unemployment fell by 2.1 percent" in evidence.archive.text


def test_a_url_import_goes_through_redis(redis_queue, run_rq, client, editor, source_site):
    client.force_login(editor)
    response = client.post("/articles/import/", {"url": f"{source_site.url}/fine"})
    assert response.status_code == 302
    assert "Fetching the page" in client.get(response.url).text
    run_rq()
    article = Article.objects.get()
    done = client.get(response.url)
    assert done.status_code == 302 and done.url == article.get_absolute_url()


def test_failed_redis_jobs_are_listed_and_retried(redis_queue, run_rq, capsys, monkeypatch):
    def explode(evidence_id):
        raise RuntimeError("storage unreachable")

    monkeypatch.setattr(tasks.archive, "capture", explode)
    tasks.archive_source.enqueue(12345)
    run_rq()
    call_command("tasks")
    out = capsys.readouterr().out
    assert "failed: 1" in out and "RuntimeError: storage unreachable" in out
    call_command("tasks", "--retry-all")
    assert "1 task(s) queued again" in capsys.readouterr().out
    call_command("tasks")
    assert "ready: 1" in capsys.readouterr().out
