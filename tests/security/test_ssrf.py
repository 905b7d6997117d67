"""Server-side fetches (URL import) reach public addresses only: IPv6 forms
that carry an IPv4 address are judged by that address, every redirect hop
is checked, and a refusal tells the editor nothing about the inside of the
network (the details go to the server log)."""

from __future__ import annotations

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from annotations import importers, netguard

IMPORT = reverse("annotations:article_import")
HTMX = {"HTTP_HX_REQUEST": "true"}

NOT_PUBLIC = [
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fd00::1",
    "fec0::1",
    "2001:db8::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "::127.0.0.1",  # IPv4-compatible
    "::a9fe:a9fe",
    "64:ff9b::7f00:1",  # NAT64
    "64:ff9b::a9fe:a9fe",  # NAT64 of the metadata address
    "64:ff9b::a00:1",
    "64:ff9b:1::7f00:1",  # local-use NAT64
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
]
PUBLIC = [
    "93.184.216.34",
    "1.1.1.1",
    "2606:4700:4700::1111",
    "::ffff:93.184.216.34",
    "64:ff9b::5db8:d822",
    "2002:5db8:d822::1",
]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_public_addresses_in_every_form_are_refused(address):
    assert netguard.is_public(netguard.parse(address)) is False


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert netguard.is_public(netguard.parse(address)) is True


@pytest.mark.parametrize(
    "url",
    [
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::7f00:1]:8080/admin",
        "http://[2002:7f00:1::1]/",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
        "http://[::ffff:7f00:1]/",
        "http://127.1/",
        "http://0x7f000001/",
        "http://2130706433/",
    ],
)
def test_fetching_an_embedded_internal_address_is_refused_generically(url, settings, caplog):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = False
    with (
        caplog.at_level(logging.WARNING, logger="annotations.importers"),
        pytest.raises(importers.ImportRejected) as refused,
    ):
        importers.fetch(url)
    assert refused.value.message == "This address is not allowed."
    assert "URL import refused" in caplog.text


def test_a_name_resolving_inside_is_refused_without_saying_where(settings, monkeypatch, caplog):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = False

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.20.30.40", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with (
        caplog.at_level(logging.WARNING, logger="annotations.importers"),
        pytest.raises(importers.ImportRejected) as refused,
    ):
        importers.fetch("http://intranet.example.org/")
    assert "10.20.30.40" not in refused.value.message
    assert "intranet" not in refused.value.message
    assert "10.20.30.40" in caplog.text


def test_a_name_with_any_internal_address_is_refused(settings, monkeypatch):
    """Round-robin DNS: one public and one internal answer is a refusal."""
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = False

    def resolve(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("64:ff9b::7f00:1", port, 0, 0)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(importers.ImportRejected, match=r"This address is not allowed\."):
        importers.fetch("http://mixed.example.org/")


@pytest.fixture
def redirecting_server():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/hop":
                self.send_response(302)
                port = self.server.server_address[1]
                self.send_header("Location", f"http://localhost:{port}/final")
                self.end_headers()
                return
            body = b"Title\n\nThe body of the page after the redirect."
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_every_redirect_hop_is_checked(settings, monkeypatch, redirecting_server):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    checked: list[str] = []
    original = importers._check_address

    def spy(host, port):
        checked.append(host)
        return original(host, port)

    monkeypatch.setattr(importers, "_check_address", spy)
    data, final = importers.fetch(f"http://127.0.0.1:{redirecting_server}/hop")
    assert b"after the redirect" in data
    assert final.endswith("/final")
    assert checked == ["127.0.0.1", "localhost"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[64:ff9b::7f00:1]/", "This address is not allowed."),
        ("http://[2002:a9fe:a9fe::1]/", "This address is not allowed."),
        ("http://example.org:99999/", "port"),
        ("http://[::1", "Enter a valid URL."),
    ],
)
def test_the_import_form_refuses_with_422_and_writes_nothing(
    client, editor, settings, row_counts, url, message
):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = False
    client.force_login(editor)
    before = row_counts()
    response = client.post(IMPORT, {"url": url}, **HTMX)
    assert response.status_code == 422
    assert message in response.text
    assert row_counts() == before
