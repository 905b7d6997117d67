"""The public site in Chromium on a laptop (1366x768) and a phone (390x844):
nothing overflows sideways, and every page passes the accessibility scan
(labels, names, landmarks, one h1, text contrast)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from annotations import importers, workflow
from annotations.models import Claim
from tests.browser.test_accessibility import scan
from tests.conftest import SEED_FILE, published_claim

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = [{"width": 1366, "height": 768}, {"width": 390, "height": 844}]

OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .map((el) => el.outerHTML.slice(0, 100));
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}
"""


@pytest.fixture
def public_site(demo_users) -> dict[str, Claim]:
    editor, reviewer = demo_users
    article = importers.import_path(SEED_FILE).article

    def publish(quote: str, **fields) -> Claim:
        claim = workflow.mark(article, by=editor, quote=quote, claimant="Vladimir Putin")
        if fields:
            claim = workflow.update(claim, by=editor, version=claim.version, **fields)
        return published_claim(claim, editor=editor, reviewer=reviewer)

    long_url = "https://news.example.com/" + "a-very-long-path-segment-" * 12
    published = publish(
        "peace conference about Syria in Geneva",
        headline="Putin and Obama agreed on a Syria peace conference in Geneva",
        appearance_url=long_url,
    )
    publish("held a tense meeting on Monday")
    retracted = publish("would not permit such a no fly-zone")
    workflow.retract(retracted, by=reviewer, comment="We misattributed the quote.")
    workflow.mark(article, by=editor, quote="cautious optimism")  # a draft: never shown
    return {"published": published, "retracted": retracted}


def pages(claims: dict[str, Claim]) -> list[str]:
    published = claims["published"]
    return [
        "/factchecks/",
        "/factchecks/?q=putin&verdict=mostly-false",
        f"/factchecks/{published.pk}/",
        f"/factchecks/{claims['retracted'].pk}/",
        "/factchecks/claimants/",
        "/factchecks/claimants/vladimir-putin/",
        f"/factchecks/articles/{published.article_id}/",
        "/ratings/",
        "/methodology/",
        "/corrections-policy/",
        "/about/",
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_public_pages_fit_the_screen_and_pass_the_scan(page: Page, base_url, public_site, viewport):
    page.set_viewport_size(viewport)
    for path in pages(public_site):
        page.goto(f"{base_url}{path}")
        expect(page.locator("h1")).to_be_visible()
        overflow = page.evaluate(OVERFLOW)
        assert overflow["scroll"] <= overflow["width"], (path, overflow)
        assert scan(page) == [], path


def test_a_reader_goes_from_the_index_to_a_fact_check_and_its_article(
    page: Page, base_url, public_site
):
    page.set_viewport_size(VIEWPORTS[1])
    page.goto(f"{base_url}/factchecks/")
    page.get_by_label("Search fact-checks").fill("Geneva")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Putin and Obama agreed on a Syria peace conference").click()
    expect(page.locator("h1")).to_have_text(
        "Putin and Obama agreed on a Syria peace conference in Geneva"
    )
    page.get_by_role("link", name="The article with our fact-checks highlighted").click()
    marks = page.locator(".article-text mark")
    expect(marks).to_have_count(2)
    marks.filter(has_text="peace conference about Syria").click()
    expect(page).to_have_url(f"{base_url}/factchecks/{public_site['published'].pk}/")


def test_the_headline_counter_advises_75_characters_and_the_panel_links_the_public_page(
    page: Page, base_url, login, public_site
):
    login(page, "editor")
    draft = Claim.objects.get(quote="cautious optimism")
    page.goto(f"{base_url}{draft.get_absolute_url()}")
    headline = page.get_by_label("Headline")
    counter = page.locator("#headline-count")
    expect(counter).to_have_text("0 of 75 characters advised; empty uses the claim.")
    headline.fill("x" * 80)
    expect(counter).to_have_text("80 characters: 5 over the 75 advised.")
    headline.fill("Obama is cautiously optimistic")
    expect(counter).to_have_text("30 of 75 characters advised; empty uses the claim.")
    page.get_by_label("Date of the claim").fill("2013-06-17")
    with page.expect_response(lambda response: response.url.endswith("/edit/")) as saved:
        page.get_by_role("button", name="Save", exact=True).click()
    assert saved.value.status == 200
    expect(page.get_by_label("Headline")).to_have_value("Obama is cautiously optimistic")
    draft.refresh_from_db()
    assert draft.headline == "Obama is cautiously optimistic"
    assert str(draft.claim_date) == "2013-06-17"

    published = public_site["published"]
    page.goto(f"{base_url}{published.get_absolute_url()}")
    page.get_by_role("link", name="Public page of this fact-check").click()
    expect(page).to_have_url(f"{base_url}/factchecks/{published.pk}/")
