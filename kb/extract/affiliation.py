"""Whose outlet a person speaks for: "BBC reporter X", "X, the head of PR for Reuters".

A journalist's or press officer's words reach readers through their outlet, so the gold
conventions give such a person's statements the outlet as channel ("The BBC reporter in
Tripoli X reported ...": speaker X, via BBC) even when the frame names none. Only media
employers count: "Houthi spokesman X said" has no channel.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .doc import Doc
from .lexicon import load_lexicon, trie_regex

_ROLE_EXTRA = (
    "head of public relations",
    "head of communications",
    "head of press",
    "press officer",
    "press secretary",
    "editor",
    "editor-in-chief",
    "managing editor",
    "bureau chief",
    "chief",
    "director",
    "head",
)


@lru_cache(maxsize=1)
def _roles() -> tuple[re.Pattern[str], re.Pattern[str]]:
    titles = {t.lower() for t in load_lexicon().titles} | set(_ROLE_EXTRA)
    role = trie_regex(titles)
    # between an outlet and the name after it: "BBC reporter in Tripoli ", "Reuters' chief "
    before = re.compile(
        rf"(?:'s?)?[ ]+(?:[\w-]+[ ]+){{0,2}}?(?:{role})(?:[ ]+in[ ]+[\w' -]{{1,30}}?)?[ ]*,?[ ]*",
        re.IGNORECASE,
    )
    # after the name, up to the outlet: ", the head of public relations for "
    after = re.compile(
        rf"[ ]*,[ ]*(?:the|a|an|its|their)[ ]+(?:[\w-]+[ ]+){{0,3}}?(?:{role})"
        r"(?:[ ]+[\w-]+){0,3}?[ ]+(?:of|for|at|with)[ ]+(?:the[ ]+)?",
        re.IGNORECASE,
    )
    return before, after


def media_affiliations(doc: Doc) -> dict[str, str]:
    """Person key -> the key of the outlet the text says they work for."""
    before, after = _roles()
    out: dict[str, str] = {}
    mentions = sorted(doc.mentions, key=lambda m: m.span.start)
    for m in mentions:
        ent = doc.entities[m.entity]
        if not ent.is_person or m.entity in out:
            continue
        s, e = m.span.start, m.span.end
        media = doc.last_mention_before(s, max(0, s - 60))
        while media is not None and not doc.entities[media.entity].is_media:
            media = doc.last_mention_before(media.span.start, max(0, s - 60))
        if media is not None and before.fullmatch(doc.norm, media.span.end, s):
            out[m.entity] = media.entity
            continue
        am = after.match(doc.norm, e, min(len(doc.norm), e + 80))
        if am is not None:
            media = doc.mention_starting_at(am.end())
            if media is not None and doc.entities[media.entity].is_media:
                out[m.entity] = media.entity
    return out
