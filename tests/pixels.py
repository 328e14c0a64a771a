"""Read pixels out of PNG screenshots without an imaging library (8-bit RGB/RGBA, no interlace):
Playwright's element screenshots and `import -window root png:-` of the real kiosk window."""

from __future__ import annotations

import os
import struct
import subprocess
import zlib
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    rows: list[bytes]  # RGB, 3 bytes per pixel

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        row = self.rows[y]
        return row[3 * x], row[3 * x + 1], row[3 * x + 2]

    def share(self, colour: tuple[float, float, float], box=None, tolerance: int = 40) -> float:
        """Fraction of pixels (in box = (x0, y0, x1, y1)) within `tolerance` of an RGB 0..1
        colour, sampled every 4 pixels."""
        x0, y0, x1, y1 = box or (0, 0, self.width, self.height)
        target = [round(c * 255) for c in colour]
        seen = hits = 0
        for y in range(y0, y1, 4):
            for x in range(x0, x1, 4):
                seen += 1
                hits += all(abs(a - b) < tolerance for a, b in
                            zip(self.pixel(x, y), target, strict=True))
        return hits / max(seen, 1)

    def commonest(self) -> tuple[int, int, int]:
        counts = Counter(self.pixel(x, y) for y in range(0, self.height, 4)
                         for x in range(0, self.width, 4))
        return counts.most_common(1)[0][0]


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def decode_png(data: bytes) -> Image:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError("only 8-bit RGB/RGBA, non-interlaced PNGs")
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, corner)) & 0xFF
        previous = line
        rows.append(bytes(line) if bpp == 3 else bytes(
            b for j in range(0, stride, 4) for b in line[j:j + 3]))
    return Image(width, height, rows)


def screen(display: str) -> Image:
    """The whole X screen as the resident sees it."""
    png = subprocess.run(["import", "-window", "root", "-depth", "8", "png24:-"],
                         check=True, capture_output=True, timeout=30,
                         env={**os.environ, "DISPLAY": display}).stdout
    return decode_png(png)
