"""The funding forms on the idea page, the budget bar, the results page and its exports."""

from __future__ import annotations

import csv
import io
import re

import pytest

from challenges.enums import ChallengeState, Stage
from challenges.services import awards
from challenges.tables import Award, ImplementationUpdate
from tests.domain_factories import make_challenge, make_idea, set_stage
from tests.factories import form_post, sign_in
from tests.integration.awards.conftest import World, challenge_totals, idea_row, selected_idea


def section(html: str, testid: str) -> str:
    """The element with ``data-testid=testid`` up to the end of the page (for assertions)."""
    marker = f'data-testid="{testid}"'
    assert marker in html, f"{testid} missing"
    return html.split(marker, 1)[1]


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name}"
    return match.group(1)


async def _award(world: World, amount: str, idea_id: int | None = None) -> None:
    await awards.award_budget(
        world.viewer("mona"), idea_id or world.idea.id, awards.AwardInput(amount=amount)
    )


async def test_the_author_sees_funding_but_no_forms(client, world: World):
    await _award(world, "2,500")
    await awards.set_owner(
        world.viewer("mona"), world.idea.id, awards.OwnerInput("owen@example.com")
    )
    await awards.post_update(
        world.viewer("owen"),
        world.idea.id,
        awards.UpdateInput(text="Phones *ordered*.", percent="40", spend="300"),
    )
    await sign_in(client, world.alice.email)
    page = (await client.get(f"/ideas/{world.idea.id}")).text
    funding = section(page, "funding")
    assert "Funding and implementation" in funding
    assert "€2,500" in section(page, "funding-awarded")
    assert "Owen Owner" in section(page, "funding-owner")
    assert "40% complete" in section(page, "funding-progress")
    assert 'max="100" value="40"' in section(page, "funding").split('data-testid="progress-bar"')[0]
    assert "€300 of €2,500" in section(page, "funding-spent")
    assert "<em>ordered</em>" in section(page, "updates")
    assert "on " in section(page, "award")
    assert "Mona Manager" in section(page, "award")
    for form in ("award-form", "owner-form", "update-form"):
        assert f'data-testid="{form}"' not in page


async def test_the_manager_gets_every_form_and_the_owner_only_updates(client, world: World):
    await awards.set_owner(
        world.viewer("mona"), world.idea.id, awards.OwnerInput("owen@example.com")
    )
    await sign_in(client, world.mona.email)
    page = (await client.get(f"/ideas/{world.idea.id}")).text
    for form in ("award-form", "owner-form", "update-form"):
        assert f'data-testid="{form}"' in page
    assert "Left in the challenge's budget: €10,000 of €10,000." in page
    assert 'value="owen@example.com"' in section(page, "owner-form")
    assert '<label for="award-amount">Amount in EUR</label>' in page
    assert '<label for="update-percent">Percent complete</label>' in page
    await client.post("/logout", data={"_csrf": hidden_value(page, "_csrf")})
    client.cookies.clear()
    await sign_in(client, world.owen.email)
    page = (await client.get(f"/ideas/{world.idea.id}")).text
    assert 'data-testid="update-form"' in page
    assert 'data-testid="award-form"' not in page
    assert 'data-testid="owner-form"' not in page


async def test_no_funding_section_before_selection(client, world: World):
    idea = await make_idea(world.challenge.id, world.alice.id, title="Early idea")
    await sign_in(client, world.mona.email)
    page = (await client.get(f"/ideas/{idea.id}")).text
    assert 'data-testid="funding"' not in page


async def test_awarding_through_the_form_once_per_key(client, world: World):
    await sign_in(client, world.mona.email)
    page = (await client.get(f"/ideas/{world.idea.id}")).text
    key = hidden_value(section(page, "award-form"), "award_key")
    form = {"amount": "2,500.50", "note": "Pilot", "award_key": key}
    done = await form_post(client, f"/ideas/{world.idea.id}/awards", form)
    assert done.status_code == 303
    assert done.headers["location"] == f"/ideas/{world.idea.id}#funding"
    again = await form_post(client, f"/ideas/{world.idea.id}/awards", form)
    assert again.status_code == 303
    assert await Award.count() == 1
    assert await challenge_totals(world.challenge.id) == (1_000_000, 250_050)
    shown = (await client.get(f"/ideas/{world.idea.id}")).text
    assert "This award had already been made; nothing was added." in shown
    assert "€2,500.50" in section(shown, "funding-awarded")
    assert "Pilot" in section(shown, "award")
    assert "€7,499.50" in shown  # left in the budget, in the form's hint


