from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import SEED_TITLE

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_editor_logs_in_and_reads_the_seed_article(page, login, demo_users, seed_article):
    login(page, "editor")
    page.get_by_role("link", name=SEED_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    expect(page.locator("#article-body")).to_contain_text(
        "amoderate cleric was elected president there"
    )
