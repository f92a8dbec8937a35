"""Speech metrics are exact on hand-built word timings."""

from __future__ import annotations

from app.scoring.speech import find_fillers, speech_metrics
from app.scoring.transcript import TranscriptTurn


def words(spec: list[tuple[str, int, int]]) -> list[dict]:
    return [{"word": w, "start_ms": s, "end_ms": e, "probability": 0.9} for w, s, e in spec]


def evenly(text: str, start_ms: int, ms_per_word: int) -> list[dict]:
    """Words back to back: each takes `ms_per_word`, no gaps."""
    return words(
        [
            (w, start_ms + i * ms_per_word, start_ms + (i + 1) * ms_per_word)
            for i, w in enumerate(text.split())
        ]
    )


def turn(seq, speaker, text, start, end, w=None, typed=False):
    return TranscriptTurn(
        seq=seq, speaker=speaker, text=text, start_ms=start, end_ms=end, words=w or [], typed=typed
    )


def test_words_per_minute_overall_and_per_turn():
    a = " ".join(["word"] * 150)  # 150 words in 60 s -> 150 wpm
    b = " ".join(["word"] * 50)  # 50 words in 15 s -> 200 wpm
    turns = [
        turn(1, "interviewer", "Go.", 0, 1000),
        turn(2, "candidate", a, 2000, 62000, evenly(a, 2000, 400)),
        turn(3, "interviewer", "And?", 63000, 64000),
        turn(4, "candidate", b, 65000, 80000, evenly(b, 65000, 300)),
    ]
    m = speech_metrics(turns)
    assert m.measured and m.words == 200 and m.speaking_ms == 75000
    assert m.wpm == 160.0  # 200 words / 1.25 min
    assert [(p.seq, p.words, p.duration_ms, p.wpm) for p in m.per_turn] == [
        (2, 150, 60000, 150.0),
        (4, 50, 15000, 200.0),
    ]


def test_fillers_counted_per_minute_with_where_they_occur():
    spec = [
        ("Um,", 0, 300),
        ("I", 300, 400),
        ("think", 400, 700),
        ("we", 700, 800),
        ("like,", 800, 1000),
        ("shard", 1000, 1400),
        ("it,", 1400, 1600),
        ("you", 1600, 1700),
        ("know,", 1700, 1900),
        ("sort", 1900, 2100),
        ("of", 2100, 2200),
        ("basically", 2200, 2800),
        ("by", 2800, 2900),
        ("user,", 2900, 3200),
        ("uh", 3200, 3500),
        ("id.", 3500, 5999),
    ]
    w = words(spec)
    text = " ".join(s[0] for s in spec)
    m = speech_metrics(
        [
            turn(
                7,
                "candidate",
                text,
                0,
                6000,
                [dict(x, start_ms=x["start_ms"] * 10, end_ms=x["end_ms"] * 10) for x in w],
            )
        ]
    )
    # 6 fillers over 59,990 ms of speech
    assert [(f.word, f.start_ms) for f in m.fillers] == [
        ("um", 0),
        ("like", 8000),
        ("you know", 16000),
        ("sort of", 19000),
        ("basically", 22000),
        ("uh", 32000),
    ]
    assert m.filler_count == 6 and m.fillers_by_word["um"] == 1 and all(f.seq == 7 for f in m.fillers)
    assert m.fillers_per_minute == round(6 / (59990 / 60000), 2)


def test_like_and_you_know_as_words_are_not_fillers():
    def found(text):
        return [f for _, f in find_fillers(evenly(text, 0, 200))]

    assert found("systems like Kafka and databases like Postgres") == []
    assert found("I would like to use a queue") == []
    assert found("it's like a cache in front") == []
    assert found("do you know what the limit is") == []
    assert found("a kind of lock and what sort of index") == []
    assert found("and like we shard it") == ["like"]


def test_pauses_over_one_second():
    w = words(
        [
            ("We", 0, 200),
            ("shard", 200, 600),
            ("by", 1700, 1900),
            ("user", 1900, 2300),
            ("id", 4800, 5000),
            ("then", 5900, 6100),
        ]
    )
    m = speech_metrics([turn(3, "candidate", "We shard by user id then", 0, 6100, w)])
    assert (
        m.pause_count == 2 and m.longest_pause_ms == 2500
    )  # 600->1700 (1100 ms) and 2300->4800; 5000->5900 is < 1 s
    assert [(p.seq, p.start_ms, p.duration_ms) for p in m.pauses] == [(3, 600, 1100), (3, 2300, 2500)]


def test_talk_ratio_latency_and_longest_monologue():
    turns = [
        turn(1, "interviewer", "Question one?", 0, 4000),
        turn(2, "candidate", "Answer.", 5500, 20000, words([("Answer.", 6000, 20000)])),
        turn(
            3, "candidate", "More.", 21000, 30000
        ),  # no words: latency not applicable (no interviewer before)
        turn(4, "interviewer", "Question two?", 31000, 35000),
        turn(5, "candidate", "Yes.", 34500, 40000, words([("Yes.", 34800, 40000)])),  # barge-in: 0
        turn(6, "candidate", "print(x)", 40000, 90000, typed=True),
    ]  # typed: not speech
    m = speech_metrics(turns)
    assert (m.candidate_ms, m.interviewer_ms) == (14500 + 9000 + 5500, 8000)
    assert m.candidate_share == round(29000 / 37000, 3)
    assert [(lat.seq, lat.latency_ms) for lat in m.latencies] == [(2, 2000), (5, 0)]
    assert (m.median_latency_ms, m.mean_latency_ms, m.max_latency_ms) == (1000, 1000, 2000)
    assert m.longest_monologue_ms == 24500 and m.longest_monologue_seq == [2, 3]


def test_no_word_timings_means_not_measured():
    m = speech_metrics(
        [turn(1, "interviewer", "Hi", 0, 1000), turn(2, "candidate", "Hello there", 1500, 3000)]
    )
    assert not m.measured and m.wpm is None and m.fillers_per_minute is None and m.filler_count == 0
    assert m.candidate_share == 0.6 and m.latencies[0].latency_ms == 500


def test_malformed_word_entries_are_skipped():
    w = [{"word": "Hello", "start_ms": 0, "end_ms": 400}, {"word": "broken"}, "junk",
         {"word": "world", "start_ms": 500, "end_ms": 60000}]
    m = speech_metrics([turn(1, "candidate", "Hello broken world", 0, 60000, w)])
    assert m.measured and m.words == 2 and m.wpm == 2.0
