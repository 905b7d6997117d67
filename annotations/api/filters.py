"""Filters and pagination of the API's lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from rest_framework.pagination import CursorPagination

from annotations.models import Claim, Rating

MAX_PAGE_SIZE = 200


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Claim.Status.choices,
        help_text="published (the default) or retracted; editors may ask for any status.",
    )
    article = django_filters.NumberFilter(field_name="article_id", help_text="An article id.")
    rating = django_filters.ModelChoiceFilter(
        queryset=Rating.objects.all(), to_field_name="slug", help_text="A rating slug."
    )
    claimant = django_filters.CharFilter(
        lookup_expr="icontains", help_text="Part of the claimant's name (any case)."
    )
    q = django_filters.CharFilter(
        method="search", help_text="Text search over the claim text, the quote and the summary."
    )
    published_after = django_filters.IsoDateTimeFilter(
        field_name="published_at",
        lookup_expr="gt",
        help_text="Published strictly after (ISO 8601).",
    )
    published_before = django_filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="lt", help_text="Published strictly before."
    )
    updated_after = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gt", help_text="Changed strictly after."
    )

    class Meta:
        model = Claim
        fields = []

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(claim_text__icontains=word)
                | Q(quote__icontains=word)
                | Q(summary__icontains=word)
            )
        return queryset


class NewestFirstPagination(CursorPagination):
    """Cursor pagination: a page boundary is a position in the ordering, so
    claims published while a consumer pages never shift or repeat items.

    Public lists are ordered by publication; editors' lists of unpublished
    statuses (whose ``published_at`` is empty) by creation.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-published_at", "-id")

    def get_ordering(self, request, queryset, view):
        return getattr(view, "cursor_ordering", lambda: self.ordering)()
