"""Articles as living documents: metadata edits and new revisions of the text.

An article's metadata (byline, outlet, URLs, date, language) is edited in
place and recorded in its history. Its text (headline, standfirst, captions,
body) changes only by a new revision: the previous text is kept as an
``ArticleRevision``, every claim is re-anchored (``annotations.reanchor``)
and ``workflow.reanchor`` applies the result, all in one transaction, or
nothing happens.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations import importers, reanchor, workflow
from annotations.anchoring import normalize_text
from annotations.models import (
    PART_FIELDS,
    Article,
    ArticleEvent,
    ArticleRevision,
    Claim,
    Part,
    content_hash,
)

METADATA_FIELDS = (
    "byline",
    "source_name",
    "source_url",
    "canonical_url",
    "published_on",
    "language",
)
TEXT_FIELDS = ("title", "standfirst", "captions", "body")
# What published claims show of their article (API, W3C, ClaimReview, public page).
PUBLIC_FIELDS = frozenset(
    {"title", "source_url", "canonical_url", "source_name", "published_on", "language"}
)


class RevisionRejected(Exception):
    """The new version cannot be applied; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Revised:
    article: Article
    changed: bool
    revision: ArticleRevision | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _snapshot(article: Article, *, number: int, by, source: str, at) -> ArticleRevision:
    return ArticleRevision.objects.create(
        article=article,
        number=number,
        title=article.title,
        standfirst=article.standfirst,
        captions=article.captions,
        body=article.body,
        source=source,
        created_by=by,
        created_at=at,
    )


def current_revision(article: Article, *, by=None) -> ArticleRevision:
    """The stored copy of the article's current text, made on first need
    (an article imported once has one revision and no copy of it yet)."""
    revision = article.revisions.filter(number=article.revision).first()
    if revision is None:
        revision = _snapshot(
            article,
            number=article.revision,
            by=article.created_by,
            source="import",
            at=article.created_at,
        )
    return revision


def _clean(article: Article) -> None:
    try:
        article.full_clean(exclude=["content_hash", "created_by"])
    except ValidationError as error:
        messages = "; ".join(
            f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items()
        )
        raise RevisionRejected(f"The article is not valid: {messages}") from None


@transaction.atomic
def revise(article: Article, *, by, source: str = "edit", **texts: str) -> Revised:
    """Make ``texts`` (any of title, standfirst, captions, body) the article's
    new revision and re-anchor every claim to it, in one transaction.

    Unchanged text is not a revision (``changed=False``). Claims already
    orphaned stay on the revision they were made on."""
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise RevisionRejected(f"Unknown fields: {', '.join(sorted(unknown))}.")
    article = Article.objects.select_for_update().get(pk=article.pk)
    new = {
        name: normalize_text(texts.get(name, getattr(article, name)) or "") for name in TEXT_FIELDS
    }
    new["title"] = new["title"].strip()
    if all(new[name] == getattr(article, name) for name in TEXT_FIELDS):
        return Revised(article, changed=False)
    if not new["title"] or not new["body"]:
        raise RevisionRejected("A revision needs a title and body text.")
    clash = (
        Article.objects.filter(content_hash=content_hash(new["title"], new["body"]))
        .exclude(pk=article.pk)
        .values_list("pk", flat=True)
        .first()
    )
    if clash:
        raise RevisionRejected(f"This text is already article {clash}; nothing was changed.")
    previous = current_revision(article, by=by)
    old_texts = {name: getattr(article, name) for name in TEXT_FIELDS}
    for name in TEXT_FIELDS:
        setattr(article, name, new[name])
    article.revision += 1
    _clean(article)
    try:
        with transaction.atomic():
            article.save(revising=True)
    except IntegrityError:
        raise RevisionRejected(
            "This text is already another article; nothing was changed."
        ) from None
    revision = _snapshot(article, number=article.revision, by=by, source=source, at=timezone.now())
    claims = list(
        article.claims.filter(orphan_revision=None).only(
            "id", "part", "start", "end", "quote", "prefix", "suffix"
        )
    )
    pairs = []
    for part in Part:
        in_part = [c for c in claims if c.part == part]
        if not in_part:
            continue
        name = PART_FIELDS[part]
        spans = [reanchor.OldSpan(c.start, c.end, c.quote, c.prefix, c.suffix) for c in in_part]
        anchors = reanchor.locate_all(old_texts[name], new[name], spans)
        pairs.extend(zip(in_part, anchors, strict=True))
    counts = workflow.reanchor(pairs, by=by, orphan_revision=previous)
    changes = {
        name: [old_texts[name], new[name]] for name in TEXT_FIELDS if old_texts[name] != new[name]
    }
    ArticleEvent.objects.create(
        article=article,
        actor=by,
        action=ArticleEvent.Action.REVISED,
        changes=changes,
        summary=counts,
        revision=article.revision,
    )
    # A published claim that kept its place still shows a changed headline.
    if "title" in changes:
        unchanged = [c for c, a in pairs if a.method == reanchor.Method.SAME]
        workflow.refresh_published(unchanged, by=by, changes={"article.title": changes["title"]})
    return Revised(article, changed=True, revision=revision, counts=counts)


