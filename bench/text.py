"""Varied English and Dutch workplace text for the scale seeder: templates filled with words.

Words come from :mod:`bench.vocabulary`, drawn with Zipf-like weights (rank r weighs
1 / (r + 1)), and about 40% of them from the topic of the challenge the text belongs to, so
texts on one topic share vocabulary the way real ideas do. The Markdown produced is plain
paragraphs, ``**bold**`` lead-ins and bullet lists, so its HTML is built here exactly as
``portal.markdown.render_markdown`` would build it, without running Markdown 550,000 times.
"""

from __future__ import annotations

import random
import re
from itertools import accumulate
from typing import Any

from bench import vocabulary

TOPIC_SHARE = 0.4
BUFFER = 4096
_SLOT = re.compile(r"\{(\w+)\}")

# English templates. Slots: N noun, Ns plural, aN "a/an noun", AN adjective + noun,
# aAN "a/an adjective noun", ANs adjective + plural, V verb, V3 third person, Vd past,
# Ving gerund, A adjective, R adverb, num, pct, money, period, year.
EN_TEMPLATES = {
    "title": (
        "{V} the {N} with {aAN}",
        "{ANs} for every {N}",
        "Use {Ns} to {V} the {N}",
        "Let {Ns} {V} their own {Ns}",
        "{Ving} {Ns} {R}",
        "{aAN} for the {N}",
        "{V} {Ns} before the {N}",
        "One {N} for all {Ns}",
        "Fewer {Ns}, more {Ns}",
        "From {ANs} to {ANs}",
        "{V} our {N} with {Ns}",
        "{aAN} instead of {Ns}",
        "Stop {Ving} the {N} by hand",
    ),
    "sentence": (
        "We could {V} the {N} {R} so that {Ns} spend less time on {Ns}.",
        "Right now every {N} {V3} the {N} by hand, which costs about {num} minutes a {period}.",
        "If we {V} {aAN}, the {N} {V3} {R}.",
        "The {N} already {V3} {Ns}, but nobody {V3} the {N}.",
        "Last {period} we {Vd} {Ns} in one {N} and it {Vd} the {ANs}.",
        "This would save around {pct} percent of the {N} each {period}.",
        "{Ns} and {Ns} would both benefit from {aAN}.",
        "My proposal: {V} {aAN} and {V} the {Ns} {R}.",
        "{aAN} next to the {N} would help most {Ns}.",
        "Colleagues in the {N} team want to {V} this {R}.",
        "The main risk is that the {N} becomes {A}, so we should {V} it first in one {N}.",
        "We need about {money} euro and {num} weeks to {V} the {N}.",
        "It is {A} to {V}, and {Ns} can {V} it without {aN}.",
        "Why do we still {V} the {Ns} on paper?",
        "Other {Ns} {V} their {Ns} with {Ns} and report {ANs}.",
        "The {AN} {V3} the {N} and the {Ns} {R}.",
        "A {N} for {Ns} makes the {N} {A} and {A}.",
        "Nobody likes {Ving} the {N} twice.",
        "Most {Ns} {V} the {N} {R}, which leads to {ANs}.",
        "With {aAN} the {N} would {V} {Ns} {R}.",
    ),
    "comment": (
        "Good point about the {N}.",
        "I agree, but what about the {Ns}?",
        "Have we tried {Ving} the {N} first?",
        "In my team we {Vd} something similar with {Ns} last {period}.",
        "This would really help the {Ns} in our {N}.",
        "Who would {V} the {N} after the pilot?",
        "I think the {N} is the real problem, not the {N}.",
        "+1, and we could also {V} the {Ns}.",
        "How much would the {Ns} cost per {period}?",
        "We {Vd} this in {year} and the {N} was {A}.",
        "Nice idea! Maybe start with one {N}.",
        "The {N} team already {V3} {Ns}, let's ask them.",
        "Could you explain how the {N} {V3} the {Ns}?",
        "Be careful with the {N}: it {V3} {R}.",
        "Thanks, I added {aN} to the {N}.",
        "Our {Ns} are {A} too, so count us in.",
    ),
    "lead": ("Why:", "The idea:", "Next step:", "In short:", "Cost:"),
    "list_intro": (
        "The plan in three steps:",
        "What we would do:",
        "We are looking for ideas that:",
    ),
    "item": ("{V} the {Ns}", "{V} {aAN}", "{Ns} {V} the {N} {R}", "fewer {Ns} in the {N}"),
    "challenge_title": (
        "How can we {V} {Ns} in the {N}?",
        "Ideas to {V} our {N}",
        "{V} {Ns} by {pct} percent",
        "Make the {N} {A}",
        "Better {Ns} for our {Ns}",
        "A {A} {N} for everyone",
    ),
    "declined": (
        "Declined: the {N} would cost more than it saves in {Ns}.",
        "Declined because {aN} already {V3} the {Ns}.",
        "We decided not to go ahead: the {Ns} are not {A} enough yet.",
    ),
    "failed": (
        "Stopped during the pilot: the {N} did not {V} the {Ns} as we hoped.",
        "Failed: {Ns} kept {Ving} the {N}, so we stopped after {num} weeks.",
    ),
    "implemented": (
        "Implemented in {num} weeks; the {N} now {V3} {Ns} {R}.",
        "Done: every {N} now uses the new {N}.",
    ),
    "parked": ("Parked until the new {N} is in place.",),
    "withdrawn": ("Withdrawn by the authors: {aAN} already exists.",),
    "selected": ("Selected: a clear benefit for {Ns} at a small cost.",),
    "merged": ("Merged into a similar idea about the {N}.",),
    "lesson_title": (
        "What we learned from {Ving} {Ns}",
        "{ANs}: lessons from the {N} pilot",
        "Why the {N} did not {V} the {Ns}",
        "{Ving} the {N}: what worked and what did not",
    ),
    "tried": ("We tried to {V} the {Ns} with {aAN}.", "For {num} weeks we {Vd} the {N} {R}."),
    "happened": (
        "After {num} weeks the {N} {Vd} {R}.",
        "The {Ns} {Vd} the {N}, but the {ANs} stayed.",
    ),
    "learned": (
        "Next time we would {V} the {Ns} first and {V} {aAN}.",
        "Start small: one {N}, one {N} and {ANs}.",
    ),
}

