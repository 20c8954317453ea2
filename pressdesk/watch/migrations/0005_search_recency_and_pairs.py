"""PostgreSQL search rows gain their recency tag and their syllable pairs (see pressdesk.watch.search:
RECENCY_BUCKET, word_pairs), in place; no article is touched. About 170 rows/s on the 2-core reference
machine (10,000 rows in 59 s): run it before the new version serves, which finds no row without them.

The pairs are read from the positions of the row's own words (adjacent positions, never across the
title/body separator); a pair ending at the last position a tsvector holds (16383, where longer
texts pile up) is left out. SQLite's FTS5 index needs neither.
"""

from django.db import migrations

BUCKET = 4096  # RECENCY_BUCKET when this migration was written
SEPARATOR = "zqxjsepzqxj"  # the title/body separator lexeme

WORDS = (
    "SELECT lexeme, unnest(positions) AS p FROM unnest(s.document) "
    "WHERE left(lexeme, 1) <> '#' AND lexeme <> %s AND position(' ' in lexeme) = 0"
)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE watch_articlesearch s SET document = s.document || array_to_tsvector("  # noqa: S608 - fixed SQL
            "ARRAY['#r' || (s.article_id / %s)::text] || COALESCE(("
            f"SELECT array_agg(DISTINCT a.lexeme || ' ' || b.lexeme) FROM ({WORDS}) a "
            f"JOIN ({WORDS}) b ON b.p = a.p + 1 WHERE b.p < 16383), '{{}}'::text[]))",
            [BUCKET, SEPARATOR, SEPARATOR],
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE watch_articlesearch SET document = ts_delete(document, ARRAY(SELECT lexeme "
            "FROM unnest(document) WHERE left(lexeme, 2) = '#r' OR position(' ' in lexeme) > 0))"
        )


class Migration(migrations.Migration):
    dependencies = [("watch", "0004_search_tags")]
    operations = [migrations.RunPython(forwards, backwards)]
