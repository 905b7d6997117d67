"""JSON shapes of the API.

Read serializers decide what the public sees: evidence notes and the
history are for editors only (``show_internal`` in the context). Write
serializers only check types; every rule about claims lives in
``workflow`` and every rule about articles in ``importers``.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotations import workflow
from annotations.api.filters import MAX_ID
from annotations.models import Article, ChangeEntry, Claim, ClaimEvent, Correction, Evidence, Rating


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
        fields = ["id", "url", "title", "publisher", "excerpt", "note", "added_at"]

    def to_representation(self, instance: Evidence) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not shows_internal(self):
            data.pop("note", None)
        return data


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

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "article",
            "quote",
            "prefix",
            "suffix",
            "start",
            "end",
            "claim_text",
            "claimant",
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
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_factcheck_url(self, claim: Claim) -> str | None:
        if not claim.is_public:
            return None
        return absolute(
            self.context.get("request"), reverse("annotations:factcheck_detail", args=[claim.pk])
        )

    def to_representation(self, instance: Claim) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not shows_internal(self):
            data.pop("correction_of", None)
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


class ClaimCreateSerializer(serializers.Serializer):
    article = ArticleIdField(queryset=Article.objects.all())
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
    prefix = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    suffix = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    claim_text = serializers.CharField(required=False, allow_blank=True)
    claimant = serializers.CharField(required=False, allow_blank=True)


class ClaimUpdateSerializer(serializers.Serializer):
    claim_text = serializers.CharField(required=False, allow_blank=True)
    claimant = serializers.CharField(required=False, allow_blank=True)
    rating = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Rating.objects.all(),
        required=False,
        allow_null=True,
        help_text="A rating slug from /api/v1/ratings/, or null to clear the verdict.",
    )
    summary = serializers.CharField(required=False, allow_blank=True)
    rationale = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you edited (instead of If-Match)."
    )


class EvidenceWriteSerializer(serializers.Serializer):
    url = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    title = serializers.CharField(required=False, allow_blank=True)
    publisher = serializers.CharField(required=False, allow_blank=True)
    excerpt = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="Internal; never shown to the public."
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The claim version you edited (instead of If-Match)."
    )


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(workflow.ACTIONS))
    comment = serializers.CharField(required=False, allow_blank=True, default="")
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
            "published_on",
            "language",
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


class ArticleCreateSerializer(serializers.Serializer):
    title = serializers.CharField(trim_whitespace=False)
    body = serializers.CharField(trim_whitespace=False)
    standfirst = serializers.CharField(required=False, allow_blank=True)
    byline = serializers.CharField(required=False, allow_blank=True)
    source_name = serializers.CharField(required=False, allow_blank=True)
    source_url = serializers.CharField(required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)
    language = serializers.CharField(required=False, allow_blank=True)
    captions = serializers.CharField(
        required=False, allow_blank=True, help_text="Photo captions, one per line."
    )


class ChangeEntrySerializer(serializers.ModelSerializer):
    claim_url = serializers.HyperlinkedRelatedField(
        source="claim", view_name="api:claim-detail", read_only=True
    )

    # Not read_only: the schema would then list it as always present.
    claim_data = serializers.JSONField(
        required=False,
        help_text="With expand=claim: the claim as it is now (the shape of the claim "
        "detail), or only its id and status once retracted.",
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
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(required=False)
    current_version = serializers.IntegerField(required=False)


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
