"""What a news page says about itself, and its story text without the clutter.

Metadata comes from what the publisher declared for machines before any
guess from the layout: JSON-LD (``NewsArticle`` and its kin, ``@graph``
included), then OpenGraph and ``article:*`` properties, then ordinary meta
tags (``author``, ``description``, Parse.ly), and only then the page itself
(``<h1>``, a byline line, a ``<time>``, a dateline). The canonical URL is
``<link rel=canonical>``, else ``og:url``, else the JSON-LD ``url``.

The story text is taken from the smallest element that holds most of the
page's paragraphs, after removing navigation, asides, forms, figures and
elements whose class names say what they are (ads, promos, newsletters,
share bars, paywall prompts, kickers, bylines). Figure captions are kept as
captions. Lines that only point elsewhere ("Read more: …", "ALSO READ: …",
"Lesen Sie auch: …"), section labels, timestamps, wire credits and a headline
or standfirst repeated at the top of the body are dropped. When no such
structure exists, trafilatura's extraction is used and filtered the same way.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree

from annotations.anchoring import normalize_text

ARTICLE_TYPES = {
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "LiveBlogPosting",
    "BlogPosting",
    "Report",
    "ScholarlyArticle",
}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# "June 17, 2013", "June 17th, 2013", "17 June 2013".
DATE_IN_TEXT = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH})\.?,?\s+(?P<y2>\d{{4}}))\b",
    re.IGNORECASE,
)
# Elements whose class or id says they are not the story.
BOILERPLATE = re.compile(
    r"(?:^|[-_])(?:ad|ads|adv|advert|advertisement|ad-slot|inline-ad|leaderboard|promo|promos|"
    r"newsletter|signup|related|share|sharing|social|comments?|breadcrumbs?|paywall|paywalled|"
    r"paywall-prompt|subscribe|sponsor|sponsored|trending|most-read|sidebar|kicker|rubrique|"
    r"rubrik|section-label|byline|author|author-line|entry-meta|entry-footer|standfirst|dek|"
    r"deck|summary|teaser|chapo|intro|subhead|desc|tags|top-bar|nav|menu)(?:$|[-_])",
    re.IGNORECASE,
)
REMOVED_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "form",
    "iframe",
    "button",
    "input",
    "select",
    "textarea",
    "svg",
    "footer",
    "figure",
)
BLOCK_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"}
# A line that only points to another story, sells something or asks for a sign-up.
PROMO_LINE = re.compile(
    r"^(?:(?:read more|read also|also read|more on this|related|see also|watch|listen|"
    r"recommended|most read|trending|advertisement|sponsored|sponsored content|promoted|"
    r"lesen sie auch|mehr zum thema|à lire aussi|a lire aussi|lire aussi|leer más|"
    r"lea también)\s*(?:[:|\-\u2013\u2014]|$)"
    r"|subscribe to (?:continue|keep) reading|subscribe now|already a subscriber"
    r"|sign up for (?:our|the)\b|sign in to continue|log in to continue)",
    re.IGNORECASE,
)
CREDIT_LINE = re.compile(
    r"^(?:\(?with inputs from [^)]*\)?\.?|(?:reporting|writing|editing|additional reporting)"
    r" by .*|\(?(?:AP|AFP|Reuters|PTI|IANS)\)?)$",
    re.IGNORECASE,
)
TIME_LINE = re.compile(r"^(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+\w{2,5})?)$", re.IGNORECASE)
BYLINE_LINE = re.compile(r"^by\s+(?P<name>[^|·•\n]{2,80}?)(?:\s*[|·•].*)?$", re.IGNORECASE)
POSTED_BY = re.compile(r"\bby\s+(?P<name>[A-Z][\w.'\u2019-]+(?:\s+[A-Z][\w.'\u2019-]+){0,3})")
SECTION_SEPARATORS = re.compile(r"\s(?:·|\u203a|\u00bb|>|\|)\s")
TITLE_SEPARATORS = re.compile(r"\s+(?:\||\u2013|\u2014|-|·|::)\s+")


@dataclass
class Extracted:
    title: str = ""
    standfirst: str = ""
    byline: str = ""
    source_name: str = ""
    canonical_url: str = ""
    published_on: datetime.date | None = None
    language: str = ""
    captions: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


def clean(text: str | None) -> str:
    """Collapse white space; markup-free text as a reader sees it."""
    return " ".join((text or "").split())


def _same(a: str, b: str) -> bool:
    return bool(a) and clean(a).casefold().rstrip(".") == clean(b).casefold().rstrip(".")


def parse_date(value: str | None) -> datetime.date | None:
    """An ISO date or date-time (its calendar date as written), or a date in words."""
    value = clean(value)
    if not value:
        return None
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    return date_in_text(value)


def date_in_text(text: str) -> datetime.date | None:
    """The first date written out in ``text`` ("June 17th, 2013", "3 March 2021")."""
    for match in DATE_IN_TEXT.finditer(text):
        month = MONTHS[(match["m1"] or match["m2"]).lower()]
        day = int(match["d1"] or match["d2"])
        year = int(match["y1"] or match["y2"])
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    return None


# --- metadata ------------------------------------------------------------


def _types(node: dict) -> set[str]:
    kind = node.get("@type", [])
    return set(kind if isinstance(kind, list) else [kind])


def _walk(data) -> list[dict]:
    if isinstance(data, list):
        return [node for item in data for node in _walk(item)]
    if isinstance(data, dict):
        nodes = [data]
        if "@graph" in data:
            nodes += _walk(data["@graph"])
        return nodes
    return []


def _names(value, ids: dict[str, dict]) -> list[str]:
    if isinstance(value, list):
        return [name for item in value for name in _names(item, ids)]
    if isinstance(value, dict):
        if "name" not in value and value.get("@id") in ids:
            value = ids[value["@id"]]
        name = value.get("name")
        return [clean(name)] if isinstance(name, str) and clean(name) else []
    if isinstance(value, str) and not value.startswith("http"):
        return [clean(value)]
    return []


def _url(value) -> str:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else ""


def json_ld(tree) -> dict:
    """The page's article node from its JSON-LD, with references resolved."""
    nodes: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            nodes += _walk(json.loads(script.text or ""))
        except (ValueError, TypeError):
            continue
    ids = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    article = next((n for n in nodes if _types(n) & ARTICLE_TYPES), None)
    if article is None:
        return {}
    text = {k: article.get(k) for k in ("headline", "description", "alternativeHeadline")}
    return {
        "title": clean(text["headline"]) if isinstance(text["headline"], str) else "",
        "standfirst": next(
            (
                clean(text[k])
                for k in ("description", "alternativeHeadline")
                if isinstance(text[k], str)
            ),
            "",
        ),
        "byline": ", ".join(dict.fromkeys(_names(article.get("author"), ids))),
        "source_name": next(iter(_names(article.get("publisher"), ids)), ""),
        "published_on": parse_date(article.get("datePublished"))
        or parse_date(article.get("coverageStartTime")),
        "canonical_url": _url(article.get("url")) or _url(article.get("mainEntityOfPage")),
        "language": clean(article.get("inLanguage"))
        if isinstance(article.get("inLanguage"), str)
        else "",
    }


