"""Grades an analyst would sign (issue 13), on the project's example texts.

The example texts (examples/*.txt, the knowledge base `bash scripts/run.sh` builds) hold
a party to the fighting (the SDF, the Houthis) speaking about its own operations, an
outlet's report that repeats the party's account, and readers' verdicts.
"""

from __future__ import annotations

import pytest

from kb.corpus import InputText
from kb.ingest import ingest_texts
from kb.store import KnowledgeBase

from .helpers import PROJECT_ROOT

BASE = "http://kb.test/"
SRKB = "https://w3id.org/srkb/ontology#"
SDF = BASE + "entity/sdf"


@pytest.fixture(scope="module")
def examples_kb() -> KnowledgeBase:
    kb = KnowledgeBase.in_memory()
    paths = sorted((PROJECT_ROOT / "examples").glob("*.txt"))
    ingest_texts(
        kb,
        [InputText(f"examples/{p.name}", p.read_text(encoding="utf-8")) for p in paths],
        base_iri=BASE,
    )
    return kb


def test_a_statement_an_actor_issues_itself_has_it_as_speaker_not_relay(
    examples_kb: KnowledgeBase,
) -> None:
    said = {
        r["c"].value
        for r in examples_kb.query(
            f"SELECT ?c WHERE {{ GRAPH ?g {{ ?c <{SRKB}speaker> <{SDF}> }} }}"
        )
    }
    assert len(said) == 3  # the headline, "the group said", "a claim the SDF denied"
    relayed = examples_kb.ask(
        f"ASK {{ GRAPH ?g {{ ?c <{SRKB}speaker> ?a ; <{SRKB}relayedBy> ?a }} }}"
    )
    assert not relayed  # no claim anywhere has one agent as both speaker and relay


def grade_of(kb: KnowledgeBase, source: str) -> tuple[str, str]:
    """(letter, explanation) of a source's stored rating."""
    (row,) = list(
        kb.query(
            f"SELECT ?g ?e WHERE {{ GRAPH ?r {{ ?x <{SRKB}ratedSource> <{source}> ; "
            f"<{SRKB}reliabilityGrade> ?g ; <{SRKB}explanation> ?e }} }}"
        )
    )
    return row["g"].value.rsplit("reliability", 1)[-1], row["e"].value


def test_a_party_earns_no_reliability_from_its_own_account_of_its_operations(
    examples_kb: KnowledgeBase,
) -> None:
    letter, why = grade_of(examples_kb, SDF)
    assert letter not in ("A", "B")  # not above C: its two corroborated claims are its own
    assert "2 corroborated claim(s) of its own account of its operations, not counted" in why
    # the claims are marked as its own account, and their credibility says so
    own = examples_kb.query(
        f"SELECT ?c ?why WHERE {{ GRAPH ?r {{ ?x <{SRKB}ratedClaim> ?c ; "
        f"<{SRKB}ownAccountOf> <{SDF}> ; <{SRKB}explanation> ?why }} }}"
    )
    reasons = [r["why"].value for r in own]
    assert len(reasons) == 2  # the headline and the lead; its denial of the Turkish strike
    assert all("a party's own account" in w for w in reasons)  # is the other side's words


def test_a_party_s_own_account_does_not_corroborate_an_outlet_s_track_record(
    examples_kb: KnowledgeBase,
) -> None:
    # Rudaw's report of the SDF's operation agrees only with the SDF's own account
    _letter, why = grade_of(examples_kb, BASE + "entity/rudaw")
    assert "0 corroborated report(s)" in why
    rudaw_claims = examples_kb.query(
        f"SELECT ?why WHERE {{ GRAPH ?g {{ ?c <{SRKB}relayedBy> <{BASE}entity/rudaw> }} "
        f"GRAPH ?r {{ ?x <{SRKB}ratedClaim> ?c ; <{SRKB}explanation> ?why }} }}"
    )
    assert any("only by a party's own account" in r["why"].value for r in rudaw_claims)


