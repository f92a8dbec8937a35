"""Catalog vectors kept on disk between runs (app.hearing.vector_file): read back instead of embedded again,
only the catalog's texts written, a damaged file ignored."""

from __future__ import annotations

import numpy as np
import pytest

from app.hearing import hearing as H
from app.hearing import vector_file
from app.hearing.embedder import MiniLM


def test_a_restart_reads_the_catalog_vectors_instead_of_running_the_model(tmp_path, database, embedder):
    H.preload([database], cache_dir=tmp_path)
    path = vector_file.path_for(tmp_path, MiniLM.recipe)
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
    path = vector_file.path_for(tmp_path, MiniLM.recipe)
    path.write_bytes(damage)
    assert vector_file.load(path, embedder.dim) == {}
    H.preload([database], cache_dir=tmp_path)
    assert len(vector_file.load(path, embedder.dim)) > 100


def test_vectors_of_another_size_are_not_used(tmp_path):
    path = tmp_path / "v.npz"
    vector_file.save(path, {"k": np.ones(8, dtype=np.float32)})
    assert vector_file.load(path, 384) == {}
    assert set(vector_file.load(path, 8)) == {"k"}


def test_an_unreadable_cache_is_only_logged(tmp_path, monkeypatch):
    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(tmp_path), "is_file", denied)
    assert vector_file.load(tmp_path / "v.npz", 384) == {}


def test_a_failed_save_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "v.npz"
    target.mkdir()  # os.replace onto a directory fails
    vector_file.save(target, {"k": np.ones(8, dtype=np.float32)})
    assert [p.name for p in tmp_path.iterdir()] == ["v.npz"]
