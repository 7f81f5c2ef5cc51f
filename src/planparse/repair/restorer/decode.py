"""Trigram Viterbi and forward-backward over a lattice of candidate syllables.

Each segment (a run of words between punctuation) is decoded on its own, padded
`<s> <s> w1 .. wn <s>` exactly as the LM was trained.  All trigram scores a segment can
need are looked up in one vectorised call over a ragged layout (position i has k[i-2] *
k[i-1] * k[i] combinations), then a small per-position max-product / sum-product pass
picks the best path and gives each chosen candidate its posterior probability: that is
the confidence a reviewer sees.
"""

from __future__ import annotations

import numpy as np

from planparse.repair.restorer.model import RestorerModel


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(x - m), axis=axis))


def lattice_scores(model: RestorerModel, cands: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """LM log probs of every trigram in the lattice, flat; (scores, offsets, sizes)."""
    k = np.array([len(c) for c in cands], dtype=np.int64)
    k0, k1, k2 = k[:-2], k[1:-1], k[2:]
    n = k0 * k1 * k2
    offsets = np.zeros(len(n) + 1, dtype=np.int64)
    np.cumsum(n, out=offsets[1:])
    total = int(offsets[-1])
    pos = np.repeat(np.arange(len(n)), n)
    r = np.arange(total) - offsets[pos]
    kk1, kk2 = k1[pos], k2[pos]
    hi = r // (kk1 * kk2)
    ji = (r // kk2) % kk1
    ci = r % kk2
    flat = np.concatenate(cands)
    starts = np.zeros(len(cands) + 1, dtype=np.int64)
    np.cumsum(k, out=starts[1:])
    h = flat[starts[pos] + hi]
    j = flat[starts[pos + 1] + ji]
    c = flat[starts[pos + 2] + ci]
    return model.trigram_lp(h, j, c), offsets, k


def decode(model: RestorerModel, cands: list[np.ndarray], channel: list[np.ndarray]) -> tuple[list[int], list[float]]:
    """Best candidate index and its posterior for each position of a padded segment.

    `cands[i]` are vocabulary ids, `channel[i]` their channel log probabilities; the first
    two positions are `<s>` and so is the last.
    """
    scores, offsets, k = lattice_scores(model, cands)
    n = len(cands)
    # delta/alpha over states (prev, cur) after position i; start: (<s>, <s>)
    delta = np.zeros((1, 1))
    alpha = np.zeros((1, 1))
    back: list[np.ndarray] = [np.zeros((1, 1), dtype=np.int64)] * 2
    trans: list[np.ndarray] = []
    alphas: list[np.ndarray] = []
    for p in range(2, n):
        t = scores[offsets[p - 2]:offsets[p - 1]].reshape(k[p - 2], k[p - 1], k[p]) + channel[p][None, None, :]
        trans.append(t)
        s = delta[:, :, None] + t
        back.append(np.argmax(s, axis=0))
        delta = np.max(s, axis=0)
        alpha = _logsumexp(alpha[:, :, None] + t, axis=0)
        alphas.append(alpha)
    # best path, backwards
    j, c = np.unravel_index(int(np.argmax(delta)), delta.shape)
    path = [0] * n
    path[n - 1], path[n - 2] = int(c), int(j)
    for p in range(n - 1, 1, -1):
        h = int(back[p][path[p - 1], path[p]])
        path[p - 2] = h
    # posteriors: beta over states (prev, cur) at position p
    z = _logsumexp(alpha.ravel(), axis=0)
    beta = np.zeros((k[n - 2], k[n - 1]))
    post = [1.0] * n
    for p in range(n - 1, 1, -1):
        a = alphas[p - 2]  # alpha over (p-1, p)
        marg = _logsumexp(a + beta, axis=0) - z
        post[p] = float(np.exp(marg[path[p]]))
        # beta for (p-2, p-1) = logsumexp_c t[h, j, c] + beta[j, c]
        beta = _logsumexp(trans[p - 2] + beta[None, :, :], axis=2)
    return path, post

