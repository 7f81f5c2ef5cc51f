"""Images: single and multi-page, odd modes, and decompression bombs refused."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from planparse.document import Origin
from planparse.errors import CorruptInputError, InputError
from planparse.ingest import read_document
from planparse.pipeline import read

LINES = ["KẾ HOẠCH phát động phong trào thi đua", "Giải nhất: 2.500.000 đồng"]


def _image(font: Path, lines: list[str]):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1600, 400), 255)
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(str(font), 40)
    for i, text in enumerate(lines):
        draw.text((60, 60 + 80 * i), text, font=face, fill=0)
    return image


def test_png_is_ocrd(tmp_path: Path, font: Path) -> None:
    path = tmp_path / "page.png"
    _image(font, LINES).save(path)
    doc = read(path)
    assert doc.origin is Origin.OCR
    assert "phong trào thi đua" in doc.text


def test_multipage_tiff_gives_one_page_per_frame(tmp_path: Path, font: Path) -> None:
    path = tmp_path / "pages.tif"
    first, second = _image(font, LINES[:1]), _image(font, LINES[1:])
    first.save(path, save_all=True, append_images=[second])
    doc = read(path)
    assert len(doc.pages) == 2
    assert "2.500.000 đồng" in doc.pages[1].text


def test_rgba_image_reads(tmp_path: Path, font: Path) -> None:
    path = tmp_path / "page.png"
    _image(font, LINES).convert("RGBA").save(path)
    assert "Giải nhất" in read(path).text


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(60000, 60000))
    with pytest.raises(InputError, match="decompression bomb"):
        read_document(path)


def test_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "fake.jpg"
    path.write_bytes(b"this is text, not a jpeg")
    with pytest.raises(CorruptInputError):
        read_document(path)
