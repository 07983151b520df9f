from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-23T11:00:41:000000"
VERSION = "1.38.0"
DESCRIPTION = "One tag per lesson and tag; the lesson library's order"

# A separate migration: Piccolo runs raw statements before the tables of the same migration.
_STATEMENTS = [
    "CREATE UNIQUE INDEX lesson_tag_lesson_tag ON lesson_tag (lesson, tag)",
    "CREATE INDEX lesson_hidden_created ON lesson (hidden, created_at)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="challenges", description=DESCRIPTION)

    async def create_indexes():
        engine = engine_finder()
        for statement in _STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
