"""Accounts: registration, profiles, passwords, and the admin's user management."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from portal import audit, sessions
from portal.db import contains, write_transaction
from portal.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from portal.i18n import LANGUAGES
from portal.i18n import gettext as _
from portal.roles import ROLE_VALUES, Role
from portal.security import hash_password, password_problem, verify_password
from portal.tables import Department, User
from portal.validation import (
    FieldErrors,
    check_choice,
    check_email,
    check_line,
    parse_id,
    password_message,
)

MAX_NAME_LENGTH = 80
USERS_PAGE_SIZE = 25


class UserView(msgspec.Struct, frozen=True):
    """A person as pages and the API show them."""

    id: int
    email: str
    display_name: str
    role: str
    department_id: int | None
    department: str
    language: str
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class DepartmentView(msgspec.Struct, frozen=True):
    """An organisational unit."""

    id: int
    name: str


class RegisterInput(msgspec.Struct, frozen=True):
    """What a new employee fills in."""

    email: str = ""
    display_name: str = ""
    department_id: str = ""
    password: str = ""


class ProfileInput(msgspec.Struct, frozen=True):
    """The profile settings a person can change themselves."""

    display_name: str = ""
    department_id: str = ""
    language: str = ""


class UserPage(msgspec.Struct, frozen=True):
    """One page of the admin's user list."""

    users: list[UserView]
    page: int
    has_next: bool
    total: int


_VIEW_COLUMNS = (
    User.id,
    User.email,
    User.display_name,
    User.role,
    User.department,
    User.department.name.as_alias("department_name"),
    User.language,
    User.is_active,
    User.created_at,
    User.last_login_at,
)


def _view(row: dict) -> UserView:
    return UserView(
        id=row["id"],
        email=row["email"],
        display_name=row["display_name"],
        role=row["role"],
        department_id=row["department"],
        department=row["department_name"] or "",
        language=row["language"],
        is_active=row["is_active"],
        created_at=row["created_at"],
        last_login_at=row["last_login_at"],
    )


async def list_departments() -> list[DepartmentView]:
    """Every department, alphabetically."""
    rows = await Department.select(Department.id, Department.name).order_by(Department.name)
    return [DepartmentView(**row) for row in rows]


async def ensure_department(name: str) -> int:
    """The id of the department called ``name``, created if missing."""
    existing = await Department.select(Department.id).where(Department.name == name).first()
    if existing:
        return existing["id"]
    department = Department(name=name)
    await Department.insert(department)
    return department.id


async def _check_department(errors: FieldErrors, field: str, raw: str) -> int | None:
    department_id = parse_id(raw)
    if department_id is None or not await Department.exists().where(Department.id == department_id):
        errors.add(field, _("Choose your department."))
        return None
    return department_id


async def get_user(user_id: int) -> UserView:
    """One person by id."""
    row = await User.select(*_VIEW_COLUMNS).where(User.id == user_id).first()
    if row is None:
        raise NotFound(_("That person does not exist."))
    return _view(row)


async def register_user(data: RegisterInput) -> UserView | None:
    """Create an employee account from the registration form.

    Returns None, after the same work, when the address already has an account: the
    caller answers both cases alike so registration cannot reveal who has an account.
    """
    errors = FieldErrors()
    email = check_email(errors, "email", data.email)
    name = check_line(
        errors, "display_name", data.display_name, label=_("Name"), max_length=MAX_NAME_LENGTH
    )
    department_id = await _check_department(errors, "department_id", data.department_id)
    problem = password_problem(data.password, email=email, name=name)
    if problem:
        errors.add("password", password_message(problem))
    errors.raise_if_any()
    try:
        return await create_user(
            email=email, display_name=name, password=data.password, department_id=department_id
        )
    except Conflict:
        return None


