"""The restorer's model file: a Kneser-Ney trigram LM over syllables plus the OCR channel.

Stored as one flat container of numpy arrays (`write_arrays`), so loading is one memory
map and a few views (~1 ms) rather than unpickling dicts: sorted uint64 n-gram keys with
float32 log probabilities and back-off weights (the ARPA layout of an interpolated model),
the vocabulary as one newline-joined string, the OCR confusion table as parallel arrays,
the channel's OCR-mode candidates of common tokens (`table`), and a JSON string with the
version and a summary of the training data.

Lookups are vectorised (`np.searchsorted` over all candidate n-grams of a document at once),
which is what makes 20 k syllables/s possible in Python.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # restoring opens the model by name; pathlib costs ~5 ms to import
    from pathlib import Path

SHIFT = np.uint64(16)  # ids < 65536; bigram key = a<<16|b, trigram key = a<<32|b<<16|c
FORMAT = 1


def bigram_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a.astype(np.uint64) << SHIFT) | b.astype(np.uint64)


def trigram_keys(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    return (((a.astype(np.uint64) << SHIFT) | b.astype(np.uint64)) << SHIFT) | c.astype(np.uint64)


MAGIC = b"PPRESTO1"
ALIGN = 64


def write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """A flat container: magic, header length, JSON header (dtype, shape, offset of each
    array), then the raw arrays 64-byte aligned.  Loading is a memory map and `frombuffer`
    views: ~1 ms for the whole model, against ~50 ms for the same arrays in an .npz."""
    header, offset = {}, 0
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr)
        header[name] = {"dtype": arr.dtype.str, "shape": list(arr.shape), "offset": offset}
        offset += -(-arr.nbytes // ALIGN) * ALIGN
    head = json.dumps(header).encode("utf-8")
    start = -(-(len(MAGIC) + 8 + len(head)) // ALIGN) * ALIGN
    with open(path, "wb") as fh:
        fh.write(MAGIC + len(head).to_bytes(8, "little") + head)
        fh.write(b"\0" * (start - len(MAGIC) - 8 - len(head)))
        for name, arr in arrays.items():
            raw = np.ascontiguousarray(arr).tobytes()
            fh.write(raw + b"\0" * (-(-len(raw) // ALIGN) * ALIGN - len(raw)))


def read_arrays(path: Path | str) -> dict[str, np.ndarray]:
    """The arrays of a `write_arrays` file, as read-only views of the file mapped into
    memory: a restore touches a few pages of the n-gram tables, so mapping (~0.1 ms) beats
    reading all 7 MB (~5 ms)."""
    import mmap

    with open(path, "rb") as fh:
        try:
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            data = b""
    if data[:len(MAGIC)] != MAGIC:
        raise ValueError(f"{path}: not a planparse restorer model")
    size = int.from_bytes(data[len(MAGIC):len(MAGIC) + 8], "little")
    header = json.loads(data[len(MAGIC) + 8:len(MAGIC) + 8 + size])
    start = -(-(len(MAGIC) + 8 + size) // ALIGN) * ALIGN
    out = {}
    for name, info in header.items():
        dtype = np.dtype(info["dtype"])
        count = int(np.prod(info["shape"])) if info["shape"] else 1
        out[name] = np.frombuffer(data, dtype=dtype, count=count, offset=start + info["offset"]).reshape(info["shape"])
    return out


def _distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct keys, and for each key its index among them."""
    order = np.argsort(keys, kind="quicksort")
    ordered = keys[order]
    new = np.empty(len(keys), dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    back = np.empty(len(keys), dtype=np.intp)
    back[order] = np.cumsum(new) - 1
    return ordered[new], back


def _find(keys: np.ndarray, query: np.ndarray, presorted: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Index of each query key in the sorted `keys`, and whether it is really there.

    Large batches are sorted first (unless `presorted`): binary search over sorted queries
    stays in cache and is ~4x faster than over random ones, more than paying for the sort.
    """
    if len(keys) == 0:
        return np.zeros(query.shape, dtype=np.int64), np.zeros(query.shape, dtype=bool)
    if query.size > 4096 and not presorted:
        order = np.argsort(query, kind="quicksort")
        idx = np.empty(query.shape, dtype=np.int64)
        idx[order] = np.searchsorted(keys, query[order])
    else:
        idx = np.searchsorted(keys, query)
    np.minimum(idx, len(keys) - 1, out=idx)
    return idx, keys[idx] == query


class RestorerModel:
    """Everything `restore` needs, as arrays; see the module docstring for the layout.

    A plain class rather than a dataclass: generating a 21-field dataclass costs ~1 ms at
    import, which every command-line restore pays."""

    def __init__(
        self,
        vocab: list[str],
        uni_lp: np.ndarray,
        uni_bo: np.ndarray,
        bi_keys: np.ndarray,
        bi_lp: np.ndarray,
        bi_bo: np.ndarray,
        tri_keys: np.ndarray,
        tri_lp: np.ndarray,
        # word lexicon (underthesea Viet74K): keys of syllable pairs inside a known word
        lex_keys: np.ndarray | None = None,
        lex_bonus: float = 0.0,
        # OCR confusion table: observed (lowercase) OCR token -> truth syllable id, log P(truth|ocr)
        ocr_forms: list[str] | None = None,
        ocr_start: np.ndarray | None = None,
        ocr_cand: np.ndarray | None = None,
        ocr_lp: np.ndarray | None = None,
        # Character channel: (ocr chars -> truth chars) substitution log probabilities
        char_ocr: list[str] | None = None,
        char_truth: list[str] | None = None,
        char_lp: np.ndarray | None = None,
        # stripped form of each vocabulary entry, and alternate tone placements -> preferred
        # ("hoà" -> "hòa"): stored so decoding never rebuilds the syllable tables (~0.1 s)
        stripped: list[str] | None = None,
        alternates: dict[str, str] | None = None,
        # the channel's OCR-mode candidates for the tokens that come up most, computed at
        # training time (`Channel.build_table`): keys "kind\ttoken", rows of ids and lps
        table: dict[str, np.ndarray] | None = None,
        meta: dict | None = None,
        index: dict[str, int] | None = None,
    ) -> None:
        self.vocab = vocab
        self.uni_lp, self.uni_bo = uni_lp, uni_bo
        self.bi_keys, self.bi_lp, self.bi_bo = bi_keys, bi_lp, bi_bo
        self.tri_keys, self.tri_lp = tri_keys, tri_lp
        self.lex_keys = np.zeros(0, dtype=np.uint64) if lex_keys is None else lex_keys
        self.lex_bonus = lex_bonus
        self.ocr_forms = [] if ocr_forms is None else ocr_forms
        self.ocr_start = np.zeros(1, dtype=np.int64) if ocr_start is None else ocr_start
        self.ocr_cand = np.zeros(0, dtype=np.int32) if ocr_cand is None else ocr_cand
        self.ocr_lp = np.zeros(0, dtype=np.float32) if ocr_lp is None else ocr_lp
        self.char_ocr = [] if char_ocr is None else char_ocr
        self.char_truth = [] if char_truth is None else char_truth
        self.char_lp = np.zeros(0, dtype=np.float32) if char_lp is None else char_lp
        self.stripped = [] if stripped is None else stripped
        self.alternates = {} if alternates is None else alternates
        self.table = {} if table is None else table
        self.meta = {} if meta is None else meta
        self.index = index or {w: i for i, w in enumerate(vocab)}
        self.vocab_array = np.array(vocab, dtype=object)

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unknown"))

    def pair_scores(self, j: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For pairs (j, k): log P(k | j), the back-off weight of (j, k) as the history of
        a trigram, and the lexicon bonus when j k sit inside one known word."""
        if j.dtype == k.dtype == np.int64:
            # the same keys as bigram_keys (ids are below 2**16), without two uint64 copies
            keys = ((j << 16) | k).view(np.uint64)
        else:
            keys = bigram_keys(j, k)
        if keys.size > 4096:
            # a document's candidate pairs repeat (about one in five is distinct): score
            # each distinct pair once, over sorted keys, and spread the scores back
            uniq, back = _distinct(keys)
            mask = np.uint64(0xFFFF)
            lp2, bo, bonus = self._pair_scores(uniq >> SHIFT, uniq & mask, uniq, presorted=True)
            return lp2[back], bo[back], bonus[back]
        return self._pair_scores(j, k, keys)

    def _pair_scores(self, j: np.ndarray, k: np.ndarray, keys: np.ndarray, presorted: bool = False):
        ijk, fjk = _find(self.bi_keys, keys, presorted)
        lp2 = np.where(fjk, self.bi_lp[ijk], self.uni_bo[j] + self.uni_lp[k])
        bo = np.where(fjk, self.bi_bo[ijk], 0.0)
        bonus = np.zeros(len(keys), dtype=np.float32)
        if self.lex_bonus and len(self.lex_keys):
            _, in_word = _find(self.lex_keys, keys, presorted)
            bonus = self.lex_bonus * in_word
        return lp2, bo, bonus

    def trigram_found(self, h: np.ndarray, j: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if h.dtype == j.dtype == k.dtype == np.int64:
            # the same keys as trigram_keys (ids are below 2**16), without uint64 copies
            keys = ((((h << 16) | j) << 16) | k).view(np.uint64)
        else:
            keys = trigram_keys(h, j, k)
        if keys.size > 4096:
            # candidate trigrams repeat as pairs do: look each distinct one up once
            uniq, back = _distinct(keys)
            i3, f3 = _find(self.tri_keys, uniq, presorted=True)
            return self.tri_lp[i3][back], f3[back]
        i3, f3 = _find(self.tri_keys, keys)
        return self.tri_lp[i3], f3

    def trigram_lp(self, h: np.ndarray, j: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Natural-log P(k | h j) for arrays of ids (any equal shapes), with back-off."""
        i3, f3 = _find(self.tri_keys, trigram_keys(h, j, k))
        ihj, fhj = _find(self.bi_keys, bigram_keys(h, j))
        ijk, fjk = _find(self.bi_keys, bigram_keys(j, k))
        lp2 = np.where(fjk, self.bi_lp[ijk], self.uni_bo[j] + self.uni_lp[k])
        bo = np.where(fhj, self.bi_bo[ihj], 0.0)
        lp = np.where(f3, self.tri_lp[i3], bo + lp2)
        if self.lex_bonus and len(self.lex_keys):
            _, in_word = _find(self.lex_keys, bigram_keys(j, k))
            lp = lp + self.lex_bonus * in_word
        return lp

    # --- persistence -------------------------------------------------------------------

    def save(self, path: Path) -> None:
        from pathlib import Path

        path = Path(path)
        arrays = {
            "vocab": np.frombuffer("\n".join(self.vocab).encode("utf-8"), dtype=np.uint8),
            "uni_lp": self.uni_lp.astype(np.float32),
            "uni_bo": self.uni_bo.astype(np.float32),
            "bi_keys": self.bi_keys.astype(np.uint64),
            "bi_lp": self.bi_lp.astype(np.float32),
            "bi_bo": self.bi_bo.astype(np.float32),
            "tri_keys": self.tri_keys.astype(np.uint64),
            "tri_lp": self.tri_lp.astype(np.float32),
            "lex_keys": self.lex_keys.astype(np.uint64),
            "lex_bonus": np.array([self.lex_bonus], dtype=np.float64),
            "ocr_forms": np.frombuffer("\n".join(self.ocr_forms).encode("utf-8"), dtype=np.uint8),
            "ocr_start": self.ocr_start.astype(np.int64),
            "ocr_cand": self.ocr_cand.astype(np.int32),
            "ocr_lp": self.ocr_lp.astype(np.float32),
            "char_pairs": np.frombuffer(
                "\n".join(f"{o}\t{t}" for o, t in zip(self.char_ocr, self.char_truth)).encode("utf-8"),
                dtype=np.uint8,
            ),
            "char_lp": self.char_lp.astype(np.float32),
            "stripped": np.frombuffer("\n".join(self.stripped).encode("utf-8"), dtype=np.uint8),
            "alternates": np.frombuffer(
                "\n".join(f"{a}\t{b}" for a, b in sorted(self.alternates.items())).encode("utf-8"), dtype=np.uint8
            ),
            **{f"table_{name}": arr for name, arr in self.table.items()},
            "meta": np.frombuffer(json.dumps({**self.meta, "format": FORMAT}, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        write_arrays(tmp, arrays)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path | str) -> "RestorerModel":
        z = read_arrays(path)
        if z:
            text = lambda name: bytes(z[name]).decode("utf-8")  # noqa: E731
            vocab = text("vocab").split("\n")
            forms = text("ocr_forms")
            pairs = text("char_pairs")
            char_ocr, char_truth = [], []
            for line in pairs.split("\n") if pairs else []:
                o, t = line.split("\t")
                char_ocr.append(o)
                char_truth.append(t)
            return cls(
                vocab=vocab,
                uni_lp=z["uni_lp"], uni_bo=z["uni_bo"],
                bi_keys=z["bi_keys"], bi_lp=z["bi_lp"], bi_bo=z["bi_bo"],
                tri_keys=z["tri_keys"], tri_lp=z["tri_lp"],
                lex_keys=z["lex_keys"], lex_bonus=float(z["lex_bonus"][0]),
                ocr_forms=forms.split("\n") if forms else [],
                ocr_start=z["ocr_start"], ocr_cand=z["ocr_cand"], ocr_lp=z["ocr_lp"],
                char_ocr=char_ocr, char_truth=char_truth, char_lp=z["char_lp"],
                stripped=text("stripped").split("\n"),
                alternates=dict(line.split("\t") for line in text("alternates").split("\n") if line),
                table={name[6:]: arr for name, arr in z.items() if name.startswith("table_")},
                meta=json.loads(text("meta")),
            )
