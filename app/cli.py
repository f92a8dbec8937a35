"""Command line: `viva serve`, `viva rounds`, `viva check`."""

from __future__ import annotations

import argparse
import sys

from app.catalog import CatalogError, load_catalog
from app.config import get_settings


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.main import create_app

    settings = get_settings()
    logging_level = settings.log_level.lower()
    uvicorn.run(create_app(settings), host=args.host or settings.host, port=args.port or settings.port,
                log_level=logging_level)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="viva", description="Viva: voice mock interviewer")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the web app and API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("rounds", help="list rounds and their rubric dimensions").set_defaults(func=cmd_rounds)
    sub.add_parser("check", help="validate catalog, STT model and database").set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
