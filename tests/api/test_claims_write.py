"""Editor writes through the API: marking, editing with If-Match, evidence,
transitions, history and article creation; every permission case and error."""

from __future__ import annotations

import pytest

from annotations import workflow
from annotations.models import Article, Claim, ClaimEvent, Evidence
from tests import factories
from tests.api.conftest import QUOTES, publish, ready_for_review

pytestmark = pytest.mark.django_db


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status
    assert error["message"]
    return error


# --- POST /api/v1/claims/ ------------------------------------------------


def test_editor_marks_a_claim_by_offsets(editor_api, article):
    start = article.body.index(QUOTES[1])
    response = editor_api.post(
        "/api/v1/claims/",
        {"article": article.pk, "start": start, "end": start + len(QUOTES[1]), "claimant": "X"},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    claim = Claim.objects.get(pk=data["id"])
    assert claim.quote == QUOTES[1] and claim.status == "draft" and claim.claimant == "X"
    assert response["ETag"] == claim.etag()
    assert response["Location"] == f"http://testserver/api/v1/claims/{claim.pk}/"


def test_reviewer_marks_a_claim_by_quote_with_context(reviewer_api, article):
    response = reviewer_api.post(
        "/api/v1/claims/",
        {"article": article.pk, "quote": "the minister", "prefix": 'stronger," '},
        format="json",
    )
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(pk=response.json()["id"])
    assert article.body[claim.start : claim.end] == "the minister"
    assert claim.start == article.body.index("the minister told")


def test_an_ambiguous_quote_is_refused_and_nothing_is_written(editor_api):
    article = factories.ArticleFactory(
        body="The minister spoke. Later the minister spoke again.\n\nThe end."
    )
    response = editor_api.post(
        "/api/v1/claims/", {"article": article.pk, "quote": "minister spoke"}, format="json"
    )
    error = error_of(response, 400)
    assert "occurs 2 times" in error["message"]
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"quote": "not in the text at all"}, None),
        ({"start": 5, "end": 2}, None),
        ({"start": 5}, None),
        ({}, None),
        ({"start": -1, "end": 3}, "start"),
    ],
)
def test_bad_spans_are_400_with_a_reason(editor_api, article, payload, field):
    response = editor_api.post("/api/v1/claims/", {"article": article.pk, **payload}, format="json")
    error = error_of(response, 400)
    if field:
        assert field in error["fields"]
    assert not Claim.objects.exists()


def test_marking_on_a_missing_article_is_400(editor_api):
    response = editor_api.post("/api/v1/claims/", {"article": 999, "quote": "x"}, format="json")
    assert "article" in error_of(response, 400)["fields"]


def test_anonymous_cannot_write_401(anon, article):
    response = anon.post("/api/v1/claims/", {"article": article.pk, "quote": "x"}, format="json")
    assert error_of(response, 401)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_a_consumer_token_cannot_write_403(consumer, article, draft):
    for method, url in [
        ("post", "/api/v1/claims/"),
        ("patch", f"/api/v1/claims/{draft.pk}/"),
        ("post", f"/api/v1/claims/{draft.pk}/evidence/"),
        ("post", f"/api/v1/claims/{draft.pk}/transitions/"),
        ("post", "/api/v1/articles/"),
    ]:
        response = getattr(consumer, method)(url, {"article": article.pk}, format="json")
        assert error_of(response, 403)["code"] == "permission_denied", url
    assert Claim.objects.count() == 1


# --- PATCH /api/v1/claims/{id}/ ------------------------------------------


def test_patch_with_if_match_edits_the_draft_and_returns_the_new_etag(editor_api, draft):
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"summary": "It fell by 2.1%.", "rating": "false", "claimant": "The PM"},
        format="json",
        HTTP_IF_MATCH=draft.etag(),
    )
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert (draft.summary, draft.rating.slug, draft.claimant) == (
        "It fell by 2.1%.",
        "false",
        "The PM",
    )
    assert response["ETag"] == draft.etag() == f'"claim-{draft.pk}-v2"'
    assert response.json()["version"] == 2


def test_patch_with_version_in_the_body_works_too(editor_api, draft):
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/", {"rationale": "Because.", "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert Claim.objects.get(pk=draft.pk).rationale == "Because."


