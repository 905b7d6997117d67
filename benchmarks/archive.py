"""Archiving: throughput of one worker, and what "Add source" pays for it.

Builds a throwaway test database (SQLite in memory, or test_<name> on the
PostgreSQL server DATABASE_URL points at) and a local web site of sources,
then:

1. times "Add source" (the htmx POST of the panel's evidence form) with the
   archive task queued, and again with archiving switched off: the
   difference is the latency the queue adds (the fetch is never waited for);
2. queues archives of distinct pages and times one in-process worker
   draining them: sources archived per minute.

Run: make bench, or python benchmarks/archive.py from the project root.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["FACTCHECK_FETCH_ALLOW_PRIVATE"] = "1"
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="factcheck-bench-")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ADDS = 40
UID = "archive-new-sources"
ARCHIVES = 60


def add_sources(client: Client, claim, site_url: str, count: int, tag: str) -> list[float]:
    """Each POST adds the claim's only source, so the panel it answers with
    is the same size every time."""
    timings = []
    for number in range(count):
        claim.evidence.all().delete()
        claim.refresh_from_db()
        started = time.perf_counter()
        response = client.post(
            f"/claims/{claim.pk}/evidence/",
            {
                "version": claim.version,
                "url": f"{site_url}/fine?{tag}={number}",
                "title": f"Source {number}",
            },
            HTTP_HX_REQUEST="true",
        )
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return timings


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_tasks_db.management.commands.db_worker import Worker

    from annotations import tasks, workflow
    from annotations.models import Archive, Article, Evidence
    from tests.source_site import SourceSite

    site = SourceSite().start()
    try:
        editor = get_user_model().objects.create_user("bench-editor", password="x")
        editor.groups.add(Group.objects.get(name="editor"))
        article = Article.objects.create(
            title="Bench", body="The minister said unemployment fell by 3 percent last year."
        )
        claim = workflow.mark(article, by=editor, quote="unemployment fell by 3 percent")
        client = Client()
        client.force_login(editor)

        add_sources(client, claim, site.url, 5, "warm")
        queued = add_sources(client, claim, site.url, ADDS, "queued")
        post_save.disconnect(dispatch_uid="archive-new-sources", sender=Evidence)
        plain = add_sources(client, claim, site.url, ADDS, "plain")
        post_save.connect(
            tasks.archive_new_source, sender=Evidence, dispatch_uid="archive-new-sources"
        )
        print(f"Add source, archive queued:   median {statistics.median(queued):.1f} ms")
        print(f"Add source, no archiving:     median {statistics.median(plain):.1f} ms")
        source = claim.evidence.first()
        enqueue = []
        for _ in range(200):
            started = time.perf_counter()
            tasks.archive_source.enqueue(source.pk)
            enqueue.append((time.perf_counter() - started) * 1000)
        print(f"queueing one archive task:    median {statistics.median(enqueue):.2f} ms")
        print(f"pages fetched while adding:   {sum(site.hits.values())}")

        Evidence.objects.all().delete()
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()
        claim.refresh_from_db()
        for number in range(ARCHIVES):
            Evidence.objects.create(claim=claim, url=f"{site.url}/fine?n={number}")
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="bench",
            excluded_queue_names=[],
        )
        started = time.perf_counter()
        worker.run()
        elapsed = time.perf_counter() - started
        done = Archive.objects.filter(status="ok").count()
        assert done == ARCHIVES, done
        print(
            f"archive throughput, 1 worker: {done / elapsed * 60:.0f} sources/minute "
            f"({done} in {elapsed:.1f} s, {elapsed / done * 1000:.0f} ms each; "
            f"{connection.vendor})"
        )
    finally:
        site.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
