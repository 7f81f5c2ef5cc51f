#!/usr/bin/env python3
"""Train the diacritics restorer and write `models/restorer.bin`: one command, offline.

    .venv/bin/python scripts/train_restorer.py            # everything (OCR pairs cached)
    .venv/bin/python scripts/train_restorer.py --no-ocr   # LM only, reuse cached OCR pairs if any
    .venv/bin/python scripts/train_restorer.py --table-only  # recompute the OCR candidate table

Training text (all from packages installable here, plus prose we wrote):
- in-domain plan/report prose written for planparse: `scripts/restorer_corpus/*.txt`
  (weighted up) and sentences expanded from `scripts/restorer_corpus/templates.py`;
- underthesea's VLSP 2013 POS test output (real news/legal sentences) and its Viet74K word
  list (each word as a short segment: the word-level signal);
- Debian `manpages-vi` and `libreoffice-help-vi` (installed with apt-get if missing and we
  are root) and the Vietnamese `.mo` catalogues under /usr/share/locale/vi.
Held out, never read here: `/work/shared/seeds` (or ../shared/seeds) and
`scripts/restorer_corpus/heldout/`, the evaluation documents of `scripts/bench_restore.py`.

The OCR channel is learned from pairs we make: in-domain and VLSP sentences rendered with
Liberation Serif and read back by Tesseract with `-l eng` (`ocr_pairs.py`, cached under
`build/restorer/`).
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import html
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from planparse.repair.restorer.model import RestorerModel, bigram_keys, trigram_keys  # noqa: E402
from planparse.repair.restorer.tokens import BOS, SPECIALS, segments  # noqa: E402
from planparse.repair.syllables import all_syllables, text_quality  # noqa: E402

CORPUS = ROOT / "scripts" / "restorer_corpus"
BUILD = ROOT / "build" / "restorer"
MODEL = ROOT / "models" / "restorer.bin"
VERSION = "restorer-2026.11-1"


def log(msg: str) -> None:
    print(f"[train {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- sources ---------------------------------------------------------------------------

def ensure_debian(packages: list[str]) -> None:
    """Install the Debian packages that ship Vietnamese text, when missing and we are root."""
    missing = [p for p in packages if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode]
    if not missing:
        return
    if os.geteuid() != 0:
        log(f"not root: cannot install {missing}; training without them")
        return
    log(f"installing Debian packages for training text: {' '.join(missing)}")
    subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", *missing],
                   check=False, stdout=subprocess.DEVNULL)


def vietnamese(line: str) -> bool:
    """Keep lines that are mostly Vietnamese (untranslated English strings are dropped)."""
    q = text_quality(line)
    return q.tokens >= 2 and q.marked_ratio >= 0.2 and q.valid_ratio >= 0.7


def underthesea_dir() -> Path:
    import underthesea

    return Path(underthesea.__file__).parent


def read_vlsp() -> list[str]:
    out, words = [], []
    for path in sorted(underthesea_dir().glob("pipeline/pos_tag/models/*/test_output.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                if words:
                    out.append(" ".join(words))
                words = []
                continue
            words.append(line.split("\t")[0])
    if words:
        out.append(" ".join(words))
    return out


def read_viet74k() -> list[str]:
    path = underthesea_dir() / "corpus" / "data" / "Viet74K.txt"
    return [w.strip() for w in path.read_text(encoding="utf-8").splitlines() if " " in w.strip()]


_ROFF = re.compile(r"\\f[BIRP]|\\f\(..|\\[&,/]|\\\(..|\\s[-+]?\d")


def read_manpages() -> list[str]:
    out = []
    for path in sorted(Path("/usr/share/man/vi").rglob("*.gz")):
        try:
            text = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith((".", "'")):
                line = re.sub(r"^\.(SH|SS|B|I|BI|BR|IR|RB|IP|TP)\s*", "", line)
                if line.startswith((".", "'")):
                    continue
            line = _ROFF.sub("", line).replace("\\-", "-").replace('"', "")
            if vietnamese(line):
                out.append(line)
    return out


def read_mo() -> list[str]:
    out = []
    for path in sorted(Path("/usr/share/locale/vi/LC_MESSAGES").glob("*.mo")):
        try:
            with open(path, "rb") as fh:
                catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        except Exception:
            continue
        for value in catalog.values():
            for line in str(value).replace("&", "").replace("_", "").splitlines():
                line = re.sub(r"%[-\d.]*[sdlux]|\{\w*\}|<[^>]+>", " ", line)
                if vietnamese(line):
                    out.append(line)
    return out


def read_lo_help() -> list[str]:
    out = []
    for path in sorted(Path("/usr/share/libreoffice/help/vi").rglob("*.html")):
        text = path.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
        out.extend(line for line in text.splitlines() if vietnamese(line))
    return out


def ensure_pip(modules: dict[str, str]) -> None:
    """Install the PyPI packages that ship admin-unit names (training only), when missing."""
    import importlib.util

    missing = [pkg for mod, pkg in modules.items() if importlib.util.find_spec(mod) is None]
    if missing:
        log(f"installing PyPI packages for training text: {' '.join(missing)}")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *missing], check=False)


def read_admin_units() -> list[str]:
    """Names of provinces, districts and communes as they appear in prose ("xã Tân Hòa,
    huyện Châu Thành, tỉnh Đồng Tháp"), from vietnamadminunits (before and after the 2025
    merger) and vietnam-provinces."""
    import sqlite3

    lines: set[str] = set()

    def low_type(name: str) -> str:
        for kind in ("Thành phố", "Thị xã", "Thị trấn", "Tỉnh", "Huyện", "Quận", "Phường", "Xã"):
            if name.startswith(kind + " "):
                return kind.lower() + name[len(kind):]
        return name

    try:
        import vietnamadminunits

        db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
        con = sqlite3.connect(db)
        for row in con.execute("select ward, district, province from admin_units_legacy"):
            lines.add(", ".join(low_type(name) for name in row if name))
        for row in con.execute("select ward, province from admin_units"):
            lines.add(", ".join(low_type(name) for name in row if name))
    except Exception as exc:  # the package is optional: say so and go on
        log(f"vietnamadminunits unavailable ({exc}); training without its names")
    try:
        import vietnam_provinces

        data = Path(vietnam_provinces.__file__).parent / "data" / "flat-divisions.json"
        for item in json.loads(data.read_text(encoding="utf-8")):
            lines.add(f"{low_type(item['name'])}, {low_type(item['province_name'])}")
    except Exception as exc:
        log(f"vietnam-provinces unavailable ({exc}); training without its names")
    return sorted(lines)


def read_in_domain() -> tuple[list[str], list[str]]:
    """(hand-written lines, template-expanded sentences); heldout/ is never read."""
    written = []
    for path in sorted(CORPUS.glob("*.txt")):
        written.extend(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    from restorer_corpus.templates import expand

    return written, expand(30000)


# --- Kneser-Ney trigram ----------------------------------------------------------------

def encode(lines: list[str], index: dict[str, int]) -> list[np.ndarray]:
    """Id arrays, each segment padded <s> <s> ... <s> (the last one plays </s>)."""
    bos = index[BOS]
    out = []
    unk = index["<x>"]
    for line in lines:
        for seg in segments(line):
            out.append(np.array([bos, bos, *(index.get(u, unk) for u in seg), bos], dtype=np.int64))
    return out


def ngram_counts(weighted: list[tuple[list[np.ndarray], float]]) -> tuple[np.ndarray, np.ndarray]:
    """Weighted trigram counts: (sorted unique keys, counts)."""
    keys, weights = [], []
    for seqs, w in weighted:
        if not seqs:
            continue
        a = np.concatenate([s[:-2] for s in seqs])
        b = np.concatenate([s[1:-1] for s in seqs])
        c = np.concatenate([s[2:] for s in seqs])
        keys.append(trigram_keys(a, b, c))
        weights.append(np.full(len(a), w, dtype=np.float64))
    k = np.concatenate(keys)
    uniq, inv = np.unique(k, return_inverse=True)
    return uniq, np.bincount(inv, weights=np.concatenate(weights))


def discount(counts: np.ndarray) -> float:
    """Absolute discount D = n1 / (n1 + 2 n2) (Ney et al.), on integer counts."""
    n1 = np.sum(np.isclose(counts, 1))
    n2 = np.sum(np.isclose(counts, 2))
    return float(n1 / (n1 + 2 * n2)) if n1 + n2 else 0.75


def group_sum(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(unique keys, sum of values, number of entries) per key."""
    uniq, inv = np.unique(keys, return_inverse=True)
    return uniq, np.bincount(inv, weights=values), np.bincount(inv)


def lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray, default: float = 0.0) -> np.ndarray:
    idx = np.searchsorted(keys, query)
    idx = np.minimum(idx, len(keys) - 1)
    return np.where(keys[idx] == query, values[idx], default)


def kneser_ney(tri: np.ndarray, cnt: np.ndarray, vocab_size: int, raw: np.ndarray) -> dict:
    """Interpolated Kneser-Ney in ARPA layout (log probs + back-off weights), natural logs.

    `cnt` are weighted counts (in-domain text counts more), `raw` the plain counts of the
    same trigrams.  Each trigram's discount is D3 times its average weight, so a context
    seen only in up-weighted text keeps the back-off mass it would have had unweighted;
    discounting weighted counts by a flat D3 starves back-off (P(chuẩn | <x> điểm) fell to
    e^-12 although "điểm chuẩn" is common).
    """
    mask = np.uint64(0xFFFF)
    a = (tri >> np.uint64(32)) & mask
    b = (tri >> np.uint64(16)) & mask
    c = tri & mask
    d3 = discount(raw)
    disc = np.minimum(d3 * cnt / raw, cnt)
    # bigram continuation counts N1+(. b c)
    bc = bigram_keys(b, c)
    bi, cc2, _ = group_sum(bc, np.ones(len(bc)))
    bb = (bi >> np.uint64(16)) & mask
    bcc = bi & mask
    d2 = discount(cc2)
    # unigram continuation counts N1+(. c) over bigram types
    uni_cc = np.bincount(bcc.astype(np.int64), minlength=vocab_size).astype(np.float64)
    total = uni_cc.sum()
    p1 = 0.98 * uni_cc / total + 0.02 / vocab_size
    # p2(c|b) = max(cc2 - d2, 0)/S(b) + d2 * T(b)/S(b) * p1(c)
    s_b = np.bincount(bb.astype(np.int64), weights=cc2, minlength=vocab_size)
    t_b = np.bincount(bb.astype(np.int64), minlength=vocab_size).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma_b = np.where(s_b > 0, d2 * t_b / np.maximum(s_b, 1e-12), 1.0)
    p2 = np.maximum(cc2 - d2, 0) / s_b[bb.astype(np.int64)] + gamma_b[bb.astype(np.int64)] * p1[bcc.astype(np.int64)]
    # p3(c|ab) = max(n - d3, 0)/S(ab) + d3 * T(ab)/S(ab) * p2(c|b)
    ab = bigram_keys(a, b)
    ctx, s_ab, _ = group_sum(ab, cnt)
    _, d_ab, _ = group_sum(ab, disc)
    s = lookup(ctx, s_ab, ab)
    g = lookup(ctx, d_ab, ab) / s
    p2_of_tri = lookup(bi, p2, bc)
    p3 = (cnt - disc) / s + g * p2_of_tri
    gamma_ab = d_ab / s_ab
    # back-off weight of bigram (a,b) as a history lives on the bigram entry a b
    bi_bo = lookup(ctx, np.log(gamma_ab), bi, 0.0)
    # a history (a,b) that is not itself a stored bigram: add it with p2 computed by back-off
    extra = np.setdiff1d(ctx, bi)
    if len(extra):
        eb = ((extra >> np.uint64(16)) & mask).astype(np.int64)
        ec = (extra & mask).astype(np.int64)
        extra_lp = np.log(gamma_b[eb] * p1[ec])
        keys = np.concatenate([bi, extra])
        lp = np.concatenate([np.log(p2), extra_lp])
        bo = np.concatenate([bi_bo, lookup(ctx, np.log(gamma_ab), extra, 0.0)])
        order = np.argsort(keys)
        bi, lp2, bi_bo = keys[order], lp[order], bo[order]
    else:
        lp2 = np.log(p2)
    log(f"KN: D3={d3:.3f} D2={d2:.3f}; {len(tri):,} trigrams, {len(bi):,} bigrams")
    return {
        "uni_lp": np.log(p1), "uni_bo": np.log(gamma_b),
        "bi_keys": bi, "bi_lp": lp2, "bi_bo": bi_bo,
        "tri_keys": tri, "tri_lp": np.log(p3),
    }


