"""Whisper's repetition loop ("before I start, before I start, ..." 56 times, heard in a spoken interview)
is cut back to one occurrence before anything reads the transcript, and so is a tail decoded from the silence a
clip ends in; real repetition, and words with their audio, are left alone."""

from __future__ import annotations

import pytest

from app.voice.stt import Transcript, WordTiming, cleaned, without_loops


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
    # a short answer primed with the round's glossary (tiny.en, Piper's voice, the clip cut at the pause)
    ("So that's my overall design. So that's my overall design.", "So that's my overall design."),
])
def test_a_loop_is_kept_once(heard, kept):
    out = without_loops(transcript(heard.strip()))
    assert out.text == kept and [w.word for w in out.words] == kept.split()
    assert all(a.start < b.start for a, b in zip(out.words, out.words[1:], strict=False))  # words keep their times


@pytest.mark.parametrize("said", ["No, no, no, I would shard it.",
                                  "We shard by user, we shard by user id and then cache.",
                                  "It depends, it depends on the read ratio.",
                                  "I would add a cache, I would add a cache only for the hot keys.",
                                  "I owned it. I owned it, and I would make the same call again.",
                                  "Thank you. Thank you."])
def test_what_people_really_repeat_stays(said):
    t = transcript(said)
    assert without_loops(t) is t


def timed(words: list[tuple[str, float, float]]) -> Transcript:
    return Transcript(" ".join(w for w, _, _ in words), [WordTiming(w, s, e, 0.5) for w, s, e in words])


# Heard from tiny.en on the second half of a paused answer (Piper's voice, the first half as the prompt, the
# clip ending in the pause's 200 ms of silence): the tail is decoded from the silence, aligned to no audio.
@pytest.mark.parametrize(("heard", "kept"), [
    ([("replicate", 0.0, 0.4), ("a", 0.4, 0.6), ("synchronous", 0.6, 1.06), ("lead", 1.06, 1.26), ("to", 1.26, 1.44),
      ("two", 1.44, 1.68), ("followers.", 1.68, 1.92), ("D", 2.26, 2.26), ("-B,", 2.26, 2.26), ("-", 2.26, 2.26)],
     "replicate a synchronous lead to two followers."),
    ([("Q", 0.0, 0.28), ("-M", 0.28, 0.36), ("of", 0.36, 0.52), ("2", 0.52, 0.68), ("out", 0.68, 0.84),
      ("of", 0.84, 1.0), ("3", 1.0, 1.22), ("replicas,", 1.22, 1.64)]
     + [(w, 1.88, 1.88) for w in "C -M of 2 out of 3 replicas,".split()],
     "Q -M of 2 out of 3 replicas,"),
    # the sentence said again with no gap, every word of the copy at the clip's end (tiny.en, Piper's voice)
    ([("A", 0.0, 0.42), ("request", 0.42, 0.8), ("hits", 0.8, 1.06), ("the", 1.06, 1.26), ("gateway.", 1.26, 1.4)]
     + [(w, 1.4, 1.4) for w in "A request hits the gateway.".split()],
     "A request hits the gateway."),
    ([("The", 0.0, 0.26), ("limiter", 0.26, 0.66), ("increments", 0.66, 1.1), ("a", 1.1, 1.38),
      ("counter.", 1.38, 1.62)] + [(w, 1.62, 1.62) for w in "The limiter increments a".split()]
     + [("counter.", 1.62, 1.64)],
     "The limiter increments a counter."),
    ([("the", 0.0, 0.26), ("limiter", 0.26, 0.66), ("increments", 0.66, 1.1), ("a", 1.1, 1.36),
      ("counter.", 1.36, 1.58)] + [(w, 1.6, 1.6) for w in "The limiter increments a counter.".split()]
     + [(w, 1.86, 1.86) for w in "The limiter increments a".split()],
     "the limiter increments a counter."),
    ([("Before", 0.0, 0.46), ("I", 0.46, 0.7), ("start...", 0.7, 1.14)]
     + [(w, 1.14, 1.14) for w in "Before I start... Before".split()],
     "Before I start..."),
    ([("Two", 0.0, 0.18), ("numbers", 0.18, 0.54), ("per", 0.54, 0.82), ("key.", 0.82, 1.0)]
     + [(w, 1.0, 1.0) for w in "Two numbers per key.".split()],
     "Two numbers per key."),
    ([(w, i * 0.3, i * 0.3 + 0.25) for i, w in enumerate("Which calls the limiter with the ADI".split())]
     + [("key.", 2.02, 2.28)] + [(w, 2.28, 2.28) for w in "Which calls the limiter with the ABI key.".split()],
     "Which calls the limiter with the ADI key."),
])
def test_a_tail_decoded_from_the_silence_is_cut(heard, kept):
    out = cleaned(timed(heard))
    assert out.text == kept


@pytest.mark.parametrize("heard", [
    [("I", 0.0, 0.1), ("would", 0.1, 0.3), ("shard", 0.3, 0.6), ("it.", 0.6, 0.6)],  # no gap before it
    [("Yes.", 0.4, 0.4)],  # nothing but a word without length: left alone
    [("Yes", 0.0, 0.3), ("no", 0.3, 0.6)],
    # words without length right after the last, not a copy of it: a fast end Whisper could not align
    [("We", 0.0, 0.2), ("use", 0.2, 0.4), ("Redis", 0.4, 0.8), ("for", 0.8, 0.8), ("the", 0.8, 0.8),
     ("counters.", 0.8, 0.8)],
    # a copy that is only two words long: left alone (people do say "per key, per key")
    [("per", 0.0, 0.2), ("key,", 0.2, 0.5), ("per", 0.5, 0.5), ("key.", 0.5, 0.5)],
    # a phrase really said twice takes its time both times
    [(w, i * 0.3, i * 0.3 + 0.25) for i, w in enumerate("we shard it by user, we shard it by user.".split())],
])
def test_words_with_their_audio_stay(heard):
    t = timed(heard)
    assert cleaned(t) is t
