"""Draw the Teams app icons (a white "10") with the standard library only.

color.png   192x192, the white mark on the accent colour
outline.png  32x32, the white mark on transparent (Teams requires exactly that)

Run once and commit the PNGs: `python deploy/teams/make_icons.py`. Pillow is deliberately not a
dependency for two small images.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCENT = (0x1F, 0x4E, 0x9A)  # keep in step with accentColor in manifest.json
SAMPLES = 4  # 4x4 supersampling for smooth edges


def _segment_distance(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _inside(x: float, y: float) -> bool:
    """The mark on a 192-unit square: a "1" (stem and flag) and a "0" (an elliptical ring)."""
    stem = 60 <= x <= 80 and 48 <= y <= 144
    flag = _segment_distance(x, y, 44, 70, 68, 52) <= 9
    cx, cy = 126, 96
    outer = ((x - cx) / 36) ** 2 + ((y - cy) / 48) ** 2 <= 1
    inner = ((x - cx) / 18) ** 2 + ((y - cy) / 30) ** 2 <= 1
    return stem or flag or (outer and not inner)


def coverage(size: int) -> list[list[float]]:
    scale = 192 / size
    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            hits = sum(
                _inside((px + (i + 0.5) / SAMPLES) * scale, (py + (j + 0.5) / SAMPLES) * scale)
                for i in range(SAMPLES) for j in range(SAMPLES)
            )
            row.append(hits / SAMPLES**2)
        rows.append(row)
    return rows


def png(width: int, height: int, rgba_rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + row for row in rgba_rows)  # filter type 0 (None) on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def color_icon(size: int = 192) -> bytes:
    rows = []
    for row in coverage(size):
        out = bytearray()
        for c in row:
            out += bytes(round(a + (255 - a) * c) for a in ACCENT) + b"\xff"
        rows.append(bytes(out))
    return png(size, size, rows)


def outline_icon(size: int = 32) -> bytes:
    rows = [b"".join(b"\xff\xff\xff" + bytes([round(255 * c)]) for c in row) for row in coverage(size)]
    return png(size, size, rows)


if __name__ == "__main__":
    (HERE / "color.png").write_bytes(color_icon())
    (HERE / "outline.png").write_bytes(outline_icon())
    print("wrote", HERE / "color.png", "and", HERE / "outline.png")
