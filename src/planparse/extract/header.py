"""Document metadata: kind, number, issuer, province, place, date, title, signer, references.

The letterhead of a Vietnamese administrative document is a two-column block (issuer | motto,
number | place and date) that text extraction often flattens onto shared lines, and in a report
with an annex the letterhead may sit on a later page.  So each field is looked for by its own
cue anywhere in the document, first hit wins, rather than by position.
"""

from __future__ import annotations

import re

from planparse.campaign import DocumentInfo, Signer
from planparse.extract.lexicon import fold, msg, rx, words
from planparse.extract.numbers import find_dates, find_years
from planparse.extract.structure import TL, Doc, join_lines

_DOCNO = re.compile(r"(\d[\w.\-]*)\s*/\s*([A-ZĐƯƠ0-9][\w\-Đđ.]*)")


def strip_motto(text: str) -> str:
    """Remove the national motto that shares a line with the issuer in flattened letterheads."""
    f = fold(text)
    m = rx(r"{document.motto}").search(f)
    if m:
        return text[: m.start()].strip(" -")
    return text


def pretty_org(text: str) -> str:
    """'HUYỆN CHÂU THÀNH' -> 'huyện Châu Thành': administrative words lower, proper names titled."""
    text = re.sub(r"\s+", " ", text).strip()
    if sum(c.isupper() for c in text) < 0.6 * max(1, sum(c.isalpha() for c in text)):
        return text  # already in normal case
    low = text.lower()
    m = rx(r"{document.admin_levels}").search(fold(low))
    if m is not None:
        name = " ".join(w[:1].upper() + w[1:] for w in low[m.end():].split())
        low = f"{low[: m.end()]} {name}".strip()
    return low[:1].upper() + low[1:]


def _issuer(d: Doc) -> tuple[str | None, TL | None]:
    head = rx(r"^{document.issuer_head}")
    pieces = [x for x in (strip_motto(p) for p in _pieces(d, 400)) if x.strip(" -")]
    for i, piece in enumerate(pieces):
        text = strip_motto(piece)
        if not text or _upper_ratio(text) < 0.7 or not head.search(fold(text)):
            continue
        parts = [text]
        if not rx(r"{document.admin_levels}\s+\S").search(fold(text)) and i + 1 < len(pieces):
            nxt = strip_motto(pieces[i + 1])
            if nxt and _upper_ratio(nxt) >= 0.7 and rx(r"^{document.admin_levels}").search(fold(nxt)):
                parts.append(nxt)
        if i + 1 < len(pieces):
            # 'UBND TỈNH KIÊN GIANG' over 'SỞ THÔNG TIN VÀ TRUYỀN THÔNG': the body below issues it
            below = strip_motto(pieces[i + len(parts)]) if i + len(parts) < len(pieces) else ""
            if below and _upper_ratio(below) >= 0.7 and not re.search(r"[\d:]", below) and \
                    rx(r"^{document.sub_issuer}\b").search(fold(below)):
                parts = [below]
        issuer = pretty_org(" ".join(parts))
        f = fold(issuer)
        m = rx(r"^ubnd").search(f)
        if m:
            issuer = words("document.issuer_name")[0] + issuer[m.end():]
        return issuer, None
    return None, None


def _upper_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def _kind_and_title(d: Doc) -> tuple[str, str | None, TL | None]:
    plan, report = rx(r"^{document.kind_plan}\b"), rx(r"^{document.kind_report}\b")
    for i, ln in enumerate(d.lines[:200]):
        if ln.upper_ratio < 0.8 or len(ln.text) > 60:
            continue
        f = ln.fold
        kind = "plan" if plan.match(f) else "report" if report.match(f) else None
        if kind is None:
            continue
        kw = (plan if kind == "plan" else report).match(f)
        rest = ln.text[kw.end():].strip(" :")
        title_lines = [rest] if rest else []
        body = rx(r"^{document.body_start}\b")
        for nxt in d.lines[i + 1 : i + 6]:
            if body.match(nxt.fold) or rx(r"^\(\s*{document.annex_note}").match(nxt.fold):
                break
            if ROMANISH.match(nxt.text) or nxt.cells is not None:
                break
            title_lines.append(nxt.text)
            if re.search(r"(19|20)\d{2}\W*$", nxt.text):
                break
        title = join_lines(title_lines) or None
        if title and title.isupper():
            title = title[:1] + title[1:].lower()
        return kind, title, ln
    return "other", None, None


ROMANISH = re.compile(r"^\s*[IVX]+\s*\.")


def _pieces(d: Doc, limit: int | None = None, columns: bool = False) -> list[str]:
    """Lines as the letterhead reader wants them: table rows split back into their cells (and,
    with `columns`, lines laid out with runs of spaces split at them)."""
    out: list[str] = []
    for ln in d.lines[:limit]:
        if ln.cells:
            out.extend(c for c in ln.cells if c.strip())
        elif columns and ln.columns:  # 'Nơi nhận:        KT. CHỦ TỊCH' laid out with spaces
            out.extend(c for c in ln.columns if c.strip())
        else:
            out.append(ln.text)
    return out


