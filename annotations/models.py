from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Length, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from annotations import anchoring

http_url = URLValidator(schemes=["http", "https"])


def content_hash(title: str, body: str) -> str:
    """The identity of an article's content: the same text imports once."""
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


class Part(models.TextChoices):
    """The parts of an article's text a claim can anchor in. Offsets count code
    points within the part's own text; captions are one text, a line each."""

    HEADLINE = "headline", "Headline"
    STANDFIRST = "standfirst", "Standfirst"
    CAPTIONS = "captions", "Captions"
    BODY = "body", "Body"


# The Article (and ArticleRevision) field that holds each part's text.
PART_FIELDS = {
    Part.HEADLINE: "title",
    Part.STANDFIRST: "standfirst",
    Part.CAPTIONS: "captions",
    Part.BODY: "body",
}


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
    canonical_url = models.URLField(
        max_length=2000,
        blank=True,
        validators=[http_url],
        help_text="The publisher's own address of the story (link rel=canonical, og:url).",
    )
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, default="en")
    captions = models.TextField(blank=True, help_text="Photo captions and credits, one per line.")
    body = models.TextField(
        help_text="Canonical plain text: paragraphs separated by one blank line, Unicode NFC."
    )
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    revision = models.PositiveIntegerField(
        default=1, editable=False, help_text="Number of the current revision of the text."
    )
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

    def save(self, *args, revising: bool = False, **kwargs) -> None:
        self.body = anchoring.normalize_text(self.body)
        self.content_hash = content_hash(self.title, self.body)
        if self.pk and not revising:
            # Claims anchor to offsets in this exact text; only a revision
            # (annotations.revisions), which re-anchors them, may change it.
            parts = set(
                self.claims.filter(orphan_revision=None).values_list("part", flat=True).distinct()
            )
            if parts:
                fields = [PART_FIELDS[Part(p)] for p in parts]
                stored = Article.objects.filter(pk=self.pk).values(*fields).first() or {}
                for part in sorted(parts):
                    field = PART_FIELDS[Part(part)]
                    if field in stored and stored[field] != getattr(self, field):
                        raise ValidationError(
                            f"The {Part(part).label.lower()} of an article with claims in it "
                            "cannot change except by a new revision."
                        )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("annotations:article_detail", args=[self.pk])

    @property
    def original_url(self) -> str:
        """Where the article lives on the web: its canonical URL when known,
        otherwise the URL it was imported from (empty for pasted text)."""
        return getattr(self, "canonical_url", "") or self.source_url

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split("\n\n")

    @property
    def caption_lines(self) -> list[str]:
        return [line for line in self.captions.splitlines() if line.strip()]

    def text_of(self, part: str) -> str:
        return getattr(self, PART_FIELDS[Part(part)])


class ArticleRevision(models.Model):
    """A stored version of an article's text. The article holds the current
    text; each revision keeps the text as it was, so orphaned claims stay
    anchored to the revision they were made on and any two can be compared."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    standfirst = models.TextField(blank=True)
    captions = models.TextField(blank=True)
    body = models.TextField()
    source = models.CharField(
        max_length=200, blank=True, help_text="How this version came in: import, fetch, upload."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"

    def text_of(self, part: str) -> str:
        return getattr(self, PART_FIELDS[Part(part)])


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
    # A correction's working copy once approved: kept, with its history.
    SUPERSEDED = "superseded", "Superseded"

    @property
    def is_public(self) -> bool:
        return self in (ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED)

    @property
    def is_editable(self) -> bool:
        return self == ClaimStatus.DRAFT


class Priority(models.TextChoices):
    NORMAL = "normal", "Normal"
    URGENT = "urgent", "Urgent"


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

    def assigned_to(self, user) -> ClaimQuerySet:
        """Claims ``user`` researches that are still being worked on."""
        return self.filter(assignee=user, status__in=(Claim.Status.DRAFT, Claim.Status.IN_REVIEW))

    def review_requested_from(self, user) -> ClaimQuerySet:
        """Claims in review whose review was asked of ``user`` by name."""
        return self.filter(reviewer=user, status=Claim.Status.IN_REVIEW)

    def recently_published(self) -> ClaimQuerySet:
        return self.published().order_by("-published_at", "-id")

    def in_reading_order(self) -> ClaimQuerySet:
        # Headline, standfirst, captions, then body: the order they are read.
        part_rank = Case(
            *(When(part=part, then=Value(rank)) for rank, part in enumerate(Part.values)),
            default=Value(len(Part.values)),
        )
        return self.order_by(part_rank, "start", "-end", "id")

    def orphaned(self) -> ClaimQuerySet:
        """Claims that could not be re-anchored to their article's current text."""
        return self.exclude(orphan_revision=None).exclude(status=ClaimStatus.DISMISSED)


