"""Image preparation before OCR: greyscale, deskew, and for phone photos flatten the page.

Why so little for scans: Tesseract binarises clean office scans well on its own, and every
resampling step costs time and sharpness, so a straight scan passes through untouched (the
deskew threshold keeps it that way).  Photos are different: the page is a quadrilateral on a
desk, lit unevenly, so we find the page, warp it flat, divide out the lighting and binarise
locally.  All analysis (angle, page outline, lighting) runs on a downscaled copy so that the
whole step stays in the tens of milliseconds; only the final warp/rotation touches full size.

OpenCV is imported inside the functions, so `import planparse` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from PIL import Image

# Below this angle (degrees) a page is left as it is: resampling a straight scan only blurs it.
MIN_SKEW = 0.2
MAX_SKEW = 8.0
# Long side of the copy used for analysis.
ANALYSIS_SIDE = 1000


def to_grey(image: "Image.Image") -> np.ndarray:
    """Any PIL image as 8-bit greyscale, whatever its mode.

    Transparent areas become white (a transparent PNG background is paper, not ink), 16-bit and
    float images are scaled rather than clipped, CMYK and palette images go through RGB.
    """
    from PIL import Image

    mode = image.mode
    if mode == "L":
        return np.asarray(image, dtype=np.uint8)
    if mode in ("I", "I;16", "I;16L", "I;16B", "I;16N", "F"):
        a = np.asarray(image).astype(np.float64)
        top = float(a.max()) if a.size else 0.0
        if mode == "F" and top <= 1.0:
            a = a * 255.0
        elif top > 255.0:
            a = a * (255.0 / (65535.0 if top <= 65535.0 else top))
        return np.clip(a, 0, 255).astype(np.uint8)
    if mode in ("RGBA", "LA", "PA", "P", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("L"), dtype=np.uint8)
    if mode == "1":
        return np.asarray(image.convert("L"), dtype=np.uint8)
    try:
        return np.asarray(image.convert("L"), dtype=np.uint8)
    except (ValueError, OSError):
        return np.asarray(image.convert("RGB").convert("L"), dtype=np.uint8)


def _small(grey: np.ndarray, side: int = ANALYSIS_SIDE) -> tuple[np.ndarray, float]:
    """A downscaled copy (INTER_AREA keeps thin strokes as grey) and its scale factor."""
    import cv2

    h, w = grey.shape[:2]
    scale = min(1.0, side / max(h, w, 1))
    if scale >= 1.0:
        return grey, 1.0
    small = cv2.resize(grey, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    return small, scale


def _background(small: np.ndarray) -> np.ndarray:
    """The paper's brightness at every point: ink removed by a max filter, then smoothed."""
    import cv2

    k = max(3, (max(small.shape) // 60) | 1)
    bg = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    return cv2.blur(bg, (k * 2 + 1, k * 2 + 1))


def looks_like_photo(image: "Image.Image | np.ndarray", grey: np.ndarray | None = None) -> bool:
    """Whether the image is a camera photo of a page rather than a flatbed scan.

    Two cues, both cheap on a 400-pixel thumbnail: the lighting of the paper varies across the
    page (a scanner lights evenly), and the margins show something much darker than paper (the
    desk around the sheet).  A camera maker in the EXIF data settles it directly.
    """
    from PIL import Image

    if isinstance(image, Image.Image):
        try:
            exif = image.getexif()
            if exif.get(271) or exif.get(272):  # Make, Model: written by cameras, not scanners
                return True
        except Exception:  # noqa: BLE001 - broken EXIF is no reason to fail
            pass
        if grey is None:
            grey = to_grey(image)
    elif grey is None:
        grey = image if image.ndim == 2 else image.mean(axis=2).astype(np.uint8)
    small, _ = _small(grey, 400)
    if small.size == 0 or min(small.shape) < 20:
        return False
    bg = _background(small).astype(np.float32)
    h, w = bg.shape
    inner = bg[h // 8 : h - h // 8, w // 8 : w - w // 8]
    paper = float(np.percentile(inner, 90))
    if paper < 40:  # a dark image: nothing to tell
        return False
    uneven = float(np.percentile(inner, 90) - np.percentile(inner, 10)) / paper
    m = max(2, min(h, w) // 25)
    border = np.concatenate([small[:m].ravel(), small[-m:].ravel(), small[:, :m].ravel(), small[:, -m:].ravel()])
    dark_border = float(np.mean(border < 0.6 * paper))
    return uneven > 0.12 or dark_border > 0.5


def _ink_points(small: np.ndarray) -> np.ndarray:
    """Coordinates of ink pixels on the analysis copy (Otsu on a background-flattened image)."""
    import cv2

    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    if len(xs) > MAX_SKEW_POINTS:  # plenty for an angle; keep it cheap
        step = len(xs) // MAX_SKEW_POINTS + 1
        ys, xs = ys[::step], xs[::step]
    return np.stack([xs, ys], axis=1).astype(np.float32)


# Ink pixels sampled for the skew estimate: 60 k gives the same angles as 200 k on every sample
# page at a third of the cost (the estimate runs ~55 projections).
MAX_SKEW_POINTS = 60_000


def estimate_skew(grey: np.ndarray) -> float:
    """The page's rotation in degrees (positive: text rises to the right), 0.0 when unsure.

    Projection profiles: rotate the ink pixels' coordinates (not the image) by candidate
    angles and keep the angle whose row histogram is sharpest; text lines and table rules then
    fall into few bins.  Coarse 0.5 degree steps, then 0.05 degree steps around the best.
    """
    small, _ = _small(grey)
    pts = _ink_points(small)
    if len(pts) < 500:
        return 0.0
    xs, ys = pts[:, 0] - small.shape[1] / 2, pts[:, 1]
    height = small.shape[0] + small.shape[1]

    def sharpness(deg: float) -> float:
        t = np.deg2rad(deg)
        proj = ys * np.cos(t) + xs * np.sin(t)
        hist = np.bincount(np.clip(proj + small.shape[1] / 2, 0, height - 1).astype(np.int32), minlength=height)
        h = hist.astype(np.float64)
        return float(np.dot(h, h))

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.5)
    scores = [sharpness(a) for a in coarse]
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05)
    scores = [sharpness(a) for a in fine]
    angle = float(fine[int(np.argmax(scores))])
    # The flat profile (angle 0) must be clearly worse, or we leave the page alone.
    if sharpness(0.0) >= max(scores) * 0.995:
        return 0.0
    return angle


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by `angle` degrees about the centre, same size, corners filled with paper.

    The paper's own shade, not white: on a tinted scan white corner wedges add edges that
    layout analysis has no reason to see.
    """
    import cv2

    h, w = grey.shape[:2]
    paper = int(np.median(grey[::8, ::8]))
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=paper)


def deskew(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """Straighten a page; leaves it untouched (same array) below MIN_SKEW degrees."""
    angle = estimate_skew(grey)
    if abs(angle) < MIN_SKEW:
        return grey, 0.0
    return rotate(grey, angle), angle


def _order_corners(pts: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], dtype=np.float32)


def find_page(grey: np.ndarray) -> np.ndarray | None:
    """The page's four corners (full-size pixels, TL TR BR BL) in a photo, or None.

    The sheet is the largest bright region; its outline simplified to four points.  None when
    no such region stands out (the page fills the frame, or the background is as bright).
    """
    import cv2

    small, scale = _small(grey, 800)
    blur = cv2.GaussianBlur(small, (5, 5), 0)
    # Close the text so the page is one solid bright blob.
    blur = cv2.dilate(blur, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    _, mask = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    page = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(page)
    total = small.shape[0] * small.shape[1]
    if area < 0.2 * total or area > 0.97 * total:
        return None
    hull = cv2.convexHull(page)
    peri = cv2.arcLength(hull, True)
    quad = None
    for eps in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float32)
            break
    if quad is None:
        quad = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
    return _order_corners(quad / scale)


# A photographed page is warped to at least this short side (about 220 dpi for A4): phone
# photos often hold the page at ~150 dpi, where Tesseract confuses "%" with "96" and "H" with
# "II"; measured on the sample photos, 1.5x upscaling during the warp cut CER by about a third.
PHOTO_SHORT_SIDE = 1800


def warp_page(grey: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """Warp the quadrilateral to an upright rectangle of the size its sides suggest
    (enlarged up to 2x when the page was photographed small)."""
    import cv2

    tl, tr, br, bl = corners
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    up = min(2.0, max(1.0, PHOTO_SHORT_SIDE / max(1.0, min(width, height))))
    width, height = int(round(width * up)), int(round(height * up))
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), dst)
    return cv2.warpPerspective(grey, m, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def flatten_lighting(grey: np.ndarray) -> np.ndarray:
    """Divide out the paper's brightness so that paper is white everywhere and ink stays dark."""
    import cv2

    small, _ = _small(grey, 500)
    bg = _background(small)
    bg = cv2.resize(bg, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(grey, np.maximum(bg, 1), scale=255)


def binarise(grey: np.ndarray) -> np.ndarray:
    """Local (adaptive) threshold: copes with what lighting correction left over."""
    import cv2

    # Block ~1/25 of the page's short side, offset 25 grey levels: measured best over four
    # phone photos (1.3 % CER; offsets 15-40 gave 1.3-2.2 %): a small offset turns paper grain
    # into specks read as punctuation, a large one thins the tone marks away.
    block = max(15, int(min(grey.shape) * 0.04) | 1)
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 25)


def prepare(image: "Image.Image | np.ndarray", *, photo: bool) -> np.ndarray:
    """The page as an 8-bit greyscale array ready for Tesseract.

    Scans: greyscale and deskew (only when clearly skewed).  Photos: find the page outline and
    warp it flat, even out the lighting, binarise adaptively, then deskew what is left.
    """
    grey = image if isinstance(image, np.ndarray) else to_grey(image)
    if grey.ndim == 3:
        grey = grey.mean(axis=2).astype(np.uint8)
    if not photo:
        return deskew(grey)[0]
    corners = find_page(grey)
    if corners is not None:
        grey = warp_page(grey, corners)
        # Trim 1 %: the outline is found on a small copy, so the edge may carry a sliver of desk.
        mh, mw = grey.shape[0] // 100, grey.shape[1] // 100
        grey = grey[mh : grey.shape[0] - mh, mw : grey.shape[1] - mw]
    grey = binarise(flatten_lighting(grey))
    return deskew(grey)[0]