def _place_date(text: str) -> tuple[str | None, str | None, int | None] | None:
    """'… Châu Thành, ngày 08 tháng 6 năm 2021' -> place, ISO date (or None), year."""
    dates = find_dates(text)
    if not dates:
        return None
    dt = dates[0]
    before = text[: dt.start].rstrip()
    day = rx(r"{dates.day}\s*$").search(fold(before))
    if day:
        before = before[: day.start()].rstrip()
    if not before.endswith(","):
        return None
    name: list[str] = []
    for tok in reversed(before.rstrip(" ,").split()):
        if "/" in tok or ":" in tok or not tok[:1].isupper() or (tok.isupper() and len(tok) > 2 and name):
            break
        name.insert(0, tok)
    if not name:
        return None
    return " ".join(name), dt.iso, dt.year


def _number_place_date(d: Doc) -> tuple[str | None, str | None, str | None, int | None]:
    so = rx(r"(?:^|\s){document.number}\s*:|^\s*{document.number}\s+(?=\d)")
    number = None
    found_number = False
    place = date = None
    year = None
    pieces = _pieces(d, 400)
    for text in pieces:
        f = fold(text)
        m = so.search(f)
        if m and not found_number:
            found_number = True
            nm = _DOCNO.match(text[m.end():].strip())
            if nm:
                number = f"{nm.group(1)}/{nm.group(2)}"
        if place is None:
            pd = _place_date(text)
            if pd:
                place, date, year = pd
        if found_number and place is not None:
            break
    return number, place, date, year


def _province(d: Doc, issuer: str | None) -> str | None:
    """The most often named 'tỉnh X' (its words capitalised in the text), the issuer's first."""
    cands: dict[str, int] = {}
    for t in (issuer or "", d.full):
        for m in rx(r"{document.province}\s+").finditer(fold(t)):
            if m.start() and t[m.start() - 1].isalpha():
                continue
            if t[m.start(): m.end()].strip().lower() not in {w.lower() for w in words("document.province")}:
                continue  # 'tính' folds like 'tỉnh': the marks must match
            toks = []
            # the name ends with its line ('UBND TỈNH QUẢNG NINH' / 'SỞ THÔNG TIN …'), unless 'tỉnh' ends the line
            rest = t[m.end():].split("\n", 1)[0] if "\n" not in t[m.start(): m.end()] else t[m.end():]
            for tok in rest.split()[:4]:
                tok = tok.strip(",.;:()")
                if not tok or not tok[:1].isupper() or any(ch.isdigit() for ch in tok):
                    break
                toks.append(tok)
                if tok != rest.split()[len(toks) - 1]:
                    break  # punctuation ends the name
            if toks and len(toks) <= 3:
                key = " ".join(toks)
                key = key.title() if key.isupper() else key
                cands[key] = cands.get(key, 0) + (3 if t is issuer else 1)
    if not cands:
        return None
    return max(cands, key=lambda k: cands[k])


def _signer(d: Doc) -> Signer | None:
    titles = {fold(t): t for t in words("document.signer_titles")}
    title_re = rx(r"(?:^|{document.signer_block}\s*|[;:]\s*)(" + "|".join(sorted(map(re.escape, titles), key=len, reverse=True))
                  + r")\s*$")
    pieces = [p.strip() for p in _pieces(d, columns=True)]
    n = len(pieces)
    alts = "|".join(sorted(map(re.escape, titles), key=len, reverse=True))
    inline = re.compile(r"(?:^|\s)(" + alts + r")\s+(\S+(?:\s+\S+){1,4})\s*$")
    for text in pieces:
        # a signature block flattened into one cell: 'TM. … KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Không Dận'
        m = inline.search(fold(text))
        if m and _upper_ratio(text[m.start(1): m.end(1)]) >= 0.7:
            name = text[m.start(2): m.end(2)]
            if _looks_like_name(name) and not name.isupper():
                last = None
                for last in re.finditer(r"(?:^|\s)(" + alts + r")(?=\s|$)", fold(text[: m.end(1)])):
                    pass
                return Signer(name=name, title=titles[(last or m).group(1)])
    for i, text in enumerate(pieces):
        m = title_re.search(fold(text))
        if not m or _upper_ratio(text[m.start():]) < 0.7:
            continue
        # take the last title line of the block (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)
        j = i
        while j + 1 < n and title_re.search(fold(pieces[j + 1])) and _upper_ratio(pieces[j + 1]) >= 0.7:
            j += 1
        title = titles[title_re.search(fold(pieces[j])).group(1)]
        name = None
        for cand in pieces[j + 1 : j + 30]:
            later = title_re.search(fold(cand))
            if later and _upper_ratio(cand) >= 0.7:
                title = titles[later.group(1)]  # 'KT. CHỦ TỊCH' … 'PHÓ CHỦ TỊCH': the signer's own title
                continue
            if re.match(r"^\s*[-–+•]", cand) or rx(r"^{document.recipients}").match(fold(cand)):
                continue  # the recipients' column, read before the name
            cleaned = _name_in_noise(cand)
            if _looks_like_name(cand) or cleaned:
                name = cand.strip() if _looks_like_name(cand) else cleaned
                if name.isupper():
                    name = name.title()
                break
        if name is None:
            name = _ner_name(pieces[j + 1 : j + 12])
        return Signer(name=name, title=title)
    return None


