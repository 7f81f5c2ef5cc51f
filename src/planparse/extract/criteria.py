"""Scoring criteria: find the scoring table (or prose), cut it into items, read each rule.

Three shapes of input carry the same table:
- rows with cells (a .docx table, a ruled table read from a PDF or a scan): columns are known
  from the header row, so each row is an item or a line of the current item's rule;
- a table broken over lines (PDF text extraction): cells come one per line, interleaved; an
  item starts at its number ('1.', 'II') or, without numbers, at the name run before a line
  holding only its points;
- prose: '1. Tỷ lệ … (20 điểm): từ 90% trở lên …'.
Every shape ends as `Item`s (id, name, points, rule lines, source lines) for `rules.parse_rule`.
Targets written only in column headings and table captions are read in `targets`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from planparse.campaign import Criterion
from planparse.extract.items import Item, _pretty
from planparse.extract.lexicon import fold, msg, rx
from planparse.extract.numbers import parse_number
from planparse.extract.rules import NUM, parse_condition, parse_rule
from planparse.extract.structure import TL, Doc, join_lines, provenance
from planparse.extract.targets import _caption_groups, _target_items

_ID_ONLY = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})?|[IVX]{1,4})\s*[.)]?\s*$")
_ID_TEXT = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})?|[IVX]{1,4}|[a-zđ])\s*[.)]\s+(?=\S)")
_NUM_LINE = re.compile(r"^\s*(\d{1,4}(?:[.,]\d+)?)(?:\s+\d{1,4}(?:[.,]\d+)?){0,3}\s*$")


def _id_only(text: str) -> re.Match[str] | None:
    """A line holding only an item number: '1.', '2)', 'II' (a bare '20' is points, not an id)."""
    m = _ID_ONLY.match(text)
    if m and (re.fullmatch(r"[IVX]+", m.group(1)) or re.search(r"[.)]\s*$", text)):
        return m
    return None


class _Label:
    """An item's number and where its text starts: '2. Tỷ lệ …', 'c) …' or 'Tiêu chí 2: Tỷ lệ …'."""

    def __init__(self, label: str, end: int, worded: bool = False) -> None:
        self.label, self._end, self.worded = label, end, worded

    def group(self, _n: int = 1) -> str:
        return self.label

    def end(self) -> int:
        return self._end


def _id_text(text: str) -> _Label | None:
    m = _ID_TEXT.match(text)
    if m:
        return _Label(m.group(1), m.end())
    m = rx(r"^\s*(?:{table.item_label})\s+(?:thu\s+)?(\d{1,2}(?:\.\d{1,2})?)\s*[:.)\-–]\s*(?=\S)").match(fold(text))
    return _Label(m.group(1), m.end(), worded=True) if m else None


def _points_in(text: str) -> float | None:
    """'(20 điểm)', ': 20 điểm', '(tối đa 20 điểm)', '(tối đa 40đ)' in a criterion's name line."""
    m = _points_marker(text)
    return parse_number(next(g for g in m.groups() if g)) if m else None


def _points_marker(text: str) -> re.Match[str] | None:
    f = fold(text)
    pts = r"\s*(?:{rules.points}|{rules.points_abbrev})"
    return rx(r"\(\s*(?:{rules.points_lead}|{rules.cap})?\s*:?\s*" + NUM + pts + r"\s*\)|[:\-–]\s*(?:{rules.cap}\s*)?" + NUM
              + pts + r"\s*[.;:]?\s*$|\(\s*(?:{rules.points_lead})\s*:?\s*" + NUM + r"\s*\)").search(f)


def _split_at_points(text: str) -> tuple[str, str]:
    """'Tỷ lệ … (40 điểm): từ 80% …' -> ('Tỷ lệ …', 'từ 80% …')."""
    m = _points_marker(text)
    if not m:
        return text, ""
    return text[: m.start()].strip(" :;,"), text[m.end():].strip(" :;,")


def _strip_points(text: str) -> str:
    m = _points_marker(text)
    return (text[: m.start()] + text[m.end():]).strip(" :;,") if m else text


