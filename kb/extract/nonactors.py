"""What looks like an actor but is not: datelines, bylines, places, adjectives, addressees.

Run before the gazetteer (masks) and after the text rules (addressees):

- a dateline opens a story with its place in capitals ("AMMAN:", "YEREVAN, STEPANAKERT
  (Combined Sources)—", "DAMASCUS, Syria (AP) -"): a place, never an actor;
- a byline names the author ("By Jane Doe –"), not a party to the conflict;
- "UK-based", "Iran-made": a state's name as part of an adjective;
- a state after a direction word ("northeast Syria", "south Lebanon") is a place;
- a comment that opens by addressing someone ("Fred, it's nonsense ...") names a reader,
  not an actor (the gold conventions leave forum users out).
"""

from __future__ import annotations

import re

from .doc import Doc

_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'\u2019.-]{2,}(?:[ ][A-Z][A-Z'\u2019.-]+)*"
    r"(?:,[ ]*[A-Z][A-Za-z'\u2019.-]+(?:[ ][A-Z][A-Za-z'\u2019.-]+)*)*)"
    r"[ ]*(?:\([^()\n]{1,40}\)[ ]*)?(?:[:\u2014\u2013]|--?[ ])",
    re.MULTILINE,
)
_BYLINE = re.compile(
    r"^By[ ]+(?P<name>[A-Z][\w'\u2019.-]+(?:[ ][A-Z][\w'\u2019.-]+){0,3})"
    r"[ ]*(?:[\u2013\u2014|,-]|$)",
    re.MULTILINE,
)
_ADJECTIVE_AFTER = re.compile(
    r"-(?:based|born|made|registered|flagged|listed|headquartered|funded|trained)(?![\w-])"
)
# nouns a state's name only qualifies ("the Ukraine war", "our Gaza coverage")
_TOPIC_AFTER = re.compile(
    r"[ ]+(?:war|wars|conflict|crisis|blog|coverage|policy|ceasefire|truce|talks|peace talks|deal|"
    r"front|frontline|offensive|invasion|campaign|updates|news|story|file|situation|theatre|"
    r"theater|question|issue|dossier|portfolio|desk|correspondent|bureau)(?![\w-])"
)
# what a nationality + "military"/"army" only qualifies: "a Ukrainian military plane"
EQUIPMENT_AFTER = re.compile(
    r"[ ]+(?:planes?|jets?|aircraft|helicopters?|vehicles?|bases?|convoys?|hardware|equipment|"
    r"uniforms?|drones?|trucks?|ships?|boats?|satellites?|installations?|facilit(?:y|ies)|"
    r"camps?|airfields?|airports?|positions?|posts?|checkpoints?|targets?|sites?)(?![\w-])"
)
_DIRECTION_BEFORE = re.compile(
    r"(?<![\w-])(?:north|south|east|west|northern|southern|eastern|western|central|"
    r"north-?east(?:ern)?|north-?west(?:ern)?|south-?east(?:ern)?|south-?west(?:ern)?|"
    r"upper|lower|rural)[ ]+$"
)
_CAPITAL_AFTER = re.compile(r"[ ]+[A-Z]")
_ADDRESS_AFTER = re.compile(r"[ ]*,[ ]*(?!(?:an?|the|one of|its|his|her|their)[ ])")


def mask_non_actors(doc: Doc) -> None:
    """Mask datelines and bylines so that no name matcher reads them (before the gazetteer)."""
    norm = doc.norm
    for m in _DATELINE.finditer(norm):
        doc.mask(m.start("place"), m.end("place"))
    if "By " in norm:
        for m in _BYLINE.finditer(norm):
            doc.mask(m.start("name"), m.end("name"))


def adjective_or_place(low: str, norm: str, start: int, end: int) -> bool:
    """True when a state's name at [start, end) is part of an adjective ("UK-based") or a
    place after a direction word ("northeast Syria")."""
    if _ADJECTIVE_AFTER.match(norm, end) or _TOPIC_AFTER.match(low, end):
        return True  # "UK-based", "the Ukraine war", "our Syria blog"
    if _CAPITAL_AFTER.match(norm, end):
        return False  # "South Lebanon Monitor": a longer name, read by the text rules
    return _DIRECTION_BEFORE.search(low, max(0, start - 20), start) is not None


def drop_addressees(doc: Doc) -> None:
    """A person named at the very start of a comment, then a comma and no apposition
    ("Fred Stopsky, it's nonsense"), is the reader addressed: not an actor."""
    for seg in doc.segments[1:]:
        m = doc.mention_starting_at(seg.span.start)
        if m is None or not doc.entities[m.entity].is_person:
            continue
        if not _ADDRESS_AFTER.match(doc.norm, m.span.end):
            continue
        doc.remove_mention(m)
        if not doc.has_mentions(m.entity):
            del doc.entities[m.entity]
