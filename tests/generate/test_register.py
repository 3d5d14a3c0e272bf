"""The outgoing register: numbers per year and series, never twice, only for written documents."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.cli import main
from vanban.errors import ConfigError, OutputError
from vanban.generate import load_office, render_document
from vanban.generate.office import office_from_dict
from vanban.generate.register import list_entries, peek_next, unused_numbers

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


def _numbers_in(path) -> list[str]:
    import docx
    return [p.text for t in docx.Document(str(path)).tables for c in t._cells for p in c.paragraphs
            if p.text.startswith("Số:")]


def _every_number_names_its_document(db, year=2026):
    """No number that names no document: each used number's file exists and carries that number."""
    entries = list_entries(db, year)
    for e in entries:
        assert Path(e.path).exists(), e
        assert f"Số: {e.number:02d}/{e.symbol}" in _numbers_in(e.path)
    assert unused_numbers(db, year) == []
    return entries


def test_writing_the_same_file_again_keeps_its_number(tmp_path, office, db):
    data = dict(sample_data("don-doc"), number="auto")
    first = render_document("don-doc", data, tmp_path / "a.docx", office=office, db_path=db)
    other = render_document("don-doc", data, tmp_path / "b.docx", office=office, db_path=db)
    again = render_document("don-doc", dict(data, subject="đôn đốc lần nữa"), tmp_path / "a.docx", office=office,
                            db_path=db, force=True)
    assert (first.number, other.number, again.number) == ("01", "02", "01")
    entries = _every_number_names_its_document(db)
    assert [(e.number, Path(e.path).name, e.subject) for e in entries] == \
        [(1, "a.docx", "đôn đốc lần nữa"), (2, "b.docx", sample_data("don-doc")["subject"])]
    # written again with another year: the number of 2026 would name nothing; refused, file untouched
    before = (tmp_path / "a.docx").read_bytes()
    with pytest.raises(ConfigError, match="đã mang số 01/UBND-TH năm 2026.*vanban register release 1 --year 2026"):
        render_document("don-doc", dict(data, date="2027-01-04"), tmp_path / "a.docx", office=office, db_path=db,
                        force=True)
    assert (tmp_path / "a.docx").read_bytes() == before
    # a draft written over a numbered document is refused too
    with pytest.raises(OutputError, match="tệp đang mang số 02/UBND-TH"):
        render_document("don-doc", dict(data, number=""), tmp_path / "b.docx", office=office, db_path=db, force=True)
    assert peek_next(db, 2026) == 3


def test_release_is_explicit_and_listed(tmp_path, office, db):
    data = dict(sample_data("don-doc"), number="auto")
    for name in "abc":
        render_document("don-doc", data, tmp_path / f"{name}.docx", office=office, db_path=db)
    runner = CliRunner()
    result = runner.invoke(main, ["register", "release", "2", "--year", "2026", "--db", str(db),
                                  "--reason", "văn bản không ban hành"])
    assert result.exit_code == 0, result.output
    assert "Đã giải phóng số 02/UBND-TH năm 2026" in result.output
    assert f"Lưu ý: tệp {(tmp_path / 'b.docx').resolve()} vẫn mang số này" in result.output
    assert [e.number for e in list_entries(db)] == [1, 3]
    assert unused_numbers(db, 2026) == [2]
    listing = runner.invoke(main, ["register", "list", "--db", str(db)])
    assert "02/UBND-TH" in listing.output and "đã giải phóng: văn bản không ban hành" in listing.output
    assert "Số chưa dùng năm 2026 (sổ văn bản): 02." in listing.output
    (tmp_path / "c.docx").unlink()  # moved away by hand: the register says so
    assert f"→ {(tmp_path / 'c.docx').resolve()} (tệp không còn ở đây)" in \
        runner.invoke(main, ["register", "list", "--db", str(db)]).output
    # a released number is not given again by itself; the draft may now replace the file
    assert render_document("don-doc", data, tmp_path / "d.docx", office=office, db_path=db).number == "04"
    render_document("don-doc", dict(data, number=""), tmp_path / "b.docx", office=office, db_path=db, force=True)
    again = runner.invoke(main, ["register", "release", "2", "--year", "2026", "--db", str(db)])
    assert again.exit_code == 5 and "đã được giải phóng ngày " in again.output
    missing = runner.invoke(main, ["register", "release", "9", "--year", "2026", "--db", str(db)])
    assert missing.exit_code == 5 and "không có số 09 đã cấp" in missing.output


