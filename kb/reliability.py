"""Source reliability and claim credibility, computed from the evidence and explained.

Analysts grade by hand with the NATO Admiralty code: reliability of a source A-F and
credibility of an item 1-6. srkb computes both axes from what the knowledge base holds
and records, for every grade, the evidence it used and the rule that mapped it.

Source reliability is a subjective-logic opinion built from evidence counts (Jøsang's
beta reputation): r positive and s negative pieces of evidence give belief
b = r/(r+s+W), disbelief d = s/(r+s+W), uncertainty u = W/(r+s+W) and expected value
E = b + a*u. Evidence is readers' judgements (positive 1, negative 1, mixed half each)
and the source's track record: each report (a text, with the reprints of it) in which
it made or relayed a claim that independent origins corroborate counts for it, each
report with a claim contradicted more than corroborated counts against it. Only origins
that are not a party's own account of its operations (kb.own_accounts) make a track
record, and a party's own account never counts for it. Too little evidence
(r + s < minimum) gives F, shown as "not enough evidence (n pieces)".

Claim credibility looks at the other claims on the same matter: corroborating claims
count by independent *origin* (the relaying source, else the speaker, else the
publisher, else the text; reprints of one wire story share an origin), and
contradicting claims (a denial, a negation) likewise. The reliability of the claim's own
chain and whether it rests on an unnamed or self-interested source decide the rest.

Why the model is local (model version 3): every rating depends only on the claim's own
neighbourhood (the claims on the same matter) and on counts per source, so ingesting
or removing a few texts re-rates only what they touch (kb.derived.ratings), at a cost
that does not grow with the store, and the result is the same however the texts were
batched. Two claims are on one matter when they share at least two content terms, a
Jaccard similarity of their terms of at least ``similarity``, and at least one
*specific* term: one that no more than ``max_postings`` claims of the store use (a place,
a name, a figure; "killed" or "forces" say nothing about which matter). A claim's
terms are its content words (stemmed, without stop words) and the actors it names
("@key"), without the words of those actors' names: "Myanmar National Democratic
Alliance Army" is one term, not five. Reprints are found inside each claim's
neighbourhood (near-identical wording: Jaccard >= ``duplicate``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from typing import Protocol

import pyoxigraph as ox

from .evidence import ClaimEvidence, JudgementEvidence, PriorEvidence, entities_near_judgements
from .iri import IriMinter
from .store import KnowledgeBase
from .vocab import PREFIXES, sparql_prefixes

MODEL_VERSION = "3"

__all__ = [
    "MODEL_VERSION",
    "ClaimEvidence",
    "ClaimRating",
    "ClaimRelations",
    "ClaimRow",
    "JudgementEvidence",
    "MemoryClaimIndex",
    "ModelParameters",
    "Ratings",
    "Scope",
    "SourceCounts",
    "SourceRating",
    "claim_row",
    "compute_ratings",
    "grade_counts",
    "ratings_graph_iri",
    "relations_of",
    "source_names",
]


@dataclass(frozen=True)
class ModelParameters:
    """The knobs of the rating model; recorded on every rating through its model IRI."""

    prior_weight: float = 2.0  # W: non-informative prior weight (beta distribution)
    base_rate: float = 0.5  # a: prior probability that an unknown source is reliable
    minimum_evidence: float = 2.0  # below r + s = this, the grade is F
    # expected-value thresholds for the letters A-D (anything lower is E)
    thresholds: tuple[tuple[str, float], ...] = (("A", 0.85), ("B", 0.70), ("C", 0.45), ("D", 0.30))
    a_needs_evidence: float = 8.0  # "completely reliable" also needs this much evidence
    similarity: float = 0.34  # Jaccard of content terms above which two claims are on one matter
    duplicate: float = 0.85  # Jaccard above which two claims are the same wording (a reprint)
    max_postings: int = 300  # a term used by more claims than this is not specific
    # what a prior assessment's Admiralty letter means as a trust value (F: none); with
    # the default weight of 16 (kb.priors) each letter on its own gives that letter, and
    # an A still gives A after one dissenting reader (two make it B)
    assessment_trust: tuple[tuple[str, float], ...] = (
        ("A", 0.95),
        ("B", 0.8),
        ("C", 0.6),
        ("D", 0.4),
        ("E", 0.15),
    )

    def trust_of(self, prior: PriorEvidence) -> Decimal | None:
        """The trust value a prior assessment stands for (None: it carries no weight)."""
        if prior.trust is not None:
            return prior.trust
        found = dict(self.assessment_trust).get(prior.grade or "")
        return None if found is None else Decimal(str(found))

    def describe(self) -> str:
        cuts = ", ".join(f"{g} if E >= {t}" for g, t in self.thresholds)
        return (
            "r = positive judgements + mixed/2 + reports it made or relayed that origins "
            "other than a party's own account corroborate (a report and its reprints count "
            "once; its own account of its operations never counts for it); "
            "s = negative judgements + mixed/2 + reports such origins contradict; "
            "a prior assessment of weight w and trust t (its trust value, or "
            + ", ".join(f"{g} {t:g}" for g, t in self.assessment_trust)
            + "; F none) adds w*t to r and w*(1-t) to s; "
            "b = r/(r+s+W), d = s/(r+s+W), u = W/(r+s+W), E = b + a*u "
            f"with W = {self.prior_weight}, "
            f"a = {self.base_rate}; F if r+s < {self.minimum_evidence}; "
            f"{cuts} (A also needs r+s >= {self.a_needs_evidence}); else E."
        )


# --------------------------------------------------------------------------- scopes
@dataclass(frozen=True)
class Scope:
    """Restricts a rating to part of the evidence (computed on demand, never stored).

    ``topic``: only judgements and claims whose words include it ("casualties": a reader
    may trust a map on territory but not on casualty figures); ``about``: only claims about
    this actor (IRI) and judgements in comments naming it; ``as_of``: only evidence dated on
    or before this ISO date (undated evidence is kept and counted in the explanation).
    """

    topic: str | None = None
    about: str | None = None
    as_of: str | None = None

    def describe(self) -> str:
        parts = []
        if self.topic:
            parts.append(f"on {self.topic!r}")
        if self.about:
            parts.append(f"about <{self.about}>")
        if self.as_of:
            parts.append(f"as of {self.as_of}")
        return ", ".join(parts) or "all evidence"

    def _topic_ok(self, text: str) -> bool:
        if not self.topic:
            return True
        wanted = {_stem(w) for w in _WORD.findall(self.topic.lower())}
        have = {_stem(w) for w in _WORD.findall(text.lower())}
        return bool(wanted) and wanted <= have

    def _date_ok(self, when: str | None) -> bool:
        return not self.as_of or when is None or when[:10] <= self.as_of

    def keeps_judgement(self, j: JudgementEvidence, mentioned: set[str]) -> bool:
        return (
            self._date_ok(j.date)
            and self._topic_ok(j.text)
            and (not self.about or self.about in mentioned)
        )

    def keeps_claim(self, c: ClaimEvidence) -> bool:
        return self.keeps_statement(c.content, c.about, c.date)

    def keeps_statement(self, content: str, about: Iterable[str], date: str | None) -> bool:
        """A claim's words, the actors it is about and its date in the scope?"""
        return (
            self._date_ok(date)
            and self._topic_ok(content)
            and (not self.about or self.about in set(about))
        )


