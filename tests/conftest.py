from __future__ import annotations

import importlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

from annotations import corpus, importers, workflow
from annotations.models import Article, Claim
from tests import factories

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILE = SEEDS / "000_b1fafbd6d89f27a5.txt"
SEED_TITLE = (
    "Obama and Putin Admit to Differences on Syria, but Share 'United' Goal of Ending Violence"
)
DEMO_PASSWORD = "factcheck-demo"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file, not memory. An in-memory
    database shares one connection between the test and the live server's
    threads, and a page that loads parts of itself while a test reads the
    database makes both use it at once, which SQLite refuses ("bad parameter
    or other API misuse"). A file gives each thread a connection, as the app
    has when it serves."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Tests make many accounts; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Put back the rows the data migrations made (ratings, roles, the feed
    counter): a transactional test flushes every table when it ends."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction", bool(marker.args and marker.args[0])):
        request.getfixturevalue("transactional_db")
        module = importlib.import_module("annotations.migrations.0002_default_ratings_and_roles")
        module.seed(django_apps, None)
        importlib.import_module(
            "annotations.migrations.0007_claim_publication_fields_and_pages"
        ).seed(django_apps, None)


@pytest.fixture(autouse=True)
def _process_cache(request, settings):
    """The app shares throttle counters and login lockouts through Redis or
    the database cache; tests keep them in process memory, empty at each
    start, so query budgets count only a view's own queries
    (tests/security/test_throttles.py exercises the shared caches)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
    }
    cache.clear()
    caches["pages"].clear()
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )
    if not transactional and ("db" in request.fixturenames or marker):
        # The test's transaction never commits: bump the corpus version at
        # each statement, as a commit would.
        request.getfixturevalue("db")
        corpus.make_immediate()


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
def desk_admin(db):
    """A team admin (the "admin" role) who also edits."""
    return factories.DeskAdminFactory()


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


@pytest.fixture
def source_site(settings):
    """A local site of evidence sources; server-side fetches may reach it
    because the test switches FACTCHECK_FETCH_ALLOW_PRIVATE on."""
    from tests.source_site import SourceSite

    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    site = SourceSite().start()
    yield site
    site.stop()


@pytest.fixture
def media(settings, tmp_path):
    """Archives and uploads go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def run_tasks(monkeypatch):
    """Run the queued background tasks in this process, as ``manage.py
    worker`` would, until none is ready; returns how many ran."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.management.commands.db_worker import Worker

    # The worker drops stale connections between tasks; here its connection
    # is the test's, inside the test's transaction, and must stay open.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run(max_tasks: int | None = None) -> int:
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id="test-worker",
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks

    return run


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
