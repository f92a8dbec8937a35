"""`viva score FILE --round ROUND [--level L] [--json]`."""

from __future__ import annotations

import json

from app.cli import main
from app.scoring.rubric import OfflineScorer
from tests.scoring.conftest import TRANSCRIPTS, load_transcript


def test_prints_a_table(capsys):
    assert main(["score", str(TRANSCRIPTS / "coding_strong.txt"), "--round", "coding"]) == 0
    out = capsys.readouterr().out
    assert "OVERALL" in out and "scorer offline" in out and "level senior" in out
    assert "Problem understanding" in out or "problem" in out.lower()
    assert "Speech (never part of the scores)" in out


def test_json_is_the_scorecard_document(capsys, catalog):
    assert (
        main(
            [
                "score",
                str(TRANSCRIPTS / "behavioral_weak.txt"),
                "--round",
                "behavioral",
                "--level",
                "mid",
                "--json",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    expected = OfflineScorer().score(catalog.get("behavioral"), "mid", load_transcript("behavioral", "weak"))
    assert doc == expected.model_dump(mode="json")
    assert doc["level"] == "mid" and doc["interview_id"] is None


def test_reads_json_turns(tmp_path, capsys):
    turns = [{"speaker": t.speaker, "text": t.text} for t in load_transcript("database", "strong")]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(turns))
    assert main(["score", str(path), "--round", "database", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hire_signal"] in ("lean hire", "strong hire")


def test_errors_are_reported(tmp_path, capsys):
    assert main(["score", str(tmp_path / "missing.txt"), "--round", "coding"]) == 1
    assert "error:" in capsys.readouterr().err
    assert main(["score", str(TRANSCRIPTS / "coding_weak.txt"), "--round", "karaoke"]) == 1
    assert "unknown round 'karaoke'" in capsys.readouterr().err
    bad = tmp_path / "bad.txt"
    bad.write_text("just some words\n")
    assert main(["score", str(bad), "--round", "coding"]) == 1