def test_patch_rating_null_clears_the_verdict(editor_api, draft, editor):
    claim = workflow.update(draft, by=editor, version=1, rating=factories.rating())
    response = editor_api.patch(
        f"/api/v1/claims/{claim.pk}/", {"rating": None}, format="json", HTTP_IF_MATCH=claim.etag()
    )
    assert response.status_code == 200
    assert response.json()["rating"] is None


def test_patch_without_precondition_is_428(editor_api, draft):
    response = editor_api.patch(f"/api/v1/claims/{draft.pk}/", {"summary": "x"}, format="json")
    assert error_of(response, 428)["code"] == "precondition_required"
    assert Claim.objects.get(pk=draft.pk).summary == ""


def test_patch_with_a_stale_etag_is_412_with_the_current_version(editor_api, draft, other_editor):
    seen = draft.etag()
    workflow.update(draft, by=other_editor, version=1, summary="Theirs")
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/", {"summary": "Mine"}, format="json", HTTP_IF_MATCH=seen
    )
    error = error_of(response, 412)
    assert error["code"] == "stale_version"
    assert error["current_version"] == 2
    assert error["changes"] == {"summary": ["", "Theirs"]}
    assert response["ETag"] == f'"claim-{draft.pk}-v2"'
    assert Claim.objects.get(pk=draft.pk).summary == "Theirs"


def test_patch_with_a_stale_body_version_is_412(editor_api, draft, other_editor):
    workflow.update(draft, by=other_editor, version=1, summary="Theirs")
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/", {"summary": "Mine", "version": 1}, format="json"
    )
    assert error_of(response, 412)["current_version"] == 2


def test_patch_with_an_etag_of_another_claim_is_412(editor_api, draft):
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"summary": "x"},
        format="json",
        HTTP_IF_MATCH=f'"claim-{draft.pk + 1}-v1"',
    )
    assert error_of(response, 412)["current_version"] == 1


def test_patch_of_a_published_claim_is_409(editor_api, published):
    response = editor_api.patch(
        f"/api/v1/claims/{published.pk}/",
        {"summary": "x"},
        format="json",
        HTTP_IF_MATCH=published.etag(),
    )
    error = error_of(response, 409)
    assert error["code"] == "not_applicable" and "correction" in error["message"]


def test_patch_with_an_unknown_rating_or_bad_types_is_400(editor_api, draft):
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/", {"rating": "nope"}, format="json", HTTP_IF_MATCH=draft.etag()
    )
    assert "rating" in error_of(response, 400)["fields"]
    response = editor_api.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"summary": "x" * 301},
        format="json",
        HTTP_IF_MATCH=draft.etag(),
    )
    assert "summary" in error_of(response, 400)["fields"]
    assert Claim.objects.get(pk=draft.pk).version == 1


def test_patch_of_a_missing_claim_is_404(editor_api):
    response = editor_api.patch("/api/v1/claims/999/", {}, format="json", HTTP_IF_MATCH='"x"')
    assert error_of(response, 404)["code"] == "not_found"


# --- evidence -------------------------------------------------------------


