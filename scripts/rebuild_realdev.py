"""Rebuild the realdev texts (../shared/realdev) from cached stored excerpts.

The pages are third-party writing, so neither the excerpts nor the texts are committed. Fill
the cache once with the search tool's `pages` corpus (the query per file is below and in
../shared/realdev/SOURCES-*.md): a JSON object mapping each page address to its JSON-decoded
`excerpt` string, in bench/realdev/cache/*.json (git-ignored). Then:

    python3 scripts/rebuild_realdev.py            # writes bench/realdev/texts/*.txt
    python3 ../shared/eval/check_texts.py bench/realdev/texts

The per-file edits of SOURCES-*.md are written here by position (line indices after step 1,
character counts), never as the third-party words themselves; the sha256 check proves them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "realdev"


@dataclass(frozen=True)
class Recipe:
    """How one text is cut out of its page's stored excerpt (indices after step 1)."""

    name: str
    url: str
    query: str
    drop: tuple[int, ...] = ()  # lines dropped entirely (furniture, bylines, cut-off lines)
    cut_prefix: dict[int, int] = field(default_factory=dict)  # line -> characters removed in front
    keep_chars: dict[int, int] = field(default_factory=dict)  # line -> characters kept (cut tail)


RECIPES = [
    Recipe(
        "A-01-reddit-karabakh-armenian-fake-news.txt",
        "https://redlib.plushiemc.com/r/KarabakhConflict/comments/jrippc/"
        "personal_opinion_how_armenian_fake_news_damaged/gbv4r1f/?context=3",
        "How Armenian fake news damaged the Armenians KarabakhConflict Wargonzo Shusha",
        drop=(0, 3, 4, 5, 6, 7, 8),  # header, votes, comment furniture, replier, cut-off reply
        cut_prefix={1: 16},  # the post's flair
    ),
    Recipe(
        "A-02-asbarez-azeri-propaganda.txt",
        "http://asbarez.com/93987/armenia-karabakh-defense-ministries-slam-azeri-propaganda/",
        "Armenia, Karabakh Defense Ministries Slam Azeri Propaganda Karapetyan nine-year-old boy",
        drop=(8, 9, 10, 12, 13),  # discussion policy, commenter names, cut-off comment
    ),
    Recipe(
        "A-03-impudentobserver-georgia-russian-media.txt",
        "http://theimpudentobserver.com/world-news/russian-media-war-ignores-reality/",
        "Russian Media War Ignores Reality William Dunbar Russia Today Vesti Georgia",
        keep_chars={4: 586},  # the cut-off last sentence
    ),
    Recipe(
        "A-04-scm-georgia-western-media.txt",
        "https://scm.im/2008/09/",
        "Of all the biased and propagandist medias in the world, the US media must be the worst "
        "Georgia South Ossetia",
        keep_chars={11: 246},
    ),
    Recipe(
        "A-05-attkisson-snake-island.txt",
        "https://sharylattkisson.com/2022/03/"
        "the-legend-of-ukraines-snake-island-soldier-deaths-actually-russia-told-the-truth/",
        "Sharyl Attkisson Snake Island Russia says soldiers are alive MSM government propaganda "
        "Wag the Dog",
        drop=(1, 11, 12, 13),  # site label, comment form, comment count
        cut_prefix={14: 3, 19: 3},  # list numbers
        keep_chars={20: 55},  # the cut-off quotation
    ),
    Recipe(
        "A-06-moscowtimes-mh17-channel-one.txt",
        "https://themoscowtimes.com/2014/11/16/"
        "state-televisions-claim-of-proof-in-mh17-case-quickly-debunked-as-fake-a41403",
        "State television's claim of proof in MH17 case quickly debunked as fake Channel One "
        "George Bilt",
        keep_chars={8: 130},
    ),
    Recipe(
        "A-07-bcfa-ukraine-tallies-isw.txt",
        "https://www.bcfausa.org/news/",
        "Ukraine blog daily updates three sources Ukraine Defense Ministry Russian Defense "
        "Ministry ISW tally",
    ),
    Recipe(
        "A-08-ambassadorserbia-srebrenica.txt",
        "http://www.ambassador-serbia.com/2013/03/08/anti-serb-propaganda-srebrenica-massacre/",
        "Anti-Serb Propaganda Srebrenica massacre Ari Rusila Balkanblog",
    ),
    Recipe(
        "B-01-freedomsphoenix-yemen-saudi-propaganda.txt",
        "http://mvc.freedomsphoenix.com/Article/"
        "269103-2019-10-01-saudi-propaganda-v-legitimate-reports-on-yemen.htm",
        "Saudi Propaganda v. Legitimate Reports on Yemen Stephen Lendman",
        drop=(0, 2, 3, 4, 14),  # image label, subject, repeated title, byline, cut-off line
    ),
    Recipe(
        "B-02-fortruss-bbc-tripoli.txt",
        "https://fort-russ.com/2019/05/bbcs-tripoli-pro-gna-journalism-in-the-service-of-empire/",
        "BBC's Tripoli Pro-GNA Journalism in the service of Empire Feras Kilani",
        drop=(1, 6),  # byline, cut-off paragraph
    ),
    Recipe(
        "B-03-vfinews-gaza-mass-grave.txt",
        "https://vfinews.com/news/israel-threatens-hamas-with-rafah-invasion-unless-/"
        "israel-debunks-hamas-libels-about-mass-grave-sprea",
        "VFI News Israel Debunks 'Hamas Libels' mass grave Tom Gross CNN BBC Avi Hyman told "
        "American media",
        drop=(0, 1, 7),  # article counter, tag, the site's verse
    ),
    Recipe(
        "B-04-powerline-reuters-adnan-hajj.txt",
        "https://www.powerlineblog.com/archives/2006/08/adnan-hajj-the-complete-works.php",
        "Adnan Hajj: The complete works Power Line Moira Whittle Reuters standards Qana pictures",
        drop=(10,),
    ),
    Recipe(
        "B-05-assayha-sudan-aljazeera.txt",
        "https://assayha.net/en/160823",
        "Port Sudan media lies attempt to condemn the RSF Imran as an example",
        drop=(1, 6),  # byline, cut-off paragraph
    ),
    Recipe(
        "B-06-earthpress-jnim-wagner-mali.txt",
        "https://earthpressnews.com/?p=79378",
        "Jnim jihadists claim to have captured Wagner soldiers Al-Zallaqa press release Moura",
        drop=(1,),  # repeated title
        keep_chars={8: 52},
    ),
    Recipe(
        "B-07-fountain-taliban-tally.txt",
        "http://fountain.blogspot.com/2009/01/taliban-tally-bad.html",
        "Taliban claims 5,220 foreign troops killed blog press sceptical wedding party bombed "
        "villagers",
        drop=(0, 8, 11, 13),  # date header, commenter lines
    ),
    Recipe(
        "B-08-alsura-rudaw-k24-ban.txt",
        "http://al-sura.com/"
        "largest-mena-satellite-provider-bans-barzani-family-owned-news-outlets-rudaw-and-k24/",
        "Nilesat bans Barzani family owned news outlets Rudaw K24 false information",
        cut_prefix={0: 16},  # the store's date marker
    ),
]


