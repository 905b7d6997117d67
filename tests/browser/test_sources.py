"""Sources in a real Chromium: a link is archived in the background while
the panel says "archiving…", then links the archived copy; a screenshot is
uploaded; a protected source is recorded."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from annotations import workflow
from annotations.models import Evidence

pytestmark = pytest.mark.django_db(transaction=True)


def screenshot_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 90, 160)).save(out, "PNG")
    return out.getvalue()


def test_a_source_is_archived_in_the_background_and_files_and_protected_sources_are_added(
    page: Page, login, base_url, demo_users, seed_article, source_site, media, run_tasks
):
    editor, _ = demo_users
    claim = workflow.mark(
        seed_article,
        by=editor,
        quote=seed_article.body[10:60],
        claimant="",
    )
    login(page, "editor")
    page.set_viewport_size({"width": 1360, "height": 1000})
    page.goto(f"{base_url}{seed_article.get_absolute_url()}?claim={claim.pk}")

    # Add a link: the panel answers at once and says the copy is on its way.
    source = page.get_by_role("form", name="Add evidence")
    source.get_by_label("Source URL", exact=True).fill(f"{source_site.url}/fine")
    source.get_by_label("Source title", exact=True).fill("Labour market statistics")
    source.get_by_label("Excerpt", exact=True).fill("Unemployment fell by 2.1 percent")
    source.get_by_role("button", name="Add source").click()
    expect(page.locator(".archive-state")).to_contain_text("archiving…")
    assert source_site.hits == {}

    # The worker runs; the panel's next poll shows the copy.
    assert run_tasks() == 1
    archived = page.get_by_role("link", name=re.compile(r"^Archived copy · \d{1,2} \w{3} \d{4}"))
    expect(archived).to_be_visible(timeout=10_000)
    archived.click()
    expect(page.get_by_role("heading", name="Archived copy")).to_be_visible()
    expect(page.locator("mark#excerpt")).to_have_text("Unemployment fell by 2.1 percent")
    page.goto(f"{base_url}{seed_article.get_absolute_url()}?claim={claim.pk}")

    # Upload a screenshot.
    page.locator("summary", has_text="Upload a file").click()
    form = page.get_by_role("form", name="Upload a file")
    form.locator("input[type=file]").set_input_files(
        {"name": "post.png", "mimeType": "image/png", "buffer": screenshot_png()}
    )
    form.get_by_label("Caption").fill("Screenshot of the post")
    form.get_by_role("button", name="Upload file").click()
    expect(page.get_by_role("link", name="Screenshot of the post")).to_be_visible()
    expect(page.locator(".source-file img.thumbnail")).to_be_visible()

    # Mark a protected source.
    page.locator("summary", has_text="Add a protected source").click()
    form = page.get_by_role("form", name="Add a protected source")
    form.get_by_label("What it is (internal)").fill("Call with the statistics office")
    form.get_by_label("Why it cannot be shown (public)").fill(
        "Interview with an official who asked not to be named."
    )
    form.get_by_role("button", name="Add protected source").click()
    expect(page.locator(".source-protected")).to_contain_text("Protected source")

    kinds = sorted(Evidence.objects.filter(claim=claim).values_list("kind", flat=True))
    assert kinds == ["file", "protected", "url"]
