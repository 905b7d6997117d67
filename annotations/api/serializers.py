"""JSON shapes of the API.

Read serializers decide what the public sees: evidence notes and the
history are for editors only (``show_internal`` in the context). Write
serializers only check types; every rule about claims lives in
``workflow`` and every rule about articles in ``importers``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotations import workflow
from annotations.api.filters import MAX_ID
from annotations.models import (
    Article,
    ChangeEntry,
    Claim,
    ClaimEvent,
    ClaimRelation,
    Correction,
    Evidence,
    Notification,
    Part,
    Priority,
    Rating,
)


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def shows_internal(serializer: serializers.BaseSerializer) -> bool:
    return bool(serializer.context.get("show_internal"))


class RatingSerializer(serializers.ModelSerializer):
    value = serializers.IntegerField(
        allow_null=True,
        read_only=True,
        help_text="1 (worst) to 5 (best); null for verdicts outside the scale (Unverifiable).",
    )

    class Meta:
        model = Rating
        fields = ["label", "slug", "value", "description"]


class RatingSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["label", "slug", "value"]


class EvidenceSerializer(serializers.ModelSerializer):
    """One evidence source; ``note`` is internal and only editors receive it."""

    class Meta:
        model = Evidence
        fields = ["id", "kind", "stance", "url", "title", "publisher", "excerpt", "note"]
        fields += ["added_at", "archive", "file", "protected_reason"]

    archive = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField()

    def to_representation(self, instance: Evidence) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not shows_internal(self):
            data.pop("note", None)
            if instance.kind == Evidence.Kind.PROTECTED:
                # The public learns that a protected source exists and why, nothing more.
                data.update(title="", publisher="", excerpt="")
        return data

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "description": "Null while the copy is being made.",
            "properties": {
                "status": {"type": "string", "enum": ["ok", "failed"]},
                "fetched_at": {"type": "string", "format": "date-time"},
                "sha256": {"type": "string"},
                "http_status": {"type": "integer", "nullable": True},
                "url": {"type": "string", "nullable": True},
            },
        }
    )
    def get_archive(self, instance: Evidence) -> dict[str, Any] | None:
        copy = instance.archive
        if copy is None:
            return None
        return {
            "status": copy.status,
            "fetched_at": serializers.DateTimeField().to_representation(copy.fetched_at),
            "sha256": copy.sha256,
            "http_status": copy.http_status,
            "url": self._absolute(reverse("annotations:archived_copy", args=[instance.pk]))
            if copy.is_ok
            else None,
        }

    @extend_schema_field({"type": "string", "nullable": True})
    def get_file(self, instance: Evidence) -> str | None:
        if instance.kind != Evidence.Kind.FILE:
            return None
        return self._absolute(reverse("annotations:source_file", args=[instance.pk]))


class CorrectionSerializer(serializers.ModelSerializer):
    changes = serializers.SerializerMethodField()

    class Meta:
        model = Correction
        fields = ["note", "changes", "created_at"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_changes(self, correction: Correction) -> dict[str, Any]:
        """``{field: [before, after]}``; evidence lists lose their internal notes."""
        if shows_internal(self):
            return correction.changes
        changes = dict(correction.changes)
        if "evidence" in changes:
            changes["evidence"] = [
                [{k: v for k, v in item.items() if k != "note"} for item in (side or [])]
                for side in changes["evidence"]
            ]
        return changes


class ArticleRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")

    class Meta:
        model = Article
        fields = ["id", "title", "url", "source_url"]


class RelatedClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    relation = serializers.ChoiceField(choices=ClaimRelation.Kind.choices)
    claim_text = serializers.CharField()
    status = serializers.ChoiceField(choices=Claim.Status.choices)
    rating = serializers.CharField(allow_null=True, help_text="The verdict's slug.")
    factcheck_url = serializers.URLField(allow_null=True)


class ClaimSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail")
    article = ArticleRefSerializer(read_only=True)
    rating = RatingSummarySerializer(read_only=True, allow_null=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)
    factcheck_url = serializers.SerializerMethodField(
        help_text="The public, human-readable page of the fact-check (published and "
        "retracted claims only)."
    )
    related = serializers.SerializerMethodField(
        help_text='Fact-checks of the same claim on other articles ("Same claim as"); the '
        "public sees published and retracted ones only."
    )

    assignee = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Who researches the claim (username), or null. Editors only.",
    )
    reviewer = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="The reviewer asked to review it (username), or null for any reviewer. "
        "Editors only.",
    )
    due = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the check is due, or null. Editors only."
    )
    priority = serializers.ChoiceField(
        choices=Priority.choices, read_only=True, help_text="normal or urgent. Editors only."
    )

    # Fields the public representation leaves out: internal to the desk.
    INTERNAL_FIELDS = ("correction_of", "assignee", "reviewer", "due", "priority")

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "article",
            "part",
            "quote",
            "prefix",
            "suffix",
            "start",
            "end",
            "claim_text",
            "claimant",
            "headline",
            "claim_date",
            "appearance_url",
            "rating",
            "summary",
            "rationale",
            "evidence",
            "status",
            "retraction_note",
            "published_at",
            "updated_at",
            "version",
            "corrections",
            "factcheck_url",
            "correction_of",
            "related",
            "assignee",
            "reviewer",
            "due",
            "priority",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_factcheck_url(self, claim: Claim) -> str | None:
        if not claim.is_public:
            return None
        return absolute(
            self.context.get("request"), reverse("annotations:factcheck_detail", args=[claim.pk])
        )

    @extend_schema_field(RelatedClaimSerializer(many=True))
    def get_related(self, claim: Claim) -> list[dict[str, Any]]:
        request = self.context.get("request")
        related = []
        for relation in claim.relations.all():
            other = relation.other
            if not (other.is_public or shows_internal(self)):
                continue
            public_page = reverse("annotations:factcheck_detail", args=[other.pk])
            related.append(
                {
                    "id": other.pk,
                    "url": absolute(request, reverse("api:claim-detail", args=[other.pk])),
                    "relation": relation.kind,
                    "claim_text": other.claim_text,
                    "status": other.status,
                    "rating": other.rating.slug if other.rating else None,
                    "factcheck_url": absolute(request, public_page) if other.is_public else None,
                }
            )
        return related

    def to_representation(self, instance: Claim) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not shows_internal(self):
            for name in self.INTERNAL_FIELDS:
                data.pop(name, None)
        return data


class ArticleIdField(serializers.PrimaryKeyRelatedField):
    """An article id; numbers beyond the database's range are simply unknown."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = int(data)
        except ValueError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= pk <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(pk)


