"""Grade SAF short answers with the hearing layer (the reference answer plays the key points).

SAF: Filighera, Parihar, Steuer, Meuser, Ochs, "Your Answer is Incorrect... Would you like to know why?
Introducing a Bilingual Short Answer Feedback Dataset", ACL 2022, https://aclanthology.org/2022.acl-long.587
(English part, communication networks; MIT licence; read from ../shared/datasets/saf-english/, never
copied into this repository).

Each reference answer is cut into key points (its lines and sentences, bullets stripped); each student
answer into the hearing layer's windows (app.hearing.meaning). Per answer the features are: how many key
points it establishes by meaning (a soft count and the best match), how close it is to the reference as a
whole (the baseline's one feature), and how close it is to its own question. A least-squares line over
those features, and the two label cut-offs, are fitted on `training/` only; `unseen_answers` and
`unseen_questions` are only measured. "+ graded forms" adds, for questions seen in training, the graded
training answers as more wordings of the reference (as an answer key's `plain` forms are ways candidates
say a point): the score of the most similar graded answers.

    .venv/bin/python bench/saf.py [--data DIR] [--threads 2]

Prints Pearson r with the expert score and three-way accuracy (Correct / Partially correct / Incorrect)
per split, beside the baseline (cosine of answer and reference, cut-offs tuned on training).
Embeddings are cached in ~/.cache/viva/saf-embeddings.npz (delete it to recompute).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.hearing import meaning  # noqa: E402
from app.hearing.words import tokenize  # noqa: E402

_STOP = set("the a an is are be to of in on and or for it its that this with as by at from we you i they "
            "if can will would so not no do does which what when there then than also".split())


def _stems(text):
    return {t.stem for t in tokenize(text) if t.stem not in _STOP and len(t.stem) > 1}

DATA = ROOT.parent.parent / "shared" / "datasets" / "saf-english"
if not DATA.is_dir():
    DATA = Path("/work/shared/datasets/saf-english")
SPLITS = ("training", "unseen_answers", "unseen_questions")
LABELS = ("Incorrect", "Partially correct", "Correct")
CACHE = Path.home() / ".cache" / "viva" / "saf-embeddings.npz"
KNN = 7  # graded answers consulted


@dataclass(frozen=True)
class Answer:
    id: str
    text: str
    score: float
    label: str


@dataclass(frozen=True)
class SafQuestion:
    id: str
    text: str
    reference: str
    answers: tuple[Answer, ...]


def _text(node: ET.Element | None) -> str:
    return " ".join((node.text or "").split()) if node is not None else ""


def parse(path: Path) -> SafQuestion:
    """One SAF XML file (a question, its reference answer, the graded student answers)."""
    root = ET.parse(path).getroot()
    ref = root.find("referenceAnswers/referenceAnswer")
    answers = []
    for a in root.iterfind("studentAnswers/studentAnswer"):
        label = _text(a.find("verification_feedback"))
        answers.append(Answer(a.get("id", ""), _text(a.find("response")), float(_text(a.find("score")) or 0),
                              label if label in LABELS else "Incorrect"))
    return SafQuestion(root.get("id", path.stem), _text(root.find("questionText")),
                       (ref.text or "").strip() if ref is not None else "", tuple(answers))


def load(split_dir: Path) -> list[SafQuestion]:
    return [parse(p) for p in sorted(split_dir.glob("*.xml"))]


_BULLET = re.compile(r"^\s*(?:[-*•]+|\(?\w{1,2}[.)])\s*")


def key_points(reference: str) -> list[str]:
    """The reference answer's lines and sentences, bullets and numbering stripped, headings dropped."""
    points = []
    for line in reference.splitlines():
        line = _BULLET.sub("", line).strip()
        if not line or line.endswith(":") and len(line.split()) <= 6:
            continue
        points += [line[s:e] for s, e in meaning.depth.sentences(line)]
    return points or [reference]


class Vectors:
    """Embeddings of every text the bench needs, cached on disk between runs."""

    def __init__(self, threads: int):
        self.threads = threads
        self.table: dict[str, np.ndarray] = {}
        if CACHE.is_file():
            data = np.load(CACHE)
            self.table = dict(zip(data["keys"].tolist(), data["vecs"], strict=True))

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode()).hexdigest()

    def need(self, texts: list[str]) -> None:
        todo = list(dict.fromkeys(t for t in texts if self.key(t) not in self.table))
        if not todo:
            return
        from app.hearing.embedder import get_embedder

        emb = get_embedder(self.threads)
        t0 = time.perf_counter()
        for k in range(0, len(todo), 512):
            chunk = todo[k:k + 512]
            for text, vec in zip(chunk, emb.embed(chunk), strict=True):
                self.table[self.key(text)] = vec
            self.save()  # a long first run keeps what it has done
            print(f"embedded {k + len(chunk)}/{len(todo)} texts in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    def save(self) -> None:
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        np.savez(CACHE, keys=np.array(list(self.table)), vecs=np.stack(list(self.table.values())))

    def __call__(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.table[self.key(t)] for t in texts]) if texts else np.zeros((0, 384), np.float32)


