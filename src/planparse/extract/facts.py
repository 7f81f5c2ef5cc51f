"""Compare an extracted definition with a hand-made one, fact by fact.

A definition is judged by the facts a user relies on, not by its JSON: each metadata field,
each criterion's maximum points and its rule's *behaviour* (the points it gives at a set of
probe values, so two equivalent rules written differently agree), eligibility, each penalty,
each award's fields, each indicator's value.  Texts are compared loosely (folded, fuzzy), since
a gold file may word a group or a title differently from the document.  Used by the golden
tests and by scripts/bench_extract.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz

from planparse.campaign import Campaign, Criterion
from planparse.extract.lexicon import fold


@dataclass
class Fact:
    name: str
    expected: Any
    got: Any
    ok: bool


def _norm(text: Any) -> str:
    s = fold(str(text or ""))
    s = re.sub(r"[“”\"'().,:;]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def similar(a: Any, b: Any, threshold: float = 80) -> bool:
    if a is None or b is None:
        return a is None and b is None
    na, nb = _norm(a), _norm(b)
    if not na or not nb:
        return na == nb
    return fuzz.token_set_ratio(na, nb) >= threshold or fuzz.partial_ratio(na, nb) >= max(threshold, 90)


def _eq(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-6
    return a == b


_CRIT_KEYS = {"id", "group", "section", "name", "max_points", "unit", "rule", "text"}
_BAND_KEYS = {"min", "max", "points", "formula", "max_points"}


def gold_criterion(data: dict) -> Criterion:
    """A gold criterion as a contract Criterion (extra fields of the gold dropped)."""
    d = {k: v for k, v in data.items() if k in _CRIT_KEYS}
    rule = dict(d.get("rule") or {"kind": "manual"})
    if rule.get("bands"):
        rule["bands"] = [{k: v for k, v in b.items() if k in _BAND_KEYS} for b in rule["bands"]]
    d["rule"] = {k: v for k, v in rule.items() if k in {"kind", "threshold", "below", "bonus", "bands"}}
    if isinstance(d.get("section"), dict) or d.get("section") is None:
        d.pop("section", None)
    return Criterion.model_validate(d)


def probes(c: Criterion) -> list[Decimal]:
    """Values around every edge of the rule, and a spread over its range."""
    r = c.rule
    edges = {e for e in [r.threshold] + [x for b in r.bands or [] for x in (b.min, b.max)] if e is not None}
    if r.bonus and r.bonus.from_ is not None:
        edges.add(r.bonus.from_)
    big_step = bool(r.bonus and r.bonus.step and r.bonus.step >= 1)
    fraction = (c.unit == "%") or r.kind == "ratio" or (bool(edges) and all(0 <= e <= 1.0 for e in edges) and not big_step)
    out = set()
    if fraction:
        out |= {0.0, 0.05, 0.15, 0.35, 0.5, 0.65, 0.8, 0.95, 1.0}
        for e in edges:
            out |= {e, max(0.0, e - 0.001), e + 0.001}
    else:
        out |= {0.0}
        for e in edges:
            out |= {e, e - 1, e + 1, e * 0.5, e * 1.5, e * 3}
        if r.bonus and r.bonus.step:
            base = r.bonus.from_ or 0
            out |= {base + r.bonus.step * k for k in (1, 2, 5, 40)}
    return [Decimal(str(round(v, 6))) for v in sorted(out) if v >= 0]


def behaviour(c: Criterion, values: list[Decimal]) -> list[tuple]:
    from planparse.score import compile_criterion

    fn = compile_criterion(c).evaluate
    out = []
    for v in values:
        value: Any = v
        if c.rule.kind == "boolean":
            value = v > 0
        try:
            pts, inel, _ = fn(value)
            out.append((round(float(pts), 2), bool(inel)))
        except Exception as exc:  # a rule the scorer cannot evaluate is a wrong rule
            out.append(("error", type(exc).__name__))
    return out


def _match_criteria(gold: list[dict], got: list[Criterion]) -> list[tuple[dict, Criterion | None]]:
    pairs, used = [], set()
    for g in gold:
        best, best_score = None, 0.0
        for i, c in enumerate(got):
            if i in used:
                continue
            score = fuzz.token_set_ratio(_norm(g.get("name")), _norm(c.name)) + (15 if str(g.get("id")) == c.id else 0)
            if score > best_score:
                best, best_score = i, score
        if best is not None and best_score >= 70:
            used.add(best)
            pairs.append((g, got[best]))
        else:
            pairs.append((g, None))
    return pairs


def _match_awards(gold: list[dict], got: list) -> list[tuple[dict, Any]]:
    pairs, used = [], set()
    for g in gold:
        best, best_score = None, -1.0
        for i, a in enumerate(got):
            if i in used:
                continue
            score = 0.0
            score += 40 if a.rank == g.get("rank") else 0
            score += 0.3 * fuzz.token_set_ratio(_norm(g.get("group")), _norm(a.group))
            score += 0.3 * fuzz.token_set_ratio(_norm(g.get("label")), _norm(a.label))
            score += 20 if a.amount_vnd == g.get("amount_vnd") and a.amount_vnd else 0
            score += 10 if a.individuals == g.get("individuals") and a.individuals else 0
            if score > best_score:
                best, best_score = i, score
        if best is not None and best_score >= 40:
            used.add(best)
            pairs.append((g, got[best]))
        else:
            pairs.append((g, None))
    return pairs


def compare(gold: dict, got: Campaign) -> list[Fact]:
    """Every fact of the gold definition, with what the extractor gave and whether it agrees."""
    facts: list[Fact] = []
    gd, d = gold.get("document", {}), got.document
    for key in ("kind", "number", "province", "place", "date", "year"):
        if key in gd:
            facts.append(Fact(f"document.{key}", gd[key], getattr(d, key), _eq(gd[key], getattr(d, key))
                              if key in ("year", "date", "kind") else similar(gd[key], getattr(d, key), 90)))
    for key in ("issuer", "title"):
        if key in gd:
            facts.append(Fact(f"document.{key}", gd[key], getattr(d, key), similar(gd[key], getattr(d, key), 85)))
    if gd.get("signer"):
        s = d.signer
        for key in ("name", "title"):
            exp = gd["signer"].get(key)
            val = getattr(s, key) if s else None
            facts.append(Fact(f"signer.{key}", exp, val, similar(exp, val, 90)))
    for ref in gd.get("references", []):
        m = re.search(r"\d[\w.\-]*/[\w.\-Đđ]+", ref)
        key = m.group(0) if m else ref
        ok = any(key in r for r in d.references)
        facts.append(Fact("document.reference", key, ok, ok))
    gc, c = gold.get("campaign", {}), got.campaign
    if "name" in gc:
        strip = lambda s: re.sub(r"^(phong trao thi dua\s*)?(chuyen de\s*)?", "", _norm(s))  # noqa: E731
        facts.append(Fact("campaign.name", gc["name"], c.name,
                          c.name is not None and fuzz.token_set_ratio(strip(gc["name"]), strip(c.name)) >= 85))
    for key in ("start", "end"):
        exp = (gc.get("period") or {}).get(key)
        facts.append(Fact(f"campaign.period.{key}", exp, getattr(c.period, key), exp == getattr(c.period, key)))
    if "max_total_points" in gc:
        facts.append(Fact("campaign.max_total_points", gc["max_total_points"], c.max_total_points,
                          _eq(gc["max_total_points"], c.max_total_points)))
    for p in gc.get("participants", []):
        ok = any(similar(p, q, 75) for q in c.participants)
        facts.append(Fact("campaign.participant", p, ok, ok))
    for g, cr in _match_criteria(gold.get("criteria", []), got.criteria):
        cid = g.get("id")
        facts.append(Fact(f"criterion {cid} found", g.get("name"), cr.name if cr else None, cr is not None))
        facts.append(Fact(f"criterion {cid} max_points", g.get("max_points"), cr.max_points if cr else None,
                          cr is not None and _eq(g.get("max_points"), cr.max_points)))
        gcrit = gold_criterion(g)
        values = probes(gcrit)
        exp = behaviour(gcrit, values)
        val = behaviour(cr, values) if cr else None
        facts.append(Fact(f"criterion {cid} rule", list(zip(map(float, values), exp)),
                          list(zip(map(float, values), val)) if val else None, val == exp))
    ge = gold.get("eligibility", {})
    facts.append(Fact("eligibility.min_total_points", ge.get("min_total_points"), got.eligibility.min_total_points,
                      _eq(ge.get("min_total_points"), got.eligibility.min_total_points)))
    for p in gold.get("penalties", []):
        hit = next((q for q in got.penalties if _eq(q.points, p.get("points")) and similar(p.get("when"), q.when, 60)), None)
        facts.append(Fact(f"penalty {p.get('id')} points", p.get("points"), hit.points if hit else None, hit is not None))
        if hit is not None:
            for key in ("per", "cap"):
                if key in p:
                    exp, val = p.get(key), getattr(hit, key)
                    ok = similar(exp, val, 80) if key == "per" else _eq(exp, val)
                    facts.append(Fact(f"penalty {p.get('id')} {key}", exp, val, ok))
    for g, a in _match_awards(gold.get("awards", []), got.awards):
        tag = f"award {g.get('group', '')[:25]}/{g.get('label')}"
        facts.append(Fact(f"{tag} found", g.get("label"), a.label if a else None, a is not None))
        for key in ("rank", "count", "amount_vnd", "bonus_points", "individuals", "frequency", "min_total_points"):
            if key in g:
                val = getattr(a, key) if a else None
                facts.append(Fact(f"{tag} {key}", g[key], val, a is not None and _eq(g[key], val)))
        if g.get("form"):
            kind = lambda s: "bang khen" if "bang khen" in _norm(s) else "giay khen" if "giay khen" in _norm(s) else _norm(s)  # noqa: E731
            val = a.form if a else None
            facts.append(Fact(f"{tag} form", g["form"], val, a is not None and val is not None and kind(g["form"]) == kind(val)))
    values = [i.value for i in got.indicators]
    for ind in gold.get("indicators", []):
        ok = any(_eq(ind.get("value"), v) for v in values)
        facts.append(Fact("indicator", f"{ind.get('name')} = {ind.get('value')}", ok, ok))
    return facts


def score(facts: list[Fact]) -> float:
    return sum(f.ok for f in facts) / len(facts) if facts else 1.0
