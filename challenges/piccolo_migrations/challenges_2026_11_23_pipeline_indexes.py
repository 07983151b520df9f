from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-23T11:00:51:000000"
VERSION = "1.38.0"
DESCRIPTION = "One review per idea and reviewer, one panel seat, one score per criterion"

# A separate migration: Piccolo runs raw statements before the tables of the same migration.
_STATEMENTS = [
    "CREATE UNIQUE INDEX review_idea_reviewer ON review (idea, reviewer)",
    'CREATE UNIQUE INDEX challenge_reviewer_challenge_user ON challenge_reviewer (challenge, "user")',
    "CREATE UNIQUE INDEX review_score_review_criterion ON review_score (review, criterion)",
    "CREATE INDEX decision_idea_created ON decision (idea, created_at)",
    "CREATE INDEX review_reviewer_status ON review (reviewer, status)",
    "CREATE INDEX idea_challenge_stage ON idea (challenge, stage)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="challenges", description=DESCRIPTION)

    async def create_indexes():
        engine = engine_finder()
        for statement in _STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