# Dutch templates. Extra slots: deN "de/het noun", eenN "een noun", deAN and eenAN with an
# inflected adjective, Ai inflected adjective, Vpp participle; V is the infinitive.
NL_TEMPLATES = {
    "title": (
        "{ANs} voor iedere {N}",
        "{deN} {V} met {eenAN}",
        "{Ns} gebruiken om {deN} te {V}",
        "Eén {N} voor alle {Ns}",
        "Minder {Ns}, meer {Ns}",
        "Van {ANs} naar {ANs}",
        "{eenAN} bij {deN}",
        "Samen {deN} {V}",
        "Slimmer {V} met {Ns}",
        "{eenAN} in plaats van {Ns}",
        "Stop met {deN} met de hand {V}",
    ),
    "sentence": (
        "We kunnen {deN} {R} {V} zodat {Ns} minder tijd kwijt zijn aan {Ns}.",
        "Nu {V3} iedere {N} {deN} met de hand, en dat kost zo'n {num} minuten per {period}.",
        "Als we {eenAN} {V}, {V3} {deN} {R}.",
        "{deN} {V3} al {ANs}, maar niemand {V3} {deN}.",
        "Vorige {period} hebben we {Ns} {Vpp} in één {N}.",
        "Dit bespaart ongeveer {pct} procent van {deN} per {period}.",
        "Zowel {Ns} als {Ns} hebben baat bij {eenAN}.",
        "Mijn voorstel: {eenAN} {V} en de {Ns} {R} {V}.",
        "Met {eenAN} naast {deN} kunnen de meeste {Ns} {R} {V}.",
        "Collega's van {deN} willen dit {R} {V}.",
        "Het grootste risico is dat {deN} {A} wordt, dus we moeten het eerst in één {N} {V}.",
        "We hebben ongeveer {money} euro en {num} weken nodig om {deN} te {V}.",
        "Het is {A} om te {V}, en {Ns} kunnen het zonder {eenN} {V}.",
        "Waarom werken we nog met {ANs} op papier?",
        "Andere {Ns} {V} hun {Ns} met {Ns} en zien {ANs}.",
        "{deAN} {V3} {deN} en de {Ns} {R}.",
        "Met {eenN} voor de {Ns} wordt {deN} {A} en {A}.",
        "Niemand vindt het leuk om {deN} twee keer te {V}.",
        "De meeste {Ns} {V} {deN} {R}, en dat leidt tot {ANs}.",
        "Met {eenAN} kan {deN} de {Ns} {R} {V}.",
    ),
    "comment": (
        "Goed punt over {deN}.",
        "Eens, maar hoe zit het met de {Ns}?",
        "Hebben we al geprobeerd om {deN} te {V}?",
        "In mijn team hebben we vorige {period} iets vergelijkbaars {Vpp} met {Ns}.",
        "Dit zou de {Ns} bij {deN} echt helpen.",
        "Wie gaat {deN} na de pilot {V}?",
        "Volgens mij is {deN} het echte probleem, niet {deN}.",
        "+1, en we kunnen ook de {Ns} {V}.",
        "Wat kosten de {Ns} per {period}?",
        "We hebben dit in {year} {Vpp} en {deN} was {A}.",
        "Leuk idee! Begin misschien met één {N}.",
        "Het team van {deN} {V3} al {Ns}, laten we het hun vragen.",
        "Kun je uitleggen hoe {deN} de {Ns} {V3}?",
        "Let op met {deN}: die {V3} {R}.",
        "Bedankt, ik heb {eenN} aan {deN} toegevoegd.",
        "Onze {Ns} zijn ook {A}, dus wij doen mee.",
    ),
    "lead": ("Waarom:", "Het idee:", "Volgende stap:", "Kort gezegd:", "Kosten:"),
    "list_intro": ("Het plan in drie stappen:", "Wat we zouden doen:", "We zoeken ideeën die:"),
    "item": ("de {Ns} {V}", "{eenAN} {V}", "{deN} {R} {V}", "minder {Ns} bij {deN}"),
    "challenge_title": (
        "Hoe kunnen we {Ns} {V}?",
        "Ideeën om {deN} te {V}",
        "{Ns} {pct} procent {Ai}",
        "Maak {deN} {A}",
        "Betere {Ns} voor onze {Ns}",
        "{eenAN} voor iedereen",
    ),
    "declined": (
        "Afgewezen: {deN} kost meer dan het oplevert aan {Ns}.",
        "Afgewezen omdat {eenN} de {Ns} al {V3}.",
        "We gaan hier niet mee verder: de {Ns} zijn nog niet {A} genoeg.",
    ),
    "failed": (
        "Gestopt tijdens de pilot: {deN} heeft de {Ns} niet {Vpp} zoals we hoopten.",
        "Mislukt: na {num} weken bleven de {Ns} {deN} hinderen, dus we zijn gestopt.",
    ),
    "implemented": (
        "Ingevoerd in {num} weken; {deN} {V3} nu {ANs}.",
        "Klaar: iedere {N} gebruikt nu de nieuwe {N}.",
    ),
    "parked": ("Geparkeerd tot {deN} klaar is.",),
    "withdrawn": ("Ingetrokken door de indieners: er bestaat al {eenAN}.",),
    "selected": ("Geselecteerd: duidelijk voordeel voor de {Ns} tegen lage kosten.",),
    "merged": ("Samengevoegd met een vergelijkbaar idee over {deN}.",),
    "lesson_title": (
        "Wat we leerden van {deN}",
        "Lessen uit de pilot met {Ns}",
        "Waarom {deN} de {Ns} niet {V3}",
        "{deAN}: wat werkte en wat niet",
    ),
    "tried": (
        "We probeerden de {Ns} te {V} met {eenAN}.",
        "{num} weken lang hebben we {deN} {Vpp}.",
    ),
    "happened": (
        "Na {num} weken was {deN} {R} {Vpp}.",
        "De {Ns} hebben {deN} {Vpp}, maar de {ANs} bleven.",
    ),
    "learned": (
        "Een volgende keer zouden we eerst de {Ns} {V} en {eenAN} {V}.",
        "Begin klein: één {N}, één {N} en {ANs}.",
    ),
}

