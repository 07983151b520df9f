"""A challenge's results for management reports: CSV (spreadsheet-safe) and JSON."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import msgspec
from babel.numbers import get_currency_precision

from challenges.services.awards import rules
from challenges.services.awards.read import get_results
from challenges.services.awards.views import ChallengeResults
from challenges.services.challenges.labels import stage_label
from portal.i18n import gettext as _
from portal.sessions import SessionUser


class ExportPerson(msgspec.Struct, frozen=True):
    """Someone named in the export."""

    id: int
    name: str


class ExportWinner(msgspec.Struct, frozen=True):
    """One winner; amounts in minor units of the challenge's currency (cents for EUR).

    ``authors`` is null while blind screening hides them from the caller.
    """

    idea_id: int
    url: str
    title: str
    stage: str
    authors: list[str] | None
    owner: ExportPerson | None
    awarded_minor: int
    award_count: int
    spent_minor: int
    progress: int
    last_update_at: datetime | None


class ExportBudget(msgspec.Struct, frozen=True):
    """The challenge's budget in minor units: total, awarded, remaining, spent by winners."""

    currency: str
    budget_minor: int
    awarded_minor: int
    remaining_minor: int
    spent_minor: int


class ExportChallenge(msgspec.Struct, frozen=True):
    """The challenge the results are about."""

    slug: str
    title: str
    state: str
    url: str


class ResultsExport(msgspec.Struct, frozen=True):
    """A challenge's results as JSON: budget and winners, most money first."""

    challenge: ExportChallenge
    budget: ExportBudget
    winners: list[ExportWinner]
    generated_at: datetime


class CsvExport(msgspec.Struct, frozen=True):
    """A CSV file: its suggested name and its text."""

    filename: str
    text: str


def to_export(results: ChallengeResults) -> ResultsExport:
    """The JSON shape of a challenge's results."""
    budget, challenge = results.budget, results.challenge
    return ResultsExport(
        challenge=ExportChallenge(
            slug=challenge.slug,
            title=challenge.title,
            state=challenge.state,
            url=f"/challenges/{challenge.slug}/results",
        ),
        budget=ExportBudget(
            currency=budget.currency,
            budget_minor=budget.budget_minor,
            awarded_minor=budget.awarded_minor,
            remaining_minor=budget.remaining_minor,
            spent_minor=budget.spent_minor,
        ),
        winners=[
            ExportWinner(
                idea_id=row.idea_id,
                url=f"/ideas/{row.idea_id}",
                title=row.title,
                stage=row.stage,
                authors=None if row.authors_hidden else row.authors,
                owner=ExportPerson(row.owner.id, row.owner.name) if row.owner else None,
                awarded_minor=row.awarded_minor,
                award_count=row.award_count,
                spent_minor=row.spent_minor,
                progress=row.progress,
                last_update_at=row.last_update_at,
            )
            for row in results.winners
        ],
        generated_at=datetime.now(UTC),
    )


async def results_export(viewer: SessionUser, slug: str) -> ResultsExport:
    """A challenge's results as JSON (NotFound when the viewer may not see the challenge)."""
    return to_export(await get_results(viewer, slug))


def _decimal(minor: int, currency: str) -> str:
    """Minor units as a plain decimal in major units (``2500.00``): what spreadsheets read."""
    precision = get_currency_precision(currency)
    return f"{Decimal(minor).scaleb(-precision):.{precision}f}"


def to_csv(results: ChallengeResults) -> str:
    """The winners as CSV: one row per idea, headers in the reader's language.

    Every cell passes :func:`rules.csv_cell`, so a title like ``=HYPERLINK(…)`` stays text.
    The text starts with a byte-order mark so spreadsheet programs read it as UTF-8.
    """
    currency = results.budget.currency
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = [
        _("Idea"),
        _("Title"),
        _("Stage"),
        _("Authors"),
        _("Owner"),
        _("Awarded (%(currency)s)", currency=currency),
        _("Awards"),
        _("Spent (%(currency)s)", currency=currency),
        _("Progress (%)"),
        _("Last update"),
    ]
    writer.writerow([rules.csv_cell(cell) for cell in header])
    for row in results.winners:
        cells = [
            row.idea_id,
            row.title,
            stage_label(row.stage),
            _("Hidden during blind screening") if row.authors_hidden else "; ".join(row.authors),
            row.owner.name if row.owner else "",
            _decimal(row.awarded_minor, currency),
            row.award_count,
            _decimal(row.spent_minor, currency),
            row.progress,
            row.last_update_at.date().isoformat() if row.last_update_at else "",
        ]
        writer.writerow([rules.csv_cell(cell) for cell in cells])
    return "\ufeff" + out.getvalue()


async def results_csv(viewer: SessionUser, slug: str) -> CsvExport:
    """A challenge's results as a CSV file (NotFound when the viewer may not see it)."""
    results = await get_results(viewer, slug)
    return CsvExport(filename=f"{results.challenge.slug}-results.csv", text=to_csv(results))
