"""Channel models: which syllables could have produced an observed token, and how likely.

Two ways text loses its marks:
- stripped: the token is a valid syllable with every mark removed; every syllable that
  strips to it is a candidate (generated from `syllables.all_syllables()`), scored by how
  likely marks were lost in this text (`Channel.strip_lp`, estimated per input);
- English-model OCR: marks turn into look-alike characters (w for ư, 6 for ố, d for ả,
  P for Đ, ii for ú).  Candidates come from the confusion table learned from our own
  rendered-and-OCR'd pairs (token -> truth, `log P(ocr | truth)`) and, for tokens never
  seen there, from a character channel applied along the syllable trie.
A token that already carries marks and is a valid syllable is kept: it is the strongest
evidence we have.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
import numpy as np

from planparse.repair.restorer.model import RestorerModel
from planparse.repair.restorer.tokens import NUM, UNK, lm_unit
from planparse.repair.syllables import is_syllable, is_stripped_syllable, preferred_form, strip_diacritics

MAX_CANDIDATES = 8
# log P(token is the OCR of a syllable that it does not spell), for tokens that are
# valid syllables themselves: OCR mangles ~40 % of syllables, most of them into invalid
# strings; a valid-looking token is usually right.
OCR_VALID_LP = math.log(0.08)


@dataclass
class Candidates:
    ids: np.ndarray  # vocabulary ids
    lp: np.ndarray  # channel log probabilities
    fixed: bool  # the token is kept as written (one candidate: itself)


class Channel:
    """Candidate generator for one model; caches per (token, mode) because words repeat."""

    def __init__(self, model: RestorerModel) -> None:
        self.model = model
        self.by_stripped: dict[str, list[int]] = {}
        for i, w in enumerate(model.vocab):
            if w.startswith("<"):
                continue
            self.by_stripped.setdefault(strip_diacritics(w), []).append(i)
        self.ocr_index = {form: n for n, form in enumerate(model.ocr_forms)}
        self.unk = model.index[UNK]
        self.num = model.index[NUM]
        self._cache: dict[tuple[str, str, float], Candidates] = {}

    def fixed(self, unit_id: int) -> Candidates:
        return Candidates(np.array([unit_id], dtype=np.int64), np.zeros(1), True)

    def candidates(self, token: str, mode: str, strip_lp: float) -> Candidates:
        """Candidates for a lowercase NFC token; `mode` is "stripped" or "ocr"."""
        key = (token, mode, strip_lp)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._candidates(token, mode, strip_lp)
        return hit

    def _candidates(self, token: str, mode: str, strip_lp: float) -> Candidates:
        model = self.model
        if token.isdigit():
            return self.fixed(self.num)
        marked_valid = not token.isascii() and is_syllable(token)
        scored: dict[int, float] = {}
        if marked_valid:
            own = model.index.get(preferred_form(token), self.unk)
            if mode != "ocr":
                return self.fixed(own)
            scored[own] = 0.0
        elif is_stripped_syllable(token):
            for i in self.by_stripped.get(token, ()):
                scored[i] = 0.0 if model.vocab[i] == token else strip_lp
        if mode == "ocr":
            self._add_ocr(token, scored, valid=bool(scored))
        if not scored:
            unit = lm_unit(token)
            return self.fixed(model.index.get(unit, self.unk))
        ids = np.fromiter(scored, dtype=np.int64, count=len(scored))
        lp = np.fromiter(scored.values(), dtype=np.float64, count=len(scored))
        if len(ids) > MAX_CANDIDATES:
            keep = np.argsort(-(lp + model.uni_lp[ids]))[:MAX_CANDIDATES]
            ids, lp = ids[keep], lp[keep]
        return Candidates(ids, lp, False)

    def _add_ocr(self, token: str, scored: dict[int, float], valid: bool) -> None:
        """Add candidates from the learned OCR confusion table (and the char channel)."""
        model = self.model
        n = self.ocr_index.get(token)
        penalty = OCR_VALID_LP if valid else 0.0
        if n is not None:
            lo, hi = int(model.ocr_start[n]), int(model.ocr_start[n + 1])
            for cid, lp in zip(model.ocr_cand[lo:hi].tolist(), model.ocr_lp[lo:hi].tolist()):
                scored[cid] = max(scored.get(cid, -1e9), lp + penalty)
            return
        from planparse.repair.restorer.charchannel import char_candidates

        for cid, lp in char_candidates(model, token):
            scored[cid] = max(scored.get(cid, -1e9), lp + penalty)

