"""HTML pages for challenges: the list, posing and editing, the challenge page, moves, follows.

Also ``POST /preview``, the live Markdown preview every editor uses (briefs, ideas, comments).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from litestar import Controller, Request, post
from litestar import get as get_route
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from challenges.enums import ChallengeState, Stage, WinnerBy
from challenges.services import challenges as service
from challenges.services import discussions
from challenges.services.challenges import forms, labels, money, rules
from portal.errors import Conflict, TooLarge, ValidationFailed
from portal.forms import page, read_form
from portal.guards import require_role
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.params import PageParam
from portal.roles import Role
from portal.web import context_of, is_htmx, viewer_of

StateParam = Annotated[str, QueryParameter(name="state", max_length=20)]
TagParam = Annotated[str, QueryParameter(name="tag", max_length=40)]
SortParam = Annotated[str, QueryParameter(name="sort", max_length=20)]
StageParam = Annotated[str, QueryParameter(name="stage", max_length=20)]
CommentsPageParam = Annotated[int, QueryParameter(name="cpage", ge=1, le=10_000)]
require_manager = require_role(Role.MANAGER)
_SOURCE_RE = re.compile(r"^[a-z_]{1,40}$")


def template_helpers() -> dict[str, Any]:
    """Helpers every challenge template uses."""
    return {
        "state_label": labels.state_label,
        "stage_label": labels.stage_label,
        "move_label": labels.move_label,
        "currencies": money.CURRENCIES,
        "budget_example": money.budget_example(get_language()),
        "states": [s.value for s in ChallengeState],
        "stages": [s.value for s in Stage],
    }


def form_page(
    *,
    challenge: service.ChallengeView | None,
    values: dict[str, str],
    rows: list[dict[str, str]],
    errors: dict[str, str] | None = None,
    conflict: service.ChallengeView | None = None,
    preview: Any = None,
    status_code: int = 200,
) -> Template:
    """The create/edit form with what the person typed, their errors and any notice."""
    if preview is None and values.get("brief"):
        preview, _problem = preview_or_error(values["brief"])
    return page(
        "challenges/form.html",
        status_code=status_code,
        challenge=challenge,
        values=values,
        rows=rows,
        errors=errors or {},
        conflict=conflict,
        preview=preview,
        **template_helpers(),
    )


def preview_or_error(text: str) -> tuple[Any, dict[str, str]]:
    """The brief rendered for the no-JavaScript preview, or its error."""
    try:
        return service.render_preview(text), {}
    except TooLarge as exc:
        return None, {"brief": exc.message}


class ChallengePages(Controller):
    """Challenge pages (HTML)."""

    path = "/challenges"
    include_in_schema = False

    @get_route("/", name="challenges")
    async def index(
        self,
        request: Request,
        state_filter: StateParam = "",
        tag: TagParam = "",
        sort: SortParam = "",
        page_number: PageParam = 1,
    ) -> Template:
        """Every challenge the person may see, open ones first; filter and sort."""
        result = await service.list_challenges(
            viewer_of(request), state=state_filter, tag=tag, sort=sort, page=page_number
        )
        return page("challenges/list.html", result=result, **template_helpers())

    @get_route("/new", name="challenge_new", guards=[require_manager])
    async def new(self) -> Template:
        """The form to pose a challenge."""
        values, rows = forms.new_values(get_language())
        return form_page(challenge=None, values=values, rows=rows)

    @post("/new", guards=[require_manager])
    async def create(self, request: Request) -> Template | Redirect:
        """Save a new challenge as a draft (or show the preview)."""
        form = await read_form(request, *forms.field_names())
        values, rows = forms.values_from_form(form)
        if form["intent"] == "preview":
            preview, errors = preview_or_error(form["brief"])
            return form_page(
                challenge=None, values=values, rows=rows, preview=preview, errors=errors
            )
        try:
            created = await service.create_challenge(
                viewer_of(request), forms.input_from_form(form)
            )
        except ValidationFailed as exc:
            return form_page(
                challenge=None, values=values, rows=rows, errors=exc.fields, status_code=422
            )
        context_of(request).flash(
            "success", _("Your challenge is saved as a draft. Open it for ideas when it is ready.")
        )
        return Redirect(f"/challenges/{created.slug}", status_code=303)

    @get_route("/{slug:str}", name="challenge")
    async def show(
        self,
        request: Request,
        slug: FromPath[str],
        sort: SortParam = "",
        stage: StageParam = "",
        tag: TagParam = "",
        page_number: PageParam = 1,
        comments_page: CommentsPageParam = 1,
    ) -> Template:
        """The challenge: brief, budget, timeline, scorecard, its ideas and the questions."""
        viewer = viewer_of(request)
        challenge = await service.get_challenge(viewer, slug)
        ideas = await service.list_challenge_ideas(
            viewer, challenge.id, sort=sort, stage=stage, tag=tag, page=page_number
        )
        if is_htmx(request, "ideas"):
            return page(
                "challenges/_ideas.html", challenge=challenge, ideas=ideas, **template_helpers()
            )
        thread = await discussions.get_thread(viewer, challenge_id=challenge.id, page=comments_page)
        return page(
            "challenges/show.html",
            challenge=challenge,
            ideas=ideas,
            thread=thread,
            **template_helpers(),
        )

    @get_route("/{slug:str}/edit", name="challenge_edit", guards=[require_manager])
    async def edit(self, request: Request, slug: FromPath[str]) -> Template:
        """The edit form, filled in with the stored challenge."""
        challenge = await service.get_editable_challenge(viewer_of(request), slug)
        values, rows = forms.values_of(challenge, get_language())
        return form_page(challenge=challenge, values=values, rows=rows)

    @post("/{slug:str}/edit", guards=[require_manager])
    async def save(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        """Save changes; a stale version shows both versions and loses nothing."""
        viewer = viewer_of(request)
        form = await read_form(request, *forms.field_names())
        values, rows = forms.values_from_form(form)
        challenge = await service.get_editable_challenge(viewer, slug)
        if form["intent"] == "preview":
            preview, errors = preview_or_error(form["brief"])
            return form_page(
                challenge=challenge, values=values, rows=rows, preview=preview, errors=errors
            )
        version = rules.whole_number(form["version"]) or 0
        try:
            saved = await service.edit_challenge(viewer, slug, forms.input_from_form(form), version)
        except ValidationFailed as exc:
            return form_page(
                challenge=challenge, values=values, rows=rows, errors=exc.fields, status_code=422
            )
        except service.ChallengeChanged as exc:
            values["version"] = str(exc.current.version)
            return form_page(
                challenge=exc.current,
                values=values,
                rows=rows,
                conflict=exc.current,
                status_code=409,
            )
        context_of(request).flash("success", _("The challenge has been saved."))
        return Redirect(f"/challenges/{saved.slug}", status_code=303)

    @post("/{slug:str}/state", guards=[require_manager])
    async def move(self, request: Request, slug: FromPath[str]) -> Redirect:
        """Move the challenge to another state (audited)."""
        form = await read_form(request, "state")
        ctx = context_of(request)
        viewer = viewer_of(request)
        if rules.check_state(form["state"]) is None:  # not one of our buttons: a plain 422
            await service.move_challenge(viewer, slug, form["state"], ctx.client_ip)
        try:
            moved = await service.move_challenge(viewer, slug, form["state"], ctx.client_ip)
        except (Conflict, ValidationFailed) as exc:
            ctx.flash("error", exc.message)
            return Redirect(f"/challenges/{slug}", status_code=303)
        if moved.winner_by == WinnerBy.VOTES and moved.state == ChallengeState.DECIDED:
            ctx.flash(
                "success",
                _(
                    "Voting is closed and the community's choice is made: the most-voted "
                    "ideas are selected. See the results."
                ),
            )
            return Redirect(f"/challenges/{slug}/results", status_code=303)
        ctx.flash(
            "success",
            _("The challenge is now: %(state)s.", state=labels.state_label(moved.state)),
        )
        return Redirect(f"/challenges/{slug}", status_code=303)

    @post("/{slug:str}/follow")
    async def follow(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        """Follow or unfollow (the form says which, so a double submit changes nothing)."""
        form = await read_form(request, "follow")
        want = {"1": True, "0": False}.get(form["follow"])
        following, followers = await service.toggle_challenge_follow(viewer_of(request), slug, want)
        if is_htmx(request):
            return page(
                "challenges/_follow.html", slug=slug, following=following, followers=followers
            )
        context_of(request).flash(
            "success",
            _("You follow this challenge now.")
            if following
            else _("You no longer follow this challenge."),
        )
        return Redirect(f"/challenges/{slug}", status_code=303)


@post("/preview", name="markdown_preview", include_in_schema=False)
async def preview(request: Request) -> Template:
    """Sanitised HTML of Markdown, for live previews: field ``text``, or the field ``source`` names.

    htmx posts the whole form around an editor; ``source`` (sent with ``hx-vals``) says
    which field holds the text, so any editor can use this without renaming its field.
    """
    form = await read_form(request, "text", "source")
    text = form["text"]
    if not text and _SOURCE_RE.match(form["source"]):
        text = (await read_form(request, form["source"]))[form["source"]]
    return page("challenges/_preview.html", html=service.render_preview(text))


ROUTES: list[Any] = [ChallengePages, preview]
