"""Slow clients cannot starve the shipped serving recipe: nginx with
deploy/nginx/factcheck-proxy.conf in front of gunicorn with gunicorn.conf.py,
both on loopback only, every wait bounded."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SLOW_CLIENTS = 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, timeout: float) -> tuple[int, float]:
    """One plain HTTP/1.0 request; the status and how long it took."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), time.monotonic() - started


def wait_until_up(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            get(port, "/accounts/login/", timeout=2)
            return
        except (OSError, IndexError, ValueError):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{what} did not start") from None
            time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


NGINX_MAIN = """
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream factcheck {{ server 127.0.0.1:{app}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        include {root}/deploy/nginx/factcheck-proxy.conf;
    }}
}}
"""


@pytest.fixture
def served(tmp_path):
    """The recipe running: gunicorn behind nginx; yields nginx's port."""
    if not Path(NGINX).exists():
        pytest.fail("The slow-client test needs nginx: apt-get install nginx-light")
    app, port = free_port(), free_port()
    env = {
        **os.environ,
        "SECRET_KEY": "slow-client-test-key",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "localhost",
        "SECURE_SSL_REDIRECT": "0",
        "NUM_PROXIES": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{app}",
        "WEB_CONCURRENCY": "1",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    config = tmp_path / "nginx.conf"
    config.write_text(
        NGINX_MAIN.format(
            tmp=tmp_path,
            root=ROOT,
            app=app,
            port=port,
            user="user root;" if os.geteuid() == 0 else "",
        )
    )
    nginx = None
    try:
        wait_until_up(app, gunicorn, "gunicorn")
        nginx = subprocess.Popen(
            [NGINX, "-p", str(tmp_path), "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(port, nginx, "nginx")
        yield port
    finally:
        if nginx is not None:
            stop(nginx)
        stop(gunicorn)


def test_the_shipped_gunicorn_configuration_bounds_requests():
    config: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), config)
    assert config["worker_class"] == "gthread"
    assert config["bind"].startswith("127.0.0.1:")
    assert config["limit_request_line"] and config["limit_request_fields"]
    assert config["timeout"] <= 60


def test_fifty_slowloris_connections_do_not_delay_a_normal_request(served):
    slow: list[socket.socket] = []
    try:
        for _ in range(SLOW_CLIENTS):
            sock = socket.create_connection(("127.0.0.1", served), timeout=5)
            sock.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: localhost\r\n")
            slow.append(sock)
        worst = 0.0
        # They keep dripping header lines without ever finishing the request.
        for round_ in range(4):
            for sock in slow:
                # The server may close a slow connection; that is its right.
                with contextlib.suppress(OSError):
                    sock.sendall(f"X-Drip-{round_}: 1\r\n".encode())
            status, elapsed = get(served, "/accounts/login/", timeout=5)
            assert status == 200
            worst = max(worst, elapsed)
            time.sleep(0.5)
        assert worst < 1.0, f"a normal request took {worst:.2f} s beside {SLOW_CLIENTS} slow ones"
    finally:
        for sock in slow:
            sock.close()
