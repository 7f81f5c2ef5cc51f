"""Make (truth, English-model OCR) line pairs: render Vietnamese lines, read them with `-l eng`.

Why: scans that someone OCR'd with an English model are the worst input we get, and the
confusions are systematic (ư->w, ố->6, ả->d, Đ->P, ú->ii).  No corpus of such pairs exists
offline, so we make our own: lines are drawn with Liberation Serif (full Vietnamese
coverage) on an A4 page at 300 dpi, optionally downsampled, blurred and speckled like a
clean (degrade=1) or a poor (degrade=2) scan, and
Tesseract reads the page with `-l eng --psm 4`.  Each OCR word is assigned to the drawn
line whose band contains its centre, which gives line-aligned pairs without any guessing.

Tesseract runs with OMP_THREAD_LIMIT=1 under `nice` (shared 2-core machine).
"""

from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import tempfile
from pathlib import Path

FONTS = [
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
]
PAGE_W, PAGE_H, MARGIN = 2480, 3508, 200


def _fonts() -> list[str]:
    found = [f for f in FONTS if Path(f).exists()]
    if not found:
        raise SystemExit("no Vietnamese-capable font: apt-get install fonts-liberation2")
    return found


def _wrap(lines: list[str], font, width: int) -> list[str]:
    out = []
    for line in lines:
        words = line.split()
        cur: list[str] = []
        for w in words:
            trial = " ".join([*cur, w])
            if cur and font.getlength(trial) > width:
                out.append(" ".join(cur))
                cur = [w]
            else:
                cur.append(w)
        if cur:
            out.append(" ".join(cur))
    return out


def render_pages(lines: list[str], rng: random.Random, degrade: int):
    """Yield (PIL image, [(truth line, y0, y1)]) pages."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font_path = rng.choice(_fonts())
    size = rng.choice([46, 50, 54, 58])  # 11-14 pt at 300 dpi
    font = ImageFont.truetype(font_path, size)
    wrapped = _wrap(lines, font, PAGE_W - 2 * MARGIN)
    step = int(size * rng.choice([1.5, 1.7, 2.0]))
    per_page = (PAGE_H - 2 * MARGIN) // step
    for start in range(0, len(wrapped), per_page):
        chunk = wrapped[start:start + per_page]
        img = Image.new("L", (PAGE_W, PAGE_H), 255)
        draw = ImageDraw.Draw(img)
        bands = []
        for i, line in enumerate(chunk):
            y = MARGIN + i * step
            draw.text((MARGIN, y), line, font=font, fill=0)
            bands.append((line, y - step * 0.25, y + step * 0.9))
        if degrade:
            # 1: a clean 150-200 dpi scan; 2: a poor one (~130 dpi, blur, speckle, uneven ink)
            scale = rng.choice([0.5, 0.6, 0.67]) if degrade == 1 else rng.choice([0.4, 0.45])
            small = img.resize((int(PAGE_W * scale), int(PAGE_H * scale)), Image.BILINEAR)
            img = small.filter(ImageFilter.GaussianBlur(rng.choice([0.3, 0.6]) if degrade == 1 else rng.choice([0.7, 0.9])))
            if degrade == 2:
                import numpy as np

                arr = np.asarray(img, dtype=np.float32)
                noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 18, arr.shape)
                arr = np.clip(arr + noise, 0, 255)
                arr = np.where(arr < rng.choice([150, 170, 190]), arr * 0.6, np.minimum(arr * 1.1, 255))
                img = Image.fromarray(arr.astype(np.uint8))
            bands = [(t, a * scale, b * scale) for t, a, b in bands]
        yield img, bands


def ocr_image(img) -> list[tuple[float, float, str]]:
    """Words read by `tesseract -l eng --psm 4`: (vertical centre, left, text)."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.png"
        img.save(path)
        out = subprocess.run(
            ["nice", "-n", "10", "tesseract", str(path), "stdout", "-l", "eng", "--psm", "4", "tsv"],
            capture_output=True, text=True, env=env, check=True,
        ).stdout
    words = []
    for row in csv.DictReader(io.StringIO(out), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        top, height, left = float(row["top"]), float(row["height"]), float(row["left"])
        words.append((top + height / 2, left, row["text"]))
    return words


def ocr_lines(lines: list[str], seed: int = 0, degrade: int = 0) -> list[tuple[str, str]]:
    """(truth, OCR) pairs for `lines` (re-wrapped to the page width)."""
    rng = random.Random(seed)
    pairs = []
    for img, bands in render_pages(lines, rng, degrade):
        words = ocr_image(img)
        got: list[list[tuple[float, str]]] = [[] for _ in bands]
        for yc, left, text in words:
            for i, (_, y0, y1) in enumerate(bands):
                if y0 <= yc < y1:
                    got[i].append((left, text))
                    break
        for (truth, _, _), ws in zip(bands, got):
            pairs.append((truth, " ".join(t for _, t in sorted(ws))))
    return pairs
