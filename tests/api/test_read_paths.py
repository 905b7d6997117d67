"""The changes feed's expand=claim: each entry embeds the claim as the claim
detail shows it, queries do not grow with the page, and a consumer syncs
10,000 claims over HTTP in seconds."""

from __future__ import annotations

import json
import urllib.request

import pytest

from annotations import workflow
from annotations.models import Claim
from tests import factories
from tests.api.conftest import QUOTES, publish

pytestmark = pytest.mark.django_db


def corrected_claim(editor, other_editor, reviewer) -> Claim:
    """A published claim with evidence (with an internal note) and one correction."""
    article = factories.ArticleFactory()
    claim = publish(article, editor=editor, reviewer=reviewer)
    copy = workflow.start_correction(claim, by=editor, version=claim.version, comment="Typo.")
    copy = workflow.update(copy, by=editor, version=copy.version, summary="Fixed summary.")
    copy = workflow.add_evidence(
        copy, by=editor, version=copy.version, url="https://b.example/", note="secret"
    ).claim
    copy = workflow.submit(copy, by=editor, version=copy.version)
    workflow.approve(copy, by=reviewer, version=copy.version)
    return Claim.objects.get(pk=claim.pk)


def test_the_feed_embeds_claims_and_retractions_with_expand(anon, editor, reviewer):
    article = factories.ArticleFactory()
    kept = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[0])
    gone = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[1])
    workflow.retract(gone, by=reviewer, version=gone.version, comment="Wrong.")
    page = anon.get("/api/v1/changes/?after=0&expand=claim").json()
    embedded = {(e["claim"], e["action"]): e["claim_data"] for e in page["results"]}
    assert embedded[(kept.pk, "published")] == anon.get(f"/api/v1/claims/{kept.pk}/").json()
    assert embedded[(gone.pk, "retracted")] == {"id": gone.pk, "status": "retracted"}
    assert page["next"].endswith("expand=claim")
    plain = anon.get("/api/v1/changes/?after=0").json()
    assert all("claim_data" not in entry for entry in plain["results"])
    response = anon.get("/api/v1/changes/?expand=evidence")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"expand": ['Only "claim" can be expanded.']}


def test_an_embedded_corrected_claim_is_the_public_claim_detail(
    anon, editor, other_editor, reviewer
):
    claim = corrected_claim(editor, other_editor, reviewer)
    page = anon.get("/api/v1/changes/?after=0&limit=1000&expand=claim").json()
    embedded = [e["claim_data"] for e in page["results"] if e["claim"] == claim.pk]
    assert [e["action"] for e in page["results"] if e["claim"] == claim.pk][-1] == "corrected"
    detail = anon.get(f"/api/v1/claims/{claim.pk}/").json()
    assert detail["corrections"] and len(detail["evidence"]) == 2
    assert embedded and all(data == detail for data in embedded)
    assert "secret" not in json.dumps(embedded)


def test_feed_queries_do_not_grow_with_the_page(anon, django_assert_max_num_queries):
    factories.published_corpus(30, 10)
    with django_assert_max_num_queries(5) as small:
        assert len(anon.get("/api/v1/changes/?limit=1&expand=claim").json()["results"]) == 1
    with django_assert_max_num_queries(5) as large:
        assert len(anon.get("/api/v1/changes/?limit=1000&expand=claim").json()["results"]) == 300
    assert len(small.captured_queries) == len(large.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_consumer_syncs_ten_thousand_claims_over_http_in_eleven_requests(live_server):
    last = factories.published_corpus(1000, 10)
    live: dict[int, dict] = {}
    url = f"{live_server.url}/api/v1/changes/?after=0&limit=1000&expand=claim"
    requests = 0
    while True:
        with urllib.request.urlopen(url, timeout=30) as response:
            page = json.loads(response.read())
        requests += 1
        for entry in page["results"]:
            if entry["claim_data"]["status"] == "retracted":
                live.pop(entry["claim"], None)
            else:
                live[entry["claim"]] = entry["claim_data"]
        if not page["results"]:
            break
        url = page["next"]
    assert set(live) == set(Claim.objects.published().values_list("pk", flat=True))
    assert len(live) == last == 10_000
    # One request per 1,000 entries and the empty page that ends the sync.
    # How long it takes is measured by benchmarks/side_by_side.py, not here.
    assert requests == 11
