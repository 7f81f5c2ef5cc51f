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

    def score(self, truth: str, ocr: str) -> float:
        """log P(ocr | truth) under the character table."""
        total = 0.0
        for tc, osub in align_chars(truth, ocr):
            total += self.table.get((tc, osub), UNSEEN_SUB)
        return total

    def candidates(self, token: str, limit: int = 12) -> list[tuple[int, float]]:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        base = "".join(self.to_base.get(ch, strip_diacritics(ch)) for ch in token)
        matches = process.extract(base, self.forms, scorer=Levenshtein.distance, score_cutoff=2, limit=MAX_FORMS)
        vocab = self.model.vocab
        uni = self.uni
        # a cheap pre-ranking (frequency, edit distance of the stripped forms) so that the
        # exact alignment score, ~20 µs each in Python, is computed for a few dozen only
        pool = [(uni[i] - 3.0 * dist, i) for form, dist, _ in matches for i in self.by_stripped[form]]
        scored = [(i, self.score(vocab[i], token)) for _, i in heapq.nlargest(PRESELECT, pool)]
        # rank by P(syllable) * P(token | syllable): "din" is far likelier "dẫn" than "dìn"
        scored.sort(key=lambda e: -(e[1] + uni[e[0]]))
        return scored[:limit]

