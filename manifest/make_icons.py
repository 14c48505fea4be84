"""Draw the Teams app icons: ``color.png`` (192×192) and ``outline.png`` (32×32).

Standard library only (PNG written with zlib and struct), so no dependency is needed to redraw
them:

    python3 manifest/make_icons.py            # rewrites manifest/color.png and manifest/outline.png

The glyph is a closed handbook (cover with a thick spine) with a check mark on it: "the routine
that answers your question". ``color.png`` is the white glyph on the accent colour; ``outline.png``
is the same glyph in white on a transparent background, as Teams requires. The output is
byte-for-byte reproducible; ``tests/teams/test_manifest.py`` checks the committed PNGs against it.
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The manifest's accentColor; white on it has a contrast ratio of about 5.5:1.
ACCENT = (0x00, 0x67, 0xC5)
WHITE = (0xFF, 0xFF, 0xFF)
SUPERSAMPLE = 4  # samples per pixel along each axis, for anti-aliased edges

# The glyph in unit coordinates (0..1, y downwards).
BOOK = (0.20, 0.10, 0.80, 0.90)  # left, top, right, bottom of the cover's outer edge
STROKE = 0.085  # width of the cover's outline and of the check mark
SPINE = 0.17  # width of the filled spine on the left
CORNER = 0.07  # radius of the cover's outer corners
CHECK = ((0.45, 0.52), (0.535, 0.615), (0.655, 0.40))  # the check mark's polyline


def _inside_rounded_rect(x: float, y: float, box: tuple[float, ...], radius: float) -> bool:
    left, top, right, bottom = box
    if not (left <= x <= right and top <= y <= bottom):
        return False
    cx = min(max(x, left + radius), right - radius)
    cy = min(max(y, top + radius), bottom - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def _distance_to_segment(x: float, y: float, a: tuple[float, float], b: tuple[float, float]):
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (ax + t * dx), y - (ay + t * dy))


def glyph(x: float, y: float) -> bool:
    """Whether the unit-square point (x, y) is part of the white glyph."""
    left, top, right, bottom = BOOK
    cover = _inside_rounded_rect(x, y, BOOK, CORNER)
    inner = (left + SPINE, top + STROKE, right - STROKE, bottom - STROKE)
    hollow = _inside_rounded_rect(x, y, inner, max(CORNER - STROKE, 0.01))
    if cover and not hollow:
        return True
    return any(_distance_to_segment(x, y, a, b) <= STROKE / 2 for a, b in pairwise(CHECK))


def render(size: int, scale: float, background: tuple[int, int, int] | None) -> bytes:
    """RGBA rows of a ``size``×``size`` icon: the glyph scaled by ``scale`` about the centre,
    white over ``background`` (``None``: transparent)."""
    rows = []
    step = 1.0 / SUPERSAMPLE
    for py in range(size):
        row = bytearray()
        for px in range(size):
            hits = 0
            for sy in range(SUPERSAMPLE):
                for sx in range(SUPERSAMPLE):
                    u = ((px + (sx + 0.5) * step) / size - 0.5) / scale + 0.5
                    v = ((py + (sy + 0.5) * step) / size - 0.5) / scale + 0.5
                    hits += glyph(u, v)
            coverage = hits / SUPERSAMPLE**2
            if background is None:
                row += bytes((*WHITE, round(255 * coverage)))
            else:
                mixed = (
                    round(b + (w - b) * coverage) for w, b in zip(WHITE, background, strict=True)
                )
                row += bytes((*mixed, 255))
        rows.append(bytes(row))
    return b"".join(b"\x00" + row for row in rows)  # filter type 0 (None) on every row


def png(size: int, filtered_rows: bytes) -> bytes:
    """A PNG file: 8-bit RGBA (colour type 6), non-interlaced."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(filtered_rows, 9))
        + chunk(b"IEND", b"")
    )


def icons() -> dict[str, bytes]:
    """File name -> PNG bytes. The colour icon keeps the glyph inside Teams' central safe area."""
    return {
        "color.png": png(192, render(192, 0.66, ACCENT)),
        "outline.png": png(32, render(32, 1.0, None)),
    }


def main(argv: list[str] | None = None) -> int:
    out = Path(argv[0]) if argv else HERE
    for name, data in icons().items():
        (out / name).write_bytes(data)
        print(f"skrev {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