def _meta(tree, *keys: str) -> str:
    for key in keys:
        for attribute in ("property", "name", "itemprop"):
            values = tree.xpath(f'//meta[@{attribute}="{key}"]/@content')
            for value in values:
                if clean(value):
                    return clean(value)
    return ""


def meta_tags(tree) -> dict:
    """OpenGraph, ``article:*``, Parse.ly, Dublin Core and plain meta tags."""
    authors = [
        value
        for value in (
            _meta(tree, "author"),
            _meta(tree, "parsely-author"),
            _meta(tree, "article:author"),
            _meta(tree, "byl", "dc.creator", "DC.creator"),
        )
        if value and not value.startswith("http")
    ]
    byline = authors[0] if authors else ""
    match = BYLINE_LINE.match(byline)
    if match:
        byline = match["name"].strip()
    return {
        "title": _meta(tree, "og:title", "parsely-title", "twitter:title"),
        "standfirst": _meta(tree, "og:description", "description", "twitter:description"),
        "byline": byline,
        "source_name": _meta(tree, "og:site_name", "application-name", "publisher"),
        "published_on": parse_date(
            _meta(
                tree,
                "article:published_time",
                "parsely-pub-date",
                "date",
                "pubdate",
                "publish-date",
                "dc.date",
                "DC.date.issued",
                "datePublished",
            )
        ),
        "canonical_url": _url(_meta(tree, "og:url")),
        "language": _meta(tree, "og:locale").replace("_", "-"),
    }


def _first(*values):
    return next((v for v in values if v), values[-1] if values else "")


# --- story text ----------------------------------------------------------


def _is_boilerplate(element) -> bool:
    names = f"{element.get('class') or ''} {element.get('id') or ''}".split()
    return any(BOILERPLATE.search(name) for name in names)


def _text(element) -> str:
    return clean(element.text_content())


def _container(root):
    """The smallest element holding at least 80 % of the paragraph text."""
    lengths: dict = {}
    for paragraph in root.iter("p"):
        size = len(_text(paragraph))
        parent = paragraph.getparent()
        while parent is not None:
            lengths[parent] = lengths.get(parent, 0) + size
            parent = parent.getparent()
    if not lengths:
        return None
    total = max(lengths.values())
    best, best_depth = None, -1
    for element, size in lengths.items():
        if size >= 0.8 * total:
            depth = len(list(element.iterancestors()))
            if depth > best_depth:
                best, best_depth = element, depth
    return best


def _blocks(container) -> list[str]:
    blocks = []
    for element in container.iter(*BLOCK_TAGS):
        if any(a.tag in BLOCK_TAGS for a in element.iterancestors()):
            continue
        text = _text(element)
        if text:
            blocks.append(text)
    return blocks


def is_promo(line: str) -> bool:
    return len(line) < 200 and bool(PROMO_LINE.match(line))


