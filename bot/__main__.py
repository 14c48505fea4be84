"""``python -m bot`` serves the bot; ``python -m bot report`` prints what maintainers need, with
example questions to add (``python -m bot sporsmal <rutine> "<spørsmål>"`` adds one);
``python -m bot outbox`` shows what is planned, sent and failed; ``python -m bot tickets`` lists
the questions passed on to experts; ``python -m bot package`` writes
the Teams app package (``make package``)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Config
from bot.pii import RedactingFilter

if TYPE_CHECKING:  # each command imports what it needs: `package` needs no Bot Framework
    from bot.store import Store

log = logging.getLogger("bot")

LOCAL_WARNING = """
============================================================================
  MicrosoftAppId is not set: LOCAL DEVELOPMENT MODE.
  No Bot Framework authentication; listening on 127.0.0.1 only.
  Point Microsoft 365 Agents Playground at http://127.0.0.1:{port}/api/messages
============================================================================"""


def _logging() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    logging.basicConfig(level=logging.INFO, handlers=[handler])


def serve(config: Config) -> None:
    from aiohttp import web

    from bot.app import create_app
    from bot.web import RedactingAccessLogger

    if config.local_only:
        log.warning(LOCAL_WARNING.format(port=config.port))
    else:
        log.info("Bot Framework authentication on for app id %s", config.app_id)
    # run_app turns SIGTERM and SIGINT into a graceful stop: no new connections, the app's
    # clean-up stops the outbox worker (sends under way finish, unsent claims are released),
    # then the process exits with status 0.
    web.run_app(
        create_app(config),
        host=config.host,
        port=config.port,
        print=None,
        access_log_class=RedactingAccessLogger,  # the private feed's token stays out of logs
    )


def package(config: Config, out: Path | None) -> int:
    from bot.teams.package import DEFAULT_OUT, PackageError, write_package

    try:
        written = write_package(config.app_id, config.bot_domain, out or DEFAULT_OUT)
    except PackageError as error:
        print(f"Teams-pakken ble ikke laget:\n{error}", file=sys.stderr)
        return 1
    print(f"skrev {written}: last den opp i Teams (Apper → Administrer appene dine)")
    return 0


def _from_store(config: Config, show: Callable[[Store], None]) -> int:
    """Open the database, let ``show`` print from it, close it (the read-only commands)."""
    from bot.store import Store

    store = Store.open(config.database_url)
    try:
        show(store)
    finally:
        store.close()
    return 0


def add_example(config: Config, routine_id: str, question: str) -> int:
    from bot.features.digest.suggestions import QuestionRefused, add_question
    from handbook import Handbook

    handbook = Handbook.open(config.handbook_dir, index_dir=None)
    try:
        path = add_question(handbook, routine_id, question)
    except QuestionRefused as error:
        print(f"Ikke lagt til: {error}", file=sys.stderr)
        return 1
    finally:
        handbook.close()
    print(f"La til eksempelspørsmålet i {path} (sporsmal). Boten bruker det fra neste spørsmål.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve the bot on PORT (the default)")
    report = sub.add_parser("report", help="unanswered questions and feedback per routine")
    report.add_argument("--limit", type=int, default=50, help="at most this many questions")
    question = sub.add_parser(
        "sporsmal", help="add an example question to a routine in HANDBOOK_DIR (see report)"
    )
    question.add_argument("routine", help="the routine's id")
    question.add_argument("question", help="the question, in quotes")
    outbox = sub.add_parser("outbox", help="planned, sent and failed deliveries")
    outbox.add_argument("--latest", type=int, default=10, help="this many latest failures")
    tickets = sub.add_parser("tickets", help="questions passed on to the experts")
    tickets.add_argument("--limit", type=int, default=100, help="at most this many tickets")
    packaging = sub.add_parser(
        "package", help="the Teams app zip for MicrosoftAppId and BOT_DOMAIN (make package)"
    )
    packaging.add_argument("--out", type=Path, default=None, help="where to write the zip")
    args = parser.parse_args(argv)
    _logging()
    config = Config.from_env()
    if args.command == "report":
        from bot.features.digest.report import print_report
        from bot.features.digest.suggestions import format_suggestions, suggestions
        from handbook import Handbook

        def report_and_suggestions(store) -> None:
            print_report(store, sys.stdout, args.limit)
            handbook = Handbook.open(config.handbook_dir, index_dir=None)
            try:
                found = suggestions(store, handbook, args.limit)
            finally:
                handbook.close()
            sys.stdout.write("\n" + format_suggestions(found))

        return _from_store(config, report_and_suggestions)
    if args.command == "sporsmal":
        return add_example(config, args.routine, args.question)
    if args.command == "outbox":
        from bot.delivery.outbox import Outbox, format_summary

        def outbox_summary(store) -> None:
            sys.stdout.write(format_summary(Outbox(store.engine).summary(args.latest)))

        return _from_store(config, outbox_summary)
    if args.command == "tickets":
        from bot.clock import utcnow
        from bot.features.digest.report import format_tickets
        from bot.store.tickets import Tickets

        def ticket_list(store) -> None:
            sys.stdout.write(format_tickets(Tickets(store.engine).all(args.limit), utcnow()))

        return _from_store(config, ticket_list)
    if args.command == "package":
        return package(config, args.out)
    from bot.instance_lock import DataDirInUse, lock_data_dir

    try:
        with lock_data_dir(config.data_dir):
            serve(config)
    except DataDirInUse as error:
        log.error("not started: %s", error)
        print(
            f"Boten ble ikke startet: DATA_DIR ({config.data_dir}) brukes allerede av en annen "
            "instans. Gi hver instans sin egen DATA_DIR.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
