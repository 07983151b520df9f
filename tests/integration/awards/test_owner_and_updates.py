"""Owners and implementation updates: who may, which ideas, progress and spend, idempotency."""

from __future__ import annotations

import pytest

from challenges.enums import Stage
from challenges.services import awards, ideas
from challenges.tables import ImplementationUpdate
from portal.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from portal.i18n import set_language
from tests.domain_factories import audit_entries, events_of, set_stage
from tests.integration.awards.conftest import World, idea_row


def update(text: str = "Ordered the **phones**.", percent: str = "30", **changes):
    return awards.UpdateInput(text=text, percent=percent, **changes)


async def _own(world: World, name: str = "owen") -> None:
    await awards.set_owner(
        world.viewer("mona"), world.idea.id, awards.OwnerInput(getattr(world, name).email)
    )


async def test_the_manager_names_an_owner_by_address_or_id_and_it_is_audited(world: World):
    mona = world.viewer("mona")
    named = await awards.set_owner(
        mona, world.idea.id, awards.OwnerInput("  OWEN@example.com "), ip="10.0.0.9"
    )
    assert named.changed
    assert named.owner == awards.PersonRef(world.owen.id, "Owen Owner")
    assert (await idea_row(world.idea.id))["owner"] == world.owen.id
    same = await awards.set_owner(mona, world.idea.id, awards.OwnerInput(str(world.owen.id)))
    assert not same.changed
    moved = await awards.set_owner(
        world.viewer("anna"), world.idea.id, awards.OwnerInput(str(world.carl.id))
    )
    assert moved.owner == awards.PersonRef(world.carl.id, "Carl Colleague")
    removed = await awards.set_owner(mona, world.idea.id, awards.OwnerInput(""))
    assert removed.changed
    assert removed.owner is None
    assert (await idea_row(world.idea.id))["owner"] is None
    entries = await audit_entries("idea.owner")
    assert [(e["before"]["owner_id"], e["after"]["owner_id"]) for e in entries] == [
        (None, world.owen.id),
        (world.owen.id, world.carl.id),
        (world.carl.id, None),
    ]
    assert entries[0]["after"]["owner_name"] == "Owen Owner"
    assert entries[0]["ip"] == "10.0.0.9"
    assert entries[1]["actor_id"] == world.anna.id


@pytest.mark.parametrize("owner", ["nobody@example.com", "not an address", "999999", "0"])
async def test_an_unknown_owner_is_a_field_error(world: World, owner: str):
    with pytest.raises(ValidationFailed) as refused:
        await awards.set_owner(world.viewer("mona"), world.idea.id, awards.OwnerInput(owner))
    assert set(refused.value.fields) == {"owner"}
    assert (await idea_row(world.idea.id))["owner"] is None


@pytest.mark.parametrize("name", ["alice", "bob", "carl", "owen", "mark", "rita", "olga"])
async def test_only_the_manager_and_admins_name_owners(world: World, name: str):
    with pytest.raises(PermissionDenied):
        await awards.set_owner(
            world.viewer(name), world.idea.id, awards.OwnerInput(world.owen.email)
        )
    with pytest.raises(PermissionDenied):
        await awards.check_owner_picker(world.viewer(name), world.idea.id)
    assert await audit_entries("idea.owner") == []


async def test_owners_are_for_selected_and_implementing_ideas(world: World):
    await set_stage(world.idea.id, Stage.SHORTLIST.value)
    with pytest.raises(Conflict):
        await awards.set_owner(
            world.viewer("mona"), world.idea.id, awards.OwnerInput(world.owen.email)
        )
    await set_stage(world.idea.id, Stage.IMPLEMENTING.value)
    assert (
        await awards.set_owner(
            world.viewer("mona"), world.idea.id, awards.OwnerInput(world.owen.email)
        )
    ).changed


async def test_updates_move_progress_and_add_spend(world: World):
    await _own(world)
    owen = world.viewer("owen")
    first = await awards.post_update(owen, world.idea.id, update(spend="1,200.50"))
    assert first.created
    assert first.update.body_html == "<p>Ordered the <strong>phones</strong>.</p>"
    assert first.update.percent == 30
    assert first.update.spend_minor == 120_050
    assert first.update.spend_text == "€1,200.50"
    assert first.update.author.name == "Owen Owner"
    row = await idea_row(world.idea.id)
    assert (row["progress"], row["spent_minor"]) == (30, 120_050)
    second = await awards.post_update(
        world.viewer("mona"), world.idea.id, update("Pilot week done.", "75%", spend="99.50")
    )
    third = await awards.post_update(owen, world.idea.id, update("Rolled out.", "100"))
    row = await idea_row(world.idea.id)
    assert (row["progress"], row["spent_minor"]) == (100, 130_000)
    assert third.update.spend_minor is None
    assert third.update.spend_text == ""
    assert await events_of("implementation_updated") == [
        {"idea_id": world.idea.id, "update_id": u.update.id, "percent": p, "by": by}
        for u, p, by in (
            (first, 30, world.owen.id),
            (second, 75, world.mona.id),
            (third, 100, world.owen.id),
        )
    ]
    idea = await ideas.get_idea(world.viewer("alice"), world.idea.id)
    funding = await awards.get_idea_funding(world.viewer("alice"), idea)
    assert funding is not None
    assert [u.body for u in funding.updates] == [
        "Rolled out.",
        "Pilot week done.",
        "Ordered the **phones**.",
    ]  # newest first
    assert funding.progress == 100
    assert funding.spent_text == "€1,300"
    assert not funding.can_post_update
    assert not funding.can_award


