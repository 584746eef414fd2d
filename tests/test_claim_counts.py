"""A published release carries a summary of the claim index (kb.derived.claim_counts), not
a copy of it: the counts an entity page shows must be the same from either."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kb.derived.claim_counts import CLAIMS_FILENAME, FILENAME, ClaimCounts
from kb.store.releases import current_release

from .conftest import run_srkb
from .helpers import PROJECT_ROOT, SEED_PATH


def test_a_release_counts_claims_as_the_claim_index_does(tmp_path: Path) -> None:
    data = tmp_path / "kb"
    inputs = [SEED_PATH, *sorted((PROJECT_ROOT / "examples").glob("*.txt"))]
    run_srkb("ingest", *map(str, inputs), data=data, check=True)
    release = current_release(data)
    assert release is not None
    published = release / "derived"
    assert (published / FILENAME).is_file()
    assert not (published / CLAIMS_FILENAME).exists()  # not copied whole

    live = data / "derived"
    index = sqlite3.connect(live / CLAIMS_FILENAME)
    speakers = {r[0] for r in index.execute("SELECT speaker FROM claims WHERE speaker NOT NULL")}
    relays = {r[0] for r in index.execute("SELECT via FROM claims WHERE via NOT NULL")}
    named = {r[0][1:] for r in index.execute("SELECT term FROM terms WHERE term LIKE '@%'")}
    index.close()
    assert speakers and relays and named

    from_release, from_index = ClaimCounts(published), ClaimCounts(live)
    assert from_release.summary and not from_index.summary
    try:
        for agent in sorted(speakers | relays | named | {"http://example.org/nobody"}):
            for role in ("speaker", "via"):
                assert from_release.claims(role, agent) == from_index.claims(role, agent)
            assert from_release.about(agent) == from_index.about(agent)
        some = sorted(speakers)[0]
        assert (from_release.claims("speaker", some) or 0) > 0
    finally:
        from_release.close()
        from_index.close()
