"""Interviewer harness: scripted candidates over every round, level, persona, typed and spoken.

    .venv/bin/python bench/eval_interviewer.py [--brain offline|llm] [--answers 20] [--rounds a,b] [--misses]

Prints a table of rates per brain (app/interviewer/evaluation.py). The LLM brain uses VIVA_LLM_* settings.
"""

from __future__ import annotations

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main(["eval", *sys.argv[1:]]))
