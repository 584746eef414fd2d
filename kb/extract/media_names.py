"""Outlets the gazetteer does not know, named by how the text presents them.

- a quoted title after a media noun: 'the program “With Imran”', 'news program “Vesti”';
- a name before a media noun: "its Al-Zallaqa propaganda platform", "the Zdg website";
- a name in apposition to one of many outlets: "NRT, one of the most prominent channels";
- a credit tag closing a paragraph, "(AFP / Kyiv Post)", or a "Source: X" line;
- a blog's name: "Ari Rusila's Balkanblog", "over at Tolkien Blog".
"""

from __future__ import annotations

import re

from .doc import Doc
from .lexicon import UPPER, load_lexicon, trie_regex

_WEBSITE_NOUNS = frozenset({"website", "site", "platform", "page", "account", "blog", "forum"})
_QUOTED_AFTER_NOUN = re.compile(
    r"(?<![\w-])(?P<noun>program|programme|show|channel|newspaper|website|site|outlet|agency|"
    r"platform|broadcaster|magazine|blog|page|account|podcast|bulletin)[ ]+"
    r"[\u201c\"\u2018'](?P<name>[A-Z][^\u201d\"\u2019'\n]{1,48}?)[\u201d\"\u2019']",
    re.IGNORECASE,
)
# Strings one of which every match of a pattern holds: a text without them is not scanned
# (each scan costs some 30 ns a character; most texts name no outlet so).
_QUOTE_AFTER_SPACE = (" \u201c", ' "', " \u2018", " '")  # (no case variants: IGNORECASE)
_NAME = rf"{UPPER}[\w'-]*(?:[ ](?:{UPPER}[\w'-]*|al-[\w'-]+)){{0,3}}"
_NAME_BEFORE_NOUN = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME})[ ]+(?:propaganda[ ]+)?(?P<noun>platform|website|news agency|"
    r"newspaper|magazine|blog|broadcaster|TV channel|television channel|radio station|news site|"
    r"news outlet|news website|Telegram channel)(?![\w-])"
)
_NOUNS_AFTER_NAME = (
    *("platform", "website", "news agency", "newspaper", "magazine", "blog", "broadcaster"),
    *("TV channel", "television channel", "radio station", "news site", "news outlet"),
    *("news website", "Telegram channel"),
)
_ONE_OF_MANY = re.compile(
    r"[ ]*,[ ]*one of the[ ]+(?:[\w-]+[ ]+){0,3}?(?P<noun>channels|outlets|newspapers|agencies|"
    r"websites|broadcasters|sites|papers|stations|networks|news sites)(?![\w-])"
)
_CREDIT = re.compile(
    rf"\((?P<tags>{_NAME}(?:[ ]*/[ ]*{_NAME})+)\)[ ]*$|^(?:Source|Sources|Credit|Via)[ ]*:[ ]*"
    rf"(?P<one>{_NAME})[ ]*$",
    re.MULTILINE,
)
_BLOG = re.compile(rf"(?<![\w-])(?P<name>{UPPER}[\w-]*[Bb]log)(?![\w-])")
_OVER_AT = re.compile(rf"(?<![\w-])over at[ ]+(?P<name>{_NAME})")


class _Reader:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.lex = load_lexicon()
        self.found: dict[str, str] = {}  # a name as written -> its entity

    def add(self, start: int, end: int, kind: str, evidence: str) -> None:
        """A media entity named by the text at [start, end), unless a name is there."""
        doc = self.doc
        while end > start and doc.norm[end - 1] in " .,;:":
            end -= 1
        if end - start < 2 or doc.is_masked(start, end) or doc.overlaps_mention(start, end):
            return
        name = " ".join(doc.text[start:end].split())
        words = name.split()
        if all(
            w in self.lex.non_actor
            or w in self.lex.nationalities
            or w in self.lex.generic_modifiers
            for w in words
        ):
            return  # "The", "Russian", "Local news site": no name
        key = doc.new_key(name)
        ent = doc.entities.get(key)
        if ent is None:
            ent = doc.add_entity(key, name, {kind}, evidence=evidence)
        ent.roles.add("source")
        doc.add_mention(key, start, end)
        self.found.setdefault(doc.norm[start:end], key)

    def elsewhere(self) -> None:
        """The names found, wherever else the text writes them: one scan for all."""
        doc = self.doc
        if not self.found:
            return
        rx = re.compile(rf"(?<![\w-])(?:{trie_regex(set(self.found))})(?![\w-])")
        for m in rx.finditer(doc.norm):
            if not doc.overlaps_mention(m.start(), m.end()) and not doc.is_masked(*m.span()):
                doc.add_mention(self.found[m.group(0)], m.start(), m.end())

    def read(self) -> None:
        norm = self.doc.norm
        quoted = any(q in norm for q in _QUOTE_AFTER_SPACE)
        for m in _QUOTED_AFTER_NOUN.finditer(norm) if quoted else ():
            kind = "Website" if m.group("noun").lower() in _WEBSITE_NOUNS else "NewsOutlet"
            noun = m.group("noun")
            self.add(m.start("name"), m.end("name"), kind, f"a title quoted after '{noun}'")
        named = any(noun in norm for noun in _NOUNS_AFTER_NAME)
        for m in _NAME_BEFORE_NOUN.finditer(norm) if named else ():
            name_s = m.start("name")
            while norm.startswith(("The ", "Its ", "Their "), name_s):
                name_s = norm.index(" ", name_s) + 1
            kind = "Website" if m.group("noun").lower() in _WEBSITE_NOUNS else "NewsOutlet"
            self.add(name_s, m.end("name"), kind, f"a name before '{m.group('noun')}'")
        for m in _CREDIT.finditer(norm):
            if m.group("one"):
                self.add(m.start("one"), m.end("one"), "NewsOutlet", "a 'Source:' credit")
                continue
            pos = m.start("tags")
            for part in m.group("tags").split("/"):
                s = norm.index(part.strip(), pos)
                self.add(s, s + len(part.strip()), "NewsOutlet", "a credit tag")
                pos = s + len(part.strip())
        if "log" in norm:
            for m in _BLOG.finditer(norm):
                self.add(m.start("name"), m.end("name"), "Website", "a blog's name")
        for m in _OVER_AT.finditer(norm) if "over at" in norm else ():
            self.add(m.start("name"), m.end("name"), "Website", "a site read 'over at'")

    def apposed(self) -> None:
        """ "NRT, one of the most prominent channels": the name before is an outlet."""
        doc = self.doc
        for m in _ONE_OF_MANY.finditer(doc.norm):
            end = m.start()
            tok = re.search(rf"({_NAME})$", doc.norm[max(0, end - 60) : end])
            if tok is None:
                continue
            s = end - len(tok.group(1))
            old = doc.mention_starting_at(s)
            if old is not None:
                ent = doc.entities[old.entity]
                if not ent.in_gazetteer and not ent.is_media and old.span.end == end:
                    ent.types = {"NewsOutlet"}  # re-typed by its apposition
                    ent.roles = {"source"}
                continue
            self.add(s, end, "NewsOutlet", "one of many outlets")


def find_media_names(doc: Doc) -> None:
    """Add outlets named by their presentation (before the text rules read names)."""
    reader = _Reader(doc)
    reader.read()
    reader.apposed()
    reader.elsewhere()