async def test_a_bad_amount_shows_the_form_again_with_the_error(client, world: World):
    await sign_in(client, world.mona.email)
    form = {"amount": "lots", "note": "Keep me", "award_key": "award-form-0001"}
    refused = await form_post(client, f"/ideas/{world.idea.id}/awards", form)
    assert refused.status_code == 422
    page = refused.text
    assert "Please correct the marked fields." in section(page, "form-message")
    assert 'id="award-amount-error"' in page
    assert 'aria-invalid="true"' in page
    assert 'value="lots"' in page
    assert "Keep me</textarea>" in page
    assert hidden_value(page, "award_key") == "award-form-0001"
    assert f'href="/ideas/{world.idea.id}#funding"' in page
    assert await Award.count() == 0


async def test_an_award_over_the_budget_names_what_is_left(client, world: World):
    await _award(world, "9,000")
    await sign_in(client, world.mona.email)
    form = {"amount": "1,500", "note": "", "award_key": "award-form-0002"}
    refused = await form_post(client, f"/ideas/{world.idea.id}/awards", form)
    assert refused.status_code == 409
    assert "€1,000 remains" in section(refused.text, "form-message")
    assert 'value="1,500"' in refused.text
    assert await challenge_totals(world.challenge.id) == (1_000_000, 900_000)


async def test_a_not_selected_idea_takes_no_award(client, world: World):
    idea = await make_idea(world.challenge.id, world.alice.id)
    await sign_in(client, world.mona.email)
    form = {"amount": "100", "award_key": "award-form-0003"}
    refused = await form_post(client, f"/ideas/{idea.id}/awards", form)
    assert refused.status_code == 409
    assert "Only selected ideas" in refused.text
    assert 'data-testid="award-form"' not in refused.text
    assert await Award.count() == 0


@pytest.mark.parametrize(
    ("name", "status"), [("alice", 403), ("mark", 403), ("rita", 403), ("olga", 403)]
)
async def test_others_cannot_award_or_name_owners(client, world: World, name: str, status: int):
    await sign_in(client, getattr(world, name).email)
    award = await form_post(
        client, f"/ideas/{world.idea.id}/awards", {"amount": "100", "award_key": "award-x-0001"}
    )
    owner = await form_post(client, f"/ideas/{world.idea.id}/owner", {"owner": world.olga.email})
    options = await client.get(f"/ideas/{world.idea.id}/owner/options?owner=ow")
    assert (award.status_code, owner.status_code, options.status_code) == (status,) * 3
    assert await Award.count() == 0
    assert (await idea_row(world.idea.id))["owner"] is None


async def test_anonymous_visitors_are_sent_to_sign_in(client, world: World):
    await client.get("/login")
    response = await form_post(client, f"/ideas/{world.idea.id}/awards", {"amount": "1"})
    assert response.status_code in (303, 401)
    results = await client.get(f"/challenges/{world.challenge.slug}/results")
    assert results.status_code == 303
    assert results.headers["location"].startswith("/login")


async def test_the_manager_names_the_owner_with_the_picker(client, world: World):
    await sign_in(client, world.mona.email)
    options = await client.get(f"/ideas/{world.idea.id}/owner/options?owner=Owe")
    assert options.status_code == 200
    assert '<option value="owen@example.com">Owen Owner' in options.text
    assert (await client.get(f"/ideas/{world.idea.id}/owner/options?owner=O")).text.strip() == ""
    done = await form_post(client, f"/ideas/{world.idea.id}/owner", {"owner": "owen@example.com"})
    assert done.status_code == 303
    page = (await client.get(f"/ideas/{world.idea.id}")).text
    assert "Owen Owner now owns this idea." in page
    assert "Owen Owner" in section(page, "funding-owner")
    refused = await form_post(
        client, f"/ideas/{world.idea.id}/owner", {"owner": "ghost@example.com"}
    )
    assert refused.status_code == 422
    assert 'id="owner-owner-error"' in refused.text
    assert 'value="ghost@example.com"' in refused.text


