"""Several clips in one faster-whisper pass: one encoder call and one greedy decode for the batch.

When candidates of several sessions pause at about the same time, their clips wait together. Decoding
them as one batch costs far less than one after another (the decoder's per-token steps are matrix-vector
work that a batch turns into matrix-matrix work; measured in bench/stt_batch.py), so the last clip of a
burst is ready sooner. Each clip gets what `WhisperTranscriber.transcribe` would give it:

- its own features, cut to its own frames and padded with silence to its window (`window_frames`); the
  batch's shorter clips get a little more trailing silence, up to the longest window in the batch;
- its prompt (glossary and the turn's earlier words), brought to the length of the batch's longest,
  because CTranslate2 needs <|startoftranscript|> at the same position in every row (`_prompts`);
- greedy decoding without timestamp tokens, at most its own token cap (`max_tokens`), no sampled
  fallback; a clip faster-whisper would skip as silence (no-speech probability over 0.6 and an average
  log-probability under -1) comes back empty;
- word times from the cross-attention alignment.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from app.voice.stt.sentence_end import EndReader, row_readers

NO_SPEECH_MIN = 0.6  # faster-whisper's no_speech_threshold
LOGPROB_MIN = -1.0  # ... log_prob_threshold
PREPEND = "\"'“¿([{-"  # ... prepend_punctuations
APPEND = "\"'.。,，!！?？:：”)]}、"  # ... append_punctuations
MAX_INITIAL_TIMESTAMP_INDEX = 50  # ... max_initial_timestamp (1 s) / time precision (0.02 s)


def tokenizer(model: Any) -> Any:
    cached = getattr(model, "_viva_tokenizer", None)
    if cached is None:
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        cached = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en")
        cached.suppress = get_suppressed_tokens(cached, [-1])
        model._viva_tokenizer = cached
    return cached


def _prompts(tokenizer: Any, prompts: list[str | None], keep_max: int) -> list[list[int]]:
    """One prompt row per clip, all of one length: a shorter one is its own words repeated and cut from
    the left to the longest (a glossary reads the same twice). Measured on 13 clips against trimming all
    rows to the shortest (which drops the glossary of the longer ones) and against padding with "..."
    tokens: WER 16.9 % vs 19.3 % and 18.1 % (one call each: 19.9 %). Prompts are all empty or none is
    (`decode_batch` splits the batch): filler before an empty prompt made tiny.en loop."""
    earlier = [tokenizer.encode(" " + p.strip())[-keep_max:] if p and p.strip() else [] for p in prompts]
    longest = max(len(e) for e in earlier)
    if not longest:
        return [[*tokenizer.sot_sequence, tokenizer.no_timestamps] for _ in earlier]
    rows = [e * (longest // len(e) + 1) for e in earlier]
    return [[tokenizer.sot_prev, *row[-longest:], *tokenizer.sot_sequence, tokenizer.no_timestamps] for row in rows]


def decode_batch(model: Any, clips: list[np.ndarray], prompts: list[str | None], windows: list[int],
                 caps: list[int], beam_size: int = 1) -> list[tuple[str, list[dict], EndReader | None]]:
    """(text, words, what reads P(sentence end) after them: app/voice/stt/sentence_end.py) per clip. `model`: a
    faster-whisper WhisperModel; `windows`: each clip's encoder frames (clip plus its silence); `caps`: each clip's most
    tokens."""
    prompted = [bool(p and p.strip()) for p in prompts]
    if any(prompted) and not all(prompted):  # clips with a prompt and clips without: two batches
        out: list[tuple[str, list[dict], EndReader | None]] = [("", [], None)] * len(clips)
        for want in (True, False):
            part = [i for i, has in enumerate(prompted) if has == want]
            got = decode_batch(model, [clips[i] for i in part], [prompts[i] for i in part],
                               [windows[i] for i in part], [caps[i] for i in part], beam_size)
            for i, result in zip(part, got, strict=True):
                out[i] = result
        return out
    tok = tokenizer(model)
    feats = [model.feature_extractor(clip) for clip in clips]
    content = [f.shape[-1] - 1 for f in feats]  # faster-whisper drops the last frame
    width = max(max(windows), max(content))
    batch = np.zeros((len(clips), feats[0].shape[0], width + width % 2), dtype=np.float32)
    for row, (f, n) in enumerate(zip(feats, content, strict=True)):
        batch[row, :, :n] = f[:, :n]
    encoded = model.encode(batch)
    rows = _prompts(tok, prompts, model.max_length // 2 - 1)
    results = model.model.generate(
        encoded, rows, beam_size=beam_size, length_penalty=1, repetition_penalty=1, no_repeat_ngram_size=0,
        max_length=min(model.max_length, len(rows[0]) + max(caps)), return_scores=True, return_no_speech_prob=True,
        suppress_blank=True, suppress_tokens=tok.suppress, return_logits_vocab=True,
        max_initial_timestamp_index=MAX_INITIAL_TIMESTAMP_INDEX)
    texts = []
    segments: list[list[dict]] = []
    for result, n, cap in zip(results, content, caps, strict=True):
        tokens = result.sequences_ids[0]
        avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
        if result.no_speech_prob > NO_SPEECH_MIN and avg_logprob < LOGPROB_MIN:
            tokens = []  # silence, as faster-whisper would skip it
        tokens = tokens[:cap]
        text = tok.decode(tokens).strip()
        seconds = n * model.feature_extractor.time_per_frame
        segments.append([{"tokens": tokens, "start": 0.0, "end": seconds, "seek": 0, "text": text}] if tokens else [])
        texts.append(text)
    ends = row_readers(tok, results)
    aligned = [i for i, s in enumerate(segments) if s]
    if aligned:
        if len(aligned) < len(segments):  # only the rows with words to place
            import ctranslate2

            encoded = ctranslate2.StorageView.from_array(np.ascontiguousarray(np.asarray(encoded)[aligned]))
        model.add_word_timestamps([segments[i] for i in aligned], tok, encoded, [content[i] for i in aligned],
                                  PREPEND, APPEND, 0.0)
    return [(text, segments[i][0].get("words") or [] if segments[i] else [], ends[i])
            for i, text in enumerate(texts)]
