"""
On PostgreSQL: the ``unaccent`` extension and a ``lophoc_vi`` text search
configuration (``simple`` dictionary after ``unaccent``), used by the Wagtail
search backend (``SEARCH_CONFIG``), so "phan so" matches "phân số". SQLite
has neither; there the lessons' unaccented ``search_text`` field does it.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'lophoc_vi') THEN
            CREATE TEXT SEARCH CONFIGURATION lophoc_vi (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION lophoc_vi
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END $$;
    """,
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS lophoc_vi")


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