async def test_the_owner_posts_updates_and_progress_moves(client, world: World):
    await awards.set_owner(
        world.viewer("mona"), world.idea.id, awards.OwnerInput("owen@example.com")
    )
    await sign_in(client, world.owen.email)
    page = (await client.get(f"/ideas/{world.idea.id}")).text
    key = hidden_value(section(page, "update-form"), "submit_key")
    form = {
        "text": "Half the desks have the button.",
        "percent": "50",
        "spend": "120",
        "submit_key": key,
    }
    done = await form_post(client, f"/ideas/{world.idea.id}/updates", form)
    assert done.status_code == 303
    assert "Your update has been posted." in (await client.get(done.headers["location"])).text
    await form_post(client, f"/ideas/{world.idea.id}/updates", form)  # a double click
    assert await ImplementationUpdate.count() == 1
    page = (await client.get(f"/ideas/{world.idea.id}")).text
    assert "This update had already been posted; nothing was added." in page
    assert "50% complete" in section(page, "funding-progress")
    assert "Half the desks have the button." in section(page, "updates")
    assert "spent €120" in section(page, "updates")
    bad = await form_post(
        client,
        f"/ideas/{world.idea.id}/updates",
        {"text": "", "percent": "150", "spend": "", "submit_key": "upd-form-0009"},
    )
    assert bad.status_code == 422
    assert 'id="update-text-error"' in bad.text
    assert 'id="update-percent-error"' in bad.text
    assert 'value="150"' in bad.text


async def test_another_employee_cannot_post_updates(client, world: World):
    await awards.set_owner(
        world.viewer("mona"), world.idea.id, awards.OwnerInput("owen@example.com")
    )
    await sign_in(client, world.carl.email)
    form = {"text": "Sneaky", "percent": "99", "submit_key": "upd-form-0001"}
    refused = await form_post(client, f"/ideas/{world.idea.id}/updates", form)
    assert refused.status_code == 403
    assert (await idea_row(world.idea.id))["progress"] == 0


async def test_the_budget_bar_on_the_challenge_page(client, world: World):
    await _award(world, "2,500")
    await sign_in(client, world.alice.email)
    page = (await client.get(f"/challenges/{world.challenge.slug}")).text
    assert "€2,500" in section(page, "budget-awarded").split("</dd>")[0]
    assert "25% of the budget awarded" in section(page, "budget-percent").split("</span>")[0]
    assert "€7,500" in section(page, "budget-remaining").split("</dd>")[0]
    meter = page.split('data-testid="budget-meter"')[0].rsplit("<meter", 1)[1]
    assert 'min="0" max="1000000" value="250000"' in meter
    assert 'aria-label="Budget awarded: €2,500 of €10,000"' in meter
    link = f'<a href="/challenges/{world.challenge.slug}/results" data-testid="results-link">'
    assert link in page


async def test_no_bar_without_a_budget_and_no_results_link_while_open(client, world: World):
    free = await make_challenge(world.mona.id, slug="no-money", budget_minor=0)
    await sign_in(client, world.alice.email)
    page = (await client.get(f"/challenges/{free.slug}")).text
    assert 'data-testid="budget-meter"' not in page
    assert 'data-testid="results-link"' not in page
    decided = await make_challenge(
        world.mona.id, slug="decided-one", state=ChallengeState.DECIDED.value
    )
    page = (await client.get(f"/challenges/{decided.slug}")).text
    assert 'data-testid="results-link"' in page


async def test_results_page_lists_winners_with_money_owner_and_progress(client, world: World):
    await _award(world, "4,000")
    await awards.set_owner(
        world.viewer("mona"), world.idea.id, awards.OwnerInput("owen@example.com")
    )
    await awards.post_update(
        world.viewer("owen"),
        world.idea.id,
        awards.UpdateInput(text="Going.", percent="60", spend="500"),
    )
    done = await selected_idea(world, "Queue screen", Stage.IMPLEMENTED.value)
    stopped = await selected_idea(world, "Robot greeter")
    await _award(world, "5,000", stopped.id)
    await set_stage(stopped.id, Stage.FAILED.value)
    await make_idea(world.challenge.id, world.carl.id, title="Still in evaluation")
    await sign_in(client, world.carl.email)
    page = (await client.get(f"/challenges/{world.challenge.slug}/results")).text
    winners = section(page, "winners")
    assert "Callback button" in winners
    assert "Queue screen" in winners
    assert "Still in evaluation" not in winners
    # Delivered first, then under way, then stopped — whatever the money.
    order = [winners.index(t) for t in ("Queue screen", "Callback button", "Robot greeter")]
    assert order == sorted(order)
    assert "€4,000" in section(page, "winner-awarded")
    assert "Owen Owner" in section(page, "winner-owner")
    assert "60% complete" in section(page, "winner-progress")
    assert "by Alice Employee, Bob Employee" in section(page, "winner-authors")
    assert "€10,000" in section(page, "results-total")
    assert "€9,000" in section(page, "results-awarded")
    assert "90% of the budget awarded" in section(page, "results-percent")
    assert "€1,000" in section(page, "results-remaining")
    assert "€500" in section(page, "results-spent")
    assert f"/ideas/{done.id}" in winners