# --------------------------------------------------------------------------- terms
_STOP = frozenset(
    """a an the and or but of to in on at by for from with as that this these those it its is are
    was were be been being has have had will would could should may might can do does did not no
    than then there their they them he she his her we our you your i me my who which what when
    where while after before over under into about also said says told according reported
    some any all more most many much very just only still yet already up down out off
    near""".split()
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|neither|nor|false|untrue|fake|fabricated|baseless|"
    r"deny|denies|denied|denying|denial|reject\w*|dismiss\w*|refut\w*)\b|n't\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+", re.UNICODE)


def _stem(word: str) -> str:
    for suffix in ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in (m.group().lower() for m in _WORD.finditer(text))}


@lru_cache(maxsize=1)
def _gazetteer_name_words() -> dict[str, frozenset[str]]:
    from .gazetteer import load_gazetteer

    return {
        e.key: frozenset(w for label in e.all_labels for w in _words(label))
        for e in load_gazetteer()
    }


@lru_cache(maxsize=65536)
def name_words(entity_iri: str) -> frozenset[str]:
    """The words of an actor's names: its gazetteer labels, else the words of its key."""
    key = entity_iri.rsplit("/entity/", 1)[-1] if "/entity/" in entity_iri else ""
    known = _gazetteer_name_words().get(key)
    if known is not None:
        return known
    slug = key or entity_iri.rsplit("/", 1)[-1]
    return frozenset(_stem(w) for w in slug.split("-") if w)


