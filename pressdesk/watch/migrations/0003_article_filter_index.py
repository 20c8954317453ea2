"""Search filters: one covering index for outlet, tone and about-the-province decision on articles.

SQLite stores the article text inline, so a filter column read from the row walks its overflow
pages: collecting the ids of, say, the negative articles of provincial outlets took 0.8 s at one
million articles; with this index it reads only the index (3 ms). Created here rather than on the
model because it serves search, and with IF NOT EXISTS so a database that has it keeps it.
"""

from django.db import migrations

INDEX = "watch_article_filters"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON monitoring_article "
        "(outlet_id, tone, relevance_decision, published_at)"
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("watch", "0002_search_index"), ("monitoring", "0003_clusterband_hash_index")]
    operations = [migrations.RunPython(forwards, backwards)]
