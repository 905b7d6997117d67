"""A basic accessibility scan, written here rather than fetched from a CDN:
labels, accessible names, landmarks, one h1, text contrast and visible focus."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from annotations import importers, workflow
from annotations.models import Article, Claim
from tests.conftest import SEED_FILE, published_claim, ready_for_review

pytestmark = pytest.mark.django_db(transaction=True)

SCAN = """
() => {
  const problems = [];
  const shown = (el) => {
    const style = getComputedStyle(el);
    return style.display !== "none" && style.visibility !== "hidden"
      && el.getClientRects().length > 0;
  };
  const describe = (el) => el.outerHTML.slice(0, 120);
  const byIds = (ids) => (ids || "").split(/\\s+/)
    .map((id) => document.getElementById(id)?.textContent || "").join(" ");
  const nameOf = (el) => (
    el.getAttribute("aria-label") || byIds(el.getAttribute("aria-labelledby")) || el.textContent ||
    el.getAttribute("title") || (el.tagName === "INPUT" ? el.value : "") ||
    [...el.querySelectorAll("img[alt]")].map((img) => img.alt).join(" ")
  ).trim();

  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden") continue;
    const labels = [...(el.labels || [])].filter((label) => label.textContent.trim());
    const named = el.getAttribute("aria-label") || byIds(el.getAttribute("aria-labelledby")).trim();
    if (!labels.length && !named) {
      problems.push(`no label: ${describe(el)}`);
    }
  }
  const controls = "button, a[href], summary, [role=button], input[type=submit]";
  for (const el of document.querySelectorAll(controls)) {
    if (!nameOf(el)) problems.push(`no accessible name: ${describe(el)}`);
  }
  const landmarks = [
    ["header, [role=banner]", "header"],
    ["nav, [role=navigation]", "nav"],
    ["main, [role=main]", "main"],
  ];
  for (const [selector, what] of landmarks) {
    if (!document.querySelector(selector)) problems.push(`no ${what} landmark`);
  }
  if (document.querySelectorAll("main, [role=main]").length !== 1) {
    problems.push("more than one main");
  }
  const h1s = [...document.querySelectorAll("h1")].filter(shown);
  if (h1s.length !== 1) problems.push(`${h1s.length} h1 elements`);
  if (!document.documentElement.lang) problems.push("no lang on html");
  if (!document.title.trim()) problems.push("no title");
  const ids = [...document.querySelectorAll("[id]")].map((el) => el.id);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length) problems.push(`duplicate ids: ${duplicates.join(", ")}`);

  const parse = (value) => {
    const parts = value.match(/[\\d.]+%?/g).map(Number.parseFloat);
    const percent = /\\/\\s*[\\d.]+%/.test(value);
    const alpha = parts.length > 3 ? (percent ? parts[3] / 100 : parts[3]) : 1;
    return [parts[0], parts[1], parts[2], alpha];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const color = parse(getComputedStyle(node).backgroundColor);
      if (color[3] > 0) layers.push(color);
      if (color[3] >= 1) break;
    }
    let result = [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = ([r, g, b]) => {
    const channel = (c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  let checked = 0;
  for (const el of document.querySelectorAll("body *")) {
    if (!shown(el)) continue;
    const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim());
    const isField = ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) && el.type !== "hidden";
    if (!hasText && !isField) continue;
    const style = getComputedStyle(el);
    if (Number.parseFloat(style.opacity) === 0) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue;  // visually hidden text
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    checked += 1;
    if (ratio < 4.5) problems.push(`contrast ${ratio.toFixed(2)}:1 for ${describe(el)}`);
  }
  if (!checked) problems.push("no text was checked");
  return problems;
}
"""


def select_draft(page: Page) -> None:
    draft = Claim.objects.get(quote="moderate cleric was elected president there")
    page.locator(f'#claim-list a[data-claim-id="{draft.pk}"]').click()
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim-id", str(draft.pk))


def scan(page: Page) -> list[str]:
    return page.evaluate(SCAN)


@pytest.fixture
def seed_with_claims(demo_users) -> Article:
    editor, reviewer = demo_users
    article = importers.import_path(SEED_FILE).article

    def mark(quote: str):
        return workflow.mark(article, by=editor, quote=quote)

    mark("moderate cleric was elected president there")
    mark("dialogue with Iran after amoderate cleric")
    claim = ready_for_review(mark("held a tense meeting on Monday"), by=editor)
    workflow.submit(claim, by=editor, version=claim.version)
    published_claim(
        mark("peace conference about Syria in Geneva"), editor=editor, reviewer=reviewer
    )
    dismissed = mark("cautious optimism")
    workflow.dismiss(dismissed, by=editor, version=dismissed.version, comment="Opinion.")
    retracted = published_claim(
        mark("would not permit such a no fly-zone"), editor=editor, reviewer=reviewer
    )
    workflow.retract(retracted, by=reviewer, version=retracted.version, comment="Wrong source.")
    return article


@pytest.fixture
def editor_page(page: Page, login, demo_users) -> Page:
    login(page, "editor")
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def test_login_page_passes_the_scan(page: Page, base_url, demo_users):
    page.goto(f"{base_url}/accounts/login/")
    assert scan(page) == []


def test_articles_list_with_the_import_form_open_passes_the_scan(
    editor_page, base_url, seed_with_claims
):
    editor_page.goto(f"{base_url}/")
    editor_page.get_by_text("Import an article").click()
    expect(editor_page.get_by_label("Paste the article text")).to_be_visible()
    assert scan(editor_page) == []


def test_reader_with_claims_in_every_status_passes_the_scan(editor_page, seed_with_claims):
    page = editor_page
    page.goto(seed_with_claims.get_absolute_url())
    expect(page.locator("#article-body mark")).not_to_have_count(0)
    for status in ("draft", "in_review", "published", "dismissed", "retracted"):
        assert page.locator(f"#article-body mark.status-{status}").count() > 0
    assert scan(page) == []
    # With a claim selected in the panel, and with the Mark claim button shown.
    select_draft(page)
    page.locator("#article-body").get_by_text("Putin, meanwhile,").dblclick()
    expect(page.get_by_role("button", name="Mark claim")).to_be_visible()
    assert scan(page) == []


def test_every_control_is_reachable_by_keyboard_with_a_visible_focus_ring(
    editor_page, seed_with_claims
):
    page = editor_page
    draft = Claim.objects.get(quote="moderate cleric was elected president there")
    page.goto(draft.get_absolute_url())
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
              const el = document.activeElement;
              const style = getComputedStyle(el);
              return {
                name: (el.getAttribute('aria-label') || el.textContent
                       || el.labels?.[0]?.textContent || el.name || '').trim().slice(0, 40),
                tag: el.tagName,
                ring: style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2,
              };
            }"""
        )
        if focused["tag"] == "BODY":
            break
        reached.append(focused)
    assert reached, "nothing took the focus"
    assert [f for f in reached if not f["ring"]] == []
    names = {f["name"] for f in reached}
    for expected in (
        "Skip to content",
        "Articles",
        "Log out",
        "Claim",
        "Claimant",
        "Save",
        "Delete",
    ):
        assert any(name.startswith(expected) for name in names), expected
    assert sum(f["tag"] == "A" and "Draft" in f["name"] for f in reached) >= 2


