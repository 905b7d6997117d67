"""The consumer and editor API (/api/v1/).

Reads go through ``Claim.objects.public()`` for everyone but editors; writes
call ``workflow`` and ``importers`` and never touch a claim themselves.
Errors take one JSON shape (``errors.exception_handler``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from annotations import (
    corpus,
    csvsafe,
    importers,
    matching,
    notifications,
    permissions,
    search,
    stats,
    workflow,
)
from annotations.api import (
    claimjson,
    claimreview,
    feed,
    pagecache,
    sentences,
    serializers,
    webannotation,
)
from annotations.api.errors import PreconditionFailed, PreconditionRequired
from annotations.api.filters import MAX_ID, MAX_PAGE_SIZE, ClaimFilter, NewestFirstPagination
from annotations.models import Article, Claim, ClaimRelation, Evidence, Notification, Rating

ERRORS = {
    code: OpenApiResponse(serializers.ErrorSerializer, description=text)
    for code, text in {
        400: "Invalid input; `fields` says which.",
        401: "Authentication required (send `Authorization: Token ...`).",
        403: "Not allowed: the account lacks the role, or the workflow refuses (four eyes).",
        404: "No such resource, or not visible to you.",
        409: "The action does not apply in the claim's current state.",
        412: "If-Match (or `version`) is stale: `current_version` and the ETag header give "
        "the current one.",
        428: "If-Match (or `version` in the body) is required.",
        429: "Too many requests; wait `Retry-After` seconds.",
    }.items()
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    # Any request may carry a bad token (401) or come too often (429).
    return {code: ERRORS[code] for code in sorted({*codes, 401, 429})}


NOT_MODIFIED = {304: OpenApiResponse(description="Not modified: If-None-Match matched the ETag.")}


def read_errors(*codes: int) -> dict[int, OpenApiResponse]:
    """What a conditional GET may answer besides 200."""
    return {**NOT_MODIFIED, **errors(*codes)}


def bounded_int(maximum: int) -> dict[str, Any]:
    """The schema of a non-negative integer query parameter, as the view reads it."""
    return {"type": "integer", "minimum": 0, "maximum": maximum}


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag of the claim you edited, such as `"claim-12-v3"`.',
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An ETag from an earlier answer: 304 Not Modified when unchanged.",
)
ANNOTATION_SCHEMA = {
    "type": "object",
    "description": "A W3C Web Annotation (https://www.w3.org/TR/annotation-model/).",
    "additionalProperties": True,
}


# --- shared behaviour ----------------------------------------------------


class IsEditorOrReadOnly(BasePermission):
    """Reads are public (the querysets decide what is visible); writes and
    the history are for editors and reviewers."""

    message = "Only editors and reviewers can do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS and getattr(view, "action", None) not in getattr(
            view, "editor_only_actions", ()
        ):
            return True
        return permissions.is_editor(request.user)

    def has_object_permission(self, request: Request, view: APIView, obj) -> bool:
        # The querysets already hide what the caller may not see (a 404, which
        # does not confirm that a draft exists); this is the second lock.
        if isinstance(obj, Claim):
            return permissions.can_view_claim(request.user, obj)
        return True


class ConditionalMixin:
    """ETag on every successful read, 304 for a matching If-None-Match.

    Views may set their own ETag (a claim's version); otherwise it is a hash
    of the rendered representation, which still spares the bandwidth.
    """

    def public_page(
        self,
        request: Request,
        build: Callable[[], HttpResponse],
        *,
        page: pagecache.Page | None = None,
    ) -> HttpResponse:
        """Answer a public read from the page cache (or 304) when it applies,
        else ``build()`` it; see ``pagecache``."""
        if not pagecache.applies(request):
            return build()
        page = page or pagecache.Page.of(request)
        answer = page.not_modified(request) or page.load()
        if answer is not None:
            return answer
        response = build()
        response.page = page
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        page = getattr(response, "page", None)
        if page is not None and response.status_code == 200:
            response.render()
            page.store(response)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or getattr(response, "streaming", False)
        ):
            return response
        if not response.has_header("ETag"):
            if hasattr(response, "render"):
                response.render()
            response["ETag"] = f'W/"{hashlib.sha1(response.content).hexdigest()}"'
        header = request.headers.get("If-None-Match")
        if header and pagecache.etag_matches(header, response["ETag"]):
            not_modified = HttpResponse(status=304)
            for name in ("ETag", "Vary", "Cache-Control"):
                if response.has_header(name):
                    not_modified[name] = response[name]
            return not_modified
        return response


def annotation_response(data: dict[str, Any], request: Request, **kwargs) -> Response:
    response = Response(data, **kwargs)
    if webannotation.wants_annotation(request):
        # The protocol asks for the profile in Content-Type, whichever of the
        # ld+json forms the client accepted.
        response.content_type = f"{webannotation.ANNO_MEDIA_TYPE}; charset=utf-8"
    return response


def display_prefetches() -> list[Prefetch | str]:
    """What the claim JSON reads besides the claim, its article and rating."""
    evidence = Evidence.objects.select_related("archive").order_by("added_at", "id")
    related = ClaimRelation.objects.select_related("other__rating").order_by("created_at", "id")
    return [Prefetch("evidence", queryset=evidence), "corrections", Prefetch("relations", related)]


def claims_for_display(queryset, *, internal: bool = False):
    """Claims with what their JSON reads joined; ``internal`` adds the desk's
    people, which only editors see."""
    if internal:
        queryset = queryset.select_related("assignee", "reviewer")
    return queryset.select_related("article", "rating").prefetch_related(*display_prefetches())


def expected_version(
    request: Request, claim: Claim, body_version: int | None, *, required: bool
) -> int | None:
    """The claim version the client edited: from If-Match (our ETag), else from
    ``version`` in the body; 428 when required and absent, 412 when If-Match
    names another claim or is unreadable."""
    header = request.headers.get("If-Match")
    if header:
        if header.strip() == "*":
            return body_version
        for tag in header.split(","):
            tag = tag.strip().removeprefix("W/")
            prefix = f'"claim-{claim.pk}-v'
            if tag.startswith(prefix) and tag.endswith('"') and tag[len(prefix) : -1].isdigit():
                return int(tag[len(prefix) : -1])
        raise PreconditionFailed(claim, f"If-Match {header} does not match claim {claim.pk}.")
    if body_version is not None:
        return body_version
    if required:
        raise PreconditionRequired()
    return None


class SearchPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


# --- claims --------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List claims",
        description="Published claims, newest first. `status=retracted` lists retracted "
        "claims instead (each with its public `retraction_note`); editors may ask for any "
        "status. Cursor pagination: follow `next`; pages stay stable while claims are "
        f"published. `page_size` up to {MAX_PAGE_SIZE}.",
        parameters=[IF_NONE_MATCH],
        responses={200: serializers.ClaimSerializer(many=True), **read_errors(400, 404)},
    ),
    create=extend_schema(
        summary="Mark a claim (editors)",
        description="Give `article` and either `start`/`end` (code points; `quote` must then "
        "match) or `quote` with optional `prefix`/`suffix`: the server anchors the one place "
        "it occurs, or answers 400 saying it is absent or ambiguous. Answers 201 with the new "
        "draft and its ETag.",
        request=serializers.ClaimCreateSerializer,
        responses={201: serializers.ClaimSerializer, **errors(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="One claim",
        description="Anyone may read published and retracted claims; editors any claim. "
        "With `Accept: application/ld+json; "
        'profile="http://www.w3.org/ns/anno.jsonld"` the claim comes as a W3C Web '
        "Annotation with that media type. The ETag is the claim's version.",
        parameters=[IF_NONE_MATCH],
        responses={
            (200, "application/json"): serializers.ClaimSerializer,
            (200, webannotation.ANNO_MEDIA_TYPE): ANNOTATION_SCHEMA,
            (200, "application/ld+json"): ANNOTATION_SCHEMA,
            **read_errors(404),
        },
    ),
    partial_update=extend_schema(
        summary="Edit a draft claim (editors)",
        description="Claim text, claimant, rating (by slug), summary, rationale; and the "
        "desk's `assignee`, `reviewer` (usernames or null), `due` (ISO 8601 or null) and "
        "`priority`, alone or with the others in one transaction. Requires "
        "`If-Match` with the claim's ETag, or `version` in the body: a stale one answers "
        "412 with `current_version`, a missing one 428. Only drafts can be edited (409); "
        "the assignment fields apply to drafts and claims in review.",
        request=serializers.ClaimUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: serializers.ClaimSerializer, **errors(400, 401, 403, 404, 409, 412, 428)},
    ),
)
class ClaimViewSet(ConditionalMixin, GenericViewSet):
    permission_classes = [IsEditorOrReadOnly]
    serializer_class = serializers.ClaimSerializer
    filterset_class = ClaimFilter
    pagination_class = NewestFirstPagination
    lookup_value_regex = r"[0-9]{1,18}"
    editor_only_actions = ("history",)
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_renderers(self):
        if getattr(self, "action", None) == "retrieve":
            return [
                JSONRenderer(),
                webannotation.WebAnnotationRenderer(),
                webannotation.JsonLdRenderer(),
                BrowsableAPIRenderer(),
            ]
        if getattr(self, "action", None) == "claimreview":
            return [webannotation.JsonLdRenderer(), JSONRenderer()]
        return super().get_renderers()

    @property
    def internal(self) -> bool:
        return permissions.is_editor(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "show_internal": self.internal}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Claim.objects.none()
        queryset = Claim.objects.all() if self.internal else Claim.objects.public()
        if self.action == "list":
            if "status" not in self.request.query_params:
                queryset = queryset.published()
            return claims_for_display(queryset, internal=self.internal)
        if self.action in ("retrieve", "search", "similar"):
            return claims_for_display(queryset, internal=self.internal)
        return queryset.select_related("article", "rating")

    def cursor_ordering(self) -> tuple[str, ...]:
        wanted = self.request.query_params.get("status", Claim.Status.PUBLISHED)
        if wanted in Claim.PUBLIC_STATUSES:
            return ("-published_at", "-id")
        return ("-created_at", "-id")

    def _claim_response(self, claim: Claim, *, status_code: int = 200, **headers) -> Response:
        fresh = claims_for_display(Claim.objects.all(), internal=self.internal).get(pk=claim.pk)
        data = self.get_serializer(fresh).data
        return Response(data, status=status_code, headers={"ETag": fresh.etag(), **headers})

    def list(self, request: Request) -> Response:
        def build() -> Response:
            queryset = self.filter_queryset(self.get_queryset())
            if self.internal:
                page = self.paginate_queryset(queryset)
                return self.get_paginated_response(self.get_serializer(page, many=True).data)
            # The public JSON from values and plain functions (claimjson).
            page = self.paginate_queryset(claimjson.rows(queryset.prefetch_related(None)))
            return self.get_paginated_response(claimjson.claims(request, page))

        return self.public_page(request, build)

    def retrieve(self, request: Request, pk: str) -> Response:
        anno = "-anno" if webannotation.wants_annotation(request) else ""

        def build() -> Response:
            claim = self.get_object()
            if anno:
                response = annotation_response(webannotation.annotation(request, claim), request)
                response["ETag"] = f'"claim-{claim.pk}-v{claim.version}-anno"'
                return response
            return Response(self.get_serializer(claim).data, headers={"ETag": claim.etag()})

        if not pagecache.applies(request):
            return build()
        # One query reads the claim, its article, verdict and the corpus
        # version: the ETag stays the claim's version (If-Match on writes
        # reads it), so a 304 builds nothing, and a miss only adds the
        # evidence, corrections and related fact-checks.
        found = (
            Claim.objects.public()
            .select_related("article", "rating")
            .annotate(corpus_version=corpus.version_expression())
            .filter(pk=pk)
            .order_by()
        )
        claim = next(iter(found), None)
        if claim is None:
            return build()
        self.check_object_permissions(request, claim)

        def build_from_row() -> Response:
            prefetch_related_objects([claim], *display_prefetches())
            if anno:
                data = webannotation.annotation(request, claim)
                return annotation_response(data, request)
            return Response(self.get_serializer(claim).data)

        page = pagecache.Page.of(
            request, version=claim.corpus_version, etag=f'"claim-{claim.pk}-v{claim.version}{anno}"'
        )
        return self.public_page(request, build_from_row, page=page)

    def create(self, request: Request) -> Response:
        serializer = serializers.ClaimCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        article = data.pop("article")
        claim = workflow.mark(article, by=request.user, **data)
        location = reverse("api:claim-detail", args=[claim.pk])
        return self._claim_response(
            claim, status_code=201, Location=request.build_absolute_uri(location)
        )

    def partial_update(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        serializer = serializers.ClaimUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = expected_version(request, claim, data.pop("version", None), required=True)
        assignment = {name: data.pop(name) for name in workflow.ASSIGNMENT_FIELDS if name in data}
        # Both steps or neither: the edit and the assignment share one
        # transaction, the second checking the version the first produced.
        with transaction.atomic():
            if data or not assignment:
                claim = workflow.update(claim, by=request.user, version=version, **data)
                version = claim.version
            if assignment:
                claim = workflow.assign(claim, by=request.user, version=version, **assignment)
        return self._claim_response(claim)

    @extend_schema(
        summary="The claim as schema.org ClaimReview",
        description="JSON-LD as search engines read it; `url` is the public fact-check page. "
        "Published and retracted claims only (a retracted one has `creativeWorkStatus` "
        "Retracted and its note as a correction).",
        parameters=[IF_NONE_MATCH],
        responses={
            (200, "application/ld+json"): {"type": "object", "additionalProperties": True},
            **read_errors(404),
        },
    )
    @action(detail=True, methods=["get"])
    def claimreview(self, request: Request, pk: str) -> Response:
        def build() -> Response:
            claims = Claim.objects.public().select_related("article", "rating")
            return Response(claimreview.claim_review(request, get_object_or_404(claims, pk=pk)))

        return self.public_page(request, build)

    @extend_schema(
        summary="Add evidence to a draft (editors)",
        description="`url` (http or https), `title`, `publisher`, `excerpt`, `note` (internal). "
        "Requires If-Match with the claim's ETag (or `version`); the answer's ETag is the "
        "claim's new version.",
        request=serializers.EvidenceWriteSerializer,
        parameters=[IF_MATCH],
        responses={
            201: serializers.EvidenceSerializer,
            **errors(400, 401, 403, 404, 409, 412, 428),
        },
    )
    @action(detail=True, methods=["post"], url_path="evidence")
    def evidence(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        fields, version = self._evidence_input(request, claim, partial=False)
        evidence = workflow.add_evidence(claim, by=request.user, version=version, **fields)
        return self._evidence_response(evidence, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary="Change evidence of a draft (editors)",
        description="As for adding; only the fields sent change.",
        request=serializers.EvidenceWriteSerializer,
        parameters=[IF_MATCH],
        responses={
            200: serializers.EvidenceSerializer,
            **errors(400, 401, 403, 404, 409, 412, 428),
        },
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove evidence from a draft (editors)",
        description="Requires If-Match with the claim's ETag; answers 204 with the new ETag.",
        parameters=[IF_MATCH],
        request=None,
        responses={204: None, **errors(401, 403, 404, 409, 412, 428)},
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"evidence/(?P<evidence_id>[0-9]{1,18})",
        url_name="evidence-detail",
    )
    def evidence_detail(self, request: Request, pk: str, evidence_id: str) -> Response:
        claim = self.get_object()
        evidence = get_object_or_404(Evidence, pk=evidence_id, claim=claim)
        if request.method == "DELETE":
            version = expected_version(request, claim, self._body_version(request), required=True)
            claim = workflow.remove_evidence(evidence, by=request.user, version=version)
            return Response(status=status.HTTP_204_NO_CONTENT, headers={"ETag": claim.etag()})
        fields, version = self._evidence_input(request, claim, partial=True)
        evidence = workflow.change_evidence(evidence, by=request.user, version=version, **fields)
        return self._evidence_response(evidence, status.HTTP_200_OK)

    def _body_version(self, request: Request) -> int | None:
        serializer = serializers.EvidenceWriteSerializer(
            data={"version": request.data.get("version")} if "version" in request.data else {}
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data.get("version")

    def _evidence_input(
        self, request: Request, claim: Claim, *, partial: bool
    ) -> tuple[dict[str, str], int | None]:
        serializer = serializers.EvidenceWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = expected_version(request, claim, fields.pop("version", None), required=True)
        return fields, version

    def _evidence_response(self, evidence: Evidence, status_code: int) -> Response:
        claim = Claim.objects.get(pk=evidence.claim_id)
        data = serializers.EvidenceSerializer(evidence, context={"show_internal": True}).data
        return Response(data, status=status_code, headers={"ETag": claim.etag()})

    @extend_schema(
        summary="Move a claim through the workflow (editors, reviewers)",
        description="`action` is one of submit, approve, request_changes, dismiss, reopen, "
        "retract, start_correction; `comment` is required for request_changes, dismiss, "
        "retract (it becomes the public retraction note) and start_correction. Editors "
        "dismiss drafts, reviewers also claims in review. If-Match "
        "(or `version`) is optional; when given and stale the answer is 412, like every "
        "other precondition failure here. A refusal by role or by the four-eyes rule is 403, "
        "an action that does not apply in the claim's state is 409, both with the reason. "
        "Answers the claim; start_correction answers 201 with the new working copy.",
        request=serializers.TransitionSerializer,
        parameters=[IF_MATCH],
        responses={
            200: serializers.ClaimSerializer,
            201: serializers.ClaimSerializer,
            **errors(400, 401, 403, 404, 409, 412),
        },
        examples=[
            OpenApiExample("Approve", value={"action": "approve", "comment": ""}),
            OpenApiExample(
                "Retract", value={"action": "retract", "comment": "The source was misread."}
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        serializer = serializers.TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = expected_version(request, claim, data.get("version"), required=False)
        result = workflow.perform(
            data["action"], claim, by=request.user, version=version, comment=data["comment"]
        )
        if result.pk != claim.pk and result.correction_of_id == claim.pk:
            # A new working copy (start_correction).
            location = request.build_absolute_uri(reverse("api:claim-detail", args=[result.pk]))
            return self._claim_response(result, status_code=201, Location=location)
        return self._claim_response(result)

    @extend_schema(
        summary="The claim's history (editors)",
        description="Every step, oldest first: who, what, the changes and comments.",
        parameters=[IF_NONE_MATCH],
        responses={200: serializers.EventSerializer(many=True), **read_errors(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        events = workflow.history(claim).select_related("actor")
        return Response(serializers.EventSerializer(events, many=True).data)

    @extend_schema(
        summary="Search claims",
        description="Full-text search over the claim text, quote, claimant, summary and "
        "rationale (English word forms; on PostgreSQL also near spellings of names), with "
        "the filters and sort orders of the workspace search. Best match first when `q` is "
        "given. Anonymous callers and consumer tokens only ever get published and retracted "
        "claims; editors get every status unless they filter. Page-numbered: "
        f"`page`, `page_size` up to {MAX_PAGE_SIZE}.",
        responses={200: serializers.ClaimSerializer(many=True), **errors(400, 404)},
    )
    @action(
        detail=False,
        methods=["get"],
        filterset_class=search.ClaimSearchFilter,
        pagination_class=SearchPagination,
    )
    def search(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Earlier fact-checks of the same claim",
        description="Claims whose meaning is closest to `text`, best first, with a `score` "
        f"from 0 to 1 (from {matching.LIKELY_SAME} on, likely the same claim). Hybrid of "
        "sentence embeddings and shared words. Published and retracted claims only; editors "
        "may add `status=any` to include claims in progress.",
        parameters=[
            OpenApiParameter("text", OpenApiTypes.STR, required=True, description="A claim."),
            OpenApiParameter(
                "limit", OpenApiTypes.INT, description=f"1 to {matching.MAX_LIMIT}; 5 by default."
            ),
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=["public", "any"], description="Editors only."
            ),
            OpenApiParameter("exclude", OpenApiTypes.INT, description="A claim id to leave out."),
        ],
        responses={200: serializers.SimilarClaimsSerializer, **errors(400)},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def similar(self, request: Request) -> Response:
        params = serializers.SimilarQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        wanted = params.validated_data
        queryset = self.get_queryset()
        if wanted.get("status") != "any" or not self.internal:
            queryset = queryset.public()
        exclude = (wanted["exclude"],) if wanted.get("exclude") else ()
        matches = matching.similar(
            wanted["text"], queryset, limit=wanted.get("limit", 5), exclude=exclude
        )
        claims = queryset.in_bulk([m.claim_id for m in matches])
        results = [
            {"claim": self.get_serializer(claims[m.claim_id]).data, "score": m.score}
            for m in matches
            if m.claim_id in claims
        ]
        return Response({"results": results})


# --- articles ------------------------------------------------------------


class ArticlePagination(NewestFirstPagination):
    ordering = ("-created_at", "-id")

    def get_ordering(self, request, queryset, view):
        return self.ordering


@extend_schema_view(
    list=extend_schema(
        summary="List articles",
        description="Articles with published or retracted claims (editors: all), newest "
        "first, with claim counts.",
        parameters=[IF_NONE_MATCH],
        responses={200: serializers.ArticleSerializer(many=True), **read_errors(400, 404)},
    ),
    retrieve=extend_schema(
        summary="One article, with its text",
        parameters=[IF_NONE_MATCH],
        responses={200: serializers.ArticleDetailSerializer, **read_errors(404)},
    ),
    create=extend_schema(
        summary="Create an article (editors)",
        description="Through the importer's validation: a title and a body are required; "
        "the same content imports once (200 with the existing article, 201 when new).",
        request=serializers.ArticleCreateSerializer,
        responses={
            200: serializers.ArticleDetailSerializer,
            201: serializers.ArticleDetailSerializer,
            **errors(400, 401, 403),
        },
    ),
)
class ArticleViewSet(ConditionalMixin, GenericViewSet):
    permission_classes = [IsEditorOrReadOnly]
    serializer_class = serializers.ArticleSerializer
    pagination_class = ArticlePagination
    filter_backends = []
    lookup_value_regex = r"[0-9]{1,18}"
    http_method_names = ["get", "post", "head", "options"]
    editor_only_actions = ("sentences",)

    @property
    def internal(self) -> bool:
        return permissions.is_editor(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "show_internal": self.internal}

    def get_renderers(self):
        if getattr(self, "action", None) == "annotations":
            return [
                JSONRenderer(),
                webannotation.WebAnnotationRenderer(),
                webannotation.JsonLdRenderer(),
            ]
        return super().get_renderers()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Article.objects.none()
        queryset = Article.objects.all()
        if not self.internal:
            # An index probe per article of the page, not an aggregate over
            # every claim: the cost follows the page, not the corpus.
            queryset = queryset.filter(
                Exists(Claim.objects.public().filter(article_id=OuterRef("pk")))
            )
        return queryset

    def list(self, request: Request) -> Response:
        if not pagecache.applies(request):
            page = with_status_counts(self.paginate_queryset(self.get_queryset()))
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        # The page's query carries the corpus version (same snapshot), so a
        # 304 or a cached answer costs that one query.
        queryset = self.get_queryset().annotate(corpus_version=corpus.version_expression())
        articles = self.paginate_queryset(queryset)

        def build() -> Response:
            page = with_status_counts(articles)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)

        version = articles[0].corpus_version if articles else None
        return self.public_page(request, build, page=pagecache.Page.of(request, version=version))

    def get_object(self) -> Article:
        return with_status_counts([super().get_object()])[0]

    def retrieve(self, request: Request, pk: str) -> Response:
        def build() -> Response:
            article = self.get_object()
            context = self.get_serializer_context()
            return Response(serializers.ArticleDetailSerializer(article, context=context).data)

        return self.public_page(request, build)

    def create(self, request: Request) -> Response:
        serializer = serializers.ArticleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = importers.import_fields(by=request.user, **serializer.validated_data)
        article = with_status_counts([self.get_queryset().get(pk=result.article.pk)])[0]
        data = serializers.ArticleDetailSerializer(
            article, context=self.get_serializer_context()
        ).data
        location = request.build_absolute_uri(reverse("api:article-detail", args=[article.pk]))
        return Response(data, status=201 if result.created else 200, headers={"Location": location})

    @extend_schema(
        summary="The article's published claims as a W3C AnnotationPage",
        description="With `Accept: application/ld+json; "
        'profile="http://www.w3.org/ns/anno.jsonld"` (or application/ld+json) the answer '
        "has that media type. Pages are numbered from 0 (`page`, `page_size` up to "
        f"{MAX_PAGE_SIZE}); `startIndex` is the 0-based position of the first item in the "
        "AnnotationCollection `partOf`, `next` links the following page.",
        parameters=[
            OpenApiParameter(
                "page",
                bounded_int(MAX_ID // (2 * MAX_PAGE_SIZE)),
                description="0-based page number.",
            ),
            OpenApiParameter(
                "page_size", bounded_int(MAX_PAGE_SIZE), description="Items per page."
            ),
            IF_NONE_MATCH,
        ],
        responses={
            (200, webannotation.ANNO_MEDIA_TYPE): ANNOTATION_SCHEMA,
            (200, "application/ld+json"): ANNOTATION_SCHEMA,
            (200, "application/json"): ANNOTATION_SCHEMA,
            **read_errors(400, 404),
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def annotations(self, request: Request, pk: str) -> Response:
        def build() -> Response:
            article = self.get_object()
            page = _non_negative(request, "page", 0, maximum=MAX_ID // (2 * MAX_PAGE_SIZE))
            page_size = min(_non_negative(request, "page_size", 50) or 50, MAX_PAGE_SIZE)
            claims = article.claims.published().select_related("article", "rating")
            claims = claims.in_reading_order()
            total = claims.count()
            items = list(claims[page * page_size : (page + 1) * page_size])
            data = webannotation.annotation_page(
                request, article, items, page=page, page_size=page_size, total=total
            )
            return annotation_response(data, request)

        return self.public_page(request, build)

    @extend_schema(
        summary="Every body sentence with its check-worthiness (editors)",
        description="The article body split into sentences, in order, each with code point "
        "`start`/`end`, its `text`, a `score` from 0 to 1 and the `reasons` for it (a number, a "
        "comparison, a prediction, a named source; opinions and questions score low).",
        responses={200: sentences.SentenceSerializer(many=True), **read_errors(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def sentences(self, request: Request, pk: str) -> Response:
        return Response(sentences.article_sentences(self.get_object().body))


def with_status_counts(articles: list[Article]) -> list[Article]:
    """Give each article of a page its ``<status>_count`` attributes (what
    ``ArticleSerializer.counts`` reads): one grouped query over the page's
    articles, using the (article, status) index."""
    by_id = {article.pk: article for article in articles}
    for article in articles:
        for status_value in Claim.Status.values:
            setattr(article, f"{status_value}_count", 0)
    counts = (
        Claim.objects.filter(article_id__in=by_id)
        .values("article_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in counts if by_id else ():
        setattr(by_id[item["article_id"]], f"{item['status']}_count", item["n"])
    return articles


def _non_negative(request: Request, name: str, default: int, maximum: int = MAX_ID) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"[0-9]{1,19}", raw):
        raise ValidationError({name: ["A non-negative integer is required."]})
    if int(raw) > maximum:
        raise ValidationError({name: [f"Ensure this value is at most {maximum}."]})
    return int(raw)


# --- ratings, feed, exports, tokens --------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="The verdict scale",
        description="`value` 1 (worst) to 5 (best) is ClaimReview's ratingValue; "
        "Unverifiable has none.",
        parameters=[IF_NONE_MATCH],
        responses={200: serializers.RatingSerializer(many=True), **read_errors()},
    )
)
class RatingList(ConditionalMixin, ListAPIView):
    serializer_class = serializers.RatingSerializer
    queryset = Rating.objects.all()
    pagination_class = None
    filter_backends = []

    def list(self, request: Request, *args, **kwargs) -> Response:
        return self.public_page(request, lambda: super(RatingList, self).list(request))


FEED_DESCRIPTION = """The changes feed: every publication, update of a published claim,
correction and retraction appends an entry `{cursor, claim, action, at}`
(action: published, updated, corrected, retracted, withdrawn). `GET ?after=C`
returns the entries with a cursor above C in order; continue from `next_cursor`.

**Nothing is ever skipped.** Cursors are gapless integers taken from a single
counter row that the publishing transaction locks and holds until it commits.
A second publisher waits for that lock, so cursor N+1 cannot exist before
cursor N has committed: a reader that has seen N can never later find an
entry below N appear. (Ordinary sequences or auto-increment ids commit out of
order and would let a consumer skip an entry.)

A consumer that starts at `after=0` and, for each entry, fetches the claim
(published, updated, corrected) or drops it (retracted: the claim stays
readable with its retraction note; withdrawn: a new revision of the article
changed the quote's meaning and the claim went back to review, so it is not
public until approved again, which appends a new `published` entry) ends up
with exactly the set of published claims. Poll with the last `next_cursor`;
an empty page means nothing new."""


class ChangesView(ConditionalMixin, APIView):
    @extend_schema(
        summary="The changes feed",
        description=FEED_DESCRIPTION,
        parameters=[
            OpenApiParameter(
                "after",
                bounded_int(MAX_ID),
                description="The last cursor you applied (0 to start).",
            ),
            OpenApiParameter(
                "limit", bounded_int(MAX_ID), description="Entries per page, 1 to 1000 (100)."
            ),
            OpenApiParameter(
                "expand",
                OpenApiTypes.STR,
                enum=list(feed.EXPANDABLE),
                description="`claim`: each entry carries `claim_data`, the claim as it is now "
                "(the shape of the claim detail), or only its `id` and `status` once it is no "
                "longer published. A full sync is then one request per page.",
            ),
            IF_NONE_MATCH,
        ],
        responses={200: serializers.ChangesPageSerializer, **read_errors(400)},
    )
    def get(self, request: Request) -> Response:
        after = _non_negative(request, "after", 0)
        limit = min(max(_non_negative(request, "limit", 100), 1), 1000)
        expand = request.query_params.get("expand", "")
        if expand not in ("", *feed.EXPANDABLE):
            raise ValidationError({"expand": ['Only "claim" can be expanded.']})
        # The entries' query carries the corpus version (same snapshot), so a
        # 304 or a cached answer costs that one query.
        public = pagecache.applies(request)
        entries = feed.entries_after(after, limit, versioned=public)

        def build() -> Response:
            data = feed.page(
                request,
                after=after,
                limit=limit,
                expand=bool(expand),
                entries=entries,
            )
            return Response(data)

        if not public:
            return build()
        version = entries[0].corpus_version if entries else None
        return self.public_page(request, build, page=pagecache.Page.of(request, version=version))


# --- notifications ---------------------------------------------------------


class IsEditor(BasePermission):
    """Editors and reviewers only, for reading too."""

    message = "Only editors and reviewers have notifications."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return permissions.is_editor(request.user)


class NotificationPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


@extend_schema_view(
    get=extend_schema(
        summary="Your notifications",
        description="The caller's notifications (editors and reviewers): unread first, then "
        "newest. `kind` is one of "
        f"{', '.join(f'`{kind}`' for kind in Notification.Kind.values)}; `claim_url` opens "
        "the claim in the workspace. Kinds the caller receives by email only are not listed. "
        f"Page-numbered: `page`, `page_size` up to {MAX_PAGE_SIZE}.",
        responses={200: serializers.NotificationSerializer(many=True), **errors(403, 404)},
    )
)
class NotificationList(ListAPIView):
    serializer_class = serializers.NotificationSerializer
    permission_classes = [IsEditor]
    pagination_class = NotificationPagination
    filter_backends = []

    def get_queryset(self):
        return notifications.inbox(self.request.user)


class NotificationReadView(APIView):
    permission_classes = [IsEditor]

    @extend_schema(
        summary="Mark notifications read",
        description='`{"ids": [..]}` marks those of the caller\'s notifications read; ids of '
        "notifications that are not the caller's (or do not exist) are ignored and left "
        'untouched. `{"all": true}` marks every notification of the caller read. Answers '
        "how many unread notifications were marked (already read ones are not counted).",
        request=serializers.NotificationReadSerializer,
        responses={200: serializers.NotificationReadResultSerializer, **errors(400, 403)},
        examples=[
            OpenApiExample("Some", value={"ids": [12, 15]}, request_only=True),
            OpenApiExample("All", value={"all": True}, request_only=True),
        ],
    )
    def post(self, request: Request) -> Response:
        body = serializers.NotificationReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = body.validated_data.get("ids")
        marked = notifications.mark_read(request.user, None if ids is None else ids)
        return Response({"marked": marked})


class AnyContentNegotiation(BaseContentNegotiation):
    """Exports have one format each, whatever the client accepts."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def export_queryset():
    return claims_for_display(Claim.objects.public()).order_by("id").iterator(chunk_size=500)


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_COLUMNS = [
    "id",
    "url",
    "factcheck_url",
    "status",
    "retraction_note",
    "article_id",
    "article_title",
    "article_source_url",
    "quote",
    "start",
    "end",
    "claim_text",
    "claimant",
    "rating",
    "rating_label",
    "rating_value",
    "summary",
    "rationale",
    "published_at",
    "updated_at",
    "version",
]


# Claims per round of queries for their evidence, corrections and links.
EXPORT_BATCH = 500


class ExportNdjsonView(APIView):
    content_negotiation_class = AnyContentNegotiation

    @extend_schema(
        summary="Export every public claim as NDJSON",
        description="One claim per line, in the shape of the claim detail, streamed; "
        "published and retracted claims (`status` says which).",
        responses={(200, "application/x-ndjson"): OpenApiTypes.STR, **errors()},
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        def batches() -> Iterator[list[dict[str, Any]]]:
            rows = claimjson.rows(Claim.objects.public().order_by("id"))
            batch: list[dict[str, Any]] = []
            for row in rows.iterator(chunk_size=EXPORT_BATCH):
                batch.append(row)
                if len(batch) == EXPORT_BATCH:
                    yield claimjson.claims(request, batch)
                    batch = []
            if batch:
                yield claimjson.claims(request, batch)

        def lines() -> Iterator[str]:
            for data in (claim for batch in batches() for claim in batch):
                line = json.dumps(data, ensure_ascii=False)
                # Valid JSON, but JavaScript before ES2019 and some line
                # splitters read these two as line ends.
                yield line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"

        response = StreamingHttpResponse(lines(), content_type="application/x-ndjson")
        response["Content-Disposition"] = 'attachment; filename="claims.ndjson"'
        return response


class ExportCsvView(APIView):
    content_negotiation_class = AnyContentNegotiation

    @extend_schema(
        summary="Export every public claim as CSV",
        description="One row per claim, streamed; the columns are "
        + ", ".join(CSV_COLUMNS)
        + ". Retracted claims have status retracted and their note. Text cells that a "
        "spreadsheet would run as a formula (starting with = + - @) get a leading apostrophe; "
        "the NDJSON export is exact.",
        responses={(200, "text/csv"): OpenApiTypes.STR, **errors()},
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        writer = csv.writer(_Echo())

        def rows() -> Iterator[str]:
            yield writer.writerow(CSV_COLUMNS)
            for claim in export_queryset():
                rating = claim.rating
                yield writer.writerow(
                    csvsafe.cell(value)
                    for value in [
                        claim.pk,
                        request.build_absolute_uri(reverse("api:claim-detail", args=[claim.pk])),
                        claimreview.factcheck_url(request, claim),
                        claim.status,
                        claim.retraction_note,
                        claim.article_id,
                        claim.article.title,
                        claim.article.source_url,
                        claim.quote,
                        claim.start,
                        claim.end,
                        claim.claim_text,
                        claim.claimant,
                        rating.slug if rating else "",
                        rating.label if rating else "",
                        "" if rating is None or rating.value is None else rating.value,
                        claim.summary,
                        claim.rationale,
                        claim.published_at.isoformat() if claim.published_at else "",
                        claim.updated_at.isoformat(),
                        claim.version,
                    ]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="claims.csv"'
        return response


# --- desk statistics -----------------------------------------------------


class IsEditor(BasePermission):
    """Editors and reviewers only, for every method."""

    message = "Only editors and reviewers can do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return permissions.is_editor(request.user)


STATS_DESCRIPTION = """The desk statistics of the workspace's statistics page, for editors
and reviewers: claims marked, submitted, published, dismissed, corrected and
retracted per ISO week (Monday to Sunday in `period.time_zone`, weeks given by
their Monday, empty weeks included); median and 90th percentile time from mark
to publish and from submit to review, in seconds and hours (percentiles
interpolate linearly between the nearest ranks, as numpy's default does);
the verdicts of the claims published in the period; and what each person did.
A correction's working copy counts only as a correction. The period is the
last 12 weeks unless `weeks`, or `since` and `until`, say otherwise; a period
of more than 260 weeks, `since` after `until`, or `weeks` given with dates is
refused with 400."""


class StatsView(ConditionalMixin, APIView):
    permission_classes = [IsEditor]

    @extend_schema(
        summary="Desk statistics",
        description=STATS_DESCRIPTION,
        parameters=[
            OpenApiParameter(
                "weeks",
                {"type": "integer", "minimum": 1, "maximum": stats.MAX_WEEKS},
                description="The current ISO week and the ones before it (12).",
            ),
            OpenApiParameter(
                "since", OpenApiTypes.DATE, description="First day counted (YYYY-MM-DD)."
            ),
            OpenApiParameter(
                "until",
                OpenApiTypes.DATE,
                description="Last day counted (YYYY-MM-DD); today when left out.",
            ),
            IF_NONE_MATCH,
        ],
        responses={200: serializers.StatsSerializer, **read_errors(400, 403)},
    )
    def get(self, request: Request) -> Response:
        try:
            period = stats.period_from(request.query_params)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(serializers.StatsSerializer(stats.desk_statistics(period)).data)
