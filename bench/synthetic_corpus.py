"""Realistic synthetic srkb-shaped corpora: news articles with reader comment threads.

Why a generator: the scale benchmarks (bench/scale.py) need 1,000 to 100,000 documents
shaped like what a newsroom feeds srkb, and no third-party text may be committed. The
documents are written from the project's own material: the gazetteer's outlets, agencies,
armed groups and states (ontology/gazetteer.ttl), the extractor's titles, reporting verbs
and unnamed-source nouns (kb/extract/patterns/*.jsonl), and phrasing of our own.

What makes them realistic, and what the knowledge base does with it:

* **events recur across outlets**: an event (an actor acting at a place on a date, with a
  figure) is reported by one to five articles of different outlets over a few days, with
  different speakers and relays: claims that corroborate each other;
* **wire reprints**: some articles reprint a news agency's sentence word for word (one
  origin, not independent corroboration);
* **denials**: the accused party often denies (a contradicting claim);
* **recurring and new entities**: gazetteer entities follow a Zipf law (a few outlets and
  groups everywhere, a long tail), officials recur across years (a pool that grows with
  the corpus), and most articles introduce a new person or a new place;
* **comment threads**: 0 to 80 comments (median about 7), replies, recurring commenter
  handles, reader verdicts on outlets (reliability judgements) mixed with chatter.

Documents are the JSON document form (url, title, publisher, published, body, comments),
one file each, under ``OUT/NNN/`` (1,000 per folder), named ``.txt`` so that
``srkb ingest OUT`` takes them (a folder is expanded to its ``.txt`` files, and a text
holding a JSON document is read as one). Output is deterministic for a seed: ``--docs
1000`` is the first 1,000 documents of ``--docs 100000``.

    python bench/synthetic_corpus.py --docs 100000 --out bench/.cache/corpus-100k
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb.gazetteer import load_gazetteer  # noqa: E402

PATTERNS = ROOT / "kb" / "extract" / "patterns"
PER_FOLDER = 1000
START = date(2016, 1, 1)
DAYS = 9 * 365  # documents spread over nine years

SURNAME_SYLLABLES = (
    "al ha da ri mo ka sa la ni ra zan ber dar kho sul ta ma fa ru lo mi ner vo ko en "
    "ya ib hu sa ge de mar tin os el"
).split()
PLACE_SYLLABLES = (
    "ka ra mi sha dun bel tor qa zan hir mal sul ba de fa ji lo nu wa ye kur han sel dor "
    "ash ta ri bu ay ni om"
).split()
SAY_VERBS = frozenset(
    "said stated announced claimed reported confirmed added warned insisted alleged wrote".split()
)
ACTIONS = (
    ("shelled", "shelling of"),
    ("attacked", "attack on"),
    ("captured", "capture of"),
    ("bombed", "bombing of"),
    ("surrounded", "siege of"),
    ("struck", "strike on"),
    ("raided", "raid on"),
    ("withdrew from", "withdrawal from"),
)
VICTIMS = ("civilians", "fighters", "soldiers", "people", "militants", "children")
OUTCOMES = ("were killed", "were wounded", "fled the area", "were detained", "were missing")
CHATTER = (
    "Good article, thanks.",
    "Why would they do that near {place}?",
    "I think you are wrong about {place}, mate.",
    "Has anyone seen footage from {place}?",
    "This war will never end.",
    "My family lived near {place} before the war.",
    "Who controls the road to {place} now?",
    "Sad news. Peace for everyone there.",
    "First!",
    "Read the whole thing before commenting please.",
    "We have been waiting for this for weeks.",
    "So what happens next?",
)
VERDICTS = (  # (template, polarity): the project's judgement cues in our own sentences
    ("I read {s} every day and it is a reliable source.", "positive"),
    ("{s} has been accurate on {place} so far.", "positive"),
    ("{s} is one of the few outlets that actually go there.", "positive"),
    ("Credit where it's due, {s} got this one right.", "positive"),
    ("{s} is pure propaganda, don't trust it.", "negative"),
    ("{s} is a mouthpiece, nothing more.", "negative"),
    ("Take anything from {s} with a grain of salt.", "negative"),
    ("{s} lies all the time about {place}.", "negative"),
    ("{s} lies about casualties but is good on territory.", "mixed"),
    ("{s} is usually reliable but not on this one.", "mixed"),
    ("{s} is hit and miss.", "mixed"),
)


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _jsonl(name: str) -> list[dict[str, object]]:
    lines = (PATTERNS / name).read_text(encoding="utf-8").splitlines()
    return [d for d in (json.loads(line) for line in lines if line.strip()) if "label" in d]


def _plain(rows: list[dict[str, object]], label: str, **where: object) -> list[str]:
    """Patterns of ``label`` that are plain words (not regular expressions)."""
    out = []
    for d in rows:
        pattern = str(d.get("pattern", ""))
        if d["label"] != label or any(d.get(k) != v for k, v in where.items()):
            continue
        if pattern.replace(" ", "").replace("-", "").isalpha():
            out.append(pattern)
    return out


@dataclass(frozen=True)
class Material:
    """Everything the documents are written from, read once from the project's files."""

    outlets: list[tuple[str, str]]  # (name, domain or "")
    agencies: list[str]
    groups: list[str]  # armed groups, military forces, political organisations
    states: list[str]
    bodies: list[str]  # official bodies
    given: list[str]
    titles: list[str]
    say_verbs: list[str]
    unnamed: list[str]  # "sources", "officials"
    nationalities: list[str]

    @classmethod
    def load(cls) -> Material:
        outlets, agencies, groups, states, bodies = [], [], [], [], []
        for e in load_gazetteer():
            if "NewsAgency" in e.types:
                agencies.append(e.name)
            if e.types & {"NewsOutlet", "Website"}:
                outlets.append((e.name, e.domains[0] if e.domains else ""))
            if e.types & {"ArmedGroup", "MilitaryForce", "PoliticalOrganisation"}:
                groups.append(e.name)
            if "State" in e.types:
                states.append(e.name)
            if "OfficialBody" in e.types:
                bodies.append(e.name)
        names = _jsonl("names.jsonl")
        titles = _jsonl("titles.jsonl")
        reporting = _jsonl("reporting.jsonl")
        places = _jsonl("places.jsonl")
        return cls(
            outlets=outlets,
            agencies=agencies,
            groups=groups,
            states=states,
            bodies=bodies,
            given=_plain(names, "GIVEN_NAME"),
            titles=[t for t in _plain(titles, "TITLE") if t[:1].islower()],
            say_verbs=[v for v in _plain(reporting, "REPORT_VERB", kind="say") if v in SAY_VERBS],
            unnamed=_plain(reporting, "UNNAMED_SOURCE"),
            nationalities=[n for n in _plain(places, "NATIONALITY") if n.isalpha()],
        )