def _ner_name(lines: list[str]) -> str | None:
    """Last resort for the signer's name: underthesea's NER (about 1.3 s to load, so only here).

    Only short lines with a run of capitalised words are worth asking; when there is none the
    model is not even imported.
    """
    candidates = []
    for line in lines:
        if re.match(r"^\s*[-–+•]", line) or len(line) > 80 or len(line.split()) > 8:
            continue
        caps = [t for t in line.split() if t.strip(",.;:").isalpha() and t[:1].isupper()]
        if len(caps) >= 2 and not rx(r"{document.signer_block}|{document.signer_titles}|{document.issuer_head}|"
                                     r"{document.motto}").search(fold(line)):
            candidates.append(line)
    if not candidates:
        return None
    try:
        from underthesea import ner
    except ImportError:  # optional at this point: the patterns did not find a name either
        return None
    for line in candidates:
        try:
            tags = ner(line)
        except Exception:  # a model failure must not fail the extraction
            return None
        people = [tok for tok, _pos, _chunk, tag in tags if tag.endswith("PER")]
        if people and 2 <= len(" ".join(people).split()) <= 5:
            found = " ".join(people)
            return found.title() if found.isupper() else found
    return None


def _name_in_noise(text: str) -> str | None:
    """'Lê ^ Văn xưv Phước „' (a scanned signature over the name) -> 'Lê Văn Phước'."""
    toks = [t for t in text.split() if any(ch.isalpha() for ch in t)]
    keep = [t for t in toks if t.isalpha() and t[:1].isupper() and (len(t) == 1 or t[1:].islower())]
    if 2 <= len(keep) <= 5 and len(keep) >= 0.6 * len(toks) and not rx(r"{document.recipients}").search(fold(text)):
        return " ".join(keep)
    return None


def _looks_like_name(text: str) -> bool:
    toks = text.split()
    if not 2 <= len(toks) <= 5 or re.search(r"[\d:;,/()]", text):
        return False
    return all(t[:1].isupper() and t[1:2].islower() or t.isupper() for t in toks) and not text.isupper() or (
        text.isupper() and len(toks) <= 4 and not rx(r"{document.signer_block}|{document.signer_titles}").search(fold(text))
        and not rx(r"{document.issuer_head}|{document.motto}").search(fold(text))
    )


_REF_CUT = re.compile(r"[;]|\.\s|\.$|,\s+(?=[A-ZĐỦ])")


def _references(d: Doc, own_number: str | None) -> list[str]:
    kinds = rx(r"(?<![a-z]){document.reference_kinds}(?:\s+{document.number})?\s+(\d[\w.\-]*\s*/\s*[\w\-Đđ.]+)")
    out: list[str] = []
    seen: set[str] = set()
    flat = re.sub(r"-\n(?=[A-ZĐ])", "-", d.full).replace("\n", " ")
    for m in kinds.finditer(fold(flat)):
        number = re.sub(r"\s+", "", flat[m.start(1) : m.end(1)]).rstrip(".,")
        if number in seen or (own_number and number == own_number):
            continue
        seen.add(number)
        text = _balanced(flat[m.start() : m.start() + 400])
        cut = _REF_CUT.search(text, len(m.group(0)))
        text = text[: cut.start()] if cut else text[:200]
        # stop before a new clause such as ', Ủy ban nhân dân … xây dựng'
        text = re.sub(r"\s+", " ", text).strip(" ,")
        text = text[:1].upper() + text[1:]
        out.append(text)
    return out


def _balanced(text: str) -> str:
    """Cut the text at the first closing parenthesis that was never opened."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return text[:i]
            depth -= 1
    return text


def extract_document(d: Doc) -> tuple[DocumentInfo, list[str]]:
    warnings: list[str] = []
    issuer, _ = _issuer(d)
    kind, title, _ = _kind_and_title(d)
    number, place, date, year = _number_place_date(d)
    if year is None:
        ys = find_years(title or "") or find_years(d.full[:3000])
        year = ys[-1] if title and find_years(title) else (ys[0] if ys else None)
    province = _province(d, issuer)
    signer = _signer(d)
    refs = _references(d, number)
    info = DocumentInfo(kind=kind, number=number, issuer=issuer, province=province, place=place,
                        date=date, year=year, title=title, signer=signer, references=refs)
    if number is None:
        warnings.append(msg("messages.no_number"))
    if date is None:
        warnings.append(msg("messages.no_date"))
    if issuer is None:
        warnings.append(msg("messages.no_issuer"))
    if title is None:
        warnings.append(msg("messages.no_title"))
    if signer is None or signer.name is None:
        warnings.append(msg("messages.no_signer"))
    if province and not rx(r"{document.province}").search(fold(d.full)):
        warnings.append(msg("messages.province_inferred", province=province))
    return info, warnings
