"""The corpus version: one number that moves whenever anything a public
reader can see changes, so that built public pages can be cached under it.

The bump lives in the database, not in Python: a trigger on every table
whose rows appear in public answers (``PUBLIC_TABLES``) increments the single
``CorpusVersion`` row. Every writer is therefore covered, whatever path it
takes: the workflow, the re-anchoring of a revision, the task worker that
archives a source or checks a link, ``QuerySet.update()``, ``bulk_create``,
the admin, or a shell.

On PostgreSQL the trigger is a deferred constraint trigger: it runs at
commit, once per transaction, so the counter row is locked only for the
instant of the commit (a lock taken at the first write and held through a
workflow step would serialize writers and could deadlock with the claims
they lock) and the new number becomes visible together with the data, on
the primary and on a streaming replica alike. SQLite has one writer at a
time, so its triggers simply run with each row.

Readers take the version *before* building a page and store the page under
that version: a page built while a write commits holds data at least as new
as its key, never older, so a cached page is never stale after a write.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce

from annotations.models import CorpusVersion

# Tables whose rows reach a public answer: claims, their articles, verdicts,
# evidence and archived copies, corrections, the feed, related fact-checks,
# revisions and the public pages. Migration 0017 installs the triggers on
# them; a table added here needs a migration adding its trigger.
PUBLIC_TABLES = (
    "annotations_article",
    "annotations_articlerevision",
    "annotations_claim",
    "annotations_rating",
    "annotations_evidence",
    "annotations_archive",
    "annotations_correction",
    "annotations_changeentry",
    "annotations_claimrelation",
    "annotations_publicpage",
)


def trigger_name(table: str) -> str:
    return f"corpus_bump_{table.removeprefix('annotations_')}"


def make_immediate() -> None:
    """Bump at the end of each statement instead of at commit, in the current
    transaction only (PostgreSQL). Tests run inside one transaction that never
    commits; this lets them see each write's bump."""
    if connection.vendor == "postgresql":
        names = ", ".join(trigger_name(t) for t in PUBLIC_TABLES)
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")


def version_expression() -> Subquery:
    """The version as a subquery, to read it in the same query as a row."""
    value = CorpusVersion.objects.filter(pk=1).values("value")
    return Coalesce(Subquery(value), Value(0))


def version() -> int:
    """The current corpus version, read where the request's other reads go
    (the same replica, when there are replicas)."""
    found = CorpusVersion.objects.filter(pk=1).values_list("value", flat=True)
    return next(iter(found), 0)
