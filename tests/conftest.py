from __future__ import annotations

import importlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

from annotations import importers, workflow
from annotations.models import Article, Claim
from tests import factories

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILE = SEEDS / "000_b1fafbd6d89f27a5.txt"
SEED_TITLE = (
    "Obama and Putin Admit to Differences on Syria, but Share 'United' Goal of Ending Violence"
)
DEMO_PASSWORD = "factcheck-demo"


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Put back the rows the data migrations made (ratings, roles, the feed
    counter): a transactional test flushes every table when it ends."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction", bool(marker.args and marker.args[0])):
        request.getfixturevalue("transactional_db")
        module = importlib.import_module("annotations.migrations.0002_default_ratings_and_roles")
        module.seed(django_apps, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached API pages are keyed by the corpus version, which restarts with
    every test's database: each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def editor(db):
    return factories.EditorFactory()


@pytest.fixture
def other_editor(db):
    return factories.EditorFactory()


@pytest.fixture
def reviewer(db):
    return factories.ReviewerFactory()


@pytest.fixture
def other_reviewer(db):
    return factories.ReviewerFactory()


@pytest.fixture
def outsider(db):
    """A logged-in account with no role."""
    return factories.UserFactory()


@pytest.fixture
def article(db) -> Article:
    return factories.ArticleFactory()


@pytest.fixture
def seed_article(db) -> Article:
    return importers.import_path(SEED_FILE).article


@pytest.fixture
def demo_users(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("create_demo_users", verbosity=0)
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return User.objects.get(username="editor"), User.objects.get(username="reviewer")


@pytest.fixture
def draft(article, editor) -> Claim:
    return workflow.mark(
        article,
        by=editor,
        quote="unemployment fell by 3 percent last year",
        claimant="The minister",
    )


def ready_for_review(claim: Claim, *, by) -> Claim:
    """Give a draft what submitting needs: a verdict, a summary, a source."""
    claim = workflow.update(
        claim, by=by, version=claim.version, rating=factories.rating(), summary="It fell by 2.1%."
    )
    workflow.add_evidence(
        claim, by=by, version=claim.version, url="https://stats.example.org/q4", title="Q4"
    )
    claim.refresh_from_db()
    return claim


def published_claim(claim: Claim, *, editor, reviewer) -> Claim:
    claim = ready_for_review(claim, by=editor)
    claim = workflow.submit(claim, by=editor, version=claim.version)
    return workflow.approve(claim, by=reviewer, version=claim.version)


@pytest.fixture
def in_review(draft, editor) -> Claim:
    claim = ready_for_review(draft, by=editor)
    return workflow.submit(claim, by=editor, version=claim.version)


@pytest.fixture
def published(in_review, reviewer) -> Claim:
    return workflow.approve(in_review, by=reviewer, version=in_review.version)


def in_thread(call: Callable, outcome: list, *, start: threading.Barrier | None = None):
    def run():
        try:
            if start:
                start.wait()
            outcome.append(call())
        except BaseException as error:  # the test inspects what each session got
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.fixture
def isolated(tmp_path):
    """Run a scenario in a thread of its own, whose sessions (threads) share
    one real database.

    On SQLite the test database lives in memory, shared between threads
    through SQLite's shared cache, whose table locks fail at once instead of
    waiting. So the scenario runs on a file copy of it, a database like the
    one the app runs on, where a second writer waits for the first.
    """
    settings_dict = connections.settings[DEFAULT_DB_ALIAS]
    memory_name = settings_dict["NAME"]
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        path = tmp_path / "concurrency.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        settings_dict["NAME"] = str(path)

    def run(scenario: Callable[[], None]) -> None:
        outcome: list = []
        in_thread(scenario, outcome).join(60)
        if isinstance(outcome[0], BaseException):
            raise outcome[0]

    yield run
    settings_dict["NAME"] = memory_name