KILLED_RUN = """
import sys
from pathlib import Path
from vanban.config import read_data_file
from vanban.generate import load_office, render_document
office = load_office(Path(sys.argv[1]) / "vanban.yaml")
data = dict(read_data_file(Path(sys.argv[1]) / "don-doc.yaml"), number="auto")
render_document("don-doc", data, Path(sys.argv[2]), office=office, db_path=Path(sys.argv[3]), pdf=True)
"""


def test_a_run_killed_while_writing_leaves_neither_file_nor_number(tmp_path, office, db):
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    if shutil.which("soffice") is None:
        pytest.skip("không có LibreOffice (soffice): cần để lần chạy đủ lâu mà dừng giữa chừng")
    target = tmp_path / "ra" / "don-doc.docx"
    # the PDF through LibreOffice keeps the run busy for seconds after the number is taken
    proc = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(OFFICE_DIR), str(target), str(db)],
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        pending = []
        while time.monotonic() < deadline and not pending:
            time.sleep(0.05)
            if db.exists():
                try:
                    with sqlite3.connect(db) as conn:
                        pending = conn.execute("SELECT number FROM outgoing WHERE status = 'pending'").fetchall()
                except sqlite3.OperationalError:
                    pass
        assert pending == [(1,)], "the run never took its number"
        while time.monotonic() < deadline and not list(target.parent.glob("vanban-pdf-*")):
            time.sleep(0.02)  # kill it inside the PDF conversion, the numbered .docx written beside
        assert list(target.parent.glob("vanban-pdf-*")), "the run never reached its PDF"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the run and the LibreOffice it started
        proc.wait()
    assert not target.exists() and not target.with_suffix(".pdf").exists()
    # the next run settles the dead run's number: free again, and its half-made files are gone
    assert list_entries(db) == [] and peek_next(db, 2026) == 1
    assert sorted(p.name for p in target.parent.iterdir()) == []
    made = render_document("don-doc", dict(sample_data("don-doc"), number="auto"), target, office=office, db_path=db)
    assert made.number == "01"
    _every_number_names_its_document(db)


PUBLISHED_THEN_KILLED = """
import os, sys, datetime as dt
from pathlib import Path
from vanban.generate.register import reserve_number
target = Path(sys.argv[1])
with reserve_number(Path(sys.argv[2]), 2026, "thuong", path=target, symbol="UBND-TH", kind="don-doc",
                    subject="đôn đốc", date=dt.date(2026, 10, 15), recipients=["Sở Nội vụ"]) as reservation:
    target.write_text("Số: %02d/UBND-TH" % reservation.number, encoding="utf-8")
    os._exit(9)  # dies after publishing, before recording: as a kill -9 at that instant
"""


def test_a_run_killed_after_publishing_keeps_its_number(tmp_path, db):
    import subprocess
    import sys

    target = tmp_path / "don-doc.docx"
    done = subprocess.run([sys.executable, "-c", PUBLISHED_THEN_KILLED, str(target), str(db)])
    assert done.returncode == 9 and target.read_text(encoding="utf-8") == "Số: 01/UBND-TH"
    (entry,) = list_entries(db)  # settled: the file is there, so its number is used
    assert (entry.number, entry.path, entry.status, entry.subject) == (1, str(target.resolve()), "used", "đôn đốc")
    assert peek_next(db, 2026) == 2 and unused_numbers(db, 2026) == []


def test_a_register_of_the_earlier_version_is_brought_up_to_date(tmp_path, office, db):
    import sqlite3

    with sqlite3.connect(db) as conn:  # the outgoing table as vanban wrote it before the pending step
        conn.executescript("""
            CREATE TABLE outgoing (id INTEGER PRIMARY KEY AUTOINCREMENT, year INTEGER NOT NULL,
                series TEXT NOT NULL, number INTEGER NOT NULL, symbol TEXT NOT NULL, kind TEXT NOT NULL,
                subject TEXT NOT NULL, date TEXT NOT NULL, recipients TEXT NOT NULL, path TEXT NOT NULL,
                created_at TEXT NOT NULL, UNIQUE (year, series, number));
            INSERT INTO outgoing (year, series, number, symbol, kind, subject, date, recipients, path, created_at)
            VALUES (2026, 'thuong', 1, 'UBND-TH', 'don-doc', 'đôn đốc', '2026-01-05', '', '/nowhere/a.docx',
                    '2026-01-05T08:00:00');""")
    made = render_document("don-doc", dict(sample_data("don-doc"), number="auto"), tmp_path / "b.docx",
                           office=office, db_path=db)
    assert made.number == "02"
    assert [(e.number, e.status) for e in list_entries(db)] == [(1, "used"), (2, "used")]
