"""The public claim JSON from values queries (claimjson) is the content the
claim serializer gives anonymous callers, over a varied corpus."""

from __future__ import annotations

import json

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from annotations import archive, revisions, workflow
from annotations.api import claimjson, serializers
from annotations.api.views import claims_for_display
from annotations.models import Claim, Evidence, Part, Rating
from tests import factories
from tests.api.conftest import QUOTES, publish
from tests.conftest import published_claim

pytestmark = pytest.mark.django_db


def serializer_json(claims) -> list[dict]:
    request = Request(APIRequestFactory().get("/api/v1/claims/"))
    context = {"request": request, "show_internal": False}
    ordered = claims_for_display(Claim.objects.filter(pk__in=[c.pk for c in claims]))
    by_id = {claim.pk: claim for claim in ordered}
    return [serializers.ClaimSerializer(by_id[c.pk], context=context).data for c in claims]


def values_json(claims) -> list[dict]:
    request = Request(APIRequestFactory().get("/api/v1/claims/"))
    rows = {row["id"]: row for row in claimjson.rows(Claim.objects.all())}
    return claimjson.claims(request, [rows[c.pk] for c in claims])


@pytest.fixture
def varied(editor, other_editor, reviewer) -> list[Claim]:
    """Published, corrected, retracted and linked claims; url, file and
    protected evidence, archived and failed copies; a verdict without a value;
    a claim in the headline; an orphan of an earlier revision."""
    article = factories.ArticleFactory()
    plain = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[0])
    unrated = publish(
        article, editor=editor, reviewer=reviewer, quote=QUOTES[1], rating="unverifiable"
    )
    gone = publish(article, editor=editor, reviewer=reviewer, quote=QUOTES[2])
    workflow.retract(gone, by=reviewer, version=gone.version, comment="Misread.")
    copy = workflow.start_correction(plain, by=editor, version=plain.version, comment="Typo.")
    copy = workflow.add_evidence(
        copy, by=editor, version=copy.version, url="https://b.example/", note="secret"
    ).claim
    copy = workflow.submit(copy, by=editor, version=copy.version)
    workflow.approve(copy, by=reviewer, version=copy.version)
    first = Evidence.objects.filter(claim=plain).order_by("id").first()
    archive.record_failure(first.pk, "HTTP 404")
    other_article = factories.ArticleFactory()
    headline = workflow.mark(other_article, by=editor, part=Part.HEADLINE, start=0, end=14)
    published_claim(headline, editor=editor, reviewer=reviewer)
    protected = publish(other_article, editor=editor, reviewer=reviewer, quote=QUOTES[0])
    workflow.link_same_claim(protected, plain, by=editor)
    Evidence.objects.filter(claim=protected).update(
        kind=Evidence.Kind.PROTECTED, protected_reason="Source at risk.", note="who"
    )
    Evidence.objects.create(
        claim=unrated, kind=Evidence.Kind.FILE, title="Scan", file="evidence/scan.pdf"
    )
    orphaned = publish(factories.ArticleFactory(), editor=editor, reviewer=reviewer)
    body = orphaned.article.body.replace(QUOTES[0], "something else entirely")
    revisions.revise(orphaned.article, by=other_editor, body=body)
    return list(Claim.objects.order_by("id"))


def test_the_values_path_gives_the_serializers_public_content(varied):
    assert Rating.objects.filter(value=None, claims__isnull=False).exists()
    assert Claim.objects.filter(status=Claim.Status.RETRACTED).exists()
    assert Claim.objects.exclude(orphan_revision=None).exists()
    assert Evidence.objects.filter(kind=Evidence.Kind.PROTECTED).exists()
    assert values_json(varied) == serializer_json(varied)


def test_the_public_list_is_the_serializers_content(anon, varied):
    public = [c for c in varied if c.is_public]
    listed = anon.get("/api/v1/claims/?page_size=200").json()["results"]
    retracted = anon.get("/api/v1/claims/?page_size=200&status=retracted").json()["results"]
    expected = {item["id"]: item for item in serializer_json(public)}
    assert {item["id"] for item in listed + retracted} == set(expected)
    for item in listed + retracted:
        assert item == expected[item["id"]]
        assert "note" not in str(item["evidence"])


def test_the_ndjson_export_is_the_serializers_content(anon, varied):
    response = anon.get("/api/v1/claims/export.ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()
    public = [c for c in varied if c.is_public]
    assert [json.loads(line) for line in lines] == serializer_json(public)
