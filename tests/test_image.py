"""Image preparation (no Tesseract): modes, deskew, photo detection and flattening."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from planparse.ingest.image import PHOTO_SHORT_SIDE, estimate_skew, find_page, looks_like_photo, prepare, to_grey

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
SENTENCE = "Ủy ban nhân dân huyện Châu Thành xây dựng Kế hoạch phát động phong trào thi đua"


@pytest.fixture(scope="module")
def scan() -> Image.Image:
    """A 200-dpi A4 page of prose."""
    img = Image.new("L", (1654, 2339), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 36)
    for i in range(28):
        d.text((160, 200 + i * 62), SENTENCE[: 40 + (i * 7) % 40], font=font, fill=0)
    return img


def photograph(page: Image.Image, corners: np.ndarray, size=(2000, 2600)) -> Image.Image:
    import cv2

    src = np.asarray(page)
    h, w = src.shape
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), corners)
    warped = cv2.warpPerspective(src, m, size, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(src, 255), m, size)
    out = np.where(mask > 127, warped, 70).astype(np.float32)
    light = np.linspace(1.0, 0.65, size[1], dtype=np.float32)[:, None]
    out = out * light + np.random.default_rng(3).normal(0, 4, out.shape)
    rgb = np.clip(np.stack([out, out * 0.96, out * 0.88], axis=-1), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=85)
    return Image.open(io.BytesIO(buf.getvalue()))


CORNERS = np.float32([[180, 150], [1820, 210], [1880, 2450], [120, 2400]])


def test_modes_become_8bit_grey() -> None:
    base = np.full((20, 30), 200, np.uint8)
    base[5:10, 5:20] = 0
    cases = {
        "L": Image.fromarray(base),
        "1": Image.fromarray(base).convert("1"),
        "P": Image.fromarray(base).convert("P"),
        "RGB": Image.fromarray(base).convert("RGB"),
        "CMYK": Image.fromarray(base).convert("CMYK"),
        "I;16": Image.fromarray(base.astype(np.uint16) * 257),
        "I": Image.fromarray(base.astype(np.int32) * 257, "I"),
        "F": Image.fromarray(base.astype(np.float32) / 255, "F"),
    }
    for mode, img in cases.items():
        grey = to_grey(img)
        assert grey.dtype == np.uint8 and grey.shape == (20, 30), mode
        assert grey[7, 10] < 60 and grey[15, 25] > 150, mode


def test_transparent_background_is_paper() -> None:
    rgba = np.zeros((10, 10, 4), np.uint8)
    rgba[2:4, 2:8, 3] = 255  # black ink, fully transparent elsewhere
    grey = to_grey(Image.fromarray(rgba, "RGBA"))
    assert grey[3, 3] == 0 and grey[8, 8] == 255


def test_straight_scan_is_left_untouched(scan) -> None:
    grey = to_grey(scan)
    assert estimate_skew(grey) == 0.0
    assert prepare(grey, photo=False) is grey


@pytest.mark.parametrize("angle", [-3.0, -0.7, 1.2, 4.5])
def test_skew_is_measured_and_removed(scan, angle) -> None:
    skewed = to_grey(scan.rotate(angle, resample=Image.BICUBIC, fillcolor=255))
    assert abs(estimate_skew(skewed) - angle) < 0.15
    assert abs(estimate_skew(prepare(skewed, photo=False))) < 0.15


def test_scan_is_not_a_photo(scan) -> None:
    assert not looks_like_photo(scan)
    noisy = np.asarray(scan, np.float32) * 0.9 + 15 + np.random.default_rng(0).normal(0, 6, (2339, 1654))
    assert not looks_like_photo(Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)))


def test_photo_is_recognised(scan) -> None:
    assert looks_like_photo(photograph(scan, CORNERS))


def test_camera_exif_means_photo() -> None:
    img = Image.new("RGB", (400, 400), "white")
    exif = Image.Exif()
    exif[271] = "Samsung"
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes())
    assert looks_like_photo(Image.open(io.BytesIO(buf.getvalue())))


def test_photo_page_is_found_and_flattened(scan) -> None:
    photo = photograph(scan, CORNERS)
    corners = find_page(to_grey(photo))
    assert corners is not None
    assert np.abs(corners - CORNERS).max() < 25
    flat = prepare(photo, photo=True)
    h, w = flat.shape
    # The sheet's own proportions (from its sides), not the photo's, less the 1 % trim.
    tl, tr, br, bl = CORNERS
    side_w = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    side_h = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    up = min(2.0, max(1.0, PHOTO_SHORT_SIDE / min(side_w, side_h)))  # small photos are enlarged
    assert abs(w - 0.98 * up * side_w) < 30 and abs(h - 0.98 * up * side_h) < 30
    assert set(np.unique(flat)) <= {0, 255}  # binarised
    # Lighting evened out: the paper is white at the top and at the (darker) bottom.
    assert (flat[h // 20 : h // 10] == 255).mean() > 0.95
    assert (flat[-h // 10 : -h // 20] == 255).mean() > 0.95
    assert abs(estimate_skew(flat)) < 0.3


def test_full_frame_photo_has_no_outline() -> None:
    img = np.full((1200, 900), 230, np.uint8)
    assert find_page(img) is None
