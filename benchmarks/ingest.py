"""End-to-end ingestion benchmark over the real corpus.

Serves ../shared/corpus/baomoi-2017.jsonl.xz from a local threaded HTTP server (a separate process) as
RSS feeds (100 items each, spread over 20 outlets) plus article pages with page furniture (menus,
related links, comments), then runs the whole pipeline as the product does (`ingest_due`: fetch feeds,
skip stored URLs, fetch pages, decode, extract with trafilatura and MinHash in a process pool, insert,
cluster, NLP analysis in the same pool) into a fresh database and prints articles per second, CPU per
article by process, peak memory of every process, skip reasons, and a second run that must add nothing.

    flock /tmp/bench.lock .venv/bin/python benchmarks/ingest.py                 # all 35,440, SQLite, 2 pool processes
    flock /tmp/bench.lock .venv/bin/python benchmarks/ingest.py --no-analysis   # ingestion without NLP analysis
    flock /tmp/bench.lock .venv/bin/python benchmarks/ingest.py --postgres      # PostgreSQL database pd_ingest_bench

The benchmark sets PRESSDESK_FETCH_DELAY=0 (one local host; the real default is 1 s per host) and
PRESSDESK_FETCH_ALLOW=127.0.0.1:<port> (the fetcher refuses loopback otherwise) and prints both.
"""

from __future__ import annotations

import argparse
import json
import lzma
import math
import multiprocessing
import os
import resource
import socket
import sys
import tempfile
import time
import zlib
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "baomoi-2017.jsonl.xz"
OUTLETS = 20
PER_FEED = 100


class Rows:
    """Corpus rows kept zlib-compressed (titles apart, for the related links): the server process holds
    ~50 MiB instead of ~230 MiB of dicts."""

    def __init__(self, lines: list[bytes], titles: list[str]) -> None:
        self._lines = lines
        self.titles = titles

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index: int) -> dict[str, str]:
        row: dict[str, str] = json.loads(zlib.decompress(self._lines[index]))
        return row


def load_corpus(limit: int | None) -> Rows:
    lines, titles = [], []
    with lzma.open(CORPUS, "rb") as handle:
        for line in handle:
            lines.append(zlib.compress(line, 1))
            titles.append(json.loads(line)["title"])
            if limit and len(lines) >= limit:
                break
    return Rows(lines, titles)


