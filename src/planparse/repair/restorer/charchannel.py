"""Character-level OCR channel: candidates for OCR tokens never seen in training.

An English model turns marked vowels into look-alikes one character at a time (ư -> w,
ố -> 6, ả -> d, ú -> ii, đ -> p), so P(ocr | truth) factorises over the characters of the
truth syllable once the two strings are aligned.  Candidates come from the stripped
syllable forms within edit distance 2 of the token after mapping each OCR character to
the letter it most often stands for (rapidfuzz, C speed), expanded to every toned
syllable of those forms and scored with the learned character table.
"""

from __future__ import annotations

import heapq
import math
from itertools import islice
from typing import Iterable

from planparse.repair.syllables import strip_diacritics

UNSEEN_SUB = math.log(1e-4)  # a truth character turning into a string never observed
# Confusions seen on real English-model OCR of scans (DOMAIN.md) that clean renders rarely
# produce: log P(ocr | truth) floors added to the learned table.
KNOWN = {("đ", "p"): math.log(0.05), ("ư", "w"): math.log(0.2), ("ố", "6"): math.log(0.1),
         ("ồ", "6"): math.log(0.03), ("ộ", "6"): math.log(0.03), ("ả", "d"): math.log(0.05),
         ("ẫ", "i"): math.log(0.02), ("ộ", "d"): math.log(0.03), ("ú", "ii"): math.log(0.05),
         ("ứ", "ir"): math.log(0.05), ("ứ", "ur"): math.log(0.05), ("ớ", "é"): math.log(0.1),
         ("ệ", "6"): math.log(0.03), ("l", "1"): math.log(0.1)}
MAX_FORMS = 40
PRESELECT = 24


def align_chars(truth: str, ocr: str) -> list[tuple[str, str]]:
    """Each truth character with the OCR substring aligned to it ("" when dropped).

    OCR characters inserted between two truth characters attach to the one before
    (ú -> "ii" is ú -> "i" plus an inserted "i").
    """
    from rapidfuzz.distance import Levenshtein

    out = [[tc, ""] for tc in truth]
    if not truth:
        return []
    for op in Levenshtein.opcodes(truth, ocr):
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if tag in ("equal", "replace"):
            for d in range(i2 - i1):
                out[i1 + d][1] += ocr[j1 + d] if j1 + d < j2 else ""
            if tag == "replace" and (j2 - j1) > (i2 - i1):
                out[i2 - 1][1] += ocr[j1 + (i2 - i1):j2]
        elif tag == "insert":
            # attach to the marked vowel next door when there is one
            after = i1 < len(truth) and not truth[i1].isascii()
            if after or i1 == 0:
                out[i1][1] = ocr[j1:j2] + out[i1][1]
            else:
                out[i1 - 1][1] += ocr[j1:j2]
        # delete: the truth characters keep ""
    return [(a, b) for a, b in out]


def _aligned(truth: str, ocr: str, opcodes) -> list[str]:
    """The OCR substring of each truth character, as `align_chars` gives it (the same
    opcodes, read as plain tuples: a fifth of the time)."""
    if not truth:
        return []
    out = [""] * len(truth)
    for tag, i1, i2, j1, j2 in opcodes(truth, ocr).as_list():
        if tag == "equal":
            for d in range(i2 - i1):
                out[i1 + d] += ocr[j1 + d]
        elif tag == "replace":
            n = i2 - i1
            for d in range(n):
                if j1 + d < j2:
                    out[i1 + d] += ocr[j1 + d]
            if (j2 - j1) > n:
                out[i2 - 1] += ocr[j1 + n:j2]
        elif tag == "insert":
            if (i1 < len(truth) and not truth[i1].isascii()) or i1 == 0:
                out[i1] = ocr[j1:j2] + out[i1]
            else:
                out[i1 - 1] += ocr[j1:j2]
    return out


