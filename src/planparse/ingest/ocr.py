"""OCR of one page image with Tesseract: the only place in planparse that runs Tesseract.

One Tesseract call per page, TSV output (word boxes and confidences):

1. prepare the image (image.py: greyscale, deskew; photos are flattened and binarised);
2. find ruled tables (grid.py), erase their rules, and move every non-empty cell, cropped
   to its ink, into a strip under the page (`lay_out_cells`): read in place, neighbouring
   cells on different baselines merge into garbage lines;
3. OCR that one image with `--psm 3` (automatic layout: keeps a two-column letterhead apart,
   where `--psm 6` merges it);
4. words from the strip go back to their cells, and each table becomes one `Line` per row
   (cells joined by tabs); the other words keep Tesseract's block/paragraph/line order, with
   two-column zones (letterhead, signature) read left cell then right cell, and each table
   goes in at its vertical position.

Tesseract runs as a subprocess with `OMP_THREAD_LIMIT=1`: its OpenMP threads make it ~1.8x
slower on two cores; callers parallelise pages instead.  The page goes in as a temporary
BMP (see `_write_bmp` for why).  Characters are kept exactly as Tesseract wrote
them (e.g. `Ð` U+00D0 for `Đ`): fixing them is the repair stage's job, with an edit trail.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from planparse.document import Issue, Line, Origin
from planparse.errors import W_OCR_LOW_CONF, W_OCR_NOTHING, DependencyError, PlanparseError

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

    from PIL import Image

    from planparse.ingest.grid import Grid, Placement

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"
# Below this mean word confidence a page gets W105.
LOW_CONFIDENCE = 0.6
PSM = "3"
# A word below this confidence whose box is less than this share ink is a phantom.
PHANTOM_CONF = 60.0
PHANTOM_INK = 0.02
TIMEOUT = 300  # seconds per page; a page that takes longer is stuck
# A first-column table cell narrower than this share of the page is a row number, re-read
# on its own when the page's read missed it (see reread_short_cells).
SHORT_CELL = 0.06


@dataclass
class OcrPage:
    """What OCR read on one page.  `lines` are in reading order; bboxes are in pixels of the
    prepared image (after deskew or photo flattening), whose size is `width` x `height`."""

    lines: list[Line]
    mean_confidence: float  # 0..1, over words
    issues: list[Issue] = field(default_factory=list)
    seconds: float = 0.0
    width: int = 0
    height: int = 0
    photo: bool = False
    tables: int = 0


@dataclass
class Word:
    text: str
    conf: float  # 0..100
    box: tuple[int, int, int, int]  # x0, y0, x1, y1
    key: tuple[int, int, int]  # Tesseract block, paragraph, line
    order: int  # position in Tesseract's output

    @property
    def centre(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2


def tesseract_cmd() -> str:
    """The Tesseract executable: $PLANPARSE_TESSERACT, else `tesseract` on the PATH."""
    return os.environ.get("PLANPARSE_TESSERACT") or "tesseract"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


@lru_cache(maxsize=8)
def _version(cmd: str) -> str | None:
    try:
        out = subprocess.run([cmd, "--version"], capture_output=True, text=True, timeout=30, env=_env())
    except (OSError, subprocess.SubprocessError):
        return None
    for line in (out.stdout + "\n" + out.stderr).splitlines():
        parts = line.strip().split()
        if len(parts) >= 2 and parts[0].lower() == "tesseract":
            return parts[1].lstrip("v")
    return None


def tesseract_version() -> str | None:
    """Tesseract's version ("5.3.0"), or None when it is not installed."""
    return _version(tesseract_cmd())


@lru_cache(maxsize=8)
def _languages(cmd: str) -> frozenset[str]:
    out = subprocess.run([cmd, "--list-langs"], capture_output=True, text=True, timeout=30, env=_env())
    lines = (out.stdout or out.stderr).splitlines()
    return frozenset(l.strip() for l in lines if l.strip() and not l.lower().startswith("list of"))


