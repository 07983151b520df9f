"""The audit log: sensitive changes are recorded with before/after, and can never be rewritten."""

from __future__ import annotations

import html
import re

import pytest

from portal import audit
from portal.db import engine_name
from portal.tables import AuditLog
from tests.factories import form_post, make_persona, sign_in


@pytest.fixture
def client(client):
    """The shared browser, showing redirects instead of following them."""
    client.follow_redirects = False
    return client


def _audit_rows(page: str) -> list[str]:
    """The text of each row of the audit table, tags stripped, spaces folded."""
    table = page.split('data-testid="audit"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], flags=re.DOTALL)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


async def test_role_change_and_deactivation_are_on_the_audit_page(client):
    admin = await make_persona("anna_admin")
    bob = await make_persona("bob_employee")
    await sign_in(client, admin.email)

    assert (
        await form_post(client, f"/admin/users/{bob.id}/role", {"role": "reviewer"})
    ).is_redirect
    assert (await form_post(client, f"/admin/users/{bob.id}/active", {"active": "0"})).is_redirect

    page = await client.get("/admin/audit")
    assert page.status_code == 200
    rows = _audit_rows(page.text)
    assert len(rows) == 2
    deactivated, role_changed = rows  # newest first
    assert "anna@example.com" in role_changed
    assert f"user.role_changed user #{bob.id}" in role_changed
    assert role_changed.index("role employee") < role_changed.index("role reviewer")
    assert f"user.deactivated user #{bob.id}" in deactivated
    assert deactivated.index("is_active True") < deactivated.index("is_active False")

    only = await client.get("/admin/audit", params={"action": "user.deactivated"})
    assert [row.split(" user #")[0].split()[-1] for row in _audit_rows(only.text)] == [
        "user.deactivated"
    ]


async def test_a_change_that_changes_nothing_is_not_recorded(client):
    admin = await make_persona("anna_admin")
    bob = await make_persona("bob_employee")
    await sign_in(client, admin.email)
    await form_post(client, f"/admin/users/{bob.id}/role", {"role": "employee"})
    await form_post(client, f"/admin/users/{bob.id}/active", {"active": "1"})
    assert await AuditLog.count() == 0


async def test_only_admins_see_the_audit_log(client):
    await make_persona("mona_manager")
    await sign_in(client, "mona@example.com")
    response = await client.get("/admin/audit")
    assert response.status_code == 403


async def _one_entry() -> dict:
    await audit.record(
        actor_id=None,
        actor_label="system",
        action="test.recorded",
        target_type="user",
        target_id=7,
        before={"role": "employee"},
        after={"role": "admin"},
    )
    return await AuditLog.select().first()


def _statements() -> list[str]:
    statements = [
        "UPDATE audit_log SET actor_label = 'someone else'",
        "UPDATE audit_log SET ip = 'forged' WHERE id > 0",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id > 0",
    ]
    if engine_name() == "postgres":
        statements.append("TRUNCATE audit_log")
    return statements


async def test_the_database_refuses_raw_updates_and_deletes(db):
    entry = await _one_entry()
    for statement in _statements():
        with pytest.raises(Exception, match="append-only"):
            await AuditLog.raw(statement)
    assert await AuditLog.select() == [entry]


async def test_the_database_refuses_orm_updates_and_deletes(db):
    entry = await _one_entry()
    with pytest.raises(Exception, match="append-only"):
        await AuditLog.update({AuditLog.action: "test.rewritten"}).where(AuditLog.id == entry["id"])
    with pytest.raises(Exception, match="append-only"):
        await AuditLog.delete().where(AuditLog.id == entry["id"])
    with pytest.raises(Exception, match="append-only"):
        await AuditLog.delete(force=True)
    assert await AuditLog.select() == [entry]
    await _one_entry()  # appending still works
    assert await AuditLog.count() == 2