class CharChannel:
    def __init__(self, model, by_stripped: dict[str, list[int]]) -> None:
        self.model = model
        self.by_stripped = by_stripped
        self.forms = sorted(by_stripped)
        self.uni = model.uni_lp.tolist()
        self.table = {(t, o): float(lp) for t, o, lp in zip(model.char_truth, model.char_ocr, model.char_lp)}
        for pair, lp in KNOWN.items():
            self.table[pair] = max(self.table.get(pair, UNSEEN_SUB), lp)
        # the letter each OCR character most often stands for, stripped
        best: dict[str, tuple[float, str]] = {}
        for (t, o), lp in self.table.items():
            if len(o) == 1:
                base = strip_diacritics(t)
                if o not in best or lp > best[o][0]:
                    best[o] = (lp, base)
        self.to_base = {o: b for o, (_, b) in best.items()}
        self._parts: dict[tuple[str, int], list[tuple[float, int]]] = {}
        self._scores: dict[tuple[str, str], float] = {}
        self._matches: dict[str, list[tuple[str, int]]] = {}  # base -> [(form, distance)]
        from rapidfuzz.distance import Levenshtein

        self._opcodes = Levenshtein.opcodes

    def score(self, truth: str, ocr: str) -> float:
        """log P(ocr | truth) under the character table (memoised: the same pairs come up
        for the preselection and again for a token's own stripped readings)."""
        key = (truth, ocr)
        total = self._scores.get(key)
        if total is None:
            total = 0.0
            table = self.table
            for pair in zip(truth, _aligned(truth, ocr, self._opcodes)):
                total += table.get(pair, UNSEEN_SUB)
            if len(self._scores) > 500_000:  # a long-running process: keep it bounded
                self._scores.clear()
            self._scores[key] = total
        return total

    def base(self, token: str) -> str:
        """The token with each OCR character mapped to the letter it most often stands for."""
        to_base = self.to_base
        return "".join(b if (b := to_base.get(ch)) is not None else strip_diacritics(ch) for ch in token)

    def prepare(self, tokens: Iterable[str]) -> None:
        """Find the stripped forms near each token's base in one batch (`process.cdist`
        over all forms: ~25 µs a token, against ~120 µs for a search of its own)."""
        import numpy as np
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        todo = [b for b in dict.fromkeys(self.base(t) for t in tokens) if b not in self._matches]
        if not todo:
            return
        if len(self._matches) > 200_000:  # a long-running process: keep it bounded
            self._matches.clear()
        dist = process.cdist(todo, self.forms, scorer=Levenshtein.distance, score_cutoff=2, dtype=np.int32)
        forms = self.forms
        for base, row in zip(todo, dist):
            # within 2 edits, closest first, ties in form order: as process.extract lists them
            near = np.flatnonzero(row <= 2)
            near = near[np.argsort(row[near], kind="stable")][:MAX_FORMS]
            self._matches[base] = [(forms[i], d) for i, d in zip(near.tolist(), row[near].tolist())]

    def candidates(self, token: str, limit: int = 12) -> list[tuple[int, float]]:
        base = self.base(token)
        matches = self._matches.get(base)
        if matches is None:
            self.prepare([token])
            matches = self._matches[base]
        vocab = self.model.vocab
        uni = self.uni
        # a cheap pre-ranking (frequency, edit distance of the stripped forms) so that the
        # exact alignment score, ~20 µs each in Python, is computed for a few dozen only.
        # Each (form, distance) contributes its own best PRESELECT entries, ranked once per
        # process: the PRESELECT best of the union are among them.
        parts = self._parts
        ranked = []
        for form, dist in matches:
            part = parts.get((form, dist))
            if part is None:
                off = 3.0 * dist
                part = parts[(form, dist)] = sorted([(uni[i] - off, i) for i in self.by_stripped[form]],
                                                    reverse=True)[:PRESELECT]
            ranked.append(part)
        # each part is sorted and the entries are distinct: merging them gives the
        # PRESELECT best in the order heapq.nlargest of their union did
        top = list(islice(heapq.merge(*ranked, reverse=True), PRESELECT))
        score = self.score
        scored = [(i, score(vocab[i], token)) for _, i in top]
        # rank by P(syllable) * P(token | syllable): "din" is far likelier "dẫn" than "dìn"
        scored.sort(key=lambda e: -(e[1] + uni[e[0]]))
        return scored[:limit]
