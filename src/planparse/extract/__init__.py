"""Extraction: a repaired PlanDocument in, a campaign definition out.

`extract_campaign` is the one entry point the pipeline calls.  It reads the document's
structure once (structure.build), then each part of the definition from it: metadata
(header), the movement (movement), criteria and their rules (criteria, rules), awards,
penalties and eligibility (awards), and figures stated in reports (indicators).  Everything
guessed or missing goes into `warnings` in plain words.
"""

from __future__ import annotations

from planparse.campaign import Campaign, CampaignInfo, DocumentInfo, Eligibility
from planparse.document import PlanDocument
from planparse.extract.lexicon import msg


def extract_campaign(doc: PlanDocument) -> Campaign:
    """The campaign definition of a document (all fields but `source`, which the pipeline sets)."""
    from planparse.extract.awards import extract_awards, extract_eligibility, extract_penalties
    from planparse.extract.criteria import extract_criteria
    from planparse.extract.header import extract_document
    from planparse.extract.indicators import extract_indicators
    from planparse.extract.movement import extract_movement, max_total
    from planparse.extract.roster import extract_units
    from planparse.extract.structure import build

    d = build(doc)
    warnings: list[str] = []

    def stage(part: str, fn, fallback):
        """Run one part; a failure there becomes a warning and the rest is still extracted."""
        try:
            return fn()
        except Exception as exc:  # partial success is returned as data, never a crash
            warnings.append(msg("messages.stage_failed", part=part, error=f"{type(exc).__name__}: {exc}"))
            return fallback

    info, w = stage("document", lambda: extract_document(d), (DocumentInfo(), []))
    warnings += w
    movement, w = stage("campaign", lambda: extract_movement(d, info.title), (CampaignInfo(), []))
    warnings += w
    criteria, w, used = stage("criteria", lambda: extract_criteria(d, movement.participants), ([], [], set()))
    warnings += w
    movement.max_total_points = stage("scale", lambda: max_total(d, used), None)
    floors = [f"{c.name}: {_floor_text(c)}" for c in criteria if _floor_text(c)]
    groups = {c.group for c in criteria}
    crit_group = groups.pop() if len(groups) == 1 else None
    awards, w = stage("awards", lambda: extract_awards(d, used, crit_group, movement.participants), ([], []))
    warnings += w
    penalties = stage("penalties", lambda: extract_penalties(d, used), [])
    eligibility, ties = stage("eligibility", lambda: extract_eligibility(d, floors, used), (Eligibility(), []))
    movement.tie_break = ties
    movement.units = stage("units", lambda: extract_units(d), [])
    eligibility.other += [t for t in ties if t not in eligibility.other]
    indicators = []
    if info.kind == "report":
        indicators = stage("indicators", lambda: extract_indicators(d, info.kind, info.year, info.title, used, criteria), [])
    if info.kind == "plan" and not awards:
        warnings.append(msg("messages.no_awards"))
    if movement.max_total_points is None and any(c.max_points is not None for c in criteria):
        per_group: dict[str | None, float] = {}
        for c in criteria:  # each group is scored on its own scale
            per_group[c.group] = per_group.get(c.group, 0) + (c.max_points or 0)
        total = max(per_group.values())
        if total:
            movement.max_total_points = total
    return Campaign(document=info, campaign=movement, criteria=criteria, eligibility=eligibility,
                    penalties=penalties, awards=awards, indicators=indicators, warnings=warnings)


def _floor_text(c) -> str | None:
    """A floor that makes a unit ineligible, said in words for eligibility.other."""
    rule = c.rule
    if rule.below == "ineligible" and rule.threshold is not None:
        return msg("messages.floor", value=_pct(rule.threshold, c.unit))
    for b in rule.bands or []:
        if b.points == "ineligible" and b.max is not None:
            return msg("messages.floor", value=_pct(b.max, c.unit))
    return None


def _pct(v: float, unit: str | None) -> str:
    if unit == "%":
        x = v * 100
        return f"{x:g}%".replace(".", ",")
    return f"{v:g}"


__all__ = ["extract_campaign"]