def content_terms(content: str, about: Iterable[str]) -> frozenset[str]:
    """Content words (stemmed) without the names of the actors named, and those actors."""
    about = sorted(about)
    names: set[str] = set()
    for a in about:
        names |= name_words(a)
    words = {
        _stem(w)
        for w in (m.group().lower() for m in _WORD.finditer(content))
        if w not in _STOP and len(w) > 2 and not _NEGATION.fullmatch(w)
    }
    return frozenset((words - names) | {"@" + a for a in about})


def negated(claim: ClaimEvidence) -> bool:
    """Does the claim deny its content (doubted frame, a denial cue, a negation inside)?"""
    return (
        claim.modality == "doubted"
        or bool(_NEGATION.search(claim.cue))
        or bool(_NEGATION.search(claim.content))
    )


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


# --------------------------------------------------------------------------- relations
@dataclass(frozen=True)
class ClaimRow:
    """What relating one claim to others needs (kept in the claim index, kb.derived)."""

    iri: str
    text: str
    document: str
    origin: str
    negated: bool
    terms: frozenset[str]
    own: bool = False  # a party's own account of its operations (kb.own_accounts)


def claim_row(c: ClaimEvidence) -> ClaimRow:
    return ClaimRow(
        c.iri,
        c.text,
        c.document,
        c.origin,
        negated(c),
        content_terms(c.content, c.about),
        bool(c.own_account),
    )


def _same_document(a: ClaimRow, b: ClaimRow) -> bool:
    return a.text == b.text and a.document == b.document


def related(a: ClaimRow, b: ClaimRow, df: Callable[[str], int], params: ModelParameters) -> bool:
    """Are two claims on one matter? (see the module docstring)"""
    if a.iri == b.iri or _same_document(a, b):
        return False  # two claims of one document do not corroborate each other
    shared = a.terms & b.terms
    if len(shared) < 2 or len(shared) < params.similarity * len(a.terms | b.terms):
        return False
    return any(df(t) <= params.max_postings for t in shared)


def _duplicates(a: ClaimRow, b: ClaimRow, params: ModelParameters) -> bool:
    """The same wording (a reprint): one story, one origin."""
    return (
        a.negated == b.negated
        and not _same_document(a, b)
        and len(a.terms & b.terms) >= 2
        and jaccard(a.terms, b.terms) >= params.duplicate
    )