class Claim(models.Model):
    Status = ClaimStatus

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.RETRACTED)

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    part = models.CharField(
        max_length=16,
        choices=Part.choices,
        default=Part.BODY,
        help_text="The part of the article the offsets count in.",
    )
    # Set when a new revision of the article could not take this claim: its
    # offsets then keep pointing into the revision it was made on.
    orphan_revision = models.ForeignKey(
        ArticleRevision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orphans",
    )
    start = models.PositiveIntegerField(help_text="Code point offset of the first character.")
    end = models.PositiveIntegerField(help_text="Code point offset just past the last character.")
    quote = models.TextField()
    prefix = models.CharField(max_length=anchoring.CONTEXT_LENGTH, blank=True)
    suffix = models.CharField(max_length=anchoring.CONTEXT_LENGTH, blank=True)
    claim_text = models.TextField(
        blank=True, help_text="The statement as the fact-checker phrases it."
    )
    claimant = models.CharField(max_length=300, blank=True)
    headline = models.CharField(
        max_length=200,
        blank=True,
        help_text="The public headline (ClaimReview claimReviewed); 75 characters or fewer "
        "is advised. Empty: the claim text.",
    )
    claim_date = models.DateField(
        null=True, blank=True, help_text="When the claim was made; the article's date by default."
    )
    appearance_url = models.URLField(
        max_length=2000,
        blank=True,
        validators=[http_url],
        help_text="Where the claim appeared; the article's URL by default.",
    )
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
    # A working copy of a published claim under correction points at it; so
    # do the earlier copies, superseded or dropped, which keep their history.
    correction_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction_copies",
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
    # Desk coordination: who researches the claim, whom its review is asked
    # of (empty: any reviewer), by when, and how urgently. Changed only by
    # ``workflow.assign`` (and ``submit`` for the reviewer), each change an event.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims_assigned",
        help_text="Who researches the claim.",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews_requested",
        help_text="The reviewer asked to review it; empty: any reviewer.",
    )
    due = models.DateTimeField(null=True, blank=True, help_text="When the check is due.")
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
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
            models.Index(fields=["assignee", "status"], name="claim_assignee_status_idx"),
            models.Index(fields=["reviewer", "status"], name="claim_reviewer_status_idx"),
            models.Index(fields=["status", "due"], name="claim_status_due_idx"),
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
            models.UniqueConstraint(
                fields=["correction_of"],
                condition=Q(status__in=("draft", "in_review")),
                name="claim_one_pending_correction",
            ),
            models.CheckConstraint(condition=Q(part__in=Part.values), name="claim_part_valid"),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="claim_priority_valid"
            ),
        ]

    def __str__(self) -> str:
        text = self.claim_text or self.quote
        return text if len(text) <= 80 else text[:79] + "…"

    def save(self, *args, **kwargs) -> None:
        # The single gate of the offset/quote invariant: admin, views, API
        # and importer-made claims all pass here.
        anchored = anchoring.span(self.anchor_text(), self.start, self.end, self.quote)
        self.prefix, self.suffix = anchored.prefix, anchored.suffix
        if not self.claim_text.strip():
            self.claim_text = self.quote
        if self._state.adding:
            # Defaults the editor sees in the form and may change.
            if self.claim_date is None:
                self.claim_date = self.article.published_on
            if not self.appearance_url:
                self.appearance_url = self.article.original_url
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("annotations:claim_detail", args=[self.article_id, self.pk])

    def get_public_url(self) -> str:
        return reverse("annotations:factcheck_detail", args=[self.pk])

    @property
    def public_headline(self) -> str:
        return self.headline or self.claim_text

    @property
    def date_made(self):
        """The claim's date, or its article's when none was recorded."""
        return self.claim_date or self.article.published_on

    @property
    def appeared_at(self) -> str:
        """Where the claim appeared, or its article's URL when none was recorded."""
        return self.appearance_url or self.article.original_url

    def anchor_text(self) -> str:
        """The text the offsets count in: the part of the current article, or
        of the revision an orphan was made on."""
        source = self.orphan_revision if self.orphan_revision_id else self.article
        return source.text_of(self.part)

    @property
    def is_orphan(self) -> bool:
        return self.orphan_revision_id is not None

    def revisions_since_published(self) -> list[ArticleRevision]:
        """Revisions of the article made after this claim was published: the
        public page says so and links to what changed."""
        if not self.published_at:
            return []
        return list(
            self.article.revisions.filter(created_at__gt=self.published_at).order_by("number")
        )

    @property
    def status_enum(self) -> Claim.Status:
        return Claim.Status(self.status)

    @property
    def is_public(self) -> bool:
        return self.status_enum.is_public

    @cached_property
    def pending_correction(self) -> Claim | None:
        """The working copy of a correction under way, if any."""
        return self.correction_copies.filter(
            status__in=(ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW)
        ).first()

    def etag(self) -> str:
        return f'"claim-{self.pk}-v{self.version}"'


