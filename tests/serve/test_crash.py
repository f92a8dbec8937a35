"""Crash: a spoken interview over the WebSocket (real Whisper in a `viva serve` subprocess on a SQLite
file), SIGKILL right after candidate turn N was acknowledged, restart, reconnect with the last seq:
turns 1..N are stored exactly once, and the interview continues with N+1."""

from __future__ import annotations

from tests.serve.harness import Client, serving, stored_turns
from tests.voice.fakes import frames, read_wav

ACKED_BEFORE_KILL = 2  # candidate turns acknowledged before the kill


def test_kill_9_after_an_acknowledged_turn_loses_nothing_and_the_interview_goes_on(tmp_path):
    env = {"VIVA_DATA_DIR": str(tmp_path), "VIVA_STT_PRELOAD": "true"}
    log = tmp_path / "viva.log"
    with serving(env, log) as first:
        interview_id = first.new_interview()
        client = Client(first.ws_url(interview_id))
        assert client.until("interviewer_done")["move"] == "open"
        for frame in frames(read_wav("three_turns.wav")):
            client.ws.send(frame)
        acked = []
        while len(acked) < ACKED_BEFORE_KILL:
            event = client.until("transcript")
            assert event is not None, client.events
            acked.append(event)
        first.kill()  # right after turn N was acknowledged
        client.close()
    last_seq = max(e["seq"] for e in client.events if "seq" in e)
    n = acked[-1]["seq"]

    with serving(env, log) as second:
        before = stored_turns(second, interview_id)
        # 1..N exactly once: every acknowledged turn under its seq, no holes, nothing twice
        assert [t["seq"] for t in before] == list(range(1, len(before) + 1))
        by_seq = {t["seq"]: t for t in before}
        for event in acked:
            assert by_seq[event["seq"]]["text"] == event["text"] and by_seq[event["seq"]]["speaker"] == "candidate"
        resumed = Client(second.ws_url(interview_id, last_seq=last_seq))
        ready = resumed.recv()
        assert ready["type"] == "ready" and ready["resumed"] is True
        reply = resumed.until("interviewer_done")  # the answer to turn N (if the kill beat it), or a resume line
        assert reply is not None and reply["seq"] > last_seq
        for frame in frames(read_wav("one_turn.wav")):
            resumed.ws.send(frame)
        nxt = resumed.until("transcript")
        assert nxt is not None and nxt["seq"] > reply["seq"]
        resumed.send(type="finish")
        assert resumed.until("finished") is not None
        resumed.close()
        after = stored_turns(second, interview_id)
    assert [t["seq"] for t in after] == list(range(1, len(after) + 1))
    assert after[n]["seq"] == n + 1  # the interview went on right after turn N
    texts = {(t["seq"], t["text"]) for t in after if t["speaker"] == "candidate"}
    assert {(e["seq"], e["text"]) for e in acked} <= texts
    assert (nxt["seq"], nxt["text"]) in texts
