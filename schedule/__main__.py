"""Command line: ``python -m schedule check|upcoming|ics``.

    python -m schedule check [DIR]                      # one line per problem; exit 1 on errors
    python -m schedule upcoming [--days N] [--dir DIR]  # what is due in the coming days
    python -m schedule ics fredagsprat|frister [--session ID] [--dir DIR]

The directory is ``SCHEDULE_DIR`` if set, else the shipped example; links use
``PUBLIC_BASE_URL``. This module is the only one that reads the environment and the clock.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from schedule import ics, norsk
from schedule.loader import load
from schedule.model import OSLO, Schedule
from schedule.paths import public_base_url, schedule_dir
from schedule.upcoming import format_line, overdue, upcoming


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m schedule",
        description="Fredagsprat, frister og årshjul: sjekk, oversikt og kalenderfeeder.",
    )
    commands = parser.add_subparsers(required=True, metavar="KOMMANDO")

    check = commands.add_parser("check", help="sjekk YAML-filene (fil:linje: feil)")
    check.add_argument("dir", nargs="?", type=Path, help="mappen (standard: SCHEDULE_DIR)")
    check.set_defaults(run=_check)

    coming = commands.add_parser("upcoming", help="hva som skjer de neste dagene")
    coming.add_argument("--days", type=int, default=14, help="antall dager (standard 14)")
    coming.set_defaults(run=_upcoming)

    feed = commands.add_parser("ics", help="skriv en kalenderfeed (.ics) til stdout")
    feed.add_argument("feed", choices=("fredagsprat", "frister"))
    feed.add_argument("--session", metavar="ID", help="bare denne samlingen (fredagsprat)")
    feed.add_argument("--base-url", help="offentlig adresse (standard: PUBLIC_BASE_URL)")
    feed.set_defaults(run=_ics)

    for sub in (coming, feed):
        sub.add_argument("--dir", type=Path, help="mappen (standard: SCHEDULE_DIR)")
        sub.add_argument(
            "--now", type=_local_datetime, help="late som om klokka er ÅÅÅÅ-MM-DD TT:MM"
        )
    return parser


def _local_datetime(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=OSLO)


def _directory(args: argparse.Namespace) -> Path:
    return args.dir or schedule_dir(os.environ)


def _now(args: argparse.Namespace) -> datetime:
    return args.now or datetime.now(OSLO)


def _check(args: argparse.Namespace) -> int:
    directory = _directory(args)
    schedule, problems = load(directory)
    for problem in problems:
        print(problem)
    errors = sum(not p.warning for p in problems)
    summary = (
        f"{directory}: {len(schedule.sessions)} samlinger, {len(schedule.deadlines)} frister, "
        f"{len(schedule.recurring)} faste oppgaver"
    )
    print(f"{summary}; {errors} feil" if errors else f"{summary}; ok", file=sys.stderr)
    return 1 if errors else 0


def _load_for_use(args: argparse.Namespace) -> Schedule:
    schedule, problems = load(_directory(args))
    if errors := [p for p in problems if not p.warning]:
        print(
            f"advarsel: {len(errors)} feil i timeplanen er hoppet over "
            "(se python -m schedule check)",
            file=sys.stderr,
        )
    return schedule


def _upcoming(args: argparse.Namespace) -> int:
    schedule, now = _load_for_use(args), _now(args)
    late = overdue(schedule, now)
    if late:
        print("Forfalt, ikke evaluert:")
        for due in late:
            print("  " + format_line(due))
        print()
    coming = upcoming(schedule, now, args.days)
    print(f"De neste {args.days} dagene (fra {norsk.long_date(now.astimezone(OSLO).date())}):")
    for due in coming:
        print("  " + format_line(due))
    if not coming:
        print("  Ingenting.")
    return 0


def _ics(args: argparse.Namespace) -> int:
    schedule = _load_for_use(args)
    base_url = args.base_url or public_base_url(os.environ)
    if args.feed == "frister":
        body = ics.deadlines_calendar(schedule, base_url)
    elif args.session:
        try:
            body = ics.session_calendar(schedule, args.session, base_url)
        except KeyError:
            print(f"fant ingen samling med id «{args.session}»", file=sys.stderr)
            return 1
    else:
        body = ics.fredagsprat_calendar(schedule, _now(args), base_url)
    sys.stdout.buffer.write(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