def rebuild(excerpt: str, recipe: Recipe) -> str:
    """Apply SOURCES-*.md steps 1-3 with the recipe's positional edits."""
    lines = [line.strip() for line in excerpt.split("\n")]
    lines = [line for line in lines if line]
    for index, count in recipe.cut_prefix.items():
        lines[index] = lines[index][count:]
    for index, count in recipe.keep_chars.items():
        lines[index] = lines[index][:count].rstrip()
    kept = [line for k, line in enumerate(lines) if k not in set(recipe.drop)]
    return "\n".join(kept) + "\n"


def listed_hashes() -> dict[str, str]:
    """File name -> sha256, as SOURCES-*.md lists them."""
    row = re.compile(r"^\|\s*([A-Z]-\d\d-[\w.-]+\.txt)\s*\|\s*\d+\s*\|\s*([0-9a-f]{64})\s*\|")
    out: dict[str, str] = {}
    for sources in sorted(SHARED.glob("SOURCES-*.md")):
        for line in sources.read_text(encoding="utf-8").splitlines():
            m = row.match(line)
            if m:
                out[m.group(1)] = m.group(2)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=ROOT / "bench/realdev/cache")
    ap.add_argument("--out", type=Path, default=ROOT / "bench/realdev/texts")
    args = ap.parse_args(argv)
    excerpts: dict[str, str] = {}
    for path in sorted(args.cache.glob("*.json")):
        excerpts.update(json.loads(path.read_text(encoding="utf-8")))
    hashes = listed_hashes()
    args.out.mkdir(parents=True, exist_ok=True)
    bad = 0
    for recipe in RECIPES:
        if recipe.url not in excerpts:
            print(f"no cached excerpt for {recipe.name}: search pages for {recipe.query!r}")
            bad += 1
            continue
        text = rebuild(excerpts[recipe.url], recipe)
        (args.out / recipe.name).write_text(text, encoding="utf-8", newline="")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        ok = digest == hashes.get(recipe.name)
        bad += not ok
        print(f"{'ok     ' if ok else 'DIFFERS'} {recipe.name} ({len(text.encode())} bytes)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
