"""W3C Web Annotation and schema.org ClaimReview output, field by field."""

from __future__ import annotations

import datetime
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from annotations import workflow
from annotations.models import Claim
from tests import factories
from tests.api.conftest import ANNO_ACCEPT, QUOTES, publish
from tests.conftest import published_claim

pytestmark = pytest.mark.django_db

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def is_iri(value) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc)


def assert_w3c_annotation(item: dict, claim: Claim, *, embedded: bool = False) -> None:
    """The MUST rules of the Web Annotation Data Model for what we emit."""
    if embedded:
        assert "@context" not in item
    else:
        assert item["@context"] == ANNO_CONTEXT
    assert is_iri(item["id"])
    assert item["id"] == f"http://testserver/api/v1/claims/{claim.pk}/"
    assert item["type"] == "Annotation"
    assert item["motivation"] == "assessing"
    for stamp in ("created", "modified"):
        parsed = datetime.datetime.fromisoformat(item[stamp])
        assert parsed.tzinfo is not None  # xsd:dateTime with a timezone
    assert item["creator"]["type"] == "Organization" and is_iri(item["creator"]["id"])
    assert item["body"], "an assessing annotation has bodies"
    for body in item["body"]:
        assert body["type"] == "TextualBody"
        assert isinstance(body["value"], str) and body["value"]
        assert body["format"] == "text/plain"
        assert body["purpose"] in {"assessing", "tagging", "describing", "commenting"}
    target = item["target"]
    assert is_iri(target["source"])
    selectors = {s["type"]: s for s in target["selector"]}
    assert set(selectors) == {"TextQuoteSelector", "TextPositionSelector"}
    quote = selectors["TextQuoteSelector"]
    assert set(quote) == {"type", "exact", "prefix", "suffix"}
    body_text = claim.article.body
    assert quote["exact"] == claim.quote
    assert body_text[: claim.start].endswith(quote["prefix"])
    assert body_text[claim.end :].startswith(quote["suffix"])
    position = selectors["TextPositionSelector"]
    assert set(position) == {"type", "start", "end"}
    assert isinstance(position["start"], int) and isinstance(position["end"], int)
    assert 0 <= position["start"] <= position["end"] <= len(body_text)
    assert body_text[position["start"] : position["end"]] == quote["exact"]


def test_claim_detail_negotiates_a_w3c_annotation(anon, published):
    published.article.__class__.objects.filter(pk=published.article_id).update(language="en")
    workflow_claim = Claim.objects.get(pk=published.pk)
    response = anon.get(f"/api/v1/claims/{published.pk}/", HTTP_ACCEPT=ANNO_ACCEPT)
    assert response.status_code == 200
    media_type, *params = [p.strip() for p in response["Content-Type"].split(";")]
    assert media_type == "application/ld+json"
    assert f'profile="{ANNO_CONTEXT}"' in params
    assert "Accept" in response["Vary"]
    item = response.json()
    assert_w3c_annotation(item, workflow_claim)
    purposes = {b["purpose"]: b["value"] for b in item["body"]}
    assert purposes == {"assessing": "It fell by 2.1%.", "tagging": "Mostly false"}
    assert item["target"]["source"] == published.article.source_url
    assert item["creator"]["name"] == "Factcheck Desk"


