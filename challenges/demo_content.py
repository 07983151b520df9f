"""What the demo company is working on: challenges, ideas and discussions, in English and Dutch."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoComment:
    """A comment by ``author`` (e-mail); ``replies`` nest under it."""

    author: str
    body: str
    replies: tuple[DemoComment, ...] = ()


@dataclass(frozen=True)
class DemoIdea:
    """An idea with its first author, co-authors, voters and discussion."""

    author: str
    title: str
    summary: str
    body: str
    tags: str = ""
    budget: str = ""
    coauthors: tuple[str, ...] = ()
    voters: tuple[str, ...] = ()
    comments: tuple[DemoComment, ...] = ()
    edit: str = ""  # an extra paragraph the author adds later (a second revision)


@dataclass(frozen=True)
class DemoChallenge:
    """A challenge posted by ``manager`` (e-mail); ``state`` is where it ends up."""

    manager: str
    title: str
    brief: str
    budget: str
    tags: str
    state: str = "open"
    closes_in_days: int = 30
    criteria: tuple[tuple[str, str, int, int], ...] = ()
    ideas: tuple[DemoIdea, ...] = ()
    questions: tuple[DemoComment, ...] = field(default=())


ALICE = "alice.jansen@example.com"
BRAM = "bram.devries@example.com"
CHEN = "chen.wei@example.com"
DAAN = "daan.bakker@example.com"
EMMA = "emma.visser@example.com"
FATIMA = "fatima.elamrani@example.com"
MONA = "mona.meijer@example.com"
OLIVER = "oliver.smith@example.com"
RITA = "rita.mulder@example.com"
SANJAY = "sanjay.patel@example.com"
MARK = "mark.dekker@example.com"

STANDARD_SCORECARD = (
    ("Impact", "How much does this improve things for customers or colleagues?", 3, 5),
    ("Feasibility", "Can we build it with the people and budget we have?", 2, 5),
    ("Cost", "Is the cost reasonable for what it brings?", 1, 5),
)

CHALLENGES: tuple[DemoChallenge, ...] = (
    DemoChallenge(
        manager=MONA,
        title="Cut the waiting time at our service desk",
        brief=(
            "Customers wait on average **11 minutes** before someone answers the phone, and "
            "one in five hangs up. We want that under **3 minutes** by the summer.\n\n"
            "What we know:\n\n"
            "- Most calls are about delivery status (46%) and invoices (21%).\n"
            "- Monday mornings are twice as busy as any other time.\n"
            "- Our colleagues at the desk have plenty of ideas already — let's hear them.\n\n"
            "Ideas can be about tools, planning, or doing things differently altogether."
        ),
        budget="25000",
        tags="customer service, phone, planning",
        criteria=STANDARD_SCORECARD,
        closes_in_days=21,
        questions=(
            DemoComment(
                EMMA,
                "Does the budget also cover software licences, or only one-off costs?",
                (DemoComment(MONA, "Both: licences for the first year count towards it."),),
            ),
        ),
        ideas=(
            DemoIdea(
                author=ALICE,
                title="Offer a callback instead of hold music",
                summary="Let callers leave their number and call them back in order, so nobody "
                "hangs on the line.",
                body=(
                    "When the queue is longer than five people, the phone menu offers: *press 1 "
                    "and we will call you back within 30 minutes*.\n\n"
                    "- Our telephony platform already has a callback module; it is switched off.\n"
                    "- Callbacks can be handled in the quiet hour after lunch.\n"
                    "- Other desks that did this saw abandoned calls drop by half."
                ),
                tags="phone, quick win",
                budget="3500",
                coauthors=(DAAN,),
                voters=(BRAM, CHEN, DAAN, EMMA, FATIMA, SANJAY),
                edit="Update: the supplier confirmed the module is included in our licence.",
                comments=(
                    DemoComment(
                        CHEN,
                        "We would need to make sure the callback number is validated, "
                        "otherwise we call wrong numbers all day.",
                        (
                            DemoComment(
                                ALICE,
                                "Good point — the platform checks the format and repeats the "
                                "number back to the caller.",
                                (DemoComment(CHEN, "Then I'm convinced. 👍"),),
                            ),
                        ),
                    ),
                    DemoComment(
                        MONA,
                        "Can you estimate how many callbacks a day we would get?",
                        (DemoComment(DAAN, "Roughly 80 on a Monday, 30 on other days."),),
                    ),
                ),
            ),
            DemoIdea(
                author=FATIMA,
                title="A self-service page for delivery status",
                summary="Almost half of the calls ask 'where is my order?'. A page with the "
                "live status answers that without a call.",
                body=(
                    "Customers get a link in their order confirmation e-mail that shows the "
                    "current status, the expected delivery window and the carrier's tracking "
                    "number.\n\nThe data is already in the warehouse system; we only need a "
                    "read-only page on top of it."
                ),
                tags="self-service, web",
                budget="12000",
                voters=(ALICE, BRAM, EMMA),
                comments=(
                    DemoComment(
                        BRAM,
                        "Logistics can provide the carrier feed; it updates every 15 minutes.",
                    ),
                ),
            ),
            DemoIdea(
                author=DAAN,
                title="Plan an extra desk shift on Monday mornings",
                summary="Move two colleagues from the Thursday afternoon shift to Monday "
                "morning, when the queue is longest.",
                body="No cost, only a different roster. We can try it for four weeks and "
                "compare the waiting times.",
                tags="planning, quick win",
                voters=(ALICE,),
            ),
        ),
    ),
    DemoChallenge(
        manager=MONA,
        title="Duurzamer bezorgen op de laatste kilometer",
        brief=(
            "Onze bestelbusjes rijden elke dag door de binnensteden van Utrecht, Amsterdam en "
            "Rotterdam. Vanaf 2027 gelden daar **zero-emissiezones**.\n\n"
            "Hoe bezorgen we de laatste kilometer schoner, zonder dat klanten langer wachten? "
            "Denk aan voertuigen, routes, samenwerking met anderen of slimmere afspraken met "
            "klanten."
        ),
        budget="60000",
        tags="duurzaamheid, logistiek",
        criteria=STANDARD_SCORECARD,
        closes_in_days=45,
        ideas=(
            DemoIdea(
                author=BRAM,
                title="Elektrische bakfietsen voor de binnenstad",
                summary="Bezorg pakketten in het centrum met elektrische bakfietsen vanuit "
                "een kleine hub aan de rand van de stad.",
                body=(
                    "Een bakfiets neemt zo'n 40 pakketten mee en komt overal waar een busje "
                    "niet mag komen.\n\n1. Huur een kleine hub aan de rand van het centrum.\n"
                    "2. Het busje levert 's ochtends vroeg aan de hub.\n"
                    "3. Twee koeriers bezorgen de rest van de dag per fiets."
                ),
                tags="fiets, zero-emissie",
                budget="38000",
                voters=(ALICE, DAAN, EMMA, FATIMA),
                comments=(
                    DemoComment(
                        DAAN,
                        "Wat doen we met grote pakketten die niet in een bakfiets passen?",
                        (
                            DemoComment(
                                BRAM,
                                "Die blijven met het elektrische busje gaan; dat is maar 8% "
                                "van de zendingen.",
                            ),
                        ),
                    ),
                ),
            ),
            DemoIdea(
                author=EMMA,
                title="Pakketkluizen bij treinstations",
                summary="Klanten kiezen een kluis bij het station als afleveradres; wij "
                "bundelen de ritten.",
                body="Minder stops, minder mislukte bezorgingen en klanten halen het pakket op "
                "wanneer het hun uitkomt.",
                tags="klantgemak",
                voters=(BRAM,),
            ),
        ),
    ),
    DemoChallenge(
        manager=OLIVER,
        title="Quarterly good cause: where should our €5,000 go?",
        brief=(
            "Every quarter we give **€5,000** to a good cause nominated by a colleague. "
            "Propose a cause below and tell us why it matters to you; the idea with the most "
            "support when the challenge closes receives the contribution."
        ),
        budget="5000",
        tags="community, good cause",
        closes_in_days=10,
        ideas=(
            DemoIdea(
                author=CHEN,
                title="Coding club for children in our neighbourhood",
                summary="Fund laptops and snacks for the Saturday coding club at the library "
                "next to our office.",
                body="Three of us already volunteer there. The club has a waiting list of 30 "
                "children because it has only eight laptops.",
                tags="education",
                coauthors=(SANJAY,),
                voters=(ALICE, FATIMA, OLIVER, RITA),
            ),
            DemoIdea(
                author=FATIMA,
                title="De voedselbank in Utrecht-Oost",
                summary="De voedselbank zoekt geld voor een koelcel, zodat ze verse producten "
                "kunnen aannemen.",
                body="Met een koelcel kunnen ze elke week 200 kilo groente en zuivel van "
                "supermarkten redden.",
                tags="voedsel",
                voters=(BRAM, DAAN, EMMA),
            ),
        ),
    ),
    DemoChallenge(
        manager=OLIVER,
        title="Faster onboarding for new colleagues",
        brief="New colleagues need about six weeks before they feel productive. How do we "
        "make the first month better — for them and for their teams?",
        budget="15000",
        tags="onboarding, people",
        state="reviewing",
        closes_in_days=60,
        criteria=STANDARD_SCORECARD,
        ideas=(
            DemoIdea(
                author=SANJAY,
                title="A buddy from another department",
                summary="Every newcomer gets a buddy outside their own team for the first "
                "three months.",
                body="It spreads knowledge of how the company works and builds bridges "
                "between departments from day one.",
                tags="people",
                voters=(ALICE, CHEN, EMMA),
            ),
        ),
    ),
    DemoChallenge(
        manager=OLIVER,
        title="Smarter use of our meeting rooms",
        brief="Draft: meeting rooms are booked all day yet half empty. Brief still being written.",
        budget="8000",
        tags="facilities",
        state="draft",
        closes_in_days=50,
    ),
)
