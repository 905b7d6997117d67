from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction

from annotations import importers, workflow
from annotations.models import (
    PART_FIELDS,
    Article,
    ChangeEntry,
    Claim,
    ClaimEvent,
    Correction,
    Evidence,
    Invitation,
    Notification,
    Part,
    PublicPage,
    Rating,
    TeamEvent,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit records are append-only: the admin shows them and nothing more."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ArticleAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        try:
            importers.check_fields(cleaned)
        except importers.ImportRejected as error:
            raise forms.ValidationError(error.message) from None
        return cleaned


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    # The same size and character rules as every other way in.
    form = ArticleAdminForm
    list_display = ["title", "source_name", "published_on", "language", "created_by", "created_at"]
    list_filter = ["language", "source_name", "created_at"]
    search_fields = ["title", "standfirst", "body", "source_name", "byline"]
    date_hierarchy = "created_at"
    readonly_fields = ["content_hash", "created_by", "created_at", "updated_at"]

    # What published claims show of their article (API, W3C, ClaimReview).
    PUBLIC_FIELDS = (
        "title",
        "source_url",
        "canonical_url",
        "source_name",
        "published_on",
        "language",
    )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.claims.exists():
            fields.append("body")  # claims anchor to offsets in this text
            # ... and in these parts too when they hold claims; the workspace
            # changes them by a new revision, which re-anchors the claims.
            parts = set(obj.claims.values_list("part", flat=True))
            fields += [PART_FIELDS[Part(p)] for p in sorted(parts) if p != Part.BODY]
        return fields

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [f for f in self.PUBLIC_FIELDS if f in form.changed_data]
        if change and changed:
            workflow.refresh_published(
                obj.claims.all(),
                by=request.user,
                changes={
                    f"article.{f}": [str(form.initial.get(f, "")), str(getattr(obj, f))]
                    for f in changed
                },
            )


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "value", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["label"]}
    search_fields = ["label", "description"]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [f for f in ("label", "slug", "value") if f in form.changed_data]
        if change and changed:
            workflow.refresh_published(
                obj.claims.all(),
                by=request.user,
                changes={f"rating.{f}": [form.initial.get(f), getattr(obj, f)] for f in changed},
            )


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["url", "title", "publisher", "excerpt", "note", "added_by", "added_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0
    fields = ["created_at", "actor", "action", "changes", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    """Claims change only through the workflow (versioned, audited), so the
    admin is a read-only window onto them."""

    list_display = ["__str__", "article", "status", "rating", "claimant", "updated_at"]
    list_filter = ["status", "rating", "created_at", "published_at"]
    search_fields = ["claim_text", "quote", "claimant", "summary", "article__title"]
    list_select_related = ["article", "rating"]
    inlines = [EvidenceInline, ClaimEventInline]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "publisher", "claim", "added_by", "added_at"]
    search_fields = ["url", "title", "publisher", "excerpt"]
    list_filter = ["added_at"]


@admin.register(ClaimEvent)
class ClaimEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "claim", "action", "actor", "from_status", "to_status"]
    list_filter = ["action", "created_at"]
    search_fields = ["comment", "claim__claim_text"]
    list_select_related = ["claim", "actor"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "claim", "corrected_by", "approved_by"]
    search_fields = ["note"]


@admin.register(ChangeEntry)
class ChangeEntryAdmin(ReadOnlyAdmin):
    list_display = ["cursor", "action", "claim", "at"]
    list_filter = ["action"]


@admin.register(PublicPage)
class PublicPageAdmin(admin.ModelAdmin):
    """The methodology, corrections policy and about pages of the public
    site; every public page's footer links to them, so they are edited,
    never deleted."""

    list_display = ["title", "slug", "updated_at"]
    fields = ["slug", "title", "body"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TeamEvent)
class TeamEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "user", "invitation"]
    list_filter = ["action", "created_at"]
    list_select_related = ["actor", "user", "invitation"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Invitations are made, resent and revoked on the team page, which
    records each step; here they are only shown."""

    list_display = ["email", "username", "roles", "invited_by", "created_at", "state"]
    search_fields = ["email", "username"]
    list_select_related = ["invited_by"]
    exclude = ["token_hash"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Notifications are written from claim events only; here they are shown,
    for a superuser answering "why did I (not) get that email?"."""

    list_display = ["created_at", "recipient", "kind", "claim", "read_at", "emailed_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["message", "recipient__username"]
    list_select_related = ["recipient", "claim"]