def answer_windows(text: str) -> list[str]:
    """The answer's sentences (short answers: the hearing layer's sentence windows, without clause and
    pair windows, which add little here and treble the embedding time)."""
    return [text[s:e] for s, e in meaning.depth.sentences(text)] or [text or "-"]


def features(q: SafQuestion, a: Answer, vec: Vectors) -> list[float]:
    points = vec(key_points(q.reference))
    wins = vec(answer_windows(a.text))
    whole = vec([a.text or "-"])[0]
    best = (wins @ points.T).max(axis=0)  # each key point's best window
    soft = np.clip((best - 0.35) / (0.75 - 0.35), 0, 1)
    return [float(whole @ vec([q.reference])[0]), float(soft.mean()), float(best.max()), float(best.mean()),
            float(np.sort(soft)[-min(4, len(soft)):].mean()), float(whole @ vec([q.text])[0]),
            min(len(a.text.split()), 120) / 120, *_lex(q, a)]


def _lex(q, a):
    ref, ans, qs = _stems(q.reference), _stems(a.text), _stems(q.text)
    new_ref = ref - qs  # words of the reference not given away by the question
    return [len(ref & ans) / max(len(ref), 1), len(ref & ans) / max(len(ans), 1),
            len(new_ref & ans) / max(len(new_ref), 1)]


def texts_of(questions: list[SafQuestion]) -> list[str]:
    out = []
    for q in questions:
        out += [q.reference, q.text, *key_points(q.reference)]
        for a in q.answers:
            out += [a.text or "-", *answer_windows(a.text)]
    return out


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    design = np.c_[x, np.ones(len(x))]
    return np.linalg.lstsq(design, y, rcond=None)[0]


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.c_[x, np.ones(len(x))] @ w


def cutoffs(pred: np.ndarray, labels: list[str]) -> tuple[float, float]:
    """The two cut-offs (Incorrect | Partially | Correct) with the best accuracy on training."""
    grid = np.quantile(pred, np.linspace(0.02, 0.98, 49))
    best, cut = -1.0, (0.0, 0.0)
    for lo in grid:
        for hi in grid[grid >= lo]:
            acc = accuracy(classify(pred, (lo, hi)), labels)
            if acc > best:
                best, cut = acc, (float(lo), float(hi))
    return cut


def classify(pred: np.ndarray, cut: tuple[float, float]) -> list[str]:
    return [LABELS[0] if p < cut[0] else LABELS[1] if p < cut[1] else LABELS[2] for p in pred]


def accuracy(got: list[str], want: list[str]) -> float:
    return sum(g == w for g, w in zip(got, want, strict=True)) / len(want)


def knn_scores(q: SafQuestion, graded: dict[str, list[tuple[np.ndarray, float]]], vec: Vectors,
               exclude_self: bool) -> np.ndarray:
    """Per answer: the similarity-weighted score of the KNN most similar graded answers to the same question."""
    bank = graded.get(q.id, [])
    if not bank:
        return np.full(len(q.answers), np.nan)
    mat = np.stack([v for v, _ in bank])
    scores = np.array([s for _, s in bank])
    out = []
    for a in q.answers:
        sims = mat @ vec([a.text or "-"])[0]
        if exclude_self:
            sims[np.isclose(sims, 1.0, atol=1e-5)] = -1
        top = np.argsort(-sims)[:KNN]
        w = np.clip(sims[top], 0.01, None) ** 4
        out.append(float((w * scores[top]).sum() / w.sum()))
    return np.array(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    splits = {s: load(args.data / s) for s in SPLITS}
    vec = Vectors(args.threads)
    for qs in splits.values():
        vec.need(texts_of(qs))
    graded = {q.id: [(vec([a.text or "-"])[0], a.score) for a in q.answers] for q in splits["training"]}

    data = {}
    for name, qs in splits.items():
        x = np.array([features(q, a, vec) for q in qs for a in q.answers])
        knn = np.concatenate([knn_scores(q, graded, vec, name == "training") for q in qs])
        y = np.array([a.score for q in qs for a in q.answers])
        labels = [a.label for q in qs for a in q.answers]
        data[name] = (x, knn, y, labels)

    x, knn, y, labels = data["training"]
    models = {
        "baseline (cosine to reference)": (lambda x, k: x[:, :1]),
        "hearing: key points by meaning": (lambda x, k: x),
        "hearing + graded forms": (lambda x, k: np.c_[x, k]),
    }
    rows = []
    for title, cols in models.items():
        w = fit(cols(x, knn), y)
        cut = cutoffs(predict(w, cols(x, knn)), labels)
        row = [title]
        for split in ("unseen_answers", "unseen_questions"):
            xs, ks, ys, ls = data[split]
            if np.isnan(ks).any() and "graded" in title:
                row += ["-", "-"]
                continue
            p = predict(w, cols(xs, ks))
            row += [f"{np.corrcoef(p, ys)[0, 1]:.2f}", f"{accuracy(classify(p, cut), ls):.2f}"]
        rows.append(row)
    n = {s: sum(len(q.answers) for q in qs) for s, qs in splits.items()}
    print(f"SAF English (train {n['training']}, unseen answers {n['unseen_answers']}, "
          f"unseen questions {n['unseen_questions']} answers); fitted on training only")
    print("| grader | r, unseen answers | acc., unseen answers | r, unseen questions | acc., unseen questions |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