def is_header_line(ln: TL) -> bool:
    """A short line made of table-header words ('Điểm', 'chuẩn', 'HƯỚNG DẪN CHẤM', '(100 điểm)')."""
    f = re.sub(r"[\s:]+", " ", ln.fold).strip()
    if not f or len(f) > 40:
        return False
    if rx(r"^\(?\s*" + NUM + r"\s*{rules.points}\s*\)?$").match(f):
        return True
    rest = rx(r"{table.header_words}").sub(" ", f)
    return not re.sub(r"[\s()%+/\-.]+", "", rest)


def _header_runs(lines: list[TL]) -> list[tuple[int, int]]:
    """Runs of header lines that name a points column (and a content column)."""
    runs = []
    i = 0
    while i < len(lines):
        if lines[i].cells is None and is_header_line(lines[i]):
            j = i
            while j + 1 < len(lines) and lines[j + 1].cells is None and is_header_line(lines[j + 1]):
                j += 1
            joined = " ".join(ln.fold for ln in lines[i : j + 1])
            one_line = j == i and rx(r"^{table.id_header}\s").match(joined) is not None
            if (j > i or one_line) and rx(r"{rules.points}").search(joined) and \
                    rx(r"{table.name_header}|{table.id_header}").search(joined):
                runs.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return runs


def _zone_end(lines: list[TL], start: int) -> int:
    for k in range(start, len(lines)):
        ln = lines[k]
        if ln.cells is not None:
            continue
        if rx(r"^{table.total_row}\b").match(ln.fold.strip()):
            return k
        if re.match(r"^\s*[IVX]{1,4}\s*\.\s+\S", ln.text) and ln.upper_ratio > 0.7:
            return k
        if rx(r"^{document.recipients}").match(ln.fold.strip()):
            return k
    return len(lines)


# ------------------------------------------------------------------ broken tables and prose

def _items_with_ids(zone: list[TL], num_lines: bool = True, trailing: bool = False) -> list[Item]:
    items: list[Item] = []
    cur: Item | None = None
    state = "rule"
    for ln in zone:
        m_only = _id_only(ln.text)
        m_text = _id_text(ln.text) if not m_only else None
        if m_text and m_text.worded and cur is not None and state == "name" and not cur.name_lines:
            m_text = None  # 'II' then 'Nội dung 2: Cung cấp …': the name of item II, not an item
        if m_only:
            cur = Item(m_only.group(1), lines=[ln], roman=bool(re.fullmatch(r"[IVX]+", m_only.group(1))))
            items.append(cur)
            state = "name"
            continue
        if m_text and parse_condition(ln.text[m_text.end():]) is None:
            label = m_text.group(1)
            rest = ln.text[m_text.end():]
            cur = Item(label, lines=[ln], roman=bool(re.fullmatch(r"[IVX]+", label)))
            pts = _points_in(rest)
            name, after = _split_at_points(rest) if pts is not None else (rest, "")
            tail = re.search(r"\s(\d{1,4})\s*$", rest) if trailing and pts is None else None
            if tail and parse_condition(rest) is None:  # 'Tỷ lệ hồ sơ … 50' under a points column
                pts, name = parse_number(tail.group(1)), rest[: tail.start()]
            if pts is None and re.search(r":\s*\S", rest) and (parse_condition(rest.split(":", 1)[1]) is not None
                                                              or _has_bonus(rest.split(":", 1)[1])):
                name, after = rest.split(":", 1)  # 'Điểm thưởng: cứ vượt 5% … cộng 1 điểm'
            cur.name_lines.append(name)
            if after.strip(" :;."):
                cur.rule_lines.append(after.strip(" :"))
            cur.points = pts
            items.append(cur)
            state = "rule" if pts is not None or rest.rstrip().endswith(":") else "name"
            continue
        if cur is None:
            continue
        cur.lines.append(ln)
        if state == "name":
            nm = _NUM_LINE.match(ln.text) if num_lines else None
            if nm:
                cur.points = parse_number(nm.group(1))
                state = "rule"
                continue
            if ln.text.rstrip().endswith(":") and cur.name_lines:
                state = "rule"  # 'được tính theo công thức:' opens the scoring text
            elif parse_condition(ln.text) is not None or ln.text.lstrip().startswith(("-", "+", "*")):
                state = "rule"
            else:
                pts = _points_in(ln.text)
                widest = max((len(x) for x in cur.name_lines), default=0)
                if cur.name_lines and widest >= 12 and len(ln.text) > 1.2 * widest + 3:
                    state = "note"  # a wider line: another column's note, not the name
                    continue
                cur.name_lines.append(_strip_points(ln.text) if pts is not None else ln.text)
                if pts is not None:
                    cur.points = pts
                    state = "rule"
                continue
        if state == "note" and parse_condition(ln.text) is None:
            continue
        state = "rule"
        cur.rule_lines.append(ln.text)
    return _nest(items)


