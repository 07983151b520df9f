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
class DemoStep:
    """One decision on an idea's way through the pipeline, ``days_ago`` days before seeding
    (0: at seeding time), with the manager's rationale."""

    stage: str
    days_ago: int
    rationale: str = ""


@dataclass(frozen=True)
class DemoUpdate:
    """An implementation update by the idea's owner, ``days_ago`` days before seeding."""

    text: str
    percent: int
    days_ago: int
    spend: str = ""  # major units, digits only (read the same in every language)


@dataclass(frozen=True)
class DemoFunding:
    """Budget awarded to a selected idea, the colleague who carries it out, their updates."""

    amount: str  # major units, digits only
    note: str
    days_ago: int
    owner: str
    updates: tuple[DemoUpdate, ...] = ()


@dataclass(frozen=True)
class DemoReview:
    """A panel member on an idea (by title): scores in scorecard order, or none (open).

    ``due_in_days`` is relative to seeding (negative: overdue); ``None`` sets no due date.
    """

    idea: str
    reviewer: str
    assigned_days_ago: int
    scores: tuple[int, ...] = ()
    comment: str = ""
    private_note: str = ""
    submitted_days_ago: int = 0
    due_in_days: int | None = None


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
    stage: str = ""  # where a decision left it (past challenges); "" stays submitted
    stage_note: str = ""  # the rationale of that decision
    steps: tuple[DemoStep, ...] = ()  # the decisions before (or, without ``stage``, all)
    submitted_days_ago: int = 0  # when it was submitted (0: at seeding time)
    decided_days_ago: int = 0  # when the decision into ``stage`` was taken
    after_review: tuple[DemoStep, ...] = ()  # decisions taken once the panel has scored
    funding: DemoFunding | None = None  # the award and implementation of a selected idea


@dataclass(frozen=True)
class DemoChallenge:
    """A challenge posted by ``manager`` (e-mail); ``state`` is where it ends up."""

    manager: str
    title: str
    brief: str
    budget: str
    tags: str
    state: str = "open"
    closes_in_days: int = 30  # negative: closed that many days ago (a challenge in review)
    criteria: tuple[tuple[str, str, int, int], ...] = ()
    ideas: tuple[DemoIdea, ...] = ()
    questions: tuple[DemoComment, ...] = field(default=())
    winner_by: str = "jury"  # "votes": the most-voted idea(s) win when it closes
    panel: tuple[str, ...] = ()  # reviewers on the challenge's panel
    reviews: tuple[DemoReview, ...] = ()  # assignments, in the order they are made


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

