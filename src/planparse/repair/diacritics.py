"""Restore Vietnamese diacritics in stripped or English-model-OCR text (noisy channel).

For text that arrives without its marks ("ho so truc tuyen") or OCR'd with an English model
("hwéng din", "S6:", "Poc lap"), when no page image is left to re-OCR with `vie`.  Each word
token gets candidate syllables from a channel model (`restorer.channel`), a Kneser-Ney
trigram LM over syllables scores the sequences, and Viterbi picks the best one
(`restorer.decode`).  Case, digits, punctuation, spacing and line breaks are kept; only
word tokens change, and each change is an `Edit` with the posterior probability of the
chosen syllable as its confidence.

Text that already looks right (`syllables.text_quality` verdict "good") is returned as it
is: restoring it can only do harm.  The model (`models/restorer.bin`, built by
`scripts/train_restorer.py`) is loaded on first use and cached.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from planparse.document import Edit

MODEL_ENV = "PLANPARSE_RESTORER_MODEL"
MODES = ("auto", "stripped", "ocr", "good")
# log P(a bare word lost its marks) inside a segment that otherwise carries them
MIXED_STRIP_LP = math.log(0.01)


class RestoredToken(NamedTuple):
    """One word token: where it was, what it was, what it became and how sure we are.

    A named tuple rather than a dataclass: a page makes thousands and construction cost
    showed in profiles."""

    start: int
    end: int
    before: str
    after: str
    confidence: float  # posterior of `after` among the candidates (1.0: nothing competed)
    candidates: int  # how many syllables competed (1: kept as written)


@dataclass
class Restored:
    """The restored text, its edits (offsets into the NFC input) and every token's verdict."""

    text: str
    edits: list[Edit] = field(default_factory=list)
    tokens: list[RestoredToken] = field(default_factory=list)
    mode: str = "good"


