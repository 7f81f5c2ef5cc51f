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

import gc
import math
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator, NamedTuple

from planparse.document import Edit

if TYPE_CHECKING:  # pathlib costs ~5 ms to import and restoring needs only a file name
    from pathlib import Path

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
    from pathlib import Path

    return Path(_model_file())


def _model_file() -> str:
    """`model_path()` as a plain string, found with os.path (no pathlib import to restore)."""
    env = os.environ.get(MODEL_ENV)
    if env:
        return env
    folder = os.path.dirname(os.path.realpath(__file__))
    parents = [folder]  # as Path(__file__).resolve().parents
    while os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
        parents.append(folder)
    for folder in parents:
        candidate = os.path.join(folder, "models", "restorer.bin")
        if os.path.exists(candidate):
            return candidate
    return os.path.join(parents[3], "models", "restorer.bin")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (restoring its state after).

    Loading the model (numpy's import among it) and restoring a page allocate tens of
    thousands of small acyclic objects: the collector would walk them, and everything
    imported before, several times and find nothing to free (~15 ms on 10 pages, ~10 ms
    more at start-up)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@lru_cache(maxsize=1)
def load_model():
    """The trained model and its channel, loaded once (~0.1 s with numpy's import)."""
    from planparse.errors import DependencyError

    path = _model_file()
    if not os.path.exists(path):
        raise DependencyError(
            f"the diacritics model {path} is missing; run scripts/train_restorer.py "
            f"or set {MODEL_ENV}"
        )
    with _collector_paused():
        from planparse.repair.restorer.channel import Channel
        from planparse.repair.restorer.model import RestorerModel

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
    text, mode = _prepare(text, mode)
    if mode == "good":
        return Restored(text, mode="good")
    restored, edits, tokens = _restore(text, mode, [0])
    return Restored(restored, edits[0], tokens[0], mode)


def restore_lines(lines: list[str], mode: str = "auto") -> list[Restored]:
    """Restore the lines of one page together; one `Restored` per line, offsets per line.

    Why not line by line: extracted text wraps sentences, so the words at the end of a line
    are the context of the next line's first words, and one batch decodes ~10x faster than
    many small calls.  The mode is judged on the whole page when "auto".
    """
    from planparse.repair.restorer.tokens import nfc

    lines = [nfc(line) for line in lines]
    text, mode = _prepare("\n".join(lines), mode)
    if mode == "good":
        texts = text.split("\n")
        assert len(texts) == len(lines), "the restorer keeps line breaks"
        return [Restored(t, mode="good") for t in texts]
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    restored, edits, tokens = _restore(text, mode, starts)
    # Restoring can change a token's length ("phiic" -> "phúc"), so the output is cut at its
    # own line breaks (kept one for one), not at the input's offsets.
    texts = restored.split("\n")
    assert len(texts) == len(lines), "the restorer keeps line breaks"
    return [Restored(t, e, k, mode) for t, e, k in zip(texts, edits, tokens)]


def _prepare(text: str, mode: str) -> tuple[str, str]:
    """The NFC text and the mode to restore it in ("good": leave it as it is)."""
    from planparse.repair.restorer.tokens import nfc

    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    text = nfc(text)
    if mode == "auto":
        mode = detect_mode(text)
    if not text.strip():
        mode = "good"
    return text, mode


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


def _restore(
    text: str, mode: str, starts: list[int]
) -> tuple[str, list[list[Edit]], list[list[RestoredToken]]]:
    """The restored text, and the edits and tokens of each region of `text` (regions begin
    at `starts`: [0] for the whole text, each line's offset for `restore_lines`), with
    offsets into their region.  Tokens are made once, already in their region, because a
    page has thousands and building them twice showed in profiles."""
    with _collector_paused():
        from planparse.repair.restorer.decode import decode_segments  # numpy: imported paused too
        from planparse.repair.restorer.tokens import BOS, apply_case, case_pattern, ocr_case, scan

        model, channel = load_model()
        vocab = model.vocab
        bos = channel.fixed(model.index[BOS])
        ocr = mode == "ocr"
        # per distinct word (and strip score): (candidates, the output word for each
        # candidate index, is it fixed, how many); words repeat a lot: each is looked up once
        seen: dict[float, dict[str, tuple]] = {0.0: {}, MIXED_STRIP_LP: {}}
        scanned: list[tuple[list[tuple[int, int, str]], float]] = []
        for items in scan(text, ocr=ocr):
            # a segment whose words mostly carry marks was typed right: its bare words ("ban",
            # "cho", "tin") are right too, so in stripped mode they change only on strong evidence
            strip_lp = 0.0
            if mode == "stripped" and len(items) >= 3:
                marked = sum(1 for _, _, w in items if not w.isascii())
                if marked >= 0.3 * len(items):
                    strip_lp = MIXED_STRIP_LP
            if ocr:
                items = _merge_fragments(text, items, channel)
            scanned.append((items, strip_lp))
        if ocr:  # the words no table knows go through the character channel in one batch
            words = {word for items, _ in scanned for _, _, word in items}
            channel.prepare_ocr({_ocr_key(word).lower() for word in words})
        segments: list[tuple[list[tuple[int, int, str]], list[tuple]]] = []
        for items, strip_lp in scanned:
            known = seen[strip_lp]
            hits = []
            for _, _, word in items:
                hit = known.get(word)
                if hit is None:
                    hit = known[word] = _lookup(word, mode, strip_lp, channel, vocab,
                                                apply_case, case_pattern, ocr_case)
                hits.append(hit)
            segments.append((items, hits))
        # decode only segments where something is uncertain
        todo = [i for i, (_, hits) in enumerate(segments) if not all(h[2] for h in hits)]
        lattices = []
        for i in todo:
            cands = [bos, bos, *(h[0] for h in segments[i][1]), bos]
            lattices.append(([c.ids for c in cands], [c.lp for c in cands]))
        decoded = dict(zip(todo, decode_segments(model, lattices)))
        nreg = len(starts)
        edits: list[list[Edit]] = [[] for _ in range(nreg)]
        tokens: list[list[RestoredToken]] = [[] for _ in range(nreg)]
        region, off = 0, starts[0]
        nxt = starts[1] if nreg > 1 else len(text) + 1
        reg_edits, reg_tokens = edits[0], tokens[0]
        pieces, pos = [], 0
        # a named tuple's own __new__ is a Python function; tuple.__new__ is ~2x faster
        new_token = tuple.__new__
        for i, (items, hits) in enumerate(segments):
            res = decoded.get(i)
            if res is None:  # nothing to choose: every word stays as written
                for (start, end, word), hit in zip(items, hits):
                    if start >= nxt:
                        while start >= nxt:
                            region += 1
                            nxt = starts[region + 1] if region + 1 < nreg else len(text) + 1
                        off, reg_edits, reg_tokens = starts[region], edits[region], tokens[region]
                    reg_tokens.append(new_token(RestoredToken, (start - off, end - off, word, word, 1.0, hit[3])))
                continue
            for (start, end, word), (_, afters, fixed, ncand), pick, conf in zip(items, hits, res[0][2:], res[1][2:]):
                if start >= nxt:
                    while start >= nxt:
                        region += 1
                        nxt = starts[region + 1] if region + 1 < nreg else len(text) + 1
                    off, reg_edits, reg_tokens = starts[region], edits[region], tokens[region]
                if fixed:
                    reg_tokens.append(new_token(RestoredToken, (start - off, end - off, word, word, 1.0, ncand)))
                    continue
                after = afters[pick]
                if after is None:
                    after = word
                if conf != 1.0:
                    conf = round(conf, 4)
                reg_tokens.append(new_token(RestoredToken, (start - off, end - off, word, after, conf, ncand)))
                if after != word:
                    reg_edits.append(Edit("diacritics", start - off, end - off, word, after, conf))
                    pieces.append(text[pos:start])
                    pieces.append(after)
                    pos = end
        pieces.append(text[pos:])
        return "".join(pieces), edits, tokens


def _ocr_key(word: str) -> str:
    """An OCR token as it is looked up: without the apostrophes and spaces OCR put in it."""
    from planparse.repair.restorer.tokens import APOSTROPHES

    return word.translate(APOSTROPHES).replace(" ", "")


def _lookup(word, mode, strip_lp, channel, vocab, apply_case, case_pattern, ocr_case) -> tuple:
    """(candidates, output word per candidate (None: keep the word), fixed, how many
    candidates) for one word."""
    key = _ocr_key(word) if mode == "ocr" else word
    pattern = case_pattern(key)
    if pattern == "mixed" and mode == "ocr":
        # OCR mixes case inside words ("NOi", "DGi"): follow the majority
        pattern = ocr_case(key)
    if pattern == "mixed":
        cand = channel.fixed(channel.unk)
    else:
        kind = "ocr-caps" if mode == "ocr" and pattern == "upper" else mode
        cand = channel.candidates(key.lower(), kind, strip_lp)
    if cand.fixed:
        return cand, (None,) * len(cand.ids), True, len(cand.ids)
    afters = []
    for cid in cand.ids.tolist():
        unit = vocab[cid]
        afters.append(None if unit.startswith("<") else apply_case(unit, pattern))
    return cand, tuple(afters), False, len(afters)
