"""Trigram Viterbi over lattices of candidate syllables, many segments at once.

Each segment (a run of words between punctuation) is a lattice padded `<s> <s> w1 .. wn <s>`
exactly as the LM was trained; segments are independent, so they are decoded side by side.
Why batched: a per-position loop of small numpy calls costs ~40 µs a syllable in Python
overhead; here every trigram score of the whole document is looked up in one vectorised
call (ragged layout: k[i-2] * k[i-1] * k[i] combinations at position i), scattered into
dense (segments x positions x K x K x K) blocks of segments of similar length, and the
max-product recursion runs once per position index for a whole block.

Confidence is the max-marginal posterior of the chosen syllable: forward and backward
max-product scores through each candidate, normalised over the candidates of the position.
"""

from __future__ import annotations

import numpy as np

from planparse.repair.restorer.model import RestorerModel

NEG = np.float32(-1e30)
BLOCK = 64  # segments decoded together


def lattice_scores(model: RestorerModel, cands: list[np.ndarray]):
    """LM log probs of every trigram of the concatenated lattice (ragged layout).

    Returns (scores, pos, hi, ji, ci): for each entry, the position p (index of its last
    element minus 2) and the candidate indices at p, p+1, p+2.
    """
    # int32 indices: half the memory traffic, and a first call pays for every fresh page
    i32 = np.int32
    k = np.array([len(c) for c in cands], dtype=i32)
    k0, k1, k2 = k[:-2], k[1:-1], k[2:]
    n = k0 * k1 * k2
    offsets = np.zeros(len(n) + 1, dtype=i32)
    np.cumsum(n, out=offsets[1:])
    total = int(offsets[-1])
    pos = np.repeat(np.arange(len(n), dtype=i32), n)
    r = np.arange(total, dtype=i32) - offsets[pos]
    kk1, kk2 = k1[pos], k2[pos]
    hi = r // (kk1 * kk2)
    ji = (r // kk2) % kk1
    ci = r % kk2
    flat = np.concatenate(cands).astype(i32)
    starts = np.zeros(len(cands) + 1, dtype=i32)
    np.cumsum(k, out=starts[1:])
    h = flat[starts[pos] + hi]
    j = flat[starts[pos + 1] + ji]
    c = flat[starts[pos + 2] + ci]
    # pair-level scores once per adjacent pair (q, q+1), not once per trigram
    npair = k[:-1] * k[1:]
    poff = np.zeros(len(npair) + 1, dtype=i32)
    np.cumsum(npair, out=poff[1:])
    ppos = np.repeat(np.arange(len(npair), dtype=i32), npair)
    pr = np.arange(int(poff[-1]), dtype=i32) - poff[ppos]
    kp = k[1:][ppos]
    pa = flat[starts[ppos] + pr // kp]
    pb = flat[starts[ppos + 1] + pr % kp]
    lp2, bo, bonus = model.pair_scores(pa, pb)
    # pair (h, j) at pos, index hi * k1 + ji; pair (j, c) at pos + 1, index ji * k2 + ci
    bo_hj = bo[poff[pos] + hi * kk1 + ji]
    jc = poff[pos + 1] + ji * kk2 + ci
    scores = bo_hj + lp2[jc]
    # only histories seen as trigram contexts (non-zero back-off weight) can have a stored
    # trigram: most candidate pairs are nonsense and never were, so skip their lookups
    ask = np.flatnonzero(bo_hj != 0.0)
    if len(ask):
        tri_lp, found = model.trigram_found(h[ask], j[ask], c[ask])
        scores[ask[found]] = tri_lp[found]
    return scores + bonus[jc], pos, hi, ji, ci


def decode_segments(
    model: RestorerModel, segments: list[tuple[list[np.ndarray], list[np.ndarray]]]
) -> list[tuple[list[int], list[float]]]:
    """Best candidate index and its confidence for every position of every segment.

    Each segment is (candidate ids per position, channel log probs per position) and
    starts with two `<s>` positions and ends with one.
    """
    if not segments:
        return []
    lengths = np.array([len(ids) for ids, _ in segments])
    seg_start = np.zeros(len(segments) + 1, dtype=np.int64)
    np.cumsum(lengths, out=seg_start[1:])
    all_ids = [c for ids, _ in segments for c in ids]
    all_lp = [c for _, lps in segments for c in lps]
    scores, pos, hi, ji, ci = lattice_scores(model, all_ids)
    # add the channel score of the last candidate of each trigram
    chan_flat = np.concatenate(all_lp).astype(np.float32)
    k = np.array([len(c) for c in all_ids], dtype=np.int64)
    cstart = np.zeros(len(k) + 1, dtype=np.int64)
    np.cumsum(k, out=cstart[1:])
    scores = scores.astype(np.float32) + chan_flat[cstart[pos + 2] + ci]
    # which segment and local position each trigram (ending at global g = pos + 2) is in
    g = pos + 2
    seg_of = np.searchsorted(seg_start, g, side="right") - 1
    local = g - seg_start[seg_of]
    valid = local >= 2
    scores, seg_of, local, hi, ji, ci = (a[valid] for a in (scores, seg_of, local, hi, ji, ci))
    # group segments of similar length into blocks of BLOCK rows
    order = np.argsort(lengths, kind="stable")
    block_of = np.empty(len(segments), dtype=np.int64)
    row_of = np.empty(len(segments), dtype=np.int64)
    block_of[order] = np.arange(len(segments)) // BLOCK
    row_of[order] = np.arange(len(segments)) % BLOCK
    eb = block_of[seg_of]
    by_block = np.argsort(eb, kind="stable")
    bounds = np.searchsorted(eb[by_block], np.arange(block_of.max() + 2))
    kmax_seg = np.maximum.reduceat(k, seg_start[:-1])
    results: list[tuple[list[int], list[float]] | None] = [None] * len(segments)
    for b in range(int(block_of.max()) + 1):
        block = order[b * BLOCK:(b + 1) * BLOCK]
        sel = by_block[bounds[b]:bounds[b + 1]]
        _decode_block(block, lengths[block], int(kmax_seg[block].max()), row_of[seg_of[sel]],
                      local[sel], hi[sel], ji[sel], ci[sel], scores[sel], results)
    return results  # type: ignore[return-value]


def _decode_block(block, lens, kmax, rows_e, local, hi, ji, ci, scores, results) -> None:
    nb = len(block)
    length = int(lens.max())
    trans = np.full((nb, length, kmax, kmax, kmax), NEG, dtype=np.float32)
    trans[rows_e, local, hi, ji, ci] = scores
    # past the end of a segment: stay in the final <s> at no cost
    past = np.arange(length)[None, :] >= lens[:, None]
    trans[past, :, :, 0] = 0.0
    # forward max-product over states (prev, cur)
    delta = np.full((nb, kmax, kmax), NEG, dtype=np.float32)
    delta[:, 0, 0] = 0.0
    deltas = np.empty((length, nb, kmax, kmax), dtype=np.float32)
    deltas[0] = deltas[1] = delta
    back = np.zeros((length, nb, kmax, kmax), dtype=np.int16)
    for p in range(2, length):
        s = delta[:, :, :, None] + trans[:, p]
        back[p] = np.argmax(s, axis=1)
        delta = np.max(s, axis=1)
        deltas[p] = delta
    # backward max-product: max-marginals give each chosen candidate its confidence
    beta = np.zeros((nb, kmax, kmax), dtype=np.float32)
    conf = np.ones((length, nb), dtype=np.float32)
    best = np.zeros((length, nb), dtype=np.int64)
    rows = np.arange(nb)
    flat_best = np.argmax(delta.reshape(nb, -1), axis=1)
    best[length - 2], best[length - 1] = np.divmod(flat_best, kmax)
    for p in range(length - 1, 1, -1):
        marg = np.max(deltas[p] + beta, axis=1)  # (nb, K) over cur
        m = np.max(marg, axis=1, keepdims=True)
        z = np.log(np.sum(np.exp(marg - m), axis=1))
        best[p - 2] = back[p][rows, best[p - 1], best[p]]
        conf[p] = np.exp(marg[rows, best[p]] - m[:, 0] - z)
        beta = np.max(trans[:, p] + beta[:, None, :, :], axis=3)
    best_t, conf_t = best.T.tolist(), conf.T.tolist()
    for row, s in enumerate(block):
        n = int(lens[row])
        results[s] = (best_t[row][:n], conf_t[row][:n])
