"""Images (.png, .jpg, .tif, multi-page TIFF, phone photos): every frame OCR'd as a page."""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from planparse.document import Issue, Origin, Page, PlanDocument
from planparse.errors import CorruptInputError, EmptyDocumentError, InputError

if TYPE_CHECKING:
    from planparse.ingest import Progress, ReadOptions


def load_frames(path: Path, max_pixels: int) -> list:
    """Every frame of the image as a PIL image, refusing decompression bombs."""
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                frames = []
                for frame in ImageSequence.Iterator(img):
                    if frame.width * frame.height > max_pixels:
                        raise Image.DecompressionBombError("too many pixels")
                    frame.load()
                    frames.append(ImageOps.exif_transpose(frame.copy()))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(
            f"the image is too large to be a page (over {max_pixels:,} pixels); refusing it as a possible "
            "decompression bomb",
            path=str(path),
        ) from None
    except UnidentifiedImageError:
        raise CorruptInputError("not a readable image", path=str(path)) from None
    except OSError as exc:
        raise CorruptInputError(f"the image is damaged ({exc})", path=str(path)) from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    if not frames:
        raise EmptyDocumentError("the image has no frames", path=str(path))
    return frames


def read_image(path: Path, doc: PlanDocument, options: "ReadOptions", progress: "Progress | None" = None) -> None:
    from planparse.ingest.ocr import check_tesseract, ocr_image, tesseract_version

    advance = progress or (lambda n=1: None)
    frames = load_frames(path, options.max_pixels)
    if options.ocr == "off":
        raise InputError("an image can only be read by OCR, and OCR is off; drop --ocr off", path=str(path))
    check_tesseract(options.lang)
    if doc.producer is not None:
        doc.producer.tesseract = tesseract_version()
        doc.producer.tesseract_lang = options.lang
    pages = [Page(number=i + 1, origin=Origin.OCR, width=f.width, height=f.height) for i, f in enumerate(frames)]
    doc.pages.extend(pages)

    def work(i: int):
        return ocr_image(frames[i], i + 1, lang=options.lang, photo=None)

    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        for page, result in zip(pages, pool.map(work, range(len(frames)))):
            page.lines = result.lines
            page.issues.extend(Issue(i.code, i.message, page.number) for i in result.issues)
            page.reason = "image read by OCR"
            page.renumber()
            advance(1)
