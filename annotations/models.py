from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Length
from django.urls import reverse

from annotations import anchoring

http_url = URLValidator(schemes=["http", "https"])


def content_hash(title: str, body: str) -> str:
    """The identity of an article's content: the same text imports once."""
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


class ArticleQuerySet(models.QuerySet):
    def with_status_counts(self) -> ArticleQuerySet:
        return self.annotate(
            **{
                f"{status.value}_count": Count("claims", filter=Q(claims__status=status.value))
                for status in Claim.Status
            },
            claim_count=Count("claims"),
        )

    def with_public_claims(self) -> ArticleQuerySet:
        return self.filter(claims__status__in=Claim.PUBLIC_STATUSES).distinct()


class Article(models.Model):
    title = models.CharField(max_length=500)
    standfirst = models.TextField(blank=True)
    byline = models.CharField(max_length=300, blank=True)
    source_name = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=2000, blank=True, validators=[http_url])
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, default="en")
    captions = models.TextField(blank=True, help_text="Photo captions and credits, one per line.")
    body = models.TextField(
        help_text="Canonical plain text: paragraphs separated by one blank line, Unicode NFC."
    )
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at"], name="article_created_idx"),
            models.Index(fields=["title"], name="article_title_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.body = anchoring.normalize_text(self.body)
        self.content_hash = content_hash(self.title, self.body)
        if self.pk and self.claims.exists():
            stored = Article.objects.filter(pk=self.pk).values_list("body", flat=True).first()
            if stored is not None and stored != self.body:
                # Claims anchor to offsets in this exact text.
                raise ValidationError("The body of an article with claims cannot change.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("annotations:article_detail", args=[self.pk])

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split("\n\n")

    @property
    def caption_lines(self) -> list[str]:
        return [line for line in self.captions.splitlines() if line.strip()]


class Rating(models.Model):
    label = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    value = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Position on the numeric scale (ClaimReview ratingValue); empty for "
        "verdicts outside the scale, such as Unverifiable.",
    )
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    DISMISSED = "dismissed", "Dismissed"
    RETRACTED = "retracted", "Retracted"

    @property
    def is_public(self) -> bool:
        return self in (ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED)

    @property
    def is_editable(self) -> bool:
        return self == ClaimStatus.DRAFT


class ClaimQuerySet(models.QuerySet):
    def published(self) -> ClaimQuerySet:
        """The one definition of what the public may see as a live fact-check."""
        return self.filter(status=Claim.Status.PUBLISHED)

    def public(self) -> ClaimQuerySet:
        """Published claims and retracted ones (which stay readable, marked so)."""
        return self.filter(status__in=Claim.PUBLIC_STATUSES)

    def drafts_of(self, user) -> ClaimQuerySet:
        return self.filter(status=Claim.Status.DRAFT, created_by=user, changes_requested_at=None)

    def awaiting_review(self) -> ClaimQuerySet:
        return self.filter(status=Claim.Status.IN_REVIEW)

    def changes_requested_to(self, user) -> ClaimQuerySet:
        return self.filter(
            status=Claim.Status.DRAFT, submitted_by=user, changes_requested_at__isnull=False
        )

    def recently_published(self) -> ClaimQuerySet:
        return self.published().order_by("-published_at", "-id")

    def in_reading_order(self) -> ClaimQuerySet:
        return self.order_by("start", "-end", "id")


class Claim(models.Model):
    Status = ClaimStatus

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.RETRACTED)

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    start = models.PositiveIntegerField(help_text="Code point offset of the first character.")
    end = models.PositiveIntegerField(help_text="Code point offset just past the last character.")
    quote = models.TextField()
    prefix = models.CharField(max_length=anchoring.CONTEXT_LENGTH, blank=True)
    suffix = models.CharField(max_length=anchoring.CONTEXT_LENGTH, blank=True)
    claim_text = models.TextField(
        blank=True, help_text="The statement as the fact-checker phrases it."
    )
    claimant = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    rating = models.ForeignKey(
        Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    summary = models.CharField(max_length=300, blank=True)
    rationale = models.TextField(blank=True)
    retraction_note = models.TextField(blank=True, help_text="Public: why it was retracted.")
    correction_note = models.TextField(
        blank=True, help_text="Public, on a working copy: why the published version is corrected."
    )
    changes_requested_at = models.DateTimeField(null=True, blank=True)
    # A working copy of a published claim under correction points at it.
    correction_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_correction",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who last changed the verdict, summary or evidence: the four-eyes rule
    # keeps this person from approving.
    verdict_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "-end", "id"]
        indexes = [
            models.Index(fields=["article", "start", "end"], name="claim_reading_idx"),
            # The public list's order, with its tie-breaker, so a page is read
            # straight off the index.
            models.Index(
                fields=["status", "-published_at", "-id"], name="claim_status_published_idx"
            ),
            # Per-article counts, "has public claims" and the reading order of
            # one article's published claims.
            models.Index(fields=["article", "status", "start"], name="claim_article_status_idx"),
            models.Index(
                fields=["rating", "status", "-published_at", "-id"], name="claim_rating_status_idx"
            ),
            models.Index(fields=["status", "-updated_at"], name="claim_status_updated_idx"),
            models.Index(fields=["created_by", "status"], name="claim_owner_status_idx"),
            models.Index(fields=["submitted_by", "status"], name="claim_submitter_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="claim_span_not_empty"),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")), name="claim_quote_fits_span"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
        ]

    def __str__(self) -> str:
        text = self.claim_text or self.quote
        return text if len(text) <= 80 else text[:79] + "…"

    def save(self, *args, **kwargs) -> None:
        # The single gate of the offset/quote invariant: admin, views, API
        # and importer-made claims all pass here.
        anchored = anchoring.span(self.article.body, self.start, self.end, self.quote)
        self.prefix, self.suffix = anchored.prefix, anchored.suffix
        if not self.claim_text.strip():
            self.claim_text = self.quote
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("annotations:claim_detail", args=[self.article_id, self.pk])

    @property
    def status_enum(self) -> Claim.Status:
        return Claim.Status(self.status)

    @property
    def is_public(self) -> bool:
        return self.status_enum.is_public

    def etag(self) -> str:
        return f'"claim-{self.pk}-v{self.version}"'

    def verdict_author_ids(self) -> set[int]:
        """Everyone who changed this claim's verdict, summary, rationale or
        evidence, or opened it as a correction: none of them may approve it.

        Uses prefetched ``events`` when the caller loaded them (the panel
        does, for the timeline) and one query otherwise.
        """
        authors = {self.verdict_changed_by_id} - {None}
        if self.correction_of_id and self.created_by_id:
            authors.add(self.created_by_id)
        if "events" in getattr(self, "_prefetched_objects_cache", {}):
            events = [(e.actor_id, e.action, e.changes) for e in self.events.all()]
        else:
            events = self.events.filter(
                Q(action__in=ClaimEvent.VERDICT_ACTIONS) | Q(action=ClaimEvent.Action.EDITED)
            ).values_list("actor_id", "action", "changes")
        for actor_id, action, changes in events:
            if actor_id is None:
                continue
            if action in ClaimEvent.VERDICT_ACTIONS or (
                action == ClaimEvent.Action.EDITED and ClaimEvent.VERDICT_FIELDS & set(changes)
            ):
                authors.add(actor_id)
        return authors


