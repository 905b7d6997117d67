"""Mentions and the inbox in a real Chromium: the editor types "@rev" in the
claim panel's comment box, picks the reviewer from the listbox and posts the
comment; the reviewer, in a browser of their own, sees the inbox count, the
notification, and follows it to the claim."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from annotations import workflow
from annotations.models import Notification
from tests.browser.test_accessibility import scan

pytestmark = pytest.mark.django_db(transaction=True)

QUOTE = "moderate cleric was elected president there"


def test_a_mention_picked_from_the_autocomplete_reaches_the_reviewers_inbox(
    page: Page, browser, login, base_url, demo_users, seed_article
):
    editor, reviewer = demo_users
    claim = workflow.mark(seed_article, by=editor, quote=QUOTE)
    login(page, "editor")
    page.set_viewport_size({"width": 1360, "height": 900})
    page.goto(f"{base_url}{claim.get_absolute_url()}")

    box = page.get_by_role("form", name="Add a comment").get_by_label("Comment")
    box.click()
    box.press_sequentially("Please check the figures @rev")
    listbox = page.get_by_role("listbox", name="People to mention")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option", name=re.compile(r"^reviewer\b"))
    expect(option).to_be_visible()
    # The arrow keys move through the options; Escape closes the list.
    box.press("Escape")
    expect(listbox).to_be_hidden()
    box.press("Backspace")
    box.press_sequentially("v")
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r".+"))
    option.click()
    expect(box).to_have_value("Please check the figures @reviewer ")
    expect(listbox).to_be_hidden()
    box.press_sequentially("before noon.")
    page.get_by_role("button", name="Add comment").click()

    history = page.locator(".review-history")
    expect(history.locator("strong.mention")).to_have_text("@reviewer")
    expect(history).to_contain_text("Please check the figures @reviewer before noon.")
    assert Notification.objects.filter(recipient=reviewer, kind="mentioned").count() == 1

    # The reviewer, in a browser context of their own.
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    other = context.new_page()
    login(other, "reviewer")
    inbox = other.get_by_role("link", name=re.compile(r"^Inbox"))
    expect(inbox).to_have_text("Inbox 1 unread")
    inbox.click()
    expect(other.get_by_role("heading", name="1 unread")).to_be_visible()
    notification = other.get_by_role(
        "link",
        name="editor mentioned you on “moderate cleric was elected president there”: "
        "“Please check the figures @reviewer before noon.”",
    )
    expect(notification).to_be_visible()
    assert scan(other) == []

    notification.click()
    other.wait_for_url(f"{base_url}{claim.get_absolute_url()}")
    expect(other.locator("#claim-panel")).to_have_attribute("data-claim-id", str(claim.pk))
    expect(other.get_by_role("link", name=re.compile(r"^Inbox"))).to_have_text("Inbox")
    context.close()


def test_the_autocomplete_is_driven_by_the_keyboard_and_mark_read_swaps_in_place(
    page: Page, login, base_url, demo_users, seed_article
):
    editor, reviewer = demo_users
    claim = workflow.mark(seed_article, by=editor, quote=QUOTE)
    workflow.comment(claim, by=reviewer, text="@editor one")
    workflow.comment(claim, by=reviewer, text="@editor two")
    login(page, "editor")
    page.set_viewport_size({"width": 1360, "height": 900})
    page.goto(f"{base_url}{claim.get_absolute_url()}")

    box = page.get_by_role("form", name="Add a comment").get_by_label("Comment")
    box.click()
    box.press_sequentially("@r")
    listbox = page.get_by_role("listbox", name="People to mention")
    expect(listbox.get_by_role("option", name=re.compile(r"^reviewer\b"))).to_have_attribute(
        "aria-selected", "true"
    )
    box.press("Enter")
    expect(box).to_have_value("@reviewer ")

    page.get_by_role("link", name=re.compile(r"^Inbox")).click()
    expect(page.get_by_role("heading", name="2 unread")).to_be_visible()
    assert scan(page) == []
    page.get_by_role("button", name="Mark read: reviewer mentioned you").first.click()
    expect(page.get_by_role("heading", name="1 unread")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Inbox"))).to_have_text("Inbox 1 unread")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_role("heading", name="Nothing unread")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Inbox"))).to_have_text("Inbox")

    page.get_by_role("link", name="Notification settings").first.click()
    page.get_by_role("group", name="You were mentioned").get_by_label("By email").uncheck()
    assert scan(page) == []
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    expect(
        page.get_by_role("group", name="You were mentioned").get_by_label("By email")
    ).not_to_be_checked()
