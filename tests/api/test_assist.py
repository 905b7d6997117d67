"""Reading assistance over the API: the claimant guess on POST /api/v1/claims/
matches the workspace's, and GET /api/v1/articles/{id}/sentences/ scores
every body sentence for editors only. Over real HTTP with urllib3."""

from __future__ import annotations

import json

import pytest
import urllib3
from django.test import Client

from annotations import importers, workflow
from annotations.models import Claim
from tests import factories
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.django_db(transaction=True)

LUKASHEVICH = "Alexander Lukashevich, Russian Foreign Ministry spokesman"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def http(live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    pool = urllib3.PoolManager(retries=False, timeout=10)

    def call(method: str, path: str, *, data=None, headers=None):
        body = json.dumps(data).encode() if data is not None else None
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        response = pool.request(method, live_server.url + path, body=body, headers=all_headers)
        return response.status, response.headers, response.data

    return call


def token_for(http, user) -> dict[str, str]:
    status, _, raw = http(
        "POST", "/api/v1/auth/token/", data={"username": user.username, "password": PASSWORD}
    )
    assert status == 200, raw
    return {"Authorization": f"Token {json.loads(raw)['token']}"}


def test_the_api_guesses_the_claimant_exactly_as_the_workspace_does(http, live_server):
    editor = factories.EditorFactory()
    article = importers.import_path(SEED_FILE).article
    quote = "I think we fundamentally will not allow this scenario"
    start = article.body.index(quote)
    # A sloppy selection: a space before and after, as a mouse drag gives.
    selection = {"start": start - 2, "end": start + len(quote) + 2}
    selection["quote"] = article.body[selection["start"] : selection["end"]]

    status, _, raw = http(
        "POST",
        "/api/v1/claims/",
        data={"article": article.pk, **selection},
        headers=token_for(http, editor),
    )
    assert status == 201, raw
    by_api = Claim.objects.get(pk=json.loads(raw)["id"])
    # The same span twice is refused as a duplicate: remove the first.
    workflow.delete(by_api, by=editor, version=by_api.version)

    browser = Client()
    browser.force_login(editor)
    response = browser.post(
        f"/articles/{article.pk}/claims/", selection, headers={"HX-Request": "true"}
    )
    assert response.status_code == 201, response.content
    by_workspace = Claim.objects.get()

    assert by_api.claimant == by_workspace.claimant == LUKASHEVICH
    assert (by_api.start, by_api.end, by_api.quote) == (
        by_workspace.start,
        by_workspace.end,
        by_workspace.quote,
    )
    assert by_api.quote == f'"{quote},"'  # the line break before it is trimmed


def test_a_claimant_given_to_the_api_is_kept_even_when_empty(http):
    editor = factories.EditorFactory()
    article = importers.import_path(SEED_FILE).article
    as_editor = token_for(http, editor)
    for given in ("", "  Russian Foreign Ministry  "):
        status, _, raw = http(
            "POST",
            "/api/v1/claims/",
            data={"article": article.pk, "quote": "calls for a no-fly zone", "claimant": given},
            headers=as_editor,
        )
        assert status == 201, raw
        assert json.loads(raw)["claimant"] == given.strip()
        made = Claim.objects.get(pk=json.loads(raw)["id"])
        workflow.delete(made, by=editor, version=made.version)


def test_sentences_lists_every_body_sentence_with_score_and_reasons(http):
    editor = factories.EditorFactory()
    article = importers.import_path(SEED_FILE).article
    status, headers, raw = http(
        "GET", f"/api/v1/articles/{article.pk}/sentences/", headers=token_for(http, editor)
    )
    assert status == 200, raw
    assert headers["Content-Type"].startswith("application/json")
    sentences = json.loads(raw)
    assert len(sentences) == 14  # twelve paragraphs, one with a three-sentence quote
    for sentence in sentences:
        assert set(sentence) == {"start", "end", "text", "score", "reasons"}
        assert article.body[sentence["start"] : sentence["end"]] == sentence["text"]
        assert 0 <= sentence["score"] <= 1
    assert [s["start"] for s in sentences] == sorted(s["start"] for s in sentences)
    best = max(sentences, key=lambda s: s["score"])
    assert best["reasons"]


def test_sentences_are_for_editors_only(http):
    article = importers.import_path(SEED_FILE).article
    path = f"/api/v1/articles/{article.pk}/sentences/"
    status, _, raw = http("GET", path)
    assert status == 401 and json.loads(raw)["error"]["status"] == 401
    consumer = factories.UserFactory()
    assert http("GET", path, headers=token_for(http, consumer))[0] == 403
    reviewer = factories.ReviewerFactory()
    assert http("GET", path, headers=token_for(http, reviewer))[0] == 200
    editor = factories.EditorFactory()
    missing = "/api/v1/articles/999999/sentences/"
    assert http("GET", missing, headers=token_for(http, editor))[0] == 404


def test_a_guessed_name_and_role_is_a_person_with_a_job_title_in_claimreview(anon, published):
    Claim.objects.filter(pk=published.pk).update(claimant=LUKASHEVICH)
    response = anon.get(f"/api/v1/claims/{published.pk}/claimreview/")
    assert response.json()["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "Alexander Lukashevich",
        "jobTitle": "Russian Foreign Ministry spokesman",
    }
