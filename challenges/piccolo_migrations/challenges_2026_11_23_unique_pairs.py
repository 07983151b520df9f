from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-23T11:00:03:000000"
VERSION = "1.38.0"
DESCRIPTION = "One vote, follow, kudos, author and tag per pair; hot list indexes"

# The database, not the code, guarantees one row per pair: concurrent toggles then
# collide on the index instead of double-counting.
_STATEMENTS = [
    'CREATE UNIQUE INDEX vote_idea_user ON vote (idea, "user")',
    'CREATE UNIQUE INDEX idea_follow_idea_user ON idea_follow (idea, "user")',
    'CREATE UNIQUE INDEX challenge_follow_challenge_user ON challenge_follow (challenge, "user")',
    'CREATE UNIQUE INDEX kudos_comment_user ON kudos (comment, "user")',
    'CREATE UNIQUE INDEX authorship_idea_user ON authorship (idea, "user")',
    "CREATE UNIQUE INDEX idea_tag_idea_tag ON idea_tag (idea, tag)",
    "CREATE UNIQUE INDEX challenge_tag_challenge_tag ON challenge_tag (challenge, tag)",
    "CREATE UNIQUE INDEX idea_revision_idea_number ON idea_revision (idea, number)",
    "CREATE INDEX idea_challenge_activity ON idea (challenge, last_activity_at)",
    "CREATE INDEX idea_challenge_votes ON idea (challenge, vote_count)",
    "CREATE INDEX comment_idea_root ON comment (idea, root, id)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="challenges", description=DESCRIPTION)

    async def create_indexes():
        engine = engine_finder()
        for statement in _STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
