"""Opening a Word (.docx) file and walking its body in document order, with python-docx.

:func:`open_docx` refuses what python-docx cannot read with a :class:`DocxError` whose message is a
Norwegian sentence: a password-protected file (Word encrypts it into an OLE compound file), an old
binary ``.doc`` (also OLE), and anything that is not a Word package (a broken zip, an Excel file).

:func:`body_blocks` yields the body's paragraphs and tables (python-docx objects) and, for any other
block (a content control, an embedded chunk), the name of what was left out. :func:`unmapped_in`
names what a paragraph holds that the Markdown handbook has no place for: images, text boxes,
comments, tracked changes, footnotes. python-docx has no API for those, so they are found by
querying the paragraph's element tree (XPath on ``paragraph._p``), through python-docx's own objects.
"""

from __future__ import annotations

import functools
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import nsmap
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office stores an encrypted .docx as an OLE file with a stream of this name (MS-OFFCRYPTO).
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class DocxError(Exception):
    """The file cannot be imported; ``str(error)`` is a sentence for the user."""


def _sniff(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            if head != OLE_MAGIC:
                return
            handle.seek(0)
            content = handle.read()
    except OSError as error:
        raise DocxError(f"kan ikke lese {path}: {error.strerror}") from None
    if ENCRYPTED_STREAM in content:
        raise DocxError(
            f"{path} er passordbeskyttet (kryptert). Åpne den i Word, fjern passordet "
            "(Fil › Info › Beskytt dokument) og lagre den på nytt før import."
        )
    raise DocxError(
        f"{path} er i det gamle Word-formatet (.doc) eller et annet Office-format. "
        "Åpne den i Word og lagre den som Word-dokument (.docx)."
    )


def _starts_like_a_zip(path: Path) -> bool:
    """A zip's local header at the start: a damaged Word file rather than another file type."""
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def open_docx(path: Path) -> Document:
    """The document at ``path``; :class:`DocxError` for anything python-docx cannot read."""
    if not path.is_file():
        raise DocxError(f"finner ikke filen {path}")
    _sniff(path)
    if not zipfile.is_zipfile(path) and not _starts_like_a_zip(path):
        raise DocxError(
            f"{path} er ikke et gyldig Word-dokument (.docx): det er en annen filtype som har "
            "fått navnet .docx (for eksempel en tekstfil). Åpne originalen i Word og lagre den "
            "som «Word-dokument (*.docx)»."
        )
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, zipfile.LargeZipFile):
        raise DocxError(
            f"{path} er ikke et gyldig Word-dokument (.docx); filen kan være skadet"
        ) from None
    except ValueError:
        # python-docx opens only Word documents: not a template, a macro document or a spreadsheet.
        raise DocxError(
            f"{path} er ikke et vanlig Word-dokument (.docx). Åpne den i Word og lagre den "
            "som «Word-dokument (*.docx)»."
        ) from None
    except KeyError:
        raise DocxError(
            f"{path} er en zip-fil, men ikke et Word-dokument (.docx): Word-delene mangler"
        ) from None
    except (etree.XMLSyntaxError, EOFError, OSError):
        raise DocxError(
            f"{path} er skadet eller ikke et Word-dokument (.docx): innholdet kan ikke leses"
        ) from None


@dataclass(frozen=True)
class Skipped:
    """A body block that is neither a paragraph nor a table."""

    what: str


_BLOCK_NAMES = {
    "sdt": "innholdskontroll (content control)",
    "altChunk": "innebygd dokument (altChunk)",
    "customXml": "egendefinert XML-blokk",
}
TABLE_OF_CONTENTS = "innholdsfortegnelse (den lages ikke på nytt)"
_IGNORED_BLOCKS = {"sectPr", "bookmarkStart", "bookmarkEnd", "proofErr", "permStart", "permEnd"}


def body_blocks(document: Document) -> Iterator[Paragraph | Table | Skipped]:
    """The body in document order: python-docx paragraphs and tables, and :class:`Skipped` blocks.

    ``Document.iter_inner_content`` yields exactly the body's ``w:p`` and ``w:tbl`` children in order;
    the other children are read from ``document.element.body`` only to say what was left out.
    """
    inner = document.iter_inner_content()
    for child in document.element.body.iterchildren():
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag in ("p", "tbl"):
            yield next(inner)
        elif tag == "sdt" and any(
            "contents" in value.lower() for value in _find(child, ".//w:docPartGallery/@w:val")
        ):
            yield Skipped(TABLE_OF_CONTENTS)
        elif tag in _BLOCK_NAMES:
            yield Skipped(_BLOCK_NAMES[tag])
        elif tag and tag not in _IGNORED_BLOCKS and not tag.startswith("move"):
            yield Skipped(f"ukjent element «{tag}»")


def _snippet(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.cache
def _compiled(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces=nsmap)


def _find(element, path: str) -> list:
    """XPath with Word's namespace prefixes, on any element (also those python-docx has no class for)."""
    return _compiled(path)(element)


def _texts(element) -> str:
    return "".join(_find(element, ".//w:t/text() | .//w:delText/text()"))


def unmapped_in(paragraph: Paragraph, document: Document) -> list[str]:
    """What ``paragraph`` holds beyond text, formatting and links, each as a short Norwegian note."""
    p = paragraph._p
    notes: list[str] = []
    boxes = _find(p, ".//w:txbxContent")
    for box in boxes:
        notes.append(f"tekstboks er ikke tatt med: «{_snippet(_texts(box))}»")
    pictures = [
        d
        for d in _find(p, ".//w:drawing | .//w:pict | .//w:object")
        if not _find(d, ".//w:txbxContent")
    ]
    if pictures:
        notes.append(
            "bilde eller figur er ikke tatt med"
            if len(pictures) == 1
            else f"{len(pictures)} bilder eller figurer er ikke tatt med"
        )
    for reference in _find(p, ".//w:commentReference"):
        notes.append(f"kommentar er ikke tatt med{_comment_text(document, reference)}")
    for inserted in _find(p, ".//w:ins | .//w:moveTo"):
        text = _texts(inserted)
        if text.strip():
            notes.append(f"sporet endring (innsatt tekst) er ikke tatt med: «{_snippet(text)}»")
    for deleted in _find(p, ".//w:del | .//w:moveFrom"):
        text = _texts(deleted)
        if text.strip():
            notes.append(f"sporet endring (slettet tekst) er utelatt: «{_snippet(text)}»")
    if _find(p, ".//w:rPrChange | .//w:pPrChange"):
        notes.append("sporet formatendring; teksten er tatt med slik den står nå")
    if _find(p, ".//w:footnoteReference"):
        notes.append("fotnote er ikke tatt med")
    if _find(p, ".//w:endnoteReference"):
        notes.append("sluttnote er ikke tatt med")
    for control in _find(p, "./w:sdt"):
        notes.append(f"innholdskontroll er ikke tatt med: «{_snippet(_texts(control))}»")
    if _find(p, ".//m:oMath"):
        notes.append("formel er ikke tatt med")
    for field in _find(p, "./w:fldSimple"):
        text = _texts(field)
        if text.strip():
            notes.append(f"felt er ikke tatt med: «{_snippet(text)}»")
    return notes


def _comment_text(document: Document, reference) -> str:
    comment_id = reference.get(f"{WORD_NS}id")
    try:
        comment = document.comments.get(int(comment_id))
    except (KeyError, TypeError, ValueError):
        return ""
    text = comment.text if comment is not None else ""
    return f": «{_snippet(text)}»" if text and text.strip() else ""
