"""Browser tests: a real Chromium (Debian's package) driven by Playwright
against Django's live server.

Playwright's sync API runs an event loop in the test thread, so Django's
async-safety check must be relaxed here, and only here.
"""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # A missing browser must fail the run, never skip it.
    assert os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM}: apt-get install chromium"
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture
def login(base_url):
    """Log ``page`` in through the login form, as a person would."""

    def _login(page, username: str, password: str = "factcheck-demo") -> None:
        page.goto(f"{base_url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base_url}/")

    return _login
