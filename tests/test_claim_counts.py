"""What pages read of the claim index (kb.derived.claim_counts) is kept in the search
index, which a release links rather than copies: the counts an entity page shows must
be those of the claim index, after an incremental ingest, a removal and a bulk ingest."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from kb.corpus import InputText
from kb.derived import derived_dir
from kb.derived.claim_counts import CLAIMS_FILENAME, FILENAME, ClaimCounts
from kb.ingest import ingest_texts
from kb.store import KnowledgeBase
from kb.store.releases import current_release

from .conftest import run_srkb
from .helpers import PROJECT_ROOT, SEED_PATH

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
from synthetic_corpus import documents  # noqa: E402

NOBODY = "http://example.org/nobody"


def _assert_counts_match_the_index(counts: ClaimCounts, claims: Path) -> None:
    """Every agent's and entity's counts, as counting the claim index gives them."""
    index = sqlite3.connect(claims)
    try:
        expected = {
            role: dict(
                index.execute(
                    f"SELECT {role}, COUNT(*) FROM claims WHERE {role} NOT NULL GROUP BY {role}"  # noqa: S608
                ).fetchall()
            )
            for role in ("speaker", "via")
        }
        named = dict(
            (r[0][1:], r[1])
            for r in index.execute("SELECT term, df FROM terms WHERE term LIKE '@%'")
        )
    finally:
        index.close()
    assert expected["speaker"] and expected["via"] and named
    agents = set(expected["speaker"]) | set(expected["via"]) | set(named) | {NOBODY}
    for agent in sorted(agents):
        for role in ("speaker", "via"):
            assert counts.claims(role, agent) == expected[role].get(agent, 0), (role, agent)
        assert counts.about(agent) == named.get(agent, 0), agent


def test_a_release_counts_claims_as_the_claim_index_does(tmp_path: Path) -> None:
    data = tmp_path / "kb"
    examples = sorted((PROJECT_ROOT / "examples").glob("*.txt"))
    run_srkb("ingest", str(SEED_PATH), *map(str, examples), data=data, check=True)
    run_srkb("remove", examples[0].name, data=data, check=True)
    release = current_release(data)
    assert release is not None
    published = release / "derived"
    assert not (published / CLAIMS_FILENAME).exists()  # not copied
    assert not (published / FILENAME).exists()  # nor summarised: linked with the search index
    for folder in (published, data / "derived"):
        counts = ClaimCounts(folder)
        try:
            _assert_counts_match_the_index(counts, data / "derived" / CLAIMS_FILENAME)
        finally:
            counts.close()


@pytest.mark.parametrize("bulk", [True, False])
def test_counts_follow_bulk_and_incremental_ingests(bulk: bool) -> None:
    texts = [InputText(f"doc-{i:03d}.json", json.dumps(d), d) for i, d in enumerate(documents(24))]
    kb = KnowledgeBase.in_memory()
    ingest_texts(kb, texts[:16], base_iri="http://kb.test/", bulk=bulk)
    ingest_texts(kb, texts[16:], base_iri="http://kb.test/", bulk=False)
    directory = derived_dir(kb)
    assert directory is not None
    counts = ClaimCounts(directory)
    try:
        _assert_counts_match_the_index(counts, directory / CLAIMS_FILENAME)
    finally:
        counts.close()


def test_an_older_release_summary_is_still_read(tmp_path: Path) -> None:
    """A release an older srkb published carries its counts in claim_counts.sqlite."""
    summary = sqlite3.connect(tmp_path / FILENAME)
    summary.executescript(
        "CREATE TABLE agent_claims (agent TEXT, role TEXT, n INTEGER);"
        "CREATE TABLE about (entity TEXT, n INTEGER);"
        "INSERT INTO agent_claims VALUES ('http://example.org/a', 'via', 3);"
        "INSERT INTO about VALUES ('http://example.org/a', 5);"
    )
    summary.commit()
    summary.close()
    counts = ClaimCounts(tmp_path)
    try:
        assert counts.claims("via", "http://example.org/a") == 3
        assert counts.claims("speaker", "http://example.org/a") == 0
        assert counts.about("http://example.org/a") == 5
    finally:
        counts.close()
