from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T11:00:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "Register the challenges app; its tables arrive with the challenge and idea features"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="challenges", description=DESCRIPTION)
    return manager
