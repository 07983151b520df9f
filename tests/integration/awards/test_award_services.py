"""award_budget: who may award, which ideas, how much, exactly once; audit and events."""

from __future__ import annotations

import pytest

from challenges.enums import ChallengeState, Stage
from challenges.services import awards
from challenges.tables import Award
from portal.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from portal.i18n import set_language
from tests.domain_factories import audit_entries, events_of, make_challenge, make_idea, set_stage
from tests.integration.awards.conftest import (
    BUDGET,
    World,
    award_input,
    challenge_totals,
    idea_row,
    selected_idea,
)


async def test_manager_awards_budget_to_a_selected_idea(world: World):
    mona = world.viewer("mona")
    granted = await awards.award_budget(
        mona, world.idea.id, award_input("2,500.50", note="Phones and a pilot week"), ip="10.0.0.7"
    )
    assert granted.created
    assert granted.award.amount_minor == 250_050
    assert granted.award.amount_text == "€2,500.50"
    assert granted.award.note == "Phones and a pilot week"
    assert granted.award.by.name == "Mona Manager"
    assert await challenge_totals(world.challenge.id) == (BUDGET, 250_050)
    assert (await idea_row(world.idea.id))["awarded_minor"] == 250_050
    second = await awards.award_budget(mona, world.idea.id, award_input("1000"))
    assert second.created
    assert await challenge_totals(world.challenge.id) == (BUDGET, 350_050)
    assert (await idea_row(world.idea.id))["awarded_minor"] == 350_050

    [first_entry, second_entry] = await audit_entries("idea.award")
    assert first_entry["actor_id"] == world.mona.id
    assert first_entry["target_type"] == "idea"
    assert first_entry["target_id"] == str(world.idea.id)
    assert first_entry["ip"] == "10.0.0.7"
    assert first_entry["before"] == {"idea_awarded_minor": 0, "challenge_awarded_minor": 0}
    assert first_entry["after"]["amount_minor"] == 250_050
    assert first_entry["after"]["challenge_awarded_minor"] == 250_050
    assert first_entry["after"]["budget_minor"] == BUDGET
    assert first_entry["after"]["note"] == "Phones and a pilot week"
    assert second_entry["before"]["challenge_awarded_minor"] == 250_050
    assert await events_of("award_granted") == [
        {
            "idea_id": world.idea.id,
            "challenge_id": world.challenge.id,
            "award_id": granted.award.id,
            "amount_minor": 250_050,
            "by": world.mona.id,
        },
        {
            "idea_id": world.idea.id,
            "challenge_id": world.challenge.id,
            "award_id": second.award.id,
            "amount_minor": 100_000,
            "by": world.mona.id,
        },
    ]


async def test_amounts_are_read_in_the_readers_language(world: World):
    set_language("nl")
    try:
        granted = await awards.award_budget(
            world.viewer("mona"), world.idea.id, award_input("€ 1.250,50")
        )
        assert granted.award.amount_minor == 125_050
        assert granted.award.amount_text == "€\xa01.250,50"
        with pytest.raises(ValidationFailed) as ambiguous:
            await awards.award_budget(world.viewer("mona"), world.idea.id, award_input("1250.505"))
        assert "amount" in ambiguous.value.fields
    finally:
        set_language("en")


async def test_an_admin_awards_too_and_implementing_ideas_take_awards(world: World):
    implementing = await selected_idea(world, stage=Stage.IMPLEMENTING.value)
    granted = await awards.award_budget(world.viewer("anna"), implementing.id, award_input("10"))
    assert granted.created
    assert granted.award.by.name == "Anna Admin"


async def test_a_repeated_award_key_awards_once(world: World):
    mona = world.viewer("mona")
    first = await awards.award_budget(mona, world.idea.id, award_input("300", "award-key-0001"))
    again = await awards.award_budget(mona, world.idea.id, award_input("300", "award-key-0001"))
    changed = await awards.award_budget(mona, world.idea.id, award_input("999", "award-key-0001"))
    assert first.created
    assert not again.created
    assert not changed.created
    assert again.award.id == first.award.id == changed.award.id
    assert changed.award.amount_minor == 30_000  # the first award, not a second one
    assert await Award.count() == 1
    assert await challenge_totals(world.challenge.id) == (BUDGET, 30_000)
    assert len(await audit_entries("idea.award")) == 1
    assert len(await events_of("award_granted")) == 1
    # The same key from another manager is another submission (keys are per person).
    other = await awards.award_budget(
        world.viewer("anna"), world.idea.id, award_input("300", "award-key-0001")
    )
    assert other.created
    # One key cannot be moved to another idea.
    second_idea = await selected_idea(world)
    with pytest.raises(Conflict):
        await awards.award_budget(mona, second_idea.id, award_input("300", "award-key-0001"))
    assert await Award.count() == 2