def zipf_pick(rng: random.Random, items: list[str] | list[tuple[str, str]], s: float = 1.1):  # type: ignore[no-untyped-def]
    """An item by a Zipf law over the list order: the first few are everywhere."""
    n = len(items)
    # inverse-CDF of a continuous power law over ranks 1..n
    u = rng.random()
    if s == 1.0:
        rank = int(math.exp(u * math.log(n + 1))) - 1
    else:
        a = 1.0 - s
        rank = int(((u * ((n + 1) ** a - 1)) + 1) ** (1 / a)) - 1
    return items[min(max(rank, 0), n - 1)]


@dataclass
class Event:
    actor: str
    target_owner: str
    place: str
    action: int
    day: date
    figure: int
    victims: str
    outcome: str
    reports: int  # how many more articles will report it
    denied: bool
    wire: str = ""  # an agency's wording that reprints copy


class Generator:
    """Writes documents one after another; events and people carry over between them."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.m = Material.load()
        rng = self.rng
        self.m.outlets.sort()
        rng.shuffle(self.m.outlets)  # which outlets are the big ones: fixed by the seed
        for pool in (self.m.agencies, self.m.groups, self.m.states, self.m.bodies):
            pool.sort()
            rng.shuffle(pool)
        self.officials: list[tuple[str, str, str]] = []  # (title, name, affiliation)
        self.places: list[str] = []
        self.commenters: list[str] = []
        self.open_events: list[Event] = []

    # --- names ---------------------------------------------------------------------
    def surname(self) -> str:
        rng = self.rng
        word = "".join(rng.choice(SURNAME_SYLLABLES) for _ in range(rng.randint(2, 3)))
        return word.capitalize()

    def person(self) -> tuple[str, str, str]:
        """A recurring official (most of the time) or a new one."""
        rng = self.rng
        if self.officials and rng.random() < 0.8:
            return zipf_pick(rng, self.officials, 0.9)
        affiliation = zipf_pick(rng, self.m.groups + self.m.states + self.m.bodies)
        official = (
            rng.choice(self.m.titles),
            f"{rng.choice(self.m.given)} {self.surname()}",
            affiliation,
        )
        self.officials.append(official)
        return official

    def place(self) -> str:
        rng = self.rng
        if self.places and rng.random() < 0.7:
            return zipf_pick(rng, self.places, 0.8)
        name = "".join(rng.choice(PLACE_SYLLABLES) for _ in range(rng.randint(2, 3)))
        self.places.append(name.capitalize())
        return self.places[-1]

    def commenter(self) -> str | None:
        rng = self.rng
        if rng.random() < 0.15:
            return None  # anonymous
        if self.commenters and rng.random() < 0.75:
            return zipf_pick(rng, self.commenters, 1.0)
        handle = rng.choice(self.m.given) + rng.choice(("", "_", "")) + str(rng.randint(1, 999))
        self.commenters.append(handle)
        return handle

    # --- sentences -----------------------------------------------------------------
    def new_event(self, day: date) -> Event:
        rng = self.rng
        actor = zipf_pick(rng, self.m.groups + self.m.states)
        ev = Event(
            actor=actor,
            target_owner=zipf_pick(rng, self.m.groups),
            place=self.place(),
            action=rng.randrange(len(ACTIONS)),
            day=day - timedelta(days=rng.randint(0, 2)),
            figure=rng.randint(2, 400),
            victims=rng.choice(VICTIMS),
            outcome=rng.choice(OUTCOMES),
            reports=min(int(rng.expovariate(0.6)), 6),
            denied=rng.random() < 0.3,
        )
        ev.wire = (
            f"{ev.actor} {ACTIONS[ev.action][0]} {ev.place} on {ev.day:%A} and {ev.figure} "
            f"{ev.victims} {ev.outcome}"
        )
        return ev

    def report_sentence(self, ev: Event, outlet: str) -> str:
        """One attributed sentence about an event, in one of several frames."""
        rng = self.rng
        verb, noun = ACTIONS[ev.action]
        # each report words the event its own way: date or weekday or none, a figure
        # that varies between reports, the outcome or not (wire reprints aside)
        when = rng.choice((f" on {ev.day:%B} {ev.day.day}", f" on {ev.day:%A}", "", " overnight"))
        figure = max(1, ev.figure + rng.choice((0, 0, 0, -1, 2, -5, 10)))
        tail = rng.choice(
            (
                f" and {figure} {ev.victims} {ev.outcome}",
                f", leaving at least {figure} {ev.victims} dead",
                " with heavy weapons",
                "",
            )
        )
        fact = f"{ev.actor} {verb} {ev.place}{when}{tail}"
        if ev.wire and rng.random() < 0.5:
            fact = ev.wire  # a reprint of the agency's sentence, word for word
        title, name, affiliation = self.person()
        agency = zipf_pick(rng, self.m.agencies)
        frame = rng.randrange(7)
        if frame == 0:
            return f"{title.capitalize()} {name} told {agency} that {fact}."
        if frame == 1:
            return f"{fact[:1].upper()}{fact[1:]}, according to {agency}."
        if frame == 2:
            nat = rng.choice(self.m.nationalities)
            return f"{nat} {rng.choice(self.m.unnamed)} said that {fact}."
        if frame == 3:
            return f"{affiliation} {rng.choice(self.m.say_verbs)} that {fact}."
        if frame == 4:
            return (
                f"{name}, {_a(title)} of {affiliation}, {rng.choice(self.m.say_verbs)} "
                f"that the {noun} {ev.place} left {ev.figure} {ev.victims} dead."
            )
        if frame == 5:
            return f"Local sources told {outlet} that {fact}."
        return f"{agency} reported that {fact}."

    def denial(self, ev: Event) -> str:
        rng = self.rng
        verb, _ = ACTIONS[ev.action]
        title, name, _aff = self.person()
        return rng.choice(
            (
                f"{ev.actor} denied that it {verb} {ev.place}.",
                f"{_a(title).capitalize()} of {ev.actor}, {name}, denied the claim and said "
                f"its forces were not near {ev.place}.",
                f"{ev.actor} dismissed the reports as fabricated.",
            )
        )

    def quote(self, ev: Event) -> str:
        rng = self.rng
        title, name, affiliation = self.person()
        return rng.choice(
            (
                f'"We will not allow {ev.actor} to take {ev.place}," {title} {name} said.',
                f'"The situation in {ev.place} is very difficult," {name} of {affiliation} '
                "told reporters.",
                f"{name}, {_a(title)}, said the {ev.victims} had no way out of {ev.place}.",
                f'"Our forces are holding their positions," {affiliation} said in a statement.',
            )
        )

    def background(self, ev: Event) -> str:
        rng = self.rng
        return rng.choice(
            (
                f"The conflict has killed thousands since {ev.day.year - rng.randint(2, 9)} and "
                f"displaced many more, most of them from villages around {self.place()}.",
                f"Aid groups have warned for months that supplies to {ev.place} were running "
                "low, and that winter would make the roads impassable.",
                f"{ev.target_owner} took control of the area in {ev.day.year - 1} after weeks "
                f"of fighting with {ev.actor}.",
                f"{ev.place} has changed hands several times since {ev.day.year - 3}.",
                f"The road between {ev.place} and {self.place()} has been closed for weeks.",
                f"Fighting around {ev.place} intensified after {ev.target_owner} sent "
                "reinforcements.",
                "Independent verification of the figures was not possible.",
                f"Residents of {self.place()} said the situation was calm.",
            )
        )

    def comment(self, outlet: str, place: str, index: int) -> dict[str, object]:
        rng = self.rng
        sentences = []
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            if rng.random() < 0.2:
                template, _polarity = rng.choice(VERDICTS)
                source = rng.choice((outlet, zipf_pick(rng, self.m.agencies), outlet))
                sentences.append(template.format(s=source, place=place))
            else:
                sentences.append(rng.choice(CHATTER).format(place=place))
        text = " ".join(sentences)
        out: dict[str, object] = {"id": f"c{index}", "text": text}
        author = self.commenter()
        if author:
            out["author"] = author
        if index > 1 and rng.random() < 0.35:
            out["reply_to"] = f"c{rng.randint(1, index - 1)}"
        return out

    # --- documents ------------------------------------------------------------------
    def document(self, i: int, total: int) -> dict[str, object]:
        rng = self.rng
        day = START + timedelta(days=int(DAYS * i / max(total, 1)))
        outlet, domain = zipf_pick(rng, self.m.outlets)
        self.open_events = [e for e in self.open_events if e.reports > 0]
        events = []
        if self.open_events and rng.random() < 0.6:
            ev = rng.choice(self.open_events[-50:])
            ev.reports -= 1
            events.append(ev)
        while len(events) < rng.randint(2, 4):
            ev = self.new_event(day)
            if ev.reports:
                self.open_events.append(ev)
            events.append(ev)
        lead = events[0]
        _verb, noun = ACTIONS[lead.action]
        paragraphs = []
        for ev in events:
            paragraphs.append(self.report_sentence(ev, outlet))
            for _ in range(rng.randint(0, 2)):
                paragraphs.append(self.report_sentence(ev, outlet))
            if ev.denied and rng.random() < 0.7:
                paragraphs.append(self.denial(ev))
            if rng.random() < 0.6:
                paragraphs.append(self.quote(ev))
            for _ in range(rng.randint(1, 3)):
                paragraphs.append(self.background(ev))
        n_comments = min(int(rng.lognormvariate(2.0, 1.0)), 80)
        comments = [self.comment(outlet, lead.place, k) for k in range(1, n_comments + 1)]
        slug = f"{noun.split()[0]}-{lead.place.lower()}-{i}"
        doc: dict[str, object] = {
            "url": f"https://{domain or 'news.example'}/{day:%Y/%m}/{slug}",
            "title": f"{noun.capitalize()} {lead.place}: {lead.figure} {lead.victims} "
            f"{lead.outcome.split()[-1]}",
            "publisher": outlet,
            "published": day.isoformat(),
            "body": "\n".join(paragraphs),
            "comments": comments,
        }
        return doc


def documents(total: int, seed: int = 10, start: int = 0) -> Iterator[dict[str, object]]:
    """Documents ``start`` to ``total - 1`` of the corpus of this seed. Each document
    depends on all before it (events, people and places carry over), so the ones before
    ``start`` are generated too, unless a corpus written by ``write_corpus`` saved the
    generator where it stopped (``resume``)."""
    gen = Generator(seed)
    # the date of document i depends on the corpus size it is laid out over: fix it to
    # the largest size so that smaller corpora are prefixes of larger ones
    for i in range(total):
        doc = gen.document(i, 100_000)
        if i >= start:
            yield doc


STATE = "generator.pickle"  # beside a written corpus: the generator after its last document


def resume(corpus: Path, start: int, count: int, seed: int = 10) -> list[dict[str, object]]:
    """Documents ``start`` to ``start + count - 1``, continuing from the generator a
    corpus of ``start`` documents (and this seed) saved, if there is one: the 100
    documents that follow a 100,000-document corpus then take a second, not the 13
    minutes of generating the 100,000 again."""
    path = corpus / STATE
    if path.is_file():
        with path.open("rb") as f:
            saved = pickle.load(f)  # noqa: S301 - written by write_corpus, never downloaded
        if saved["documents"] == start and saved["seed"] == seed:
            gen: Generator = saved["generator"]
            return [gen.document(i, 100_000) for i in range(start, start + count)]
    return list(documents(start + count, seed, start=start))


def write_corpus(total: int, out: Path, seed: int = 10) -> Path:
    """Write ``total`` documents as JSON files under ``out``; skip if already complete."""
    done = out / "COMPLETE"
    if done.is_file() and done.read_text(encoding="utf-8").strip() == f"{total} {seed}":
        return out
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed)
    for i in range(total):
        doc = gen.document(i, 100_000)
        folder = out / f"{i // PER_FOLDER:03d}"
        if i % PER_FOLDER == 0:
            folder.mkdir(exist_ok=True)
        path = folder / f"doc-{i:06d}.txt"
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    with (out / STATE).open("wb") as f:
        pickle.dump({"documents": total, "seed": seed, "generator": gen}, f)
    done.write_text(f"{total} {seed}\n", encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    write_corpus(args.docs, args.out, args.seed)
    print(f"{args.docs} documents in {args.out} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
