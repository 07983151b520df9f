"""The append-only audit log: who changed what, when, before and after."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from portal.tables import AuditLog


class AuditEntry(msgspec.Struct, frozen=True):
    """One audit record as shown to admins."""

    id: int
    at: datetime
    actor_label: str
    action: str
    target_type: str
    target_id: str
    before: dict[str, Any]
    after: dict[str, Any]
    ip: str


async def record(
    *,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str | int = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str = "",
) -> None:
    """Append one entry; call inside the transaction of the change it describes."""
    await AuditLog.insert(
        AuditLog(
            at=datetime.now(UTC),
            actor_id=actor_id,
            actor_label=actor_label[:120],
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            before=msgspec.json.encode(before or {}).decode(),
            after=msgspec.json.encode(after or {}).decode(),
            ip=ip[:45],
        )
    )


PAGE_SIZE = 50


async def list_entries(page: int = 1, action: str = "") -> tuple[list[AuditEntry], bool]:
    """Newest entries first, one page; also whether an older page exists."""
    query = AuditLog.select().order_by(AuditLog.id, ascending=False)
    if action:
        query = query.where(AuditLog.action == action)
    rows = await query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    entries = [
        AuditEntry(
            id=row["id"],
            at=row["at"],
            actor_label=row["actor_label"],
            action=row["action"],
            target_type=row["target_type"],
            target_id=row["target_id"],
            before=_decode(row["before"]),
            after=_decode(row["after"]),
            ip=row["ip"],
        )
        for row in rows[:PAGE_SIZE]
    ]
    return entries, len(rows) > PAGE_SIZE


def _decode(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    try:
        decoded = msgspec.json.decode(value or "{}")
    except msgspec.DecodeError:
        return {}
    return decoded if isinstance(decoded, dict) else {}
