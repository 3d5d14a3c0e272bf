"""The outgoing register: numbers per year and series, never twice, only for written documents."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from vanban.errors import ConfigError
from vanban.generate import load_office, render_document
from vanban.generate.office import office_from_dict
from vanban.generate.register import list_entries, peek_next

from .conftest import OFFICE_DIR, sample_data


def test_numbers_restart_each_year_and_secret_documents_have_their_own_series(tmp_path, office, db):
    data = sample_data("don-doc")
    made = []
    for i, (date, secrecy) in enumerate([("2026-01-05", None), ("2026-03-01", None), ("2026-03-02", "MẬT"),
                                         ("2027-01-02", None), ("2026-12-31", None)]):
        record = dict(data, number="auto", date=date, secrecy=secrecy)
        made.append(render_document("don-doc", record, tmp_path / f"{i}.docx", office=office, db_path=db))
    assert [m.number for m in made] == ["01", "02", "01", "01", "03"]
    entries = list_entries(db, 2026)
    assert [(e.series, e.number) for e in entries] == [("mat", 1), ("thuong", 1), ("thuong", 2), ("thuong", 3)]
    assert entries[1].number_symbol == "01/UBND-TH"
    assert entries[1].path.endswith("0.docx")
    assert peek_next(db, 2026) == 4 and peek_next(db, 2028) == 1


def test_fixed_and_blank_numbers_do_not_touch_the_register(tmp_path, office, db):
    data = sample_data("don-doc")
    fixed = render_document("don-doc", dict(data, number="123"), tmp_path / "a.docx", office=office, db_path=db)
    draft = render_document("don-doc", dict(data, number=""), tmp_path / "b.docx", office=office, db_path=db)
    assert fixed.number == "123" and draft.number is None
    assert list_entries(db) == []


def test_failed_write_gives_the_number_back(tmp_path, office, db):
    data = dict(sample_data("don-doc"), number="auto")
    broken = tmp_path / "mau"
    broken.mkdir()
    (broken / "don-doc.docx").write_bytes(b"not a docx")
    with pytest.raises(ConfigError, match="không mở được mẫu"):
        render_document("don-doc", data, tmp_path / "x.docx", office=office, db_path=db, template_dir=broken)
    assert not (tmp_path / "x.docx").exists()
    assert list_entries(db) == []
    ok = render_document("don-doc", data, tmp_path / "y.docx", office=office, db_path=db)
    assert ok.number == "01"


def test_a_full_year_is_refused(tmp_path, db):
    raw = {"agency": {"name": "Ủy ban nhân dân tỉnh Lâm Đồng", "abbr": "UBND"}, "place": "Lâm Đồng",
           "signers": [{"key": "pct-tong-hop", "name": "Lê Thị Hồng Nhung", "position": "PHÓ CHỦ TỊCH",
                        "authority": "KT. CHỦ TỊCH"}],
           "register": {"max_per_year": 2}}
    office = office_from_dict(raw)
    data = dict(sample_data("don-doc"), number="auto")
    for name in ("a", "b"):
        render_document("don-doc", data, tmp_path / f"{name}.docx", office=office, db_path=db)
    with pytest.raises(ConfigError, match="sổ văn bản năm 2026 đã hết số"):
        render_document("don-doc", data, tmp_path / "c.docx", office=office, db_path=db)
    assert not (tmp_path / "c.docx").exists()
    assert len(list_entries(db)) == 2


def _worker(args):
    db, out, index = args
    office = load_office(OFFICE_DIR / "vanban.yaml")
    data = dict(sample_data("don-doc"), number="auto")
    result = render_document("don-doc", data, Path(out) / f"{index}.docx", office=office, db_path=Path(db))
    return result.number


def test_concurrent_runs_never_share_a_number(tmp_path, db):
    jobs = [(str(db), str(tmp_path), i) for i in range(12)]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        numbers = pool.map(_worker, jobs)
    assert sorted(numbers) == [f"{i:02d}" for i in range(1, 13)]
    entries = list_entries(db)
    assert sorted(e.number for e in entries) == list(range(1, 13))
    # each file carries the number the register recorded for it
    import docx
    for e in entries:
        lines = [p.text for t in docx.Document(e.path).tables for c in t._cells for p in c.paragraphs]
        assert f"Số: {e.number:02d}/UBND-TH" in lines