def test_evidence_is_added_changed_and_removed_with_if_match(editor_api, draft):
    url = f"/api/v1/claims/{draft.pk}/evidence/"
    added = editor_api.post(
        url,
        {"url": "https://stats.example.org/", "title": "Stats", "note": "ring them"},
        format="json",
        HTTP_IF_MATCH=draft.etag(),
    )
    assert added.status_code == 201, added.content
    assert added.json()["note"] == "ring them"
    etag = added["ETag"]
    assert etag == f'"claim-{draft.pk}-v2"'
    evidence_url = f"{url}{added.json()['id']}/"
    changed = editor_api.patch(
        evidence_url, {"publisher": "Office"}, format="json", HTTP_IF_MATCH=etag
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["publisher"] == "Office" and changed.json()["title"] == "Stats"
    removed = editor_api.delete(evidence_url, HTTP_IF_MATCH=changed["ETag"])
    assert removed.status_code == 204
    assert removed["ETag"] == f'"claim-{draft.pk}-v4"'
    assert not Evidence.objects.exists()
    actions = list(draft.events.values_list("action", flat=True))
    assert actions[-3:] == ["evidence_added", "evidence_changed", "evidence_removed"]


def test_evidence_writes_need_a_precondition(editor_api, draft):
    url = f"/api/v1/claims/{draft.pk}/evidence/"
    assert error_of(editor_api.post(url, {"url": "https://a.example/"}), 428)
    evidence = factories.EvidenceFactory(claim=draft)
    assert error_of(editor_api.patch(f"{url}{evidence.pk}/", {"title": "x"}), 428)
    assert error_of(editor_api.delete(f"{url}{evidence.pk}/"), 428)
    assert Evidence.objects.get().title == "Labour market statistics"


def test_stale_evidence_writes_are_412(editor_api, draft, other_editor):
    seen = draft.etag()
    workflow.update(draft, by=other_editor, version=1, summary="Theirs")
    url = f"/api/v1/claims/{draft.pk}/evidence/"
    response = editor_api.post(url, {"url": "https://a.example/"}, HTTP_IF_MATCH=seen)
    assert error_of(response, 412)["current_version"] == 2
    assert not Evidence.objects.exists()


def test_invalid_evidence_is_400_with_fields(editor_api, draft):
    response = editor_api.post(
        f"/api/v1/claims/{draft.pk}/evidence/",
        {"url": "javascript:alert(1)"},
        format="json",
        HTTP_IF_MATCH=draft.etag(),
    )
    assert "url" in error_of(response, 400)["fields"]
    assert not Evidence.objects.exists()


def test_evidence_of_another_claim_is_404(editor_api, draft):
    other = factories.EvidenceFactory()
    response = editor_api.delete(
        f"/api/v1/claims/{draft.pk}/evidence/{other.pk}/", HTTP_IF_MATCH=draft.etag()
    )
    assert error_of(response, 404)
    assert Evidence.objects.filter(pk=other.pk).exists()


# --- transitions -----------------------------------------------------------


def transition(client, claim, action, comment="", **headers):
    return client.post(
        f"/api/v1/claims/{claim.pk}/transitions/",
        {"action": action, "comment": comment},
        format="json",
        **headers,
    )


def test_the_whole_workflow_runs_through_the_api(editor_api, reviewer_api, draft, editor):
    claim = ready_for_review(draft, by=editor)
    submitted = transition(editor_api, claim, "submit", HTTP_IF_MATCH=claim.etag())
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "in_review"
    approved = transition(reviewer_api, claim, "approve")
    assert approved.status_code == 200 and approved.json()["status"] == "published"
    correction = transition(editor_api, claim, "start_correction", "Wrong figure.")
    assert correction.status_code == 201
    copy = Claim.objects.get(pk=correction.json()["id"])
    assert correction["Location"] == f"http://testserver/api/v1/claims/{copy.pk}/"
    assert copy.correction_of_id == claim.pk and copy.status == "draft"
    retracted = transition(reviewer_api, claim, "retract", "The source was misread.")
    assert retracted.status_code == 200
    assert retracted.json()["retraction_note"] == "The source was misread."


def test_dismiss_and_reopen(editor_api, draft):
    assert transition(editor_api, draft, "dismiss", "Not check-worthy.").json()["status"] == (
        "dismissed"
    )
    assert transition(editor_api, draft, "reopen").json()["status"] == "draft"


def test_request_changes_needs_a_comment_400(reviewer_api, in_review):
    error = error_of(transition(reviewer_api, in_review, "request_changes"), 400)
    assert "comment" in error["fields"]
    assert (
        transition(reviewer_api, in_review, "request_changes", "Add a source.").json()["status"]
        == "draft"
    )


def test_an_editor_cannot_approve_403_with_the_reason(editor_api, in_review):
    error = error_of(transition(editor_api, in_review, "approve"), 403)
    assert error["code"] == "not_allowed" and "reviewer" in error["message"]
    assert Claim.objects.get(pk=in_review.pk).status == "in_review"


def test_four_eyes_a_reviewer_cannot_approve_own_submission_403(reviewer_api, reviewer, article):
    claim = workflow.mark(article, by=reviewer, quote=QUOTES[0])
    claim = ready_for_review(claim, by=reviewer)
    claim = workflow.submit(claim, by=reviewer, version=claim.version)
    error = error_of(transition(reviewer_api, claim, "approve"), 403)
    assert "second person" in error["message"]


def test_an_action_that_does_not_apply_is_409_with_the_reason(reviewer_api, draft):
    error = error_of(transition(reviewer_api, draft, "approve"), 409)
    assert error["code"] == "not_applicable" and "draft" in error["message"]


def test_submitting_an_incomplete_draft_is_409(editor_api, draft):
    error = error_of(transition(editor_api, draft, "submit"), 409)
    assert "a verdict" in error["message"]


def test_an_unknown_action_is_400(editor_api, draft):
    assert "action" in error_of(transition(editor_api, draft, "publish"), 400)["fields"]


def test_a_stale_if_match_on_a_transition_is_412(editor_api, draft, other_editor):
    seen = draft.etag()
    workflow.update(draft, by=other_editor, version=1, summary="Theirs")
    response = transition(editor_api, draft, "dismiss", "No.", HTTP_IF_MATCH=seen)
    assert error_of(response, 412)["current_version"] == 2
    assert Claim.objects.get(pk=draft.pk).status == "draft"


def test_anonymous_transition_is_401(anon, draft):
    assert error_of(transition(anon, draft, "submit"), 401)


# --- history -----------------------------------------------------------------


def test_history_is_for_editors(anon, consumer, editor_api, reviewer_api, published):
    assert error_of(anon.get(f"/api/v1/claims/{published.pk}/history/"), 401)
    assert error_of(consumer.get(f"/api/v1/claims/{published.pk}/history/"), 403)
    for client in (editor_api, reviewer_api):
        events = client.get(f"/api/v1/claims/{published.pk}/history/").json()
        assert [e["action"] for e in events] == list(
            ClaimEvent.objects.filter(claim=published)
            .order_by("created_at", "id")
            .values_list("action", flat=True)
        )
        assert events[-1]["action"] == "approved"
        assert {"actor", "changes", "comment", "version", "created_at"} <= set(events[0])


def test_history_shows_a_corrections_working_copy_under_the_published_claim(
    editor_api, reviewer_api, published, editor
):
    copy = workflow.start_correction(published, by=editor, version=published.version, comment="x")
    workflow.update(copy, by=editor, version=copy.version, summary="Fixed.")
    assert transition(editor_api, copy, "submit").status_code == 200
    assert transition(reviewer_api, copy, "approve").status_code == 200
    events = reviewer_api.get(f"/api/v1/claims/{published.pk}/history/").json()
    assert [e["action"] for e in events][-5:] == [
        "correction_started",
        "edited",
        "submitted",
        "approved",
        "correction_published",
    ]


def test_a_reviewer_dismisses_a_claim_in_review_over_the_api(reviewer_api, draft, editor):
    claim = ready_for_review(draft, by=editor)
    claim = workflow.submit(claim, by=editor, version=claim.version)
    refused = transition(reviewer_api, claim, "dismiss")
    assert error_of(refused, 400)["fields"] == {"comment": ["This field is required."]}
    dismissed = transition(reviewer_api, claim, "dismiss", comment="Not check-worthy.")
    assert dismissed.status_code == 200 and dismissed.json()["status"] == "dismissed"


# --- articles --------------------------------------------------------------------


ARTICLE = {
    "title": "Budget day",
    "body": "The chancellor said growth doubled.\n\nOthers disagreed.",
    "source_url": "https://news.example.com/budget",
    "source_name": "Example News",
    "published_on": "2026-11-01",
    "captions": "A photo. AP",
}


def test_editor_creates_an_article_through_the_importer(editor_api, editor):
    response = editor_api.post("/api/v1/articles/", ARTICLE, format="json")
    assert response.status_code == 201, response.content
    article = Article.objects.get(pk=response.json()["id"])
    assert article.created_by == editor
    assert article.published_on.isoformat() == "2026-11-01"
    assert response.json()["body"] == ARTICLE["body"]
    again = editor_api.post("/api/v1/articles/", ARTICLE, format="json")
    assert again.status_code == 200 and again.json()["id"] == article.pk
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"body": "   "},
        {"title": ""},
        {"source_url": "ftp://example.com/x"},
        {"published_on": "not a date"},
        {"colour": "blue"},
    ],
)
def test_bad_articles_are_400_and_nothing_is_written(editor_api, change):
    response = editor_api.post("/api/v1/articles/", {**ARTICLE, **change}, format="json")
    error_of(response, 400)
    assert not Article.objects.exists()


