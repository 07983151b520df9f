"""Relevance test set: a realistic English and Dutch corpus and queries that must rank well.

Each case names the documents that must be among the first five results. The corpus is
indexed straight from plain document dicts (``schema.prepare``), no database needed, so a
change to the analyzer, the boosts or the query building shows here first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from search.index import SearchIndex
from search.query import Filters, parse, run_search
from search.schema import prepare
from search.similar import more_like, similar_to_text

# (key, title, summary, body, tags, discussion)
CORPUS: list[tuple[str, str, str, str, list[str], str]] = [
    (
        "idea:1",
        "Bike lease for every employee",
        "Offer a tax-friendly bicycle lease so people cycle to work.",
        "A lease plan covers e-bikes too. Cycling to the office keeps people healthy.",
        ["mobility", "health"],
        "Would the lease include repairs? I cycle 20 km each day.",
    ),
    (
        "idea:2",
        "Fietsenstalling bij de hoofdingang",
        "Een overdekte stalling voor fietsen zodat ze droog blijven.",
        "Veel collega's komen met de fiets. Nu staan de fietsen in de regen.",
        ["mobiliteit"],
        "Graag ook laadpunten voor elektrische fietsen.",
    ),
    (
        "idea:3",
        "Better project management with a shared kanban board",
        "Managing projects across teams is hard; one board shows who does what.",
        "We could use a kanban board for every project, with weekly reviews.",
        ["projects", "tools"],
        "",
    ),
    (
        "idea:4",
        "Training for new managers",
        "New managers get a six-week course on coaching and feedback.",
        "Management skills are learned, not born. A mentor helps in the first months.",
        ["training", "leadership"],
        "",
    ),
    (
        "idea:5",
        "Café in the lobby",
        "A small café where visitors and colleagues can meet over coffee.",
        "The café could be run by a social enterprise and open at 8.",
        ["canteen", "hospitality"],
        "",
    ),
    (
        "idea:6",
        "Minder wachttijd bij de klantenservice",
        "Klanten wachten te lang aan de telefoon; een terugbeloptie helpt.",
        "Met een terugbelverzoek hoeft de klant niet in de wachtrij te blijven.",
        ["klantenservice"],
        "",
    ),
    (
        "idea:7",
        "Call-back option for the customer service line",
        "Customers wait too long on the phone; let them request a call back.",
        "The phone system already supports call-back queues.",
        ["customer service"],
        "",
    ),
    (
        "idea:8",
        "Solar panels on the warehouse roof",
        "The warehouse roof is large and faces south: ideal for solar energy.",
        "Solar panels would cover a third of our electricity use.",
        ["energy", "sustainability"],
        "",
    ),
    (
        "idea:9",
        "Zonnepanelen op het dak van het magazijn",
        "Het dak is groot en ligt op het zuiden.",
        "Met zonnepanelen besparen we op energie en stroomkosten.",
        ["energie", "duurzaamheid"],
        "",
    ),
    (
        "idea:10",
        "Print less paper",
        "Default double-sided printing and a monthly print report per team.",
        "Printers waste paper when people print documents nobody collects.",
        ["sustainability"],
        "",
    ),
    (
        "idea:11",
        "Walking meetings",
        "Short one-to-one meetings can be walks outside.",
        "Meeting while walking is healthier and often more creative.",
        ["health", "meetings"],
        "",
    ),
    (
        "idea:12",
        "Geen vergaderingen op vrijdag",
        "Een vergadervrije vrijdag geeft tijd voor geconcentreerd werk.",
        "Teams plannen hun overleg op de andere dagen.",
        ["vergaderen"],
        "",
    ),
    (
        "idea:13",
        "Onboarding buddy for new colleagues",
        "Every new hire gets a buddy for the first month.",
        "The buddy answers questions and introduces the newcomer to the teams.",
        ["onboarding", "hr"],
        "",
    ),
    (
        "idea:14",
        "Inwerkprogramma voor nieuwe collega's",
        "Een vast inwerkprogramma met een maatje.",
        "Nieuwe medewerkers krijgen een checklist en een maatje voor de eerste weken.",
        ["onboarding"],
        "",
    ),
    (
        "idea:15",
        "Recycling stations on every floor",
        "Separate bins for plastic, paper and organic waste.",
        "Clear labels make recycling easy; the cleaners empty them daily.",
        ["sustainability", "waste"],
        "",
    ),
    (
        "idea:16",
        "Afval scheiden op kantoor",
        "Aparte bakken voor plastic, papier en groente-afval.",
        "Met duidelijke stickers weet iedereen waar het afval heen moet.",
        ["afval", "duurzaamheid"],
        "",
    ),
    (
        "idea:17",
        "Self-service password reset",
        "Most IT tickets are password resets; let people reset their own password.",
        "A self-service portal with two-factor authentication saves the help desk hours.",
        ["it", "help desk"],
        "",
    ),
    (
        "idea:18",
        "Parking spots for car pooling",
        "Reserve the best parking spots for colleagues who share a car.",
        "Car pooling cuts traffic and parking pressure.",
        ["mobility", "parking"],
        "",
    ),
    (
        "idea:19",
        "Thuiswerken twee dagen per week",
        "Medewerkers mogen twee dagen per week thuiswerken.",
        "Met goede afspraken over bereikbaarheid werkt thuiswerken prima.",
        ["thuiswerken"],
        "",
    ),
    (
        "idea:20",
        "Remote work allowance",
        "A monthly allowance for people working from home.",
        "Remote workers pay for internet and electricity themselves.",
        ["remote work"],
        "",
    ),
    (
        "idea:21",
        "Healthy food in the canteen",
        "More salads and fruit, fewer fried snacks.",
        "The canteen menu could label healthy choices.",
        ["canteen", "health"],
        "",
    ),
    (
        "idea:22",
        "Ideeënbus in de kantine",
        "Een fysieke ideeënbus naast de koffieautomaat.",
        "Niet iedereen gebruikt het portaal; een bus maakt het laagdrempelig.",
        ["ideeen"],
        "",
    ),
    (
        "idea:23",
        "Safety walk on the shop floor",
        "Managers join a monthly safety walk to spot hazards.",
        "Near misses are reported and fixed within a week.",
        ["safety"],
        "Our team found three loose cables during the last walk.",
    ),
    (
        "idea:24",
        "Veiligheidsronde in de werkplaats",
        "Maandelijks een ronde langs de machines om risico's te vinden.",
        "Bijna-ongelukken worden gemeld en binnen een week opgelost.",
        ["veiligheid"],
        "",
    ),
    (
        "idea:25",
        "Quarterly hackathon",
        "Two days every quarter to build prototypes of ideas from this portal.",
        "Teams pitch the prototypes to management on the last afternoon.",
        ["innovation"],
        "",
    ),
    (
        "idea:26",
        "Standing desks for everyone",
        "Height-adjustable desks reduce back pain.",
        "Ergonomic advice comes with each desk.",
        ["health", "ergonomics"],
        "",
    ),
    (
        "idea:27",
        "Knowledge base for the help desk",
        "Answers to common questions in one searchable place.",
        "The help desk writes articles; customers find answers without calling.",
        ["customer service", "knowledge"],
        "",
    ),
    (
        "idea:28",
        "Electric vehicle chargers in the car park",
        "Charging points for electric cars of staff and visitors.",
        "Chargers could run on our own solar power.",
        ["mobility", "energy"],
        "",
    ),
    (
        "idea:29",
        "Mentorprogramma voor jong talent",
        "Ervaren collega's begeleiden starters een jaar lang.",
        "Het mentorschap helpt starters sneller hun weg te vinden.",
        ["talent"],
        "",
    ),
    (
        "idea:30",
        "Digital signatures for contracts",
        "Sign contracts online instead of printing and scanning.",
        "Legal approved a qualified e-signature provider.",
        ["legal", "paperless"],
        "",
    ),
    (
        "idea:31",
        "Shuttle bus from the station",
        "A morning and evening shuttle bus from the train station.",
        "Many colleagues travel by train; the last kilometres are the problem.",
        ["mobility"],
        "Maybe rent bikes at the station instead?",
    ),
    (
        "idea:32",
        "Reduce energy use of the servers",
        "Consolidate old servers and switch off test machines at night.",
        "The data room uses more electricity than the offices.",
        ["energy", "it"],
        "",
    ),
    (
        "lesson:1",
        "The idea box in the canteen was never used",
        "A physical box needs someone who empties it and answers every idea.",
        "We placed a box next to the coffee machine. After three months it held two notes.",
        ["ideas", "canteen"],
        "",
    ),
    (
        "lesson:2",
        "Bike lease pilot: popular, but the paperwork was heavy",
        "Start with a simple lease contract and one supplier.",
        "Sixty people joined the bicycle lease pilot; administration took months.",
        ["mobility"],
        "",
    ),
    (
        "lesson:3",
        "Vergadervrije vrijdag hield geen stand",
        "Zonder steun van het management verwatert een vergaderverbod.",
        "Na twee maanden stonden er weer overleggen op vrijdag.",
        ["vergaderen"],
        "",
    ),
    (
        "lesson:4",
        "Solar panels: check the roof construction first",
        "The roof needed reinforcement, which doubled the cost.",
        "The structural survey came late; order it before any quote.",
        ["energy"],
        "",
    ),
    (
        "lesson:5",
        "Kanban boards only work when teams update them daily",
        "A board nobody updates is worse than no board.",
        "The pilot team held a five-minute stand-up at the board each morning.",
        ["projects"],
        "",
    ),
    (
        "lesson:6",
        "Terugbeloptie: klanten waarderen het, maar plan genoeg mensen in",
        "Terugbellen werkt alleen als er capaciteit is om snel terug te bellen.",
        "De wachttijd daalde, maar op maandag liep de achterstand op.",
        ["klantenservice"],
        "",
    ),
    (
        "challenge:1",
        "How do we get to work greener?",
        "Ideas for cycling, public transport and car pooling.",
        "Commuting is a third of our carbon footprint. How can we reduce it?",
        ["mobility", "sustainability"],
        "Could we cover train tickets fully?",
    ),
    (
        "challenge:2",
        "Samen slimmer werken",
        "Hoe maken we ons werk eenvoudiger?",
        "Stuur ideeën in over vergaderen, thuiswerken en samenwerken.",
        ["samenwerken"],
        "",
    ),
    (
        "challenge:3",
        "Customer service that customers love",
        "Shorter waiting times and friendlier answers.",
        "Our customers wait on average eight minutes. Bring ideas to cut that.",
        ["customer service"],
        "",
    ),
]


def _document(key: str, title: str, summary: str, body: str, tags: list[str], talk: str):
    kind, number = key.split(":")
    return {
        "key": key,
        "kind": kind,
        "ref_id": int(number),
        "title": title,
        "summary": summary,
        "body": body,
        "discussion": talk,
        "tags": tags,
        "challenge": "greener-commute" if "mobility" in tags else "",
        "stage": "submitted" if kind == "idea" else "",
        "outcome": "failure" if kind == "lesson" else "",
        "created": datetime(2024 + int(number) % 2, 3, 1 + int(number) % 27, tzinfo=UTC),
    }


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    index = SearchIndex(Path(tmp_path_factory.mktemp("relevance")))
    with index.writer() as writer:
        for row in CORPUS:
            writer.add_document(**prepare(_document(*row)))
    yield index.searcher()
    index.close()


def top(searcher, text: str, count: int = 5, **filters: str) -> list[str]:
    outcome = run_search(searcher, parse(text), Filters(**filters), per_page=count)
    return [hit.key for hit in outcome.hits]


CASES: list[tuple[str, set[str]]] = [
    # English, stems and inflections
    ("managing", {"idea:3", "idea:4"}),
    ("management training", {"idea:4"}),
    ("bike lease", {"idea:1", "lesson:2"}),
    ("bikes", {"idea:1", "lesson:2"}),
    ("cycling to work", {"idea:1", "challenge:1"}),
    ("solar panels", {"idea:8", "lesson:4"}),
    ("password", {"idea:17"}),
    ("meeting", {"idea:11"}),
    ("waiting customers", {"idea:7", "challenge:3"}),
    ("recycle waste", {"idea:15"}),
    ("hackathon prototypes", {"idea:25"}),
    ("kanban", {"idea:3", "lesson:5"}),
    # accents fold both ways
    ("cafe", {"idea:5"}),
    ("café", {"idea:5"}),
    ("ideeenbus", {"idea:22"}),
    # Dutch, stems and plurals the stemmer keeps apart
    ("fiets", {"idea:2"}),
    ("fietsen", {"idea:2"}),
    ("idee", {"idea:22"}),
    ("ideeën", {"challenge:2"}),
    ("zonnepaneel", {"idea:9"}),
    ("vergadering vrijdag", {"idea:12", "lesson:3"}),
    ("thuiswerken", {"idea:19"}),
    ("wachttijd klantenservice", {"idea:6", "lesson:6"}),
    ("afval", {"idea:16"}),
    ("nieuwe collega", {"idea:14"}),
    # phrases, prefixes and tags
    ('"call back"', {"idea:7"}),
    ("sustainab*", {"idea:10", "idea:15"}),
    ("help desk", {"idea:17", "idea:27"}),
    # the discussion counts too, with less weight
    ("repairs", {"idea:1"}),
    ("loose cables", {"idea:23"}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expected_documents_rank_in_the_top_five(searcher, text: str, expected: set[str]) -> None:
    found = top(searcher, text)
    assert expected <= set(found), f"{text!r} → {found}"


def test_an_exact_title_match_ranks_first(searcher) -> None:
    assert top(searcher, "walking meetings")[0] == "idea:11"
    assert top(searcher, "zonnepanelen magazijn")[0] == "idea:9"


def test_filters_narrow_the_ranking(searcher) -> None:
    assert top(searcher, "bike lease", kind="lesson") == ["lesson:2"]
    assert set(top(searcher, "solar", kind="idea")) == {"idea:8", "idea:28"}


def test_matched_in_says_where_the_words_were_found(searcher) -> None:
    outcome = run_search(searcher, parse("repairs"), Filters())
    assert [(h.key, h.matched_in) for h in outcome.hits] == [("idea:1", "discussion")]
    outcome = run_search(searcher, parse("kanban"), Filters())
    assert {h.key: h.matched_in for h in outcome.hits}["idea:3"] == "title"


def test_snippets_highlight_every_form_of_the_words(searcher) -> None:
    outcome = run_search(searcher, parse("fietsen"), Filters())
    hit = next(h for h in outcome.hits if h.key == "idea:2")
    assert {text for text, match in hit.snippet if match} >= {"fietsen"}
    outcome = run_search(searcher, parse("cafe"), Filters())
    hit = next(h for h in outcome.hits if h.key == "idea:5")
    assert ("café", True) in hit.snippet


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [
        ("sustainabilty", "sustainability"),
        ("bicyle lease", "bicycle lease"),
        ("mobilty", "mobility"),
        ("klantenservise", "klantenservice"),
        ("Recyclng stations", "recycling stations"),
    ],
)
def test_did_you_mean_suggests_the_right_word(searcher, typo: str, suggestion: str) -> None:
    outcome = run_search(searcher, parse(typo), Filters())
    assert outcome.suggestion is not None
    assert outcome.suggestion.lower() == suggestion


@pytest.mark.parametrize("text", ["bike lease", "fietsen", "managing projects", "solar"])
def test_no_suggestion_for_words_that_are_fine(searcher, text: str) -> None:
    assert run_search(searcher, parse(text), Filters()).suggestion is None


def test_and_falls_back_to_or_with_a_note(searcher) -> None:
    outcome = run_search(searcher, parse("kanban zonnepanelen"), Filters())
    assert outcome.broadened is True
    assert {"idea:3", "idea:9"} <= {h.key for h in outcome.hits}
    assert run_search(searcher, parse("kanban board"), Filters()).broadened is False


def test_facets_count_the_whole_result_set(searcher) -> None:
    outcome = run_search(searcher, parse("mobility"), Filters(), per_page=1)
    assert len(outcome.hits) == 1
    assert outcome.total > 5
    assert sum(dict(outcome.facets["kind"]).values()) == outcome.total
    tagged = run_search(searcher, parse("mobility"), Filters(tag="mobility"))
    assert dict(outcome.facets["tag"])["mobility"] == tagged.total
    assert dict(tagged.facets["kind"]) == {"idea": 4, "lesson": 1, "challenge": 1}


def test_similar_to_text_finds_ideas_and_lessons_like_a_new_idea(searcher) -> None:
    found = similar_to_text(searcher, "Lease bicycles for staff", ("idea", "lesson"), 5, ())
    assert {"idea:1", "lesson:2"} <= {doc["key"] for doc in found}
    only_ideas = similar_to_text(searcher, "Lease bicycles for staff", ("idea",), 5, {"idea:1"})
    assert all(doc["kind"] == "idea" and doc["key"] != "idea:1" for doc in only_ideas)


def test_more_like_finds_related_ideas_across_languages_of_one_topic(searcher) -> None:
    related = [doc["key"] for doc in more_like(searcher, "idea:8", 5, ("idea", "lesson"))]
    assert "idea:8" not in related
    assert "lesson:4" in related
    assert more_like(searcher, "idea:999", 5) == []


def test_did_you_mean_works_across_index_segments(tmp_path: Path) -> None:
    """Incremental commits leave several segments; suggestions must see every one of them."""
    index = SearchIndex(tmp_path)
    index.open_live()
    live = whoosh_index.open_dir(str(index.live_dir()))
    rows = [row for row in CORPUS if "sustainab" in " ".join(map(str, row)).lower()]
    assert len(rows) >= 2
    for batch in (rows[: len(rows) // 2], rows[len(rows) // 2 :]):
        writer = live.writer()
        for row in batch:
            writer.add_document(**prepare(_document(*row)))
        writer.commit(merge=False)
    live.close()
    searcher = index.searcher()
    assert len(searcher.leaf_searchers()) >= 2
    outcome = run_search(searcher, parse("sustainabilty"), Filters())
    assert outcome.suggestion == "sustainability"
    index.close()