async def create_user(
    *,
    email: str,
    display_name: str,
    password: str,
    role: str = Role.EMPLOYEE.value,
    department_id: int | None = None,
) -> UserView:
    """Create an account (registration, CLI, demo data); the e-mail must be unused."""
    return await add_account(
        email=email,
        display_name=display_name,
        password_hash=await hash_password(password),
        role=role,
        department_id=department_id,
    )


async def add_account(
    *,
    email: str,
    display_name: str,
    password_hash: str,
    role: str = Role.EMPLOYEE.value,
    department_id: int | None = None,
) -> UserView:
    """Store an account whose password is already hashed (argon2id, by hash_password).

    :func:`create_user` hashes first; test factories reuse one hash of the shared test
    password, since hashing costs ~25 ms by design and the suites create thousands of people.
    """
    if role not in ROLE_VALUES:
        raise ValidationFailed(_("Unknown role."), {"role": _("Choose one of the options.")})
    now = datetime.now(UTC)
    async with write_transaction():
        if await User.exists().where(User.email == email.lower()):
            raise Conflict(
                _("An account with this e-mail address already exists. Sign in instead."),
                {"email": _("An account with this e-mail address already exists.")},
            )
        user = User(
            email=email.lower(),
            display_name=display_name,
            password_hash=password_hash,
            role=role,
            department=department_id,
            created_at=now,
            password_changed_at=now,
        )
        await User.insert(user)
    return await get_user(user.id)


async def update_profile(user_id: int, data: ProfileInput) -> UserView:
    """Change one's own name, department and language."""
    errors = FieldErrors()
    name = check_line(
        errors, "display_name", data.display_name, label=_("Name"), max_length=MAX_NAME_LENGTH
    )
    department_id = await _check_department(errors, "department_id", data.department_id)
    language = data.language.strip()
    if language:
        language = check_choice(errors, "language", language, tuple(LANGUAGES))
    errors.raise_if_any()
    await User.update(
        {User.display_name: name, User.department: department_id, User.language: language}
    ).where(User.id == user_id)
    return await get_user(user_id)


async def change_password(
    user_id: int, current: str, new: str, keep_session_id: int | None = None
) -> None:
    """Change one's password after re-checking the current one; ends all other sessions."""
    row = (
        await User.select(User.password_hash, User.email, User.display_name)
        .where(User.id == user_id)
        .first()
    )
    if row is None:
        raise NotFound(_("That person does not exist."))
    errors = FieldErrors()
    if not await verify_password(row["password_hash"], current):
        errors.add("current_password", _("Your current password is not correct."))
    problem = password_problem(new, email=row["email"], name=row["display_name"])
    if problem:
        errors.add("new_password", password_message(problem))
    elif new == current:
        errors.add("new_password", _("Choose a password different from your current one."))
    errors.raise_if_any()
    new_hash = await hash_password(new)
    async with write_transaction():
        await User.update(
            {User.password_hash: new_hash, User.password_changed_at: datetime.now(UTC)}
        ).where(User.id == user_id)
        await sessions.end_all_sessions(user_id, keep_session_id=keep_session_id)


async def list_users(query: str = "", role: str = "", page: int = 1) -> UserPage:
    """People for the admin page, filtered by name/e-mail and role, alphabetically."""
    where = []
    if query:
        where.append(contains(User.display_name, query) | contains(User.email, query))
    if role:
        where.append(User.role == role)
    select = User.select(*_VIEW_COLUMNS).order_by(User.display_name)
    count = User.count()
    for condition in where:
        select = select.where(condition)
        count = count.where(condition)
    rows = await select.limit(USERS_PAGE_SIZE + 1).offset((page - 1) * USERS_PAGE_SIZE)
    return UserPage(
        users=[_view(row) for row in rows[:USERS_PAGE_SIZE]],
        page=page,
        has_next=len(rows) > USERS_PAGE_SIZE,
        total=await count,
    )


