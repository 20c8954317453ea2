"""Full-text index per database: FTS5 table on SQLite, unaccent + GIN on PostgreSQL."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        # rowid = article id; columns hold folded text (no diacritics, lower case, one space between
        # syllables) so the same tokens are seen as on PostgreSQL.
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS watch_fts USING fts5(title, body, tokenize='unicode61')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS watch_articlesearch_document_gin "
            "ON watch_articlesearch USING gin (document)"
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS watch_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS watch_articlesearch_document_gin")


class Migration(migrations.Migration):
    dependencies = [("watch", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
