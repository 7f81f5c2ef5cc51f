"""Generate the OCR training pairs (cached JSON): `python scripts/restorer_corpus/make_pairs.py OUT PAGES`.

Text comes from the training sources only (hand-written in-domain prose, template
sentences, VLSP sentences); never from shared/seeds or heldout/.  A third of the pages are
rendered clean, a third like a clean 150-200 dpi scan, a third like a poor ~130 dpi one.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from ocr_pairs import ocr_lines  # noqa: E402


def training_lines(rng: random.Random) -> list[str]:
    from restorer_corpus.templates import expand

    written = [l.strip() for p in sorted(HERE.glob("*.txt")) for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]
    from train_restorer import read_vlsp

    vlsp = read_vlsp()
    rng.shuffle(vlsp)
    lines = written + expand(1500, seed=99) + vlsp[:600]
    rng.shuffle(lines)
    return lines


def main() -> None:
    out, pages = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(2026)
    lines = training_lines(rng)
    per_page = 36
    pairs = []
    t0 = time.time()
    for page in range(pages):
        chunk = [lines[(page * per_page + i) % len(lines)] for i in range(per_page)]
        pairs.extend(ocr_lines(chunk, seed=page, degrade=page % 3))
        print(f"page {page + 1}/{pages}: {len(pairs)} line pairs, {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(pairs, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
