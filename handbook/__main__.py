"""Command line: ``python -m handbook check [DIR]`` and ``python -m handbook search "spørsmål"``."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from handbook.check import check, errors
from handbook.service import Handbook, default_directory


def _check(args: argparse.Namespace) -> int:
    directory = Path(args.dir or args.handbook or default_directory())
    problems = check(directory, today=args.today)
    for problem in problems:
        print(problem)
    failed = errors(problems)
    routines = len(list(directory.rglob("*.md"))) if directory.is_dir() else 0
    print(
        f"{directory}: {routines} fil(er), {len(failed)} feil, "
        f"{len(problems) - len(failed)} advarsel(er)",
        file=sys.stderr,
    )
    return 1 if failed else 0


def _search(args: argparse.Namespace) -> int:
    handbook = Handbook.open(args.handbook, index_dir=args.index)
    result = handbook.search(args.question, k=args.k)
    if args.json:
        payload = {
            "query": result.query,
            "confident": result.confident,
            "results": [
                {
                    "routine": hit.routine_id,
                    "title": hit.title,
                    "section": hit.section,
                    "excerpt": hit.excerpt,
                    "score": hit.score,
                    "legal": [{"text": ref.text, "url": ref.url} for ref in hit.legal],
                    "revised": hit.revised.isoformat(),
                }
                for hit in result.hits
            ],
        }
        if args.explain:
            payload["explain"] = handbook.explain(args.question)
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    if not result.hits:
        print("Fant ingen rutine som passer.")
        return 0
    print("Sikkert svar:" if result.confident else "Ikke sikkert svar. Nærmeste rutiner:")
    for hit in result.hits:
        print(f"\n{hit.title} – {hit.section}  [{hit.routine_id}, {hit.score:.2f}]")
        print(f"  {hit.excerpt}")
        if hit.legal:
            print("  Lovgrunnlag: " + "; ".join(f"{r.text} <{r.url}>" for r in hit.legal))
        print(f"  Revidert: {hit.revised.isoformat()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    check_cmd = commands.add_parser("check", help="validate a handbook directory")
    check_cmd.add_argument(
        "dir", nargs="?", help="handbook directory (default: HANDBOOK_DIR or the shipped one)"
    )
    check_cmd.add_argument("--handbook", help=argparse.SUPPRESS)
    check_cmd.add_argument(
        "--today", type=date.fromisoformat, help="check review dates as of this day (YYYY-MM-DD)"
    )
    check_cmd.set_defaults(func=_check)

    search_cmd = commands.add_parser("search", help="search the handbook")
    search_cmd.add_argument("question")
    search_cmd.add_argument("--json", action="store_true", help="print JSON")
    search_cmd.add_argument("-k", type=int, default=3, help="number of routines (default 3)")
    search_cmd.add_argument("--handbook", type=Path, help="handbook directory")
    search_cmd.add_argument("--index", type=Path, help="keep the index in this directory")
    search_cmd.add_argument("--explain", action="store_true", help="with --json: show the query")
    search_cmd.set_defaults(func=_search)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
