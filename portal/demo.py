"""Demo data that looks like a real company; safe to run again (creates only what is missing)."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from portal import users
from portal.db import write_transaction
from portal.roles import Role
from portal.tables import SiteSetting, User

DEMO_PASSWORD = "spark-demo-2026"  # noqa: S105 - published demo credentials, development only
DEMO_FLAG = "demo_seeded_at"

DEPARTMENTS = (
    "Customer Service",
    "Engineering",
    "Finance",
    "Human Resources",
    "Logistics",
    "Marketing",
    "Operations",
)

# (email, name, role, department, language)
PEOPLE = (
    ("alice.jansen@example.com", "Alice Jansen", Role.EMPLOYEE, "Customer Service", "en"),
    ("bram.devries@example.com", "Bram de Vries", Role.EMPLOYEE, "Logistics", "nl"),
    ("chen.wei@example.com", "Chen Wei", Role.EMPLOYEE, "Engineering", "en"),
    ("daan.bakker@example.com", "Daan Bakker", Role.EMPLOYEE, "Operations", "nl"),
    ("emma.visser@example.com", "Emma Visser", Role.EMPLOYEE, "Marketing", ""),
    ("fatima.elamrani@example.com", "Fatima El Amrani", Role.EMPLOYEE, "Finance", "nl"),
    ("mona.meijer@example.com", "Mona Meijer", Role.MANAGER, "Operations", "nl"),
    ("oliver.smith@example.com", "Oliver Smith", Role.MANAGER, "Engineering", "en"),
    ("rita.mulder@example.com", "Rita Mulder", Role.REVIEWER, "Finance", "nl"),
    ("sanjay.patel@example.com", "Sanjay Patel", Role.REVIEWER, "Engineering", "en"),
    ("mark.dekker@example.com", "Mark Dekker", Role.MODERATOR, "Human Resources", "nl"),
    ("anna.admin@example.com", "Anna de Graaf", Role.ADMIN, "Human Resources", "en"),
)


class DemoAccount(msgspec.Struct, frozen=True):
    """One demo login, for printing."""

    email: str
    name: str
    role: str
    department: str


async def demo_already_seeded() -> bool:
    """True when demo data was seeded into this database before."""
    return await SiteSetting.exists().where(SiteSetting.key == DEMO_FLAG)


async def seed_demo() -> list[DemoAccount]:
    """Create the demo company's departments and people where missing; list the accounts."""
    department_ids = {name: await users.ensure_department(name) for name in DEPARTMENTS}
    existing = {row["email"] for row in await User.select(User.email)}
    for email, name, role, department, language in PEOPLE:
        if email in existing:
            continue
        created = await users.create_user(
            email=email,
            display_name=name,
            password=DEMO_PASSWORD,
            role=role.value,
            department_id=department_ids[department],
        )
        if language:
            await users.set_language(created.id, language)
    from challenges.demo import seed_challenges  # the domain builds on the people above

    await seed_challenges()
    async with write_transaction():
        if not await demo_already_seeded():
            now = datetime.now(UTC)
            await SiteSetting.insert(
                SiteSetting(
                    key=DEMO_FLAG,
                    value=msgspec.json.encode(now.isoformat()).decode(),
                    updated_at=now,
                )
            )
    return [
        DemoAccount(email=email, name=name, role=role.value, department=department)
        for email, name, role, department, _language in PEOPLE
    ]
