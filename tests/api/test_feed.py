"""The changes feed: entries in cursor order, a consumer following it ends
with exactly the published claims, and concurrent publishers never make it
skip an entry (real threads and transactions, on both databases)."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from annotations import workflow
from annotations.models import Claim
from tests import factories
from tests.api.conftest import QUOTES, publish, ready_for_review


def follow(client, after: int = 0, limit: int = 100) -> tuple[set[int], int, list[dict]]:
    """Apply the feed from ``after`` as a consumer would; returns the set of
    live claim ids, the last cursor and every entry seen."""
    live: set[int] = set()
    entries: list[dict] = []
    while True:
        response = client.get("/api/v1/changes/", {"after": after, "limit": limit})
        assert response.status_code == 200, response.content
        page = response.json()
        results = page["results"]
        cursors = [entry["cursor"] for entry in results]
        assert cursors == list(range(after + 1, after + 1 + len(cursors))), (after, cursors)
        for entry in results:
            if entry["action"] == "retracted":
                live.discard(entry["claim"])
            else:
                live.add(entry["claim"])
        entries.extend(results)
        if not results:
            assert page["next_cursor"] == after
            return live, after, entries
        after = page["next_cursor"]


@pytest.mark.django_db
def test_publish_correct_and_retract_are_entries_in_order(anon, editor, reviewer):
    article = factories.ArticleFactory()
    first = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[0])
    second = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[1])
    copy = workflow.start_correction(first, by=editor, version=first.version, comment="Fix.")
    copy = workflow.update(copy, by=editor, version=copy.version, summary="Fixed.")
    copy = workflow.submit(copy, by=editor, version=copy.version)
    workflow.approve(copy, by=reviewer, version=copy.version)
    second.refresh_from_db()
    workflow.retract(second, by=reviewer, version=second.version, comment="Wrong.")
    live, last, entries = follow(anon, limit=2)
    assert [(e["claim"], e["action"]) for e in entries] == [
        (first.pk, "published"),
        (second.pk, "published"),
        (first.pk, "corrected"),
        (second.pk, "retracted"),
    ]
    assert entries[0]["claim_url"] == f"http://testserver/api/v1/claims/{first.pk}/"
    assert live == set(Claim.objects.published().values_list("pk", flat=True)) == {first.pk}
    assert last == 4
    # Resuming from a cursor returns only what came after it.
    assert [e["cursor"] for e in anon.get("/api/v1/changes/?after=2").json()["results"]] == [3, 4]


@pytest.mark.django_db
def test_an_empty_feed_and_bad_parameters(anon):
    page = anon.get("/api/v1/changes/").json()
    assert page["results"] == [] and page["next_cursor"] == 0
    for query in ("after=-1", "after=x", "limit=ten"):
        response = anon.get(f"/api/v1/changes/?{query}")
        assert response.status_code == 400, query
        assert response.json()["error"]["fields"]


@pytest.mark.django_db
def test_the_feed_answers_304_until_something_changes(anon, published, reviewer):
    etag = anon.get("/api/v1/changes/?after=0")["ETag"]
    assert anon.get("/api/v1/changes/?after=0", HTTP_IF_NONE_MATCH=etag).status_code == 304
    workflow.retract(published, by=reviewer, version=published.version, comment="No.")
    assert anon.get("/api/v1/changes/?after=0", HTTP_IF_NONE_MATCH=etag).status_code == 200


PUBLISHERS = 4
CLAIMS_PER_PUBLISHER = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishers_never_make_the_feed_skip_an_entry(isolated):
    isolated(concurrent_publishers)


def concurrent_publishers() -> None:
    editor = factories.EditorFactory()
    reviewers = [factories.ReviewerFactory() for _ in range(PUBLISHERS)]
    queues: list[list[Claim]] = [[] for _ in range(PUBLISHERS)]
    for index in range(PUBLISHERS * CLAIMS_PER_PUBLISHER):
        claim = workflow.mark(factories.ArticleFactory(), by=editor, quote=QUOTES[index % 3])
        claim = ready_for_review(claim, by=editor)
        queues[index % PUBLISHERS].append(workflow.submit(claim, by=editor, version=claim.version))

    start = threading.Barrier(PUBLISHERS + 1)
    done = threading.Event()
    failures: list[BaseException] = []
    reads: list[int] = []

    def publisher(number: int) -> None:
        try:
            start.wait()
            rng = random.Random(number)
            for claim in queues[number]:
                claim = workflow.approve(claim, by=reviewers[number], version=claim.version)
                if rng.random() < 0.3:
                    workflow.retract(
                        claim, by=reviewers[number], version=claim.version, comment="Wrong."
                    )
        except BaseException as error:  # reported in the main thread
            failures.append(error)
        finally:
            connection.close()

    def reader() -> None:
        client = APIClient()
        after = 0
        try:
            start.wait()
            while True:
                finished = done.is_set()
                response = client.get("/api/v1/changes/", {"after": after, "limit": 5})
                assert response.status_code == 200
                cursors = [entry["cursor"] for entry in response.json()["results"]]
                # Whatever moment it reads at, it sees a prefix: no gap.
                assert cursors == list(range(after + 1, after + 1 + len(cursors))), (
                    after,
                    cursors,
                )
                reads.append(len(cursors))
                after = response.json()["next_cursor"]
                if finished and not cursors:
                    break
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publisher, args=(n,)) for n in range(PUBLISHERS)]
    watcher = threading.Thread(target=reader)
    for thread in [*threads, watcher]:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    done.set()
    watcher.join(timeout=120)
    assert not failures, failures
    assert len(reads) > 1

    live, last, entries = follow(APIClient())
    published = set(Claim.objects.published().values_list("pk", flat=True))
    retracted = Claim.objects.filter(status=Claim.Status.RETRACTED).count()
    assert live == published
    assert len(published) + retracted == PUBLISHERS * CLAIMS_PER_PUBLISHER
    assert last == len(entries) == PUBLISHERS * CLAIMS_PER_PUBLISHER + retracted
