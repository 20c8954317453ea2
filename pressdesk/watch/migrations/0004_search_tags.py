"""Filter tags in the search index (see pressdesk.watch.search: "Filter tags").

SQLite: `watch_fts` gains a third column, `tags`; PostgreSQL keeps its table (tags are lexemes of
the same tsvector). Rows written before this migration have no tags, so the index is emptied here
and rebuilt by `search_catch_up` (the next search, the scheduled catch-up, or `pressdesk search
--reindex`); no article is touched.
"""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS watch_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE watch_fts USING fts5(title, body, tags, tokenize='unicode61')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("DELETE FROM watch_articlesearch")


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS watch_fts")
        schema_editor.execute("CREATE VIRTUAL TABLE watch_fts USING fts5(title, body, tokenize='unicode61')")
    elif vendor == "postgresql":
        schema_editor.execute("DELETE FROM watch_articlesearch")


class Migration(migrations.Migration):
    dependencies = [("watch", "0003_article_filter_index")]
    operations = [migrations.RunPython(forwards, backwards)]
