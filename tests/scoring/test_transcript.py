"""Transcript files (plain text and JSON) and mapping quotes to word times."""

from __future__ import annotations

import json

import pytest

from app.scoring.transcript import TranscriptError, TranscriptTurn, parse_transcript, span_times, word_spans


def test_plain_text_with_phases_comments_and_continuations():
    turns = parse_transcript(
        "# a comment\n# phase: intro\nInterviewer: Hello.\ncandidate: Hi there,\n"
        "  I am ready.\n# phase: deep_dive\nInterviewer: Go.\n"
    )
    assert [(t.seq, t.speaker, t.text, t.phase) for t in turns] == [
        (1, "interviewer", "Hello.", "intro"),
        (2, "candidate", "Hi there, I am ready.", "intro"),
        (3, "interviewer", "Go.", "deep_dive"),
    ]
    # estimated times: 400 ms per word, at least 1 s, 1 s between turns
    assert [(t.start_ms, t.end_ms) for t in turns] == [(0, 1000), (2000, 4000), (5000, 6000)]


def test_json_list_and_report_export():
    items = [
        {"speaker": "interviewer", "text": "Q?", "start_ms": 0, "end_ms": 900, "meta": {"phase": "intro"}},
        {
            "speaker": "candidate",
            "text": "A.",
            "start_ms": 1000,
            "end_ms": 2000,
            "words": [{"word": "A.", "start_ms": 1100, "end_ms": 1500}],
        },
    ]
    for text in (json.dumps(items), json.dumps({"turns": items, "scorecard": {}})):
        turns = parse_transcript(text)
        assert [(t.seq, t.speaker, t.end_ms) for t in turns] == [
            (1, "interviewer", 900),
            (2, "candidate", 2000),
        ]
        assert turns[1].words[0]["start_ms"] == 1100 and turns[0].phase == "intro"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hello there\nCandidate: hi",
        '[{"speaker": "bot", "text": "x"}]',
        '{"nope": 1}',
        "[1, 2]",
        "{bad json",
    ],
)
def test_unreadable_transcripts_are_errors(text):
    with pytest.raises(TranscriptError):
        parse_transcript(text)


def test_quote_times_come_from_the_words_it_spans():
    text = "First, I'd shard by user id. Then replicate."
    w = [
        {"word": " First,", "start_ms": 100, "end_ms": 400},
        {"word": " I'd", "start_ms": 450, "end_ms": 600},
        {"word": " shard", "start_ms": 600, "end_ms": 900},
        {"word": " by", "start_ms": 900, "end_ms": 1000},
        {"word": " user", "start_ms": 1000, "end_ms": 1200},
        {"word": " id.", "start_ms": 1200, "end_ms": 1500},
        {"word": " Then", "start_ms": 2500, "end_ms": 2700},
        {"word": " replicate.", "start_ms": 2700, "end_ms": 3300},
    ]
    turn = TranscriptTurn(seq=4, speaker="candidate", text=text, start_ms=0, end_ms=3500, words=w)
    assert len(word_spans(turn)) == 8
    quote = "I'd shard by user id."
    start = text.index(quote)
    assert span_times(turn, start, start + len(quote)) == (450, 1500)
    assert span_times(turn, text.index("Then"), len(text)) == (2500, 3300)
    no_words = TranscriptTurn(seq=5, speaker="candidate", text=text, start_ms=7, end_ms=9)
    assert span_times(no_words, 0, 5) == (7, 9)