EN_PERIODS = ("week", "month", "quarter", "year", "day")
NL_PERIODS = ("week", "maand", "kwartaal", "jaar", "dag")


def _entries(block: str) -> dict[str, dict[str, list[str]]]:
    """Parse a vocabulary block into {topic: {kind: [raw entries]}}."""
    topics: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    kind = ""
    for line in block.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("["):
            current = topics.setdefault(line.strip("[]"), {})
            continue
        if len(line) > 2 and line[1] == ":" and line[0] in "nvar":
            kind, line = line[0], line[2:]
        entries = current.setdefault(kind, [])
        for token in line.split():
            # A Dutch separable verb's third person ("pakt in") spans two tokens.
            if kind == "v" and entries and entries[-1].count("/") == 1:
                entries[-1] += "_" + token
            else:
                entries.append(token)
    return topics


def _words(raw: str) -> str:
    return raw.replace("_", " ")


def _en_plural(noun: str) -> str:
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _en_third(verb: str) -> str:
    head, _, tail = verb.partition(" ")
    if head.endswith(("s", "x", "z", "ch", "sh", "o")):
        head += "es"
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        head = head[:-1] + "ies"
    else:
        head += "s"
    return f"{head} {tail}".strip()


def _en_past(verb: str) -> str:
    head, _, tail = verb.partition(" ")
    if head.endswith("e"):
        head += "d"
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        head = head[:-1] + "ied"
    else:
        head += "ed"
    return f"{head} {tail}".strip()