# Free text has no column limit; this one keeps a single request's work and
# storage bounded all the same.
TEXT_MAX = 20_000


def model_max(model, name: str) -> int:
    """The column's own limit, so that an over-long value is a 400 on every
    database instead of a truncation on SQLite and a 500 on PostgreSQL."""
    return model._meta.get_field(name).max_length or TEXT_MAX


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not know: a misspelt field must not be dropped
    in silence (nor reach the code behind it)."""

    ignored = frozenset({"csrfmiddlewaretoken"})

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields) - self.ignored)
            if unknown:
                raise serializers.ValidationError({key: ["Unknown field."] for key in unknown})
        return super().to_internal_value(data)


class ClaimCreateSerializer(StrictSerializer):
    article = ArticleIdField(queryset=Article.objects.all())
    part = serializers.ChoiceField(
        choices=Part.choices,
        default=Part.BODY,
        help_text="The part of the article the offsets and quote are in (body by default).",
    )
    start = serializers.IntegerField(
        required=False, min_value=0, help_text="Code point offset of the first character."
    )
    end = serializers.IntegerField(
        required=False, min_value=0, help_text="Code point offset just past the last character."
    )
    quote = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="The exact text. Without offsets, it must occur once in the article "
        "(with prefix/suffix when given), or the request is refused as absent or ambiguous.",
    )
    prefix = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=TEXT_MAX
    )
    suffix = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=TEXT_MAX
    )
    claim_text = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    claimant = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=model_max(Claim, "claimant"),
        help_text="Who made the claim. Omitted, it is guessed from the article by the same "
        'attribution rules as the workspace; "" records nobody.',
    )
    allow_short = serializers.BooleanField(
        required=False,
        help_text="Mark a selection of fewer than 3 letters, which is otherwise refused.",
    )


class ClaimUpdateSerializer(StrictSerializer):
    claim_text = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    claimant = serializers.CharField(
        required=False, allow_blank=True, max_length=model_max(Claim, "claimant")
    )
    headline = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=model_max(Claim, "headline"),
        help_text="The public headline (ClaimReview claimReviewed); 75 characters or fewer "
        "is advised. Empty: the claim text stands in.",
    )
    claim_date = serializers.DateField(
        required=False, allow_null=True, help_text="When the claim was made (YYYY-MM-DD)."
    )
    appearance_url = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=model_max(Claim, "appearance_url"),
        help_text="Where the claim appeared.",
    )
    rating = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Rating.objects.all(),
        required=False,
        allow_null=True,
        help_text="A rating slug from /api/v1/ratings/, or null to clear the verdict.",
    )
    summary = serializers.CharField(
        required=False, allow_blank=True, max_length=model_max(Claim, "summary")
    )
    rationale = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.all(),
        required=False,
        allow_null=True,
        help_text="Who researches the claim: an editor's or reviewer's username, or null "
        "for nobody. Drafts and claims in review.",
    )
    reviewer = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.all(),
        required=False,
        allow_null=True,
        help_text="The reviewer asked to review it (a reviewer's username), or null for any "
        "reviewer. Drafts and claims in review.",
    )
    due = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="When the check is due (ISO 8601; without an offset, the server's time "
        "zone), or null.",
    )
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you edited (instead of If-Match)."
    )


class EvidenceWriteSerializer(StrictSerializer):
    url = serializers.CharField(
        required=False, allow_blank=True, max_length=model_max(Evidence, "url")
    )
    title = serializers.CharField(
        required=False, allow_blank=True, max_length=model_max(Evidence, "title")
    )
    publisher = serializers.CharField(
        required=False, allow_blank=True, max_length=model_max(Evidence, "publisher")
    )
    excerpt = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=TEXT_MAX,
        help_text="Internal; never shown to the public.",
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The claim version you edited (instead of If-Match)."
    )


class TransitionSerializer(StrictSerializer):
    action = serializers.ChoiceField(choices=list(workflow.ACTIONS))
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX
    )
    version = serializers.IntegerField(required=False, min_value=1)


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ClaimEvent
        fields = [
            "id",
            "action",
            "actor",
            "changes",
            "comment",
            "from_status",
            "to_status",
            "version",
            "created_at",
        ]


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    annotations = serializers.HyperlinkedIdentityField(view_name="api:article-annotations")
    counts = serializers.SerializerMethodField(
        help_text="Claims per status: published and retracted for everyone, every status "
        "for editors."
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "title",
            "standfirst",
            "byline",
            "source_name",
            "source_url",
            "canonical_url",
            "published_on",
            "language",
            "revision",
            "created_at",
            "counts",
            "annotations",
        ]

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "integer"}},
    )
    def get_counts(self, article: Article) -> dict[str, int]:
        statuses = (
            Claim.Status.values
            if shows_internal(self)
            else [s.value for s in Claim.PUBLIC_STATUSES]
        )
        return {status: getattr(article, f"{status}_count", 0) for status in statuses}


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "captions", "body"]


class ArticleCreateSerializer(StrictSerializer):
    title = serializers.CharField(trim_whitespace=False, max_length=model_max(Article, "title"))
    body = serializers.CharField(
        trim_whitespace=False,
        max_length=settings.FACTCHECK_ARTICLE_MAX_CHARS,
        help_text="Plain text, at most FACTCHECK_ARTICLE_MAX_CHARS characters.",
    )
    standfirst = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    byline = serializers.CharField(
        required=False, allow_blank=True, max_length=model_max(Article, "byline")
    )
    source_name = serializers.CharField(
        required=False, allow_blank=True, max_length=model_max(Article, "source_name")
    )
    source_url = serializers.CharField(
        required=False, allow_blank=True, max_length=model_max(Article, "source_url")
    )
    published_on = serializers.DateField(required=False, allow_null=True)
    language = serializers.CharField(
        required=False, allow_blank=True, max_length=model_max(Article, "language")
    )
    captions = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=TEXT_MAX,
        help_text="Photo captions, one per line.",
    )


class ChangeEntrySerializer(serializers.ModelSerializer):
    claim_url = serializers.HyperlinkedRelatedField(
        source="claim", view_name="api:claim-detail", read_only=True
    )

    # Not read_only: the schema would then list it as always present.
    claim_data = serializers.JSONField(
        required=False,
        help_text="With expand=claim: the claim as it is now (the shape of the claim "
        "detail), or only its id and status once it is no longer published (retracted, "
        "withdrawn).",
    )

    class Meta:
        model = ChangeEntry
        fields = ["cursor", "claim", "claim_url", "action", "at", "claim_data"]


class ChangesPageSerializer(serializers.Serializer):
    results = ChangeEntrySerializer(many=True)
    after = serializers.IntegerField(help_text="The cursor this page continues from.")
    next_cursor = serializers.IntegerField(
        help_text="Pass as ?after= to continue; equal to ``after`` when nothing new has come."
    )
    next = serializers.URLField(help_text="The URL of the next page.")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        style={"input_type": "password"}, trim_whitespace=False, max_length=4096
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires = serializers.DateTimeField(help_text="When the token stops working.")


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(required=False)
    current_version = serializers.IntegerField(required=False)


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class SimilarClaimSerializer(serializers.Serializer):
    claim = ClaimSerializer()
    score = serializers.FloatField(
        min_value=0, max_value=1, help_text="1 is the same meaning; see the README for the scale."
    )


class SimilarClaimsSerializer(serializers.Serializer):
    results = SimilarClaimSerializer(many=True)


class SimilarQuerySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=20)
    status = serializers.ChoiceField(choices=["public", "any"], required=False)
    exclude = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


# --- desk statistics (annotations.stats) ---------------------------------


class StatsPeriodSerializer(serializers.Serializer):
    since = serializers.DateField(help_text="First day counted.")
    until = serializers.DateField(help_text="Last day counted (inclusive).")
    week_count = serializers.IntegerField(help_text="How many ISO weeks the period touches.")
    time_zone = serializers.CharField(help_text="The time zone days and weeks are counted in.")


class StatsCountsSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="Claims marked.")
    submitted = serializers.IntegerField(
        help_text="Submissions for review; a resubmission counts again."
    )
    published = serializers.IntegerField(help_text="Approvals (publications).")
    dismissed = serializers.IntegerField(help_text="Dismissals.")
    corrected = serializers.IntegerField(help_text="Corrections published.")
    retracted = serializers.IntegerField(help_text="Retractions.")


class StatsWeekSerializer(StatsCountsSerializer):
    week = serializers.DateField(help_text="The Monday that starts the ISO week.")

    def get_fields(self):
        # The week first, then the counts, as in the CSV.
        fields = super().get_fields()
        return {"week": fields.pop("week"), **fields}


class StatsDurationSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many durations were measured.")
    median_seconds = serializers.IntegerField(allow_null=True)
    median_hours = serializers.FloatField(allow_null=True)
    p90_seconds = serializers.IntegerField(allow_null=True, help_text="90th percentile.")
    p90_hours = serializers.FloatField(allow_null=True)


class StatsDurationsSerializer(serializers.Serializer):
    mark_to_publish = StatsDurationSerializer(
        help_text="From marking a claim to its first approval, for claims first approved "
        "in the period."
    )
    submit_to_review = StatsDurationSerializer(
        help_text="From each submission to the decision on it (approved, changes requested "
        "or dismissed), for decisions in the period."
    )


class StatsVerdictSerializer(serializers.Serializer):
    rating = serializers.CharField(allow_null=True, help_text="The rating's slug; null: none.")
    label = serializers.CharField()
    count = serializers.IntegerField()


class StatsPersonSerializer(serializers.Serializer):
    username = serializers.CharField(allow_null=True, help_text="Null for a removed account.")
    marked = serializers.IntegerField()
    submitted = serializers.IntegerField()
    approved = serializers.IntegerField(help_text="Claims this person published as reviewer.")
    reviewed = serializers.IntegerField(
        help_text="Decisions on submissions: approved, changes requested or dismissed."
    )
    median_review_seconds = serializers.IntegerField(allow_null=True)
    median_review_hours = serializers.FloatField(allow_null=True)


class StatsSerializer(serializers.Serializer):
    period = StatsPeriodSerializer()
    weeks = StatsWeekSerializer(many=True, help_text="Every week of the period, empty ones too.")
    totals = StatsCountsSerializer()
    durations = StatsDurationsSerializer()
    verdicts = StatsVerdictSerializer(
        many=True,
        help_text="Claims published in the period and public now, by current verdict, in the "
        "order of the rating scale, then those without one.",
    )
    people = StatsPersonSerializer(many=True)


# --- notifications ---------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    claim = serializers.IntegerField(source="claim_id", read_only=True)
    claim_url = serializers.SerializerMethodField(
        help_text="The claim in the workspace (for editors)."
    )
    actor = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Who did it."
    )
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "message",
            "claim",
            "claim_url",
            "actor",
            "created_at",
            "read",
            "read_at",
        ]

    def get_claim_url(self, notification: Notification) -> str:
        return absolute(self.context.get("request"), notification.claim.get_absolute_url())

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class NotificationReadSerializer(StrictSerializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=1000,
        help_text="Notifications to mark read; ids that are not yours are ignored.",
    )
    all = serializers.BooleanField(
        required=False, help_text="`true`: mark every notification of yours read."
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if ("ids" in data) == bool(data.get("all")):
            raise serializers.ValidationError(
                {"ids": ['Send either "ids" (a list of notification ids) or "all": true.']}
            )
        return data


class NotificationReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many unread notifications were marked read.")
