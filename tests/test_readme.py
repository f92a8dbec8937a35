"""The README stays true: every setting is in its configuration table, and its two commands exist."""

from __future__ import annotations

from app.config import ROOT, Settings

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    missing = [f"VIVA_{name.upper()}" for name in Settings.model_fields if f"`VIVA_{name.upper()}`" not in README]
    assert not missing, f"add to the README's configuration table: {missing}"


def test_the_two_commands_are_make_targets():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run", "test"):
        assert f"make {target}" in README
        assert f"\n{target}:" in makefile