def _en_gerund(verb: str) -> str:
    head, _, tail = verb.partition(" ")
    if head.endswith("e") and not head.endswith(("ee", "ye")):
        head = head[:-1] + "ing"
    else:
        head += "ing"
    return f"{head} {tail}".strip()


def en_entry(kind: str, raw: str) -> Any:
    """One English word's forms."""
    parts = [_words(p) for p in raw.split(">")]
    if kind == "n":
        return (parts[0], parts[1] if len(parts) > 1 else _en_plural(parts[0]))
    if kind == "v":
        base = parts[0]
        past = parts[1] if len(parts) > 1 else _en_past(base)
        gerund = parts[2] if len(parts) > 2 else _en_gerund(base)
        return (base, _en_third(base), past, gerund)
    return parts[0]


def nl_entry(kind: str, raw: str) -> Any:
    """One Dutch word's forms; nouns carry whether they take *het*."""
    het = raw.startswith("!")
    parts = [_words(p) for p in raw.lstrip("!").split("/")]
    if kind == "n":
        return (parts[0], parts[1], het)
    if kind == "v":
        return (parts[0], parts[1], parts[2])
    if kind == "a":
        return (parts[0], parts[1] if len(parts) > 1 else parts[0])
    return parts[0]


class Pool:
    """Draws entries with Zipf-like weights by list position, a buffer at a time."""

    __slots__ = ("buffer", "cum", "items", "rng")

    def __init__(self, items: list[Any], rng: random.Random, exponent: float = 1.0) -> None:
        self.items = items
        self.cum = list(accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(items))))
        self.rng = rng
        self.buffer: list[Any] = []

    def take(self) -> Any:
        """The next drawn entry."""
        if not self.buffer:
            self.buffer = self.rng.choices(self.items, cum_weights=self.cum, k=BUFFER)
        return self.buffer.pop()


def _interleave(lists: list[list[Any]]) -> list[Any]:
    """Round-robin merge: the topics' common words rank before their rare ones."""
    merged: list[Any] = []
    for i in range(max(map(len, lists), default=0)):
        merged.extend(lst[i] for lst in lists if i < len(lst))
    return merged


def _parse_template(template: str) -> list[tuple[str, str | None]]:
    parts: list[tuple[str, str | None]] = []
    pos = 0
    for match in _SLOT.finditer(template):
        if match.start() > pos:
            parts.append((template[pos : match.start()], None))
        parts.append(("", match.group(1)))
        pos = match.end()
    if pos < len(template):
        parts.append((template[pos:], None))
    return parts


