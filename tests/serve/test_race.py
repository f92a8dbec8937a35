"""One writer per interview on a real server: 2, then 20 sockets on one interview all sending answers.

Every answer acknowledged to a client (a `transcript` with its id and seq) is stored exactly once;
every socket that lost the interview was closed with 4410 `taken_over`; seqs have no holes.
"""

from __future__ import annotations

import threading

import pytest
from websockets.exceptions import ConnectionClosed

from tests.serve.harness import Client, serving, stored_turns

TAKEN_OVER = 4410


def _answers(server, interview_id: int, index: int, answers: int, out: list[Client], start: threading.Barrier,
             errors: list[BaseException]):
    try:
        _send_answers(server, interview_id, index, answers, out, start)
    except BaseException as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)


def _send_answers(server, interview_id: int, index: int, answers: int, out: list[Client],
                  start: threading.Barrier):
    start.wait()
    client = Client(server.ws_url(interview_id))
    out.append(client)
    for k in range(answers):
        msg_id = f"s{index}-a{k}"
        try:
            client.send(type="text", text=f"socket {index} answer {k}: we add a cache in front", id=msg_id)
        except ConnectionClosed:
            break
        if client.until("transcript", lambda e, m=msg_id: e.get("id") == m) is None:
            break
    if client.close_code is None:  # sent everything: see whether it is taken over later
        _wait_close(client)


def _wait_close(client: Client) -> None:
    try:
        while client.recv(timeout=3) is not None:
            pass
    except TimeoutError:
        pass


@pytest.mark.parametrize("sockets", [2, 20])
def test_many_sockets_on_one_interview_lose_no_acknowledged_answer(tmp_path, database_url, sockets):
    env = {"VIVA_DATA_DIR": str(tmp_path), "VIVA_DATABASE_URL": database_url, "VIVA_STT_PRELOAD": "false"}
    with serving(env, tmp_path / "viva.log") as server:
        interview_id = server.new_interview()
        clients: list[Client] = []
        errors: list[BaseException] = []
        barrier = threading.Barrier(sockets)
        threads = [threading.Thread(target=_answers, args=(server, interview_id, i, 3, clients, barrier, errors))
                   for i in range(sockets)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(600)
        turns = stored_turns(server, interview_id)
        for c in clients:
            c.close()
    assert errors == [], errors
    assert [t["seq"] for t in turns] == list(range(1, len(turns) + 1))
    stored = {(t["seq"], t["text"]) for t in turns if t["speaker"] == "candidate"}
    acked = [(e["seq"], e["text"]) for c in clients for e in c.acknowledged()]
    assert acked, (f"no answer was acknowledged: {len(clients)} sockets, close codes "
                   f"{[c.close_code for c in clients]}, events {[len(c.events) for c in clients]}\n"
                   f"{server.log_text()[-3000:]}")
    assert len(acked) == len(set(acked))
    assert set(acked) <= stored  # every acknowledged answer is stored under the seq it was given
    texts = [t["text"] for t in turns if t["speaker"] == "candidate"]
    assert len(texts) == len(set(texts))  # and nothing is stored twice
    closed = [c.close_code for c in clients if c.close_code is not None]
    assert len(clients) - len(closed) <= 1  # at most one socket (the newest) still owns the interview
    assert set(closed) <= {TAKEN_OVER}, closed
    assert len(closed) >= sockets - 1
    for c in clients:
        if c.close_code == TAKEN_OVER:
            assert any(e["type"] == "error" and e["code"] == "taken_over" for e in c.events)