def test_the_rationale_is_a_describing_body_and_plain_ld_json_also_works(
    anon, editor, reviewer, article
):
    claim = workflow.mark(article, by=editor, quote=QUOTES[1])
    claim = workflow.update(claim, by=editor, version=claim.version, rationale="See the data.")
    from tests.conftest import ready_for_review

    claim = ready_for_review(claim, by=editor)
    claim = workflow.submit(claim, by=editor, version=claim.version)
    claim = workflow.approve(claim, by=reviewer, version=claim.version)
    response = anon.get(f"/api/v1/claims/{claim.pk}/", HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"].startswith(f'application/ld+json; profile="{ANNO_CONTEXT}"')
    item = response.json()
    assert_w3c_annotation(item, Claim.objects.get(pk=claim.pk))
    assert {"purpose": "describing", "value": "See the data."}.items() <= next(
        b for b in item["body"] if b["purpose"] == "describing"
    ).items()


def test_an_article_without_source_url_targets_its_api_resource(anon, editor, reviewer):
    article = factories.ArticleFactory(source_url="")
    claim = publish(article, editor=editor, reviewer=reviewer)
    item = anon.get(f"/api/v1/claims/{claim.pk}/", HTTP_ACCEPT=ANNO_ACCEPT).json()
    assert item["target"]["source"] == f"http://testserver/api/v1/articles/{article.pk}/"


def test_plain_json_is_still_the_default(anon, published):
    response = anon.get(f"/api/v1/claims/{published.pk}/")
    assert response["Content-Type"] == "application/json"
    assert "@context" not in response.json()


def test_w3c_offsets_count_code_points(anon, editor, reviewer):
    article = factories.ArticleFactory(
        body="Emoji 🎉 first. Prices rose by 40 percent in 2025.\n\nThe end."
    )
    claim = publish(article, editor=editor, reviewer=reviewer, quote="Prices rose by 40 percent")
    item = anon.get(f"/api/v1/claims/{claim.pk}/", HTTP_ACCEPT=ANNO_ACCEPT).json()
    position = item["target"]["selector"][1]
    # 15 code points; a UTF-16 count would say 16.
    assert position["start"] == article.body.index("Prices") == 15
    assert_w3c_annotation(item, Claim.objects.get(pk=claim.pk))


def test_article_annotations_are_an_annotation_page(anon, editor, reviewer):
    article = factories.ArticleFactory()
    claims = [publish(article, editor=editor, reviewer=reviewer, quote=q) for q in QUOTES]
    workflow.mark(article, by=editor, quote="the minister told")  # a draft: never listed
    url = f"/api/v1/articles/{article.pk}/annotations/"
    response = anon.get(f"{url}?page_size=2", HTTP_ACCEPT=ANNO_ACCEPT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(f'application/ld+json; profile="{ANNO_CONTEXT}"')
    page = response.json()
    assert page["@context"] == ANNO_CONTEXT
    assert page["type"] == "AnnotationPage"
    assert is_iri(page["id"])
    assert page["partOf"]["type"] == "AnnotationCollection"
    assert page["partOf"]["id"] == f"http://testserver{url}"
    assert page["partOf"]["total"] == 3
    assert page["startIndex"] == 0
    assert "prev" not in page
    in_order = sorted(claims, key=lambda c: c.start)
    assert [i["id"] for i in page["items"]] == [
        f"http://testserver/api/v1/claims/{c.pk}/" for c in in_order[:2]
    ]
    for item, claim in zip(page["items"], in_order, strict=False):
        assert_w3c_annotation(item, Claim.objects.get(pk=claim.pk), embedded=True)
    assert parse_qs(urlsplit(page["next"]).query) == {"page": ["1"], "page_size": ["2"]}
    second = anon.get(page["next"], HTTP_ACCEPT=ANNO_ACCEPT).json()
    assert second["startIndex"] == 2
    assert [i["id"] for i in second["items"]] == [
        f"http://testserver/api/v1/claims/{in_order[2].pk}/"
    ]
    assert "next" not in second and is_iri(second["prev"])


def test_annotation_page_bad_page_number_is_400(anon, published):
    url = f"/api/v1/articles/{published.article_id}/annotations/?page=-1"
    response = anon.get(url, HTTP_ACCEPT=ANNO_ACCEPT)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"page": ["A non-negative integer is required."]}


def claimreview(client, claim) -> dict:
    response = client.get(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/ld+json")
    return response.json()


@override_settings(
    FACTCHECK_PUBLISHER_NAME="Truth Desk", FACTCHECK_PUBLISHER_URL="https://truth.example/"
)
def test_claimreview_has_the_fields_search_engines_read(anon, published):
    article = published.article
    article.published_on = datetime.date(2026, 10, 30)
    article.save()
    data = claimreview(anon, published)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ClaimReview"
    assert data["url"] == f"http://testserver/factchecks/{published.pk}/"
    assert data["claimReviewed"] == published.claim_text
    assert data["datePublished"] == published.published_at.date().isoformat()
    assert data["author"] == {
        "@type": "Organization",
        "name": "Truth Desk",
        "url": "https://truth.example/",
    }
    assert data["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mostly false",
    }
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "The minister"}
    assert item["datePublished"] == "2026-10-30"
    assert item["appearance"]["@type"] == "CreativeWork"
    assert item["appearance"]["url"] == article.source_url
    assert item["appearance"]["headline"] == article.title
    assert "creativeWorkStatus" not in data


def test_claimreview_uses_the_headline_and_the_claims_own_date_and_appearance(
    anon, editor, reviewer
):
    article = factories.ArticleFactory(source_url="", published_on=None)
    claim = workflow.mark(article, by=editor, quote=QUOTES[0], claimant="The minister")
    claim = workflow.update(
        claim,
        by=editor,
        version=claim.version,
        headline="Unemployment fell 3%",
        claim_date=datetime.date(2026, 9, 1),
        appearance_url="https://tv.example/interview",
    )
    claim = published_claim(claim, editor=editor, reviewer=reviewer)
    data = claimreview(anon, claim)
    assert data["claimReviewed"] == "Unemployment fell 3%"
    assert data["itemReviewed"]["datePublished"] == "2026-09-01"
    assert data["itemReviewed"]["appearance"]["url"] == "https://tv.example/interview"
    assert data["itemReviewed"]["appearance"]["headline"] == article.title


def test_claimreview_without_any_known_url_still_names_the_appearance(anon, editor, reviewer):
    article = factories.ArticleFactory(source_url="", published_on=None)
    claim = published_claim(
        workflow.mark(article, by=editor, quote=QUOTES[0]), editor=editor, reviewer=reviewer
    )
    item = claimreview(anon, claim)["itemReviewed"]
    assert "url" not in item["appearance"] and "datePublished" not in item
    assert item["appearance"]["headline"] == article.title


def test_unverifiable_gives_alternate_name_only(anon, editor, reviewer, article):
    claim = publish(article, editor=editor, reviewer=reviewer, rating="unverifiable")
    assert claimreview(anon, claim)["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Unverifiable",
    }


def test_an_organisation_claimant_is_an_organization(anon, published, editor):
    Claim.objects.filter(pk=published.pk).update(claimant="Ministry of Finance")
    assert claimreview(anon, published)["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "Ministry of Finance",
    }


def test_claimreview_of_a_retracted_claim_is_marked(anon, published, reviewer):
    workflow.retract(published, by=reviewer, version=published.version, comment="Misread.")
    data = claimreview(anon, published)
    assert data["creativeWorkStatus"] == "Retracted"
    assert {"@type": "CorrectionComment", "text": "Retracted: Misread."} in data["correction"]


def test_claimreview_is_not_served_for_drafts_even_to_editors(editor_api, draft):
    assert editor_api.get(f"/api/v1/claims/{draft.pk}/claimreview/").status_code == 404


def test_claimreview_lists_published_corrections(anon, published, editor, other_editor, reviewer):
    copy = workflow.start_correction(
        published, by=editor, version=published.version, comment="The figure was 2.3%."
    )
    copy = workflow.update(copy, by=editor, version=copy.version, summary="It fell by 2.3%.")
    copy = workflow.submit(copy, by=editor, version=copy.version)
    workflow.approve(copy, by=reviewer, version=copy.version)
    data = claimreview(anon, published)
    assert data["correction"][0]["text"] == "The figure was 2.3%."
    detail = anon.get(f"/api/v1/claims/{published.pk}/").json()
    assert detail["summary"] == "It fell by 2.3%."
    assert detail["corrections"][0]["note"] == "The figure was 2.3%."
    assert detail["corrections"][0]["changes"]["summary"] == [
        "It fell by 2.1%.",
        "It fell by 2.3%.",
    ]
    json.dumps(detail)