class Language:
    """Word pools and templates of one language; `fill` turns a template into text."""

    def __init__(self, code: str, rng: random.Random) -> None:
        self.code = code
        self.rng = rng
        self.random = rng.random
        block, make = (vocabulary.EN, en_entry) if code == "en" else (vocabulary.NL, nl_entry)
        templates = EN_TEMPLATES if code == "en" else NL_TEMPLATES
        self.periods = EN_PERIODS if code == "en" else NL_PERIODS
        parsed = _entries(block)
        self.global_pools: dict[str, Pool] = {}
        self.topic_pools: dict[str, dict[str, Pool]] = {}
        for kind in "nvar":
            general = [make(kind, raw) for raw in parsed["general"].get(kind, [])]
            per_topic = {
                topic: [make(kind, raw) for raw in parsed[topic].get(kind, [])]
                for topic in vocabulary.TOPICS
            }
            everything = general + _interleave(list(per_topic.values()))
            self.global_pools[kind] = Pool(everything, rng)
            for topic, items in per_topic.items():
                if items:
                    self.topic_pools.setdefault(topic, {})[kind] = Pool(items, rng, 0.8)
        self.templates = {
            name: [_parse_template(t) for t in options] for name, options in templates.items()
        }
        self.slots = self._slots()

    def _pick(self, kind: str, topic: str) -> Any:
        pools = self.topic_pools.get(topic)
        if pools and kind in pools and self.random() < TOPIC_SHARE:
            return pools[kind].take()
        return self.global_pools[kind].take()

    def _slots(self) -> dict[str, Any]:
        rng, pick = self.rng, self._pick

        def number(topic: str) -> str:
            return str(rng.choice((2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45, 60)))

        def money(topic: str) -> str:
            amount = f"{rng.choice((5, 8, 10, 12, 15, 20, 25, 40, 50, 75)) * 100:,}"
            return amount if self.code == "en" else amount.replace(",", ".")

        common = {
            "num": number,
            "pct": lambda t: str(rng.randrange(5, 61, 5)),
            "money": money,
            "period": lambda t: rng.choice(self.periods),
            "year": lambda t: str(rng.randrange(2018, 2026)),
            "R": lambda t: pick("r", t),
            "N": lambda t: pick("n", t)[0],
            "Ns": lambda t: pick("n", t)[1],
        }
        if self.code == "en":

            def article(word: str) -> str:
                return f"an {word}" if word[0] in "aeiou" else f"a {word}"

            return common | {
                "aN": lambda t: article(pick("n", t)[0]),
                "AN": lambda t: f"{pick('a', t)} {pick('n', t)[0]}",
                "aAN": lambda t: article(f"{pick('a', t)} {pick('n', t)[0]}"),
                "ANs": lambda t: f"{pick('a', t)} {pick('n', t)[1]}",
                "A": lambda t: pick("a", t),
                "V": lambda t: pick("v", t)[0],
                "V3": lambda t: pick("v", t)[1],
                "Vd": lambda t: pick("v", t)[2],
                "Ving": lambda t: pick("v", t)[3],
            }

        def de_n(t: str) -> str:
            noun = pick("n", t)
            return f"{'het' if noun[2] else 'de'} {noun[0]}"

        def de_an(t: str) -> str:
            noun = pick("n", t)
            return f"{'het' if noun[2] else 'de'} {pick('a', t)[1]} {noun[0]}"

        def een_an(t: str) -> str:
            noun, adjective = pick("n", t), pick("a", t)
            return f"een {adjective[0] if noun[2] else adjective[1]} {noun[0]}"

        return common | {
            "deN": de_n,
            "eenN": lambda t: f"een {pick('n', t)[0]}",
            "deAN": de_an,
            "eenAN": een_an,
            "ANs": lambda t: f"{pick('a', t)[1]} {pick('n', t)[1]}",
            "A": lambda t: pick("a", t)[0],
            "Ai": lambda t: pick("a", t)[1],
            "V": lambda t: pick("v", t)[0],
            "V3": lambda t: pick("v", t)[1],
            "Vpp": lambda t: pick("v", t)[2],
        }

    def fill(self, kind: str, topic: str) -> str:
        """One random template of `kind`, filled, with a capital first letter."""
        parts = self.rng.choice(self.templates[kind])
        slots = self.slots
        text = "".join(literal if code is None else slots[code](topic) for literal, code in parts)
        return text[:1].upper() + text[1:]

    def sentences(self, kind: str, topic: str, words: int) -> list[str]:
        """Sentences of `kind` until about `words` words."""
        out: list[str] = []
        count = 0
        while count < words:
            sentence = self.fill(kind, topic)
            out.append(sentence)
            count += sentence.count(" ") + 1
        return out


