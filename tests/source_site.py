"""A local web site of evidence sources for the archive and link-check
tests: pages that are fine, slow, huge, flaky, changing between fetches,
disappearing, and redirecting to a private address."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def page(title: str, text: str) -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        "<script>document.title = 'tracked'</script></head><body>"
        f"<article><h1>{title}</h1><p>{text}</p>"
        "<p>Officials published the quarterly labour market figures on Tuesday morning.</p>"
        '<p onclick="alert(1)">Analysts said the series had been revised twice this year.</p>'
        "</article></body></html>"
    ).encode()


FINE = page("Labour market statistics", "Unemployment fell by 2.1 percent in the fourth quarter.")


class SourceSite:
    def __init__(self) -> None:
        self.hits: dict[str, int] = {}
        self.slow_seconds = 3.0
        self.gone: set[str] = set()
        self.failures_left: dict[str, int] = {}
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                with site.lock:
                    site.hits[path] = site.hits.get(path, 0) + 1
                    hit = site.hits[path]
                site.answer(self, path, hit)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> SourceSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def send(self, handler, body: bytes, status: int = 200, **headers: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", headers.pop("content_type", "text/html; charset=utf-8"))
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(body)

    def answer(self, handler, path: str, hit: int) -> None:
        name = path.strip("/").split("/")[0]
        if path in self.gone or name == "missing":
            self.send(handler, b"not here", status=404, content_type="text/plain")
        elif name == "slow":
            time.sleep(self.slow_seconds)
            self.send(handler, FINE)
        elif name == "huge":
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.end_headers()
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            try:
                for _ in range(200):
                    handler.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif name == "flaky":
            left = self.failures_left.get(path, 0)
            if left:
                self.failures_left[path] = left - 1
                self.send(handler, b"try later", status=503, content_type="text/plain")
            else:
                self.send(handler, FINE)
        elif name == "changing":
            self.send(handler, page("Changing page", f"Version {hit} of a page that keeps moving."))
        elif name == "redirect-private":
            self.send(handler, b"", status=302, Location="http://10.20.30.40/internal")
        elif name == "pdf":
            body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
            self.send(handler, body, content_type="application/pdf")
        else:
            self.send(handler, FINE)