@transaction.atomic
def edit(article: Article, *, by, **fields) -> Article:
    """Edit the article's metadata and, through ``revise``, its headline or
    standfirst. Records one history entry with before/after; published claims
    that show a changed field get a new version and an ``updated`` feed entry."""
    allowed = set(METADATA_FIELDS) | {"title", "standfirst"}
    unknown = set(fields) - allowed
    if unknown:
        raise RevisionRejected(f"These fields cannot be edited: {', '.join(sorted(unknown))}.")
    article = Article.objects.select_for_update().get(pk=article.pk)
    texts = {n: fields.pop(n) for n in ("title", "standfirst") if n in fields}
    texts = {
        n: v for n, v in texts.items() if normalize_text(v or "").strip() != getattr(article, n)
    }
    live_parts = set(
        article.claims.filter(orphan_revision=None).values_list("part", flat=True).distinct()
    )
    changes: dict[str, list] = {}
    if texts and live_parts & {Part.HEADLINE, Part.STANDFIRST}:
        # Claims anchor in the headline or standfirst: re-anchor them.
        revised = revise(article, by=by, source="metadata edit", **texts)
        article = revised.article
    else:
        for name, value in texts.items():
            changes[name] = [getattr(article, name), normalize_text(value or "").strip()]
            setattr(article, name, changes[name][1])
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if value != getattr(article, name):
            changes[name] = [_value(getattr(article, name)), _value(value)]
            setattr(article, name, value)
    if not changes:
        return article
    _clean(article)
    try:
        with transaction.atomic():
            article.save()
    except (IntegrityError, ValidationError) as error:
        raise RevisionRejected(f"Could not save: {error}") from None
    ArticleEvent.objects.create(
        article=article,
        actor=by,
        action=ArticleEvent.Action.EDITED,
        changes=changes,
        revision=article.revision,
    )
    shown = {f"article.{name}": pair for name, pair in changes.items() if name in PUBLIC_FIELDS}
    if shown:
        workflow.refresh_published(article.claims.all(), by=by, changes=shown)
    return article


def revise_from_text(
    article: Article, text: str, *, by, filename: str = "", source: str = "upload"
) -> Revised:
    """A pasted or uploaded new version, parsed like an import."""
    parsed = importers.parse(text, filename=filename, url=article.source_url)
    return revise(
        article,
        by=by,
        source=source,
        title=parsed.title,
        standfirst=parsed.standfirst,
        captions="\n".join(c.strip() for c in parsed.captions if c.strip()),
        body=parsed.body,
    )


def check_for_updates(article: Article, *, by) -> Revised:
    """Fetch the article's source again and apply it as a new revision when
    its text changed."""
    url = article.source_url or article.canonical_url
    if not url:
        raise RevisionRejected("This article has no source URL to check.")
    try:
        data, final_url = importers.fetch(url)
        text = importers.decode(data, name="The page")
        return revise_from_text(
            article,
            text,
            by=by,
            filename="page.html" if importers.looks_like_html(text) else "page.txt",
            source=f"fetched {final_url}",
        )
    except importers.ImportRejected as error:
        raise RevisionRejected(error.message) from None


def orphans_of(article: Article):
    return article.claims.orphaned().select_related("orphan_revision")


def claims_needing_place() -> list[Claim]:
    """Orphans across all articles, for the dashboard."""
    return list(
        Claim.objects.orphaned()
        .select_related("article", "orphan_revision")
        .order_by("-updated_at", "-id")[:50]
    )


# Words carry their trailing space, so that single spaces never count as
# matches between two different sentences and split a replacement in pieces.
_TOKEN = re.compile(r"\w+\s*|[^\w\s]+\s*|\s+")


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """A word-level diff as ``(op, text)`` runs, op one of ``equal``,
    ``delete``, ``insert``: joining the equal and delete runs gives ``before``,
    the equal and insert runs ``after``."""
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("equal", "".join(a[i1:i2])))
            continue
        deleted, inserted = "".join(a[i1:i2]), "".join(b[j1:j2])
        # White space both sides end with is not part of the change.
        common = len(deleted) - len(deleted.rstrip())
        common = min(common, len(inserted) - len(inserted.rstrip()))
        if deleted and inserted and common and deleted[-common:] == inserted[-common:]:
            tail, deleted, inserted = deleted[-common:], deleted[:-common], inserted[:-common]
        else:
            tail = ""
        if deleted:
            runs.append(("delete", deleted))
        if inserted:
            runs.append(("insert", inserted))
        if tail:
            runs.append(("equal", tail))
    return runs


def diff_revisions(first: ArticleRevision, second: ArticleRevision) -> list[dict]:
    """The changed parts between two revisions, each as word-diff runs."""
    parts = []
    for part in Part:
        before, after = first.text_of(part), second.text_of(part)
        parts.append(
            {
                "part": part,
                "label": part.label,
                "changed": before != after,
                "runs": word_diff(before, after) if before != after else [("equal", after)],
            }
        )
    return parts