# The onboarding challenge is in review: ideas screened, declined, parked and in evaluation,
# a panel of two scoring them (one reviewer authored an idea and cannot review it).
ONBOARDING_IDEAS: tuple[DemoIdea, ...] = (
    DemoIdea(
        author=SANJAY,
        title="A buddy from another department",
        summary="Every newcomer gets a buddy outside their own team for the first three months.",
        body="It spreads knowledge of how the company works and builds bridges "
        "between departments from day one.",
        tags="people",
        voters=(ALICE, CHEN, EMMA),
        submitted_days_ago=6,
        steps=(
            DemoStep("screening", 5, "Fits the brief and costs little to try."),
            DemoStep(
                "evaluation",
                4,
                "On to the panel: HR asks how many buddies we can find each month.",
            ),
        ),
        comments=(
            DemoComment(
                EMMA,
                "I had an informal buddy in Finance when I started. Best thing that happened "
                "in my first month: I finally understood where invoices go.",
            ),
        ),
    ),
    DemoIdea(
        author=CHEN,
        title="Laptop, accounts and access ready on day one",
        summary="Many newcomers spend their first two days waiting for a laptop, e-mail and "
        "system access. Prepare everything in the week before they start.",
        body=(
            "Today IT often hears about a new colleague on their first morning.\n\n"
            "1. HR tells IT the start date and the role as soon as the contract is signed.\n"
            "2. IT prepares the laptop and the accounts that role needs, from a checklist "
            "per team.\n"
            "3. The manager checks on the Friday before that everything works.\n\n"
            "Last quarter, **14 of 23** newcomers had no working access on their first day."
        ),
        tags="access, quick win",
        budget="4000",
        voters=(ALICE, BRAM, DAAN, EMMA, FATIMA, MARK),
        submitted_days_ago=6,
        steps=(
            DemoStep("screening", 5, "A clear problem with numbers behind it."),
            DemoStep(
                "evaluation",
                4,
                "To the panel. IT confirms a checklist per team is doable.",
            ),
        ),
        after_review=(
            DemoStep(
                "shortlist",
                0,
                "Highest score of the panel, and both reviewers agree: the quickest win for "
                "newcomers and their teams.",
            ),
        ),
        comments=(
            DemoComment(
                MARK,
                "HR can send the start date as soon as the contract is signed; it is in our "
                "system anyway.",
                (DemoComment(CHEN, "Perfect: then IT gets at least two weeks' notice."),),
            ),
        ),
    ),
    DemoIdea(
        author=ALICE,
        title="A first-month checklist for newcomers and their managers",
        summary="One shared checklist per newcomer: who to meet, what to read, which systems "
        "to learn, ticked off together with the manager every Friday.",
        body=(
            "Every team onboards differently, and newcomers often do not know what they are "
            "missing.\n\n"
            "- A template checklist on the intranet, copied for every newcomer.\n"
            "- Each team adds its own items.\n"
            "- Newcomer and manager go through it every Friday of the first month."
        ),
        tags="people, quick win",
        voters=(BRAM, CHEN),
        submitted_days_ago=5,
        steps=(
            DemoStep("screening", 4, "Cheap to try; let's see what the panel thinks."),
            DemoStep("evaluation", 3, "To the panel together with the other onboarding ideas."),
        ),
        comments=(
            DemoComment(
                DAAN,
                "We tried a checklist in Operations two years ago. It worked as long as "
                "someone kept it up to date.",
                (
                    DemoComment(
                        ALICE,
                        "That is why each team owns its own items, and HR reviews the "
                        "template every quarter.",
                    ),
                ),
            ),
        ),
    ),
    DemoIdea(
        author=BRAM,
        title="Korte uitlegvideo's over onze systemen",
        summary="Nieuwe collega's leren onze systemen met video's van vijf minuten, "
        "opgenomen door collega's die er elke dag mee werken.",
        body=(
            "Nu legt elke collega het ordersysteem, de planning en de declaraties zelf uit, "
            "steeds opnieuw.\n\n"
            "- Tien video's van hooguit vijf minuten.\n"
            "- Opgenomen met de schermopname-software die we al hebben.\n"
            "- Eén keer per jaar kijken we of ze nog kloppen."
        ),
        tags="kennis, video",
        budget="2500",
        voters=(ALICE, EMMA, FATIMA),
        submitted_days_ago=5,
        steps=(
            DemoStep("screening", 4, "Sounds useful for every department."),
            DemoStep("evaluation", 2, "To the panel: how much do the videos save the teams?"),
        ),
    ),
    DemoIdea(
        author=EMMA,
        title="A welcome box on the first day",
        summary="A box with company goodies, a plant and a handwritten card waiting on the "
        "newcomer's desk.",
        body="A warm welcome makes people feel at home from the first minute. Marketing can "
        "design the box; we would order about 60 a year.",
        tags="people",
        budget="3000",
        voters=(ALICE,),
        submitted_days_ago=6,
        steps=(
            DemoStep("screening", 5, "Let's see how this helps newcomers get going sooner."),
            DemoStep(
                "declined",
                4,
                "A lovely gesture, but it does not shorten the six weeks before "
                "newcomers feel productive, which is what this challenge is about. HR already "
                "sends a welcome card and will look at the box for next year.",
            ),
        ),
    ),
    DemoIdea(
        author=FATIMA,
        title="One onboarding day a month for all newcomers",
        summary="Once a month, everyone who started that month spends a day together: how "
        "the company works, who does what, and a tour of the warehouse.",
        body="Now every team explains the company in its own way, or not at all. One shared "
        "day gives everyone the same picture and a group of peers in other departments.",
        tags="people",
        voters=(BRAM, DAAN, MARK),
        submitted_days_ago=4,
        steps=(
            DemoStep("screening", 3, "Good fit with the buddy idea; timing is the question."),
            DemoStep(
                "parked",
                1,
                "We hire about three people a month now, too few for a day of their own. "
                "We pick this up again when next year's hiring plan is known.",
            ),
        ),
    ),
)