def _nest(items: list[Item]) -> list[Item]:
    """Roman items with numbered children become sections; children get ids like 'I.1'.

    Rows 'A'/'B' name groups of units ('A | KHỐI XÃ'); an item '1' followed by '1.1', '1.2' is
    the section of those, not a criterion of its own.
    """
    grouped: list[Item] = []
    group = letter = None
    letters: dict[int, str] = {}
    for it in items:
        if re.fullmatch(r"[A-E]", it.id or "") and it.points is None or (
                re.fullmatch(r"[A-E]", it.id or "") and not it.rule_lines and it.name.isupper()):
            group, letter = _pretty(it.name), it.id
            continue
        if group and not it.group:
            it.group = group
        if letter:
            letters[id(it)] = letter
        grouped.append(it)
    plain = [it.id for it in grouped]
    if letters and len(set(plain)) < len(plain):  # numbering restarts in each group: 'A.1', 'B.1'
        for it in grouped:
            if id(it) in letters:
                it.id = f"{letters[id(it)]}.{it.id}"
    items = []
    ids = [it.id or "" for it in grouped]
    parent_name = letter_parent = None
    for k, it in enumerate(grouped):
        cid = it.id or ""
        if re.fullmatch(r"\d{1,2}", cid) and any(x.startswith(cid + ".") for x in ids[k + 1:]):
            parent_name = f"{cid}. {it.name}"
            continue
        if re.fullmatch(r"\d{1,2}", cid) and it.points is not None and not it.rule_lines and k + 1 < len(ids) \
                and ids[k + 1] == "a":
            letter_parent = (cid, f"{cid}. {it.name}")  # '1. Hạ tầng số (30 điểm)' over 'a) …', 'b) …'
            continue
        if letter_parent and re.fullmatch(r"[a-zđ]", cid):
            it.id, it.section = f"{letter_parent[0]}.{cid}", letter_parent[1]
        elif not re.fullmatch(r"[a-zđ]", cid):
            letter_parent = None
        if parent_name and "." in cid and parent_name.startswith(cid.split(".")[0] + "."):
            it.section = parent_name
        items.append(it)
    out: list[Item] = []
    parent: Item | None = None
    for it in items:
        if it.roman:
            parent = it
            out.append(it)
        elif parent is not None and not re.fullmatch(r"[a-zđ]", it.id or ""):
            parent.children.append(it)
        else:
            out.append(it)
    flat: list[Item] = []
    # children numbered afresh in each section ('I.1', 'II.1') or straight through ('4' under II)
    restart = sum(1 for it in out if it.roman and it.children and (it.children[0].id or "").strip(".") in ("1", "a")) > 1
    for it in out:
        if it.roman and it.children and rx(r"^(?:{sections.penalties})").search(fold(it.name)):
            continue  # 'II | Điểm trừ' rows are penalties, read with the other penalties
        if it.roman and it.children:
            for ch in it.children:
                ch.section = f"{it.id}. {it.name}" if it.name else it.id
                ch.id = f"{it.id}.{ch.id}" if restart or len([o for o in out if o.roman and o.children]) == 1 else ch.id
                flat.append(ch)
        else:
            flat.append(it)
    return flat


