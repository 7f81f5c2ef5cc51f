"""Trigram Viterbi over lattices of candidate syllables, all segments at once.

Each segment (a run of words between punctuation) is a lattice padded `<s> <s> w1 .. wn <s>`
exactly as the LM was trained; segments are independent, so they are decoded side by side.

Layout (why: a per-position loop of small numpy calls per segment costs ~40 µs a syllable,
and dense segments x positions x K x K x K blocks are ~12x larger than the lattice, since
most positions have one to three candidates):
- positions are numbered time-major (every segment's position 0, then every position 1 ...)
  with segments longest first, so the segments still running at step t are a prefix and
  each step of the recursion works on one contiguous slice;
- a state is a candidate pair (previous, current) of one position, numbered the same way;
  its row holds the trigram scores of every candidate two back (K columns, padded), so a
  forward step is one gather, one add and one max over rows, whatever the segment;
- the backward (max-marginal) pass reads the same rows: a position's states run j-major,
  so the rows sharing (segment, j) are contiguous and one reduceat per step gives every
  state before them its beta; the max-marginals are one reduceat over the states
  re-ordered c-major.

Every score is computed with exactly the float32 operations of the original dense-block
decoder (bigram + back-off, trigram where stored, lexicon bonus, channel), and the
confidences are normalised over rows of the width that decoder used (the largest candidate
count in the segment's block of 64 segments of similar length), so results are bit for bit
the same.  Cells that stand for no candidate read the dead state, whose NEG never wins a max.

Confidence is the max-marginal posterior of the chosen syllable: forward and backward
max-product scores through each candidate, normalised over the candidates of the position.
"""

from __future__ import annotations

import numpy as np

from planparse.repair.restorer.model import RestorerModel

NEG = np.float32(-1e30)
BLOCK = 64  # segments whose confidences were normalised together (see the docstring)
CHUNK = 2048  # positions decoded together (see decode_segments)


