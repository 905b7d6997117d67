"""Full-text search of claims, with one results contract on both databases.

``search(queryset, text)`` narrows any claim queryset to the claims that
contain every word of ``text`` (English stems, the last letters of a word
may be missing) in their claim text, quote, claimant, summary or rationale,
and annotates ``search_rank`` (higher is better). PostgreSQL answers from a
GIN index over a weighted ``tsvector`` column that a trigger keeps, and also
lets a word match the claimant by trigram similarity, so misspelt names
still find it (``pg_trgm``). SQLite answers from an FTS5 table that
triggers keep in step with the claims table (``install_sqlite``), so the
embedded default never scans with ``LIKE``.

``ClaimSearchFilter`` is the one set of filters and sort orders the
workspace search page and the API share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import BooleanField, F, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL

from annotations.models import Article, Claim, Rating

MAX_WORDS = 8
MAX_WORD_LENGTH = 40
WORD = re.compile(r"\w+", re.UNICODE)

FTS_TABLE = "annotations_claim_fts"
FTS_COLUMNS = ("quote", "claim_text", "summary", "rationale", "claimant")
# bm25 weights, in FTS_COLUMNS order: the editor's phrasing counts most.
FTS_WEIGHTS = "2.0, 3.0, 1.5, 1.0, 2.0"

# The searched document on PostgreSQL: a tsvector column that a trigger
# fills (added by the migration, outside the model, as SQLite has no such
# type), so that matching and ranking read it instead of re-parsing five
# fields a row. A trigger rather than a generated column, which would forbid
# later migrations from altering the fields it reads.
PG_DOCUMENT_COLUMN = "search_document"
PG_DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, {row}claim_text), 'A')"
    " || setweight(to_tsvector('english'::regconfig, {row}quote), 'B')"
    " || setweight(to_tsvector('english'::regconfig, {row}claimant), 'B')"
    " || setweight(to_tsvector('english'::regconfig, {row}summary), 'C')"
    " || setweight(to_tsvector('english'::regconfig, {row}rationale), 'D')"
)
# Names are where typos and spellings differ most; a trigram test on the
# claim text too would make the planner scan the table.
PG_TRIGRAM_COLUMNS = ("claimant",)


def words(text: str) -> list[str]:
    """The searched words: letters and digits only, bounded in number and
    length, so that no input can become query syntax or an unbounded query."""
    found = [w[:MAX_WORD_LENGTH] for w in WORD.findall(text.casefold()) if w.strip("_")]
    return list(dict.fromkeys(found))[:MAX_WORDS]


def _pg_tsquery(terms: list[str], operator: str) -> str:
    return f" {operator} ".join(f"{term}:*" for term in terms)


def _fts5_query(terms: list[str], operator: str) -> str:
    return f" {operator} ".join(f'"{term}"*' for term in terms)


def search(queryset: QuerySet, text: str, *, any_word: bool = False) -> QuerySet:
    """Claims of ``queryset`` matching ``text``, annotated with ``search_rank``.

    All words must match, unless ``any_word`` (used to gather candidates
    for matching). An empty or wordless ``text`` matches nothing.
    """
    terms = words(text)
    if not terms:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    table = connection.ops.quote_name(Claim._meta.db_table)
    if connection.vendor != "postgresql":
        # A join with the FTS5 table, so that bm25 is computed once per match
        # (a correlated subquery would re-run the MATCH for every row).
        match = _fts5_query(terms, "OR" if any_word else "AND")
        return queryset.extra(
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = {table}.id", f"{FTS_TABLE} MATCH %s"],
            params=[match],
            select={"search_rank": f"-bm25({FTS_TABLE}, {FTS_WEIGHTS})"},
        )
    document = f"{table}.{PG_DOCUMENT_COLUMN}"
    # PostgreSQL's English configuration drops stop words ("no", "the"), whose
    # query would then match nothing; FTS5 keeps them. Leave them out here.
    with connection.cursor() as cursor:
        sql = ", ".join(["numnode(to_tsquery('english', %s))"] * len(terms))
        cursor.execute(f"SELECT {sql}", [f"{term}:*" for term in terms])
        terms = [term for term, nodes in zip(terms, cursor.fetchone(), strict=True) if nodes]
    if not terms:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    # Each word matches through the index of stems, or, misspelt, through
    # trigram similarity to a word of the claimant; so a misspelt name is
    # forgiven without letting one word of a query match alone.
    clauses, params = [], []
    for term in terms:
        fuzzy = " OR ".join(f"%s <%% {table}.{column}" for column in PG_TRIGRAM_COLUMNS)
        clauses.append(f"({document} @@ to_tsquery('english', %s) OR {fuzzy})")
        params += [f"{term}:*", *[term] * len(PG_TRIGRAM_COLUMNS)]
    matches = RawSQL(
        "(" + (" OR " if any_word else " AND ").join(clauses) + ")",
        params,
        output_field=BooleanField(),
    )
    rank = RawSQL(
        f"(ts_rank_cd({document}, to_tsquery('english', %s), 32)"
        f" + 0.5 * word_similarity(%s, {table}.claimant))",
        [_pg_tsquery(terms, "|" if any_word else "&"), " ".join(terms)],
        output_field=FloatField(),
    )
    return queryset.alias(search_match=matches).filter(search_match=True).annotate(search_rank=rank)


def search_articles(queryset: QuerySet, text: str) -> QuerySet:
    """Articles whose title or standfirst contains every word (articles are
    few beside claims; their list page searches the body)."""
    terms = words(text)
    if not terms:
        return queryset.none()
    for term in terms:
        queryset = queryset.filter(title__icontains=term) | queryset.filter(
            standfirst__icontains=term
        )
    return queryset


# --- highlighting ---------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    text: str
    hit: bool


def _stem(word: str) -> str:
    # Close enough to the English stemmers of both databases to light up
    # "elections" for "election" and "falling" for "fell"-less queries alike.
    for suffix in ("ingly", "edly", "ing", "ies", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def highlight(text: str, query: str) -> list[Segment]:
    """``text`` cut into segments, those starting with a searched word (or
    its stem) marked as hits. Templates wrap hits in ``<mark>`` and escape
    every segment, so no markup is built from article or user text."""
    stems = [_stem(term) for term in words(query)]
    if not stems or not text:
        return [Segment(text, False)]
    segments: list[Segment] = []
    position = 0
    for found in WORD.finditer(text):
        word = found.group().casefold()
        if any(word.startswith(stem) for stem in stems):
            if found.start() > position:
                segments.append(Segment(text[position : found.start()], False))
            segments.append(Segment(found.group(), True))
            position = found.end()
    if position < len(text):
        segments.append(Segment(text[position:], False))
    return segments


# --- filters shared by the workspace and the API --------------------------


SORTS = {
    "relevance": ("-search_rank", "-id"),
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "published": ("-published_at", "-id"),
    "updated": ("-updated_at", "-id"),
}
SORT_CHOICES = [
    ("relevance", "Best match"),
    ("newest", "Newest marked"),
    ("oldest", "Oldest marked"),
    ("published", "Recently published"),
    ("updated", "Recently changed"),
]


class UsernameFilter(django_filters.CharFilter):
    def filter(self, queryset, value):
        if not value:
            return queryset
        user = get_user_model().objects.filter(username=value).first()
        return queryset.filter(**{self.field_name: user}) if user else queryset.none()


class ClaimSearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text",
        label="Search",
        help_text="Words to find in the claim text, quote, claimant, summary or rationale "
        "(all must occur; word endings may differ).",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Claim.Status.choices,
        help_text="One or more statuses. Public callers only ever get published and "
        "retracted claims.",
    )
    rating = django_filters.ModelChoiceFilter(
        queryset=Rating.objects.all(),
        to_field_name="slug",
        label="Verdict",
        help_text="A rating slug.",
    )
    claimant = django_filters.CharFilter(
        lookup_expr="icontains", help_text="Part of the claimant's name (any case)."
    )
    article = django_filters.ModelChoiceFilter(
        queryset=Article.objects.all(), help_text="An article id."
    )
    date_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label="Marked from",
        help_text="Marked on or after (YYYY-MM-DD).",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label="Marked until",
        help_text="Marked on or before (YYYY-MM-DD).",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    marked_by = UsernameFilter(field_name="created_by", help_text="Username of who marked it.")
    reviewed_by = UsernameFilter(field_name="reviewed_by", help_text="Username of who reviewed it.")
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES,
        method="filter_sort",
        empty_label=None,
        help_text="relevance (the default with `q`), newest, oldest, published, updated.",
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return search(queryset, value) if value.strip() else queryset

    def filter_sort(self, queryset, name, value):
        # Applied in ``qs`` once every other filter has run.
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        # Fields that failed validation are left out, whatever the others say.
        cleaned = getattr(self.form, "cleaned_data", {})
        searched = bool((cleaned.get("q") or "").strip())
        sort = cleaned.get("sort") or ("relevance" if searched else "newest")
        if sort == "relevance" and not searched:
            sort = "newest"
        ordering = SORTS[sort]
        if sort == "published":
            ordering = (F("published_at").desc(nulls_last=True), "-id")
        return queryset.order_by(*ordering)


# --- SQLite FTS5 ----------------------------------------------------------


def _fts_sql() -> list[str]:
    columns = ", ".join(FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    claims = Claim._meta.db_table
    delete_old = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) VALUES ('delete', old.id, {old});"
    )
    insert_new = f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns}, "
        f"content='{claims}', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {claims} BEGIN "
        f"{insert_new} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {claims} BEGIN "
        f"{delete_old} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF {columns} ON {claims} "
        f"BEGIN {delete_old} {insert_new} END",
    ]


def install_sqlite(schema_connection=None) -> bool:
    """Create the FTS5 table and its triggers where missing, and rebuild the
    index when any was missing. Idempotent; returns whether it rebuilt.

    SQLite migrations that alter the claims table copy it into a new one,
    which drops its triggers: this runs after every ``migrate`` too."""
    conn = schema_connection or connection
    if conn.vendor != "sqlite":
        return False
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
            [FTS_TABLE, f"{FTS_TABLE}_ai", f"{FTS_TABLE}_ad", f"{FTS_TABLE}_au"],
        )
        if cursor.fetchone()[0] == 4:
            return False
        for statement in _fts_sql():
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return True


def pg_index_sql() -> list[str]:
    claims = Claim._meta.db_table
    function = f"{claims}_search_document"
    trigram = [
        f"CREATE INDEX IF NOT EXISTS claim_{column}_trgm ON {claims} "
        f"USING GIN ({column} gin_trgm_ops)"
        for column in PG_TRIGRAM_COLUMNS
    ]
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"ALTER TABLE {claims} ADD COLUMN IF NOT EXISTS {PG_DOCUMENT_COLUMN} tsvector",
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN NEW.{PG_DOCUMENT_COLUMN} := {PG_DOCUMENT.format(row='NEW.')}; "
        "RETURN NEW; END $$",
        f"DROP TRIGGER IF EXISTS {function} ON {claims}",
        f"CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OF {', '.join(FTS_COLUMNS)} "
        f"ON {claims} FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"UPDATE {claims} SET {PG_DOCUMENT_COLUMN} = {PG_DOCUMENT.format(row='')}",
        f"CREATE INDEX IF NOT EXISTS claim_search_fts ON {claims} USING GIN ({PG_DOCUMENT_COLUMN})",
        *trigram,
    ]


def pg_drop_sql() -> list[str]:
    claims = Claim._meta.db_table
    function = f"{claims}_search_document"
    indexes = ("claim_search_fts", *(f"claim_{c}_trgm" for c in PG_TRIGRAM_COLUMNS))
    return [
        *(f"DROP INDEX IF EXISTS {name}" for name in indexes),
        f"DROP TRIGGER IF EXISTS {function} ON {claims}",
        f"DROP FUNCTION IF EXISTS {function}()",
        f"ALTER TABLE {claims} DROP COLUMN IF EXISTS {PG_DOCUMENT_COLUMN}",
    ]


def sqlite_drop_sql() -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{s}" for s in ("ai", "ad", "au")),
        f"DROP TABLE IF EXISTS {FTS_TABLE}",
    ]
