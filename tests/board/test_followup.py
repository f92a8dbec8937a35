"""The interviewer reads the board (offline brain, the real rounds): a contradiction between the drawing
and the words is raised neutrally with drawn labels, a gap the question's design needs is pointed at by
the labels around it, ordinary follow-ups point at drawn components, and nothing undrawn is ever named."""

from __future__ import annotations

import shutil

import pytest

from app.board.reading import says
from app.catalog import CatalogError, load_catalog
from app.config import ROOT
from app.interviewer import planner
from app.interviewer.llm_prompt import Templates, build_messages
from app.interviewer.state import Event
from tests.interviewer.conftest import make, say

CONTRADICTION = "Every read checks the cache first: the cache sits in front of the database."


async def on_question(catalog, question_id: str, board: dict | None):
    rnd = catalog.get("system_design")
    iv = make(rnd, "senior")
    await say(iv.opening())
    iv.state.question_id = question_id  # the question in play (the opening picked the level's first)
    iv.board = board
    return iv


@pytest.mark.parametrize(("text", "hit"), [
    ("the cache sits in front of the database", True),
    ("we would not put the cache in front of the database", False),
    ("No queue here, we call the sender directly", False),
    ("we push it to Kafka", True),
])
def test_said_is_lexical_with_negation(text, hit):
    assert says(text, ["in front of the database", "queue", "kafka"]) is hit


async def test_a_contradiction_is_raised_with_the_drawn_labels(catalog, design):
    iv = await on_question(catalog, "rate_limiter", design)
    reply = await say(iv.respond(CONTRADICTION))
    meta = iv.state.last_meta
    assert meta["board"] == "contradiction" and meta["board_refs"] == ["API", "Orders DB"]
    assert "API goes straight to Orders DB" in reply and reply.endswith("?")
    assert "wrong" not in reply.lower()  # neutral: a question, no verdict
    again = await say(iv.respond(CONTRADICTION))  # raised once per question
    assert iv.state.last_meta.get("board") != "contradiction", again


async def test_no_contradiction_when_the_drawing_agrees_or_the_words_negate(catalog, design):
    design["edges"][3] = {"id": "e4", "from": "r", "to": "db", "label": "reads"}  # API -> Redis -> Orders DB
    iv = await on_question(catalog, "rate_limiter", design)
    await say(iv.respond(CONTRADICTION))
    assert iv.state.last_meta.get("board") != "contradiction"
    iv = await on_question(catalog, "url_shortener", None)
    await say(iv.respond(CONTRADICTION))  # nothing drawn: nothing to hold the words against
    assert "board" not in iv.state.last_meta


async def test_a_gap_is_named_by_the_labels_around_it(catalog, design):
    design["nodes"] = [n for n in design["nodes"] if n["kind"] != "cache"]
    design["edges"] = [e for e in design["edges"] if e["to"] != "r"]
    design["nodes"][2]["label"] = "Gateways"
    design["nodes"][3]["label"] = "Counter store"
    iv = await on_question(catalog, "rate_limiter", design)
    reply = await say(iv.respond("We count requests per customer in a fixed window of one minute, about "
                                 "5000 per second."))
    assert iv.state.last_meta["board"] == "gap"
    assert "Nothing sits between Gateways and Counter store" in reply
    assert "half a million" in reply


async def test_follow_ups_only_ever_name_drawn_components(catalog, design):
    labels = {n["label"] for n in design["nodes"]}
    iv = await on_question(catalog, "url_shortener", design)
    refs = probes = 0
    answers = ["We hash the long URL and keep a base62 key of seven characters, about 3.5 trillion keys.",
               "Reads dominate, maybe 100 to 1 reads to writes, so I'd cache hot links.",
               "Keys come from a counter range handed out to each server, so no collisions.",
               "A 302 keeps the analytics but costs more traffic; 301 is cached by browsers.",
               "Links expire after a year by default and a custom alias is checked for uniqueness.",
               "A hundred million links a month is about forty writes a second and four thousand redirects.",
               "The API has a POST to create a link and a GET on the key that answers with the redirect.",
               "The service looks the key up in the cache first and falls back to the database on a miss.",
               "If a cache node dies its keys fall through to the database until the cache warms again."]
    for text in answers:
        reply = await say(iv.respond(text))
        meta = iv.state.last_meta
        for label in meta.get("board_refs", []):
            assert label in labels and label in reply
        # scoping questions (requirements) never point at the drawing; the rest may
        if meta["move"] == "probe" and meta.get("phase") != "requirements":
            probes += 1
            refs += bool(meta.get("board_refs"))
    assert probes >= 2 and refs >= probes / 2, (probes, refs)


def test_the_llm_prompt_carries_the_board_as_text(catalog, design):
    rnd = catalog.get("system_design")
    iv = make(rnd, "senior")
    st = iv.state
    st.question_id = "rate_limiter"
    st.event = Event(kind="answer", text="Redis holds the counters per customer key", board=design)
    st.add_history(__import__("app.interviewer.state", fromlist=["HistoryEntry"]).HistoryEntry(
        speaker="candidate", text=st.event.text))
    move = planner.plan(st, rnd)
    messages = build_messages(Templates.load(ROOT / "prompts"), st, rnd, move)
    if messages is None:  # the planned wording is spoken as it is: nothing for the model to write
        pytest.skip("move spoken as planned")
    last = messages[-1]["content"]
    assert "Their whiteboard:" in last and "API (service)" in last and "API → Orders DB (writes)" in last


def test_a_bad_board_spec_is_a_catalog_error_naming_file_and_field(tmp_path):
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    spec = prompts / "boards" / "system_design.yaml"
    spec.write_text(spec.read_text().replace("url_shortener:", "no_such_question:", 1))
    with pytest.raises(CatalogError, match=r"system_design\.yaml: field 'questions\.no_such_question'"):
        load_catalog(ROOT / "rubrics", prompts)
    spec.write_text("questions:\n  url_shortener:\n    - {id: x, kind: cache, dimension: architecture, "
                    "ask: 'Where does {nowhere} go?', at: service}\n")
    with pytest.raises(CatalogError, match="may only use"):
        load_catalog(ROOT / "rubrics", prompts)
