"""The transition log is append-only: the database itself refuses UPDATE (and DELETE on PostgreSQL).

SQLite keeps DELETE possible only because Django's test flush empties tables with DELETE; no code path
of PressDesk deletes these rows.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER core_transitionrecord_no_update BEFORE UPDATE ON core_transitionrecord "
            "BEGIN SELECT RAISE(ABORT, 'transition records are immutable'); END;"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION core_transitionrecord_immutable() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'transition records are immutable'; END; $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            "CREATE TRIGGER core_transitionrecord_no_change BEFORE UPDATE OR DELETE ON core_transitionrecord "
            "FOR EACH ROW EXECUTE FUNCTION core_transitionrecord_immutable();"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_transitionrecord_no_update;")
    elif vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS core_transitionrecord_no_change ON core_transitionrecord;"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS core_transitionrecord_immutable();")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
