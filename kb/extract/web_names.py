"""Sources named by web addresses and handles: "syria.liveuamap.com", "t.me/rybar", "@Kyiv_news".

Run first, so the letters of an address never match a name: each address is masked, its
host is the gazetteer's source when a registered domain matches, else a Website named by
the registered domain; a platform address also names its channel or account. A handle or
tag that squeezes to a gazetteer label ("#Reuters") is that source.
"""

from __future__ import annotations

import re

from .doc import Doc
from .gazetteer_index import load_matcher
from .lexicon import (
    find_all,
    matches_at,
)
from .name_rules import _rules


def _registered_domain(host: str) -> str:
    parts = [p for p in host.lower().split(".") if p]
    if parts and parts[0] == "www":
        parts = parts[1:]
    if len(parts) >= 3 and parts[-2] in {"co", "com", "org", "net", "gov", "ac", "edu", "mil"}:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def _match_domains(doc: Doc) -> None:
    rules, gaz = _rules(), load_matcher()
    found: list[tuple[int, int, int, int]] = []  # url span, host span
    low = doc.low
    # a web address begins with "http" or "www." in any case: found in the lower-cased
    # twin with str.find, the (case-blind) pattern is tried only there
    urls = matches_at(rules.url, doc.norm, find_all(low, ("http", "www.")))
    for m in urls:
        s, e = m.start(), m.end()
        while e > s and doc.norm[e - 1] in ".,;:!?)]'\u2026\u2019":
            e -= 1
        hm = re.match(r"(?:https?://)?(?:www\.)?([^/\s:?#]+)", doc.norm[s:e], re.IGNORECASE)
        if hm:
            found.append((s, e, s + hm.start(1), s + hm.end(1)))
    seen: set[int] = set()
    for c in rules.candidates.finditer(doc.norm):
        lo = max(0, c.start() - 300)  # a token is short: never scan back through the text
        ts = (
            max(lo - 1, doc.norm.rfind(" ", lo, c.start()), doc.norm.rfind("\n", lo, c.start())) + 1
        )
        if ts in seen:
            continue
        seen.add(ts)
        te = len(doc.norm)
        for sep in (" ", "\n"):
            k = doc.norm.find(sep, c.end())
            if k >= 0:
                te = min(te, k)
        dm = rules.bare_domain.search(doc.norm, ts, te)
        if not dm:
            continue
        s, e = dm.start(), dm.end()
        if any(a <= s < b for a, b, _, _ in found):
            continue
        while e > s and doc.norm[e - 1] in ".,;:!?)]'\u2026":
            e -= 1
        hs, he = dm.start(1), dm.end(1)
        if doc.norm.startswith("www.", hs):
            hs += 4
        found.append((s, e, hs, he))
    for s, e, hs, he in sorted(found):
        doc.mask(s, e)
        host = doc.norm[hs:he].rstrip(".")
        he = hs + len(host)
        if "." not in host:
            continue
        key = gaz.domain_key(host)
        if key:
            entry = gaz.entries[key]
            doc.add_entity(key, entry.name, set(entry.types), in_gazetteer=True)
        else:
            name = _registered_domain(host)
            key = doc.new_key(name)
            doc.add_entity(key, name, {"Website"}, evidence=_DOMAIN_EVIDENCE)
        doc.add_mention(key, hs, he)
        if _registered_domain(host) in _PLATFORMS:
            _match_channel_handle(doc, he, e)


# Platforms whose web addresses name a channel or account right after the host:
# "t.me/military_informant", "x.com/KyivIndependent", "youtube.com/@rybar".
_PLATFORMS = frozenset(
    {
        "t.me",
        "telegram.me",
        "x.com",
        "twitter.com",
        "youtube.com",
        "facebook.com",
        "instagram.com",
        "tiktok.com",
    }
)


_HANDLE_PATH = re.compile(r"/(?:s/)?@?([A-Za-z0-9_.]{3,40})(?=[/?#]|$)")


_NOT_HANDLES = frozenset({"watch", "channel", "status", "share", "hashtag", "search", "home", "c"})


_HANDLE_EVIDENCE = "a channel or account named in a web address"


def _match_channel_handle(doc: Doc, start: int, end: int) -> None:
    """The account in a platform address: a source of its own (the gazetteer's when its
    squeezed name is known there, else one named by the handle)."""
    m = _HANDLE_PATH.match(doc.norm, start, end)
    if not m or m.group(1).lower() in _NOT_HANDLES:
        return
    handle = m.group(1)
    gaz = load_matcher()
    key = gaz.compact.get(re.sub(r"[\W_]+", "", handle.lower()))
    if key:
        entry = gaz.entries[key]
        doc.add_entity(key, entry.name, set(entry.types), in_gazetteer=True)
    else:
        key = doc.new_key(handle)
        doc.add_entity(key, handle, {"Website"}, evidence=_HANDLE_EVIDENCE)
    doc.add_mention(key, m.start(1), m.end(1))


_DOMAIN_EVIDENCE = "an internet domain in the text"


_HANDLE = re.compile(r"(?<![\w@#])[@#](\w{3,40})")


def _match_handles(doc: Doc) -> None:
    """@KyivIndependent, #Reuters: a handle or tag that squeezes to a gazetteer label."""
    if "@" not in doc.norm and "#" not in doc.norm:
        return
    gaz = load_matcher()
    for m in _HANDLE.finditer(doc.norm):
        key = gaz.compact.get(m.group(1).lower().replace("_", ""))
        if key and not doc.is_masked(m.start(), m.end()):
            entry = gaz.entries[key]
            doc.add_entity(key, entry.name, set(entry.types), in_gazetteer=True)
            doc.add_mention(key, m.start(1), m.end(1))
