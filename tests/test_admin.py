"""The admin: every model is there, audit records are read-only, and edits
that change what published claims show reach consumers through the feed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import ChangeEntry, Claim, ClaimEvent, Rating

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "article",
        "claim",
        "rating",
        "evidence",
        "claimevent",
        "correction",
        "changeentry",
        "notification",
        "teamevent",
        "invitation",
    ],
)
def test_every_model_has_a_working_changelist(admin_client, published, model):
    response = admin_client.get(reverse(f"admin:annotations_{model}_changelist"), {"q": "a"})
    assert response.status_code == 200


def test_claims_and_their_history_cannot_be_changed_in_the_admin(admin_client, published):
    url = reverse("admin:annotations_claim_change", args=[published.pk])
    admin_client.post(url, {"claim_text": "Rewritten behind the workflow's back"})
    published.refresh_from_db()
    assert published.claim_text != "Rewritten behind the workflow's back"
    event = ClaimEvent.objects.filter(claim=published).first()
    delete = reverse("admin:annotations_claimevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ClaimEvent.objects.filter(pk=event.pk).exists()


def article_form(article, **changes):
    data = {
        "title": article.title,
        "standfirst": article.standfirst,
        "byline": article.byline,
        "source_name": article.source_name,
        "source_url": article.source_url,
        "published_on": "",
        "language": article.language,
        "captions": article.captions,
    }
    return {**data, **changes}


def test_renaming_an_article_refreshes_its_published_claims_for_consumers(
    admin_client, client, published
):
    article = published.article
    etag = client.get(f"/api/v1/claims/{published.pk}/")["ETag"]
    cursor = ChangeEntry.objects.order_by("-cursor").first().cursor
    url = reverse("admin:annotations_article_change", args=[article.pk])
    response = admin_client.post(url, article_form(article, title="A corrected headline"))
    assert response.status_code == 302

    version = published.version
    published.refresh_from_db()
    assert published.version == version + 1
    entry = ChangeEntry.objects.get(cursor=cursor + 1)
    assert (entry.claim_id, entry.action) == (published.pk, "updated")
    event = published.events.order_by("-id").first()
    assert event.changes["article.title"][1] == "A corrected headline"
    detail = client.get(f"/api/v1/claims/{published.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert detail.status_code == 200
    assert detail.json()["article"]["title"] == "A corrected headline"


def test_editing_an_article_without_public_changes_leaves_the_feed_alone(admin_client, published):
    article = published.article
    before = ChangeEntry.objects.count()
    url = reverse("admin:annotations_article_change", args=[article.pk])
    admin_client.post(url, article_form(article, byline="Staff reporter"))
    assert ChangeEntry.objects.count() == before


def test_relabelling_a_rating_refreshes_published_claims_but_not_drafts(
    admin_client, published, draft
):
    rating = published.rating
    Claim.objects.filter(pk=draft.pk).update(rating=rating)
    url = reverse("admin:annotations_rating_change", args=[rating.pk])
    data = {
        "label": "Misleading",
        "slug": rating.slug,
        "value": rating.value,
        "description": rating.description,
        "order": rating.order,
    }
    assert admin_client.post(url, data).status_code == 302
    assert Rating.objects.get(pk=rating.pk).label == "Misleading"
    entries = ChangeEntry.objects.filter(action="updated")
    assert [e.claim_id for e in entries] == [published.pk]