async def change_role(
    actor: sessions.SessionUser, user_id: int, role: str, ip: str = ""
) -> UserView:
    """An admin gives someone another role; their sessions get new ids, demotions end them."""
    if role not in ROLE_VALUES:
        raise ValidationFailed(_("Unknown role."), {"role": _("Choose one of the options.")})
    if user_id == actor.id:
        raise PermissionDenied(_("You cannot change your own role."))
    async with write_transaction():
        row = await User.select(User.role, User.email).where(User.id == user_id).first()
        if row is None:
            raise NotFound(_("That person does not exist."))
        if row["role"] == role:
            return await get_user(user_id)
        await User.update({User.role: role}).where(User.id == user_id)
        await audit.record(
            actor_id=actor.id,
            actor_label=actor.email,
            action="user.role_changed",
            target_type="user",
            target_id=user_id,
            before={"role": row["role"], "email": row["email"]},
            after={"role": role, "email": row["email"]},
            ip=ip,
        )
        if role == Role.EMPLOYEE or row["role"] == Role.ADMIN:
            await sessions.end_all_sessions(user_id)
        else:
            await sessions.rotate_sessions(user_id)
    return await get_user(user_id)


async def set_active(
    actor: sessions.SessionUser, user_id: int, active: bool, ip: str = ""
) -> UserView:
    """Deactivate (ending sessions and tokens) or reactivate an account."""
    if user_id == actor.id:
        raise PermissionDenied(_("You cannot deactivate your own account."))
    async with write_transaction():
        row = await User.select(User.is_active, User.email).where(User.id == user_id).first()
        if row is None:
            raise NotFound(_("That person does not exist."))
        if row["is_active"] == active:
            return await get_user(user_id)
        await User.update({User.is_active: active}).where(User.id == user_id)
        await audit.record(
            actor_id=actor.id,
            actor_label=actor.email,
            action="user.reactivated" if active else "user.deactivated",
            target_type="user",
            target_id=user_id,
            before={"is_active": row["is_active"], "email": row["email"]},
            after={"is_active": active, "email": row["email"]},
            ip=ip,
        )
        if not active:
            await sessions.end_all_sessions(user_id)
            await sessions.revoke_all_tokens(user_id)
    return await get_user(user_id)


async def count_by_department() -> list[tuple[str, int]]:
    """Active people per department, largest first (home page overview)."""
    rows = await User.raw(
        "SELECT d.name AS name, COUNT(u.id) AS people FROM department d "
        "LEFT JOIN vonk_user u ON u.department = d.id AND u.is_active "
        "GROUP BY d.id, d.name ORDER BY people DESC, d.name"
    )
    return [(row["name"], int(row["people"])) for row in rows]


async def set_language(user_id: int, language: str) -> None:
    """Save someone's language choice."""
    if language not in LANGUAGES:
        raise ValidationFailed(
            _("Unknown language."), {"language": _("Choose one of the options.")}
        )
    await User.update({User.language: language}).where(User.id == user_id)


async def search_people(query: str, page: int = 1) -> UserPage:
    """Active colleagues whose name or department matches, for the header search."""
    condition = (User.is_active == True) & (  # noqa: E712 - Piccolo builds SQL from ==
        contains(User.display_name, query) | contains(User.department.name, query)
    )
    rows = await (
        User.select(*_VIEW_COLUMNS)
        .where(condition)
        .order_by(User.display_name)
        .limit(USERS_PAGE_SIZE + 1)
        .offset((page - 1) * USERS_PAGE_SIZE)
    )
    return UserPage(
        users=[_view(row) for row in rows[:USERS_PAGE_SIZE]],
        page=page,
        has_next=len(rows) > USERS_PAGE_SIZE,
        total=await User.count().where(condition),
    )


async def newest_colleagues(limit: int = 8) -> list[UserView]:
    """The most recently joined active people."""
    rows = await (
        User.select(*_VIEW_COLUMNS)
        .where(User.is_active == True)  # noqa: E712
        .order_by(User.id, ascending=False)
        .limit(limit)
    )
    return [_view(row) for row in rows]
