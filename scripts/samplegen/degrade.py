"""Scanner and phone-camera degradations of a born-digital PDF, all seeded (deterministic).

- `scan_pdf`: each page rasterised in greyscale at a dpi, paper tint, slight skew, noise,
  blur, JPEG compression, wrapped into an image-only PDF.
- `garbled_pdf`: the scan pages OCR'd by Tesseract with the English model (`-l eng pdf`),
  merged: images with an invisible, garbled text layer.
- `phone_photo`: one page warped in perspective onto a desk, unevenly lit, slightly blurred.
"""
from __future__ import annotations

import io
import os
import subprocess
import tempfile
import zlib
from pathlib import Path

import cv2
import numpy as np
import pymupdf
from PIL import Image

FIXED_METADATA = {"producer": "planparse scripts/make_samples.py", "creator": "planparse samples",
                  "creationDate": "D:20240101000000Z", "modDate": "D:20240101000000Z"}


def seed_for(*parts: object) -> int:
    """A stable 32-bit seed from any labels (case name, kind, page)."""
    return zlib.crc32("|".join(str(p) for p in parts).encode("utf-8"))


def _render_gray(page: pymupdf.Page, dpi: int) -> np.ndarray:
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width).copy()


def _render_rgb(page: pymupdf.Page, dpi: int) -> np.ndarray:
    pix = page.get_pixmap(dpi=dpi, alpha=False)
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, 3).copy()


def scan_page(gray: np.ndarray, dpi: int, rng: np.random.Generator) -> np.ndarray:
    """Make a clean greyscale page look scanned: tint, skew, noise, blur."""
    h, w = gray.shape
    paper = rng.uniform(226, 236)
    ink = rng.uniform(35, 50)
    img = ink + (gray.astype(np.float32) / 255.0) * (paper - ink)
    # a faint, uneven paper shade across the page
    ys = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    xs = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    img -= rng.uniform(0, 6) * ys + rng.uniform(0, 6) * xs
    # skew
    angle = float(rng.uniform(0.3, 1.0) * rng.choice([-1, 1]))
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    img = cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=float(paper))
    # sensor noise, then the scanner's optical softness (which also keeps JPEG small)
    img += rng.normal(0, 2.0, img.shape).astype(np.float32)
    specks = rng.random(img.shape) < 0.00004
    img[specks] = ink
    img = cv2.GaussianBlur(img, (0, 0), 0.75 * dpi / 300)
    return np.clip(img, 0, 255).astype(np.uint8)


def jpeg_bytes(img: np.ndarray, quality: int, dpi: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG", quality=quality, dpi=(dpi, dpi),
                              optimize=True, progressive=True)
    return buf.getvalue()


def scan_images(born_digital: Path, dpi: int, label: str) -> list[tuple[bytes, pymupdf.Rect]]:
    """JPEG bytes and page rectangle of every scanned page."""
    out = []
    with pymupdf.open(born_digital) as doc:
        for number, page in enumerate(doc, start=1):
            rng = np.random.default_rng(seed_for(label, "scan", dpi, number))
            img = scan_page(_render_gray(page, dpi), dpi, rng)
            quality = int(rng.integers(60, 67))
            out.append((jpeg_bytes(img, quality, dpi), page.rect))
    return out


def _save(doc: pymupdf.Document, path: Path) -> None:
    doc.set_metadata(FIXED_METADATA)
    doc.save(path, garbage=3, deflate=True, no_new_id=True)


def scan_pdf(born_digital: Path, out: Path, dpi: int, label: str) -> Path:
    """An image-only PDF of the born-digital document, as a scanner at `dpi` makes it."""
    doc = pymupdf.open()
    for data, rect in scan_images(born_digital, dpi, label):
        page = doc.new_page(width=rect.width, height=rect.height)
        page.insert_image(page.rect, stream=data)
    _save(doc, out)
    return out