@dataclass
class ClaimRelations:
    """How one claim relates to the others on its matter.

    An origin all of whose claims on the matter are a party's own account
    (kb.own_accounts) is counted among the corroborating or contradicting origins, but
    not among the *non-party* ones, which alone make a source's track record.
    ``story`` names the report the claim belongs to for track records: its text, or the
    first (by IRI) of the texts whose claims repeat it (same origin), so that one report
    and its reprints count once.
    """

    corroborating: list[str] = field(default_factory=list)
    contradicting: list[str] = field(default_factory=list)
    repeating: list[str] = field(default_factory=list)
    corroborating_origins: set[str] = field(default_factory=set)
    contradicting_origins: set[str] = field(default_factory=set)
    non_party_corroborating: set[str] = field(default_factory=set)
    non_party_contradicting: set[str] = field(default_factory=set)
    story: str = ""
    # (k, m, non-party k, non-party m) when only the counts are at hand
    counts: tuple[int, int, int, int] | None = None

    @classmethod
    def counted(cls, k: int, m: int, kp: int = 0, mp: int = 0) -> ClaimRelations:
        """Relations known only by their counts (enough to grade the claim)."""
        return cls(counts=(k, m, kp, mp))

    @property
    def k(self) -> int:
        return self.counts[0] if self.counts else len(self.corroborating_origins)

    @property
    def m(self) -> int:
        return self.counts[1] if self.counts else len(self.contradicting_origins)

    @property
    def k_non_party(self) -> int:
        return self.counts[2] if self.counts else len(self.non_party_corroborating)

    @property
    def m_non_party(self) -> int:
        return self.counts[3] if self.counts else len(self.non_party_contradicting)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _iri(row: ClaimRow) -> str:
    return row.iri


def relations_of(
    c: ClaimRow,
    neighbours: list[ClaimRow],
    params: ModelParameters,
    duplicates: dict[tuple[str, str], bool] | None = None,
) -> ClaimRelations:
    """Corroborating, contradicting and repeating claims among ``c``'s neighbours (the
    claims on its matter), with the independent origins of each side: origins of
    near-identical wordings within the neighbourhood count as one. ``duplicates``
    memoises the pairwise test across calls (neighbourhoods overlap)."""
    members = sorted(neighbours, key=_iri)
    origins = _UnionFind()
    group = [c, *members]
    memo = duplicates if duplicates is not None else {}
    near = params.duplicate
    merged = False  # any two origins merged (else each origin is its own root)
    for i, x in enumerate(group):
        x_terms, x_iri, x_origin, x_negated = x.terms, x.iri, x.origin, x.negated
        nx = len(x_terms)
        for y in group[i + 1 :]:
            # cheap necessary conditions first: a reprint has the same polarity, another
            # origin to merge, and nearly as many terms (Jaccard <= smaller / larger)
            y_terms = y.terms
            ny = len(y_terms)
            if (
                x_negated != y.negated
                or x_origin == y.origin
                or (nx < near * ny if nx <= ny else ny < near * nx)
            ):
                continue
            y_iri = y.iri
            key = (x_iri, y_iri) if x_iri < y_iri else (y_iri, x_iri)
            same = memo.get(key)
            if same is None:
                # _duplicates, inlined (the polarities are the same): |a | b| = |a| + |b| - s
                s = len(x_terms & y_terms)
                same = memo[key] = (
                    not (x.text == y.text and x.document == y.document)
                    and s >= 2
                    and s / (nx + ny - s) >= near
                )
            if same:
                origins.union(x_origin, y.origin)
                merged = True
    own = origins.find(c.origin) if merged else c.origin
    rel = ClaimRelations()
    stories = [c.text]
    for x in members:
        root = origins.find(x.origin) if merged else x.origin
        if x.negated != c.negated:
            rel.contradicting.append(x.iri)
            if root != own:
                rel.contradicting_origins.add(root)
                if not x.own:
                    rel.non_party_contradicting.add(root)
        elif root == own:
            rel.repeating.append(x.iri)
            stories.append(x.text)
        else:
            rel.corroborating.append(x.iri)
            rel.corroborating_origins.add(root)
            if not x.own:
                rel.non_party_corroborating.add(root)
    rel.story = min(stories)
    return rel


