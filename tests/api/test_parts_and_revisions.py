"""Claims in the headline, standfirst and captions, and claims re-anchored
by a new revision, as API consumers see them."""

from __future__ import annotations

import pytest

from annotations import revisions, workflow
from annotations.models import Claim
from tests.api.conftest import ANNO_ACCEPT, publish, ready_for_review

pytestmark = pytest.mark.django_db


def test_headline_claim_round_trips_in_json_and_w3c(editor_api, anon, article, editor, reviewer):
    response = editor_api.post(
        "/api/v1/claims/",
        {"article": article.pk, "part": "headline", "quote": "number"},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["part"], data["quote"]) == ("headline", "number")
    assert article.title[data["start"] : data["end"]] == "number"
    claim = ready_for_review(Claim.objects.get(pk=data["id"]), by=editor)
    claim = workflow.submit(claim, by=editor, version=claim.version)
    workflow.approve(claim, by=reviewer, version=claim.version)

    json_view = anon.get(f"/api/v1/claims/{data['id']}/").json()
    assert (json_view["part"], json_view["start"], json_view["end"]) == (
        "headline",
        data["start"],
        data["end"],
    )
    w3c = anon.get(f"/api/v1/claims/{data['id']}/", HTTP_ACCEPT=ANNO_ACCEPT).json()
    part, position = w3c["target"]["selector"][0], w3c["target"]["selector"][1]
    assert part["type"] == "CssSelector" and 'data-part="headline"' in part["value"]
    assert part["refinedBy"]["type"] == "TextQuoteSelector"
    assert part["refinedBy"]["exact"] == "number"
    assert position["refinedBy"] == {
        "type": "TextPositionSelector",
        "start": data["start"],
        "end": data["end"],
    }
    assert article.title[position["refinedBy"]["start"] : position["refinedBy"]["end"]] == "number"


def test_body_claims_keep_their_w3c_shape(anon, article, editor, reviewer):
    claim = publish(article, editor=editor, reviewer=reviewer)
    w3c = anon.get(f"/api/v1/claims/{claim.pk}/", HTTP_ACCEPT=ANNO_ACCEPT).json()
    assert [s["type"] for s in w3c["target"]["selector"]] == [
        "TextQuoteSelector",
        "TextPositionSelector",
    ]
    assert anon.get(f"/api/v1/claims/{claim.pk}/").json()["part"] == "body"


def test_an_unknown_part_is_400(editor_api, article):
    response = editor_api.post(
        "/api/v1/claims/", {"article": article.pk, "part": "footer", "quote": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "part" in response.json()["error"]["fields"]


def test_reanchored_published_claim_is_an_updated_entry_with_new_offsets(
    anon, article, editor, reviewer
):
    claim = publish(article, editor=editor, reviewer=reviewer)
    after = anon.get("/api/v1/changes/").json()["next_cursor"]
    old_start = claim.start
    revisions.revise(article, by=editor, body="Breaking. " + article.body)
    feed = anon.get("/api/v1/changes/", {"after": after}).json()["results"]
    assert [(e["claim"], e["action"]) for e in feed] == [(claim.pk, "updated")]
    data = anon.get(f"/api/v1/claims/{claim.pk}/").json()
    assert data["start"] == old_start + len("Breaking. ")
    article.refresh_from_db()
    assert article.body[data["start"] : data["end"]] == data["quote"]
    assert data["version"] == claim.version + 1


def test_claim_withdrawn_for_review_is_a_withdrawn_entry_and_leaves_the_public_api(
    anon, article, editor, reviewer
):
    claim = publish(article, editor=editor, reviewer=reviewer)
    revisions.revise(article, by=editor, body=article.body.replace("3 percent", "5 percent"))
    feed = anon.get("/api/v1/changes/").json()["results"]
    assert feed[-1]["claim"] == claim.pk and feed[-1]["action"] == "withdrawn"
    cursors = [entry["cursor"] for entry in feed]
    assert cursors == list(range(1, len(cursors) + 1))
    assert anon.get(f"/api/v1/claims/{claim.pk}/").status_code == 404
