"""SQLite registers and task registers: other schemas, corrupt, special or future files, bad values,
a register as big as an attack; listing never changes a byte; an output never replaces an input."""

from __future__ import annotations

import csv
import sqlite3

import pytest

from builders import OFFICE_DIR, TASKS_DIR
from harness import check_case, run_vanban, tree_state

OFFICE = str(OFFICE_DIR / "vanban.yaml")
EXIT_OUTPUT, EXIT_CONFIG, EXIT_LIMIT = 4, 5, 8
REGISTER_CSV = TASKS_DIR / "so-theo-doi-nhiem-vu-2026.csv"


def _foreign(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE khach_hang (id INTEGER, ten TEXT)")
    conn.execute("INSERT INTO khach_hang VALUES (1, 'An')")
    conn.commit()
    conn.close()


def _other_shape(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE outgoing (x, y)")
    conn.commit()
    conn.close()


def _future(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE outgoing (a)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


def _corrupt(path):
    _foreign(path)
    data = bytearray(path.read_bytes())
    data[100:] = b"\xa5" * (len(data) - 100)
    path.write_bytes(bytes(data))


CASES = [
    (_foreign, "không phải sổ của vanban"),
    (_other_shape, "khác cấu trúc"),
    (_future, "phiên bản vanban mới hơn"),
    (_corrupt, "hỏng"),
    (lambda p: p.write_text("không phải cơ sở dữ liệu", encoding="utf-8"), "không phải tệp cơ sở dữ liệu SQLite"),
]


@pytest.mark.parametrize("make,phrase", CASES, ids=["foreign", "other-shape", "future", "corrupt", "text"])
@pytest.mark.parametrize("command", ["list", "generate"])
def test_a_register_that_is_not_vanbans_is_refused_before_any_write(box, make, phrase, command):
    inputs, work = box
    db = inputs / "so.sqlite3"
    make(db)
    if command == "list":
        args = ["register", "list", "--db", str(db), "--office", OFFICE]
    else:
        args = ["generate", "cong-van", "--data", str(OFFICE_DIR / "cong-van.yaml"), "--office", OFFICE,
                "--number", "auto", "--db", str(db), "-o", "cv.docx"]
    check_case(args, inputs=inputs, work=work, code={EXIT_CONFIG, EXIT_OUTPUT}, says=("so.sqlite3", phrase))


def test_a_fifo_register(box):
    import os

    inputs, work = box
    os.mkfifo(inputs / "so.sqlite3")
    check_case(["register", "list", "--db", str(inputs / "so.sqlite3"), "--office", OFFICE],
               inputs=inputs, work=work, code=EXIT_CONFIG, says=("FIFO",), timeout=30)


def test_listing_a_register_changes_nothing(box, tmp_path):
    inputs, work = box
    db = inputs / "so.sqlite3"
    make = tmp_path / "make"
    make.mkdir()
    made = run_vanban(["generate", "cong-van", "--data", str(OFFICE_DIR / "cong-van.yaml"), "--office", OFFICE,
                       "--number", "auto", "--db", str(db), "-o", str(make / "cv.docx")], make)
    assert made.code == 0, made.output
    state = tree_state(inputs)
    out = check_case(["register", "list", "--db", str(db), "--office", OFFICE], inputs=inputs, work=work, code=0)
    assert "UBND-TH" in out.stdout
    assert tree_state(inputs) == state


def _register_with(tmp_path, rows_changed):
    rows = list(csv.reader(REGISTER_CSV.open(encoding="utf-8-sig"), delimiter=";"))
    for change in rows_changed:
        row = rows[1][:]
        row[12] = ""  # not completed
        for index, value in change.items():
            row[index] = value
        rows.append(row)
    path = tmp_path / "so-nhiem-vu.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    return path


def test_bad_values_in_a_task_register_are_reported_by_row(box):
    inputs, work = box
    path = _register_with(inputs, [{3: "98/UBND-TH", 11: "31/12/9999"}, {3: "99/UBND-TH", 11: "01/01/0001"}])
    out = check_case(["tasks", "status", "--register", str(path), "--as-of", "15/10/2026"], inputs=inputs,
                     work=work, code=0)
    assert "31/12/9999 ngoài khoảng hợp lý" in out.output


def test_formulas_in_a_register_stay_text_in_the_report(box):
    inputs, work = box
    path = _register_with(inputs, [{3: '=HYPERLINK("http://x","y")', 10: "=1+1", 11: "30/09/2026",
                                    13: "@SUM(A1)"}])
    check_case(["tasks", "report", "--register", str(path), "--period", "2026-Q3", "-o", "bc", "--no-docx"],
               inputs=inputs, work=work, code=0, outputs={"bc"})
    from openpyxl import load_workbook
    book = load_workbook(next((work / "bc").glob("*.xlsx")))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert any(c.value == '=HYPERLINK("http://x","y")' for c in cells)
    assert not any(c.data_type == "f" for c in cells)


def test_a_report_never_replaces_the_register_it_reads(box):
    inputs, work = box
    folder = inputs / "bc"
    folder.mkdir()
    register = folder / "bao-cao-nhiem-vu-2026-Q3.xlsx"
    register.write_bytes((TASKS_DIR / "so-theo-doi-nhiem-vu-2026.xlsx").read_bytes())
    check_case(["tasks", "report", "--register", str(register), "--period", "2026-Q3", "-o", str(folder), "--force",
                "--no-docx"], inputs=inputs, work=work, code=EXIT_OUTPUT, says=("tệp đầu vào", "--force"))


def test_a_failed_report_leaves_no_output(box):
    inputs, work = box
    (work / "bc").mkdir()
    (work / "bc" / "bao-cao-nhiem-vu-2026-Q3.docx").mkdir()  # the .docx cannot be written, after the .xlsx
    check_case(["tasks", "report", "--register", str(REGISTER_CSV), "--period", "2026-Q3", "-o", "bc",
                "--office", OFFICE, "--force"], inputs=inputs, work=work, code=EXIT_OUTPUT, says=("thư mục",))
    assert [p.name for p in (work / "bc").iterdir()] == ["bao-cao-nhiem-vu-2026-Q3.docx"]


def test_a_register_over_the_row_limit_is_refused_quickly(box):
    inputs, work = box
    rows = list(csv.reader(REGISTER_CSV.open(encoding="utf-8-sig"), delimiter=";"))
    path = inputs / "lon.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(rows[0])
        for n in range(200_001):
            row = rows[1 + n % (len(rows) - 1)][:]
            row[3] = f"{n}/UBND-TH"
            writer.writerow(row)
    check_case(["tasks", "status", "--register", str(path), "--as-of", "15/10/2026"], inputs=inputs, work=work,
               code=EXIT_LIMIT, says=("lon.csv", "200.000"), timeout=30)


def test_a_huge_csv_cell(box):
    inputs, work = box
    path = _register_with(inputs, [{10: "x" * 300_000}])
    check_case(["tasks", "status", "--register", str(path), "--as-of", "15/10/2026"], inputs=inputs, work=work,
               code=3, says=("so-nhiem-vu.csv", "100.000 ký tự"))


def test_a_read_only_connection_cannot_write_and_changes_nothing(tmp_path):
    from vanban.errors import ConfigError
    from vanban.store import connect, ensure_schema

    db = tmp_path / "so.sqlite3"
    conn = connect(db)
    ensure_schema(conn, "CREATE TABLE IF NOT EXISTS outgoing (id INTEGER PRIMARY KEY, note TEXT);")
    conn.execute("INSERT INTO outgoing (note) VALUES ('a')")
    conn.close()
    before = db.read_bytes()
    ro = connect(db, readonly=True)
    assert [r["note"] for r in ro.execute("SELECT note FROM outgoing")] == ["a"]
    with pytest.raises(sqlite3.OperationalError):
        ro.execute("INSERT INTO outgoing (note) VALUES ('b')")
    ro.close()
    assert db.read_bytes() == before
    with pytest.raises(ConfigError, match="không tìm thấy sổ"):
        connect(tmp_path / "khong-co.sqlite3", readonly=True)
    assert not (tmp_path / "khong-co.sqlite3").exists()