def check_tesseract(lang: str = "vie") -> None:
    """Raise DependencyError, saying what to install, unless Tesseract can OCR in `lang`."""
    cmd = tesseract_cmd()
    if shutil.which(cmd) is None or _version(cmd) is None:
        raise DependencyError(f"Tesseract is not installed (no `{cmd}` on the PATH); install it: {INSTALL_HINT}")
    try:
        have = _languages(cmd)
    except (OSError, subprocess.SubprocessError) as exc:
        raise DependencyError(f"Tesseract does not run ({exc}); reinstall it: {INSTALL_HINT}") from exc
    missing = [part for part in lang.split("+") if part and part not in have]
    if missing:
        pkgs = " ".join(f"tesseract-ocr-{m.lower().replace('_', '-')}" for m in missing)
        raise DependencyError(
            f"Tesseract has no language data for {', '.join(missing)!s}; install it: apt-get install {pkgs}"
        )


def _write_bmp(grey: np.ndarray) -> str:
    """Write the page to a temporary 8-bit BMP and return its path.

    Why BMP in a file: measured on Tesseract 5.3, leptonica reads an uncompressed BMP fastest
    (PGM costs ~0.3 s more CPU per 300-dpi page, stdin adds ~0.1 s as Tesseract reads it byte
    by byte, PNG costs ~0.3 s to encode); writing the BMP takes a few milliseconds.
    """
    from PIL import Image

    fd, path = tempfile.mkstemp(prefix="planparse-", suffix=".bmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            Image.fromarray(np.ascontiguousarray(grey, dtype=np.uint8), "L").save(fh, "BMP")
    except BaseException:
        os.unlink(path)
        raise
    return path


def run_tesseract(grey: np.ndarray, lang: str = "vie", *, psm: str = PSM, dpi: int | None = None) -> list[Word]:
    """OCR a greyscale page once; the words Tesseract found, in its reading order."""
    path = _write_bmp(grey)
    # Plans have no white-on-black text: skipping Tesseract's inverted-line pass saves ~4 % per page.
    args = [tesseract_cmd(), path, "stdout", "-l", lang, "--psm", psm, "-c", "tessedit_do_invert=0"]
    if dpi:
        args += ["--dpi", str(dpi)]
    args.append("tsv")
    try:
        out = subprocess.run(args, capture_output=True, timeout=TIMEOUT, env=_env())
    except FileNotFoundError as exc:
        raise DependencyError(f"Tesseract is not installed; install it: {INSTALL_HINT}") from exc
    except subprocess.TimeoutExpired as exc:
        raise PlanparseError(f"Tesseract took more than {TIMEOUT} s on the page and was stopped") from exc
    finally:
        os.unlink(path)
    if out.returncode != 0:
        check_tesseract(lang)  # a missing language gives the friendlier message
        tail = out.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise PlanparseError(f"Tesseract failed (exit {out.returncode}): {tail[0]}")
    return parse_tsv(out.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[Word]:
    """Word rows (level 5) with text; everything else in the TSV is structure we rebuild."""
    words: list[Word] = []
    reader = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    next(reader, None)
    for row in reader:
        if len(row) < 12 or row[0] != "5":
            continue
        text = row[11].strip()
        if not text:
            continue
        try:
            left, top, width, height = (int(v) for v in row[6:10])
            conf = float(row[10])
            key = (int(row[2]), int(row[3]), int(row[4]))
        except ValueError:
            continue
        words.append(Word(text, max(conf, 0.0), (left, top, left + width, top + height), key, len(words)))
    return words


def drop_phantoms(words: list[Word], grey: np.ndarray) -> list[Word]:
    """Drop low-confidence words whose box holds (almost) no ink.

    Tesseract reads a text line spanning several table cells as one strip and sometimes
    "reads" the empty gap between cells as `_`, `ˆ` or `.`; there is nothing there on the page.
    Only doubtful words are checked, so this costs well under a millisecond.
    """
    kept = []
    for w in words:
        if w.conf < PHANTOM_CONF:
            x0, y0, x1, y1 = w.box
            box = grey[max(0, y0) : y1, max(0, x0) : x1]
            if box.size == 0 or np.count_nonzero(box < 128) < PHANTOM_INK * box.size:
                continue
        kept.append(w)
    return kept


def _bbox(words: list[Word]) -> tuple[float, float, float, float]:
    return (
        float(min(w.box[0] for w in words)),
        float(min(w.box[1] for w in words)),
        float(max(w.box[2] for w in words)),
        float(max(w.box[3] for w in words)),
    )


def _conf(words: list[Word]) -> float:
    return sum(w.conf for w in words) / len(words) / 100.0


def _visual_lines(words: list[Word]) -> list[list[Word]]:
    """Group a cell's words into lines, top to bottom, each left to right.

    Tesseract's own line ids do the grouping (word boxes vary too much in height, with
    Vietnamese diacritics above and below, to group them by overlap); two Tesseract lines at
    the same height (a line split into blocks) are joined.
    """
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        groups.setdefault(w.key, []).append(w)
    bands = []
    for ws in groups.values():
        top = float(np.median([w.box[1] for w in ws]))
        bottom = float(np.median([w.box[3] for w in ws]))
        bands.append([top, bottom, list(ws)])
    bands.sort(key=lambda b: (b[0] + b[1]) / 2)
    lines: list[list] = []
    for band in bands:
        centre = (band[0] + band[1]) / 2
        if lines and lines[-1][0] <= centre <= lines[-1][1]:
            lines[-1][2].extend(band[2])
        else:
            lines.append(band)
    return [sorted(b[2], key=lambda w: w.box[0]) for b in lines]


def cell_text(words: list[Word]) -> str:
    """A cell's words top to bottom, left to right; its line breaks become spaces."""
    return " ".join(w.text for line in _visual_lines(words) for w in line)


def _split_at_gaps(words: list[Word], min_gap: float) -> list[list[Word]]:
    """A Tesseract line cut where the space between two words is far wider than a space."""
    words = sorted(words, key=lambda w: w.box[0])
    parts = [[words[0]]]
    for prev, w in zip(words, words[1:]):
        if w.box[0] - prev.box[2] > min_gap:
            parts.append([])
        parts[-1].append(w)
    return parts


def _largest_gap(pieces: list[list[Word]]) -> int:
    """Index of the piece after the widest gap: pieces before it are the left column."""
    gaps = [q[0].box[0] - p[-1].box[2] for p, q in zip(pieces, pieces[1:])]
    return 1 + gaps.index(max(gaps))


def order_columns(lines: list[list[Word]], rules: "Sequence[tuple[int, int, int, int]]" = ()) -> list[list[Word]]:
    """Reorder two-column zones (letterhead, signature block): left column, then right.

    Tesseract reads "ỦY BAN NHÂN DÂN    CỘNG HÒA XÃ HỘI …" as one line across the two cells
    of a letterhead.  A zone starts at a line with a wide gap and runs on over lines that
    also have one, or are short and not centred on the page, while they stay close together
    (a full-width paragraph or a centred title ends it).  A line with a gap splits at its
    widest one; a short line goes to the side its centre is on.  Rows inside a zone are cut
    at a horizontal rule between two lines (the "---" under a letterhead's cells, from
    `grid.find_layout`) or at a vertical gap well above the page's line pitch; each row gives
    its left pieces top to bottom, then its right pieces.  Other lines keep Tesseract's order.
    """
    if len(lines) < 2:
        return lines
    heights = sorted(w.box[3] - w.box[1] for ws in lines for w in ws)
    height = heights[len(heights) // 2]
    left = min(w.box[0] for ws in lines for w in ws)
    right = max(w.box[2] for ws in lines for w in ws)
    width = max(1, right - left)
    centre = (left + right) / 2
    parts = [_split_at_gaps(ws, max(2.5 * height, 0.03 * width)) for ws in lines]
    boxes = [_bbox(ws) for ws in lines]
    # A line's height on the page: the median of its words' bottoms (tops vary with
    # diacritics and stray marks, bottoms only with descenders).
    base = [float(np.median([w.box[3] for w in ws])) for ws in lines]
    tops = sorted(base)
    pitches = sorted(b - a for a, b in zip(tops, tops[1:]) if b > a)
    pitch = pitches[len(pitches) // 2] if pitches else 2 * height
    out: list[list[Word]] = []
    i = 0
    while i < len(lines):
        if len(parts[i]) < 2:
            out.append(lines[i])
            i += 1
            continue
        zone = [i]
        j = i + 1
        while j < len(lines):
            box = boxes[j]
            short = box[2] - box[0] < 0.6 * width and abs((box[0] + box[2]) / 2 - centre) >= 0.03 * width
            near = base[j] - base[zone[-1]] < 2.5 * pitch
            if not near or (len(parts[j]) < 2 and not short):
                break
            zone.append(j)
            j += 1
        mids = sorted(
            (parts[k][_largest_gap(parts[k]) - 1][-1].box[2] + parts[k][_largest_gap(parts[k])][0].box[0]) / 2
            for k in zone
            if len(parts[k]) > 1
        )
        split = mids[len(mids) // 2]
        rows: list[list[int]] = []
        zx0 = min(boxes[k][0] for k in zone)
        zx1 = max(boxes[k][2] for k in zone)
        for k in sorted(zone, key=lambda k: base[k]):  # Tesseract may give a column per block
            if rows:
                prev = base[rows[-1][-1]]
                ruled = any(
                    prev < (r[1] + r[3]) / 2 < base[k] - 0.6 * height and r[2] > zx0 and r[0] < zx1 for r in rules
                )
                if not ruled and base[k] - prev <= 1.5 * pitch:
                    rows[-1].append(k)
                    continue
            rows.append([k])
        for row in rows:
            lefts: list[list[Word]] = []
            rights: list[list[Word]] = []
            for k in row:
                if len(parts[k]) > 1:
                    cut = _largest_gap(parts[k])
                    lefts.extend(parts[k][:cut])
                    rights.extend(parts[k][cut:])
                elif (boxes[k][0] + boxes[k][2]) / 2 < split:
                    lefts.append(lines[k])
                else:
                    rights.append(lines[k])
            for side in (lefts, rights):
                out.extend(_merge_level(sorted(side, key=lambda p: (_bbox(p)[1], _bbox(p)[0])), height))
        i = j
    return out


def _merge_level(pieces: list[list[Word]], height: float) -> list[list[Word]]:
    """Join pieces of one column that sit on the same line ("Số:" and "/KH-UBND")."""
    merged: list[list[Word]] = []
    for p in pieces:
        if merged and abs(_bbox(p)[1] - _bbox(merged[-1])[1]) < 0.5 * height:
            merged[-1] = sorted(merged[-1] + p, key=lambda w: w.box[0])
        else:
            merged.append(p)
    return merged


def table_rows(grid: "Grid", cell_words: dict[tuple[int, int], list[Word]], page: int, table: int) -> list[Line]:
    """One Line per grid row that has any text: cells in column order, merged cells once."""
    lines: list[Line] = []
    for r in range(grid.n_rows):
        cells = []
        row_words: list[Word] = []
        for c in range(grid.n_cols):
            ws = cell_words.get((r, c), [])
            row_words.extend(ws)
            cells.append(cell_text(ws) if ws else "")
        if not any(cells):
            continue
        y0, y1 = grid.rows[r], grid.rows[r + 1]
        lines.append(
            Line(
                "\t".join(cells),
                page,
                origin=Origin.OCR,
                bbox=(float(grid.cols[0]), float(y0), float(grid.cols[-1]), float(y1)),
                confidence=_conf(row_words),
                table=table,
                row=len(lines),
                cells=cells,
            )
        )
    return lines


# What a row number looks like: 1, 12., 3), I, IV., a), A. (letters of a short outline only, so
# that "H" for a misread "II" is doubted).
ROW_NUMBER = re.compile(r"^(\d{1,3}|[IVX]{1,5}|[a-eđA-E])[.)]?$")


def reread_short_cells(composed: np.ndarray, words: list[Word], placements: "Sequence[Placement]", lang: str) -> list[Word]:
    """The page's words, with the short first-column cells (row numbers) read again where needed.

    On the page's one read Tesseract's layout pass often drops a lone numeral opening a table
    row as a column of specks, or misreads it ("II" as "H"), and the row loses its number (the
    criterion's id).  Cells that came back empty or not looking like a row number are stacked
    one per line and read again in one more call with `--psm 6` (a uniform block) and the
    English model, which knows bold serif roman numerals better than `vie` ("II", not "H"; row
    numbers are ASCII); a re-read that looks like a row number replaces the first one.  A page
    whose numbers all came through costs nothing more.
    """
    width = composed.shape[1]

    def inside(p: "Placement") -> list[Word]:
        x0, y0, x1, y1 = p.rect
        return [w for w in words if x0 <= w.centre[0] < x1 and y0 <= w.centre[1] < y1]

    doubtful = [
        p
        for p in placements
        if p.cell.col == 0
        and p.rect[2] - p.rect[0] < SHORT_CELL * width
        and not ROW_NUMBER.match("".join(w.text for w in inside(p)))
    ]
    if not doubtful:
        return words
    gap = max(20, round(width * 0.01))
    crops = [composed[p.rect[1] : p.rect[3], p.rect[0] : p.rect[2]] for p in doubtful]
    stack = np.full(
        (sum(c.shape[0] + gap for c in crops) + gap, max(c.shape[1] for c in crops) + 2 * gap),
        int(np.median(composed[::8, ::8])),
        np.uint8,
    )
    tops = []
    y = gap
    for crop in crops:
        stack[y : y + crop.shape[0], gap : gap + crop.shape[1]] = crop
        tops.append(y)
        y += crop.shape[0] + gap
    reread: dict[int, list[Word]] = {}
    numbers_lang = "eng" if "eng" in _languages(tesseract_cmd()) else lang
    for w in run_tesseract(stack, numbers_lang, psm="6"):
        for i, (p, top, crop) in enumerate(zip(doubtful, tops, crops)):
            if top <= w.centre[1] < top + crop.shape[0]:
                reread.setdefault(i, []).append(_moved(w, p.rect[0] - gap, p.rect[1] - top))
                break
    for i, new in reread.items():
        text = _roman_numeral("".join(w.text for w in new))
        if ROW_NUMBER.match(text):
            old = set(map(id, inside(doubtful[i])))
            box = (min(w.box[0] for w in new), min(w.box[1] for w in new),
                   max(w.box[2] for w in new), max(w.box[3] for w in new))
            merged = Word(text, min(w.conf for w in new), box, new[0].key, new[0].order)
            words = [w for w in words if id(w) not in old] + [merged]
    return words


def _roman_numeral(text: str) -> str:
    """'Il', 'Ill', 'I|' as the English model reads bold II and III: I, l and | with a capital I."""
    core = text.rstrip(".)")
    if len(core) > 1 and "I" in core and re.fullmatch(r"[Il|]+", core):
        return core.replace("l", "I").replace("|", "I") + text[len(core):]
    return text


def _moved(w: Word, dx: int, dy: int) -> Word:
    x0, y0, x1, y1 = w.box
    return Word(w.text, w.conf, (x0 + dx, y0 + dy, x1 + dx, y1 + dy), w.key, w.order)


def build_lines(
    words: list[Word],
    grids: list["Grid"],
    page: int,
    placements: "Sequence[Placement]" = (),
    page_height: int | None = None,
    rules: "Sequence[tuple[int, int, int, int]]" = (),
) -> list[Line]:
    """Reading order: Tesseract's lines outside tables, each table's rows at its position.

    Words below `page_height` were read from the cell crops that `lay_out_cells` put under
    the page: they go to their cell and back to page coordinates.  Words inside a grid on the
    page itself (when the cells were not laid out) go to the cell containing their centre.
    """
    cell_words: list[dict[tuple[int, int], list[Word]]] = [{} for _ in grids]
    outside: list[Word] = []
    for w in words:
        cx, cy = w.centre
        if page_height is not None and cy >= page_height:
            for p in placements:
                x0, y0, x1, y1 = p.rect
                if x0 <= cx < x1 and y0 <= cy < y1:
                    cell_words[p.grid].setdefault((p.cell.row, p.cell.col), []).append(_moved(w, p.dx, p.dy))
                    break
            continue
        for i, g in enumerate(grids):
            if g.contains(cx, cy):
                cell = g.cell_at(cx, cy)
                if cell is not None:
                    cell_words[i].setdefault((cell.row, cell.col), []).append(w)
                break
        else:
            outside.append(w)
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for w in outside:
        groups.setdefault(w.key, []).append(w)
    text_lines = [
        Line(" ".join(w.text for w in ws), page, origin=Origin.OCR, bbox=_bbox(ws), confidence=_conf(ws))
        for ws in order_columns(sorted(groups.values(), key=lambda ws: ws[0].order), rules)
    ]
    tables = [table_rows(g, cell_words[i], page, i) for i, g in enumerate(grids)]
    # A table goes in before the first text line that starts below the table's top edge.
    result: list[Line] = []
    pending = sorted(range(len(grids)), key=lambda i: grids[i].box[1])
    for line in text_lines:
        while pending and line.bbox is not None and (line.bbox[1] + line.bbox[3]) / 2 > grids[pending[0]].box[1]:
            result.extend(tables[pending.pop(0)])
        result.append(line)
    for i in pending:
        result.extend(tables[i])
    return result


def _dpi(image: "Image.Image") -> int | None:
    dpi = image.info.get("dpi")
    try:
        value = int(round(float(dpi[0] if isinstance(dpi, tuple) else dpi)))
    except (TypeError, ValueError, IndexError):
        return None
    return value if 70 <= value <= 1200 else None


def ocr_image(image: "Image.Image", page: int, *, lang: str = "vie", photo: bool | None = None) -> OcrPage:
    """OCR one page image (any PIL mode).  `photo=None` decides by looking at the image.

    Never raises for an empty or unreadable-looking page: it returns no lines and W104.
    Raises DependencyError when Tesseract or the language is missing.
    """
    from PIL import ImageOps

    from planparse.ingest.grid import erase_lines, find_layout, lay_out_cells
    from planparse.ingest.image import looks_like_photo, prepare, to_grey

    start = time.perf_counter()
    check_tesseract(lang)
    try:
        image = ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - odd EXIF: read the pixels as they are
        pass
    grey = to_grey(image)
    if photo is None:
        photo = looks_like_photo(image, grey)
    prepared = prepare(grey, photo=photo)
    issues: list[Issue] = []
    if prepared.size == 0 or min(prepared.shape) < 8:
        issues.append(Issue.of(W_OCR_NOTHING, page, "the image is empty"))
        return OcrPage([], 0.0, issues, time.perf_counter() - start, photo=photo)
    grids, rules = find_layout(prepared)
    composed, placements = lay_out_cells(erase_lines(prepared, grids), grids) if grids else (prepared, [])
    words = drop_phantoms(run_tesseract(composed, lang, dpi=None if photo else _dpi(image)), composed)
    if placements:
        words = reread_short_cells(composed, words, placements, lang)
    lines = build_lines(words, grids, page, placements, prepared.shape[0], rules)
    for n, line in enumerate(lines, start=1):
        line.number = n
    mean = _conf(words) if words else 0.0
    if not lines:
        issues.append(Issue.of(W_OCR_NOTHING, page))
    elif mean < LOW_CONFIDENCE:
        issues.append(Issue.of(W_OCR_LOW_CONF, page, f"mean word confidence {mean:.0%}"))
    h, w = prepared.shape
    return OcrPage(lines, mean, issues, time.perf_counter() - start, w, h, photo, len(grids))