def test_dashboard_with_desk_marks_a_bulk_summary_and_an_open_claim_passes_the_scan(
    editor_page, base_url, seed_with_claims, demo_users
):
    import datetime

    from django.utils import timezone

    editor, reviewer = demo_users
    page = editor_page
    draft = Claim.objects.get(quote="moderate cleric was elected president there")
    workflow.assign(
        draft,
        by=editor,
        version=draft.version,
        assignee=editor,
        reviewer=reviewer,
        due=timezone.now() - datetime.timedelta(hours=1),
        priority="urgent",
    )
    page.goto(f"{base_url}/dashboard/")
    queue = page.get_by_role("region", name="Assigned to me")
    expect(queue).to_contain_text("Overdue")
    queue.get_by_role("checkbox").first.check()
    page.locator(".bulk-bar").get_by_role("button", name="Submit for review").click()
    expect(page.locator(".bulk-bar").get_by_role("alert")).to_be_visible()
    page.get_by_role("region", name="My drafts").get_by_role("link", name=str(draft)).click()
    expect(page.get_by_role("button", name="Save assignment")).to_be_visible()
    assert scan(page) == []


def test_search_results_with_the_bulk_bar_pass_the_scan(editor_page, base_url, seed_with_claims):
    editor_page.goto(f"{base_url}/search/")
    expect(editor_page.locator(".bulk-bar")).to_be_visible()
    assert scan(editor_page) == []