def test_anonymous_and_consumers_cannot_create_articles(anon, consumer):
    assert error_of(anon.post("/api/v1/articles/", ARTICLE, format="json"), 401)
    assert error_of(consumer.post("/api/v1/articles/", ARTICLE, format="json"), 403)
    assert not Article.objects.exists()


def test_articles_list_public_ones_with_counts(anon, editor_api, editor, reviewer):
    public = factories.ArticleFactory()
    private = factories.ArticleFactory()
    publish(public, editor=editor, reviewer=reviewer)
    workflow.mark(public, by=editor, quote=QUOTES[1])
    workflow.mark(private, by=editor, quote=QUOTES[1])
    data = anon.get("/api/v1/articles/").json()["results"]
    assert [a["id"] for a in data] == [public.pk]
    assert data[0]["counts"] == {"published": 1, "retracted": 0}
    assert error_of(anon.get(f"/api/v1/articles/{private.pk}/"), 404)
    assert anon.get(f"/api/v1/articles/{public.pk}/").json()["body"] == public.body
    editors = editor_api.get("/api/v1/articles/").json()["results"]
    assert {a["id"] for a in editors} == {public.pk, private.pk}
    counts = next(a for a in editors if a["id"] == public.pk)["counts"]
    assert counts == {
        "draft": 1,
        "in_review": 0,
        "published": 1,
        "dismissed": 0,
        "retracted": 0,
        "superseded": 0,
    }


