"""Channel models: which syllables could have produced an observed token, and how likely.

Two ways text loses its marks:
- stripped: the token is a valid syllable with every mark removed; every syllable that
  strips to it is a candidate (the vocabulary is `syllables.all_syllables()`, generated
  from onset + rhyme + tone rules), scored by `strip_lp`, how likely marks were lost in
  this segment (0 in stripped text, log 0.01 in a segment whose other words carry marks);
- English-model OCR: marks turn into look-alike characters (w for ư, 6 for ố, d for ả,
  P for Đ, ii for ú).  Candidates come from the confusion table learned from our own
  rendered-and-OCR'd pairs (token -> truth, `log P(ocr | truth)`) and from the character
  channel (`charchannel.py`) for tokens the table knows little about; a token that is no
  syllable may also be kept as it is (an abbreviation, a code, a name).
Outside OCR mode a token that already carries marks and is a valid syllable is kept: it is
the strongest evidence we have.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from planparse.repair.restorer.model import RestorerModel
from planparse.repair.restorer.tokens import NUM, UNK

MAX_CANDIDATES = 8
# candidates whose channel + unigram score trails the best by more than this (nats) are
# dropped before decoding: a 5x speed-up at no measured cost in stripped mode
UNIGRAM_RANGE = {"stripped": 5.0, "ocr": 8.0}
# an OCR token with this many readings in the table gets only a few more from the
# character channel; one with fewer gets a dozen
OCR_TRUSTED = 3
# log P(an OCR token that is no syllable is kept as it is): abbreviations, codes, names
# (UBND, KH, TTHC, VNeID) must survive; the LM scores the kept token as <x>
KEEP_LP = -4.0
KEEP_CAPS_LP = -2.0
KEEP_CLOSE_LP = -7.0
# a one- or two-digit OCR token: log P(it is a number), log P(it is a misread syllable)
DIGITS_NUM_LP = -0.1
DIGITS_WORD_LP = -2.5
# log P(a valid syllable written with Latin-1 marks is what it says) in OCR mode
OCR_VALID_LP = -1.2
# char-channel readings scoring below this are not worth decoding
CHAR_FLOOR = -14.0
# OCR-mode kinds whose candidates `build_table` computes ahead for common tokens
TABLE_KINDS = ("ocr", "ocr-caps")


class Candidates:
    """A token's candidate syllables.  A plain slotted class: a dataclass costs ~0.5 ms to
    build at import, which every command-line restore pays."""

    __slots__ = ("ids", "lp", "fixed")

    def __init__(self, ids: np.ndarray, lp: np.ndarray, fixed: bool) -> None:
        self.ids = ids  # vocabulary ids
        self.lp = lp  # channel log probabilities
        self.fixed = fixed  # the token is kept as written (one candidate: itself)

    def __repr__(self) -> str:
        return f"Candidates(ids={self.ids!r}, lp={self.lp!r}, fixed={self.fixed!r})"


class Channel:
    """Candidate generator for one model; caches per (token, mode) because words repeat."""

    def __init__(self, model: RestorerModel) -> None:
        self.model = model
        # built on every model load (15 k entries): get/append rather than setdefault, which
        # makes a list per entry, and specials ("<s>", "<num>", "<x>") dropped afterwards
        by_stripped: dict[str, list[int]] = {}
        for i, form in enumerate(model.stripped):
            ids = by_stripped.get(form)
            if ids is None:
                by_stripped[form] = [i]
            else:
                ids.append(i)
        for form in [f for f in by_stripped if f.startswith("<")]:
            del by_stripped[form]
        self.by_stripped = by_stripped
        self.ocr_index = {form: n for n, form in enumerate(model.ocr_forms)}
        self.unk = model.index[UNK]
        self.unseen_lp = float(np.min(model.uni_lp)) + 0.5
        # unigram log probs as Python floats for `_prune`; numpy compares float32 with the
        # threshold in float32, so the Python path is only taken when that is exact
        self._uni = model.uni_lp.tolist() if np.float32(self.unseen_lp) == self.unseen_lp else None
        self.num = model.index[NUM]
        self._chars = None
        self._cache: dict[tuple[str, str, float], Candidates] = {}
        self._table: dict[str, int] | None = None

    def fixed(self, unit_id: int) -> Candidates:
        return Candidates(np.array([unit_id], dtype=np.int64), np.zeros(1), True)

    def candidates(self, token: str, mode: str, strip_lp: float) -> Candidates:
        """Candidates for a lowercase NFC token; `mode` is "stripped" or "ocr"."""
        key = (token, mode, strip_lp)
        hit = self._cache.get(key)
        if hit is None:
            if mode in TABLE_KINDS:  # OCR modes ignore strip_lp
                hit = self._tabled(token, mode)
            if hit is None:
                hit = self._candidates(token, mode, strip_lp)
            self._cache[key] = hit
        return hit

    def _table_index(self) -> dict[str, int]:
        """Row of each "kind\ttoken" key of the model's table (built on first use)."""
        if self._table is None:
            keys = bytes(self.model.table["keys"]).decode("utf-8").split("\n") if self.model.table else []
            self._table = {key: n for n, key in enumerate(keys)}
        return self._table

    def _tabled(self, token: str, mode: str) -> Candidates | None:
        """The candidates `build_table` stored for this token, if it did."""
        n = self._table_index().get(f"{mode}\t{token}")
        if n is None:
            return None
        table = self.model.table
        lo, hi = int(table["start"][n]), int(table["start"][n + 1])
        return Candidates(table["ids"][lo:hi], table["lp"][lo:hi], bool(table["fixed"][n]))

    def prepare_ocr(self, tokens: Iterable[str]) -> None:
        """Search the character channel for all of a text's OCR tokens the table lacks in
        one batch, before they are looked up one by one (lowercase NFC tokens)."""
        if not self.model.char_lp.size:
            return
        index = self._table_index()
        todo = [t for t in tokens if t and not t[0].isdigit() and f"ocr\t{t}" not in index]
        if todo:
            self.char_channel().prepare(todo)

    def table_tokens(self, extra: Iterable[str] = ()) -> list[str]:
        """The tokens worth computing ahead: every stripped syllable form, every token the
        OCR training pairs produced, one- and two-digit numbers, every syllable an English
        model can write as it is (Latin-1 marks only: "các", "về" read "vé"), and `extra`
        (the training text's abbreviations as OCR writes them: "ubnd", "hdnd")."""
        model = self.model
        tokens = set(self.by_stripped) | set(model.ocr_forms) | set(extra)
        tokens |= {str(n) for n in range(100)} | {f"0{n}" for n in range(10)}
        tokens |= {w for w in model.vocab if not w.startswith("<") and not w.isascii() and max(w) <= "\xff"}
        tokens |= {w for w in model.alternates if not w.isascii() and max(w) <= "\xff"}
        return sorted(t for t in tokens if t)

    def build_table(self, extra: Iterable[str] = ()) -> dict[str, np.ndarray]:
        """`_candidates` of every `table_tokens()` token in each OCR kind, as the arrays
        `RestorerModel.table` stores: the character channel costs ~0.3 ms a token, which
        a document of a few hundred distinct words would otherwise pay at every run.
        Exactly what `_candidates` gives (the tests compare them), so results do not
        depend on whether a token was in the table."""
        keys, starts, ids, lps, fixed = [], [0], [], [], []
        for token in self.table_tokens(extra):
            for kind in TABLE_KINDS:
                cand = self._candidates(token, kind, 0.0)
                keys.append(f"{kind}\t{token}")
                ids.append(np.asarray(cand.ids, dtype=np.int64))
                lps.append(np.asarray(cand.lp, dtype=np.float64))
                fixed.append(cand.fixed)
                starts.append(starts[-1] + len(cand.ids))
        return {
            "keys": np.frombuffer("\n".join(keys).encode("utf-8"), dtype=np.uint8),
            "start": np.array(starts, dtype=np.int64),
            "ids": np.concatenate(ids),
            "lp": np.concatenate(lps),
            "fixed": np.array(fixed, dtype=np.uint8),
        }

    def _candidates(self, token: str, mode: str, strip_lp: float) -> Candidates:
        model = self.model
        if token[0].isdigit() and token.replace(".", "").replace(",", "").isdigit():
            if mode.startswith("ocr") and len(token) <= 2 and model.char_lp.size:
                return self._digits(token)
            return self.fixed(self.num)
        own = model.index.get(model.alternates.get(token, token))
        marked_valid = own is not None and not token.isascii()
        scored: dict[int, float] = {}
        if mode.startswith("ocr") and model.char_lp.size:
            if marked_valid and not token.isascii() and max(token) > "\xff":
                # đ, ư, ơ, ă, ạ, ả, ễ ... are outside what an English model writes
                # (ASCII and Latin-1): this token was not made by it, keep it
                return self.fixed(own)
            self._add_ocr(token, scored, marked_valid, caps=mode == "ocr-caps")
        elif marked_valid:
            return self.fixed(own)
        elif token in self.by_stripped:
            for i in self.by_stripped.get(token, ()):
                scored[i] = 0.0 if model.vocab[i] == token else strip_lp
        if not scored:
            return self.fixed(own if own is not None else self.unk)
        span = UNIGRAM_RANGE["ocr" if mode.startswith("ocr") else "stripped"]
        if self._uni is not None:
            ids, lp = self._prune(token, scored, span)
        else:
            ids = np.fromiter(scored, dtype=np.int64, count=len(scored))
            lp = np.fromiter(scored.values(), dtype=np.float64, count=len(scored))
            # syllables the training text never showed (unigram at the floor) only cost time,
            # unless one is the token itself
            seen = (model.uni_lp[ids] > self.unseen_lp) | (model.vocab_array[ids] == token)
            if seen.any() and not seen.all():
                ids, lp = ids[seen], lp[seen]
            # nor do readings a hundred-odd times less likely than the best one
            prior = lp + model.uni_lp[ids]
            keep = prior >= prior.max() - span
            if not keep.all():
                ids, lp = ids[keep], lp[keep]
        if len(ids) > MAX_CANDIDATES:
            keep = np.argsort(-(lp + model.uni_lp[ids]))[:MAX_CANDIDATES]
            ids, lp = ids[keep], lp[keep]
        return Candidates(ids, lp, False)

    def _prune(self, token: str, scored: dict[int, float], span: float) -> tuple[np.ndarray, np.ndarray]:
        """The pruning of `_candidates` (unseen syllables, readings far behind the best) in
        plain Python: a few candidates per word, where a dozen small numpy calls cost more
        than the work.  Same comparisons and float64 sums, so the same survivors."""
        uni, vocab = self._uni, self.model.vocab
        items = list(scored.items())
        seen = [uni[i] > self.unseen_lp or vocab[i] == token for i, _ in items]
        if any(seen) and not all(seen):
            items = [item for item, ok in zip(items, seen) if ok]
        prior = [lp + uni[i] for i, lp in items]
        floor = max(prior) - span
        if not all(p >= floor for p in prior):
            items = [item for item, p in zip(items, prior) if p >= floor]
        return (np.array([i for i, _ in items], dtype=np.int64),
                np.array([lp for _, lp in items], dtype=np.float64))

    def _digits(self, token: str) -> Candidates:
        """A short number in English OCR may be a syllable read as digits ("46" for "độ",
        "16" for "lệ", "14" for "là"): the number stays the likely reading."""
        scored = {self.num: DIGITS_NUM_LP}
        for cid, lp in self.char_channel().candidates(token, limit=8):
            if lp >= CHAR_FLOOR:
                scored[cid] = lp + DIGITS_WORD_LP
        ids = np.fromiter(scored, dtype=np.int64, count=len(scored))
        lp = np.fromiter(scored.values(), dtype=np.float64, count=len(scored))
        return Candidates(ids, lp, len(ids) == 1)

    def _add_ocr(self, token: str, scored: dict[int, float], marked_valid: bool, caps: bool = False) -> None:
        """log P(token | syllable) for OCR candidates: the learned token table first, the
        character channel for rare tokens, stripped readings and the token itself."""
        model = self.model
        n = self.ocr_index.get(token)
        seen = 0
        if n is not None:
            lo, hi = int(model.ocr_start[n]), int(model.ocr_start[n + 1])
            for cid, lp in zip(model.ocr_cand[lo:hi].tolist(), model.ocr_lp[lo:hi].tolist()):
                scored[cid] = lp
            seen = hi - lo
        chars = self.char_channel()
        for cid, lp in chars.candidates(token, limit=12 if seen < OCR_TRUSTED else 4):
            if lp >= CHAR_FLOOR:
                scored.setdefault(cid, lp)
        if not marked_valid and token not in self.by_stripped:
            # kept as written: likely for an all-caps abbreviation (UBND, HĐND), unlikely
            # for a lowercase token that reads well as a syllable ("huyén")
            close = any(lp > -2.0 for lp in scored.values())
            scored[self.unk] = KEEP_CAPS_LP if caps else (KEEP_CLOSE_LP if close else KEEP_LP)
        if token in self.by_stripped:
            for cid in self.by_stripped[token]:
                if cid not in scored:
                    scored[cid] = chars.score(model.vocab[cid], token)
        if marked_valid:
            # a valid Latin-1-marked syllable ("các", "về" read as "vé") is often right
            own = model.index.get(model.alternates.get(token, token))
            if own is not None:
                scored[own] = max(scored.get(own, -1e9), OCR_VALID_LP)

    def char_channel(self):
        if self._chars is None:
            from planparse.repair.restorer.charchannel import CharChannel

            self._chars = CharChannel(self.model, self.by_stripped)
        return self._chars