def lexicon_pairs(index: dict[str, int]) -> np.ndarray:
    """Sorted bigram keys of adjacent syllables inside Viet74K words (the word-level signal)."""
    keys = set()
    for word in read_viet74k():
        for seg in segments(word):
            ids = [index.get(u) for u in seg]
            for a, b in zip(ids, ids[1:]):
                if a is not None and b is not None and a > 2 and b > 2:
                    keys.add((a << 16) | b)
    return np.array(sorted(keys), dtype=np.uint64)


# --- main ------------------------------------------------------------------------------

def abbreviations(lines: list[str]) -> set[str]:
    """The words of `lines` that are no syllable (UBND, HĐND, KH, TTHC), lowercased and
    without marks, as an English model reads them."""
    from planparse.repair.restorer.tokens import WORD
    from planparse.repair.syllables import is_syllable, strip_diacritics

    found = set()
    for line in lines:
        for token in WORD.findall(line):
            if token.isalpha() and not is_syllable(token):
                found.add(strip_diacritics(token).lower())
    return found


def add_table(model: RestorerModel) -> None:
    """Compute the channel's OCR-mode candidates of common tokens into the model."""
    from planparse.repair.restorer.channel import Channel

    t = time.perf_counter()
    written, templated = read_in_domain()
    model.table = {}  # computed from the channel's own code, never from an old table
    model.table = Channel(model).build_table(extra=abbreviations(written + templated))
    n = len(model.table["start"]) - 1
    log(f"OCR candidate table: {n:,} entries, {len(model.table['ids']):,} candidates, "
        f"{time.perf_counter() - t:.1f} s")
    model.meta["ocr_table"] = {"entries": n, "candidates": int(len(model.table["ids"]))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-ocr", action="store_true", help="do not (re)generate OCR pairs; use the cache if present")
    ap.add_argument("--ocr-pages", type=int, default=72, help="pages of rendered text to OCR with -l eng")
    ap.add_argument("--out", type=Path, default=MODEL)
    ap.add_argument("--lex-bonus", type=float, default=3.0, help="log bonus for syllable pairs inside a Viet74K word")
    ap.add_argument("--weight", action="append", default=[], metavar="SOURCE=W",
                    help="override a source's weight (experiments), e.g. 'manpages-vi=0'")
    ap.add_argument("--table-only", action="store_true",
                    help="keep the model in --out and recompute only its table of OCR candidates "
                         "(after a change to the channel's code or constants)")
    args = ap.parse_args()
    if args.table_only:
        model = RestorerModel.load(args.out)
        add_table(model)
        model.save(args.out)
        log(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
        return

    ensure_debian(["manpages-vi", "libreoffice-help-vi"])
    ensure_pip({"vietnamadminunits": "vietnamadminunits", "vietnam_provinces": "vietnam-provinces"})
    vocab = [*SPECIALS, *sorted(all_syllables())]
    index = {w: i for i, w in enumerate(vocab)}
    written, templated = read_in_domain()
    sources = {
        "in-domain written": (written, 20.0),
        "in-domain templates": (templated, 1.0),
        "VLSP 2013 (underthesea)": (read_vlsp(), 3.0),
        "Viet74K words (underthesea)": (read_viet74k(), 0.0),
        "admin-unit names (vietnamadminunits, vietnam-provinces)": (read_admin_units(), 1.0),
        "manpages-vi": (read_manpages(), 1.0),
        ".mo catalogues": (read_mo(), 1.0),
        "libreoffice-help-vi": (read_lo_help(), 1.0),
    }
    for item in args.weight:
        name, _, w = item.rpartition("=")
        sources[name] = (sources[name][0], float(w))
    summary = {}
    weighted = []
    for name, (lines, weight) in sources.items():
        if weight <= 0:
            continue
        seqs = encode(lines, index)
        n = int(sum(len(s) - 3 for s in seqs))
        summary[name] = {"lines": len(lines), "tokens": n, "weight": weight}
        log(f"{name}: {len(lines):,} lines, {n:,} tokens, weight {weight}")
        weighted.append((seqs, weight))
    tri, cnt = ngram_counts(weighted)
    raw_tri, raw_cnt = ngram_counts([(s, 1.0) for s, _ in weighted])
    assert np.array_equal(tri, raw_tri)
    lm = kneser_ney(tri, cnt, len(vocab), raw_cnt)

    lex = lexicon_pairs(index)
    from restorer_corpus.ocr_channel import build_channel  # noqa: E402

    channel = build_channel(index, BUILD, regenerate=not args.no_ocr, pages=args.ocr_pages, log=log)
    meta = {
        "version": VERSION,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "training_data": summary,
        "held_out": ["shared/seeds/*.txt", "scripts/restorer_corpus/heldout/*.txt"],
        "ocr_pairs": channel.pop("summary", {}),
        "lm": "interpolated Kneser-Ney trigram over syllables, natural log",
    }
    meta["lexicon"] = {"source": "underthesea Viet74K", "pairs": int(len(lex)), "bonus": args.lex_bonus}
    from planparse.repair.syllables import _tables, strip_diacritics

    stripped = [w if w.startswith("<") else strip_diacritics(w) for w in vocab]
    alternates = dict(_tables().other_to_preferred)
    model = RestorerModel(vocab=vocab, meta=meta, stripped=stripped, alternates=alternates, lex_keys=lex, lex_bonus=args.lex_bonus, **lm, **channel)
    add_table(model)
    model.save(args.out)
    log(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
