"""bench/synthetic_corpus.py: the documents after a written corpus are the same whether
generated afresh or resumed from the generator the corpus saved (the scale benchmark's
100 more documents after 100,000 are taken from the saved generator)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from .conftest import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import synthetic_corpus  # noqa: E402
from synthetic_corpus import STATE, documents, resume, write_corpus  # noqa: E402


def test_resumed_documents_are_the_ones_generated_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(30, tmp_path / "corpus")
    assert (corpus / STATE).is_file()
    written = sorted(corpus.glob("*/doc-*.txt"))
    assert [json.loads(p.read_text(encoding="utf-8")) for p in written] == list(documents(30))
    afresh = list(documents(40, start=30))
    assert len(afresh) == 10
    with monkeypatch.context() as m:  # from the saved generator, not the first 30 again
        m.setattr(synthetic_corpus, "documents", None)
        assert resume(corpus, 30, 10) == afresh
    # a generator saved after another number of documents is not used for these
    assert resume(corpus, 25, 5) == list(documents(30, start=25))
    (corpus / STATE).unlink()
    assert resume(corpus, 30, 10) == afresh
