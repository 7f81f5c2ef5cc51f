"""Learn the English-model OCR channel from (truth, OCR) line pairs.

Two tables, both estimating P(ocr | truth) so the decoder can multiply them with the LM:
- tokens: for each OCR token seen (lowercase), the truth syllables it was aligned to,
  log(count(ocr, truth) / count(truth));
- characters: for each truth character, the OCR strings it turned into (ư -> "w",
  ố -> "6", ú -> "ii", ả -> "d", đ -> "p"), add-half smoothed.
Lines are aligned token by token with a small dynamic programme whose substitution cost is
the normalised edit distance of the stripped forms.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from planparse.repair.restorer.charchannel import align_chars  # noqa: E402
from planparse.repair.restorer.tokens import WORD, nfc  # noqa: E402
from planparse.repair.syllables import is_syllable, preferred_form, strip_diacritics  # noqa: E402

GAP = 0.6  # cost of an unaligned token


def align_tokens(truth: list[str], ocr: list[str]) -> list[tuple[str, str]]:
    """1:1 aligned (truth, ocr) token pairs of one line (lowercase)."""
    from rapidfuzz.distance import Levenshtein

    n, m = len(truth), len(ocr)
    ts = [strip_diacritics(t) for t in truth]
    os_ = [strip_diacritics(o) for o in ocr]
    cost = np.full((n + 1, m + 1), np.inf)
    move = np.zeros((n + 1, m + 1), dtype=np.int8)
    cost[0, :] = np.arange(m + 1) * GAP
    cost[:, 0] = np.arange(n + 1) * GAP
    move[0, 1:] = 2
    move[1:, 0] = 1
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            sub = cost[i - 1, j - 1] + Levenshtein.normalized_distance(ts[i - 1], os_[j - 1])
            dele = cost[i - 1, j] + GAP
            ins = cost[i, j - 1] + GAP
            best = min(sub, dele, ins)
            cost[i, j] = best
            move[i, j] = 0 if best == sub else (1 if best == dele else 2)
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        if move[i, j] == 0:
            if Levenshtein.normalized_distance(ts[i - 1], os_[j - 1]) <= 0.67:
                pairs.append((truth[i - 1], ocr[j - 1]))
            i, j = i - 1, j - 1
        elif move[i, j] == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def learn(pairs: list[tuple[str, str]], index: dict[str, int], log) -> dict:
    tok = defaultdict(Counter)
    truth_count: Counter = Counter()
    chars = defaultdict(Counter)
    aligned = exact = 0
    for truth, ocr in pairs:
        t_tokens = [w.lower() for w in WORD.findall(nfc(truth))]
        o_tokens = [w.lower() for w in WORD.findall(nfc(ocr))]
        for t, o in align_tokens(t_tokens, o_tokens):
            if not is_syllable(t):
                continue
            t = preferred_form(t)
            aligned += 1
            exact += t == o
            tok[o][t] += 1
            truth_count[t] += 1
            for tc, osub in align_chars(t, o):
                chars[tc][osub] += 1
    log(f"OCR channel: {len(pairs):,} line pairs, {aligned:,} aligned syllables, {exact / max(aligned, 1):.1%} already right")
    forms, start, cand, lp = [], [0], [], []
    for o in sorted(tok):
        entries = [(t, c) for t, c in tok[o].items() if t in index]
        if not entries:
            continue
        forms.append(o)
        for t, c in sorted(entries, key=lambda e: -e[1]):
            cand.append(index[t])
            lp.append(math.log(c / (truth_count[t] + 1.0)))
        start.append(len(cand))
    char_ocr, char_truth, char_lp = [], [], []
    for tc, counter in sorted(chars.items()):
        total = sum(counter.values())
        for osub, c in counter.items():
            char_truth.append(tc)
            char_ocr.append(osub)
            char_lp.append(math.log((c + 0.5) / (total + 1.0)))
    return {
        "ocr_forms": forms,
        "ocr_start": np.array(start, dtype=np.int64),
        "ocr_cand": np.array(cand, dtype=np.int32),
        "ocr_lp": np.array(lp, dtype=np.float32),
        "char_ocr": char_ocr, "char_truth": char_truth,
        "char_lp": np.array(char_lp, dtype=np.float32),
        "summary": {"line_pairs": len(pairs), "aligned_syllables": aligned,
                    "ocr_forms": len(forms), "char_pairs": len(char_lp),
                    "made_by": "Liberation Serif/Sans, DejaVu Serif renders read by tesseract -l eng --psm 4"},
    }


def build_channel(index: dict[str, int], build: Path, regenerate: bool, pages: int, log) -> dict:
    """Learn the channel from cached pairs, generating them first when asked or missing."""
    path = build / "ocr_pairs.json"
    if regenerate and not path.exists():
        log(f"OCR'ing {pages} rendered pages with tesseract -l eng (a few minutes) ...")
        subprocess.run([sys.executable, str(HERE / "make_pairs.py"), str(path), str(pages)], check=True)
    if not path.exists():
        log("no OCR pairs: the model will have no OCR channel")
        return {}
    pairs = [tuple(p) for p in json.loads(path.read_text(encoding="utf-8"))]
    return learn(pairs, index, log)
