"""A round's hearing by meaning: key points established, myths asserted, which question an answer answers.

`RoundHearing(rnd, embedder)` embeds the round's catalog once (key points and their plain forms, each
myth's claim, forms and truth, the questions with their probes); `hear(text, question_id)` embeds the
text's windows once (app.hearing.meaning) and returns a `Heard`:
  points     each key point of the question in play (all questions when none is known): established,
             partial, missing or contradicted, with the window that came closest
  myths      the round's misconceptions the text asserts by meaning (app.hearing.claims.Claim, by="meaning")
  near      every window that asserts something near a myth (at meaning.NEAR, with its similarity): the
            interviewer never says these back, and probes the myth at meaning.PROBE; the scorer ignores them
  relevance  the similarity of the text to each question of the round

Blocking (the embedder): call from a worker thread. `for_round()` keeps one per round per process;
`preload()` builds them before serving (app.main's lifespan).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from app.catalog import Catalog, Round
from app.hearing import meaning as M
from app.hearing import vector_file
from app.hearing.claims import Claim
from app.hearing.embedder import Embedder, EmbedderError, MiniLM, get_embedder
from app.hearing.words import heard_as, stem, tokenize

log = logging.getLogger("viva.hearing")

ESTABLISHED, PARTIAL, MISSING, CONTRADICTED = "established", "partial", "missing", "contradicted"


@dataclass(frozen=True)
class PointHeard:
    question_id: str
    id: str
    dimension: str
    weight: int
    status: str
    similarity: float
    start: int = 0  # the closest window's span in the text (when not missing)
    end: int = 0


@dataclass
class Heard:
    text: str
    points: list[PointHeard] = field(default_factory=list)
    myths: list[Claim] = field(default_factory=list)
    near: list[Claim] = field(default_factory=list)  # for the interviewer only: see meaning.NEAR and PROBE
    close: list[Claim] = field(default_factory=list)  # ... and at meaning.UNSAID, whatever the truth's distance
    relevance: dict[str, float] = field(default_factory=dict)  # question id -> similarity

    def best_question(self) -> str | None:
        return max(self.relevance, key=self.relevance.get) if self.relevance else None


_NUMBERS = re.compile(r"\d|\b(?:hundred|thousand|million|billion|per second|a day|a month|bytes|[kmgt]b|"
                      r"(?:kilo|mega|giga|tera)bytes)\b", re.IGNORECASE)
_STOP = {stem(w) for w in ("the a an is are be to of in on and or for it its that this with as by at from we you i "
                           "they our your just so but not no do does can will would should all any every use "
                           "make makes made get gets always never").split()}


def _content(text: str) -> set[str]:
    return {t.stem for t in tokenize(text) if t.stem not in _STOP and len(t.stem) > 2}


def _by_meaning(m) -> bool:
    """Whether a myth can be heard by meaning: not a claim about numbers (embeddings do not check arithmetic:
    "three million a day is 35 per second" sits as close to "wrong seconds arithmetic" as the wrong sum)."""
    return not _NUMBERS.search(m.claim)


def _myth_wordings(m) -> tuple[str, ...]:
    """The claim only. Not the spoken forms: they are lexical patterns, and out of their sentence even a long
    one ("filter the last 30 days", a form of "HAVING runs before GROUP BY") says something true. Not the
    plain wordings either: measured (bench/myth_recall.py), they heard no more of the independent wrong
    claims (5 of 66 turns either way) and raised false alarms on correct answers from 2 to 5 of 264."""
    return (m.claim,)


def _truth_wordings(m) -> tuple[str, ...]:
    """What the claim is held against: the truth, the correction and the plain ways a strong candidate says the
    truth (a correct sentence closer to the truth's wordings is not heard as the myth: false alarms on the
    independent fixtures 2 -> 1 of 264, wrong claims heard unchanged)."""
    return tuple(filter(None, (m.truth, m.correction, *m.truth_plain)))


class RoundHearing:
    def __init__(self, rnd: Round, embedder: Embedder):
        self.round = rnd
        self.embedder = embedder
        self.points: dict[str, M.StatementSet] = {}
        self._kp: dict[str, list] = {}
        if rnd.keys is not None:
            for q in rnd.prompt.questions:
                kps = rnd.keys.points(q.id)
                self._kp[q.id] = kps
                self.points[q.id] = M.StatementSet(
                    [M.Statement(k.id, k.wordings, k.dimension, k.weight) for k in kps], embedder)
        items = list(rnd.rubric.misconceptions)
        self._myths = items
        self._claim_words = [_content(m.claim) for m in items]
        self.myths = M.StatementSet([M.Statement(m.id, _myth_wordings(m), m.dimension) for m in items], embedder)
        self.truths = M.StatementSet(
            [M.Statement(m.id, _truth_wordings(m), m.dimension) for m in items], embedder)
        self.questions = M.StatementSet(
            [M.Statement(q.id, (q.text, *(p.text for p in q.probes),
                                *(k.point for k in (rnd.keys.points(q.id) if rnd.keys else ()))))
             for q in rnd.prompt.questions], embedder)

        self._question_texts = embedder.embed([q.text for q in rnd.prompt.questions])

    def catalog_texts(self) -> list[str]:
        """Every text of the round this hearing embedded (what start-up keeps on disk)."""
        sets = [*self.points.values(), self.myths, self.truths, self.questions]
        return [t for s in sets for t in s.texts] + [q.text for q in self.round.prompt.questions]

    def asked(self, text: str) -> tuple[str, float]:
        """The question of the round an interviewer's words are closest to, and how close (cosine)."""
        sims = self._question_texts @ self.embedder.embed([text])[0]
        best = int(np.argmax(sims))
        return self.round.prompt.questions[best].id, float(sims[best])

    @property
    def has_keys(self) -> bool:
        return bool(self.points)

    def hear(self, text: str, question_ids: Iterable[str] | None = None) -> Heard:
        """What `text` (one answer, or one turn) establishes of the key points of `question_ids` (every
        question of the round when None), which myths it asserts, and how close it is to each question."""
        heard = Heard(text)
        wins = M.windows(text)
        if not wins:
            return heard
        vecs = self.embedder.embed([heard_as(w.text) for w in wins])  # "readies" heard as Redis
        rel, _ = self.questions.similarity(vecs)
        for col, st in enumerate(self.questions.statements):
            top = np.sort(rel[:, col])[-3:]
            heard.relevance[st.id] = float(top.mean())
        qids = list(question_ids) if question_ids is not None else list(self.points)
        for qid in qids:
            if qid in self.points:
                heard.points += self._points(qid, wins, vecs)
        sims = self._myth_sims(vecs)
        heard.myths = self._myth_claims(wins, sims)
        heard.near = self._myth_claims(wins, sims, M.NEAR, near=True)
        heard.close = self._myth_claims(wins, sims, M.UNSAID, near=True, margin=-1.0)
        return heard

    def _points(self, qid: str, wins: list[M.Window], vecs: np.ndarray) -> list[PointHeard]:
        sset = self.points[qid]
        best, which = sset.similarity(vecs)
        out = []
        for col, st in enumerate(sset.statements):
            order = np.argsort(-best[:, col])
            status, sim, span = MISSING, float(best[order[0], col]), (0, 0)
            for row in order:
                s = float(best[row, col])
                if s < M.PARTIAL:
                    break
                w = wins[row]
                if not M.polarity(w.text, sset.texts[which[row, col]]):
                    if status == MISSING:
                        status, sim, span = CONTRADICTED, s, (w.start, w.end)
                    continue
                status, sim, span = (ESTABLISHED if s >= M.ESTABLISHED else PARTIAL), s, (w.start, w.end)
                break
            out.append(PointHeard(qid, st.id, st.dimension, int(st.weight), status, sim, *span))
        return out

    def asserted(self, text: str, bar: float) -> list[Claim]:
        """Every window of `text` that asserts something at `bar` or closer to a myth (the interviewer's test,
        `_myth_claims(near=True)`), each with its closest such myth: bench/myth_recall.py sweeps bars with it."""
        wins = M.windows(text)
        if not wins:
            return []
        vecs = self.embedder.embed([heard_as(w.text) for w in wins])
        return self._myth_claims(wins, self._myth_sims(vecs), bar, near=True)

    def _myth_sims(self, vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        claim_sim, which = self.myths.similarity(vecs)
        truth_sim, _ = self.truths.similarity(vecs)
        return claim_sim, which, truth_sim

    def _myth_claims(self, wins: list[M.Window], sims: tuple[np.ndarray, np.ndarray, np.ndarray],
                     bar: float = M.MYTH, near: bool = False, margin: float = M.MYTH_MARGIN) -> list[Claim]:
        """The myths the windows assert at `bar`: each myth once, at the first window that asserts it. `near`
        (the interviewer's lower bars, M.NEAR and M.PROBE): every window that asserts one, with the closest,
        and a compound claim's part asserted is enough (meaning.asserts_part)."""
        if not len(self.myths):
            return []
        claim_sim, which, truth_sim = sims
        found: dict[str, Claim] = {}
        every: list[Claim] = []
        for row, w in enumerate(wins):
            if len(w.text.split()) < M.MYTH_MIN_WORDS:
                continue
            for col in np.argsort(-claim_sim[row]):
                c = float(claim_sim[row, col])
                if c < bar:
                    break
                m = self._myths[col]
                if (m.id in found and not near) or c - float(truth_sim[row, col]) < margin \
                        or not _by_meaning(m):
                    continue
                if not _content(w.text) & self._claim_words[col]:  # the window names nothing the claim is about
                    continue
                wording = self.myths.texts[which[row, col]]
                if not (M.asserts_part(w.text, wording, _content) if near else M.polarity(w.text, wording)):
                    continue
                claim = Claim(m, w.start, w.end, w.start, w.end, by="meaning", similarity=c)
                found.setdefault(m.id, claim)
                every.append(claim)
                break  # one myth per window: the closest
        return every if near else sorted(found.values(), key=lambda c: c.span_start)


_LOCK = threading.Lock()
_HEARINGS: dict[str, tuple[Round, RoundHearing | None]] = {}  # round id -> (that round, its hearing)


def for_round(rnd: Round, threads: int = 1) -> RoundHearing | None:
    """The round's hearing (built on first use, rebuilt for a reloaded round, whose texts the embedder has
    cached; None when the embedder cannot load: signals only)."""
    with _LOCK:
        held = _HEARINGS.get(rnd.id)
        if held is None or held[0] is not rnd:
            try:
                held = (rnd, RoundHearing(rnd, get_embedder(threads)))
            except EmbedderError as exc:
                log.error("hearing by meaning off (signals only): %s", exc)
                held = (rnd, None)
            _HEARINGS[rnd.id] = held
        return held[1]


def preload(catalog: Catalog, threads: int = 1, cache_dir: Path | None = None) -> None:
    """Embed every round's catalog now (blocking: run it in a worker thread before serving), reading the
    vectors of an earlier run from `cache_dir` and keeping them there for the next (app.hearing.vector_file)."""
    try:
        embedder = get_embedder(threads)
    except EmbedderError as exc:
        log.error("hearing by meaning off (signals only): %s", exc)
        return
    path = vector_file.path_for(cache_dir, embedder.recipe) if cache_dir and isinstance(embedder, MiniLM) else None
    known = vector_file.load(path, embedder.dim) if path else {}
    if path:
        embedder.remember(known)
    hearings = [h for rnd in catalog if (h := for_round(rnd, threads)) is not None]
    if path:
        vectors = embedder.stored(t for h in hearings for t in h.catalog_texts())
        if vectors.keys() - known.keys():
            vector_file.save(path, vectors)
        log.info("catalog vectors: %d texts, %d read from %s", len(vectors), len(vectors.keys() & known.keys()),
                 path)
