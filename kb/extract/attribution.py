"""Stage 3: attributed claims, i.e. reported statements with an explicit reporting frame.

Frames, tried in this order in each clause: a reporting verb with a subject ("X told
Reuters that ...", "“...,” X said", "..., the group said on Monday", "he added"),
"according to X", "as stated in a comment above", and the passive "were reported". A
sentence with two frames ("Ukraine says ...; Moscow claims ...", "RSF claims ... as Houthis
say ...") is read as two clauses.

The speaker is who made the statement, ``via`` the channel that carried it ("X told
Reuters": speaker X, via Reuters). The channel may stand after the verb ("said on X",
"in a speech broadcast by the group's Al-Masirah TV"), after its object ("claimed the
attack in a statement on its Telegram channel", ", telling Suspilne"), before the subject
("In a statement read on state broadcaster ORTM, ..."), or in "according to X" after a
verb frame ("JNIM claimed ..., according to SITE": speaker JNIM, via SITE). An outlet
"citing"/"quoting" someone relays that someone. An official body issuing its own
statement follows the gold CONVENTIONS: via = the body, speaker null; when it posts on a
platform the body is the speaker and the platform the channel. Any other organisation
(armed group, state, party) is put in both slots, since annotators use either. People of a
body ("UN experts said") speak as written, the body as their channel.

A denial is a claim of its own with modality "doubted" and ``contradicts`` pointing at
the content it denies: ", a claim the SDF denied" in the same sentence, or "X denied the
claim/account" after an earlier claim. Unnamed agents ("Syrian sources") become
document-local entities named as written. Negated frames, questions, the commenter's own
"I think", habits ("he claims a hit every week"), free relatives ("repeats whatever X
says"), acts without content ("posted the same video") and nouns ("EUMA reports are dry")
are not claims.

Where each part lives: claim_reader.py (rules, agents, content, the Claim record),
speakers.py (who spoke), channels.py (through what), frames.py (the frames themselves);
this module splits sentences into clauses and tries the frames in order.
"""

from __future__ import annotations

import bisect
import re

from .doc import Doc, Sentence
from .frames import CIRCULATED, CIRCULATED_KEYS, Frames
from .lexicon import (
    literal_scan,
    matches_at,
)
from .references import SourceContext
from .starts import ACCORDING, VERBS

# A frame of that kind cannot match unless one of these is in the lower-cased text.
_ACCORDING_KEYS = ("according to", "reported by", "citing", "cited by", "quoting", "words of")


_PASSIVE_KEYS = (
    "reported",
    "claimed",
    "alleged",
    "rumo",
    "said to",
    "is said",
    "was said",
    "believed",
)


_CLAUSE_SPLIT = re.compile(
    r";\s+|\s(?:as|while|whereas)\s(?=(?:[\w'-]+\s+){0,7}?[A-Z][\w'-]*\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:says?|said|claims?|claimed|reports?|reported|accuses|accused|denies|denied|warns?|warned|"
    r"posted|wrote|tweeted|announced|told|insisted|urged|called|demanded)\b)"
)


class _Reader(Frames):
    """Reads the claims of one document, clause by clause."""

    def _bucket(
        self,
        rx: re.Pattern[str],
        units: list[Sentence],
        low: str = "",
        keys: tuple[str, ...] = (),
        starts: list[int] | None = None,
    ) -> dict[int, list[re.Match[str]]]:
        """Matches of ``rx`` grouped by unit; skipped when none of ``keys`` is in ``low``.

        ``starts``: the offsets where a match may begin, when the shared scan knows them;
        else the literal starts of ``rx`` are found with ``str.find`` if it has a few."""
        if keys and not any(k in low for k in keys):
            return {}
        sents, unit_starts = units, [u.start for u in units]
        out: dict[int, list[re.Match[str]]] = {}
        found = (
            literal_scan(rx).finditer(self.text)
            if starts is None
            else matches_at(rx, self.text, starts)
        )
        for m in found:
            k = bisect.bisect_right(unit_starts, m.start()) - 1
            if k >= 0 and m.end() <= sents[k].end:
                out.setdefault(k, []).append(m)
        return out

    def units(self) -> list[Sentence]:
        """Sentences, with two frames of one sentence split into clauses: at a semicolon
        ("Ukraine says ...; Moscow claims ...") and at "as"/"while" before a new subject
        with its own reporting verb ("RSF claims ... as Houthis say ...")."""
        t, out = self.text, []
        low = self.doc.low
        for sent in self.doc.sentences:
            chunk = low[sent.start : sent.end]
            if ";" not in chunk and " as " not in chunk and " while" not in chunk:
                out.append(sent)
                continue
            cuts = [(m.start(), m.end()) for m in _CLAUSE_SPLIT.finditer(t, sent.start, sent.end)]
            a = sent.start
            for cut_s, cut_e in [*cuts, (sent.end, sent.end)]:
                b = cut_s
                while b > a and t[b - 1] in " ;":
                    b -= 1
                if b > a:
                    out.append(Sentence(a, b, sent.segment))
                a = cut_e
                while a < sent.end and t[a] == " ":
                    a += 1
        return out

    def read(self) -> None:
        doc, r = self.doc, self.r
        self.starts = [s.start for s in doc.sentences]
        units = self.units()
        low = doc.low
        frames = [
            (self.verb_frame, self._bucket(r.verb, units, starts=doc.word_starts(VERBS))),
            (
                self.according_frame,
                self._bucket(r.according, units, low, _ACCORDING_KEYS, doc.word_starts(ACCORDING)),
            ),
            (self.comment_ref_frame, self._bucket(r.comment_ref, units)),
            (self.circulated_frame, self._bucket(CIRCULATED, units, low, CIRCULATED_KEYS)),
            (self.passive_frame, self._bucket(r.passive, units, low, _PASSIVE_KEYS)),
        ]
        candidates = sorted({k for _, b in frames for k in b})
        for k in candidates:
            unit = units[k]
            if r.question.search(doc.norm, unit.start, unit.end):
                continue
            for frame, bucket in frames:
                if k not in bucket:
                    continue
                found = frame(unit, bucket[k])
                claims = found if isinstance(found, list) else [found] if found else []
                if claims:
                    doc.claims.extend(claims)
                    break


def attribute(doc: Doc, ctx: SourceContext | None = None) -> Doc:
    """Fill ``doc.claims``."""
    _Reader(doc, ctx or doc.context or SourceContext(doc)).read()
    return doc