class Evidence(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=2000, validators=[http_url])
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    excerpt = models.TextField(blank=True)
    note = models.TextField(blank=True, help_text="Internal note; never public.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "added_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="evidence_url_http",
            )
        ]

    def __str__(self) -> str:
        return self.title or self.url

    def as_dict(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in ("url", "title", "publisher", "excerpt", "note")}


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(f"{type(self).__name__} records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"{type(self).__name__} records are append-only.")


class ClaimEvent(AppendOnlyModel):
    """One step in a claim's history: who did what, when, with before/after."""

    class Action(models.TextChoices):
        CREATED = "created", "Marked"
        EDITED = "edited", "Edited"
        EVIDENCE_ADDED = "evidence_added", "Evidence added"
        EVIDENCE_CHANGED = "evidence_changed", "Evidence changed"
        EVIDENCE_REMOVED = "evidence_removed", "Evidence removed"
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved and published"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        DISMISSED = "dismissed", "Dismissed"
        REOPENED = "reopened", "Reopened"
        RETRACTED = "retracted", "Retracted"
        CORRECTION_STARTED = "correction_started", "Correction started"
        CORRECTION_PUBLISHED = "correction_published", "Correction published"
        COMMENTED = "commented", "Commented"

    # What shapes a verdict, for the four-eyes rule (Claim.verdict_author_ids).
    VERDICT_FIELDS = frozenset({"rating", "summary", "rationale"})
    VERDICT_ACTIONS = (Action.EVIDENCE_ADDED, Action.EVIDENCE_CHANGED, Action.EVIDENCE_REMOVED)

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [before, after]}")
    comment = models.TextField(blank=True)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    version = models.PositiveIntegerField(help_text="The claim's version after this step.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"], name="event_claim_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} on {self.created_at:%Y-%m-%d %H:%M}"


class Correction(AppendOnlyModel):
    """A public correction entry: what changed in a published fact-check, and why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections")
    changes = models.JSONField(default=dict)
    note = models.TextField()
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "created_at", "id"]

    def __str__(self) -> str:
        return f"Correction to claim {self.claim_id} on {self.created_at:%Y-%m-%d}"


class FeedCursor(models.Model):
    """A single counter row; see ``ChangeEntry``."""

    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="feed_cursor_singleton")]

    def __str__(self) -> str:
        return str(self.value)


class ChangeEntry(AppendOnlyModel):
    """An entry of the public changes feed.

    ``cursor`` is gapless and commits in order: it is taken from ``FeedCursor``
    under a row lock held until the publishing transaction commits, so a
    reader that has seen cursor N can never later find an entry below N
    appear. Ordinary sequences commit out of order and would let a consumer
    skip an entry.
    """

    class Action(models.TextChoices):
        PUBLISHED = "published", "Published"
        UPDATED = "updated", "Updated"
        CORRECTED = "corrected", "Corrected"
        RETRACTED = "retracted", "Retracted"

    cursor = models.BigIntegerField(unique=True)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cursor"]
        verbose_name_plural = "change entries"

    def __str__(self) -> str:
        return f"#{self.cursor} {self.action} claim {self.claim_id}"