BUDDY = ONBOARDING_IDEAS[0].title
LAPTOP = ONBOARDING_IDEAS[1].title
CHECKLIST = ONBOARDING_IDEAS[2].title
VIDEOS = ONBOARDING_IDEAS[3].title

ONBOARDING_REVIEWS: tuple[DemoReview, ...] = (
    DemoReview(
        LAPTOP,
        RITA,
        assigned_days_ago=4,
        scores=(5, 5, 4),
        comment="The biggest frustration newcomers mention in their first-month interviews. "
        "Cheap, and easy to measure.",
        private_note="Engineering may already have an access checklist per team; reuse it.",
        submitted_days_ago=2,
    ),
    DemoReview(
        LAPTOP,
        SANJAY,
        assigned_days_ago=4,
        scores=(5, 4, 4),
        comment="Yes, please. A newcomer without access also costs a senior colleague half a "
        "day of explaining workarounds.",
        private_note="IT is short of people in January; plan the first newcomers after that.",
        submitted_days_ago=1,
    ),
    DemoReview(
        BUDDY,
        RITA,
        assigned_days_ago=4,
        scores=(4, 3, 5),
        comment="The last group of newcomers asked for exactly this. Finding enough buddies "
        "every month is the risk.",
        private_note="HR thinks ten volunteers is realistic, enough for the current hiring.",
        submitted_days_ago=2,
    ),
    DemoReview(
        CHECKLIST,
        RITA,
        assigned_days_ago=3,
        scores=(4, 5, 5),
        comment="Cheap, quick to start, and newcomers told HR they missed exactly this.",
        private_note="I would pilot it in two teams before rolling it out.",
        submitted_days_ago=1,
    ),
    DemoReview(
        CHECKLIST,
        SANJAY,
        assigned_days_ago=3,
        scores=(2, 2, 4),
        comment="Good intent, but a checklist alone changes little unless someone keeps it "
        "current. Who owns it?",
        private_note="Engineering had exactly this in 2023; it was abandoned within three "
        "months. Only with a named owner.",
        submitted_days_ago=1,
    ),
    DemoReview(VIDEOS, RITA, assigned_days_ago=2, due_in_days=3),
    DemoReview(VIDEOS, SANJAY, assigned_days_ago=2, due_in_days=-1),
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
                steps=(
                    DemoStep(
                        "screening",
                        0,
                        "A clear problem with numbers behind it; IT checks how much of the "
                        "warehouse data we can show.",
                    ),
                ),
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
        winner_by="votes",
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
        closes_in_days=-2,
        criteria=STANDARD_SCORECARD,
        ideas=ONBOARDING_IDEAS,
        panel=(RITA, SANJAY),
        reviews=ONBOARDING_REVIEWS,
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


# A challenge that ran earlier this year: decided and closed, its ideas implemented, declined
# or stopped — and what people learned from them.
PAST_CHALLENGE = DemoChallenge(
    manager=MONA,
    title="Faster refunds for returned parcels",
    brief=(
        "A returned parcel waits on average **9 days** in our warehouse before the customer "
        "gets their refund. Customers call the service desk about it every day.\n\n"
        "How do we get refunds started within **two days** of a parcel coming back?"
    ),
    budget="40000",
    tags="returns, warehouse",
    state="closed",
    criteria=STANDARD_SCORECARD,
    ideas=(
        DemoIdea(
            author=DAAN,
            title="Scan returns at the dock door",
            summary="Scan every returned parcel with a handheld scanner as it comes off the "
            "truck, so the refund starts before the parcel is even unpacked.",
            body="The scanners we use for outgoing parcels sit idle in the afternoon. A short "
            "script links the return label to the order and starts the refund.",
            tags="returns, scanning",
            budget="6000",
            voters=(ALICE, BRAM, FATIMA, CHEN),
            submitted_days_ago=146,
            steps=(
                DemoStep("screening", 141, "Uses scanners we already own; worth a closer look."),
                DemoStep(
                    "evaluation",
                    133,
                    "Passed screening: the warehouse team confirmed the scanners are free "
                    "after 14:00.",
                ),
                DemoStep(
                    "shortlist",
                    98,
                    "Highest score of the panel (4.6 of 5), strongest on impact and cost.",
                ),
                DemoStep(
                    "selected",
                    95,
                    "Selected: the biggest cut in refund time for the smallest budget. "
                    "€6,000 for the script and two extra scanners.",
                ),
                DemoStep(
                    "implementing",
                    88,
                    "Daan owns the roll-out; the first dock goes live in four weeks.",
                ),
            ),
            funding=DemoFunding(
                amount="6000",
                note="The refund script and two extra handheld scanners for the return docks.",
                days_ago=94,
                owner=DAAN,
                updates=(
                    DemoUpdate(
                        "The script links the return label to the order and starts the refund. "
                        "**Dock 2** tests it from Monday.",
                        percent=20,
                        days_ago=84,
                        spend="1500",
                    ),
                    DemoUpdate(
                        "Dock 2 is live: refunds there start within two days. Two extra "
                        "scanners are ordered for docks 1 and 3.",
                        percent=60,
                        days_ago=70,
                        spend="3200",
                    ),
                    DemoUpdate(
                        "All three return docks scan at the door. Refunds now start after "
                        "**1.5 days** on average (it was 9). About one label in twenty is too "
                        "crumpled to scan and is typed in by hand.",
                        percent=100,
                        days_ago=50,
                        spend="900",
                    ),
                ),
            ),
            decided_days_ago=45,
            stage="implemented",
            stage_note="Live on all three return docks: refunds now start within 1.5 days "
            "on average.",
        ),
        DemoIdea(
            author=FATIMA,
            title="Let customers print return labels at home",
            summary="Customers print a prepaid label from their order page instead of "
            "calling us for one.",
            body="Half of the return calls are people asking for a label. A print-at-home "
            "label would also tell us in advance which parcels are coming back.",
            tags="returns, self-service",
            voters=(ALICE, EMMA),
            submitted_days_ago=144,
            steps=(
                DemoStep(
                    "screening", 140, "Customers ask for this a lot; let's check the details."
                ),
                DemoStep(
                    "evaluation",
                    131,
                    "Legal is checking whether our carrier contract allows it.",
                ),
            ),
            decided_days_ago=104,
            stage="declined",
            stage_note="Our carrier contract does not allow home-printed "
            "labels until it is renewed in 2027. Worth proposing again then.",
        ),
        DemoIdea(
            author=CHEN,
            title="A robot arm to sort returned parcels",
            summary="A second-hand robot arm sorts returns onto the right shelf, so nobody "
            "has to walk the warehouse with them.",
            body="A supplier offered a refurbished arm with a vision system for a three-month "
            "pilot at a fraction of the new price.",
            tags="returns, automation",
            budget="18000",
            coauthors=(SANJAY,),
            voters=(DAAN, OLIVER),
            submitted_days_ago=139,
            steps=(
                DemoStep("screening", 136, "Bold, but the supplier offers a cheap pilot."),
                DemoStep(
                    "evaluation",
                    129,
                    "The panel looks at the pilot terms and the floor space it needs.",
                ),
                DemoStep(
                    "shortlist",
                    98,
                    "Scored well on impact, lower on feasibility; a pilot limits the risk.",
                ),
                DemoStep(
                    "selected",
                    94,
                    "Selected for a three-month pilot only: €18,000, and we stop if the "
                    "arm cannot handle our mix of parcels.",
                ),
                DemoStep("implementing", 90, "The arm is installed at dock 2; the pilot starts."),
            ),
            funding=DemoFunding(
                amount="18000",
                note="A three-month pilot: rent of the refurbished arm and its vision system, "
                "and a short conveyor.",
                days_ago=93,
                owner=CHEN,
                updates=(
                    DemoUpdate(
                        "The arm and the conveyor are installed at dock 2. First week: boxes "
                        "are sorted onto the right shelf 98% of the time.",
                        percent=25,
                        days_ago=86,
                        spend="9500",
                    ),
                    DemoUpdate(
                        "Problem: poly mailers and padded envelopes, about 40% of our returns, "
                        "slip out of the gripper. The supplier is trying a softer one.",
                        percent=40,
                        days_ago=76,
                        spend="3000",
                    ),
                    DemoUpdate(
                        "The softer gripper did not help. As agreed at the start, we propose "
                        "to stop the pilot; the conveyor stays.",
                        percent=45,
                        days_ago=66,
                    ),
                ),
            ),
            decided_days_ago=62,
            stage="failed",
            stage_note="Stopped four weeks into the pilot: the arm could not pick up soft "
            "packaging, which is 40% of our returns. The conveyor built for it stays in use.",
        ),
        DemoIdea(
            author=BRAM,
            title="Retouren bundelen per postcode",
            summary="Haal retourpakketten één keer per week per postcodegebied op, in plaats "
            "van elke dag.",
            body="Minder ritten voor de busjes en minder losse stops bij klanten.",
            tags="retouren, logistiek",
            voters=(DAAN,),
            submitted_days_ago=137,
            steps=(
                DemoStep(
                    "screening",
                    134,
                    "Minder ritten is goed nieuws; we bekijken wat het de klant kost.",
                ),
            ),
            decided_days_ago=126,
            stage="declined",
            stage_note="Klanten zouden tot een week langer op hun geld wachten, "
            "en dat is precies wat deze challenge wil oplossen.",
        ),
    ),
)


@dataclass(frozen=True)
class DemoLesson:
    """A lesson by ``author`` (e-mail), on an idea or a challenge (by title), or free-standing."""

    author: str
    title: str
    tried: str
    happened: str
    learned: str
    outcome: str
    tags: str = ""
    idea: str = ""
    challenge: str = ""
    days_ago: int = 0


LESSONS: tuple[DemoLesson, ...] = (
    DemoLesson(
        author=DAAN,
        idea="Scan returns at the dock door",
        title="Scanning returns at the door: start with the busiest dock",
        tried="We gave the return dock the handheld scanners that outgoing parcels use, "
        "with a small script that starts the refund on the first scan.",
        happened="Dock 2, our busiest, went first. Within two weeks refunds started in under "
        "two days there; the other docks followed a month later.\n\n"
        "- Scanning added about 4 seconds per parcel.\n"
        "- One in twenty labels was too crumpled to scan and needed typing.",
        learned="Start where the pain is biggest: the busiest dock convinced the others faster "
        "than any presentation. And budget time for the labels that will not scan.",
        outcome="success",
        tags="returns, scanning, rollout",
        days_ago=40,
    ),
    DemoLesson(
        author=CHEN,
        idea="A robot arm to sort returned parcels",
        title="Our robot arm could not grip soft parcels",
        tried="A three-month pilot with a refurbished robot arm and a vision system to sort "
        "returned parcels onto shelves.",
        happened="Boxes went well: 98% sorted correctly. Poly mailers and padded envelopes, 40% "
        "of our returns, slipped out of the gripper or were not recognised at all. We stopped "
        "the pilot after four weeks, as the stop rule we agreed up front said.",
        learned="Test with a real day's mix of returns before signing anything: our sample "
        "for the supplier was mostly boxes. Agreeing a stop criterion in advance made it an "
        "easy, blameless decision, and the conveyor we built is still saving walking.",
        outcome="failure",
        tags="returns, automation, pilots",
        days_ago=55,
    ),
    DemoLesson(
        author=FATIMA,
        idea="Let customers print return labels at home",
        title="Read the carrier contract before designing the customer journey",
        tried="We designed a print-at-home return label and tested the flow with eight "
        "customers, who loved it.",
        happened="Legal then found that our carrier contract only accepts labels the carrier "
        "prints itself until the contract is renewed in 2027. The idea was declined for now.",
        learned="Check contracts and partners in week one, not after the design. The designs "
        "and customer feedback are saved with the idea, ready for the renewal talks.",
        outcome="failure",
        tags="returns, contracts, self-service",
        days_ago=60,
    ),
    DemoLesson(
        author=BRAM,
        idea="Retouren bundelen per postcode",
        title="Bundelen bespaart ritten, maar klanten willen vooral snelheid",
        tried="We rekenden uit wat het oplevert om retouren één keer per week per postcode op "
        "te halen.",
        happened="Het scheelde ongeveer 12% aan ritten, maar klanten zouden tot zeven dagen "
        "langer op hun terugbetaling wachten. Het idee is afgewezen.",
        learned="Reken een besparing altijd door vanuit de klant: wat voor ons efficiënt is, kan "
        "voor de klant precies het probleem zijn dat we willen oplossen.",
        outcome="failure",
        tags="retouren, logistiek",
        days_ago=58,
    ),
    DemoLesson(
        author=MONA,
        challenge="Faster refunds for returned parcels",
        title="Running a challenge during our busiest quarter",
        tried="We ran the refunds challenge in the busy weeks after a big sale, when returns peak.",
        happened="Ideas came in quickly, because everyone felt the problem. Reviewing them took "
        "twice as long as planned: the people who knew most were the busiest.",
        learned="Run a challenge when people feel the problem, but plan the review for the "
        "quiet weeks after it, and tell everyone that date up front.",
        outcome="partial",
        tags="challenges, planning",
        days_ago=35,
    ),
    DemoLesson(
        author=ALICE,
        title="A shared answer list cut repeat questions at the desk",
        tried="We kept one shared document with the ten questions customers ask most, and "
        "the best answer to each, written by whoever answered it best.",
        happened="New colleagues used it from day one. Calls about invoices got about a "
        "minute shorter. The list grew to forty answers and became hard to search.",
        learned="Start small and name an owner: ten great answers beat a hundred mediocre "
        "ones. Review the list every month, or it goes stale.",
        outcome="success",
        tags="customer service, knowledge",
        days_ago=20,
    ),
    DemoLesson(
        author=EMMA,
        title="One newsletter in two languages did not work",
        tried="To save time we sent one newsletter with every article in both Dutch and "
        "English, one after the other.",
        happened="Opens stayed the same, but clicks fell by a third and several readers told "
        "us the mail felt twice as long.",
        learned="Let readers choose their language and send them only that. The extra work "
        "is a template, not a second newsletter.",
        outcome="failure",
        tags="marketing, language",
        days_ago=14,
    ),
    DemoLesson(
        author=MARK,
        title="Inwerken op afstand: wat we leerden van de eerste drie groepen",
        tried="Nieuwe collega's volgden hun eerste week volledig online, met een vaste buddy "
        "en elke ochtend een korte check-in.",
        happened="De uitleg over systemen ging prima op afstand. Wat ontbrak was het "
        "informele contact: na drie weken kenden de nieuwe collega's nauwelijks iemand buiten "
        "hun eigen team.",
        learned="Doe de praktische uitleg online, maar plan op dag twee of drie een dag op "
        "kantoor met een lunch buiten het eigen team.",
        outcome="partial",
        tags="onboarding, people",
        days_ago=28,
    ),
    DemoLesson(
        author=OLIVER,
        title="No-meeting Wednesdays: a four-week pilot",
        tried="Engineering kept Wednesdays free of meetings for four weeks.",
        happened="People reported more focused work, and two long-stalled pieces of work got "
        "finished. Some meetings simply moved to Tuesday and Thursday, which then felt "
        "crowded.",
        learned="Protecting focus time works, but only if the week's meetings get shorter "
        "too, not just moved. We now cap recurring meetings at 25 minutes.",
        outcome="partial",
        tags="meetings, focus",
        days_ago=7,
    ),
)
