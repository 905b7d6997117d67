"""The yardstick: a bare WSGI handler with the SQLite driver and orjson that
serves the same JSON as the app for four public reads (claim list page,
claim detail, an article's W3C AnnotationPage, the feed's first page). No
framework, no middleware, no auth, no throttling, no cache: the limit of the
stack that the side-by-side runner compares the app with.

Run: gunicorn benchmarks.baseline.raw_handler:app, with RAW_DATABASE (the
SQLite file) and the publisher settings in the environment.
"""

import base64
import os
import re
import sqlite3
from urllib.parse import parse_qs, urlencode

import orjson

DB = sqlite3.connect(os.environ["RAW_DATABASE"], check_same_thread=False)
PUBLISHER = {
    "name": os.environ.get("FACTCHECK_PUBLISHER_NAME", "Factcheck Desk"),
    "url": os.environ.get("FACTCHECK_PUBLISHER_URL", "https://factcheck.example.org/"),
}
ANNO = "http://www.w3.org/ns/anno.jsonld"
CLAIM_SQL = (
    'SELECT c.id, c.article_id, c.quote, c.prefix, c.suffix, c.start, c."end", c.claim_text,'
    " c.claimant, c.summary, c.rationale, c.status, c.retraction_note, c.published_at,"
    " c.updated_at, c.version, a.title, a.source_url, r.label, r.slug, r.value, c.created_at,"
    " a.language FROM annotations_claim c JOIN annotations_article a ON a.id = c.article_id"
    " LEFT JOIN annotations_rating r ON r.id = c.rating_id "
)


def iso(text, z=True):  # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC
    return None if text is None else text.replace(" ", "T") + ("Z" if z else "+00:00")


def claims(where, params):
    rows = DB.execute(CLAIM_SQL + where, params).fetchall()
    ids = ",".join(str(r[0]) for r in rows) or "0"
    evidence, corrections = {}, {}
    for e in DB.execute(
        "SELECT claim_id, id, url, title, publisher, excerpt, added_at FROM "
        f"annotations_evidence WHERE claim_id IN ({ids}) ORDER BY claim_id, added_at, id"
    ):
        evidence.setdefault(e[0], []).append(
            {
                "id": e[1],
                "url": e[2],
                "title": e[3],
                "publisher": e[4],
                "excerpt": e[5],
                "added_at": iso(e[6]),
            }
        )
    for c in DB.execute(
        "SELECT claim_id, note, changes, created_at FROM annotations_correction"
        f" WHERE claim_id IN ({ids}) ORDER BY claim_id, created_at, id"
    ):
        corrections.setdefault(c[0], []).append(
            {"note": c[1], "changes": orjson.loads(c[2]), "created_at": iso(c[3])}
        )
    return rows, evidence, corrections


def claim_json(r, host, evidence, corrections):
    return {
        "id": r[0],
        "url": f"{host}/api/v1/claims/{r[0]}/",
        "article": {
            "id": r[1],
            "title": r[16],
            "url": f"{host}/api/v1/articles/{r[1]}/",
            "source_url": r[17],
        },
        "quote": r[2],
        "prefix": r[3],
        "suffix": r[4],
        "start": r[5],
        "end": r[6],
        "claim_text": r[7],
        "claimant": r[8],
        "rating": r[19] and {"label": r[18], "slug": r[19], "value": r[20]},
        "summary": r[9],
        "rationale": r[10],
        "evidence": evidence.get(r[0], []),
        "status": r[11],
        "retraction_note": r[12],
        "published_at": iso(r[13]),
        "updated_at": iso(r[14]),
        "version": r[15],
        "corrections": corrections.get(r[0], []),
        "factcheck_url": f"{host}/factchecks/{r[0]}/",
    }