async def test_an_award_over_the_remaining_budget_is_refused_with_what_is_left(world: World):
    mona = world.viewer("mona")
    await awards.award_budget(mona, world.idea.id, award_input("9,000"))
    with pytest.raises(awards.BudgetExceeded) as refused:
        await awards.award_budget(mona, world.idea.id, award_input("1,000.01"))
    assert refused.value.status_code == 409
    assert "€1,000 remains" in refused.value.message
    assert refused.value.fields == {"amount": refused.value.message}
    assert refused.value.remaining_minor == 100_000
    exact = await awards.award_budget(mona, world.idea.id, award_input("1,000"))
    assert exact.created
    assert await challenge_totals(world.challenge.id) == (BUDGET, BUDGET)
    with pytest.raises(awards.BudgetExceeded) as empty:
        await awards.award_budget(mona, world.idea.id, award_input("0.01"))
    assert "nothing is left" in empty.value.message
    assert await Award.count() == 2
    assert len(await audit_entries("idea.award")) == 2


async def test_a_challenge_without_budget_awards_nothing(world: World):
    free = await make_challenge(world.mona.id, budget_minor=0)
    idea = await make_idea(free.id, world.alice.id)
    await set_stage(idea.id, Stage.SELECTED.value)
    with pytest.raises(awards.BudgetExceeded):
        await awards.award_budget(world.viewer("mona"), idea.id, award_input("1"))


@pytest.mark.parametrize(
    "stage",
    [
        Stage.SUBMITTED,
        Stage.SCREENING,
        Stage.EVALUATION,
        Stage.SHORTLIST,
        Stage.IMPLEMENTED,
        Stage.DECLINED,
        Stage.PARKED,
        Stage.WITHDRAWN,
        Stage.FAILED,
    ],
)
async def test_only_selected_and_implementing_ideas_take_awards(world: World, stage: Stage):
    await set_stage(world.idea.id, stage.value)
    with pytest.raises(Conflict) as refused:
        await awards.award_budget(world.viewer("mona"), world.idea.id, award_input("100"))
    assert refused.value.status_code == 409
    assert "selected" in refused.value.message
    assert await Award.count() == 0
    assert await challenge_totals(world.challenge.id) == (BUDGET, 0)


@pytest.mark.parametrize("name", ["alice", "bob", "carl", "owen", "mark", "rita", "olga"])
async def test_only_the_challenges_manager_and_admins_award(world: World, name: str):
    with pytest.raises(PermissionDenied):
        await awards.award_budget(world.viewer(name), world.idea.id, award_input("100"))
    assert await Award.count() == 0
    assert await challenge_totals(world.challenge.id) == (BUDGET, 0)


async def test_ideas_the_actor_cannot_see_are_missing(world: World):
    draft = await make_challenge(world.olga.id, state=ChallengeState.DRAFT.value)
    idea = await make_idea(draft.id, world.alice.id)
    await set_stage(idea.id, Stage.SELECTED.value)
    with pytest.raises(NotFound):  # Mona cannot see Olga's draft
        await awards.award_budget(world.viewer("mona"), idea.id, award_input("100"))
    with pytest.raises(NotFound):
        await awards.award_budget(world.viewer("mona"), 999_999, award_input("100"))


@pytest.mark.parametrize(
    ("amount", "note", "field"),
    [
        ("", "", "amount"),
        ("0", "", "amount"),
        ("-5", "", "amount"),
        ("abc", "", "amount"),
        ("1e3", "", "amount"),
        ("10.001", "", "amount"),
        ("1,000,000,001", "", "amount"),
        ("100", "x" * 501, "note"),
    ],
)
async def test_bad_amounts_and_notes_are_field_errors(
    world: World, amount: str, note: str, field: str
):
    with pytest.raises(ValidationFailed) as refused:
        await awards.award_budget(
            world.viewer("mona"), world.idea.id, award_input(amount, note=note)
        )
    assert set(refused.value.fields) == {field}
    assert await Award.count() == 0


async def test_api_amounts_in_minor_units_are_checked_too(world: World):
    mona = world.viewer("mona")
    for bad in (0, -1, 10**18):
        with pytest.raises(ValidationFailed):
            await awards.award_budget(mona, world.idea.id, awards.AwardInput(amount_minor=bad))
    granted = await awards.award_budget(mona, world.idea.id, awards.AwardInput(amount_minor=1))
    assert granted.award.amount_text == "€0.01"


async def test_a_malformed_award_key_is_a_field_error(world: World):
    with pytest.raises(ValidationFailed) as refused:
        await awards.award_budget(world.viewer("mona"), world.idea.id, award_input("1", "short"))
    assert set(refused.value.fields) == {"award_key"}