async def test_progress_may_go_down_and_spend_may_pass_the_award(world: World):
    mona = world.viewer("mona")
    await awards.award_budget(mona, world.idea.id, awards.AwardInput(amount="100"))
    await awards.post_update(mona, world.idea.id, update(percent="60", spend="150"))
    await awards.post_update(mona, world.idea.id, update("Setback.", percent="40"))
    funding = await awards.get_funding(mona, world.idea.id)
    assert funding.progress == 40
    assert funding.spent_percent == 100
    assert funding.overspent_text == "€50"


async def test_a_repeated_submit_key_posts_once(world: World):
    mona = world.viewer("mona")
    first = await awards.post_update(mona, world.idea.id, update(spend="10", submit_key="upd-0001"))
    again = await awards.post_update(
        mona, world.idea.id, update("Changed", "90", spend="10", submit_key="upd-0001")
    )
    assert first.created
    assert not again.created
    assert again.update.id == first.update.id
    assert await ImplementationUpdate.count() == 1
    row = await idea_row(world.idea.id)
    assert (row["progress"], row["spent_minor"]) == (30, 1_000)


@pytest.mark.parametrize("name", ["alice", "bob", "carl", "mark", "rita", "olga"])
async def test_only_the_owner_manager_and_admins_post_updates(world: World, name: str):
    await _own(world)
    with pytest.raises(PermissionDenied):
        await awards.post_update(world.viewer(name), world.idea.id, update())
    assert await ImplementationUpdate.count() == 0
    assert (await idea_row(world.idea.id))["progress"] == 0


async def test_a_former_owner_can_no_longer_post(world: World):
    await _own(world)
    await awards.post_update(world.viewer("owen"), world.idea.id, update())
    await _own(world, "carl")
    with pytest.raises(PermissionDenied):
        await awards.post_update(world.viewer("owen"), world.idea.id, update())
    assert (await awards.post_update(world.viewer("carl"), world.idea.id, update())).created


async def test_updates_end_with_the_implementation(world: World):
    await _own(world)
    for stage in (Stage.IMPLEMENTED, Stage.FAILED, Stage.SHORTLIST):
        await set_stage(world.idea.id, stage.value)
        with pytest.raises(Conflict):
            await awards.post_update(world.viewer("owen"), world.idea.id, update())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 50_001}, "text"),
        ({"percent": ""}, "percent"),
        ({"percent": "101"}, "percent"),
        ({"percent": "-1"}, "percent"),
        ({"percent": "12.5"}, "percent"),
        ({"percent": "²"}, "percent"),
        ({"spend": "0"}, "spend"),
        ({"spend": "lots"}, "spend"),
        ({"spend_minor": -5}, "spend"),
        ({"submit_key": "bad key!"}, "submit_key"),
    ],
)
async def test_bad_updates_are_field_errors(world: World, changes: dict, field: str):
    data = {"text": "Ordered the phones.", "percent": "30", **changes}
    with pytest.raises(ValidationFailed) as refused:
        await awards.post_update(world.viewer("mona"), world.idea.id, awards.UpdateInput(**data))
    assert set(refused.value.fields) == {field}
    assert await ImplementationUpdate.count() == 0


async def test_update_text_is_sanitised_markdown(world: World):
    posted = await awards.post_update(
        world.viewer("mona"),
        world.idea.id,
        update('<img src=x onerror="alert(1)"> [link](javascript:alert(2)) <script>x</script>'),
    )
    html = posted.update.body_html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<script" not in html


async def test_dutch_spend(world: World):
    set_language("nl")
    try:
        posted = await awards.post_update(
            world.viewer("mona"), world.idea.id, update(spend="1.250,50")
        )
    finally:
        set_language("en")
    assert posted.update.spend_minor == 125_050


async def test_funding_is_shown_only_where_it_means_something(world: World):
    alice = world.viewer("alice")
    idea = await ideas.get_idea(alice, world.idea.id)
    assert await awards.get_idea_funding(alice, idea) is not None  # selected
    await set_stage(world.idea.id, Stage.EVALUATION.value)
    idea = await ideas.get_idea(alice, world.idea.id)
    assert await awards.get_idea_funding(alice, idea) is None  # never selected, no money
    await set_stage(world.idea.id, Stage.SELECTED.value)
    await awards.award_budget(world.viewer("mona"), world.idea.id, awards.AwardInput(amount="5"))
    await set_stage(world.idea.id, Stage.PARKED.value)
    idea = await ideas.get_idea(alice, world.idea.id)
    funding = await awards.get_idea_funding(alice, idea)
    assert funding is not None
    assert funding.awarded_text == "€5"
    assert not funding.fundable
    manager_view = await awards.get_funding(world.viewer("mona"), world.idea.id)
    assert not manager_view.can_award  # nothing more while parked


async def test_funding_of_an_unseen_idea_is_missing(world: World):
    with pytest.raises(NotFound):
        await awards.get_funding(world.viewer("alice"), 999_999)
