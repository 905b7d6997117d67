"""Run by tests/test_replicas.py in a child process whose settings point at
a PostgreSQL primary (DATABASE_URL) and its streaming replica
(DATABASE_REPLICA_URLS): public reads come from the replica, writes and the
writer's next reads from the primary. Exits non-zero on the first failure."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from annotations import permissions, workflow  # noqa: E402
from annotations.models import Article, Claim, Rating  # noqa: E402

BODY = (
    "The minister said unemployment fell by 3 percent last year.\n\n"
    "Exports doubled in two years, the ministry claimed."
)


def ready(claim: Claim, *, by) -> Claim:
    rating = Rating.objects.get(slug="mostly-false")
    claim = workflow.update(claim, by=by, version=claim.version, rating=rating, summary="No.")
    workflow.add_evidence(claim, by=by, version=claim.version, url="https://stats.example.org/")
    claim.refresh_from_db()
    return workflow.submit(claim, by=by, version=claim.version)


def replica_has(claim_id: int, status: str) -> bool:
    with connections["replica_0"].cursor() as cursor:
        cursor.execute("SELECT status FROM annotations_claim WHERE id = %s", [claim_id])
        row = cursor.fetchone()
    return bool(row) and row[0] == status


def wait_for_replica(claim_id: int, status: str) -> None:
    for _ in range(200):
        if replica_has(claim_id, status):
            return
        time.sleep(0.05)
    raise AssertionError(f"the replica never caught up with claim {claim_id}")


CACHE = settings.CACHES["default"]
# Quoted as it appears in SQL; a non-database cache leaves nothing to exclude.
CACHE_TABLE = f'"{CACHE["LOCATION"]}"' if CACHE["BACKEND"].endswith(".DatabaseCache") else "\0"


def reads(client: Client, path: str, **headers) -> tuple[dict, set[str]]:
    """The answer and the databases that served it."""
    captured = {alias: CaptureQueriesContext(connections[alias]) for alias in connections}
    for context in captured.values():
        context.__enter__()
    try:
        response = client.get(path, headers=headers)
    finally:
        for context in captured.values():
            context.__exit__(None, None, None)
    assert response.status_code == 200, (path, response.status_code, response.content[:500])
    # The shared cache table (throttle counters, the pin) is always the
    # primary's: it is written, in its own transactions, on every request.
    used = {
        alias
        for alias, context in captured.items()
        if any(
            CACHE_TABLE not in query["sql"] and query["sql"] not in ("BEGIN", "COMMIT")
            for query in context.captured_queries
        )
    }
    return response.json(), used


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    users = get_user_model().objects
    editor = users.create_user("replica-editor", password="x")
    editor.groups.add(Group.objects.get(name=permissions.EDITOR))
    reviewer = users.create_user("replica-reviewer", password="x")
    reviewer.groups.add(Group.objects.get(name=permissions.REVIEWER))
    article = Article.objects.create(title="Replica story", body=BODY)
    first = workflow.mark(article, by=editor, quote="unemployment fell by 3 percent last year")
    first = ready(first, by=editor)
    first = workflow.approve(first, by=reviewer, version=first.version)
    second = workflow.mark(article, by=editor, quote="Exports doubled in two years")
    second = ready(second, by=editor)
    wait_for_replica(second.pk, "in_review")

    public = Client()
    listed, used = reads(public, "/api/v1/claims/")
    assert [c["id"] for c in listed["results"]] == [first.pk], listed
    assert used == {"replica_0"}, f"a public read used {used}"

    # Hold the replica back, then publish over the API as the reviewer.
    with connections["replica_0"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    reviewer_api = Client(headers={"Authorization": f"Token {Token.objects.create(user=reviewer)}"})
    response = reviewer_api.post(
        f"/api/v1/claims/{second.pk}/transitions/",
        {"action": "approve", "version": second.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert not replica_has(second.pk, "published")

    # The writer reads its own write from the primary...
    mine, used = reads(reviewer_api, f"/api/v1/claims/{second.pk}/")
    assert mine["status"] == "published" and used == {"default"}, (mine["status"], used)
    # ...while the public still reads the replica, which is behind.
    listed, used = reads(public, "/api/v1/claims/?page_size=10")
    assert second.pk not in [c["id"] for c in listed["results"]] and used == {"replica_0"}

    with connections["replica_0"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for_replica(second.pk, "published")
    listed, used = reads(public, "/api/v1/claims/?page_size=10")
    assert {c["id"] for c in listed["results"]} == {first.pk, second.pk}, listed
    assert used == {"replica_0"}

    # The pin lasts FACTCHECK_PRIMARY_PIN_SECONDS, then the writer reads replicas too.
    time.sleep(float(os.environ["FACTCHECK_PRIMARY_PIN_SECONDS"]) + 0.2)
    _, used = reads(reviewer_api, f"/api/v1/claims/{second.pk}/")
    assert used <= {"replica_0"}, used
    print("replica scenario passed")


if __name__ == "__main__":
    main()