def track_record(rel: ClaimRelations) -> str | None:
    """What a claim does to the reliability of who said or relayed it: only origins that
    are not a party's own account count (see ClaimRelations)."""
    k, m = rel.k_non_party, rel.m_non_party
    if m > k:
        return "contradicted"
    if k >= 1 and m == 0:
        return "corroborated"
    return None


def track_counts(entries: Iterable[tuple[str | None, str, bool]]) -> tuple[int, ...]:
    """A source's track record from its claims' (record, story, own account of it):
    (corroborated claims, contradicted claims, corroborated reports, contradicted
    reports, corroborated own accounts set aside). A report (``story``) counts once
    however many of its claims, or reprints of it, were corroborated; the source's own
    account of its operations counts against it when contradicted, never for it."""
    corroborated = contradicted = own_accounts = 0
    for_stories: set[str] = set()
    against_stories: set[str] = set()
    for record, story, own in entries:
        if record == "corroborated":
            if own:
                own_accounts += 1
            else:
                corroborated += 1
                for_stories.add(story)
        elif record == "contradicted":
            contradicted += 1
            against_stories.add(story)
    return corroborated, contradicted, len(for_stories), len(against_stories), own_accounts


def counts_for(record: str | None, own: bool) -> bool:
    """Whether a claim with this record is evidence about a source (linked from its
    rating), the source's own account of its operations not being evidence for it."""
    return record == "contradicted" or (record == "corroborated" and not own)


class MemoryClaimIndex:
    """The claim index in memory, for ratings computed on demand over a set of claims."""

    def __init__(self, rows: Iterable[ClaimRow]) -> None:
        self.rows = {r.iri: r for r in rows}
        self.postings: dict[str, list[str]] = defaultdict(list)
        for r in self.rows.values():
            for t in r.terms:
                self.postings[t].append(r.iri)

    def df(self, term: str) -> int:
        return len(self.postings.get(term, ()))

    def neighbours(self, row: ClaimRow, params: ModelParameters) -> list[ClaimRow]:
        candidates: set[str] = set()
        for t in row.terms:
            postings = self.postings.get(t, ())
            if len(postings) <= params.max_postings:
                candidates.update(postings)
        found = (self.rows[i] for i in sorted(candidates))
        return [x for x in found if related(row, x, self.df, params)]


# --------------------------------------------------------------------------- ratings
def _dec(x: float) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)


@dataclass
class SourceCounts:
    """The evidence about one source, counted."""

    positive: int = 0
    negative: int = 0
    mixed: int = 0
    corroborated: int = 0  # claims (its own account of its operations left out)
    contradicted: int = 0
    corroborated_reports: int = 0  # what r and s count: reports, not claims
    contradicted_reports: int = 0
    own_accounts: int = 0  # corroborated claims that are its own account: not counted

    @property
    def judgements(self) -> int:
        return self.positive + self.negative + self.mixed

    def values(self) -> tuple[int, ...]:
        """Every count, in field order (``dataclasses.astuple`` without its deep copies:
        48 microseconds a source in a bulk derivation)."""
        return (
            self.positive,
            self.negative,
            self.mixed,
            self.corroborated,
            self.contradicted,
            self.corroborated_reports,
            self.contradicted_reports,
            self.own_accounts,
        )

    def set_track(self, counted: tuple[int, ...]) -> None:
        """Its track record, as kb.reliability.track_counts gives it."""
        (
            self.corroborated,
            self.contradicted,
            self.corroborated_reports,
            self.contradicted_reports,
            self.own_accounts,
        ) = counted


GRADE_LABELS = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
}


def not_enough(pieces: int) -> str:
    """How grade F is shown: never as a bad grade."""
    return f"not enough evidence ({pieces} piece{'' if pieces == 1 else 's'})"


def grade_text(grade: str, pieces: int) -> str:
    """'C: fairly reliable', or for F 'not enough evidence (1 piece)'."""
    return not_enough(pieces) if grade == "F" else f"{grade}: {GRADE_LABELS.get(grade, '')}"


