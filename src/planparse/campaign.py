"""The campaign definition: the contract users store, edit, score and diff (CONTRACT.md).

Pydantic models with `extra="forbid"` and a description on every field, so that
`planparse schema` is the documentation.  Ratios and percentages are fractions (40 % -> 0.4);
money is an integer number of đồng.  This module imports nothing from ingest/extract/cli.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planparse.errors import DefinitionError, MissingFileError

SCHEMA_VERSION = "1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Producer(_Model):
    planparse: str = Field(description="Version of planparse that wrote this definition.")
    tesseract: str | None = Field(None, description="Tesseract version used for OCR, if any page was OCR'd.")
    tesseract_lang: str | None = Field(None, description="Tesseract language model used for OCR.")
    restorer_model: str | None = Field(None, description="Version of the diacritics restorer model, if it was used.")


class Source(_Model):
    path: str | None = Field(None, description="Path of the input document as given.")
    sha256: str | None = Field(None, description="SHA-256 of the input file's bytes.")
    pages: int | None = Field(None, description="Number of pages read.")
    text_origin: Literal["text-layer", "ocr", "text-file", "mixed"] | None = Field(
        None, description="Where the text came from: the PDF text layer, OCR, a text file, or a mix of these."
    )
    producer: Producer | None = Field(None, description="What produced this definition.")


class Signer(_Model):
    name: str | None = Field(None, description="Name of the person who signed.")
    title: str | None = Field(None, description="Title of the signer, e.g. 'Phó Chủ tịch'.")


class DocumentInfo(_Model):
    kind: Literal["plan", "report", "other"] = Field(
        "other", description="plan (Kế hoạch), report (Báo cáo) or other."
    )
    number: str | None = Field(None, description="Document number such as '211/KH-UBND'; null when left blank.")
    issuer: str | None = Field(None, description="Issuing body, e.g. 'Ủy ban nhân dân huyện Châu Thành'.")
    province: str | None = Field(None, description="Province (tỉnh) of the issuer, stated or inferred.")
    place: str | None = Field(None, description="Place written before the date.")
    date: str | None = Field(None, description="Date of issue (ISO 8601); null when day or month is blank.")
    year: int | None = Field(None, description="Year of the document.")
    title: str | None = Field(None, description="Title after KẾ HOẠCH / BÁO CÁO.")
    signer: Signer | None = Field(None, description="Who signed the document.")
    references: list[str] = Field(default_factory=list, description="Documents this one cites as its basis.")


class Period(_Model):
    start: str | None = Field(None, description="First day of the campaign (ISO 8601).")
    end: str | None = Field(None, description="Last day of the campaign (ISO 8601), 'đến hết ngày' included.")


class Unit(_Model):
    name: str = Field(description="Name of a participating unit listed in the document.")
    group: str | None = Field(None, description="Group the unit competes in.")


class CampaignInfo(_Model):
    name: str | None = Field(None, description="Name of the emulation movement.")
    period: Period = Field(default_factory=Period, description="Period the campaign covers.")
    participants: list[str] = Field(default_factory=list, description="Participant groups as the document states them.")
    units: list[Unit] = Field(default_factory=list, description="Units the document lists (used to pre-fill templates).")
    max_total_points: float | None = Field(None, description="Sum of the maximum points of the criteria, if stated.")
    tie_break: list[str] = Field(default_factory=list, description="How ties are broken, as the document says it.")


class Bonus(_Model):
    from_: float | None = Field(
        None, alias="from", description="Value from which the bonus starts counting (usually the threshold)."
    )
    step: float | None = Field(None, description="Size of one increment of the value (e.g. 100 accounts, 0.1 for 10 %).")
    points: float | None = Field(None, description="Points added per whole increment.")
    cap: float | None = Field(None, description="Maximum bonus points; null when unlimited.")

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


class Band(_Model):
    min: float | None = Field(None, description="Lower edge of the band (inclusive); null for no lower edge.")
    max: float | None = Field(None, description="Upper edge of the band (exclusive); null for no upper edge.")
    points: float | Literal["ineligible"] | None = Field(
        None, description="Fixed points in the band, or 'ineligible' when a value here excludes the unit."
    )
    formula: str | None = Field(
        None,
        description="Arithmetic over `rate` (the value as a fraction), numbers, + - * /, parentheses, min, max.",
    )
    max_points: float | None = Field(None, description="Cap on the points the formula can give in this band.")


RuleKind = Literal["threshold", "ratio", "bands", "per_increment", "boolean", "manual"]


class Rule(_Model):
    kind: RuleKind = Field(description="How the criterion's points are computed from the unit's value.")
    threshold: float | None = Field(None, description="Value at or above which the unit gets the maximum points.")
    below: float | Literal["ineligible"] | None = Field(
        None, description="Points below the threshold (may be negative), or 'ineligible'."
    )
    bonus: Bonus | None = Field(None, description="Bonus per increment above a value, or null.")
    bands: list[Band] | None = Field(None, description="Bands of values with their points or formulas, or null.")


class Provenance(_Model):
    page: int | None = Field(None, description="1-based page the fact was read from.")
    line_start: int | None = Field(None, description="First line (1-based, within the page).")
    line_end: int | None = Field(None, description="Last line (1-based, within the page).")
    confidence: float = Field(1.0, ge=0, le=1, description="How sure the extractor is, 0..1.")


class Criterion(_Model):
    id: str = Field(description="Identifier as numbered in the document (e.g. '1', 'I.2').")
    group: str | None = Field(None, description="Group of units this criterion scores.")
    section: str | None = Field(None, description="Section heading the criterion sits under.")
    name: str = Field(description="The criterion as the document names it.")
    max_points: float | None = Field(None, description="Maximum points (điểm chuẩn); null when the plan gives none.")
    unit: str | None = Field(None, description="Unit of the value: '%', 'tài khoản', 'hồ sơ', 'có/không' ...")
    rule: Rule = Field(description="How points are computed.")
    text: str | None = Field(None, description="The criterion's text in the document.")
    provenance: Provenance | None = Field(None, description="Where in the document it was read.")


class Eligibility(_Model):
    min_total_points: float | None = Field(None, description="Minimum total points to be considered for awards.")
    other: list[str] = Field(default_factory=list, description="Other conditions, as text.")


class Penalty(_Model):
    id: str = Field(description="P1, P2 ... in document order.")
    when: str = Field(description="What triggers the deduction.")
    points: float = Field(description="Points per occurrence (negative).")
    per: str | None = Field(None, description="What one occurrence is ('lần', 'ngày' ...).")
    cap: float | None = Field(None, description="Maximum total deduction (negative), or null.")
    provenance: Provenance | None = Field(None, description="Where in the document it was read.")


class Award(_Model):
    group: str | None = Field(None, description="Group of units (or individuals) the award is for.")
    rank: int | None = Field(None, description="1 for the first prize, 2 for the second ...; null when not ranked.")
    label: str = Field(description="Label as written: 'Giải nhất', 'Hạng Nhì', 'Khuyến khích' ...")
    count: int | None = Field(None, description="How many units receive it.")
    amount_vnd: int | None = Field(None, description="Money per recipient, in đồng.")
    bonus_points: float | None = Field(None, description="Emulation points added (e.g. to the KT-XH score).")
    individuals: int | None = Field(None, description="Number of individuals rewarded with it.")
    form: str | None = Field(None, description="Giấy khen, bằng khen ... and by whom.")
    frequency: str | None = Field(None, description="year-end, monthly, quarterly ...")
    min_total_points: float | None = Field(None, description="For prizes given by score band: the minimum total.")
    provenance: Provenance | None = Field(None, description="Where in the document it was read.")


class Indicator(_Model):
    name: str = Field(description="What was measured.")
    value: float = Field(description="The measured value (percentages as written, e.g. 68.13).")
    unit: str | None = Field(None, description="Unit of the value.")
    period: str | None = Field(None, description="Period the value covers.")
    provenance: Provenance | None = Field(None, description="Where in the document it was read.")


class Campaign(_Model):
    """A campaign definition (schema_version 1)."""

    schema_version: Literal["1"] = Field(SCHEMA_VERSION, description="Version of this schema.")
    source: Source = Field(default_factory=Source, description="The input this was extracted from.")
    document: DocumentInfo = Field(default_factory=DocumentInfo, description="The document's metadata.")
    campaign: CampaignInfo = Field(default_factory=CampaignInfo, description="The emulation movement.")
    criteria: list[Criterion] = Field(default_factory=list, description="Scoring criteria, in document order.")
    eligibility: Eligibility = Field(default_factory=Eligibility, description="Who may be considered.")
    penalties: list[Penalty] = Field(default_factory=list, description="Deductions per occurrence.")
    awards: list[Award] = Field(default_factory=list, description="Prizes per group.")
    indicators: list[Indicator] = Field(default_factory=list, description="Measured figures stated in reports.")
    warnings: list[str] = Field(default_factory=list, description="What could not be read or was guessed.")

    def criterion_groups(self) -> list[str]:
        """The groups the criteria score, in document order, each once."""
        return list(dict.fromkeys(c.group for c in self.criteria if c.group))

    def to_json(self, indent: int = 2) -> str:
        return json.dumps(self.to_data(), ensure_ascii=False, indent=indent)

    def to_data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


def json_schema() -> dict[str, Any]:
    return Campaign.model_json_schema(by_alias=True)


def load_definition(path: str | Path) -> Campaign:
    """Read a definition from .json or .yaml, with errors that name the file and the field."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingFileError("file not found", path=str(path)) from None
    try:
        data = yaml.safe_load(raw) if path.suffix.lower() in {".yaml", ".yml"} else json.loads(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise DefinitionError(f"not valid {path.suffix.lstrip('.').upper() or 'JSON'}: {exc}", path=str(path)) from None
    return parse_definition(data, str(path))


def parse_definition(data: Any, path: str | None = None) -> Campaign:
    try:
        return Campaign.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DefinitionError(
            f"invalid definition at '{where}': {first['msg']} ({exc.error_count()} problem(s) in all)", path=path
        ) from None
