"""Command line: `viva serve`, `viva rounds`, `viva check`, `viva db upgrade|current`, `viva score FILE ...`."""

from __future__ import annotations

import argparse
import logging
import sys

from app.catalog import CatalogError, load_catalog
from app.config import get_settings


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.main import create_app
    from app.security.hosts import is_loopback

    settings = get_settings()
    host = args.host or settings.host
    settings = settings.model_copy(update={"host": host})
    if settings.auth == "local" and not is_loopback(host) and not settings.allow_local_mode_on_network:
        print(f"error: refusing to serve {host} with VIVA_AUTH=local: anyone who can reach it would get every "
              "interview, with no login.\n  Use VIVA_AUTH=accounts (sign-up and login), or bind 127.0.0.1, or set "
              "VIVA_ALLOW_LOCAL_MODE_ON_NETWORK=true if the network itself is private to you.", file=sys.stderr)
        return 2
    logging_level = settings.log_level.lower()
    logging.basicConfig(level=logging_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(settings), host=host, port=args.port or settings.port, log_level=logging_level,
                ws_max_size=settings.ws_max_message_bytes, h11_max_incomplete_event_size=64 * 1024,
                ws_per_message_deflate=False)  # audio frames do not compress; deflating them cost the loop ~5 %
    return 0