def paragraphs(body: str) -> str:
    sentences = [s.strip() for s in body.replace("\n", " ").split(". ") if s.strip()]
    chunks = [". ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return "".join(f"<p>{escape(chunk)}.</p>" for chunk in chunks)


MENU = "".join(
    f'<li><a href="/{slug}">{name}</a></li>'
    for slug, name in [
        ("thoi-su", "Thời sự"),
        ("kinh-te", "Kinh tế"),
        ("xa-hoi", "Xã hội"),
        ("van-hoa", "Văn hóa"),
        ("the-thao", "Thể thao"),
        ("phap-luat", "Pháp luật"),
        ("giao-duc", "Giáo dục"),
        ("suc-khoe", "Sức khỏe"),
        ("quoc-te", "Quốc tế"),
    ]
)


def page(rows: Rows, index: int, outlet: int) -> bytes:
    row = rows[index]
    related = "".join(
        f'<li><a href="/o{outlet}/a/{(index + k) % len(rows)}.html">{escape(rows.titles[(index + k) % len(rows)])}</a></li>'
        for k in range(1, 7)
    )
    comments = "".join(
        f'<div class="comment"><b>Bạn đọc {k}</b><p>Cảm ơn tòa soạn, bài viết rất thiết thực với người dân.</p></div>'
        for k in range(3)
    )
    html = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{escape(row["title"])}</title>
<meta property="og:type" content="article"><meta property="og:description" content="{escape(row["lead"])}">
<meta property="article:published_time" content="2017-0{1 + index % 9}-{10 + index % 18}T08:{index % 60:02d}:00+07:00">
<link rel="canonical" href="/o{outlet}/a/{index}.html"></head><body>
<header><a class="logo" href="/">Báo số {outlet}</a><nav><ul>{MENU}</ul></nav></header>
<main><div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/thoi-su">Thời sự</a></div>
<article><h1>{escape(row["title"])}</h1><p class="sapo"><b>{escape(row["lead"])}</b></p>{paragraphs(row["body"])}</article>
<aside><h3>Tin liên quan</h3><ul>{related}</ul></aside><section class="comments"><h3>Bình luận</h3>{comments}</section>
</main><footer>© Báo số {outlet}. Giấy phép 123/GP-BTTTT.</footer></body></html>"""
    return html.encode("utf-8")


def feed(rows: Rows, port: int, number: int) -> bytes:
    start = number * PER_FEED
    outlet = number % OUTLETS
    items = "".join(
        f"<item><title>{escape(row['title'])}</title><link>http://127.0.0.1:{port}/o{outlet}/a/{i}.html</link>"
        f"<description>{escape(row['lead'])}</description></item>"
        for i in range(start, min(start + PER_FEED, len(rows)))
        for row in [rows[i]]
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {number}</title>{items}</channel></rss>'.encode()


def serve(limit: int | None, ready: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    rows = load_corpus(limit)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def setup(self) -> None:
            super().setup()
            # Headers and body go out as separate writes: without TCP_NODELAY, Nagle's algorithm and
            # the client's delayed ACK add ~40 ms per response (real web servers set it too).
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:  # noqa: N802
            parts = self.path.strip("/").split("/")
            body, ctype, status = b"not found", "text/plain", 404
            try:
                if parts[0] == "feed" and len(parts) == 2:
                    body, ctype, status = (
                        feed(rows, port, int(parts[1].removesuffix(".xml"))),
                        "application/rss+xml",
                        200,
                    )
                elif len(parts) == 3 and parts[1] == "a":
                    body = page(rows, int(parts[2].removesuffix(".html")), int(parts[0][1:]))
                    ctype, status = "text/html; charset=utf-8", 200
            except (ValueError, IndexError):
                pass
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):  # clients closing keep-alive sockets
                super().handle_error(request, client_address)  # type: ignore[arg-type]

    httpd = Server(("127.0.0.1", 0), Handler)
    port = httpd.server_address[1]
    ready.put((port, len(rows)))
    httpd.serve_forever()


def cpu_seconds(pid: int) -> float:
    """user+system CPU seconds of a live process (from /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def vm_hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--limit", type=int, default=None, help="articles from the corpus (default: all 35,440)"
    )
    parser.add_argument("--processes", type=int, default=2, help="extraction processes (default 2)")
    parser.add_argument(
        "--no-analysis",
        action="store_true",
        help="skip the NLP analysis that the product runs on every new article (ingestion alone)",
    )
    parser.add_argument(
        "--postgres", action="store_true", help="PostgreSQL database pd_ingest_bench instead of SQLite"
    )
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"corpus not found: {CORPUS}")

    ready: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    server = multiprocessing.Process(target=serve, args=(args.limit, ready), daemon=True)
    server.start()
    port, count = ready.get(timeout=600)

    workdir = Path(tempfile.mkdtemp(prefix="pd-ingest-bench-"))
    os.environ["PRESSDESK_DATA_DIR"] = str(workdir)
    if args.postgres:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS pd_ingest_bench")
            conn.execute("CREATE DATABASE pd_ingest_bench")
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/pd_ingest_bench"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["PRESSDESK_FETCH_ALLOW"] = f"127.0.0.1:{port}"
    os.environ["PRESSDESK_FETCH_DELAY"] = "0"
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.core.management import call_command

    from pressdesk.accounts.models import Organisation, OrgKind, Outlet
    from pressdesk.ingest import pipeline
    from pressdesk.monitoring import services
    from pressdesk.monitoring.models import Article, Source, StoryCluster

    call_command("migrate", interactive=False, verbosity=0)
    agency = Organisation.objects.create(name="Cơ quan báo chí (benchmark)", kind=OrgKind.CENTRAL_PRESS)
    outlets = [Outlet.objects.create(agency=agency, name=f"Báo số {k}") for k in range(OUTLETS)]
    feeds = math.ceil(count / PER_FEED)
    Source.objects.bulk_create(
        Source(outlet=outlets[n % OUTLETS], url=f"http://127.0.0.1:{port}/feed/{n}.xml") for n in range(feeds)
    )
    has_analysis = __import__("importlib").util.find_spec("pressdesk.monitoring.analysis") is not None
    analyse = not args.no_analysis and has_analysis
    print(
        f"corpus: {count} articles in {feeds} feeds of {PER_FEED} over {OUTLETS} outlets; "
        f"database: {'PostgreSQL' if args.postgres else 'SQLite'} ({workdir}); "
        f"pool processes (extraction and analysis): {args.processes}; "
        f"analysis: {'on, as in the product' if analyse else 'OFF (not the product)'}"
        + (" (module missing)" if not args.no_analysis and not has_analysis else "")
    )
    print(
        f"settings for the local server: PRESSDESK_FETCH_DELAY={os.environ['PRESSDESK_FETCH_DELAY']} "
        f"PRESSDESK_FETCH_ALLOW={os.environ['PRESSDESK_FETCH_ALLOW']} (defaults: 1 s per host, nothing allowed)"
    )

    def workers() -> list[int]:
        pool = pipeline._POOL  # noqa: SLF001
        return list(pool._processes or {}) if pool is not None else []  # noqa: SLF001

    def cpu_split() -> tuple[float, float, float]:
        """CPU seconds so far: this process, the pool's workers, the benchmark's HTTP server."""
        return (
            cpu_seconds(os.getpid()),
            sum(cpu_seconds(pid) for pid in workers()),
            cpu_seconds(server.pid or 0),
        )

    def run(label: str) -> dict:
        load_before = os.getloadavg()
        started = time.monotonic()
        before = cpu_split()
        _run, outcome = services.ingest_due(processes=args.processes, analyse=analyse)
        seconds = time.monotonic() - started
        main_cpu, pool_cpu, server_cpu = (a - b for a, b in zip(cpu_split(), before, strict=True))
        cpu = main_cpu + pool_cpu + server_cpu  # pool workers started during the run count from zero
        if outcome.new:
            per = 1000 / outcome.new
            print(
                f"{label}: CPU {cpu:.1f} s = {cpu * per:.1f} ms per article: main process {main_cpu * per:.1f} ms "
                f"(fetch, database), pool {pool_cpu * per:.1f} ms (extraction, analysis), HTTP server "
                f"{server_cpu * per:.1f} ms → {2 * outcome.new / cpu:.0f} articles/s if 2 cores were ours alone; "
                f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
                f"after {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
            )
        summary = outcome.summary(seconds)
        rate = outcome.new / seconds if seconds else 0.0
        print(f"{label}: {json.dumps(summary, ensure_ascii=False)}")
        print(
            f"{label}: {outcome.new} new articles in {seconds:.1f} s = {rate:.1f} articles/s end to end; "
            f"skips {dict(outcome.skips)}"
        )
        return summary

    first = run("run 1")
    Source.objects.update(next_poll_at=None)
    second = run("run 2 (same feeds)")
    main_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pool_kib = [vm_hwm_kib(pid) for pid in workers()]
    server_kib = vm_hwm_kib(server.pid or 0)
    product_kib = main_kib + sum(pool_kib)
    print(
        f"peak memory (VmHWM, summed over processes): main {main_kib / 1024:.0f} MiB + pool workers "
        f"{' + '.join(f'{w / 1024:.0f}' for w in pool_kib) or '0'} MiB = {product_kib / 1024:.0f} MiB for PressDesk; "
        f"the benchmark's HTTP server {server_kib / 1024:.0f} MiB more, {(product_kib + server_kib) / 1024:.0f} MiB in all"
    )
    print(
        f"stored: {Article.objects.count()} articles, {StoryCluster.objects.count()} story clusters; "
        f"second run added {second['new']} (must be 0)"
    )
    server.terminate()
    if second["new"] != 0 or first["new"] == 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
