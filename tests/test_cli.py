"""The command line: rounds table and the start-up diagnosis."""

from __future__ import annotations

import shutil

import yaml

from app import cli
from app.config import ROOT


def _env(monkeypatch, tmp_path, rubrics=ROOT / "rubrics"):
    monkeypatch.setenv("VIVA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("VIVA_RUBRICS_DIR", str(rubrics))
    monkeypatch.delenv("VIVA_DATABASE_URL", raising=False)
    cli.get_settings.cache_clear()


def test_rounds_table(monkeypatch, tmp_path, capsys):
    _env(monkeypatch, tmp_path)
    assert cli.main(["rounds"]) == 0
    out = capsys.readouterr().out
    for round_id in ("system_design", "behavioral", "coding", "api_design", "database", "distributed_systems"):
        assert round_id in out


def test_check_passes_on_defaults(monkeypatch, tmp_path, capsys):
    _env(monkeypatch, tmp_path)
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    assert "all checks passed" in out and "6 rounds" in out and "model.bin" not in out


def test_check_fails_on_broken_rubric(monkeypatch, tmp_path, capsys):
    rubrics = tmp_path / "rubrics"
    shutil.copytree(ROOT / "rubrics", rubrics)
    data = yaml.safe_load((rubrics / "coding.yaml").read_text())
    data["dimensions"][0]["weight"] = "heavy"
    (rubrics / "coding.yaml").write_text(yaml.safe_dump(data))
    _env(monkeypatch, tmp_path, rubrics)
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    assert "coding.yaml" in out and "dimensions[0].weight" in out


def test_check_fails_on_missing_model(monkeypatch, tmp_path, capsys):
    _env(monkeypatch, tmp_path)
    monkeypatch.setenv("VIVA_STT_MODEL", str(tmp_path / "no-such-model"))
    assert cli.main(["check"]) == 1
    assert "no model.bin" in capsys.readouterr().out


def test_db_upgrade_and_check_report_the_schema_revision(monkeypatch, tmp_path, capsys):
    from app.db import make_engine
    from app.schema import INITIAL, head_revision, upgrade

    _env(monkeypatch, tmp_path)
    engine = make_engine(f"sqlite:///{tmp_path / 'viva.db'}")
    upgrade(engine, INITIAL)
    engine.dispose()
    assert cli.main(["check"]) == 1
    assert f"schema revision {INITIAL}, this Viva needs {head_revision()}: run `viva db upgrade`" in \
        capsys.readouterr().out
    assert cli.main(["db", "upgrade"]) == 0
    assert f"{INITIAL} -> {head_revision()}" in capsys.readouterr().out
    assert cli.main(["db", "current"]) == 0
    assert cli.main(["check"]) == 0
    assert f"schema revision {head_revision()}" in capsys.readouterr().out