@pytest.mark.parametrize(
    "agent, content, modality, about, expected",
    [
        ("sdf", "Fighters of the SDF repelled an attack by ISIS", "asserted", ["isis"], True),
        ("sdf", "it repelled an ISIS attack on two villages", "asserted", ["isis"], True),
        ("houthis", "drone strike on cargo ship in the Red Sea", "asserted", [], True),
        ("houthis", "our forces will answer Israel", "asserted", ["israel"], True),
        # a denial's content is the other side's words: "its" is theirs
        ("sdf", "its drones had struck PKK positions", "doubted", ["pkk"], False),
        ("sdf", "ISIS fighters fled towards Hajin", "asserted", ["isis"], False),
        ("turkish-mod", "its drones had struck PKK positions", "asserted", ["pkk"], True),
        # an official body that is no party: a UN agency's report is not a party's account
        ("who", "its teams reached the hospital in Gaza", "asserted", [], False),
        ("reuters", "the vessel continued its voyage", "asserted", [], False),
    ],
)
def test_which_claims_are_a_party_s_own_account(
    agent: str, content: str, modality: str, about: list[str], expected: bool
) -> None:
    from kb.own_accounts import own_account

    iri = BASE + "entity/" + agent
    found = own_account(content, modality, [iri], [BASE + "entity/" + a for a in about], {}, {})
    assert (found == (iri,)) is expected


# --------------------------------------------------------------------------- pages
BROWSER = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client_with_prior(tmp_path_factory: pytest.TempPathFactory):
    """The example texts, with a house list grading Rudaw B, served by the Flask app."""
    from datetime import UTC, datetime

    from kb.config import Settings
    from kb.derived import finish_pending
    from kb.prior_graphs import load_prior_file
    from kb.priors import read_prior_file
    from server import create_app

    kb = KnowledgeBase.in_memory()
    paths = sorted((PROJECT_ROOT / "examples").glob("*.txt"))
    ingest_texts(
        kb, [InputText(p.name, p.read_text(encoding="utf-8")) for p in paths], base_iri=BASE
    )
    house = tmp_path_factory.mktemp("priors") / "house.csv"
    house.write_text("source,grade,assessor,assessed\nRudaw,B,Desk,2024-03-01\n", encoding="utf-8")
    when = datetime(2026, 1, 1, tzinfo=UTC)
    load_prior_file(kb, read_prior_file(str(house)), base_iri=BASE, version="9", when=when)
    finish_pending(kb, base_iri=BASE)
    app = create_app(Settings.from_env(environ={}, base_iri=BASE), kb=kb)
    app.testing = True
    return app.test_client()


def test_a_page_shows_not_enough_evidence_never_a_grade_f(client_with_prior) -> None:
    page = client_with_prior.get("/entity/reuters", headers=BROWSER).get_data(as_text=True)
    line = page.split('class="grade-line"', 1)[1].split("</p>", 1)[0]
    assert ">not enough evidence</span>" in line and "(0 pieces)" in line
    assert ">F<" not in page and "grade F" not in page  # neither the badge nor the drawing
    assert "Not enough evidence (0 pieces)." in page  # the explanation
    # a claim it relayed: its chain shows the relay's standing the same way
    claim = examples_claim(client_with_prior, "reuters")
    chain = claim.split('id="chain"', 1)[1].split("</ol>", 1)[0]
    assert ">not enough evidence</span>" in chain and ">F<" not in chain


def examples_claim(client, source: str) -> str:
    data = client.get(f"/entity/{source}.json", headers=BROWSER).get_json()
    iri = data["relayed"][0]["iri"]
    return client.get("/" + iri.removeprefix(BASE), headers=BROWSER).get_data(as_text=True)


def test_a_source_page_lists_the_prior_assessments_its_grade_counts(client_with_prior) -> None:
    page = client_with_prior.get("/entity/rudaw", headers=BROWSER).get_data(as_text=True)
    priors = page.split('id="priors"', 1)[1].split("</table>", 1)[0]
    assert "<td>Desk</td><td>2024-03-01</td><td>16</td>" in priors
    assert 'class="badge grade grade-B"' in priors
    assert "1 prior assessment(s): B by Desk on 2024-03-01 (weight 16, house.csv)" in page
    twin = client_with_prior.get("/entity/rudaw.json", headers=BROWSER).get_json()
    assert twin["rating"]["priors"][0]["assessor"] == "Desk"
    assert twin["rating"]["display"].startswith(twin["rating"]["grade"] + ": ")
