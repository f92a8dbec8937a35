"""Drop: a socket closed abnormally mid-interview leaves it `paused`; a reconnect within the grace period
resumes it; once the grace period has passed it is `abandoned` and scored on what exists.

The grace period is a setting of the process: the first server keeps the default (10 minutes) while we
resume; the second starts with a tiny one, as if the candidate had gone for good."""

from __future__ import annotations

from tests.serve.harness import Client, serving, stored_turns, wait_for


def _status(server, interview_id: int) -> dict:
    return server.get(f"/api/interviews/{interview_id}").json()


def test_drop_pauses_resume_continues_and_an_expired_grace_abandons_and_scores(tmp_path):
    env = {"VIVA_DATA_DIR": str(tmp_path), "VIVA_STT_PRELOAD": "false"}
    log = tmp_path / "viva.log"
    with serving(env, log) as server:
        interview_id = server.new_interview()
        client = Client(server.ws_url(interview_id))
        client.until("interviewer_done")
        client.send(type="text", text="I would put a cache in front of the database", id="t1")
        first = client.until("transcript")
        client.until("interviewer_done")
        client.drop()  # no close frame, no finish
        wait_for(lambda: _status(server, interview_id)["status"] == "paused")

        again = Client(server.ws_url(interview_id, last_seq=first["seq"]))
        ready = again.recv()
        assert ready["type"] == "ready" and ready["resumed"] is True
        again.until("interviewer_done", lambda e: not e.get("replayed"))  # the resume line
        assert [e["seq"] for e in again.events if e.get("replayed")] == [first["seq"] + 1]
        assert _status(server, interview_id)["status"] == "active"
        again.send(type="text", text="and shard the orders table by customer id", id="t2")
        second = again.until("transcript")
        assert second["seq"] > first["seq"] + 1
        again.until("interviewer_done")
        again.drop()
        wait_for(lambda: _status(server, interview_id)["status"] == "paused")

    expired = {**env, "VIVA_PAUSE_GRACE_S": "0.5", "VIVA_SWEEP_EVERY_S": "0.2"}
    with serving(expired, log) as server:
        done = wait_for(lambda: (d := _status(server, interview_id))["status"] == "scored" and d)
        assert done["end_reason"] == "abandoned" and done["ended_at"]
        card = server.get(f"/api/interviews/{interview_id}/scorecard")
        assert card.status_code == 200 and card.json()["interview_id"] == interview_id
        texts = [t["text"] for t in stored_turns(server, interview_id) if t["speaker"] == "candidate"]
        assert texts == ["I would put a cache in front of the database", "and shard the orders table by customer id"]
        refused = Client(server.ws_url(interview_id))
        assert refused.recv()["code"] == "finished" and refused.recv() is None and refused.close_code == 4409
