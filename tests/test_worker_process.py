"""The worker as a separate process, as ``make run`` starts it: killed in
the middle of a fetch, its task is found by the next worker and run again,
and exactly one complete archive results (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from annotations import workflow
from annotations.models import Archive

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def share_database(tmp_path):
    """Returns a function giving a DATABASE_URL that another process can
    open, holding this test's data so far: the test database itself on
    PostgreSQL; on SQLite, whose test database lives in this process's
    memory, a file copy that this test goes on using too."""
    settings_dict = connections.settings[DEFAULT_DB_ALIAS]
    memory_name = settings_dict["NAME"]
    kept = []

    def share() -> str:
        if connection.vendor != "sqlite":
            user, host, port = settings_dict["USER"], settings_dict["HOST"], settings_dict["PORT"]
            password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
            return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"
        path = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        # The in-memory database lives while a connection to it is open:
        # keep this one aside and let the test's queries reach the file.
        kept.append(connection.connection)
        connection.connection = None
        settings_dict["NAME"] = str(path)
        return f"sqlite:///{path}"

    yield share
    if kept:
        connection.close()
        settings_dict["NAME"] = memory_name
        connection.connection = kept[0]


def start_worker(database_url: str, media: Path, *extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "FACTCHECK_FETCH_ALLOW_PRIVATE": "1",
        "FACTCHECK_TASK_STALLED_AFTER": "1",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-secret-key"),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-reload", "--no-startup-delay", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_worker_killed_mid_fetch_leaves_nothing_and_the_next_one_finishes(
    editor, article, source_site, media, share_database
):
    source_site.slow_seconds = 2
    claim = workflow.mark(article, by=editor, quote="unemployment fell by 3 percent last year")
    evidence = workflow.add_evidence(
        claim, by=editor, version=claim.version, url=f"{source_site.url}/slow"
    )
    url = share_database()

    first = start_worker(url, media, "--interval", "0.1")
    try:
        wait_for(lambda: source_site.hits.get("/slow") == 1)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    killed = DBTaskResult.objects.get(task_path="annotations.tasks.archive_source")
    assert killed.status == TaskResultStatus.RUNNING
    evidence.refresh_from_db()
    assert evidence.archive_id is None and Archive.objects.count() == 0

    time.sleep(1.2)  # past FACTCHECK_TASK_STALLED_AFTER
    second = start_worker(url, media, "--batch")
    output, _ = second.communicate(timeout=60)
    assert second.returncode == 0, output
    assert "Requeued 1 task(s) whose worker had stopped." in output

    killed.refresh_from_db()
    assert killed.status == TaskResultStatus.FAILED
    assert killed.exception_class_path == "annotations.tasks.WorkerLost"
    evidence.refresh_from_db()
    assert evidence.archive.status == Archive.Status.OK
    assert Archive.objects.count() == 1
    assert source_site.hits["/slow"] == 2
    stored = sorted(p.name for p in media.rglob("*") if p.is_file())
    assert stored == [f"{evidence.archive.sha256}.html", f"{evidence.archive.sha256}.warc.gz"]
