"""Web load test: logged-in users browse the pages they can reach, over real HTTP, against 127.0.0.1 only.

    # against a running server
    .venv/bin/python benchmarks/load.py --base-url http://127.0.0.1:8000 --duration 60 --concurrency 16
    # a fresh SQLite installation with demo data under gunicorn, started and stopped by the script
    .venv/bin/python benchmarks/load.py --start --workers 3 --threads 4 --duration 60 --concurrency 16

Each virtual user logs in through /dang-nhap/ (CSRF token from the form), discovers the pages linked from
the home page and the section pages (two levels, same host; 4xx pages are dropped from its set at
start), then requests them at random until the time or the request budget is spent. Prints requests/s,
p50/p95/p99 latency and errors (any status >= 400 or transport failure during the run).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

DEMO_PASSWORD = "pressdesk-demo-2024"
DEMO_USERS = [
    "bientap",
    "thamdinh",
    "dathang",
    "chutich",
    "nhandan",
    "baothanhhoa",
    "theodoi",
    "xem",
    "samson",
    "quantri",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Never followed: they end the session, change the language, download files or leave the app.
SKIP_PREFIXES = (
    "/dang-xuat/",
    "/i18n/",
    "/static/",
    "/quan-tri/",
    "/api/docs",
    "/metrics",
    "/xac-thuc/",
    "/tai-khoan/",
)
SKIP_SUFFIXES = (".pdf", ".docx", ".xlsx", ".csv", ".zip", ".png", ".jpg")
HREF = re.compile(r"""<a\s[^>]*href=["']([^"'#]+)["']""", re.IGNORECASE)
MAX_URLS_PER_USER = 60
MAX_DURATION = 600
ROOT = Path(__file__).resolve().parents[1]


def refuse_non_loopback(base_url: str) -> None:
    host = urlsplit(base_url).hostname or ""
    if host not in LOOPBACK_HOSTS:
        sys.exit(f"refusing to load {host!r}: this script only targets 127.0.0.1 / localhost / ::1")


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_path: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.by_path.setdefault(_shape(path), []).append(seconds)
            if error:
                self.errors.append(error)


def _shape(path: str) -> str:
    """/dat-hang/dot/12/ → /dat-hang/dot/<n>/ so figures group by page kind."""
    return re.sub(r"/\d+(?=/|$)", "/<n>", path.split("?")[0])


def login(client: httpx.Client, username: str, password: str) -> None:
    page = client.get("/dang-nhap/")
    page.raise_for_status()
    token = client.cookies.get("csrftoken") or ""
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    form_token = match.group(1) if match else token
    response = client.post(
        "/dang-nhap/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": form_token, "next": "/"},
        headers={"Referer": str(client.base_url) + "/dang-nhap/"},
    )
    if response.status_code != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"login failed for {username}: HTTP {response.status_code}")


def discover(client: httpx.Client, base_url: str) -> list[str]:
    """Same-host pages linked from home and from the pages it links to; only those answering 200."""
    seen: set[str] = set()
    good: list[str] = []
    frontier = ["/"]
    for _depth in range(3):
        next_frontier: list[str] = []
        for path in frontier:
            if path in seen or len(good) >= MAX_URLS_PER_USER:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code != 200:
                continue  # 4xx for this user (or a redirect): not part of its set
            if "text/html" not in response.headers.get("content-type", ""):
                continue  # downloads (CSV, DOCX, scripts) are not pages people browse
            good.append(path)
            for href in HREF.findall(response.text):
                url = urlsplit(urljoin(base_url + path, href))
                if url.hostname not in LOOPBACK_HOSTS or url.port != urlsplit(base_url).port:
                    continue
                target = url.path + (f"?{url.query}" if url.query else "")
                if target.startswith(SKIP_PREFIXES) or url.path.endswith(SKIP_SUFFIXES) or target in seen:
                    continue
                next_frontier.append(target)
        frontier = next_frontier
    return good


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(workers: int, threads: int, log_path: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    """A fresh SQLite installation with demo data, served by `pressdesk web` (gunicorn)."""
    data_dir = Path(tempfile.mkdtemp(prefix="pressdesk-load-"))
    env = {**os.environ, "PRESSDESK_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    python = sys.executable
    print(f"preparing {data_dir}: migrate, demo data...", flush=True)
    subprocess.run([python, "-m", "pressdesk", "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [python, "-m", "pressdesk", "demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    port = free_port()
    log = log_path.open("wb")
    server = subprocess.Popen(
        [
            python,
            "-m",
            "pressdesk",
            "web",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if httpx.get(base_url + "/healthz", timeout=2).status_code == 200:
                return server, base_url, data_dir
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            sys.exit(f"gunicorn exited early; see {log_path}")
        time.sleep(0.5)
    server.terminate()
    sys.exit(f"gunicorn did not answer /healthz; see {log_path}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--start", action="store_true", help="start gunicorn on a fresh SQLite demo install")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn processes with --start")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process with --start")
    parser.add_argument("--duration", type=float, default=30.0, help=f"seconds (at most {MAX_DURATION})")
    parser.add_argument("--max-requests", type=int, default=20000, help="stop after this many requests")
    parser.add_argument("--concurrency", type=int, default=8, help="virtual users (threads)")
    parser.add_argument("--users", default=",".join(DEMO_USERS), help="comma-separated demo usernames")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    duration = min(max(args.duration, 1.0), MAX_DURATION)
    usernames = [u for u in args.users.split(",") if u]

    server = data_dir = None
    base_url = args.base_url.rstrip("/")
    if args.start:
        out = ROOT / "benchmarks" / "out"
        out.mkdir(parents=True, exist_ok=True)
        server, base_url, data_dir = start_server(args.workers, args.threads, out / "load-gunicorn.log")
    refuse_non_loopback(base_url)
    try:
        stats = Stats()
        budget = threading.Semaphore(args.max_requests)
        urls: dict[str, list[str]] = {}
        deadline_box: list[float] = []
        # The clock starts when the last user is ready (the barrier's action runs before anyone goes on).
        ready = threading.Barrier(
            args.concurrency + 1, action=lambda: deadline_box.append(time.monotonic() + duration)
        )
        threads = []
        for n in range(args.concurrency):
            username = usernames[n % len(usernames)]
            thread = threading.Thread(
                target=_guarded,
                args=(base_url, username, args.password, deadline_box, budget, stats, ready, urls),
                daemon=True,
            )
            thread.start()
            threads.append(thread)
        ready.wait(timeout=300)  # everyone logged in and discovered its pages
        started = deadline_box[0] - duration
        for thread in threads:
            thread.join(timeout=duration + 60)
        elapsed = time.monotonic() - started
        report(stats, elapsed, args, urls, base_url)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
            shutil.rmtree(data_dir or "", ignore_errors=True)


def _guarded(
    base_url: str,
    username: str,
    password: str,
    deadline_box: list[float],
    budget: threading.Semaphore,
    stats: Stats,
    ready: threading.Barrier,
    urls: dict[str, list[str]],
) -> None:
    """One virtual user: log in, discover its pages, wait for the others, then browse until the end."""
    client = httpx.Client(base_url=base_url, timeout=30.0, follow_redirects=False)
    mine: list[str] = []
    try:
        login(client, username, password)
        mine = discover(client, base_url)
        with stats.lock:
            urls.setdefault(username, mine)
    except Exception as exc:  # a user that cannot log in counts as an error; the others go on
        stats.add("<setup>", 0.0, f"setup {username}: {exc}")
    try:
        ready.wait(timeout=300)
    except threading.BrokenBarrierError:
        client.close()
        return
    deadline = deadline_box[0]
    rng = random.Random(f"{username}-{threading.get_ident()}")
    try:
        while mine and time.monotonic() < deadline and budget.acquire(blocking=False):
            path = rng.choice(mine)
            started = time.perf_counter()
            try:
                response = client.get(path)
                error = f"{response.status_code} {path}" if response.status_code >= 400 else None
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__} {path}"
            stats.add(path, time.perf_counter() - started, error)
    finally:
        client.close()


def report(
    stats: Stats, elapsed: float, args: argparse.Namespace, urls: dict[str, list[str]], base_url: str
) -> None:
    lat = [s for s in stats.latencies if s > 0]
    figures = {
        "base_url": base_url,
        "concurrency": args.concurrency,
        "workers": args.workers if args.start else None,
        "threads": args.threads if args.start else None,
        "seconds": round(elapsed, 1),
        "requests": len(lat),
        "requests_per_second": round(len(lat) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(lat, 50) * 1000, 1),
        "p95_ms": round(percentile(lat, 95) * 1000, 1),
        "p99_ms": round(percentile(lat, 99) * 1000, 1),
        "max_ms": round(max(lat, default=0) * 1000, 1),
        "errors": len(stats.errors),
        "distinct_pages": len({p for ps in urls.values() for p in ps}),
    }
    print(json.dumps(figures, ensure_ascii=False))
    print(
        f"\n{figures['requests']} requests in {figures['seconds']} s = {figures['requests_per_second']} req/s; "
        f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms; "
        f"errors {figures['errors']}"
    )
    print("\nslowest page kinds by p95:")
    rows = sorted(stats.by_path.items(), key=lambda item: percentile(item[1], 95), reverse=True)
    for shape, values in rows[:12]:
        print(f"  {percentile(values, 95) * 1000:8.1f} ms  p95  {len(values):6d} req  {shape}")
    if stats.errors:
        print("\nerrors (first 10):", *sorted(set(stats.errors))[:10], sep="\n  ")
    for username, pages in sorted(urls.items()):
        print(f"  {username}: {len(pages)} pages")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
