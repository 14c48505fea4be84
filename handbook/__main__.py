"""Command line: ``python -m handbook check [DIR]``, ``search "spørsmål"`` and ``import FILE.docx``."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from handbook.check import check, errors
from handbook.counterpart import lend
from handbook.docx_import import import_docx, todo_notes
from handbook.docx_source import DocxError
from handbook.import_merge import merge
from handbook.import_writer import OutputError, check_output, update_directory, write_directory
from handbook.loader import SYNONYM_FILE, routine_files
from handbook.service import SHIPPED_HANDBOOK, Handbook, default_directory

SHIPPED_SYNONYMS = SHIPPED_HANDBOOK / SYNONYM_FILE


def _check(args: argparse.Namespace) -> int:
    directory = Path(args.dir or args.handbook or default_directory())
    problems = check(directory, today=args.today)
    for problem in problems:
        print(problem)
    failed = errors(problems)
    routines = len(routine_files(directory)) if directory.is_dir() else 0
    print(
        f"{directory}: {routines} fil(er), {len(failed)} feil, "
        f"{len(problems) - len(failed)} advarsel(er)",
        file=sys.stderr,
    )
    # Errors fail; warnings (such as a review date that has passed) fail only with --strict.
    return 1 if failed or (args.strict and problems) else 0


def _lend(files: dict[str, str]) -> tuple[dict[str, str], list]:
    """What the shipped routine on the same topic knows, for each routine that has one (see
    handbook.counterpart)."""
    reference = Handbook.open(SHIPPED_HANDBOOK, index_dir=None)
    try:
        return lend(files, reference)
    finally:
        reference.close()


def _import(args: argparse.Namespace) -> int:
    try:
        if args.update:
            if not args.out.is_dir():
                raise OutputError(
                    f"{args.out} finnes ikke; første gang importerer du uten --update"
                )
            check_output(args.out, True, source=args.docx)
        else:
            check_output(args.out, args.force, source=args.docx)
        result = import_docx(args.docx)
        if result.routines == 0:
            raise DocxError(
                f"{args.docx} har ingen rutiner: fant ingen overskrift med stilen «Overskrift 1» "
                "(Heading 1) eller noe som ser ut som en overskrift, med tekst under"
            )
        files = dict(result.files)
        if not (args.update and (args.out / SYNONYM_FILE).exists()):
            # The field's words (ØR, nødhjelp, inhabil …) work from the first question; the
            # office edits its own copy.
            files.setdefault(SYNONYM_FILE, SHIPPED_SYNONYMS.read_text(encoding="utf-8"))
        notes, todo = list(result.notes), result.todo
        if args.update:
            merged = merge(files, args.out, args.docx.name)
            # only new routines borrow: what a maintainer deleted from one does not come back
            new = {name: merged.files[name] for name in merged.added}
            lent_files, lent = ({}, []) if args.no_lend else _lend(new)
            update_directory({**merged.files, **lent_files}, merged.removed, args.out)
            notes, todo = notes + merged.notes, merged.todo
        else:
            files, lent = (files, []) if args.no_lend else _lend(files)
            write_directory(files, args.out, force=args.force)
        notes += [item.note() for item in lent]
    except (DocxError, OutputError) as error:
        print(f"Kan ikke importere: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(
            f"Kan ikke importere: {error.filename or args.out}: {error.strerror}", file=sys.stderr
        )
        return 1
    notes += todo_notes(todo)
    for note in notes:
        print(f"{args.docx}: {note}")
    print(
        f"{args.out}: {result.routines} rutine(r) {'oppdatert' if args.update else 'skrevet'}, "
        f"{len(notes)} merknad(er). Fra dokumentet: {result.summary()}. "
        "Alle rutinene er med i søket med en gang; de med TODO vises som «Ikke kvalitetssikret "
        f"ennå» til noen fyller dem inn. Se hva som mangler: python -m handbook check {args.out}",
        file=sys.stderr,
    )
    return 0


def _search(args: argparse.Namespace) -> int:
    handbook = Handbook.open(args.handbook, index_dir=args.index)
    result = handbook.search(args.question, k=args.k)
    if args.json:
        payload = {
            "query": result.query,
            "confident": result.confident,
            "confidence": result.confidence,
            "results": [
                {
                    "routine": hit.routine_id,
                    "title": hit.title,
                    "section": hit.section,
                    "excerpt": hit.excerpt,
                    "score": hit.score,
                    "legal": [{"text": ref.text, "url": ref.url} for ref in hit.legal],
                    "revised": hit.revised.isoformat() if hit.revised else None,
                    "not_assured": hit.not_assured or None,
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
        if hit.revised:
            print(f"  Revidert: {hit.revised.isoformat()}")
        if hit.not_assured:
            print(f"  {hit.not_assured}")
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
    check_cmd.add_argument(
        "--strict", action="store_true", help="exit 1 on warnings too (e.g. overdue reviews)"
    )
    check_cmd.set_defaults(func=_check)

    import_cmd = commands.add_parser("import", help="turn a Word handbook (.docx) into routines")
    import_cmd.add_argument("docx", type=Path, help="the Word file (.docx)")
    import_cmd.add_argument("--out", type=Path, required=True, help="directory to create")
    import_cmd.add_argument(
        "--no-lend",
        action="store_true",
        help="do not lend the shipped routines' example questions, tags and synonyms (see handbook.counterpart)",
    )
    replace = import_cmd.add_mutually_exclusive_group()
    replace.add_argument(
        "--force", action="store_true", help="replace the contents of a non-empty --out directory"
    )
    replace.add_argument(
        "--update",
        action="store_true",
        help="re-import into --out, keeping what maintainers filled in (see handbook.import_merge)",
    )
    import_cmd.set_defaults(func=_import)

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