async def test_results_csv_is_an_attachment_and_formula_safe(client, world: World):
    await _award(world, "1,234.56")
    evil = await selected_idea(world, '=HYPERLINK("http://evil.example","Click")')
    await _award(world, "10", evil.id)
    await awards.set_owner(
        world.viewer("mona"), world.idea.id, awards.OwnerInput("owen@example.com")
    )
    await sign_in(client, world.carl.email)
    response = await client.get(f"/challenges/{world.challenge.slug}/results.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == (
        'attachment; filename="shorter-queues-results.csv"'
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == [
        "Idea",
        "Title",
        "Stage",
        "Authors",
        "Owner",
        "Awarded (EUR)",
        "Awards",
        "Spent (EUR)",
        "Progress (%)",
        "Last update",
    ]
    first = rows[1]
    assert first[:7] == [
        str(world.idea.id),
        "Callback button",
        "Selected",
        "Alice Employee; Bob Employee",
        "Owen Owner",
        "1234.56",
        "1",
    ]
    assert rows[2][1] == '\'=HYPERLINK("http://evil.example","Click")'
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


async def test_results_json(client, world: World):
    await _award(world, "1,000")
    await sign_in(client, world.carl.email)
    response = await client.get(f"/challenges/{world.challenge.slug}/results.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["challenge"]["slug"] == "shorter-queues"
    assert data["budget"] == {
        "currency": "EUR",
        "budget_minor": 1_000_000,
        "awarded_minor": 100_000,
        "remaining_minor": 900_000,
        "spent_minor": 0,
    }
    [winner] = data["winners"]
    assert winner["idea_id"] == world.idea.id
    assert winner["authors"] == ["Alice Employee", "Bob Employee"]
    assert winner["awarded_minor"] == 100_000
    assert winner["stage"] == "selected"
    api = await client.get(f"/api/v1/challenges/{world.challenge.slug}/results")
    assert api.status_code == 200
    assert api.json()["winners"] == data["winners"]


async def test_results_of_a_draft_are_missing_for_others(client, world: World):
    draft = await make_challenge(
        world.mona.id, slug="secret-draft", state=ChallengeState.DRAFT.value
    )
    await sign_in(client, world.olga.email)
    for suffix in ("", ".csv", ".json"):
        assert (await client.get(f"/challenges/{draft.slug}/results{suffix}")).status_code == 404
    assert (await client.get("/challenges/No_Such/results")).status_code == 404
    assert (await client.get(f"/api/v1/challenges/{draft.slug}/results")).status_code == 404


async def test_blind_results_hide_authors_from_reviewers_while_in_evaluation(client, world: World):
    blind = await make_challenge(world.mona.id, slug="blind-one", blind_screening=True)
    idea = await make_idea(blind.id, world.alice.id, title="Blind winner")
    await set_stage(idea.id, Stage.SELECTED.value)
    await _award(world, "10", idea.id)
    await set_stage(idea.id, Stage.EVALUATION.value)  # sent back for another look
    await sign_in(client, world.rita.email)
    page = (await client.get(f"/challenges/{blind.slug}/results")).text
    assert "Blind winner" in page
    assert "Alice Employee" not in page
    data = (await client.get(f"/challenges/{blind.slug}/results.json")).json()
    assert data["winners"][0]["authors"] is None
    text = (await client.get(f"/challenges/{blind.slug}/results.csv")).text
    assert "Alice" not in text


async def test_hidden_winners_are_left_out_for_others(client, world: World):
    from challenges.tables import Idea

    await Idea.update({Idea.hidden: True}).where(Idea.id == world.idea.id)
    await sign_in(client, world.carl.email)
    page = (await client.get(f"/challenges/{world.challenge.slug}/results")).text
    assert "Callback button" not in page
    client.cookies.clear()
    await sign_in(client, world.alice.email)  # her own hidden idea stays visible to her
    page = (await client.get(f"/challenges/{world.challenge.slug}/results")).text
    assert "Callback button" in page
