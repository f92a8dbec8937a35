"""Turn detection: voice activity (Silero VAD) over the stream, cut into chunks and turns.

Pure and synchronous: feed samples, get events. No clocks other than the audio itself (a sample
index), so tests drive it with synthetic input and a fake detector.

Vocabulary of the events:
- a *pause* starts when speech has been silent for `pause_ms` (200 ms): the endpointer emits
  `SpeechEnd` and a speculative `Chunk` with all audio of the open chunk, so the session can start
  transcribing it while the candidate may still go on (pre-transcription);
- if speech resumes, that chunk is committed (`Chunk.index` stays taken) when it is at least
  `min_chunk_ms` long, else `ChunkCancelled` and the next chunk includes it again;
- the *turn* ends (`TurnEnd`) after a silence whose length depends on what was said so far
  (`hold_ms`): sooner after a complete sentence, later after "and", "because", "um", a comma...
  The words come from the pause's own pre-transcription (`set_hint`); until they arrive the turn is
  held up to `word_wait_ms` past the base silence, so the decision is made with the words in hand
  and the final transcript is (almost always) ready the moment the turn ends;
- the recogniser's own P(the sentence ends here) for the pause (`Transcript.end_p`,
  app/voice/stt/sentence_end.py) comes with the words: below `unfinished_below` the words are taken as
  mid-thought however they are punctuated (tiny.en writes a cut fragment as a sentence half the time);
  at or above `sure_at` (`EndSense`), a finished sentence is answered sooner even with an open question in play;
- a turn model's P(complete) for the pause's audio (`set_turn_score`, app/voice/smart_turn.py) only
  shortens that wait: at or above `complete_at`, with words that end a sentence, do not dangle and do not
  sound unfinished (`sounds_finished`), the turn ends at once;
- or the turn ends immediately on `force_end()`, or by splitting at `max_turn_s` (never dropping audio).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from app.interviewer.intents import announces_pause
from app.voice.frames import ms_to_samples, samples_to_ms
from app.voice.handover import hands_over
from app.voice.vad import WINDOW, SpeechDetector

# Words after which a sentence is not over: conjunctions, fillers, articles, prepositions, auxiliaries.
CONTINUATIONS = frozenset(
    """and or but so because since although though while whereas then than if when where which who
    whose that um uh er erm ah hmm mm like well also plus basically actually meaning i'd i'm we'd
    a an the to of in on for with by from at into onto about via per my our your their its this these
    those is are was were be been being am will would could should can may might must have has had do
    does did not no very more most less such as e.g. i.e. etc let's within across between toward towards among
    during upon beyond until including i we they he she""".split()  # (not "before", "after", "through", "over":
    # they end clauses; a subject pronoun without its verb, "... And we", does not)
)
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z'.]*)\W*$")
_WORDS = re.compile(r"[a-z0-9']+")
# A list item has just been announced: "two options here, first ...", "so the first thing is ...", "second ...".
_LIST_MARK = re.compile(r"\b(first(ly)?|second(ly)?|third(ly)?|next|number (one|two|three)|step (one|two|three)|"
                        r"(two|three|four|a few|several|couple of) (things|options|ways|parts|steps|reasons|"
                        r"approaches|problems|concerns|questions))\b")
LIST_TAIL_WORDS = 3  # words after the marker that still count as "just announced"
# A modal right before the last word: the verb's object is still to come ("for consistency I would use").
MODALS = frozenset("would will could should can might must shall i'd we'd you'd they'd i'll we'll".split())
# With an open question in play, a "complete" sentence the recogniser is not sure ended is held past a 1 s pause,
# however long the answer already is: deep into a long answer a thinking pause follows a finished sentence as often
# as the end does (bench/turn_model.py --after-sentences 3: the turn's length no longer tells them apart; until
# 5 Dec, late night, an answer of 25 words or more was answered soon, and 13 % of such pauses were cut into).
# A sentence under SHORT_WORDS is held however sure the recogniser is: a claim whose reason follows ("The time
# complexity is O of n log n." | "Because of the sort ..."; over the pauses of bench/turn_model.py's sets, a cut-in
# counted until the speech is heard going on, it took 37 cut-ins of 662 to 32, for 13 ms more mean wait at real
# ends).
SHORT_WORDS = 10
# Thinking pauses run to 1.5 s and more. Mid-thought ("... because", "the first thing is") the candidate is
# surely going on: wait past such a pause. After a short "complete" sentence with an open question in play,
# wait past a 1 s pause (the turn model ends a turn that sounds finished sooner: EndpointConfig.complete_at).
# "Past" as the endpointer hears a pause: from the end of speech the voice detector saw to the resumed speech
# it has confirmed (start_windows), a pause of 1.0 s measures 1.04-1.23 s and one of 1.5 s 1.52-1.84 s (p95
# 1.69 s; 645 pauses of bench/turn_model.py's Piper and LibriVox sets). A turn closed in that margin is closed
# after the candidate went on.
DANGLING_HOLD_MS = 2000
PATIENT_HOLD_MS = 1250
# Words that look finished but that the recogniser hears as cut off: past a 1.5 s thinking pause, not as long
# as after "and" (a real end that merely sounds unsure waits this long).
DOUBT_HOLD_MS = 1750


def _list_open(lowered: str) -> bool:
    """A list item was announced in the last few words and not yet closed by a sentence end ("second a
    sliding window." is the item said): the next words are coming."""
    marks = [m.end() for m in _LIST_MARK.finditer(lowered)]
    if not marks:
        return False
    tail = lowered[marks[-1]:]
    said = len(_WORDS.findall(tail))
    return said == 0 or (said <= LIST_TAIL_WORDS and not tail.rstrip().endswith((".", "?", "!")))


def dangling(text: str) -> bool:
    """The words stop mid-thought: a conjunction, a filler, an article, a comma, a list just announced,
    a modal before its verb's object ("... I would use")."""
    stripped = text.strip()
    match = _LAST_WORD.search(stripped)
    last = match.group(1).lower().rstrip(".") if match else ""
    if last in CONTINUATIONS or stripped.endswith((",", "...", "…", "-", ":", ";")):
        return True
    if _list_open(stripped.lower()):
        return True
    words = _WORDS.findall(stripped.lower())
    return len(words) >= 2 and words[-2] in MODALS


def finished(text: str) -> bool:
    """The words end a sentence (the recogniser's punctuation) and do not dangle: what the turn model must
    agree with before it may end a turn early."""
    stripped = text.strip()
    return stripped.endswith((".", "?", "!")) and not dangling(stripped)


@dataclass(frozen=True)
class EndSense:
    """How the recogniser's P(sentence end) at a pause (`Transcript.end_p`: tiny.en, the live 3 s window and
    the round's glossary prompt) is read. Measured on pauses inside sentences (bench/turn_model.py --sets
    saf,independent,librivox,piper-whole): of 44 whose words looked finished, 6 scored >= 0.7 and 2 >= 0.8; of
    57 real answer ends, 56 and 50."""

    unfinished_below: float = 0.75  # under this the words are taken as mid-thought, whatever their punctuation
    sure_at: float = 0.85  # at or above this a finished sentence of SHORT_WORDS or more needs no patience


def heard_finished(text: str, end_p: float | None, sense: EndSense = EndSense()) -> bool:
    """The recogniser wrote a sentence end (not a trailing "...") and does not hear it as cut off. That overrules
    a last word that often dangles but may end a sentence ("... you were looking for?", "... as well.", "...
    should be forwarded to.": on the held-out pauses of bench/turn_model.py, no cut fragment read so)."""
    stripped = text.strip()
    return (stripped.endswith((".", "?", "!")) and not stripped.endswith(("...", "…")) and end_p is not None
            and end_p >= sense.unfinished_below)


def sounds_finished(text: str, end_p: float | None, sense: EndSense = EndSense()) -> bool:
    """`finished` words the recogniser does not hear as cut off (without its sense: the words alone), or words that
    hand the floor over (app/voice/handover.py)."""
    if announces_pause(text):
        return False
    return hands_over(text) or (heard_finished(text, end_p, sense) if end_p is not None else finished(text))


def soon_ms(base_ms: int) -> int:
    """The hold after a complete sentence that needs no patience: sooner than the base."""
    return max(base_ms * 6 // 10, 300)


def hold_ms(text: str | None, base_ms: int, patient: bool = False, end_p: float | None = None,
            sense: EndSense = EndSense()) -> int:
    """Silence that ends a turn, given the words transcribed so far (None: not known yet) and the
    recogniser's P(the sentence ends there) (None: not known).

    Mid-thought (a conjunction, a filler, an article, a comma, a list in progress) or a pause announced ("let me
    think"): DANGLING_HOLD_MS (at least twice the base); words the recogniser hears as cut off: DOUBT_HOLD_MS. A
    complete sentence: sooner, unless an open question is in play (`patient`: a design question invites long
    answers with pauses) and the answer is still short (under SHORT_WORDS) or the recogniser is not sure it ended
    (or has no say: a remote recogniser): then PATIENT_HOLD_MS. A closing or a question put to the interviewer
    (app/voice/handover.py): soonest, whatever the recogniser's punctuation and P(sentence end).
    """
    if text is None or not text.strip():
        return base_ms
    stripped = text.strip()
    soon = soon_ms(base_ms)
    mid_thought = max(DANGLING_HOLD_MS, base_ms * 2)  # give them time to go on
    if announces_pause(stripped):
        return mid_thought
    if hands_over(stripped):  # before the words' endings: "That's it," is not mid-thought
        return soon
    if dangling(stripped) and not heard_finished(stripped, end_p, sense):
        return mid_thought
    if end_p is not None and end_p < sense.unfinished_below:
        return max(DOUBT_HOLD_MS, base_ms)  # sounds cut off: likely going on
    if stripped.endswith((".", "?", "!")):
        sure = end_p is not None and end_p >= sense.sure_at
        words = len(_WORDS.findall(stripped.lower()))
        if patient and (words < SHORT_WORDS or not sure):
            return max(PATIENT_HOLD_MS, base_ms)
        return soon
    return base_ms


@dataclass(frozen=True)
class SpeechStart:
    turn: int
    at_ms: int


@dataclass(frozen=True)
class SpeechEnd:
    turn: int
    at_ms: int


@dataclass(frozen=True, eq=False)
class Chunk:
    """Audio of one part of a turn, to transcribe. `speculative`: taken at a pause; may be cancelled."""

    turn: int
    index: int
    start_ms: int
    end_ms: int
    audio: np.ndarray = field(repr=False)
    speculative: bool = False


@dataclass(frozen=True)
class ChunkCancelled:
    turn: int
    index: int


@dataclass(frozen=True)
class TurnEnd:
    turn: int
    start_ms: int  # first speech of the turn
    end_ms: int  # last speech of the turn (or the split point)
    chunks: int  # chunks 0..chunks-1 make up the turn
    reason: str  # "silence" | "end_turn" | "max_length" | "flush"
    decided_ms: int  # stream time at which the turn was closed


Event = SpeechStart | SpeechEnd | Chunk | ChunkCancelled | TurnEnd


@dataclass(frozen=True)
class EndpointConfig:
    turn_silence_ms: int = 700  # base silence that ends a turn (adapted by hold_ms)
    word_wait_ms: int = 600  # at the base silence, wait this much longer for the words of the pause
    max_turn_s: float = 90.0
    pause_ms: int = 200  # silence that starts pre-transcription of what was said so far
    min_chunk_ms: int = 1000  # shorter pieces are not transcribed on their own
    max_chunk_s: float = 20.0  # keep each whisper call within one 30 s window
    preroll_ms: int = 300  # audio kept before the detected onset of speech
    threshold: float = 0.5
    neg_threshold: float = 0.35
    start_windows: int = 3  # consecutive speech windows that start speech (96 ms)
    # The turn model's P(complete) at or above which (with words that do not dangle) the turn ends at the
    # first short pause instead of after the hold; above 1 = never (the model only ever shortens the wait).
    complete_at: float = 0.9
    complete_hold_ms: int = 200  # the silence that then ends it (at most the words' own hold)
    sense: EndSense = EndSense()  # how the recogniser's P(sentence end) is read


class AudioBuffer:
    """Samples addressed by absolute stream index; old audio is dropped explicitly."""

    def __init__(self) -> None:
        self._data = np.zeros(16_000 * 4, dtype=np.float32)
        self.start = 0  # stream index of _data[0]
        self.end = 0  # stream index one past the last sample

    def append(self, samples: np.ndarray) -> None:
        n, used = len(samples), self.end - self.start
        if used + n > len(self._data):
            grown = np.zeros(max(2 * len(self._data), used + n), dtype=np.float32)
            grown[:used] = self._data[:used]
            self._data = grown
        self._data[used : used + n] = samples
        self.end += n

    def slice(self, a: int, b: int) -> np.ndarray:
        a, b = max(a, self.start), min(b, self.end)
        return self._data[a - self.start : b - self.start].copy()

    def drop_before(self, index: int) -> None:
        index = min(max(index, self.start), self.end)
        keep = self._data[index - self.start : self.end - self.start].copy()
        self._data[: len(keep)] = keep
        self.start = index


class Endpointer:
    def __init__(self, detector: SpeechDetector, config: EndpointConfig | None = None) -> None:
        self.detector = detector
        self.cfg = config or EndpointConfig()
        self.buffer = AudioBuffer()
        self._pending = np.zeros(0, dtype=np.float32)  # < WINDOW samples not yet judged
        self._turns = 0
        self.turn: int | None = None  # the open turn
        self.speaking = False
        self._speech_run = 0
        self._silence = 0  # samples of silence while speaking
        self._speech_start = self._speech_end = self._turn_start = self._chunk_start = 0
        self._chunk_index = 0
        self._spec: tuple[int, int] | None = None  # (index, end sample) of the speculative chunk
        self._hint: str | None = None
        self._end_p: float | None = None  # the recogniser's P(sentence end) at the pause, with the words
        # ((words, end_p, patient), hold, sounds finished)
        self._judged: tuple[tuple[str, float | None, bool] | None, int, bool] = (None, 0, False)
        self._score: float | None = None  # the turn model's P(complete) at the pause, once known
        self._probs: deque[tuple[int, float]] = deque(maxlen=64)  # (window end, prob), ~2 s
        self.patient = False  # an open question is in play: wait longer after short "complete" answers

    @property
    def now_ms(self) -> int:
        return samples_to_ms(self.buffer.end)

    def feed(self, samples: np.ndarray) -> list[Event]:
        self.buffer.append(samples)
        self._pending = np.concatenate([self._pending, samples]) if len(self._pending) else samples
        events: list[Event] = []
        pos = self.buffer.end - len(self._pending)
        while len(self._pending) >= WINDOW:
            window, self._pending = self._pending[:WINDOW], self._pending[WINDOW:]
            pos += WINDOW
            self._step(self.detector(window), pos, events)
        if self.turn is None:
            keep = ms_to_samples(self.cfg.preroll_ms) + (self.cfg.start_windows + 1) * WINDOW
            self.buffer.drop_before(self.buffer.end - keep)
        return events

    def open_chunk(self) -> tuple[int, int, int] | None:
        """(turn, chunk index, start sample) of the chunk being spoken, if the candidate is speaking."""
        if self.turn is None or not self.speaking:
            return None
        return self.turn, self._chunk_index, self._chunk_start

    def set_hint(self, turn: int, index: int, text: str, end_p: float | None = None) -> bool:
        """The whole turn's text up to speculative chunk `index` is known, and the recogniser's P(sentence
        end) there: adapt the hold time (False: that pause is over, the words are too late to matter)."""
        if self.turn == turn and self._spec is not None and self._spec[0] == index:
            self._hint, self._end_p = text, end_p
            return True
        return False

    def set_turn_score(self, turn: int, index: int, score: float) -> None:
        """The turn model's P(complete) for the audio up to speculative chunk `index` (the open pause)."""
        if self.turn == turn and self._spec is not None and self._spec[0] == index:
            self._score = score

    @property
    def turn_start(self) -> int | None:
        """Stream sample of the open turn's first audio (None: no turn open)."""
        return None if self.turn is None else self._turn_start

    def set_context(self, patient: bool) -> None:
        """What the question in play invites (set by the session before each turn)."""
        self.patient = patient

    def force_end(self, reason: str = "end_turn") -> list[Event]:
        """End the open turn now (end_turn, finish, disconnect), with every sample received so far."""
        if self.turn is None:
            return []
        events: list[Event] = []
        end = self.buffer.end
        if self.speaking:
            self._speech_end = end
            events.append(SpeechEnd(self.turn, samples_to_ms(end)))
            self._spec = None
        if self._spec is None:  # audio since the last committed chunk still needs transcribing
            self._emit_chunk(end, events, speculative=False)
        self._close_turn(reason, end, events)
        return events

    # --- internals ---------------------------------------------------------------------------------
    def _step(self, prob: float, pos: int, events: list[Event]) -> None:
        cfg = self.cfg
        self._probs.append((pos, prob))
        if self.speaking:
            self._silence = self._silence + WINDOW if prob < cfg.neg_threshold else 0
            if self._silence >= ms_to_samples(cfg.pause_ms):
                self.speaking = False
                self._speech_end = pos - self._silence
                events.append(SpeechEnd(self.turn, samples_to_ms(self._speech_end)))
                self._spec = (self._chunk_index, pos)
                self._hint = self._end_p = self._score = None
                self._emit_chunk(pos, events, speculative=True)
            elif pos - self._turn_start >= int(cfg.max_turn_s * 16_000):
                self._split_turn(pos, events)
            elif pos - self._chunk_start >= int(cfg.max_chunk_s * 16_000):
                cut = self._quietest(pos)
                self._emit_chunk(cut, events, speculative=False)
                self._chunk_start, self._chunk_index = cut, self._chunk_index + 1
                self.buffer.drop_before(cut)
            return
        self._speech_run = self._speech_run + 1 if prob >= cfg.threshold else 0
        if self._speech_run >= cfg.start_windows:
            self._start_speech(pos - self._speech_run * WINDOW, events)
        elif self.turn is not None and pos - self._speech_end >= ms_to_samples(self._hold()):
            self._close_turn("silence", pos, events)

    @property
    def hold(self) -> int | None:
        """The silence that ends the open turn, as things stand (None: no turn open)."""
        return None if self.turn is None else self._hold()

    @property
    def words_end(self) -> bool:
        """The open pause's words end a sentence, as the recogniser hears them (`sounds_finished`)."""
        return self.turn is not None and self._hint is not None and sounds_finished(self._hint, self._end_p,
                                                                                     self.cfg.sense)

    def _hold(self) -> int:
        """Silence that ends the open turn. The words decide; while they are still being transcribed
        (usually ready ~0.5 s after speech ends), the decision waits for them a little."""
        if self._hint is None:
            return self.cfg.turn_silence_ms + self.cfg.word_wait_ms
        key = (self._hint, self._end_p, self.patient)
        if self._judged[0] != key:  # read the words once, not at every 32 ms window of the pause
            self._judged = (key, hold_ms(self._hint, self.cfg.turn_silence_ms, self.patient, self._end_p,
                                         self.cfg.sense), sounds_finished(self._hint, self._end_p, self.cfg.sense))
        _, hold, ends = self._judged
        if self._score is not None and self._score >= self.cfg.complete_at and ends:
            return min(hold, max(self.cfg.complete_hold_ms, self.cfg.pause_ms))  # sounds finished, words agree
        return hold

    def _start_speech(self, onset: int, events: list[Event]) -> None:
        self.speaking, self._silence, self._speech_run = True, 0, 0
        if self.turn is None:
            self._turns += 1
            self.turn = self._turns
            preroll = ms_to_samples(self.cfg.preroll_ms)
            self._turn_start = self._chunk_start = max(self.buffer.start, onset - preroll)
            self._speech_start, self._chunk_index, self._spec = onset, 0, None
        elif self._spec is not None:
            index, end = self._spec
            if end - self._chunk_start >= ms_to_samples(self.cfg.min_chunk_ms):
                self._chunk_start, self._chunk_index = end, index + 1  # commit the pause's chunk
                self.buffer.drop_before(end)
            else:
                events.append(ChunkCancelled(self.turn, index))
            self._spec = None
        events.append(SpeechStart(self.turn, samples_to_ms(onset)))

    def _emit_chunk(self, end: int, events: list[Event], speculative: bool) -> None:
        audio = self.buffer.slice(self._chunk_start, end)
        events.append(Chunk(self.turn, self._chunk_index, samples_to_ms(self._chunk_start),
                            samples_to_ms(end), audio, speculative))

    def _close_turn(self, reason: str, decided: int, events: list[Event]) -> None:
        events.append(TurnEnd(self.turn, samples_to_ms(self._speech_start), samples_to_ms(self._speech_end),
                              self._chunk_index + 1, reason, samples_to_ms(decided)))
        self.turn, self.speaking, self._spec, self._hint, self._score = None, False, None, None, None
        self._end_p = None

    def _split_turn(self, pos: int, events: list[Event]) -> None:
        """The turn reached max_turn_s while speaking: close it at a quiet point, go on in a new one."""
        cut = self._quietest(pos)
        self._emit_chunk(cut, events, speculative=False)
        self._speech_end = cut
        self._close_turn("max_length", pos, events)
        self.buffer.drop_before(cut)
        self._start_speech(cut, events)
        self._turn_start = self._chunk_start = cut
        self._speech_start = cut

    def _quietest(self, pos: int) -> int:
        """Where to cut speech that has no pause: the least speech-like window of the last ~2 s."""
        candidates = [(p, -end) for end, p in self._probs if end > self._chunk_start + WINDOW]
        return -min(candidates)[1] if candidates else pos  # the latest among equally quiet windows
