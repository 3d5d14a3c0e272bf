"""Reading real register files: .xlsx (Excel dates, title rows, several sheets), .csv (; and ,), .json."""

from __future__ import annotations

import datetime as dt

import pytest

from vanban.errors import ReadError
from vanban.tasks.register import load_register, stable_id

from .helpers import HEADERS, row, write_csv, write_json, write_xlsx

D = dt.date

ROWS = [
    row(1, "15/QĐ-UBND", D(2026, 1, 5), "Sở Nội vụ", "Tham mưu kế hoạch cải cách hành chính", D(2026, 2, 13),
        coordinators="Sở Tài chính; Sở Tư pháp"),
    row(2, "22/UBND-TH", "07/01/2026", "Sở Tài chính", "Báo cáo tình hình giải ngân vốn đầu tư công",
        "2026-02-27", completed="26/02/2026", result="Đã có Báo cáo số 45/BC-STC"),
    row(3, "3/TB-UBND", D(2026, 1, 8), "Công an tỉnh", "Bảo đảm an ninh trật tự dịp Tết", None),
    row(4, "5/CT-UBND", D(2026, 1, 9), "Sở Y tế", "Phòng chống dịch", "31/02/2026"),              # impossible date
    row(5, "9/QĐ-UBND", D(2026, 1, 9), "Sở Xây dựng", "Nhiệm vụ mật", D(2026, 3, 1), secrecy="Mật"),
    row(6, None, D(2026, 1, 12), "Sở Y tế", "Không có số ký hiệu", D(2026, 3, 1)),                 # missing symbol
    row(7, "10/QĐ-UBND", D(2026, 1, 12), "Sở Xây dựng", "Nhiệm vụ tối mật", None, secrecy="TỐI MẬT"),
    row(8, "11/QĐ-UBND", D(2026, 2, 2), "Sở Y tế", "Hạn trước ngày ban hành", D(2026, 1, 30)),
    row(9, "12/QĐ-UBND", D(2026, 2, 2), "Sở Y tế", "Hạn mới không có ngày đề nghị", D(2026, 3, 2),
        new_deadline=D(2026, 3, 20)),
    row(10, "15/QĐ-UBND", D(2026, 1, 5), "Sở Nội vụ", "Tham mưu kế hoạch cải cách hành chính", D(2026, 2, 20)),  # dup
]


def check_load(load, where_prefix):
    assert [t.symbol for t in load.tasks] == ["15/QĐ-UBND", "22/UBND-TH", "3/TB-UBND"]
    first, second, third = load.tasks
    assert first.issued == D(2026, 1, 5) and first.deadline == D(2026, 2, 13)
    assert first.coordinators == ("Sở Tài chính", "Sở Tư pháp")
    assert second.completed == D(2026, 2, 26) and second.deadline == D(2026, 2, 27)
    assert third.deadline is None
    assert first.id == stable_id("15/QĐ-UBND", D(2026, 1, 5), "Sở Nội vụ", "Tham mưu kế hoạch cải cách hành chính")
    problems = {p.where.split("dòng ")[-1] if "dòng" in p.where else p.where: p for p in load.problems}
    return problems


def test_xlsx_with_title_rows_reports_bad_rows_by_sheet_and_row(tmp_path):
    path = write_xlsx(tmp_path / "so.xlsx", ROWS, title_rows=[["SỔ THEO DÕI NHIỆM VỤ NĂM 2026"], []])
    load = load_register(path)
    problems = check_load(load, "Trang tính")
    # header on row 3, data from row 4: ROWS[3] (impossible date) is on row 7
    assert {int(k) for k in problems} == {7, 8, 9, 10, 11, 12, 13}
    assert str(problems["7"]) == ("Trang tính 'Sổ nhiệm vụ', dòng 7: cột 'Hạn xử lý': ngày không có thật: "
                                  "'31/02/2026'")
    assert problems["8"].refused_secret and "văn bản Mật" in problems["8"].message
    assert problems["10"].refused_secret and "Tối mật" in problems["10"].message
    assert problems["9"].message == "thiếu 'Số, ký hiệu'"
    assert problems["11"].message == "hạn xử lý 30/01/2026 trước ngày ban hành 02/02/2026"
    assert "thiếu 'Ngày đề nghị gia hạn'" in problems["12"].message
    assert "trùng nhiệm vụ ở Trang tính 'Sổ nhiệm vụ', dòng 4" in problems["13"].message
    assert len(load.refused_secret) == 2


def test_csv_semicolon_utf8_sig_and_comma_plain(tmp_path):
    for delimiter, encoding in ((";", "utf-8-sig"), (",", "utf-8")):
        path = write_csv(tmp_path / f"so{encoding}.csv", ROWS, delimiter=delimiter, encoding=encoding)
        load = load_register(path)
        problems = check_load(load, "Tệp CSV")
        assert {int(k) for k in problems} == {5, 6, 7, 8, 9, 10, 11}
        assert str(problems["5"]).startswith("Tệp CSV, dòng 5: cột 'Hạn xử lý'")