@dataclass
class SourceRating:
    source: str
    counts: SourceCounts
    params: ModelParameters
    judgements: list[JudgementEvidence] = field(default_factory=list)
    supporting_claims: list[str] = field(default_factory=list)
    undermining_claims: list[str] = field(default_factory=list)
    priors: list[PriorEvidence] = field(default_factory=list)  # analysts' assessments

    @property
    def weighted_priors(self) -> list[tuple[PriorEvidence, Decimal]]:
        """The prior assessments that carry weight, with their trust values."""
        out = []
        for p in self.priors:
            trust = self.params.trust_of(p)
            if trust is not None and p.weight > 0:
                out.append((p, trust))
        return out

    @property
    def prior_r(self) -> Decimal:
        return sum((p.weight * t for p, t in self.weighted_priors), Decimal(0))

    @property
    def prior_s(self) -> Decimal:
        return sum((p.weight * (1 - t) for p, t in self.weighted_priors), Decimal(0))

    @property
    def pieces(self) -> int:
        """Pieces of evidence that carry weight: judgements, reports, assessments."""
        c = self.counts
        return (
            c.judgements
            + c.corroborated_reports
            + c.contradicted_reports
            + len(self.weighted_priors)
        )

    @property
    def r(self) -> float:
        c = self.counts
        return c.positive + 0.5 * c.mixed + c.corroborated_reports + float(self.prior_r)

    @property
    def s(self) -> float:
        c = self.counts
        return c.negative + 0.5 * c.mixed + c.contradicted_reports + float(self.prior_s)

    @property
    def label(self) -> str:
        return grade_text(self.grade, self.pieces)

    @property
    def total(self) -> float:
        return self.r + self.s

    @property
    def belief(self) -> float:
        return self.r / (self.total + self.params.prior_weight)

    @property
    def disbelief(self) -> float:
        return self.s / (self.total + self.params.prior_weight)

    @property
    def uncertainty(self) -> float:
        return self.params.prior_weight / (self.total + self.params.prior_weight)

    @property
    def expected(self) -> float:
        return self.belief + self.params.base_rate * self.uncertainty

    @property
    def grade(self) -> str:
        if self.total < self.params.minimum_evidence:
            return "F"
        for letter, threshold in self.params.thresholds:
            if self.expected >= threshold and (
                letter != "A" or self.total >= self.params.a_needs_evidence
            ):
                return letter
        return "E"

    @property
    def profile(self) -> str:
        if self.total == 0:
            return "none"
        if min(self.r, self.s) >= 0.25 * self.total:
            return "mixed"
        return "positive" if self.r > self.s else "negative"

    def explanation(self, name: str | None = None) -> str:
        """Why the grade, in words (with the source's name first when given)."""
        c = self.counts
        parts = []
        if self.priors:
            shown = "; ".join(
                p.describe() + ("" if self.params.trust_of(p) is not None else ": no weight")
                for p in self.priors
            )
            parts.append(
                f"{len(self.priors)} prior assessment(s): {shown}; they add "
                f"{float(self.prior_r):g} to r and {float(self.prior_s):g} to s"
            )
        parts += [
            f"{c.positive} positive, {c.negative} negative and {c.mixed} mixed reader judgement(s)",
            f"{c.corroborated_reports} corroborated report(s) ({c.corroborated} claim(s)) and "
            f"{c.contradicted_reports} contradicted ({c.contradicted} claim(s))",
        ]
        if c.own_accounts:
            parts.append(
                f"{c.own_accounts} corroborated claim(s) of its own account of its operations, "
                "not counted"
            )
        opinion = (
            f"r = {self.r:g}, s = {self.s:g}; b = {self.belief:.3f}, d = {self.disbelief:.3f}, "
            f"u = {self.uncertainty:.3f}, E = {self.expected:.3f}"
        )
        if self.grade == "F":
            verdict = (
                f"r + s = {self.total:g} is less than the {self.params.minimum_evidence:g} "
                "needed to judge a source, so it cannot be judged yet (Admiralty F)"
            )
            text = f"{self.label.capitalize()}. " + "; ".join(parts) + f"; {opinion}; {verdict}."
        else:
            verdict = f"grade {self.label} ({self.profile} evidence)"
            text = "; ".join(parts) + f"; {opinion}; {verdict}."
        return f"{name}: {text}" if name else text


