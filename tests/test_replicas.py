"""Reads on a real PostgreSQL streaming replica: the suite starts a primary
and a replica from the PostgreSQL binaries in a temporary folder (as the
postgres user, since initdb refuses root) on free loopback ports, and runs
tests/replica_scenario.py against them in a child process."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command: str) -> list[str]:
    if os.geteuid() != 0:
        return list(command)
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture(scope="module")
def primary_and_replica():
    if not BINARIES:
        pytest.skip("PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("running as root without runuser: initdb needs an unprivileged user")
    bin_dir = Path(BINARIES[-1]).parent
    work = Path(tempfile.mkdtemp(prefix="factcheck-replica-"))
    if os.geteuid() == 0:
        shutil.chown(work, "postgres", "postgres")
    primary, replica = work / "primary", work / "replica"
    ports = {primary: free_port(), replica: free_port()}
    started = []

    def run(*command: str) -> None:
        subprocess.run(as_postgres(*command), check=True, capture_output=True, timeout=120)

    def start(data: Path) -> None:
        options = f"-p {ports[data]} -k {work} -c listen_addresses=127.0.0.1"
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", f"{data}.log", "-w",
            "start")  # fmt: skip
        started.append(data)

    try:
        run(str(bin_dir / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust")
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 4\nfsync = off\n")
        start(primary)
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(ports[primary]), "-U",
            "postgres", "factcheck")  # fmt: skip
        run(str(bin_dir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(ports[primary]), "-U",
            "postgres", "-D", str(replica), "-R", "-X", "stream")  # fmt: skip
        start(replica)
        yield {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{ports[primary]}/factcheck",
            "DATABASE_REPLICA_URLS": f"postgres://postgres@127.0.0.1:{ports[replica]}/factcheck",
        }
    finally:
        for data in reversed(started):
            subprocess.run(
                as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"),
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(work, ignore_errors=True)


def test_public_reads_use_the_replica_and_writers_read_their_writes(primary_and_replica):
    env = {
        **os.environ,
        **primary_and_replica,
        "SECRET_KEY": "replica-test",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver",
        "FACTCHECK_PRIMARY_PIN_SECONDS": "2",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "replica_scenario.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "replica scenario passed" in result.stdout