def annotation(r, host):
    def text(value, purpose):
        return {
            "type": "TextualBody",
            "value": value,
            "purpose": purpose,
            "format": "text/plain",
            "language": r[22] or "en",
        }

    body = [text(r[9], "assessing")] if r[9] else []
    body += [text(r[18], "tagging")] if r[19] else []
    body += [text(r[10], "describing")] if r[10] else []
    return {
        "id": f"{host}/api/v1/claims/{r[0]}/",
        "type": "Annotation",
        "motivation": "assessing",
        "created": iso(r[21], False),
        "modified": iso(r[14], False),
        "creator": {"id": PUBLISHER["url"], "type": "Organization", "name": PUBLISHER["name"]},
        "body": body,
        "target": {
            "source": r[17] or f"{host}/api/v1/articles/{r[1]}/",
            "selector": [
                {"type": "TextQuoteSelector", "exact": r[2], "prefix": r[3], "suffix": r[4]},
                {"type": "TextPositionSelector", "start": r[5], "end": r[6]},
            ],
        },
    }


def app(environ, start_response):
    host = f"http://{environ['HTTP_HOST']}"
    path, query = environ["PATH_INFO"], parse_qs(environ.get("QUERY_STRING", ""))
    if path == "/api/v1/claims/":
        size = int(query.get("page_size", ["50"])[0])
        rows, ev, co = claims(
            "WHERE c.status = 'published' ORDER BY c.published_at DESC, c.id DESC LIMIT ?",
            (size + 1,),
        )
        cursor = (
            base64.b64encode(
                urlencode({"p": iso(rows[size - 1][13], False).replace("T", " ")}).encode()
            ).decode()
            if len(rows) > size
            else None
        )
        data = {
            "next": cursor and f"{host}{path}?{urlencode({'cursor': cursor, 'page_size': size})}",
            "previous": None,
            "results": [claim_json(r, host, ev, co) for r in rows[:size]],
        }
    elif match := re.fullmatch(r"/api/v1/claims/(\d+)/", path):
        rows, ev, co = claims(
            "WHERE c.id = ? AND c.status IN ('published', 'retracted')", (match[1],)
        )
        data = claim_json(rows[0], host, ev, co)
    elif match := re.fullmatch(r"/api/v1/articles/(\d+)/annotations/", path):
        pk = int(match[1])
        title, total = DB.execute(
            "SELECT a.title, (SELECT count(*) FROM annotations_claim WHERE article_id"
            " = a.id AND status = 'published') FROM annotations_article a WHERE id"
            " = ?",
            (pk,),
        ).fetchone()
        rows = DB.execute(
            CLAIM_SQL + "WHERE c.article_id = ? AND c.status = 'published' ORDER BY"
            ' c.start, c."end" DESC, c.id LIMIT 50',
            (pk,),
        ).fetchall()
        base, last = f"{host}{path}", max(0, (total - 1) // 50)
        data = {
            "@context": ANNO,
            "id": f"{base}?page=0&page_size=50",
            "type": "AnnotationPage",
            "partOf": {
                "id": base,
                "type": "AnnotationCollection",
                "label": title,
                "total": total,
                "first": f"{base}?page=0&page_size=50",
                "last": f"{base}?page={last}&page_size=50",
            },
            "startIndex": 0,
            "items": [annotation(r, host) for r in rows],
        }
        if last > 0:
            data["next"] = f"{base}?page=1&page_size=50"
    elif path == "/api/v1/changes/":
        after, limit = int(query.get("after", ["0"])[0]), int(query.get("limit", ["100"])[0])
        rows = DB.execute(
            "SELECT e.cursor, e.claim_id, e.action, e.at FROM annotations_changeentry e"
            " WHERE e.cursor > ? ORDER BY e.cursor LIMIT ?",
            (after, limit),
        ).fetchall()
        ids = ",".join(str(r[1]) for r in rows) or "0"
        public = {
            r[0]
            for r in DB.execute(
                f"SELECT id FROM annotations_claim WHERE id IN ({ids})"
                " AND status IN ('published', 'retracted')"
            )
        }
        nxt = rows[-1][0] if rows else after
        data = {
            "results": [
                {
                    "cursor": r[0],
                    "claim": r[1],
                    "claim_url": f"{host}/api/v1/claims/{r[1]}/",
                    "action": r[2],
                    "at": iso(r[3]),
                }
                for r in rows
                if r[1] in public
            ],
            "after": after,
            "next_cursor": nxt,
            "next": f"{host}{path}?after={nxt}&limit={limit}",
        }
    else:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    body = orjson.dumps(data)
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
