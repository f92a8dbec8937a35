"""The packaged sentence-embedding model: pinned file, unit vectors, meaning over wording."""

from __future__ import annotations

import numpy as np
import pytest

from app.hearing import embedder as E


def test_vectors_are_unit_length_and_deterministic(embedder):
    vecs = embedder.embed(["Store the price paid on each order line.", "Shard the users table by id."])
    assert vecs.shape == (2, E.DIM) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    again = E.MiniLM(threads=1).embed(["Shard the users table by id."])
    assert np.allclose(again[0], vecs[1], atol=1e-5)


def test_paraphrase_is_closer_than_another_topic(embedder):
    point, plain, other = embedder.embed([
        "An order line stores the price paid at purchase time.",
        "copy the price into the order when it's placed",
        "put an index on the email column of the users table"])
    assert point @ plain > 0.6 > point @ other + 0.3


def test_the_model_file_is_checked(tmp_path):
    real = E._package_file(E.MODEL_PACKAGE, E.MODEL_FILE)
    tampered = tmp_path / "model.onnx"
    tampered.write_bytes(real.read_bytes()[:-1] + b"\0")
    with pytest.raises(E.EmbedderError, match="sha256"):
        E.MiniLM(model_path=tampered)


def test_a_missing_package_is_a_clear_error():
    with pytest.raises(E.EmbedderError, match="not installed"):
        E._package_file("no_such_viva_package", "model.onnx")


def test_one_model_per_process(embedder):
    assert E.get_embedder(2) is embedder
