"""Catalog vectors kept on disk between runs: a restart reads every round's catalog embeddings back in
milliseconds instead of embedding ~4,000 texts again (~30 s on a quiet 2-core machine, over 2 minutes on a
loaded one, before the server answers).

One `.npz` per model, named by what makes its vectors (`recipe`: the model's and tokenizer's sha256, the token
limit, the pooling's version): each text's key (sha256 of the text) and its vector. Only catalog
texts are written, never a candidate's words. A missing, unreadable or foreign file is ignored (the texts are
embedded and the file rewritten); it is replaced atomically, so processes starting together leave one whole file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

log = logging.getLogger("viva.hearing")


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def path_for(cache_dir: Path, recipe: str) -> Path:
    return cache_dir / f"vectors-{hashlib.sha256(recipe.encode()).hexdigest()[:16]}.npz"


def load(path: Path, dim: int) -> dict[str, np.ndarray]:
    """The stored vectors by text key; empty when there is no usable file."""
    try:
        if not path.is_file():
            return {}
        with np.load(path, allow_pickle=False) as data:
            keys, vectors = data["keys"], data["vectors"]
        if vectors.ndim != 2 or vectors.shape[1] != dim or len(keys) != len(vectors):
            raise ValueError(f"shape {vectors.shape} for {len(keys)} keys")
    except Exception as exc:  # noqa: BLE001 - a cache: any damage means embed again
        log.warning("%s: not used (%s); the catalog is embedded again", path, exc)
        return {}
    return {str(k): v for k, v in zip(keys, vectors.astype(np.float32), strict=True)}


def save(path: Path, vectors: Mapping[str, np.ndarray]) -> None:
    """Replace the file with `vectors` (atomically); a cache that cannot be written is only logged."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".vectors-", suffix=".npz")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, keys=np.array(list(vectors), dtype="U64"),
                     vectors=np.stack(list(vectors.values())) if vectors else np.zeros((0, 0), np.float32))
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        log.warning("%s: catalog vectors not kept (%s)", path, exc)
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
