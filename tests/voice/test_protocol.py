"""Frame validation and client message parsing: every bad input is a ProtocolError, never a crash."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.voice import protocol
from app.voice.frames import MAX_FRAME_BYTES, MIN_FRAME_BYTES, decode_frame, encode_pcm16
from app.voice.protocol import ProtocolError, check_binary, parse_client_text


def test_pcm16_round_trip():
    samples = np.array([0.0, 0.5, -0.5, -1.0, 0.999] * 64, dtype=np.float32)
    back = decode_frame(encode_pcm16(samples))
    assert back.dtype == np.float32 and np.allclose(back, samples, atol=1 / 32768)


@pytest.mark.parametrize(("data", "needle"), [
    (b"", "empty"),
    (bytes(641), "even"),
    (bytes(MIN_FRAME_BYTES - 2), "10-200 ms"),
    (bytes(MAX_FRAME_BYTES + 2), "10-200 ms"),
    (b'{"type": "ping", "pad": "' + b"x" * 400 + b'"}', "binary frame"),
])
def test_bad_frames_are_refused(data, needle):
    with pytest.raises(ProtocolError) as err:
        check_binary(data)
    assert err.value.code == protocol.BAD_FRAME and needle in err.value.message


def test_frames_at_the_bounds_are_audio():
    assert len(check_binary(bytes(MIN_FRAME_BYTES))) == MIN_FRAME_BYTES // 2
    assert len(check_binary(bytes(MAX_FRAME_BYTES))) == MAX_FRAME_BYTES // 2
    assert len(check_binary(b"{" + bytes(638) + b"}")) == 320  # starts like JSON, is not: audio


@pytest.mark.parametrize(("raw", "code"), [
    ("not json", protocol.BAD_MESSAGE),
    ("[1, 2]", protocol.BAD_MESSAGE),
    ('{"text": "no type"}', protocol.BAD_MESSAGE),
    ('{"type": 7}', protocol.BAD_MESSAGE),
    ('{"type": "dance"}', protocol.UNKNOWN_TYPE),
    ('{"type": "text"}', protocol.BAD_MESSAGE),
    ('{"type": "text", "text": "   "}', protocol.BAD_MESSAGE),
    (json.dumps({"type": "text", "text": "x" * (protocol.MAX_TYPED_CHARS + 1)}), protocol.BAD_MESSAGE),
    ("x" * (protocol.MAX_TEXT_MESSAGE_BYTES + 1), protocol.BAD_MESSAGE),
])
def test_bad_messages_are_refused(raw, code):
    with pytest.raises(ProtocolError) as err:
        parse_client_text(raw)
    assert err.value.code == code


@pytest.mark.parametrize("kind", protocol.CLIENT_TYPES)
def test_every_known_message_parses(kind):
    data = {"type": kind, "text": "SELECT 1", "seq": 1, "language": "sql", "code": "SELECT 1", "mode": "run",
            "base": 0, "graph": {"nodes": [], "edges": []}}
    assert parse_client_text(json.dumps(data)).type == kind


@pytest.mark.parametrize("data, says", [
    ({"type": "code", "language": "cobol", "code": "x"}, "'language'"),
    ({"type": "code", "language": "python"}, "string 'code'"),
    ({"type": "code", "language": "python", "code": "x" * 20_001}, "limited to 20000"),
    ({"type": "run", "language": "python", "code": "x", "mode": "all"}, "'mode'"),
])
def test_bad_code_messages_are_refused_with_a_clear_message(data, says):
    with pytest.raises(ProtocolError) as err:
        parse_client_text(json.dumps(data))
    assert err.value.code == protocol.BAD_MESSAGE and says in err.value.message
