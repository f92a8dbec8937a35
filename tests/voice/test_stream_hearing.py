"""A spoken myth in words not in the catalog is challenged: the stream route with a fake transcriber."""

from __future__ import annotations

import pytest

from app.models import Speaker
from tests.voice.fakes import FakeTranscriber, frames, read_wav
from tests.voice.helpers import new_interview, running, send, stored, until, url

FLOAT_IN_OWN_WORDS = "I keep prices as floats, the rounding errors are so small that nobody will notice them."


@pytest.fixture
def voice_settings(settings):
    return settings.model_copy(update={"stt_preload": False})


def test_a_spoken_myth_in_new_words_is_challenged(voice_settings):
    fake = FakeTranscriber(FLOAT_IN_OWN_WORDS)
    with running(voice_settings, fake) as (app, client):
        rnd = app.state.catalog.get("database")
        iid = new_interview(app, round_id="database")
        with client.websocket_connect(url(iid)) as ws:
            until(ws, "interviewer_done")  # the opening question
            for frame in frames(read_wav("one_turn.wav")):
                ws.send_bytes(frame)
            until(ws, "transcript")
            until(ws, "interviewer_done")  # the reply to the spoken turn
            send(ws, type="finish")
            until(ws, "finished")
        _, turns = stored(app, iid)
    challenge = next(m.challenge for m in rnd.rubric.misconceptions if m.id == "float_money")
    said = [i for i, t in enumerate(turns) if t.speaker == Speaker.candidate and t.text == FLOAT_IN_OWN_WORDS]
    assert said, [t.text for t in turns]
    reply = turns[said[0] + 1]
    assert reply.meta["move"] == "challenge" and reply.text.endswith(challenge)
