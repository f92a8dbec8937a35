"""Barge-in without headphones: take the interviewer's own voice out of the microphone stream.

The server knows what it plays and when (app/voice/speaker/stream.py sends each piece; `add_reference`
places it on the microphone's sample timeline at the moment it leaves). What comes back through the
candidate's speakers and microphone (what the browser's echo cancellation leaves) arrives later by an
unknown delay (network both ways, output and input buffering: ~50-600 ms) and attenuated. While a reference
is in play, the guard finds that delay and gain by cross-correlating the last second of microphone audio
with the reference (every `REESTIMATE_MS`; a delay counts once found again CONFIRM later: the candidate's own
voice resembles the reference at some lag now and then), subtracts the scaled, delayed reference, and mutes
what is left when it is no louder than a fraction of the expected echo. Until a path is known, what is no
louder than the loudest echo expected is muted, unless the session's replies so far found no echo at all
(headphones, the browser's echo cancellation): a candidate talking over the voice then passes untouched.
The endpointer (VAD, transcription) sees the residual: the interviewer's voice does not start a turn; a
candidate talking over it still does.

Pure and synchronous, like the endpointer: samples in, samples out.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from app.voice.smart_turn import RecentAudio

RATE = 16_000
MAX_DELAY_S = 0.8  # echo later than this after the piece left is not looked for
WINDOW_S = 0.5  # microphone audio correlated with the reference to find the delay
REESTIMATE_MS = 200  # while no echo path is known
TRACK_MS = 1000  # once known: re-checked this often, within TRACK_LAGS of it (cheap)
TRACK_LAGS = RATE * 10 // 1000
SEARCH_TRIES = 5  # fast searches a reply gets; then (no echo found: headphones, or none came back) every TRACK_MS
DECIMATE = 4  # the search runs at 4 kHz, then is refined at 16 kHz around what it found
MIN_CORRELATION = 0.3  # below: no echo found (the piece was not played, or the candidate is far louder)
AGREE = RATE * 3 // 1000  # a path is adopted once searches in a row find the same delay within this, CONFIRM
CONFIRM = RATE * 400 // 1000  # apart (windows that barely overlap): a real echo comes back at a steady delay all
# reply long; two unrelated voices (the candidate's, the reference) peak above MIN_CORRELATION by chance now and
# then (16-23 of 60 headphone streams, LibriVox or espeak-ng over Piper), for a syllable or a word, not longer
MAX_GAIN = 1.0  # an echo louder than the voice played at full scale is not one (chance, over a near-silent stretch)
ECHO_GAIN = 0.7  # no path known yet: the loudest echo expected (after speakers, room and the browser's AEC)
LOST_AFTER = 3  # a known path not found again this many checks in a row: searched for over all lags again
# (kept meanwhile: the candidate talking over it hides it too); a new delay, once confirmed, replaces it
RESIDUAL_FLOOR = 0.5  # residual at most this fraction of the expected echo (rms) is leftover echo: muted
TAIL = RATE * 150 // 1000  # reverberation allowed for after the direct echo
BLOCK = 320  # 20 ms: the envelope's resolution


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if len(x) else 0.0


def _peak_rms(x: np.ndarray) -> float:
    """The loudest 20 ms of `x` (rms)."""
    if not len(x):
        return 0.0
    usable = len(x) // BLOCK * BLOCK
    if not usable:
        return _rms(x)
    return float(np.sqrt(np.max(np.mean(np.square(x[:usable].reshape(-1, BLOCK), dtype=np.float64), axis=1))))


def resample(pcm: np.ndarray, rate: int, to: int = RATE) -> np.ndarray:
    """float32 audio from `rate` to `to` (band-limited, by FFT: pieces are whole sentences)."""
    x = np.asarray(pcm, dtype=np.float32)
    if rate == to or not len(x):
        return x
    n = max(1, round(len(x) * to / rate))
    spectrum = np.fft.rfft(x)
    kept = np.zeros(n // 2 + 1, dtype=spectrum.dtype)
    m = min(len(kept), len(spectrum))
    kept[:m] = spectrum[:m]
    return (np.fft.irfft(kept, n) * (n / len(x))).astype(np.float32)


class Played:
    """The interviewer's voice on the microphone's sample timeline: the pieces as they left, back to back.

    Kept as pieces, not one array: a reply queued sentence by sentence (or replies the client has not played
    yet) would otherwise be copied whole at every new sentence; 24 sessions doing that held the event loop
    ~60 ms in the capacity bench."""

    def __init__(self) -> None:
        self._pieces: deque[tuple[int, np.ndarray]] = deque()  # (stream sample of its first sample, audio)

    @property
    def start(self) -> int:
        return self._pieces[0][0] if self._pieces else 0

    @property
    def end(self) -> int:
        """One past its last sample (0: nothing)."""
        return self._pieces[-1][0] + len(self._pieces[-1][1]) if self._pieces else 0

    def __len__(self) -> int:
        return self.end - self.start

    def restart(self, piece: np.ndarray, at: int) -> None:
        self._pieces = deque([(at, piece)])

    def append(self, piece: np.ndarray) -> None:
        self._pieces.append((self.end, piece))

    def drop_before(self, index: int) -> None:
        """Forget audio before stream sample `index` (whole pieces; a piece that reaches past it stays)."""
        while self._pieces and self._pieces[0][0] + len(self._pieces[0][1]) <= index:
            self._pieces.popleft()

    def cut_after(self, index: int) -> None:
        """Forget audio from stream sample `index` on."""
        while self._pieces and self._pieces[-1][0] >= index:
            self._pieces.pop()
        if self._pieces and self.end > index:
            at, piece = self._pieces.pop()
            self._pieces.append((at, piece[: index - at]))

    def window(self, at: int, n: int) -> np.ndarray:
        """Samples for stream indices [at, at + n), zero outside what was played."""
        out = np.zeros(n, dtype=np.float32)
        for start, piece in self._pieces:
            if start >= at + n:
                break  # the rest is queued later
            a, b = max(at, start), min(at + n, start + len(piece))
            if b > a:
                out[a - at : b - at] = piece[a - start : b - start]
        return out


class EchoGuard:
    def __init__(self) -> None:
        self.ref = Played()
        self.pos = 0  # stream sample index of the next microphone sample
        self._mic = RecentAudio(WINDOW_S)  # the last second of microphone audio
        self._since = REESTIMATE_MS * RATE // 1000  # samples since the last estimate
        self.delay = 0  # samples
        self.gain = 0.0
        self.guarded = 0  # frames cleaned (for logs and benches)
        self._misses = 0  # searches of this reply that found no echo
        self._pending: tuple[int, int] | None = None  # (delay, stream sample) the searches in a row found first
        self._lost = 0  # checks in a row the known path was not found
        self._quiet = False  # the replies so far found no echo at all: this one is not muted while searched

    @property
    def active(self) -> bool:
        return len(self.ref) > 0 and self.pos < self.ref.end + int(MAX_DELAY_S * RATE)

    def add_reference(self, pcm: np.ndarray, rate: int) -> None:
        """A piece of the interviewer's voice (int16 at `rate`) left for the client now."""
        self.add_played(resample(np.asarray(pcm, dtype=np.float32), rate))

    def add_played(self, reference: np.ndarray) -> None:
        """A piece of the interviewer's voice (int16 scale, 16 kHz) left for the client now: it plays after what
        is queued."""
        piece = np.asarray(reference, dtype=np.float32) / 32768.0
        if not self.active or self.ref.end < self.pos:  # nothing queued before it: it starts now
            if self.gain > 0:
                self._quiet = False
            elif self._misses >= SEARCH_TRIES:
                self._quiet = True  # (a reply stopped before it was searched through leaves this as it was)
            self.ref.restart(piece, self.pos)
            # the session's replies so far found no echo at all (headphones, the browser's AEC): this one is not
            # muted while it is searched for (a path found takes over); the echo path of the last reply is kept
            # as a start
            self._misses, self._pending, self._lost = 0, None, 0
            self._since = REESTIMATE_MS * RATE // 1000
        else:
            self.ref.append(piece)
        self.ref.drop_before(self.pos - int((WINDOW_S + MAX_DELAY_S) * RATE))  # never needed again

    def stop(self) -> None:
        """The client stopped playing (barge-in, a withdrawn reply): nothing more of it is coming back
        after the delay already in flight."""
        self.ref.cut_after(self.pos + self.delay)

    def clean(self, samples: np.ndarray) -> np.ndarray:
        """The microphone frame without the interviewer's echo (unchanged when nothing is playing)."""
        n = len(samples)
        self._mic.append(np.asarray(samples, dtype=np.float32))
        start, self.pos = self.pos, self.pos + n
        if not self.active:
            return samples
        self._since += n
        searching = self.gain <= 0 and (self._misses < SEARCH_TRIES or self._pending is not None)
        if self._since >= (REESTIMATE_MS if searching else TRACK_MS) * RATE // 1000:
            self._since = 0
            self._estimate()
        self.guarded += 1
        if self.gain <= 0 and (self._misses >= SEARCH_TRIES or self._quiet):
            return samples  # no echo came back for a second of playing (headphones, or the browser's own echo
            # cancellation took it all), or the last reply found none: what the microphone hears is the candidate
        if self.gain <= 0:  # no echo path known yet (the session's first reply): only louder than the
            # loudest echo expected of the reference (the voice itself counts)
            expected = ECHO_GAIN * _peak_rms(
                self._reference(start - int(MAX_DELAY_S * RATE), n + int(MAX_DELAY_S * RATE)))
            return np.zeros_like(samples) if _rms(samples) <= expected else samples
        echo = self.gain * self._reference(start - self.delay, n)
        residual = (samples - echo).astype(np.float32)
        # the room adds reverberation the one-tap estimate leaves behind: allow for the recent reference
        expected = self.gain * _peak_rms(self._reference(start - self.delay - TAIL, n + TAIL))
        left, heard = _rms(residual), _rms(samples)
        if left <= RESIDUAL_FLOOR * expected:
            return np.zeros_like(samples)  # what is left is the echo's own tail: not the candidate
        return samples if left >= heard else residual  # subtracting made it louder: that echo is not there

    # --- internals ---------------------------------------------------------------------------------
    def _reference(self, at: int, n: int) -> np.ndarray:
        """Reference samples for stream indices [at, at + n), zero outside what was played."""
        return self.ref.window(at, n)

    def _estimate(self) -> None:
        """Delay and gain of the echo in the last second, by FFT cross-correlation over 0..MAX_DELAY_S."""
        lags = int(MAX_DELAY_S * RATE)
        mic = self._mic.since(self.pos - int(WINDOW_S * RATE))
        w = len(mic)
        ref = self._reference(self.pos - w - lags, w + lags)  # ref[k + lag] aligns with mic[k] at delay lags-lag
        if not np.any(ref) or not np.any(mic):
            return
        if self.gain > 0 and self._lost < LOST_AFTER:  # tracking a known path: only lags near it
            centre = lags - self.delay
        elif self._pending is not None:  # confirming the delay found: only lags near it
            centre = lags - self._pending[0]
        else:  # searching: all lags at 4 kHz (block means: a crude low-pass, enough to find the peak)
            d_ref = ref[: len(ref) // DECIMATE * DECIMATE].reshape(-1, DECIMATE).mean(axis=1)
            d_mic = mic[: w // DECIMATE * DECIMATE].reshape(-1, DECIMATE).mean(axis=1)
            size = 1 << int(np.ceil(np.log2(len(d_ref) + len(d_mic))))
            n_lags, dw = lags // DECIMATE + 1, len(d_mic)
            coarse = np.fft.irfft(np.fft.rfft(d_ref, size) * np.conj(np.fft.rfft(d_mic, size)), size)[:n_lags]
            cum = np.concatenate([[0.0], np.cumsum(d_ref.astype(np.float64) ** 2)])
            energy = np.maximum(cum[dw : dw + n_lags] - cum[:n_lags], 1e-12)
            centre = int(np.argmax(coarse / np.sqrt(energy))) * DECIMATE
        lo, hi = max(0, centre - TRACK_LAGS), min(lags, centre + TRACK_LAGS)
        windows = np.lib.stride_tricks.sliding_window_view(ref[lo : hi + w], w)  # direct products near it
        corr = np.zeros(lags + 1)
        corr[lo : hi + 1] = windows @ mic
        # energy of each reference window, to normalise (a loud stretch must not win by loudness alone)
        cum = np.concatenate([[0.0], np.cumsum(ref.astype(np.float64) ** 2)])
        energy = cum[w : w + lags + 1] - cum[: lags + 1]
        mic_energy = float(np.dot(mic, mic))
        norm = np.sqrt(np.maximum(energy, 1e-12) * max(mic_energy, 1e-12))
        score = np.full(lags + 1, -1.0)
        score[lo : hi + 1] = corr[lo : hi + 1] / norm[lo : hi + 1]
        best = int(np.argmax(score))
        gain = float(corr[best] / max(energy[best], 1e-12))
        if score[best] < MIN_CORRELATION or not 0 < gain <= MAX_GAIN:
            self._pending = None
            if self.gain > 0:  # not found now (the candidate is much louder, or it was not played): keep the path
                self._lost += 1
            else:
                self._misses += 1
            return
        delay = lags - best
        known = self.gain > 0 and abs(delay - self.delay) <= TRACK_LAGS  # (the path kept, found again)
        if not known:  # searching: a path only once the searches in a row found the same delay for CONFIRM
            if self._pending is None or abs(delay - self._pending[0]) > AGREE:
                self._misses += self._pending is not None  # two peaks that disagree: chance, no echo found
                self._pending = (delay, self.pos)
                if self.gain <= 0:  # looked for again (near it) once, CONFIRM later
                    self._since = REESTIMATE_MS * RATE // 1000 - CONFIRM
                return
            if self.pos - self._pending[1] < CONFIRM:
                return
            self._pending = None
        self.delay, self.gain, self._lost = delay, gain, 0