def model_path() -> Path:
    """`$PLANPARSE_RESTORER_MODEL`, else `models/restorer.bin` of the source tree."""
    env = os.environ.get(MODEL_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "models" / "restorer.bin"
        if candidate.exists():
            return candidate
    return here.parents[3] / "models" / "restorer.bin"


@lru_cache(maxsize=1)
def load_model():
    """The trained model and its channel, loaded once (~0.1 s)."""
    from planparse.errors import DependencyError
    from planparse.repair.restorer.channel import Channel
    from planparse.repair.restorer.model import RestorerModel

    path = model_path()
    if not path.exists():
        raise DependencyError(
            f"the diacritics model {path} is missing; run scripts/train_restorer.py "
            f"or set {MODEL_ENV}"
        )
    model = RestorerModel.load(path)
    return model, Channel(model)


def model_version() -> str:
    return load_model()[0].version


def detect_mode(text: str) -> str:
    """"stripped", "ocr" or "good" from the syllable statistics of the text."""
    from planparse.repair.syllables import text_quality

    verdict = text_quality(text).verdict
    return {"stripped": "stripped", "garbled": "ocr"}.get(verdict, "good")


def restore(text: str, mode: str = "auto") -> Restored:
    """Restore diacritics in `text`; `mode` forces "stripped", "ocr" or "good" (no change).

    With "auto" the mode comes from the text itself; a caller that judged a whole page
    should pass the page's mode when restoring it line by line, since a short line says
    little about itself.
    """
    from planparse.repair.restorer.tokens import nfc

    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    text = nfc(text)
    if mode == "auto":
        mode = detect_mode(text)
    if mode == "good" or not text.strip():
        return Restored(text, mode="good")
    return _restore(text, mode)


def restore_lines(lines: list[str], mode: str = "auto") -> list[Restored]:
    """Restore the lines of one page together; one `Restored` per line, offsets per line.

    Why not line by line: extracted text wraps sentences, so the words at the end of a line
    are the context of the next line's first words, and one batch decodes ~10x faster than
    many small calls.  The mode is judged on the whole page when "auto".
    """
    from planparse.repair.restorer.tokens import nfc

    lines = [nfc(line) for line in lines]
    joined = "\n".join(lines)
    whole = restore(joined, mode=mode)
    # Restoring can change a token's length ("phiic" -> "phúc"), so the output is cut at its
    # own line breaks (kept one for one), not at the input's offsets.
    texts = whole.text.split("\n")
    assert len(texts) == len(lines), "the restorer keeps line breaks"
    out: list[Restored] = []
    start = 0
    edits, tokens = iter(whole.edits), iter(whole.tokens)
    pending_edit, pending_token = next(edits, None), next(tokens, None)
    for line, text in zip(lines, texts):
        end = start + len(line)
        mine_e, mine_t = [], []
        while pending_edit is not None and pending_edit.start < end:
            e = pending_edit
            mine_e.append(Edit(e.kind, e.start - start, e.end - start, e.before, e.after, e.confidence))
            pending_edit = next(edits, None)
        while pending_token is not None and pending_token.start < end:
            t = pending_token
            mine_t.append(t._replace(start=t.start - start, end=t.end - start))
            pending_token = next(tokens, None)
        out.append(Restored(text, mine_e, mine_t, whole.mode))
        start = end + 1
    return out


# OCR splits a syllable where it drops a mark: "thu ng" for "thưởng", "tru c" for "trực".
# A trailing fragment that is no syllable is joined to the word before it when the two
# together read well as one syllable.
FRAGMENTS = frozenset("ng nh ch c t p m n i u o y g h".split())
MERGE_LP = -3.0


def _merge_fragments(text: str, items: list[tuple[int, int, str]], channel) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for item in items:
        start, end, word = item
        if out and word in FRAGMENTS and text[out[-1][1]:start] == " " and out[-1][2].isalpha():
            prev = out[-1]
            joined = (prev[2] + word).lower()
            cand = channel.candidates(joined, "ocr", 0.0)
            best = max((lp for cid, lp in zip(cand.ids.tolist(), cand.lp.tolist()) if cid != channel.unk), default=-99.0)
            if not cand.fixed and best > MERGE_LP:
                out[-1] = (prev[0], end, text[prev[0]:end])
                continue
        out.append(item)
    return out


def _restore(text: str, mode: str) -> Restored:
    from planparse.repair.restorer.decode import decode_segments
    from planparse.repair.restorer.tokens import APOSTROPHES, BOS, apply_case, case_pattern, ocr_case, scan

    model, channel = load_model()
    bos = channel.fixed(model.index[BOS])
    # segments of (start, end, word, case pattern, candidates); words repeat a lot, so
    # the (pattern, candidates) of each distinct word is looked up once
    seen: dict[str, tuple] = {}
    segments: list[list[tuple[int, int, str, str, object]]] = []
    for items in scan(text, ocr=mode == "ocr"):
        seg = []
        # a segment whose words mostly carry marks was typed right: its bare words ("ban",
        # "cho", "tin") are right too, so in stripped mode they change only on strong evidence
        strip_lp = 0.0
        if mode == "stripped" and len(items) >= 3:
            marked = sum(1 for _, _, w in items if not w.isascii())
            if marked >= 0.3 * len(items):
                strip_lp = MIXED_STRIP_LP
        if mode == "ocr":
            items = _merge_fragments(text, items, channel)
        for start, end, word in items:
            hit = seen.get((word, strip_lp))
            if hit is None:
                key = word.translate(APOSTROPHES).replace(" ", "") if mode == "ocr" else word
                pattern = case_pattern(key)
                if pattern == "mixed" and mode == "ocr":
                    # OCR mixes case inside words ("NOi", "DGi"): follow the majority
                    pattern = ocr_case(key)
                if pattern == "mixed":
                    cand = channel.fixed(channel.unk)
                else:
                    kind = "ocr-caps" if mode == "ocr" and pattern == "upper" else mode
                    cand = channel.candidates(key.lower(), kind, strip_lp)
                hit = seen[(word, strip_lp)] = (pattern, cand)
            seg.append((start, end, word, *hit))
        segments.append(seg)
    # decode only segments where something is uncertain
    todo = [seg for seg in segments if not all(c.fixed for *_, c in seg)]
    lattices = []
    for seg in todo:
        cands = [bos, bos, *(c for *_, c in seg), bos]
        lattices.append(([c.ids for c in cands], [c.lp for c in cands]))
    decoded = {id(seg): res for seg, res in zip(todo, decode_segments(model, lattices))}
    edits: list[Edit] = []
    tokens: list[RestoredToken] = []
    for seg in segments:
        res = decoded.get(id(seg))
        choice, post = (res[0][2:-1], res[1][2:-1]) if res else ([0] * len(seg), [1.0] * len(seg))
        for (start, end, word, pattern, cand), pick, conf in zip(seg, choice, post):
            after = word
            if not cand.fixed:
                unit = model.vocab[int(cand.ids[pick])]
                if not unit.startswith("<"):
                    after = apply_case(unit, pattern)
            conf = round(conf, 4)
            tokens.append(RestoredToken(start, end, word, after, conf, len(cand.ids)))
            if after != word:
                edits.append(Edit("diacritics", start, end, word, after, conf))
    pieces, pos = [], 0
    for e in edits:
        pieces.append(text[pos:e.start])
        pieces.append(e.after)
        pos = e.end
    pieces.append(text[pos:])
    return Restored("".join(pieces), edits, tokens, mode)
