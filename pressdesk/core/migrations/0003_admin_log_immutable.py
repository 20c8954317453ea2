"""Administrator actions (django.contrib.admin's LogEntry) are append-only too: UPDATE is refused.

DELETE stays possible: Django cascades a log entry's deletion from its user, and PressDesk deactivates
users rather than deleting them. No page or API offers to change or delete entries (read-only admin).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER django_admin_log_no_update BEFORE UPDATE ON django_admin_log "
            "BEGIN SELECT RAISE(ABORT, 'administrator log entries are immutable'); END;"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION django_admin_log_immutable() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'administrator log entries are immutable'; END; $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            "CREATE TRIGGER django_admin_log_no_update BEFORE UPDATE ON django_admin_log "
            "FOR EACH ROW EXECUTE FUNCTION django_admin_log_immutable();"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS django_admin_log_no_update;")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS django_admin_log_no_update ON django_admin_log;")
        schema_editor.execute("DROP FUNCTION IF EXISTS django_admin_log_immutable();")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_transition_record_immutable"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