def _row_widths(n: np.ndarray, k: np.ndarray, seg_start: np.ndarray) -> np.ndarray:
    """Per segment, the confidence row width: the largest candidate count in its block of
    BLOCK segments taken in (stable) order of length."""
    order = np.argsort(n, kind="stable")
    kmax_seg = np.maximum.reduceat(k, seg_start[:-1])
    kmax_blk = np.maximum.reduceat(kmax_seg[order], np.arange(0, len(n), BLOCK))
    width = np.empty(len(n), dtype=np.int64)
    width[order] = kmax_blk[np.arange(len(n)) // BLOCK]
    return width


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0, 1, .., size - 1 for each size in turn (a ragged arange)."""
    ends = np.cumsum(sizes)
    return np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - sizes, sizes)


def decode_segments(
    model: RestorerModel, segments: list[tuple[list[np.ndarray], list[np.ndarray]]]
) -> list[tuple[list[int], list[float]]]:
    """Best candidate index and its confidence for every position of every segment.

    Each segment is (candidate ids per position, channel log probs per position) and
    starts with two `<s>` positions and ends with one.

    Segments are decoded CHUNK positions at a time (the confidence widths are settled over
    all of them first, so the results are the same): the lattice arrays of a chunk are a
    few MB, and memory a process touches for the first time is slow to get on some hosts
    (on the 10-page bench from a cold start: 6-8 % faster on a quiet host, more on a busy one).
    """
    if not segments:
        return []
    ip = np.intp
    n = np.array([len(ids) for ids, _ in segments], dtype=ip)
    k = np.array([len(c) for ids, _ in segments for c in ids], dtype=ip)
    seg_start = np.zeros(len(segments) + 1, dtype=ip)
    np.cumsum(n, out=seg_start[1:])
    width = _row_widths(n, k, seg_start)
    out: list[tuple[list[int], list[float]]] = []
    first, bounds = 0, seg_start.tolist()
    while first < len(segments):
        last = first + 1
        while last < len(segments) and bounds[last + 1] - bounds[first] <= CHUNK:
            last += 1
        out.extend(_decode_chunk(model, segments[first:last], n[first:last],
                                 k[bounds[first]:bounds[last]], width[first:last]))
        first = last
    return out


def _decode_chunk(
    model: RestorerModel,
    segments: list[tuple[list[np.ndarray], list[np.ndarray]]],
    n: np.ndarray,
    k: np.ndarray,
    width: np.ndarray,
) -> list[tuple[list[int], list[float]]]:
    """`decode_segments` for one chunk, given each segment's length `n`, each position's
    candidate count `k` and each segment's confidence width."""
    ip = np.intp
    nseg = len(segments)
    ids_list = [c for ids, _ in segments for c in ids]
    flat = np.concatenate(ids_list)
    chan = np.concatenate([c for _, lps in segments for c in lps]).astype(np.float32)
    cstart = np.zeros(len(k) + 1, dtype=ip)
    np.cumsum(k, out=cstart[1:])
    seg_start = np.zeros(nseg + 1, dtype=ip)
    np.cumsum(n, out=seg_start[1:])
    K = int(k.max())

    # time-major positions: segments longest first, so those running at step t are a prefix
    desc = np.argsort(-n, kind="stable")
    rank_of = np.empty(nseg, dtype=ip)
    rank_of[desc] = np.arange(nseg)
    L = int(n.max())
    active = nseg - np.cumsum(np.bincount(n, minlength=L + 1))[:L]  # active[t]: segments with n > t
    active = np.append(active, 0)
    P = np.zeros(L + 1, dtype=ip)
    np.cumsum(active[:L], out=P[1:])
    tpos = np.repeat(np.arange(L), active[:L])
    rank = np.arange(int(P[-1])) - P[tpos]
    seg = desc[rank]
    g = seg_start[seg] + tpos  # segment-major position of each time-major one
    kt = k[g]
    kprev = np.where(tpos >= 1, k[g - 1], 0)

    # states: (previous, current) candidate pairs of each position from t = 1 on
    nst = kprev * kt
    stoff = np.zeros(len(nst) + 1, dtype=ip)
    np.cumsum(nst, out=stoff[1:])
    NS = int(stoff[-1])
    spos = np.repeat(np.arange(len(nst)), nst)
    r = np.arange(NS) - stoff[spos]
    kc = kt[spos]
    sj = r // kc  # previous candidate
    sc = r - sj * kc  # current candidate
    gs = g[spos]
    a_id = flat[cstart[gs - 1] + sj]
    b_id = flat[cstart[gs] + sc]
    lp2, bo, bonus = model.pair_scores(a_id, b_id)

    # trigram rows: one per state from t = 2 on, K columns over the candidate two back
    R0 = int(stoff[P[2]])
    rpos = spos[R0:]
    rt = tpos[rpos]
    kj = kprev[rpos]
    kh = k[gs[R0:] - 2]
    cols = np.arange(K)
    dead = cols >= kh[:, None]  # columns past the candidates two back
    base = stoff[rpos - active[rt - 1]] + sj[R0:]  # state (h, j) one position back, h = 0
    # (built in place: these are the decoder's largest arrays, and in a fresh process every
    # temporary of this size is new memory to fault in)
    src = np.multiply.outer(kj, cols)
    src += base[:, None]
    np.copyto(src, NS, where=dead)  # a dead state: NEG delta, zero back-off
    bo_x = np.append(bo, np.float32(0.0))
    T = bo_x[src]  # the back-off weight of each history (h, j), then the trigram score
    # only histories seen as trigram contexts (non-zero back-off weight) can have a stored
    # trigram: most candidate pairs are nonsense and never were, so skip their lookups
    ask = np.flatnonzero(T != 0.0)  # dead cells have bo 0
    T += lp2[R0:, None]
    if len(ask):
        arow = ask // K
        h_id = flat[cstart[gs[R0:][arow] - 2] + (ask - arow * K)]
        tri_lp, found = model.trigram_found(h_id, a_id[R0:][arow], b_id[R0:][arow])
        T.reshape(-1)[ask[found]] = tri_lp[found]
    bonus32 = bonus.astype(np.float32)
    if np.array_equal(bonus32, bonus):
        # float32 + an exactly representable bonus rounds as float64 + bonus then float32
        # did (double rounding is harmless at 53 >= 2 * 24 + 2 bits)
        T += bonus32[R0:, None]
    else:
        T = (T + bonus[R0:, None]).astype(np.float32)
    T += chan[cstart[gs[R0:]] + sc[R0:]][:, None]
    # Dead cells keep whatever T they got: forward, they add at most the lexicon bonus to the
    # dead state's NEG, which absorbs it in float32; backward, a dead column is dead for every
    # row of its position and its max goes to the dead state, reset below.

    # forward max-product; back pointers per state
    delta = np.full(NS + 1, NEG, dtype=np.float32)
    delta[int(stoff[P[1]]):R0] = 0.0  # (<s>, <s>) of every segment
    back = np.zeros(NS - R0, dtype=ip)
    for t in range(2, L):
        a, b = int(stoff[P[t]]) - R0, int(stoff[P[t] + active[t]]) - R0
        s = delta[src[a:b]]
        s += T[a:b]
        bt = s.argmax(axis=1)
        back[a:b] = bt
        delta[R0 + a:R0 + b] = s[np.arange(b - a), bt]

    # best paths: from each segment's final (word, </s>) state back through the pointers
    last = P[n - 1] + rank_of
    fin = stoff[last][:, None] + cols
    fin_ok = cols < kprev[last][:, None]
    fin_v = np.where(fin_ok, delta[np.where(fin_ok, fin, NS)], -np.inf)
    start = stoff[last] + fin_v.argmax(axis=1)
    path = np.full(len(nst), -1, dtype=ip)
    cur = np.zeros(0, dtype=ip)
    for t in range(L - 1, 1, -1):
        nxt = np.empty(int(active[t]), dtype=ip)
        if len(cur):
            rr = cur - R0
            nxt[:len(cur)] = src[rr, back[rr]]
        nxt[len(cur):] = start[desc[len(cur):int(active[t])]]
        path[P[t]:P[t] + active[t]] = nxt
        cur = nxt  # every segment running at t runs at t - 1
    best_tm = np.zeros(len(nst), dtype=ip)
    on = path >= 0
    best_tm[on] = sc[path[on]]

    # backward max-product: beta of each (h, j) state from the states (j, c) after it.  A
    # position's states run j-major, so the rows sharing (segment, j) are contiguous and one
    # reduceat over them gives max over c of T + beta for every h at once.
    beta = np.zeros(NS + 1, dtype=np.float32)  # zero after a segment's last word
    first = np.flatnonzero(sc[R0:] == 0)  # first row of each (segment, position, j)
    gsrc = src[first]  # the states (h, j) before it; dead h write to the dead state
    bounds = np.searchsorted(first, stoff[P[2:L] + active[2:L]] - R0).tolist()
    lows = np.searchsorted(first, stoff[P[2:L]] - R0).tolist()
    for t in range(L - 1, 2, -1):
        a, b = int(stoff[P[t]]) - R0, int(stoff[P[t] + active[t]]) - R0
        ga, gb = lows[t - 2], bounds[t - 2]
        u = T[a:b] + beta[R0 + a:R0 + b, None]
        beta[gsrc[ga:gb]] = np.maximum.reduceat(u, first[ga:gb] - a, axis=0)
    beta[NS] = 0.0

    # max-marginals of the positions that had a choice, normalised as before
    Q = np.flatnonzero((tpos >= 2) & (kt > 1))
    conf_tm = np.ones(len(nst), dtype=np.float32)
    if len(Q):
        # max over j of delta + beta for each (position, c): the states re-ordered c-major
        # within their position, so each (position, c) is one contiguous run of j
        score = np.empty(NS, dtype=np.float32)
        score[stoff[spos] + sc * kprev[spos] + sj] = delta[:NS] + beta[:NS]
        ncur = np.where(tpos >= 1, kt, 0)  # positions with states: one run per candidate
        cand = _ranks(ncur)
        runs = np.repeat(stoff[:-1], ncur) + cand * np.repeat(kprev, ncur)
        marg = np.full((len(nst), K), NEG, dtype=np.float32)  # (positions, K) over current
        marg[np.repeat(np.arange(len(nst)), ncur), cand] = np.maximum.reduceat(score, runs)
        marg = marg[Q]
        wq = width[seg[Q]]
        # (np.unique would import numpy.ma, ~6 ms, for a handful of small integers)
        for w in np.flatnonzero(np.bincount(wq)).tolist():
            sel = np.flatnonzero(wq == w)
            mg = np.ascontiguousarray(marg[sel, :w])
            m = np.max(mg, axis=1, keepdims=True)
            z = np.log(np.sum(np.exp(mg - m), axis=1))
            pick = best_tm[Q[sel]]
            conf_tm[Q[sel]] = np.exp(mg[np.arange(len(sel)), pick] - m[:, 0] - z)

    best_g = np.zeros(len(k), dtype=ip)
    conf_g = np.ones(len(k), dtype=np.float32)
    best_g[g] = best_tm
    conf_g[g] = conf_tm
    best_l, conf_l = best_g.tolist(), conf_g.tolist()
    bounds = seg_start.tolist()
    return [(best_l[bounds[i]:bounds[i + 1]], conf_l[bounds[i]:bounds[i + 1]]) for i in range(nseg)]
