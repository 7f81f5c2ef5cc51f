"""Diacritics restoration: the words we extract, what must never change, edits, the CLI."""

from __future__ import annotations

import time

import pytest

from planparse.repair import diacritics
from planparse.repair.diacritics import restore
from planparse.repair.syllables import strip_diacritics

ADMIN = (
    "Điểm tối đa 20 điểm; điểm thưởng 5 điểm. Nộp hồ sơ trực tuyến, thủ tục hành chính, "
    "tài khoản định danh điện tử. Giải nhất được thưởng 2.500.000 đồng."
)


def test_model_loads_fast_and_has_a_version():
    diacritics.load_model.cache_clear()
    t0 = time.perf_counter()
    diacritics.load_model()
    assert time.perf_counter() - t0 < 1.0
    assert diacritics.model_version().startswith("restorer-")


def test_stripped_admin_vocabulary_comes_back():
    out = restore(strip_diacritics(ADMIN)).text
    for phrase in ("Điểm tối đa", "điểm thưởng", "hồ sơ", "thủ tục hành chính", "tài khoản", "Giải nhất", "đồng"):
        assert phrase in out, out


def test_only_diacritics_change_and_layout_is_kept():
    given = "  Ke hoach so 211/KH-UBND\n\nDIEM CHUAN:\t20 diem (toi da)  \r\n- Ho so: 1.500 tai khoan./."
    out = restore(given, mode="stripped").text
    assert strip_diacritics(out) == given
    assert "KẾ" not in out and "Kế hoạch" in out  # title case kept
    assert "ĐIỂM CHUẨN" in out  # all caps kept


def test_edits_point_into_the_input_and_rebuild_the_output():
    given = strip_diacritics(ADMIN)
    result = restore(given)
    assert result.edits
    rebuilt, pos = [], 0
    for e in result.edits:
        assert e.kind == "diacritics"
        assert given[e.start:e.end] == e.before
        assert 0.0 <= e.confidence <= 1.0
        rebuilt += [given[pos:e.start], e.after]
        pos = e.end
    assert "".join(rebuilt) + given[pos:] == result.text
    assert len(result.tokens) >= len(result.edits)


def test_correct_text_is_left_alone():
    result = restore(ADMIN)
    assert result.text == ADMIN and not result.edits and result.mode == "good"


def test_marked_valid_tokens_survive_stripped_mode():
    given = "Ủy ban nhân dân huyện ban hanh ke hoach"
    out = restore(given, mode="stripped").text
    assert out.startswith("Ủy ban nhân dân huyện ban hành kế hoạch")


def test_english_ocr_confusions():
    out = restore("Poc lap - Tw do - Hanh phiic", mode="ocr").text
    assert out == "Độc lập - Tự do - Hạnh phúc"


def test_empty_and_numbers_only():
    assert restore("").text == ""
    assert restore("1.500 / 2.000\n").text == "1.500 / 2.000\n"


def test_bad_mode_is_refused():
    with pytest.raises(ValueError):
        restore("ho so", mode="nonsense")


def test_cli_restore_reads_stdin_and_writes_stdout():
    from typer.testing import CliRunner

    import planparse.cli.restore_cmds  # noqa: F401  (registers the command)
    from planparse.cli.common import app

    result = CliRunner().invoke(app, ["restore", "-", "--mode", "stripped"], input="ho so truc tuyen\n")
    assert result.exit_code == 0, result.output
    assert "hồ sơ trực tuyến" in result.stdout


def test_restore_lines_keeps_context_across_line_breaks_and_offsets_per_line():
    from planparse.repair.diacritics import restore_lines

    lines = ["Uy ban nhan dan huyen ban hanh ke", "hoach phat dong phong trao thi dua", ""]
    out = restore_lines(lines, mode="stripped")
    assert [r.text for r in out] == [
        "Ủy ban nhân dân huyện ban hành kế", "hoạch phát động phong trào thi đua", ""]
    for line, r in zip(lines, out):
        for e in r.edits:
            assert line[e.start:e.end] == e.before


def test_ocr_mode_keeps_abbreviations_and_joins_split_syllables():
    out = restore("Số: 211/KH-UBND; HĐND huyện; khen thu ng", mode="ocr")
    assert out.text.startswith("Số: 211/KH-UBND; HĐND huyện; khen th")
    assert " " not in out.text.rsplit("khen ", 1)[1]  # "thu ng" became one syllable
    assert all(0.0 <= t.confidence <= 1.0 for t in out.tokens)