class Archive(models.Model):
    """A copy of a source as fetched once: WARC record, readable text, a
    sanitized page, optionally a screenshot. Written whole or not at all."""

    class Status(models.TextChoices):
        OK = "ok", "Archived"
        FAILED = "failed", "Failed"

    url = models.URLField(max_length=2000)
    final_url = models.URLField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    error = models.TextField(blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    fetched_at = models.DateTimeField()
    sha256 = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    text_sha256 = models.CharField(max_length=64, blank=True)
    warc = models.FileField(upload_to="archives/", max_length=300, blank=True)
    html = models.FileField(upload_to="archives/", max_length=300, blank=True)
    screenshot = models.FileField(upload_to="archives/", max_length=300, blank=True)

    class Meta:
        ordering = ["-fetched_at", "-id"]

    def __str__(self) -> str:
        return f"{self.url} @ {self.fetched_at:%Y-%m-%d %H:%M}"

    @property
    def is_ok(self) -> bool:
        return self.status == self.Status.OK


class Evidence(models.Model):
    class Kind(models.TextChoices):
        URL = "url", "Link"
        FILE = "file", "Uploaded file"
        PROTECTED = "protected", "Protected source"

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports the verdict"
        REFUTES = "refutes", "Refutes the claim"
        CONTEXT = "context", "Context"

    class LinkStatus(models.TextChoices):
        UNCHECKED = "", "Not checked yet"
        OK = "ok", "Unchanged"
        CHANGED = "changed", "Changed since archived"
        GONE = "gone", "Gone"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.URL)
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.SUPPORTS)
    url = models.URLField(max_length=2000, blank=True, validators=[http_url])
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    excerpt = models.TextField(blank=True)
    note = models.TextField(blank=True, help_text="Internal note; never public.")
    file = models.FileField(upload_to="evidence/", max_length=300, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    thumbnail = models.FileField(upload_to="evidence/", max_length=300, blank=True)
    protected_reason = models.TextField(
        blank=True, help_text="Why the source cannot be shown; public, without details."
    )
    archive = models.ForeignKey(
        Archive, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    link_status = models.CharField(
        max_length=10, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED, blank=True
    )
    link_checked_at = models.DateTimeField(null=True, blank=True)
    link_since = models.DateTimeField(null=True, blank=True)
    link_failures = models.PositiveSmallIntegerField(default=0)
    link_next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "added_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="url", url__startswith="http://")
                    | Q(kind="url", url__startswith="https://")
                    | (Q(kind="file") & ~Q(file=""))
                    | (Q(kind="protected") & ~Q(protected_reason=""))
                ),
                name="evidence_kind_complete",
                violation_error_message=(
                    "A source needs a link, an uploaded file or the reason it is protected."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title or self.url or self.get_kind_display()

    def clean(self) -> None:
        if self.kind == self.Kind.URL and not self.url:
            raise ValidationError({"url": "This field is required."})
        if self.kind == self.Kind.PROTECTED and not self.protected_reason.strip():
            raise ValidationError({"protected_reason": "Say why the source cannot be shown."})

    def as_dict(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in ("url", "title", "publisher", "excerpt", "note")}

    def copy_fields(self) -> dict:
        """Everything a copy of this source (in a correction) keeps, its
        archive and link state included."""
        skip = {"id", "claim", "added_by", "added_at"}
        return {
            f.attname: getattr(self, f.attname)
            for f in self._meta.concrete_fields
            if f.name not in skip
        }

    @property
    def archive_pending(self) -> bool:
        return self.kind == self.Kind.URL and self.archive_id is None

    @property
    def is_backed(self) -> bool:
        """A reader can check it: a working link, an archived copy, a file, or
        a stated reason why it cannot be shown."""
        if self.kind == self.Kind.FILE:
            return bool(self.file)
        if self.kind == self.Kind.PROTECTED:
            return bool(self.protected_reason.strip())
        if self.archive_id is None or self.archive.is_ok:
            # A copy on its way does not hold approval up; a failed one does.
            return True
        return self.link_status in (self.LinkStatus.OK, self.LinkStatus.CHANGED)


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
        REANCHORED = "reanchored", "Re-anchored"
        ORPHANED = "orphaned", "Orphaned"
        REATTACHED = "reattached", "Re-attached"
        ASSIGNED = "assigned", "Assignment changed"

    # What shapes a verdict, for the four-eyes rule (Claim.verdict_author_ids).
    VERDICT_FIELDS = frozenset({"rating", "summary", "rationale"})
    VERDICT_ACTIONS = (Action.EVIDENCE_ADDED, Action.EVIDENCE_CHANGED, Action.EVIDENCE_REMOVED)

    # History outlives nothing it describes: a claim with events cannot be
    # deleted by accident (the workflow removes a never-submitted draft's).
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events")
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
        indexes = [
            models.Index(fields=["claim", "created_at"], name="event_claim_idx"),
            # The desk statistics count events of some kinds in a period.
            models.Index(fields=["action", "created_at"], name="event_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} on {self.created_at:%Y-%m-%d %H:%M}"


class Correction(AppendOnlyModel):
    """A public correction entry: what changed in a published fact-check, and why."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="corrections")
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


class CorpusVersion(models.Model):
    """A single counter row that moves whenever anything the public API shows
    changes: database triggers on those tables bump it (see
    ``annotations.corpus``), so cached public pages are keyed by it."""

    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="corpus_version_singleton")]

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
        WITHDRAWN = "withdrawn", "Withdrawn for review"

    cursor = models.BigIntegerField(unique=True)
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cursor"]
        verbose_name_plural = "change entries"

    def __str__(self) -> str:
        return f"#{self.cursor} {self.action} claim {self.claim_id}"


class PublicPage(models.Model):
    """An admin-edited page of the public site: methodology, corrections
    policy, about and funding. Plain text, paragraphs separated by a blank
    line; links are made clickable, nothing else is interpreted."""

    class Slug(models.TextChoices):
        METHODOLOGY = "methodology", "Methodology"
        CORRECTIONS = "corrections-policy", "Corrections policy"
        ABOUT = "about", "About and funding"

    slug = models.SlugField(max_length=40, unique=True, choices=Slug.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("annotations:public_page", args=[self.slug])


class ReadingPreference(models.Model):
    """A reader's own settings, kept per account so they follow the person
    from one browser or session to the next."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_preference"
    )
    show_hints = models.BooleanField(
        default=True, help_text="Show check-worthiness hints and suggested claims in the reader."
    )

    def __str__(self) -> str:
        return f"Reading preferences of {self.user}"

    @classmethod
    def shows_hints(cls, user) -> bool:
        found = cls.objects.filter(user=user).values_list("show_hints", flat=True).first()
        return True if found is None else found


class ArticleEvent(AppendOnlyModel):
    """One step in an article's history: a metadata edit or a new revision,
    with who, when and before/after values."""

    class Action(models.TextChoices):
        EDITED = "edited", "Edited"
        REVISED = "revised", "New revision"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [before, after]}")
    summary = models.JSONField(
        default=dict, blank=True, help_text="For a revision: claims exact, fuzzy, orphaned."
    )
    revision = models.PositiveIntegerField(help_text="The article's revision after this step.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "created_at"], name="article_event_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} on {self.created_at:%Y-%m-%d %H:%M}"


class ClaimEmbedding(models.Model):
    """A claim's sentence embedding (``matching``), kept beside the claim so
    that similar claims are ranked without re-embedding the corpus."""

    claim = models.OneToOneField(
        Claim, primary_key=True, on_delete=models.CASCADE, related_name="embedding"
    )
    # float16 little-endian: half the size of float32, and the ranking
    # reads it back into float32 before the dot product.
    vector = models.BinaryField()
    model = models.CharField(max_length=64)
    text_hash = models.CharField(max_length=64, help_text="sha256 of the text embedded.")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return f"Embedding of claim {self.claim_id}"


class ClaimRelation(models.Model):
    """Relations such as "same claim as", stored in both directions, so each claim lists its
    related fact-checks with one join."""

    class Kind(models.TextChoices):
        SAME_CLAIM = "same_claim", "Same claim as"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations")
    other = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SAME_CLAIM)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "other"], name="claim_relation_unique"),
            models.CheckConstraint(condition=~Q(claim=F("other")), name="claim_relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.get_kind_display().lower()} {self.other_id}"


class SavedSearch(models.Model):
    """A workspace search kept by name in its owner's sidebar."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=2000, blank=True, help_text="The URL query string.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_search_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        url = reverse("annotations:search")
        return f"{url}?{self.query}" if self.query else url


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "Assigned to you"
    REVIEW_REQUESTED = "review_requested", "Review requested from you"
    CHANGES_REQUESTED = "changes_requested", "Changes requested on your claim"
    PUBLISHED = "published", "Your claim was published"
    RETRACTED = "retracted", "Your claim was retracted"
    MENTIONED = "mentioned", "You were mentioned"


class Notification(models.Model):
    """Something a person should know about a claim: an inbox entry, and an
    email when they want one (``NotificationPreference``). Written by
    ``annotations.notifications`` only, from the claim's events."""

    Kind = NotificationKind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # A draft deleted as marked by mistake takes its notifications with it.
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(
        ClaimEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=500)
    # False when the person wants this kind by email only: the row is kept
    # for the email (sent once, ``emailed_at``) and never shown in the inbox.
    in_inbox = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.recipient})"