def _items_without_ids(zone: list[TL]) -> list[Item]:
    """Name run, a line with only the points, then the scoring text (until the next name)."""
    point_idx = [k for k, ln in enumerate(zone) if re.fullmatch(r"\s*\d{1,4}\s*", ln.text)
                 and 0 < float(ln.text) <= 1000 and k > 0 and not _NUM_LINE.match(zone[k - 1].text)]
    items: list[Item] = []
    starts: list[int] = []
    for n, k in enumerate(point_idx):
        lo = point_idx[n - 1] + 1 if n else 0
        start = k
        taken: list[int] = []
        for j in range(k - 1, lo - 1, -1):
            t = zone[j].text
            if is_header_line(zone[j]) and not taken:
                break
            if taken and t.rstrip().endswith((".", ";", ":")) and j != k - 1:
                break
            lens = [len(zone[x].text) for x in taken]
            if len(taken) >= 2 and len(t) > 2.2 * median(lens) + 5:
                break
            if len(taken) >= 12 or is_header_line(zone[j]):
                break
            taken.append(j)
            start = j
        starts.append(start)
        items.append(Item(None, [zone[j].text for j in sorted(taken)], float(zone[k].text),
                          lines=[zone[j] for j in sorted(taken)] + [zone[k]]))
    for n, it in enumerate(items):
        k = point_idx[n]
        end = starts[n + 1] if n + 1 < len(items) else len(zone)
        it.rule_lines = [ln.text for ln in zone[k + 1 : end]]
        it.lines += zone[k + 1 : end]
        it.id = str(n + 1)
    return items


# ------------------------------------------------------------------ rows with cells

@dataclass
class Columns:
    id: int | None = None
    name: int | None = None
    points: int | None = None
    rule: list[int] = field(default_factory=list)


def _columns(header_rows: list[list[str]]) -> Columns:
    """Roles of the columns from the header: number, name, points, scoring text.

    'Cách chấm điểm' names the scoring text although it holds the word 'điểm', so the scoring
    text is recognised before the points column.
    """
    cols = Columns()
    width = max(len(r) for r in header_rows)
    for c in range(width):
        f = " ".join(fold(r[c]) for r in header_rows if c < len(r))
        if cols.id is None and rx(r"^\s*{table.id_header}\b").match(f):
            cols.id = c
        elif rx(r"{table.rule_header}").search(f):
            cols.rule.append(c)
        elif cols.points is None and rx(r"{table.points_header}").search(f) and not rx(r"{table.result_header}").search(f):
            cols.points = c
        elif cols.name is None and rx(r"{table.name_header}").search(f):
            cols.name = c
    return cols


def _roman_ocr(ident: str) -> str:
    """Roman numbers as OCR misreads them in a number column: 'H' for II, 'IH' for III, 'l' for I."""
    if re.fullmatch(r"[IVXHl|]{1,4}", ident) and re.search(r"[Hl|]", ident):
        return ident.replace("H", "II").replace("l", "I").replace("|", "I")
    return ident


def _cell(row: list[str], c: int | None) -> str:
    return row[c].strip() if c is not None and c < len(row) else ""


@dataclass
class _TableState:
    """What a table that continues on the next page inherits: its columns and current item."""

    header: list[str] | None = None
    cols: Columns | None = None
    items: list[Item] = field(default_factory=list)
    last: TL | None = None


def _items_from_rows(rows: list[TL], state: _TableState | None = None) -> list[Item]:
    state = state if state is not None else _TableState()
    hdr_end = 0
    for k, ln in enumerate(rows[:4]):
        if any(re.fullmatch(r"\s*\d[\d.,]*\s*", c) for c in ln.cells or []):
            break  # a row with a number cell is data
        if rx(r"{table.points_header}|{table.name_header}").search(ln.fold):
            hdr_end = k + 1
    header = [fold(" ".join(ln.cells or [])) for ln in rows[:hdr_end]]
    # a table continues the previous one only across a page break, right after it
    follows = state.last is not None and rows[0].page == state.last.page + 1 and rows[0].index - state.last.index == 1
    continued = state.cols is not None and follows and (not hdr_end or header == state.header)
    if not hdr_end and not continued:
        return []
    if continued:
        cols = state.cols
    else:
        cols = _columns([ln.cells or [] for ln in rows[:hdr_end]])
        if cols.points is None:
            return []
        if cols.name is None and any(rx(r"^\s*(?:{table.unit_name_header})\s*$").match(fold(c))
                                     for ln in rows[:hdr_end] for c in ln.cells or []):
            return []  # one row per unit ('STT | Đơn vị | … | Tổng điểm'): a results table, not the criteria
        if cols.name is None:
            cols.name = 1 if cols.id == 0 else 0
        state.items = []
    state.header, state.cols, state.last = header, cols, rows[-1]
    items: list[Item] = []
    cur: Item | None = state.items[-1] if continued and state.items else None
    for ln in rows[hdr_end:]:
        row = ln.cells or []
        ident = _roman_ocr(_cell(row, cols.id).strip(" ."))
        name = _cell(row, cols.name)
        pts_txt = _cell(row, cols.points)
        pts = parse_number(pts_txt.split()[0]) if re.match(r"^\d", pts_txt) else None
        rule = " ".join(_cell(row, c) for c in cols.rule if _cell(row, c))
        if rx(r"^{table.total_row}\b").match(fold(name)) or rx(r"^{table.total_row}\b").match(fold(ident)):
            break
        opens = bool(ident) or (cols.id is None and name and (pts is not None or rule) and parse_condition(name) is None)
        if opens:
            cur = Item(ident or None, [name], pts, [rule] if rule else [], [ln], roman=bool(re.fullmatch(r"[IVX]+", ident)))
            items.append(cur)
        elif cur is not None:
            # the row's points stay a segment of their own: a band's points, or its formula's cap
            cur.rule_lines += [x for x in (name, pts_txt, rule) if x]
            cur.lines.append(ln)
    state.items += items
    if continued:
        return []  # the items were handed back with the first part of the table
    return items