def cmd_rounds(_args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        catalog = load_catalog(settings.rubrics_dir, settings.prompts_dir)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{'ROUND':<22}{'MIN':>5}  {'Q':>3}  DIMENSIONS (weight)")
    for rnd in catalog:
        dims = ", ".join(f"{d.key} ({d.weight:g})" for d in rnd.rubric.dimensions)
        print(f"{rnd.id:<22}{rnd.rubric.duration_minutes:>5g}  {len(rnd.prompt.questions):>3}  {dims}")
    return 0


def cmd_check(_args: argparse.Namespace) -> int:
    from app.checks import run_checks

    problems = 0
    for name, ok, detail in run_checks(get_settings()):
        problems += not ok
        print(f"[{'ok' if ok else 'FAIL':>4}] {name}: {detail}")
    print("all checks passed" if not problems else f"{problems} check(s) failed")
    return 1 if problems else 0


def cmd_db(args: argparse.Namespace) -> int:
    """`viva db upgrade` (migrate to the newest revision) and `viva db current` (show the revision)."""
    from app.db import make_engine
    from app.schema import head_revision, status, upgrade

    engine = make_engine(get_settings().resolved_database_url)
    try:
        if args.action == "upgrade":
            before = status(engine)[0]
            after = upgrade(engine)
            print(f"database schema: {before or 'empty'} -> {after}" if before != after
                  else f"database schema already at {after}")
        else:
            current = status(engine)[0]
            print(f"database schema: {current or 'none'} (this Viva: {head_revision()})")
    except Exception as exc:  # driver errors, without the URL's password
        print(f"error: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    """Score a transcript file; print a table, or with --json the scorecard endpoint's JSON.

    --scorer offline (the default here: deterministic, no network), llm (the LLM scorer with the VIVA_LLM_*
    settings; an error if no LLM is configured) or auto (the LLM when configured, else offline)."""
    import json
    from pathlib import Path

    from app.scoring.report import render_table
    from app.scoring.scorer import build_scorer
    from app.scoring.transcript import TranscriptError, parse_transcript

    settings = get_settings()
    if args.scorer == "llm" and not settings.llm_configured:
        print("error: --scorer llm needs an LLM: set VIVA_LLM_BASE_URL (and VIVA_LLM_API_KEY if it needs one)",
              file=sys.stderr)
        return 1
    try:
        catalog = load_catalog(settings.rubrics_dir, settings.prompts_dir)
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
        turns = parse_transcript(text)
    except (CatalogError, TranscriptError, OSError, UnicodeDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    rnd = catalog.get(args.round)
    if rnd is None:
        print(f"error: unknown round '{args.round}'; choose one of: {', '.join(r.id for r in catalog)}",
              file=sys.stderr)
        return 1
    scorer = build_scorer(settings.model_copy(update={"scorer": args.scorer}), show_progress=True)
    doc = scorer.score(rnd, args.level, turns)
    print(json.dumps(doc.model_dump(mode="json"), indent=2) if args.json else render_table(doc), end="")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    import asyncio
    import subprocess

    from app.interviewer import OfflineBrain
    from app.interviewer.evaluation import evaluate, format_table

    settings = get_settings()
    catalog = load_catalog(settings.rubrics_dir, settings.prompts_dir)
    reports = {}
    for name in args.brain.split(","):
        if name == "llm":
            from app.interviewer.llm import LLMBrain

            brain = LLMBrain(settings)
        else:
            brain = OfflineBrain()
        rounds = args.rounds.split(",") if args.rounds else None
        levels = tuple(args.levels.split(",")) if args.levels else ("mid", "senior", "staff")
        modes = tuple(m == "typed" for m in args.modes.split(","))
        reports[name] = asyncio.run(evaluate(catalog, brain, answers=args.answers, rounds=rounds, levels=levels,
                                             modes=modes, show_progress=True, label=f"viva eval ({name})"))
    print(format_table(reports))
    print(f"(uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()})")
    if args.misses:
        for name, report in reports.items():
            for miss in report.failures:
                print(f"{name}: {miss}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """The benchmark suite (bench/run.py in a checkout of Viva): latency, capacity, turn-taking, accuracy, API."""
    import subprocess
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "bench" / "run.py"
    if not script.is_file():
        print("viva bench needs a checkout of Viva (bench/run.py is not installed with the package)",
              file=sys.stderr)
        return 2
    return subprocess.call([sys.executable, str(script), *args.bench_args])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="viva", description="Viva: voice mock interviewer")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the web app and API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("rounds", help="list rounds and their rubric dimensions").set_defaults(func=cmd_rounds)
    bench = sub.add_parser("bench", help="run the benchmark suite (options: bench/run.py --help)")
    bench.add_argument("bench_args", nargs=argparse.REMAINDER)
    bench.set_defaults(func=cmd_bench)
    sub.add_parser("check", help="validate catalog, STT model and database").set_defaults(func=cmd_check)
    db = sub.add_parser("db", help="database schema: `viva db upgrade` migrates, `viva db current` shows it")
    db.add_argument("action", choices=["upgrade", "current"])
    db.set_defaults(func=cmd_db)
    ev = sub.add_parser("eval", help="run the interviewer harness (scripted candidates) and print its table")
    ev.add_argument("--brain", default="offline", help="offline, llm, or both: offline,llm")
    ev.add_argument("--answers", type=int, default=20, help="candidate answers per session")
    ev.add_argument("--rounds", default="", help="comma-separated round ids (default: all)")
    ev.add_argument("--levels", default="", help="comma-separated levels (default: mid,senior,staff)")
    ev.add_argument("--modes", default="typed,spoken", choices=["typed,spoken", "typed", "spoken"],
                    help="answer typed, spoken (the default: both)")
    ev.add_argument("--misses", action="store_true", help="also list every miss")
    ev.set_defaults(func=cmd_eval)
    score = sub.add_parser("score", help="score a transcript file "
                                         "(JSON turns, or Interviewer:/Candidate: lines)")
    score.add_argument("file", help="transcript file, or - for standard input")
    score.add_argument("--round", required=True, help="round id (see `viva rounds`)")
    score.add_argument("--level", default="senior", choices=["mid", "senior", "staff"])
    score.add_argument("--json", action="store_true", help="print the scorecard JSON instead of a table")
    score.add_argument("--scorer", default="offline", choices=["offline", "llm", "auto"],
                       help="offline (default), llm (uses the VIVA_LLM_* settings) or auto (llm when configured)")
    score.set_defaults(func=cmd_score)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