class NotificationPreference(models.Model):
    """A person's choice for one kind of notification; without a row, both
    the inbox entry and the email are on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    inbox = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        """Neither accepted nor revoked (an open one may have expired)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An admin's invitation to join the desk with some roles, sent by email
    as a one-time link. Only a hash of the link's token is stored, so the
    table cannot be read for working links; the account is made when the
    invitee accepts (``annotations.team.accept``)."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        EXPIRED = "expired", "Expired"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"

    email = models.EmailField()
    username = models.CharField(
        max_length=150, blank=True, help_text="Fixed for the invitee when given."
    )
    roles = models.JSONField(default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open invitation per address: a second one is a resend.
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_open_email_unique",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.email}"

    @staticmethod
    def hash_token(token: str) -> str:
        # The token is 256 random bits: a plain hash cannot be reversed.
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING


class TeamEvent(AppendOnlyModel):
    """The team's audit trail: who invited whom, changed whose roles, or
    deactivated whom, and when."""

    class Action(models.TextChoices):
        INVITED = "invited", "Invited"
        INVITATION_RESENT = "invitation_resent", "Invitation resent"
        INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
        JOINED = "joined", "Joined"
        ROLES_CHANGED = "roles_changed", "Roles changed"
        DEACTIVATED = "deactivated", "Deactivated"
        REACTIVATED = "reactivated", "Reactivated"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_events",
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    action = models.CharField(max_length=24, choices=Action.choices)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [before, after]}")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} on {self.created_at:%Y-%m-%d %H:%M}"