def _finish_rows(items: list[Item], cols_known_id: bool) -> list[Item]:
    if not cols_known_id:
        for n, it in enumerate(items, 1):
            it.id = str(n)
    return _nest(items)


# ------------------------------------------------------------------ entry

def find_items(d: Doc) -> tuple[list[Item], str]:
    """The criteria items of the document and the shape they were read from."""
    lines = d.lines
    # 1. rows with cells
    tables: list[list[TL]] = []
    for ln in lines:
        if ln.cells is None:
            continue
        last = tables[-1][-1] if tables else None
        if last is not None and last.index == ln.index - 1 and last.table == ln.table and last.page == ln.page:
            tables[-1].append(ln)
        else:
            tables.append([ln])
    items: list[Item] = []
    state = _TableState()
    for t in tables:
        first = _items_from_rows(t, state)
        if first:
            # the table's items list is shared with its continuation: take it once complete
            items.append(state)  # type: ignore[arg-type]
            state = _TableState(state.header, state.cols, state.items, state.last)
    groups = []
    seen_ids = set()
    for st in items:
        if id(st.items) in seen_ids:
            continue
        seen_ids.add(id(st.items))
        groups.append(_finish_rows(st.items, st.cols is not None and st.cols.id is not None))
    _caption_groups(lines, groups)
    items = [it for g in groups for it in g]
    if items:
        return items, "cells"
    # 2. a table broken over lines, after its header
    for a, b in _header_runs(lines):
        end = _zone_end(lines, b)
        zone = lines[b:end]
        has_ids = sum(1 for ln in zone if _id_only(ln.text) or _id_text(ln.text)) >= 2
        found = _items_with_ids(zone, trailing=True) if has_ids else _items_without_ids(zone)
        found = [it for it in found if it.points is not None or it.rule_lines]
        if found:
            items += found
    if items:
        return items, "broken-table"
    # 3. prose under a criteria heading
    for h in d.headings:
        if h.level in (1, 2) and rx(r"{sections.criteria}").search(fold(h.title)):
            end = next((o.line.index for o in d.headings if o.line.index > h.line.index and o.level <= h.level), len(lines))
            found = []
            group = label = None
            labels: dict[int, str] = {}
            for it in _items_with_ids(lines[h.line.index + 1 : end], num_lines=False):
                if it.points is not None or _has_bonus(" ".join(it.rule_lines)):
                    it.group = it.group or group
                    if label:
                        labels[id(it)] = label
                    found.append(it)
                elif rx(r"{table.group_words}|{participants.level_district}|{participants.level_commune}").search(fold(it.name)):
                    cut = rx(r"^(?:{awards.for_group})\s+").match(fold(it.name))  # '1. Đối với khối xã:'
                    group, label = _pretty(it.name[cut.end():] if cut else it.name), it.id
            ids = [it.id for it in found]
            if len(set(ids)) < len(ids):  # numbered afresh in each group: '1.a', '2.a'
                for it in found:
                    if id(it) in labels:
                        it.id = f"{labels[id(it)]}.{it.id}"
            if found:
                return found, "prose"
    # 4. targets in column headings
    items = _target_items(d)
    return items, "targets" if items else "none"


