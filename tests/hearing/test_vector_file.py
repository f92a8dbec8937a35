"""Catalog vectors kept on disk between runs (app.hearing.vector_file): read back instead of embedded again,
only the catalog's texts written, a damaged file ignored."""

from __future__ import annotations

import numpy as np
import pytest

from app.hearing import hearing as H
from app.hearing import vector_file
from app.hearing.embedder import MODEL_SHA256, MiniLM


def test_a_restart_reads_the_catalog_vectors_instead_of_running_the_model(tmp_path, database, embedder):
    H.preload([database], cache_dir=tmp_path)
    path = vector_file.path_for(tmp_path, MODEL_SHA256)
    stored = vector_file.load(path, embedder.dim)
    texts = H.for_round(database).catalog_texts()
    assert set(stored) == {vector_file.text_key(t) for t in texts}  # the catalog's texts, nothing else
    assert len(texts) > 100

    fresh = MiniLM()  # a new process's model
    fresh.remember(stored)

    def no_model(batch):
        raise AssertionError(f"the model ran for {len(batch)} stored texts")

    fresh._run = no_model
    np.testing.assert_array_equal(fresh.embed(texts[:50]), embedder.embed(texts[:50]))
    fresh._run = MiniLM._run.__get__(fresh)  # a text not in the store still runs the model
    assert fresh.embed(["A sentence no catalog holds."]).shape == (1, embedder.dim)


@pytest.mark.parametrize("damage", [b"not a zip file", b""])
def test_a_damaged_file_is_ignored_and_rewritten(tmp_path, database, embedder, damage):
    path = vector_file.path_for(tmp_path, MODEL_SHA256)
    path.write_bytes(damage)
    assert vector_file.load(path, embedder.dim) == {}
    H.preload([database], cache_dir=tmp_path)
    assert len(vector_file.load(path, embedder.dim)) > 100


def test_vectors_of_another_size_are_not_used(tmp_path):
    path = tmp_path / "v.npz"
    vector_file.save(path, {"k": np.ones(8, dtype=np.float32)})
    assert vector_file.load(path, 384) == {}
    assert set(vector_file.load(path, 8)) == {"k"}
