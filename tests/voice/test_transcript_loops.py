"""Whisper's repetition loop ("before I start, before I start, ..." 56 times, heard in a spoken interview)
is cut back to one occurrence before anything reads the transcript; real repetition is left alone."""

from __future__ import annotations

import pytest

from app.voice.stt import Transcript, WordTiming, without_loops


def transcript(text: str) -> Transcript:
    return Transcript(text, [WordTiming(w, i * 0.3, i * 0.3 + 0.25) for i, w in enumerate(text.split())])


@pytest.mark.parametrize(("heard", "kept"), [
    ("Before I start, " * 56 + "how many requests per second should I plan for?",
     "Before I start, how many requests per second should I plan for?"),
    (" ".join(("Can you repeat that? " * 45).split()[:-1]), "Can you repeat that?"),
    ("I don't know... " * 10, "I don't know..."),
    # heard in the capacity bench: a 4.6 s answer decoded, then decoded again from the silence after it
    ("The service is stateless, so we scale it out behind the load balancer. " * 2,
     "The service is stateless, so we scale it out behind the load balancer."),
])
def test_a_loop_is_kept_once(heard, kept):
    out = without_loops(transcript(heard.strip()))
    assert out.text == kept and [w.word for w in out.words] == kept.split()
    assert all(a.start < b.start for a, b in zip(out.words, out.words[1:], strict=False))  # words keep their times


@pytest.mark.parametrize("said", ["No, no, no, I would shard it.",
                                  "We shard by user, we shard by user id and then cache.",
                                  "It depends, it depends on the read ratio.",
                                  "I would add a cache, I would add a cache only for the hot keys."])
def test_what_people_really_repeat_stays(said):
    t = transcript(said)
    assert without_loops(t) is t
