"""Scale-out: two `viva serve` processes on one PostgreSQL. Interviews run through both; one process is
killed mid-interview and its interview resumes on the other; every acknowledged turn is stored once;
background scoring runs exactly once per interview across the processes (a database claim)."""

from __future__ import annotations

import re

from tests.serve.harness import Client, answer, serving, stored_turns, wait_for


def _scored_lines(logs: list[str], interview_id: int) -> int:
    return sum(len(re.findall(rf"scored interview {interview_id}: ", text)) for text in logs)


def test_two_processes_share_one_postgres(tmp_path, postgres_url):
    env = {"VIVA_DATA_DIR": str(tmp_path), "VIVA_DATABASE_URL": postgres_url, "VIVA_STT_PRELOAD": "false",
           "VIVA_PAUSE_GRACE_S": "1", "VIVA_SWEEP_EVERY_S": "0.3"}
    log_a, log_b, log_a2 = tmp_path / "a.log", tmp_path / "b.log", tmp_path / "a2.log"
    with serving(env, log_a) as a, serving(env, log_b) as b:
        on_a, on_b = a.new_interview(), b.new_interview("api_design")
        ca, cb = Client(a.ws_url(on_a)), Client(b.ws_url(on_b))
        ca.until("interviewer_done")
        cb.until("interviewer_done")
        acked_a = [answer(ca, "I would start with the write path and a queue", "a1"),
                   answer(ca, "then a cache for the hot reads", "a2")]
        acked_b = [answer(cb, "resources are orders and customers", "b1")]
        assert b.get(f"/api/interviews/{on_a}").json()["status"] == "active"  # B sees A's live interview

        a.kill()  # mid-interview
        ca.close()
        last_seq = max(e["seq"] for e in ca.events if "seq" in e)
        resumed = Client(b.ws_url(on_a, last_seq=last_seq))
        assert resumed.recv()["resumed"] is True
        resumed.until("interviewer_done")
        acked_a.append(answer(resumed, "and partition the queue by customer", "a3"))
        resumed.send(type="text", text="then a cache for the hot reads", id="a2")  # resent: stored once
        again = resumed.until("transcript", lambda e: e.get("id") == "a2")
        assert again["duplicate"] is True and again["seq"] == acked_a[1]["seq"]

        acked_b.append(answer(cb, "POST /orders is idempotent with a key", "b2"))
        for client in (resumed, cb):
            client.send(type="finish")
            assert client.until("finished") is not None
            client.close()

        with serving(env, log_a2) as a2:  # A comes back: both processes now sweep and score
            abandoned = a2.new_interview("behavioral")
            cc = Client(a2.ws_url(abandoned))
            cc.until("interviewer_done")
            answer(cc, "I led the migration of our billing service", "c1")
            cc.drop()  # paused, then abandoned after the grace period, then scored by one of the two
            for interview_id in (on_a, on_b, abandoned):
                wait_for(lambda i=interview_id: b.get(f"/api/interviews/{i}").json()["status"] == "scored")
            turns = {i: stored_turns(b, i) for i in (on_a, on_b)}
            logs = [log.read_text() for log in (log_a, log_b, log_a2)]
    for interview_id, acked in ((on_a, acked_a), (on_b, acked_b)):
        stored = turns[interview_id]
        assert [t["seq"] for t in stored] == list(range(1, len(stored) + 1))
        candidate = [(t["seq"], t["text"]) for t in stored if t["speaker"] == "candidate"]
        assert sorted(candidate) == sorted((e["seq"], e["text"]) for e in acked)  # each once, none lost
    for interview_id in (on_a, on_b, abandoned):
        assert _scored_lines(logs, interview_id) == 1, interview_id
