"""Filters and pagination of the API's lists."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.pagination import CursorPagination

from annotations import permissions
from annotations.models import Claim, Priority, Rating

MAX_PAGE_SIZE = 200
MAX_SEARCH_WORDS = 8
# Ids are 64-bit in the database; larger numbers are refused before a query.
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, held within what UTC can represent: year 1 at
    +05:00 lies before the first representable instant and 9999-12-31 at
    -05:00 after the last, and such a filter raised on SQLite but matched
    nothing on PostgreSQL. Clamped to the nearest end, both databases give
    the answer the moment means (everything is after the first instant)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None:
            try:
                # In UTC: PostgreSQL refuses offsets beyond 15:59 that ISO
                # 8601 (and SQLite) accept, such as -16:44.
                value = value.astimezone(datetime.UTC)
            except (OverflowError, ValueError):
                end = datetime.datetime.min if value.year == 1 else datetime.datetime.max
                value = end.replace(tzinfo=datetime.UTC)
        return value


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Claim.Status.choices,
        help_text="published (the default) or retracted; editors may ask for any status.",
    )
    article = IdFilter(field_name="article_id", help_text="An article id.")
    rating = django_filters.ModelChoiceFilter(
        queryset=Rating.objects.all(), to_field_name="slug", help_text="A rating slug."
    )
    claimant = django_filters.CharFilter(
        lookup_expr="icontains", help_text="Part of the claimant's name (any case)."
    )
    q = django_filters.CharFilter(
        method="search", help_text="Text search over the claim text, the quote and the summary."
    )
    published_after = MomentFilter(
        field_name="published_at",
        lookup_expr="gt",
        help_text="Published strictly after (ISO 8601).",
    )
    published_before = MomentFilter(
        field_name="published_at", lookup_expr="lt", help_text="Published strictly before."
    )
    updated_after = MomentFilter(
        field_name="updated_at", lookup_expr="gt", help_text="Changed strictly after."
    )

    # The desk's filters: editors only (for anyone else they filter nothing,
    # so that who was assigned what never shows through the public list).
    assignee = django_filters.CharFilter(
        method="desk_filter", help_text="Editors only: the assignee's username."
    )
    reviewer = django_filters.CharFilter(
        method="desk_filter", help_text="Editors only: the requested reviewer's username."
    )
    priority = django_filters.ChoiceFilter(
        choices=Priority.choices, method="desk_filter", help_text="Editors only."
    )
    due_before = MomentFilter(
        method="desk_filter",
        help_text="Editors only: due strictly before (ISO 8601); overdue work is "
        "`due_before=<now>` with `status=draft` or `status=in_review`.",
    )

    class Meta:
        model = Claim
        fields = []

    def desk_filter(self, queryset, name, value):
        if not permissions.is_editor(getattr(self.request, "user", None)):
            return queryset
        if name in ("assignee", "reviewer"):
            return queryset.filter(**{f"{name}__username": value})
        if name == "due_before":
            return queryset.filter(due__lt=value)
        return queryset.filter(**{name: value})

    def search(self, queryset, name, value):
        # Every word must occur; a bounded number keeps the query bounded.
        for word in value.split()[:MAX_SEARCH_WORDS]:
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

    def get_page_size(self, request):
        # Not a whole number from 1 up is an error, not a silent fall back to
        # the default; above the maximum it is capped.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and raw != "" and (not raw.isdecimal() or int(raw) < 1):
            raise DRFValidationError(
                {self.page_size_query_param: ["A whole number from 1 up (at most 200 are given)."]}
            )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        # A cursor is opaque but not signed: one decoded into a position that
        # is not a date of the ordering field is as invalid as a garbled one.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValidationError, ValueError, OverflowError):
            raise NotFound(self.invalid_cursor_message) from None