def test_article_list_query_count_is_constant(
    anon, editor, reviewer, django_assert_max_num_queries
):
    for _ in range(3):
        article = factories.ArticleFactory()
        claim = factories.ClaimFactory(article=article, created_by=editor)
        Claim.objects.filter(pk=claim.pk).update(status="published")
    with django_assert_max_num_queries(2):
        assert len(anon.get("/api/v1/articles/").json()["results"]) == 3


def test_ratings_are_the_verdict_scale(anon):
    data = anon.get("/api/v1/ratings/").json()
    assert [r["slug"] for r in data] == [
        "true",
        "mostly-true",
        "half-true",
        "mostly-false",
        "false",
        "unverifiable",
    ]
    assert [r["value"] for r in data] == [5, 4, 3, 2, 1, None]
    assert all(r["label"] and r["description"] for r in data)


def test_evidence_added_through_the_api_is_used_by_the_workflow(editor_api, reviewer_api, draft):
    claim = draft
    etag = editor_api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"rating": "false", "summary": "No."},
        format="json",
        HTTP_IF_MATCH=claim.etag(),
    )["ETag"]
    etag = editor_api.post(
        f"/api/v1/claims/{claim.pk}/evidence/",
        {"url": "https://a.example/"},
        format="json",
        HTTP_IF_MATCH=etag,
    )["ETag"]
    assert transition(editor_api, claim, "submit", HTTP_IF_MATCH=etag).status_code == 200
    assert transition(reviewer_api, claim, "approve").json()["status"] == "published"


__all__ = ["publish"]


@pytest.mark.parametrize("caller", ["editor_api", "reviewer_api"])
def test_editors_and_reviewers_both_edit_and_manage_evidence(request, caller, draft):
    client = request.getfixturevalue(caller)
    edited = client.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"claim_text": "Unemployment fell 3%."},
        format="json",
        HTTP_IF_MATCH=draft.etag(),
    )
    assert edited.status_code == 200, edited.content
    added = client.post(
        f"/api/v1/claims/{draft.pk}/evidence/",
        {"url": "https://a.example/"},
        format="json",
        HTTP_IF_MATCH=edited["ETag"],
    )
    assert added.status_code == 201, added.content
    assert Claim.objects.get(pk=draft.pk).version == 3
