"""Search benchmark: N articles (the real corpus repeated with varied dates and outlets) in SQLite and
PostgreSQL, then p50/p95 latency of 200 realistic queries with filters through `search_articles`
(the same call the page, API and `pressdesk search` make: count + page of 20 + snippets).

    .venv/bin/python benchmarks/search.py --n 100000                 # both databases
    .venv/bin/python benchmarks/search.py --n 1000000 --backend postgres
    .venv/bin/python benchmarks/search.py --n 100000 --reuse         # keep the loaded databases

SQLite goes to $PRESSDESK_BENCH_DIR (default /tmp/pd_search_bench)/search.sqlite3, PostgreSQL to the
database $PRESSDESK_BENCH_PG_DB (default pressdesk_bench_search). Loading: executemany in 20,000-row transactions on SQLite, COPY on
PostgreSQL (its GIN index built after the load); the folded text of each corpus article is computed once and reused for its copies.
Search counts stop at COUNT_CAP (1,000) matches, so `median_matches` is a capped count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import lzma
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "baomoi-2017.jsonl.xz"
PG_DB = os.environ.get("PRESSDESK_BENCH_PG_DB", "pressdesk_bench_search")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
OUTLETS = 40
PLACES = [f"{380 + i}" for i in range(27)]
BATCH = 20000
WORDS = [
    "thanh hoa",
    '"thanh hoa"',
    "giao thong",
    '"tai nan giao thong"',
    "hoc sinh",
    "gia vang",
    "bong da",
    "du lich",
    '"sam son"',
    "chung khoan",
    "bao hiem xa hoi",
    "nong thon moi",
    "y te",
    "benh vien",
    '"ha noi"',
    "xay dung",
    "dau tu",
    "thue",
    "moi truong",
    "chay rung",
    "lu lut",
    "xuat khau gao",
    "tham nhung",
    '"quoc hoi"',
    "giao duc",
    "dien luc",
    "ngan hang",
    "bat dong san",
    "tet",
    "le hoi",
]


def load_corpus() -> list[dict[str, str]]:
    with lzma.open(CORPUS, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def setup_django(backend: str) -> None:
    workdir = Path(os.environ.get("PRESSDESK_BENCH_DIR", "/tmp/pd_search_bench"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["PRESSDESK_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = (
        PG_URL if backend == "postgres" else f"sqlite:///{workdir / 'search.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fresh_database(backend: str) -> None:
    if backend == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
    else:
        path = Path(os.environ.get("PRESSDESK_BENCH_DIR", "/tmp/pd_search_bench")) / "search.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def load(backend: str, n: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from pressdesk.accounts.models import Organisation, OrgKind, Outlet, OutletLevel
    from pressdesk.plans.models import ContentArea, Plan
    from pressdesk.watch.search import _SEPARATOR, TAG_PREFIX, fold, recency_tag, row_tags, word_pairs

    call_command("migrate", interactive=False, verbosity=0)
    if backend == "postgres":
        # The GIN index is built once after the load (as a restore would): maintaining it row by
        # row costs several times the load itself with the syllable pair lexemes.
        with connection.cursor() as cur:
            cur.execute("SELECT pg_get_indexdef('watch_articlesearch_document_gin'::regclass)")
            gin_definition = cur.fetchone()[0]
            cur.execute("DROP INDEX watch_articlesearch_document_gin")
    started = time.monotonic()
    corpus = load_corpus()
    folded = [(fold(r["title"]), fold(f"{r['lead']}\n{r['body']}")) for r in corpus]
    # PostgreSQL's syllable pair lexemes of each corpus article, joined once for its copies
    pairs = ["|".join(word_pairs(t, b)) for t, b in folded] if backend == "postgres" else []
    print(f"  corpus {len(corpus)} articles folded in {time.monotonic() - started:.1f}s", flush=True)
    levels = [OutletLevel.CENTRAL, OutletLevel.PROVINCIAL, OutletLevel.OTHER]
    outlets = []
    for i in range(OUTLETS):
        agency = Organisation.objects.create(name=f"Cơ quan báo {i}", kind=OrgKind.CENTRAL_PRESS)
        outlets.append(
            Outlet.objects.create(agency=agency, name=f"Báo {i}", level=levels[i % 3], domains=[f"b{i}.vn"])
        )
    plan = Plan.objects.create(year=2024, title="Kế hoạch")
    areas = [ContentArea.objects.create(plan=plan, number=k, title=f"Lĩnh vực {k}") for k in range(1, 7)]
    rng = random.Random(7)
    start = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    tones = ["negative", "neutral", "positive", "neutral"]
    cols = (
        "id, canonical_url, url, channel, outlet_id, title, lead, text, author, published_at, fetched_at, "
        "content_hash, model_version, relevance_decision, tone, false_info"
    )

    def rows(lo: int, hi: int, whens: list[dt.datetime]):  # type: ignore[no-untyped-def]
        for pk, when in zip(range(lo, hi), whens, strict=True):
            r = corpus[(pk - 1) % len(corpus)]
            url = f"https://b{pk % OUTLETS}.vn/{r['id']}-{pk}"
            yield (
                pk,
                url,
                url,
                "press",
                outlets[pk % OUTLETS].pk,
                r["title"][:1000],
                r["lead"],
                r["body"],
                "",
                when,
                when,
                "",
                "bench",
                "",
                tones[pk % 4],
                False,
            )

    loaded = time.monotonic()
    for lo in range(1, n + 1, BATCH):
        hi = min(n + 1, lo + BATCH)
        whens = [start + dt.timedelta(seconds=rng.randrange(0, 2 * 365 * 86400)) for _pk in range(lo, hi)]
        batch = list(rows(lo, hi, whens))
        places = [(pk, PLACES[pk % 27], "Địa bàn", "district", 1) for pk in range(lo, hi) if pk % 3 == 0]
        mentions = [(pk, plan.pk, areas[pk % 6].pk, "bench") for pk in range(lo, hi) if pk % 5 == 0]
        # the filter tags search_index_articles would write for these rows
        tags = [
            row_tags(
                outlet_id=outlets[pk % OUTLETS].pk,
                channel="press",
                tone=tones[pk % 4],
                relevance="",
                published_at=when,
                areas=[areas[pk % 6].number] if pk % 5 == 0 else [],
                places=[PLACES[pk % 27]] if pk % 3 == 0 else [],
            )
            for pk, when in zip(range(lo, hi), whens, strict=True)
        ]
        index = [(pk, *folded[(pk - 1) % len(corpus)], t) for pk, t in zip(range(lo, hi), tags, strict=True)]
        with transaction.atomic(), connection.cursor() as cur:
            if backend == "postgres":
                raw = cur.cursor if hasattr(cur, "cursor") else cur
                with raw.copy(f"COPY monitoring_article ({cols}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
                with raw.copy(
                    "COPY monitoring_articleplace (article_id, code, name, level, count) FROM STDIN"
                ) as copy:
                    for row in places:
                        copy.write_row(row)
                with raw.copy(
                    "COPY monitoring_mention (article_id, plan_id, area_id, model_version) FROM STDIN"
                ) as copy:
                    for row in mentions:
                        copy.write_row(row)
                cur.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS bench_fold (id bigint, t text, b text, g text[], p text)"
                )
                cur.execute("TRUNCATE bench_fold")
                with raw.copy("COPY bench_fold (id, t, b, g, p) FROM STDIN") as copy:
                    for pk, t, b, g in index:
                        copy.write_row(
                            (
                                pk,
                                f"{t} {_SEPARATOR}",
                                b,
                                [TAG_PREFIX + x for x in [*g, recency_tag(pk)]],
                                pairs[(pk - 1) % len(corpus)],
                            )
                        )
                cur.execute(
                    "INSERT INTO watch_articlesearch (article_id, document) SELECT id, "
                    "setweight(to_tsvector('simple', unaccent(t)), 'A') || "
                    "setweight(to_tsvector('simple', unaccent(b)), 'B') || "
                    "array_to_tsvector(g || string_to_array(p, '|')) FROM bench_fold"
                )
            else:
                marks = ",".join(["%s"] * 16)
                cur.executemany(f"INSERT INTO monitoring_article ({cols}) VALUES ({marks})", batch)
                cur.executemany(
                    "INSERT INTO monitoring_articleplace (article_id, code, name, level, count) VALUES (%s,%s,%s,%s,%s)",
                    places,
                )
                cur.executemany(
                    "INSERT INTO monitoring_mention (article_id, plan_id, area_id, model_version) VALUES (%s,%s,%s,%s)",
                    mentions,
                )
                cur.executemany(
                    "INSERT INTO watch_fts (rowid, title, body, tags) VALUES (%s, %s, %s, %s)",
                    [(pk, t, b, " ".join(g)) for pk, t, b, g in index],
                )
        print(f"  {hi - 1} articles loaded ({time.monotonic() - loaded:.0f}s)", flush=True)
    with connection.cursor() as cur:
        if backend == "postgres":
            cur.execute("SELECT setval(pg_get_serial_sequence('monitoring_article', 'id'), %s)", [n])
            built = time.monotonic()
            cur.execute("SET maintenance_work_mem = '1GB'")
            cur.execute(gin_definition)
            print(f"  GIN index built in {time.monotonic() - built:.0f}s", flush=True)
            cur.execute("VACUUM ANALYZE")
        else:
            cur.execute("INSERT INTO watch_fts(watch_fts) VALUES ('optimize')")
            cur.execute("ANALYZE")
    print(f"  load total {time.monotonic() - started:.0f}s", flush=True)


def queries(count: int) -> list[tuple[str, dict[str, str], str]]:
    rng = random.Random(42)
    out = []
    for i in range(count):
        q = WORDS[i % len(WORDS)]
        params: dict[str, str] = {}
        if rng.random() < 0.4:
            params["outlet_level"] = rng.choice(["central", "provincial", "other"])
        if rng.random() < 0.3:
            day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
            params["date_from"], params["date_to"] = (
                day.isoformat(),
                (day + dt.timedelta(days=30)).isoformat(),
            )
        if rng.random() < 0.2:
            params["place"] = rng.choice(PLACES)
        if rng.random() < 0.1:
            params["tone"] = "negative"
        if rng.random() < 0.1:
            params["area"] = str(rng.randrange(1, 7))
        out.append((q, params, "date" if i % 2 else "relevance"))
    return out


def measure(backend: str, count: int, slowest: int = 0) -> dict[str, object]:
    from django.db import connection

    from pressdesk.watch.search import Filters, search_articles

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM monitoring_article")
        n = cur.fetchone()[0]
    timings = []
    totals = []
    runs = []
    for q, params, sort in queries(count):
        t0 = time.perf_counter()
        result = search_articles(
            query=q, filters=Filters.from_mapping(params), sort=sort, limit=20, catch_up=False
        )
        timings.append((time.perf_counter() - t0) * 1000)
        totals.append(result.total + int(result.more))
        runs.append((timings[-1], q, sort, params, totals[-1]))
    if slowest:
        for ms, q, sort, params, found in sorted(runs, key=lambda r: r[0], reverse=True)[:slowest]:
            print(f"  slow {ms:7.1f} ms  {q!r} {sort} matches={found} {json.dumps(params)}", flush=True)
    timings.sort()
    return {
        "backend": backend,
        "articles": n,
        "queries": count,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "max_ms": round(timings[-1], 1),
        "median_matches": statistics.median(totals),
    }


def child(args: argparse.Namespace) -> None:
    if not args.reuse:
        fresh_database(args.backend)
    setup_django(args.backend)
    if not args.reuse:
        load(args.backend, args.n)
    measure(args.backend, 5)  # warm the caches a little
    print("RESULT " + json.dumps(measure(args.backend, args.queries, args.slowest)), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--backend", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--reuse", action="store_true", help="measure the already loaded databases")
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest queries")
    args = parser.parse_args()
    if args.backend != "both":
        child(args)
        return
    results = []
    for backend in ("sqlite", "postgres"):
        print(f"== {backend}: {args.n} articles", flush=True)
        cmd = [
            sys.executable,
            __file__,
            "--backend",
            backend,
            "--n",
            str(args.n),
            "--queries",
            str(args.queries),
        ]
        if args.reuse:
            cmd.append("--reuse")
        if args.slowest:
            cmd += ["--slowest", str(args.slowest)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)  # noqa: S603
        for line in out.stdout.splitlines():
            print(
                line if not line.startswith("RESULT ") else "",
                end="\n" if not line.startswith("RESULT ") else "",
            )
            if line.startswith("RESULT "):
                results.append(json.loads(line[7:]))
    for r in results:
        print(
            f"{r['backend']:9} {r['articles']:>9} articles  p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  max {r['max_ms']} ms"
        )


if __name__ == "__main__":
    main()