def garbled_pdf(born_digital: Path, out: Path, label: str) -> Path:
    """The 300 dpi scan with an invisible text layer from English-model Tesseract."""
    merged = pymupdf.open()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory() as tmp:
        for number, (data, rect) in enumerate(scan_images(born_digital, 300, label), start=1):
            image = Path(tmp) / f"page{number}.jpg"
            image.write_bytes(data)
            base = Path(tmp) / f"page{number}"
            subprocess.run(["tesseract", str(image), str(base), "-l", "eng", "pdf"],
                           check=True, env=env, capture_output=True)
            with pymupdf.open(f"{base}.pdf") as part:
                merged.insert_pdf(part)
    _save(merged, out)
    return out


def _desk(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A darker wooden-desk background (BGR float): blotches and fine grain."""
    base = np.array([rng.uniform(40, 60), rng.uniform(70, 90), rng.uniform(100, 125)],
                    dtype=np.float32)
    blotches = cv2.resize(rng.normal(0, 1, (5, 7)).astype(np.float32), (w, h),
                          interpolation=cv2.INTER_CUBIC)
    grain = cv2.resize(rng.normal(0, 1, (h // 4, 40)).astype(np.float32), (w, h),
                       interpolation=cv2.INTER_LINEAR)
    fine = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 1.5)
    shade = 1 + 0.07 * blotches + 0.035 * grain + 0.03 * fine
    return base[None, None, :] * shade[..., None]


def phone_photo(born_digital: Path, out: Path, page_number: int, label: str,
                long_side: int = 2000) -> Path:
    """A phone photo (colour JPEG) of one page lying on a desk."""
    rng = np.random.default_rng(seed_for(label, "photo", page_number))
    with pymupdf.open(born_digital) as doc:
        page = doc[page_number - 1]
        dpi = int(long_side * 0.82 / (max(page.rect.width, page.rect.height) / 72))
        rgb = _render_rgb(page, dpi)
    page_img = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR).astype(np.float32)
    page_img *= np.array([0.93, 0.97, 1.0], dtype=np.float32)  # warm paper under room light
    ph, pw = page_img.shape[:2]
    portrait = ph >= pw
    H, W = (long_side, int(long_side * 0.75)) if portrait else (int(long_side * 0.75), long_side)
    # where the page corners land: centred, ~85 % of the frame, perspective-tilted
    scale = min(W * 0.86 / pw, H * 0.86 / ph)
    cw, ch = pw * scale, ph * scale
    x0, y0 = (W - cw) / 2, (H - ch) / 2
    jitter = lambda: rng.uniform(-0.035, 0.035)  # noqa: E731
    top_shrink = rng.uniform(0.02, 0.06) * cw  # the far edge looks narrower
    dst = np.float32([
        [x0 + top_shrink + jitter() * cw, y0 + jitter() * ch],
        [x0 + cw - top_shrink + jitter() * cw, y0 + jitter() * ch],
        [x0 + cw + jitter() * cw, y0 + ch + jitter() * ch],
        [x0 + jitter() * cw, y0 + ch + jitter() * ch]])
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page_img, matrix, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), matrix, (W, H))
    mask = cv2.GaussianBlur(mask, (0, 0), 1.2)[..., None]
    desk = _desk(H, W, rng)
    # a soft shadow of the page on the desk
    shadow = cv2.GaussianBlur(np.roll(mask[..., 0], (12, 9), axis=(0, 1)), (0, 0), 14)[..., None]
    desk *= 1 - 0.45 * shadow
    img = warped * mask + desk * (1 - mask)
    # uneven light: a broad gradient from one side and a vignette
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    gx, gy = rng.uniform(-1, 1, 2)
    gradient = 1 + 0.16 * ((xx / W - 0.5) * gx + (yy / H - 0.5) * gy)
    r2 = ((xx - W / 2) / (W / 2)) ** 2 + ((yy - H / 2) / (H / 2)) ** 2
    vignette = 1 - 0.22 * r2
    img *= (gradient * vignette)[..., None]
    img = cv2.GaussianBlur(img, (0, 0), 1.0)
    img += rng.normal(0, 2.5, img.shape).astype(np.float32)
    img = np.clip(img, 0, 255).astype(np.uint8)
    rgb_out = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    Image.fromarray(rgb_out).save(out, format="JPEG", quality=85, optimize=True)
    return out
