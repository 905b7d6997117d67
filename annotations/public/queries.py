"""What the public site lists: the index and its filters, claimants,
related fact-checks, the sentence a quote sits in, credits.

Every query starts from ``Claim.objects.published()`` (or ``public()`` where
a retracted page must stay reachable): nothing here can widen what is public.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils.text import slugify

from annotations.models import ChangeEntry, Claim, Rating

MAX_SEARCH_WORDS = 8
RELATED_LIMIT = 5
# A sentence ends at one of these followed by a space, or at a paragraph break.
SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+|\n\n")


def listed() -> QuerySet[Claim]:
    """Published fact-checks, newest first, with what a list row shows."""
    return (
        Claim.objects.published()
        .select_related("article", "rating")
        .order_by("-published_at", "-id")
    )


class FactcheckFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search fact-checks", method="search", max_length=200)
    verdict = django_filters.ModelChoiceFilter(
        label="Verdict",
        field_name="rating",
        queryset=Rating.objects.all(),
        to_field_name="slug",
        empty_label="Any verdict",
    )
    claimant = django_filters.CharFilter(label="Claimant", lookup_expr="icontains", max_length=300)
    published_from = django_filters.DateFilter(
        label="Published from",
        field_name="published_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    published_to = django_filters.DateFilter(
        label="Published until",
        field_name="published_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Claim
        fields = []

    def search(self, queryset, name, value):
        # Every word must occur somewhere a reader would look; a bounded
        # number of words keeps the query bounded.
        for word in value.split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(
                Q(headline__icontains=word)
                | Q(claim_text__icontains=word)
                | Q(quote__icontains=word)
                | Q(claimant__icontains=word)
                | Q(summary__icontains=word)
            )
        return queryset


def claimant_slug(name: str) -> str:
    return slugify(name, allow_unicode=True)


@dataclass(frozen=True)
class Claimant:
    name: str
    slug: str
    count: int
    last_published: datetime | None = None


def claimants() -> list[Claimant]:
    """Everyone with published fact-checks, by name; names that differ only
    in case or punctuation share one page."""
    rows = (
        Claim.objects.published()
        .exclude(claimant="")
        .values("claimant")
        .annotate(count=Count("id"), last=Max("updated_at"))
    )
    merged: dict[str, Claimant] = {}
    for row in rows:
        slug = claimant_slug(row["claimant"])
        if not slug:
            continue
        seen = merged.get(slug)
        if seen is None:
            merged[slug] = Claimant(row["claimant"], slug, row["count"], row["last"])
        else:
            merged[slug] = Claimant(
                seen.name, slug, seen.count + row["count"], max(seen.last_published, row["last"])
            )
    return sorted(merged.values(), key=lambda c: c.name.casefold())


def claimant_names(slug: str) -> list[str]:
    """The spellings of the claimant whose page is ``slug``."""
    names = Claim.objects.published().exclude(claimant="").values_list("claimant", flat=True)
    return sorted({name for name in names.distinct() if claimant_slug(name) == slug})


def related(claim: Claim) -> list[Claim]:
    """Other published fact-checks: first those an editor linked as the same
    claim (links are stored both ways, so those pointing here), then those of
    the same claimant or the same article."""
    linked = list(listed().filter(relations__other=claim).exclude(pk=claim.pk)[:RELATED_LIMIT])
    same = Q(article_id=claim.article_id)
    if claim.claimant:
        same |= Q(claimant__iexact=claim.claimant)
    nearby = listed().filter(same).exclude(pk__in=[claim.pk, *(c.pk for c in linked)])
    return linked + list(nearby[: RELATED_LIMIT - len(linked)])


def sentence(body: str, start: int, end: int) -> tuple[str, str, str]:
    """The text before the quote in its sentence, the quote, the text after:
    readers judge a quote in context."""
    begin = 0
    for match in SENTENCE_END.finditer(body, 0, start):
        begin = match.end()
    # From the quote's last character, so a quote that ends its sentence ends it here.
    after = SENTENCE_END.search(body, max(end - 1, start))
    finish = after.start() + len(after.group().rstrip()) if after else len(body)
    return body[begin:start], body[start:end], body[end:finish]


def retracted_at(claim: Claim):
    entry = claim.changes.filter(action=ChangeEntry.Action.RETRACTED).order_by("-cursor").first()
    return entry.at if entry else None


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def credits(claim: Claim) -> dict[str, str]:
    """Who checked and who reviewed, unless the organisation hides names."""
    if not settings.FACTCHECK_PUBLIC_NAMES:
        return {}
    return {
        "checker": person(claim.submitted_by or claim.created_by),
        "reviewer": person(claim.reviewed_by),
    }
