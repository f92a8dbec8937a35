"""P(sentence end) read after the words a transcript kept of a decoding (app/voice/stt/sentence_end.py): a
repetition loop cut back by the cleaner keeps the probability of its first ending."""

from __future__ import annotations

import numpy as np

from app.voice.stt.sentence_end import EndReader

VOCAB = [".", "?", ",", " Does", " that", " answer", " it", "<eot>"]


class Tokenizer:
    eot = 7

    class tokenizer:  # noqa: N801 - the shape of faster-whisper's Tokenizer.tokenizer
        @staticmethod
        def get_vocab_size() -> int:
            return len(VOCAB)

    @staticmethod
    def decode(ids: list[int]) -> str:
        return "".join(VOCAB[i] for i in ids)


def logits(rows: list[dict[int, float]]) -> np.ndarray:
    """One row per decoding step: the distribution it drew token `step` from."""
    out = np.zeros((len(rows), len(VOCAB)), dtype=np.float32)
    for step, favoured in enumerate(rows):
        for token, value in favoured.items():
            out[step, token] = value
    return out


LOOP = [3, 4, 5, 6, 1, 3, 4]  # "Does that answer it? Does that": capped, no step after the last token
STEPS = logits([{3: 9}, {4: 9}, {5: 9}, {6: 9}, {1: 9, 2: 9}, {3: 9}, {4: 9}])  # at "?": "?" or "," alike


def test_a_loop_cut_back_keeps_the_probability_of_its_first_ending():
    reader = EndReader(Tokenizer(), LOOP, STEPS)
    p = reader.at("Does that answer it?")
    assert p is not None and 0.45 < p < 0.55  # the step that wrote "?": "?" against "," (and the rest)
    assert reader.at("Earlier words. Does that answer it?") == p  # several windows: this one is the last


def test_no_probability_where_the_decoding_has_no_step_after_the_words():
    reader = EndReader(Tokenizer(), LOOP, STEPS)
    assert reader.at("Does that answer it? Does that") is None  # the cap: nothing decoded after it
    assert reader.at("Something else entirely.") is None
    assert reader.at("") is None


def test_a_whole_decoding_reads_the_step_after_its_last_word():
    reader = EndReader(Tokenizer(), [3, 4, 5, 6], logits([{3: 9}, {4: 9}, {5: 9}, {6: 9}, {7: 9}]))
    assert reader.at("Does that answer it") > 0.99  # the end of text, most likely, after "it"
