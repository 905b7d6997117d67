"""RSS and Atom feeds of the public site (Django's syndication framework):
published fact-checks, and corrections with retractions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from annotations.models import ChangeEntry, Claim, Correction

FEED_SIZE = 50


class FactcheckFeed(Feed):
    title = f"{settings.FACTCHECK_PUBLISHER_NAME}: fact-checks"
    description = "The latest published fact-checks, newest first."

    def link(self) -> str:
        return reverse("annotations:factcheck_list")

    def items(self):
        return (
            Claim.objects.published()
            .select_related("rating")
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, claim: Claim) -> str:
        verdict = f"{claim.rating.label}: " if claim.rating else ""
        return f"{verdict}{claim.public_headline}"

    def item_description(self, claim: Claim) -> str:
        return claim.summary

    def item_link(self, claim: Claim) -> str:
        return claim.get_public_url()

    def item_pubdate(self, claim: Claim) -> datetime | None:
        return claim.published_at

    def item_updateddate(self, claim: Claim) -> datetime:
        return claim.updated_at

    def item_author_name(self, claim: Claim) -> str:
        return settings.FACTCHECK_PUBLISHER_NAME

    def item_categories(self, claim: Claim) -> list[str]:
        return [claim.rating.label] if claim.rating else []


class AtomFactcheckFeed(FactcheckFeed):
    feed_type = Atom1Feed
    subtitle = FactcheckFeed.description


@dataclass(frozen=True)
class Notice:
    """A correction or a retraction of a fact-check, as a feed entry."""

    kind: str
    claim: Claim
    note: str
    at: datetime
    key: str


class CorrectionsFeed(Feed):
    title = f"{settings.FACTCHECK_PUBLISHER_NAME}: corrections and retractions"
    description = "Every correction and retraction of a published fact-check, newest first."

    def link(self) -> str:
        return reverse("annotations:public_page", args=["corrections-policy"])

    def items(self) -> list[Notice]:
        corrections = (
            Correction.objects.filter(claim__status__in=Claim.PUBLIC_STATUSES)
            .select_related("claim")
            .order_by("-created_at", "-id")[:FEED_SIZE]
        )
        retractions = (
            ChangeEntry.objects.filter(
                action=ChangeEntry.Action.RETRACTED, claim__status=Claim.Status.RETRACTED
            )
            .select_related("claim")
            .order_by("-cursor")[:FEED_SIZE]
        )
        notices = [
            Notice("Correction", c.claim, c.note, c.created_at, f"correction-{c.pk}")
            for c in corrections
        ] + [
            Notice("Retracted", e.claim, e.claim.retraction_note, e.at, f"retraction-{e.cursor}")
            for e in retractions
        ]
        notices.sort(key=lambda notice: notice.at, reverse=True)
        return notices[:FEED_SIZE]

    def item_title(self, notice: Notice) -> str:
        return f"{notice.kind}: {notice.claim.public_headline}"

    def item_description(self, notice: Notice) -> str:
        return notice.note

    def item_link(self, notice: Notice) -> str:
        return notice.claim.get_public_url()

    def item_guid(self, notice: Notice) -> str:
        return f"{notice.claim.get_public_url()}#{notice.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, notice: Notice) -> datetime:
        return notice.at


class AtomCorrectionsFeed(CorrectionsFeed):
    feed_type = Atom1Feed
    subtitle = CorrectionsFeed.description