class TextMaker:
    """Everything the seeder writes, in both languages, from one seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.languages = {code: Language(code, rng) for code in ("en", "nl")}

    @property
    def vocabulary_size(self) -> int:
        """Distinct word forms the pools can draw (both languages, inflections included)."""
        words: set[str] = set()
        for language in self.languages.values():
            for pool in language.global_pools.values():
                for entry in pool.items:
                    forms = [entry] if isinstance(entry, str) else entry
                    for form in forms:
                        if isinstance(form, str):
                            words.update(form.lower().split())
        return len(words)

    def line(self, lang: str, kind: str, topic: str, limit: int) -> str:
        """One filled template of `kind`, at most `limit` characters."""
        language = self.languages[lang]
        for _ in range(20):
            text = language.fill(kind, topic)
            if len(text) <= limit:
                return text
        return text[:limit].rsplit(" ", 1)[0]

    def markdown(
        self, lang: str, topic: str, low: int, high: int, *, lists: float, leads: float
    ) -> tuple[str, str]:
        """Markdown of `low`..`high` words in paragraphs (maybe a list), and its HTML."""
        language = self.languages[lang]
        rng = self.rng
        sentences = language.sentences("sentence", topic, rng.randint(low, high))
        blocks: list[tuple[str, str]] = []
        i = 0
        while i < len(sentences):
            size = rng.randint(2, 4)
            text = " ".join(sentences[i : i + size])
            i += size
            if rng.random() < leads:
                lead = rng.choice(language.templates["lead"])[0][0]
                blocks.append((f"**{lead}** {text}", f"<p><strong>{lead}</strong> {text}</p>"))
            else:
                blocks.append((text, f"<p>{text}</p>"))
            if len(blocks) == 1 and rng.random() < lists:
                intro = rng.choice(language.templates["list_intro"])[0][0]
                items = [language.fill("item", topic) for _ in range(3)]
                md = "\n".join(f"- {item}" for item in items)
                html = "\n".join(f"<li>{item}</li>" for item in items)
                blocks.append((intro, f"<p>{intro}</p>"))
                blocks.append((md, f"<ul>\n{html}\n</ul>"))
        return "\n\n".join(b[0] for b in blocks), "\n".join(b[1] for b in blocks)

    def comment(self, lang: str, topic: str) -> tuple[str, str]:
        """A comment of 15..60 words: a reaction, maybe followed by an argument."""
        language, rng = self.languages[lang], self.rng
        target = rng.randint(15, 60)
        parts = [language.fill("comment", topic)]
        count = parts[0].count(" ") + 1
        while count < target:
            kind = "comment" if rng.random() < 0.3 else "sentence"
            sentence = language.fill(kind, topic)
            parts.append(sentence)
            count += sentence.count(" ") + 1
        if len(parts) > 3 and rng.random() < 0.3:
            cut = len(parts) // 2
            first, second = " ".join(parts[:cut]), " ".join(parts[cut:])
            return f"{first}\n\n{second}", f"<p>{first}</p>\n<p>{second}</p>"
        text = " ".join(parts)
        return text, f"<p>{text}</p>"

    def paragraph(self, lang: str, kind: str, topic: str, low: int, high: int) -> tuple[str, str]:
        """One lead sentence of `kind` and general sentences up to `low`..`high` words."""
        language = self.languages[lang]
        first = language.fill(kind, topic)
        rest = language.sentences("sentence", topic, self.rng.randint(low, high))
        text = " ".join([first, *rest])
        return text, f"<p>{text}</p>"
