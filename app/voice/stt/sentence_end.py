"""How sure Whisper is that the sentence ends where a clip does: its own next-token probabilities.

At a pause, tiny.en writes a cut fragment as a finished sentence ("We store the sessions in Redis.") about
half the time, so its punctuation alone cannot tell a thinking pause from the end of an answer; the turn
model (app/voice/smart_turn.py) scored >= 0.9 on half of such pauses in held-out speech. The decoder has
heard the audio (the pitch, the cut) and read the words: at the step after the last word, the probability it
gives to ".", "?", "!" or the end of the text is a far better sign. Measured on held-out pauses whose words
look finished (the sets of bench/turn_model.py: SAF, independent, LibriVox, Piper cut inside sentences; 44
fragments, 57 real ends), primed with the round's glossary as live: AUC 0.97 against real ends, where the turn
model scored 0.75. Its scale moves with the prompt and the encoder window (without the glossary, or with the full
30 s window, scores run higher): the endpointer's thresholds (`EndSense`) are set for the live setting.

The probability is read from the decoding that makes the transcript (greedy, `return_logits_vocab`): no
extra pass. Where a cleaner cut the decoding back (app/voice/stt/base.py: a repetition loop, a phantom tail, a
cap), it is read after the words kept: the decoder is causal, so the step after them is what it would have
given had it stopped there. Short answers primed with the glossary loop often ("Does that answer your
question? Does that answer your question? Does that"), and the ending's probability was lost with the loop.
It is None where the decoding gave no such step (no words, another provider).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

ENDS = (".", "?", "!")
PUNCTUATION = set(".?!,…;:-")


@functools.lru_cache(maxsize=4)
def _token_sets(tokenizer: Any) -> tuple[np.ndarray, frozenset[int]]:
    """(ids that end a sentence, including the end of text; ids that are punctuation only)."""
    vocab = tokenizer.tokenizer.get_vocab_size()
    ends, marks = [tokenizer.eot], set()
    for i in range(min(vocab, tokenizer.eot)):
        text = tokenizer.decode([i]).strip()
        if text and all(c in PUNCTUATION for c in text):
            marks.add(i)
            if text in ENDS:
                ends.append(i)
    return np.array(sorted(ends)), frozenset(marks)


def end_probability(tokenizer: Any, tokens: list[int], logits: Any) -> float | None:
    """P(the sentence ends after the last word) from one hypothesis' decoded `tokens` and its per-step
    `logits` (a [steps, vocab] array-like, one step per token and one for the end of text)."""
    if logits is None:
        return None
    ends, marks = _token_sets(tokenizer)
    k = len(tokens)
    while k > 0 and tokens[k - 1] in marks:  # the step that wrote the closing punctuation
        k -= 1
    steps = np.asarray(logits)
    if k == 0 or steps.ndim != 2 or k >= steps.shape[0]:
        return None
    row = steps[k].astype(np.float64)
    row = np.exp(row - row.max())
    return float(row[ends].sum() / row.sum())


class EndReader:
    """One decoding's tokens and per-step logits: P(sentence end) after the words a transcript kept of it."""

    def __init__(self, tokenizer: Any, tokens: list[int], logits: Any) -> None:
        self.tokenizer, self.tokens, self.logits = tokenizer, tokens, logits

    def at(self, text: str) -> float | None:
        """P(sentence end) after `text`, which ends with a prefix of this decoding (its whole text, the text
        cut back by a cleaner, or several windows' text whose last window this is); None if it does not."""
        want = "".join(text.split())
        for m in range(len(self.tokens), 0, -1):  # the longest prefix that ends the text
            said = "".join(self.tokenizer.decode(self.tokens[:m]).split())
            if said and len(said) <= len(want) and want.endswith(said):
                return end_probability(self.tokenizer, self.tokens[:m], self.logits)
        return None


class EndProbing:
    """A CTranslate2 Whisper whose `generate` also returns each step's logits and hands the last call's
    `EndReader` to `sink`: faster-whisper's `transcribe` calls it inside; everything else passes through."""

    def __init__(self, inner: Any, tokenizer: Any, sink) -> None:
        self._inner, self._tokenizer, self._sink = inner, tokenizer, sink

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("return_logits_vocab", True)
        results = self._inner.generate(*args, **kwargs)
        first = results[0] if results else None
        if first is not None and first.sequences_ids:
            self._sink(EndReader(self._tokenizer, first.sequences_ids[0], _logits(first)))
        return results


def _logits(result: Any) -> Any:
    logits = getattr(result, "logits", None)
    return logits[0] if logits else None


def row_readers(tokenizer: Any, results: list[Any]) -> list[EndReader | None]:
    """One `EndReader` per batch row (None: the row decoded nothing)."""
    return [EndReader(tokenizer, r.sequences_ids[0], _logits(r)) if r.sequences_ids and r.sequences_ids[0]
            else None for r in results]
