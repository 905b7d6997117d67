"""Team management in a real Chromium: an admin invites someone by email,
who follows the link, chooses a password, logs in and works."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import scan

pytestmark = pytest.mark.django_db(transaction=True)

INVITE_LINK = re.compile(r"https?://\S+/accounts/invitation/[\w-]+/")
PASSWORD = "a-long-desk-passphrase-42"


def test_admin_invites_a_reviewer_who_accepts_and_logs_in(
    page: Page, browser, login, base_url, demo_users
):
    login(page, "admin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team")
    page.get_by_label("Email").fill("newcomer@example.org")
    roles = page.get_by_role("group", name="Roles", exact=True)
    roles.get_by_label("Editor").uncheck()
    roles.get_by_label("Reviewer").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Invitation sent to newcomer@example.org"
    )
    expect(page.get_by_role("table", name="Invitations not yet accepted")).to_contain_text(
        "newcomer@example.org"
    )
    assert scan(page) == []

    [message] = mail.outbox
    assert message.to == ["newcomer@example.org"]
    link = INVITE_LINK.search(message.body).group(0)
    assert link.startswith(base_url)

    invitee = browser.new_context().new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Join the desk")
    assert scan(invitee) == []
    invitee.get_by_label("User name").fill("newcomer")
    invitee.get_by_label("Password", exact=True).fill(PASSWORD)
    invitee.get_by_label("Password again").fill(PASSWORD)
    invitee.get_by_role("button", name="Create my account").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(invitee.get_by_role("status").first).to_contain_text("your account is ready")
    invitee.get_by_label("Username").fill("newcomer")
    invitee.get_by_label("Password").fill(PASSWORD)
    invitee.get_by_role("button", name="Log in").click()
    invitee.wait_for_url(f"{base_url}/")
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Articles")
    expect(invitee.get_by_text("Signed in as newcomer")).to_be_visible()
    # A reviewer, not an admin: no Team link.
    expect(
        invitee.get_by_role("navigation", name="Main").get_by_role("link", name="Team")
    ).to_have_count(0)

    page.reload()
    people = page.get_by_role("table", name="Accounts with their roles")
    expect(people).to_contain_text("newcomer")
    expect(
        people.get_by_role("group", name="Roles of newcomer").get_by_label("Reviewer")
    ).to_be_checked()