class GradedClaim(Protocol):
    """What grading a claim reads of it (a ClaimEvidence, or the claim index's facts)."""

    @property
    def iri(self) -> str: ...
    @property
    def modality(self) -> str: ...
    @property
    def unsourced(self) -> bool: ...
    @property
    def weak_chain(self) -> bool: ...
    @property
    def own_account(self) -> tuple[str, ...]: ...


@dataclass
class ClaimRating:
    claim: GradedClaim
    relations: ClaimRelations
    chain_grades: list[str]  # the grades of its relay and speaker

    @property
    def corroborations(self) -> int:
        return self.relations.k

    @property
    def contradictions(self) -> int:
        return self.relations.m

    @property
    def chain_grade(self) -> str | None:
        """The weakest graded link of the chain (F links do not count)."""
        graded = [g for g in self.chain_grades if g != "F"]
        return max(graded) if graded else None

    @property
    def grade_and_reason(self) -> tuple[int, str]:
        k, m, c = self.corroborations, self.contradictions, self.claim
        kp = self.relations.k_non_party
        chain = self.chain_grade
        if m:
            if m > k:
                return 5, f"contradicted by {m} independent origin(s), corroborated by {k}"
            return 4, f"contradicted by {m} independent origin(s), though corroborated by {k}"
        if k and not kp:
            return 3, (
                f"corroborated by {k} origin(s), but only by a party's own account of its "
                "operations"
            )
        parties = f" ({k - kp} of them a party's own account)" if kp < k else ""
        if kp >= 2:
            return 1, f"confirmed by {k} independent origins{parties}"
        if k >= 1:
            if c.weak_chain:
                return 3, (
                    f"corroborated by {k} independent origin(s){parties}, but it rests on "
                    "unnamed sources or a party's own account"
                )
            return 2, f"corroborated by {k} independent origin(s){parties}"
        if c.unsourced:
            return 6, "no speaker or source is given and nothing corroborates it"
        if c.weak_chain:
            return 4, "rests on a single unnamed or self-interested source"
        if c.modality == "doubted":
            return 4, "reported with doubt and not corroborated"
        if chain in ("A", "B"):
            return 2, f"single source, graded {chain}"
        if chain in ("D", "E"):
            return 4, f"single source, graded {chain}"
        return 3, f"single source{', graded ' + chain if chain else ' of unknown reliability'}"

    @property
    def grade(self) -> int:
        return self.grade_and_reason[0]

    @property
    def depends_on_chain(self) -> bool:
        """Whether a change of its sources' grades can change its own."""
        c = self.claim
        return (
            self.contradictions == 0
            and self.corroborations == 0
            and not c.unsourced
            and not c.weak_chain
            and c.modality != "doubted"
        )


@dataclass
class Ratings:
    sources: dict[str, SourceRating]
    claims: dict[str, ClaimRating]
    params: ModelParameters
    names: dict[str, str]


def source_names(kb: KnowledgeBase, iris: Iterable[str] | None = None) -> dict[str, str]:
    """Preferred labels of agents (all of them, or the given IRIs)."""
    names: dict[str, str] = {}
    if iris is not None:
        pref = ox.NamedNode(PREFIXES["skos"] + "prefLabel")
        for iri in iris:
            labels = sorted(
                q.object.value for q in kb.pattern(iri, pref) if isinstance(q.object, ox.Literal)
            )
            if labels:
                names[iri] = labels[0]
        return names
    for r in kb.query(
        sparql_prefixes()
        + "SELECT ?s ?l WHERE { GRAPH ?g { ?s skos:prefLabel ?l } } ORDER BY ?s ?l"
    ):
        names.setdefault(r["s"].value, r["l"].value)
    return names