def test_mixed_text_in_stripped_mode_leaves_its_right_words_alone():
    given = "Ủy ban nhân dân huyện ban hành kế hoạch cho các xã"
    assert restore(given, mode="stripped").text == given


def test_restore_lines_cuts_at_the_output_line_breaks_when_lengths_change() -> None:
    """Bug: lines were cut at input offsets, so 'phiic' -> 'phúc' shifted every following line."""
    from planparse.repair.diacritics import restore_lines

    lines = ["Poc lap - Tw do - Hanh phiic", "hwéng din gidi quyet thi tuc", "S6: 211/KH-UBND ndp ho so"]
    out = restore_lines(lines, mode="ocr")
    assert [r.text for r in out][:2] == ["Độc lập - Tự do - Hạnh phúc", "hướng dẫn giải quyết thủ tục"]
    assert out[2].text.startswith("Số: 211/KH-UBND")
    for line, restored in zip(lines, out):
        for edit in restored.edits:
            assert line[edit.start:edit.end] == edit.before


def test_restoring_stays_light_to_start() -> None:
    """A command-line restore pays every import: numpy.ma (pulled in by np.unique), pathlib
    and the syllable tables are not needed to restore stripped text, and the cyclic
    collector is back on afterwards."""
    import subprocess
    import sys

    code = (
        "import gc, sys\n"
        "before = set(sys.modules)\n"
        "from planparse.repair.diacritics import restore_lines\n"
        "out = restore_lines(['Ke hoach so 211', 'ho so truc tuyen'], mode='stripped')\n"
        "assert out[1].text == 'hồ sơ trực tuyến', out\n"
        "assert gc.isenabled()\n"
        "heavy = ('numpy.ma', 'pathlib', 'planparse.repair.syllables')\n"
        "print(' '.join(m for m in heavy if m in sys.modules and m not in before))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", result.stdout


def test_batched_decoding_matches_segment_by_segment_choices() -> None:
    """Segments are decoded side by side in one lattice; each one's best path must be what
    decoding it alone gives (confidences too when its normalisation width is the same)."""
    from planparse.repair.diacritics import load_model
    from planparse.repair.restorer.decode import decode_segments

    model, channel = load_model()
    bos = channel.fixed(model.index["<s>"])
    words = [["ho", "so", "truc", "tuyen"], ["thu", "tuc", "hanh", "chinh"], ["diem", "toi", "da", "20"],
             ["giai", "nhat", "nhi", "ba", "khuyen", "khich"], ["tai", "khoan"]]
    lattices = []
    for seg in words:
        cands = [bos, bos, *(channel.candidates(w, "stripped", 0.0) for w in seg), bos]
        lattices.append(([c.ids for c in cands], [c.lp for c in cands]))
    together = decode_segments(model, lattices)
    for lattice, (best, conf) in zip(lattices, together):
        alone_best, alone_conf = decode_segments(model, [lattice])[0]
        assert best == alone_best
        if max(len(c) for c in lattice[0]) == max(len(c) for lat in lattices for c in lat[0]):
            assert conf == alone_conf


def test_char_channel_fast_paths_match_the_reference_computation() -> None:
    """The character channel's shortcuts (tuple opcodes, per-(form, distance) rankings,
    length-filtered search, merged rankings) decide exactly as the plain computation."""
    import heapq

    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from planparse.repair.restorer.charchannel import MAX_FORMS, PRESELECT, UNSEEN_SUB, CharChannel, align_chars

    model, channel = diacritics.load_model()
    chars = CharChannel(model, channel.by_stripped)
    uni = chars.uni
    for token in ("hwéng", "din", "s6", "poc", "lap", "phiic", "nghiep", "dwoc", "1a", "ii", "thu", "quyét"):
        base = "".join(chars.to_base.get(ch, strip_diacritics(ch)) for ch in token)
        matches = process.extract(base, chars.forms, scorer=Levenshtein.distance, score_cutoff=2, limit=MAX_FORMS)
        pool = [(uni[i] - 3.0 * dist, i) for form, dist, _ in matches for i in chars.by_stripped[form]]
        scored = [(i, sum(chars.table.get(p, UNSEEN_SUB) for p in align_chars(model.vocab[i], token)))
                  for _, i in heapq.nlargest(PRESELECT, pool)]
        scored.sort(key=lambda e: -(e[1] + uni[e[0]]))
        for limit in (4, 8, 12):
            assert chars.candidates(token, limit=limit) == scored[:limit], token
    # searching a batch of tokens at once (as a page does) decides the same
    tokens = ["hwéng", "din", "s6", "poc", "lap", "phiic", "nghiep", "dwoc", "1a", "ii", "thu", "quyét"]
    batch = CharChannel(model, channel.by_stripped)
    batch.prepare(tokens)
    assert [batch.candidates(t) for t in tokens] == [chars.candidates(t) for t in tokens]


def test_ocr_candidate_table_is_what_the_channel_computes() -> None:
    """The model's table of OCR-mode candidates (computed at training) must equal what the
    channel's code gives now: a change to the channel's code or constants without
    `scripts/train_restorer.py --table-only` would make results depend on the table."""
    import numpy as np

    from planparse.repair.restorer.channel import TABLE_KINDS, Channel

    model, _ = diacritics.load_model()
    assert model.table, "models/restorer.bin has no OCR candidate table"
    fresh = Channel(model)
    keys = bytes(model.table["keys"]).decode("utf-8").split("\n")
    assert len(keys) == len(model.table["start"]) - 1 == len(model.table["fixed"])
    checked = 0
    for key in keys[::5]:  # a fifth of the entries: a stale table differs widely
        kind, token = key.split("\t")
        assert kind in TABLE_KINDS
        tabled = fresh._tabled(token, kind)
        computed = fresh._candidates(token, kind, 0.0)
        assert tabled.ids.tolist() == computed.ids.tolist(), (
            f"{key!r}: run scripts/train_restorer.py --table-only")
        assert np.array_equal(tabled.lp, computed.lp) and tabled.lp.dtype == computed.lp.dtype, key
        assert tabled.fixed == computed.fixed, key
        checked += 1
    assert checked > 2000


def test_ocr_mode_gives_the_same_result_with_or_without_the_table() -> None:
    """Tokens in the table and tokens outside it ("muédi", a garbled reading) restore the
    same whether the candidates come from the table or are computed."""
    from planparse.repair.restorer.channel import Channel

    model, _ = diacritics.load_model()
    text = ("KE HOACH Phat dong phong trao thi dua UBND huyén; Diém t6i da 20 diém, "
            "hwéng din muédi ndp ho so chuaén thu tuc")
    tokens = sorted({w.lower() for w in text.replace(";", " ").replace(",", " ").split()})
    with_table = Channel(model)
    tabled = [t for t in tokens if with_table._tabled(t, "ocr") is not None]
    assert tabled and len(tabled) < len(tokens)  # some come from the table, some are computed
    kinds = ("ocr", "ocr-caps")
    expected = {(t, k): with_table.candidates(t, k, 0.0) for t in tokens for k in kinds}
    saved, model.table = model.table, {}
    try:
        without = Channel(model)
        for (token, kind), a in expected.items():
            b = without.candidates(token, kind, 0.0)
            assert a.ids.tolist() == b.ids.tolist() and a.lp.tolist() == b.lp.tolist(), (token, kind)
            assert a.fixed == b.fixed
        assert not without._table_index()  # really computed, not read from the table
    finally:
        model.table = saved


def test_decoding_in_chunks_gives_what_one_lattice_gives(monkeypatch) -> None:
    """Segments are decoded CHUNK positions at a time with confidence widths settled over
    all of them: best paths and confidences are those of one big lattice."""
    from planparse.repair.restorer import decode

    lines = [strip_diacritics(ADMIN)] * 40 + ["Diem toi da 20 diem, giai nhat, nhi, ba"] * 40
    monkeypatch.setattr(decode, "CHUNK", 1 << 30)
    diacritics.load_model()
    whole = diacritics.restore_lines(lines, mode="ocr")
    monkeypatch.setattr(decode, "CHUNK", 64)
    chunked = diacritics.restore_lines(lines, mode="ocr")
    assert [(r.text, r.tokens) for r in chunked] == [(r.text, r.tokens) for r in whole]