def _has_bonus(text: str) -> bool:
    return bool(rx(r"{rules.every}\s*(?:{rules.increase}\s*){0,2}" + NUM + r"[^;.]{0,60}?{rules.plus}\s*" + NUM).search(fold(text)))


def group_for(text: str, participants: list[str]) -> str | None:
    """The participant group a caption or heading points at ('… cấp xã …' -> 'Các xã, thị trấn')."""
    f = fold(text)
    if rx(r"{participants.level_commune}").search(f):
        key = "participants.communes"
    elif rx(r"{participants.level_district}").search(f):
        key = "participants.departments"
    else:
        return None
    hits = [p for p in participants if rx("{" + key + "}").search(fold(p))]
    if key == "participants.departments":
        hits = [p for p in hits if not rx(r"{participants.communes}").search(fold(p))] or hits
    return hits[0] if len(hits) == 1 else None


def _caption(d: Doc, items: list[Item]) -> str:
    """The few lines above the first item: the table's caption, if any."""
    if not items or not items[0].lines:
        return ""
    first = items[0].lines[0].index
    return " ".join(ln.text for ln in d.lines[max(0, first - 14): first])


def extract_criteria(d: Doc, participants: list[str]) -> tuple[list[Criterion], list[str], set[int]]:
    warnings: list[str] = []
    items, shape = find_items(d)
    caption_group = group_for(_caption(d, items), participants)
    used: set[int] = set()
    out: list[Criterion] = []
    seen: dict[str, int] = {}
    for it in items:
        name = it.name
        if not name:
            continue
        rr = parse_rule(name, _rule_text(it.rule_lines), it.points)
        cid = it.id or str(len(out) + 1)
        if cid in seen:
            seen[cid] += 1
            cid = f"{cid}-{seen[cid]}"
        else:
            seen[cid] = 1
        group = (group_for(it.group, participants) or _pretty(it.group)) if it.group else None
        group = group or caption_group or (participants[0] if len(participants) == 1 else None)
        used.update(ln.index for ln in it.lines)
        conf = rr.confidence * (0.85 if shape == "broken-table" else 1.0)
        text = join_lines([name, *it.rule_lines])
        out.append(Criterion(id=cid, group=group, section=it.section, name=name, max_points=rr.max_points,
                             unit=rr.unit, rule=rr.rule, text=text[:2000], provenance=provenance(it.lines, conf)))
        for w in rr.warnings:
            warnings.append(msg("messages.criterion", id=cid, message=w))
    if not out:
        warnings.append(msg("messages.no_criteria"))
    _mend_ids(out, warnings)
    return out, warnings, used


def _mend_ids(criteria: list[Criterion], warnings: list[str]) -> None:
    """An id that breaks a run of numbers (4, 'D', 6: an OCR misreading of 5) becomes the number."""

    def split(cid: str) -> tuple[str, str]:
        head, _, last = cid.rpartition(".")
        return head, last

    for prev, cur, nxt in zip(criteria, criteria[1:], criteria[2:]):
        (p_head, p_last), (c_head, c_last), (n_head, n_last) = split(prev.id), split(cur.id), split(nxt.id)
        if p_head == c_head == n_head and p_last.isdigit() and n_last.isdigit() and not c_last.isdigit():
            if int(n_last) == int(p_last) + 2:
                fixed = f"{c_head}.{int(p_last) + 1}" if c_head else str(int(p_last) + 1)
                warnings.append(msg("messages.id_mended", id=cur.id, fixed=fixed))
                cur.id = fixed


def _rule_text(lines: list[str]) -> list[str]:
    """The scoring lines, without the 'Cơ sở chấm điểm' / 'Ví dụ' notes that follow them."""
    out = []
    for t in lines:
        if rx(r"{rules.basis_of_scoring}|^\s*{rules.examples}\b").search(fold(t)):
            m = rx(r"{rules.basis_of_scoring}|{rules.examples}").search(fold(t))
            if m and t[: m.start()].strip(" *-"):
                out.append(t[: m.start()])
            break
        out.append(t)
    return out
