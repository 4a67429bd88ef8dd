"""Draw the Teams app icons into manifest/: colour 192x192 and outline 32x32 (white on transparent).

Pure Python (no imaging library): a speech bubble holding a question mark, anti-aliased by
supersampling. Run `python tools/draw_icons.py` after changing the drawing; the PNGs are committed.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

MANIFEST = Path(__file__).resolve().parent.parent / "manifest"
NHS_BLUE = (0, 94, 184)
WHITE = (255, 255, 255)
Shape = Callable[[float, float], bool]


def png(width: int, height: int, pixels: list[tuple[int, int, int, int]]) -> bytes:
    """An 8-bit RGBA PNG."""
    rows = b"".join(
        b"\x00" + b"".join(struct.pack("4B", *pixels[y * width + x]) for x in range(width)) for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def rounded_rect(x0: float, y0: float, x1: float, y1: float, r: float) -> Shape:
    def inside(x: float, y: float) -> bool:
        cx, cy = min(max(x, x0 + r), x1 - r), min(max(y, y0 + r), y1 - r)
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r and x0 <= x <= x1 and y0 <= y <= y1

    return inside


def triangle(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> Shape:
    def side(p: tuple[float, float], q: tuple[float, float], x: float, y: float) -> float:
        return (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])

    def inside(x: float, y: float) -> bool:
        s = (side(a, b, x, y), side(b, c, x, y), side(c, a, x, y))
        return all(v >= 0 for v in s) or all(v <= 0 for v in s)

    return inside


def question_mark(cx: float, top: float, size: float) -> Shape:
    """A question mark `size` high: an open arc, a stem and a dot (unit: fractions of size)."""
    r, w = 0.22 * size, 0.085 * size
    arc_cy = top + r + w

    def inside(x: float, y: float) -> bool:
        d = math.hypot(x - cx, y - arc_cy)
        angle = math.degrees(math.atan2(y - arc_cy, x - cx))  # 0 = right, 90 = down
        on_arc = abs(d - r) <= w and not (90 < angle <= 180)
        stem_top, stem_bottom = arc_cy + r - w, top + 0.72 * size
        on_stem = abs(x - cx) <= w and stem_top <= y <= stem_bottom
        on_dot = math.hypot(x - cx, y - (top + 0.9 * size)) <= w * 1.25
        return on_arc or on_stem or on_dot

    return inside


def render(size: int, fill: Callable[[float, float], tuple[int, int, int, int]], samples: int = 4) -> bytes:
    pixels = []
    for py in range(size):
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(samples):
                for sx in range(samples):
                    r, g, b, a = fill((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)
                    acc = [acc[0] + r * a, acc[1] + g * a, acc[2] + b * a, acc[3] + a]
            alpha = acc[3] / samples**2
            colour = [round(c / acc[3]) if acc[3] else 0 for c in acc[:3]]
            pixels.append((*colour, round(alpha)))  # type: ignore[arg-type]
    return png(size, size, pixels)


def main() -> None:
    bubble = rounded_rect(0.16, 0.18, 0.84, 0.70, 0.12)
    tail = triangle((0.30, 0.66), (0.46, 0.66), (0.26, 0.84))
    mark = question_mark(0.5, 0.24, 0.40)

    def colour(x: float, y: float) -> tuple[int, int, int, int]:
        if (bubble(x, y) or tail(x, y)) and not mark(x, y):
            return (*WHITE, 255)
        return (*NHS_BLUE, 255)

    outer = rounded_rect(0.06, 0.08, 0.94, 0.78, 0.16)
    outer_tail = triangle((0.22, 0.72), (0.50, 0.72), (0.16, 0.96))

    def outline(x: float, y: float) -> tuple[int, int, int, int]:
        solid = (outer(x, y) or outer_tail(x, y)) and not mark(x, y * 1.08 - 0.02)
        return (*WHITE, 255) if solid else (*WHITE, 0)

    (MANIFEST / "color.png").write_bytes(render(192, colour))
    (MANIFEST / "outline.png").write_bytes(render(32, outline))


if __name__ == "__main__":
    main()