def test_csv_with_iso_dates_and_headers_without_accents(tmp_path):
    headers = [h.upper() for h in HEADERS]
    headers[1], headers[7] = "So ky hieu", "han xu ly"
    path = write_csv(tmp_path / "so.csv", ROWS[:3], headers=headers, iso=True)
    load = load_register(path)
    assert [t.deadline for t in load.tasks] == [D(2026, 2, 13), D(2026, 2, 27), None]
    assert load.problems == ()


def test_csv_with_a_title_line_above_the_header(tmp_path):
    path = write_csv(tmp_path / "so.csv", ROWS[:3])
    text = path.read_text(encoding="utf-8-sig")
    path.write_text("SỔ THEO DÕI NHIỆM VỤ NĂM 2026\n\n" + text, encoding="utf-8-sig")
    load = load_register(path)
    assert [t.symbol for t in load.tasks] == ["15/QĐ-UBND", "22/UBND-TH", "3/TB-UBND"]
    assert load.tasks[0].source == "Tệp CSV, dòng 4"


def test_json_register(tmp_path):
    load = load_register(write_json(tmp_path / "so.json", ROWS))
    problems = check_load(load, "Mục")
    assert {int(k.split()[-1]) for k in problems} == {4, 5, 6, 7, 8, 9, 10}


def test_explicit_id_column_wins(tmp_path):
    headers = ["Mã", *HEADERS]
    path = write_xlsx(tmp_path / "so.xlsx", [["NV-001", *ROWS[0]], ["NV-002", *ROWS[1]]], headers=headers)
    assert [t.id for t in load_register(path).tasks] == ["NV-001", "NV-002"]


def test_stable_id_ignores_result_and_deadline_changes(tmp_path):
    before = load_register(write_xlsx(tmp_path / "a.xlsx", ROWS[:1])).tasks[0]
    changed = list(ROWS[0])
    changed[7], changed[9] = D(2026, 3, 1), "Đang thực hiện"
    after = load_register(write_xlsx(tmp_path / "b.xlsx", [changed])).tasks[0]
    assert before.id == after.id


def test_header_found_on_a_later_sheet(tmp_path):
    path = tmp_path / "so.xlsx"
    write_xlsx(path, [], headers=["Ghi chú chung"], sheet="Hướng dẫn",
               extra_sheets=[("Nhiệm vụ", [HEADERS, *ROWS[:2]])])
    load = load_register(path)
    assert [t.source for t in load.tasks] == ["Trang tính 'Nhiệm vụ', dòng 2", "Trang tính 'Nhiệm vụ', dòng 3"]


def test_unreadable_files_name_the_problem(tmp_path):
    no_header = write_csv(tmp_path / "x.csv", [["a", "b"]], headers=["Cột 1", "Cột 2"])
    with pytest.raises(ReadError, match="không tìm thấy dòng tiêu đề"):
        load_register(no_header)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(";".join(HEADERS).encode("cp1258", errors="replace") + b"\n\xe0\xe1\n")
    with pytest.raises(ReadError, match="không phải UTF-8"):
        load_register(latin)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ReadError, match="không mở được tệp Excel"):
        load_register(broken)
    with pytest.raises(ReadError, match="không hỗ trợ định dạng '.ods'"):
        load_register(tmp_path / "x.ods") if (tmp_path / "x.ods").write_text("x") else None
    with pytest.raises(ReadError, match="không tìm thấy tệp"):
        load_register(tmp_path / "missing.xlsx")


def test_the_input_file_is_not_modified(tmp_path):
    path = write_xlsx(tmp_path / "so.xlsx", ROWS)
    before = path.read_bytes()
    load_register(path)
    assert path.read_bytes() == before


def test_xml_entity_declarations_in_a_workbook_are_refused(tmp_path):
    """A register is a file from outside: an .xlsx carrying a DTD with entities (billion laughs) is not parsed."""
    import zipfile

    good = write_xlsx(tmp_path / "so.xlsx", ROWS[:3])
    with zipfile.ZipFile(good) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/sheet"))
    body = parts[sheet].decode("utf-8")
    body = body[body.index("?>") + 2:] if body.startswith("<?xml") else body
    laughs = ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w [<!ENTITY a "ha">'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(6)) + "]>")
    parts[sheet] = (laughs + body.replace("Sở Nội vụ", "&g;", 1)).encode("utf-8")
    bomb = tmp_path / "so-bom.xlsx"
    with zipfile.ZipFile(bomb, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    with pytest.raises(ReadError, match="khai báo XML không an toàn"):
        load_register(bomb)