def is_section_label(line: str, sections: set[str]) -> bool:
    if line.casefold() in sections:
        return True
    return (
        len(line) <= 60
        and not line.endswith((".", "!", "?", '"', "”", "»"))
        and bool(SECTION_SEPARATORS.search(line))
    )


def tidy(
    paragraphs: list[str],
    *,
    title: str,
    standfirst: str,
    byline: str,
    captions: list[str],
    sections: set[str] = frozenset(),
) -> list[str]:
    """Drop what is not the story's text: promos, labels, credits, bylines,
    timestamps, captions, and a headline or standfirst repeated at the top."""
    kept: list[str] = []
    for line in paragraphs:
        line = clean(line)
        if not line or is_promo(line) or CREDIT_LINE.match(line) or TIME_LINE.match(line):
            continue
        if any(_same(line, caption) for caption in captions):
            continue
        if not kept and (
            _same(line, title) or _same(line, standfirst) or is_section_label(line, sections)
        ):
            continue
        if len(line) <= 80 and (
            BYLINE_LINE.match(line)
            or (byline and line.startswith(byline.split(",")[0]) and not line.endswith("."))
        ):
            continue
        kept.append(line)
    return kept


def extract(html: str, *, url: str = "") -> Extracted:
    """Metadata and story text of a news page."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return Extracted()
    declared = json_ld(tree)
    tagged = meta_tags(tree)
    h1 = next((_text(h) for h in tree.iter("h1") if _text(h)), "")
    page_title = _text(tree.find(".//title")) if tree.find(".//title") is not None else ""
    title = _first(declared.get("title"), tagged["title"], h1)
    site_from_title = ""
    if not title and page_title:
        title = TITLE_SEPARATORS.split(page_title)[0]
    elif page_title and title and page_title.startswith(title) and page_title != title:
        rest = TITLE_SEPARATORS.split(page_title[len(title) :].strip(" |\u2013\u2014-·:"))
        site_from_title = rest[0] if rest else ""
    canonical = next(
        (
            # A relative href counts from the page's own address.
            _url(urljoin(url, href.strip()) if url else href.strip())
            for href in tree.xpath('//link[contains(concat(" ", @rel, " "), " canonical ")]/@href')
        ),
        "",
    )
    result = Extracted(
        title=title,
        standfirst=_first(declared.get("standfirst"), tagged["standfirst"]),
        byline=_first(declared.get("byline"), tagged["byline"]),
        source_name=_first(declared.get("source_name"), tagged["source_name"], site_from_title),
        canonical_url=_first(
            canonical, tagged["canonical_url"], declared.get("canonical_url"), url
        ),
        published_on=declared.get("published_on") or tagged["published_on"],
        language=_first(declared.get("language"), clean(tree.get("lang")), tagged["language"]),
    )
    body = tree.find("body")
    if body is None:
        return result
    sections = {
        clean(s).casefold()
        for s in tree.xpath('//meta[@property="article:section"]/@content')
        if clean(s)
    }
    result.captions = [text for text in (_text(c) for c in body.iter("figcaption")) if text]
    # Page furniture that says who wrote it and when, before it goes.
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        names = f"{element.get('class') or ''}".lower()
        if not result.byline and re.search(r"byline|author|entry-meta", names):
            text = _text(element)
            match = BYLINE_LINE.match(text) or POSTED_BY.search(text)
            name = match["name"] if match else text
            result.byline = clean(re.split(r"\s[|·•]\s|,\s", name)[0])
        if not result.published_on and element.tag == "time":
            result.published_on = parse_date(element.get("datetime"))
    for element in list(body.iter(*REMOVED_TAGS, "header")):
        if element.tag == "header" and element.find(".//h1") is not None:
            continue
        element.drop_tree()
    for element in [e for e in body.iter() if isinstance(e.tag, str) and _is_boilerplate(e)]:
        if element.getparent() is not None:
            element.drop_tree()
    container = _container(body)
    paragraphs = _blocks(container) if container is not None else []
    if len(paragraphs) < 2:
        document = trafilatura.bare_extraction(
            html, url=url or None, include_comments=False, include_tables=False
        )
        text = normalize_text(document.text or "") if document else ""
        paragraphs = [line for line in text.split("\n") if line.strip()]
    if not result.title and paragraphs:
        result.title = paragraphs.pop(0)
    # A byline left in the text ("By Jane Doe") names the author when nothing else did.
    if not result.byline:
        for line in paragraphs[:3]:
            match = BYLINE_LINE.match(line)
            if match and len(line) <= 80:
                result.byline = match["name"].strip()
                break
    result.paragraphs = tidy(
        paragraphs,
        title=result.title,
        standfirst=result.standfirst,
        byline=result.byline,
        captions=result.captions,
        sections=sections,
    )
    if not result.published_on and result.paragraphs:
        result.published_on = date_in_text(result.paragraphs[0][:120])
    if not result.published_on:
        result.published_on = next(
            (d for d in (date_in_text(c) for c in result.captions) if d), None
        )
    return result