def compute_ratings(
    kb: KnowledgeBase, params: ModelParameters | None = None, scope: Scope | None = None
) -> Ratings:
    """Rate every judged or relaying source and every claim in the store, in memory.

    This reads the whole store: it is for answering a question (``srkb rating``, with a
    ``scope`` keeping part of the evidence) and for checking the stored ratings, which
    kb.derived keeps up to date incrementally with the same model.
    """
    from .content import TEXT_GRAPH_INFIX
    from .prior_graphs import all_priors
    from .text_records import read_text_graph

    params = params or ModelParameters()
    judgements, claims = [], []
    for graph in sorted(g for g in kb.named_graphs() if TEXT_GRAPH_INFIX in g):
        records = read_text_graph(kb, graph)  # what the derived steps read: same evidence
        judgements += records.judgements
        claims += records.claims
    judgements.sort(key=lambda j: j.iri)
    claims.sort(key=lambda c: c.iri)
    priors = all_priors(kb)
    if scope is not None:
        priors = [p for p in priors if scope._date_ok(p.date)]
        if scope.as_of:  # later claims neither corroborate nor contradict yet
            claims = [c for c in claims if scope._date_ok(c.date)]
        near = entities_near_judgements(kb) if scope.about else {}
        judgements = [j for j in judgements if scope.keeps_judgement(j, near.get(j.iri, set()))]
    rows = {c.iri: claim_row(c) for c in claims}
    index = MemoryClaimIndex(rows.values())
    relations = {
        c.iri: relations_of(rows[c.iri], index.neighbours(rows[c.iri], params), params)
        for c in claims
    }
    counted = claims if scope is None else [c for c in claims if scope.keeps_claim(c)]

    counts: dict[str, SourceCounts] = defaultdict(SourceCounts)
    used_j: dict[str, list[JudgementEvidence]] = defaultdict(list)
    supporting: dict[str, list[str]] = defaultdict(list)
    undermining: dict[str, list[str]] = defaultdict(list)
    for j in judgements:
        used_j[j.source].append(j)
        setattr(counts[j.source], j.polarity, getattr(counts[j.source], j.polarity) + 1)
    rated = set(used_j)
    track: dict[str, list[tuple[str | None, str, bool]]] = defaultdict(list)
    for c in counted:
        rel = relations[c.iri]
        record = track_record(rel)
        for agent in c.agents:
            rated.add(agent)
            own = agent in c.own_account
            track[agent].append((record, rel.story, own))
            if counts_for(record, own):
                (supporting if record == "corroborated" else undermining)[agent].append(c.iri)
    for agent, entries in track.items():
        counts[agent].set_track(track_counts(entries))
    assessed: dict[str, list[PriorEvidence]] = defaultdict(list)
    for p in sorted(priors, key=lambda p: p.iri):
        assessed[p.source].append(p)
        rated.add(p.source)
    sources = {
        s: SourceRating(s, counts[s], params, used_j[s], supporting[s], undermining[s], assessed[s])
        for s in sorted(rated)
    }
    claim_ratings = {
        c.iri: ClaimRating(
            c, relations[c.iri], [sources[a].grade for a in (c.via, c.speaker) if a in sources]
        )
        for c in claims
    }
    return Ratings(sources, claim_ratings, params, source_names(kb, sources))


def ratings_graph_iri(base_iri: str) -> str:
    return str(IriMinter(base_iri)("graph/ratings"))


def grade_counts(ratings: Ratings) -> dict[str, int]:
    """How many sources got each letter (for summaries)."""
    counts: dict[str, int] = defaultdict(int)
    for sr in ratings.sources.values():
        counts[sr.grade] += 1
    return dict(sorted(counts.items()))
