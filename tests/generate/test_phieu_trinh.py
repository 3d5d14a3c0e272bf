"""The ``phieu-trinh`` kind: the Văn phòng's review form, laid out like the office's own phiếu
(header table, PHIẾU TRÌNH, Kính gửi, one bordered table with sections I and II, the signature grid)."""

from __future__ import annotations

import zipfile
from collections import Counter

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from vanban.check.rules.format import check_format
from vanban.cli import main
from vanban.errors import ConfigError
from vanban.generate import render_document
from vanban.generate.build_templates import build_all
from vanban.generate.register import list_entries
from vanban.generate.render import BLANK_NUMBER
from vanban.generate.templatecheck import check_template
from vanban.model import Document, LocatedText
from vanban.read import read_file
from vanban.understand import understand

from .conftest import OFFICE_DIR, REPO, assert_properties_in_schema_order, sample_data
from .test_render import all_paragraphs, texts

KIND = "phieu-trinh"


@pytest.fixture(scope="module")
def form(tmp_path_factory, office):
    out = tmp_path_factory.mktemp("phieu")
    return render_document(KIND, sample_data(KIND), out / "phieu.docx", office=office,
                           data_path=OFFICE_DIR / f"{KIND}.yaml")


@pytest.fixture(scope="module")
def lines(form):
    return texts(docx.Document(str(form.path)))


def test_heading_of_the_office_form(form, lines):
    assert form.number is None and form.symbol == "PT-NC"
    # the number stays blank for the office, as on its own phiếu ("Số:         /PT-NC")
    assert f"Số: {BLANK_NUMBER}/PT-NC" in lines
    assert lines[:2] == ["UBND TỈNH LÂM ĐỒNG", "VĂN PHÒNG"]
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "PHIẾU TRÌNH", "Kính gửi:",
                 "- Lãnh đạo UBND tỉnh;", "- Lãnh đạo Văn phòng UBND tỉnh."):
        assert text in lines
    # the phiếu is dated by its signatures: no place-and-date line under the motto
    assert not any(line.startswith("Lâm Đồng, ngày") for line in lines)


def test_sections_say_what_the_data_says(lines):
    assert "I. NỘI DUNG TRÌNH/CHỈ ĐẠO" in lines
    assert ("1. Văn bản/cơ quan, đơn vị: Tờ trình số 15/TTr-SNV ngày 06 tháng 01 năm 2026 của Sở Nội vụ."
            in lines)
    assert "2. Trích yếu: V/v ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026." in lines
    assert "II. RÀ SOÁT, TỔNG HỢP CỦA PHÒNG CHUYÊN MÔN THUỘC VĂN PHÒNG" in lines
    assert "2. Các sở, ban, ngành, đơn vị, địa phương trình (kết quả đề nghị): Sở Nội vụ." in lines
    assert "3. Thẩm quyền (Chọn ghi thẩm quyền tương ứng): Chủ tịch UBND tỉnh." in lines
    assert "4. Phòng chuyên môn của Văn phòng UBND tỉnh đề xuất phương án:" in lines
    basis = next(line for line in lines if line.startswith("- Luật Tổ chức chính quyền địa phương ngày 19"))
    assert "không còn hiệu lực tại ngày 06/01/2026" in basis and basis.endswith(";")
    assert any(line.startswith("- Nghị định số 30/2020/NĐ-CP") and line.endswith(": còn hiệu lực.") for line in lines)
    assert "- Dự thảo: Kế hoạch tuyên truyền cải cách hành chính năm 2026." in lines
    assert "* Kết quả rà soát: Chuyển trả:" in lines
    assert "- Tờ trình do Phó Giám đốc ký mà không ghi “KT.”; cấp phó phải ký thay người đứng đầu." in lines
    assert ("Chuyên viên không thống nhất trình Chủ tịch UBND tỉnh tại thời điểm này; đề xuất Văn phòng UBND tỉnh "
            "chuyển trả hồ sơ, đề nghị Sở Nội vụ hoàn thiện theo các nội dung nêu trên rồi trình lại.") in lines
    assert "5. Độ mật: Không." in lines
    # the option the review proposes is ticked, with its reason before the dotted line
    assert [line for line in lines if line.startswith("4.")][1:] == [
        "4.1. Thống nhất hoàn toàn\t\u2002\u2002", "4.2. Thống nhất\t\u2002\u2002\tSửa:\t\u200b",
        "4.3. Không thống nhất\t\u2009X\u2009\tLý do: hồ sơ chưa bảo đảm các nội dung nêu trên\t\u200b"]


def test_an_accepted_matter_asks_the_leader_for_its_decision(tmp_path, office):
    accepted = dict(sample_data(KIND), signer=None, review={"outcome": "tiep_nhan", "reasons": []})
    lines = texts(docx.Document(str(render_document(KIND, accepted, tmp_path / "a.docx", office=office).path)))
    assert ("Chuyên viên thống nhất đề xuất của Sở Nội vụ. Kính trình Chủ tịch UBND tỉnh xem xét, ban hành Kế "
            "hoạch tuyên truyền cải cách hành chính năm 2026 tỉnh Lâm Đồng.") in lines
    assert "4.1. Thống nhất hoàn toàn\t\u2009X\u2009" in lines
    # the matter is the Chủ tịch's: the leader's box says so when no leader is named
    assert "KÍNH TRÌNH CHỦ TỊCH UBND TỈNH" in lines
    noted = dict(accepted, competence="UBND tỉnh", decision_asked=None,
                 review={"outcome": "tiep_nhan_luu_y", "reasons": ["Hồ sơ không có văn bản góp ý của Sở Tài chính"]})
    lines = texts(docx.Document(str(render_document(KIND, noted, tmp_path / "n.docx", office=office).path)))
    assert ("Chuyên viên thống nhất đề xuất của Sở Nội vụ, với các nội dung lưu ý nêu trên. Kính trình Lãnh đạo "
            "UBND tỉnh xem xét, quyết định.") in lines
    assert "4.2. Thống nhất\t\u2009X\u2009\tSửa: theo các nội dung lưu ý nêu trên\t\u200b" in lines
    assert "KÍNH TRÌNH LÃNH ĐẠO UBND TỈNH" in lines


def test_signature_grid_with_blank_dates(form, lines):
    document = docx.Document(str(form.path))
    grid = document.tables[-1]
    assert grid.rows[1].cells[0].text == "PHÒNG XỬ LÝ CHÍNH: NỘI CHÍNH"
    assert grid.rows[1].cells[2].paragraphs[0].text == "LÃNH ĐẠO VĂN PHÒNG"
    assert [c.paragraphs[0].text for c in grid.rows[2].cells[:2]] == ["Chuyên viên", "Lãnh đạo phòng"]
    leader = grid.rows[3].cells[0]
    assert leader.paragraphs[0].text == "KÍNH TRÌNH PHÓ CHỦ TỊCH UBND TỈNH"
    assert leader.paragraphs[-1].text == "Lê Thị Hồng Nhung"
    # four signatures, four blank dates for the clerk
    assert lines.count("Ngày ….. tháng ….. năm ……") == 4
    # the box of "Văn bản của cơ quan trình" is ticked, the others are empty
    boxes = [r for p in all_paragraphs(document) for r in p.runs if r._r.rPr is not None
             and r._r.rPr.find(qn("w:bdr")) is not None]
    assert Counter(r.text for r in boxes) == {"\u2002\u2002": 8, "\u2009X\u2009": 2}


def test_no_submission_and_no_leader_leave_no_holes(tmp_path, office):
    data = {"unit": "TH", "number": "", "date": "2026-01-09", "submission": None,
            "components": {"missing": ["tờ trình hoặc công văn đề trình"]},
            "review": {"outcome": "chuyen_tra", "reasons": ["Hồ sơ không có tờ trình hoặc công văn đề trình (VB101)"]}}
    result = render_document(KIND, data, tmp_path / "p.docx", office=office)
    lines = texts(docx.Document(str(result.path)))
    joined = "\n".join(lines)
    assert "1. Văn bản/cơ quan, đơn vị: Hồ sơ không có tờ trình hoặc công văn đề trình." in lines
    assert "2. Trích yếu: Không có (hồ sơ không có tờ trình hoặc công văn đề trình)." in lines
    assert ("2. Các sở, ban, ngành, đơn vị, địa phương trình (kết quả đề nghị): Chưa xác định (hồ sơ không có văn "
            "bản trình).") in lines
    assert "Không rà soát được (hồ sơ không có văn bản trình)." in lines
    assert "- Thiếu: tờ trình hoặc công văn đề trình." in lines
    assert "* Đề xuất của cơ quan trình: Không có (hồ sơ không có văn bản trình)." in lines
    assert "PHÒNG XỬ LÝ CHÍNH: TỔNG HỢP" in lines
    assert "KÍNH TRÌNH LÃNH ĐẠO UBND TỈNH" in lines
    assert f"Số: {BLANK_NUMBER}/PT-TH" in lines
    assert "{{" not in joined and "{%" not in joined and "None" not in joined


def test_secret_and_urgent_dossier(tmp_path, office):
    data = dict(sample_data(KIND), secrecy="MẬT", urgency="HỎA TỐC")
    lines = texts(docx.Document(str(render_document(KIND, data, tmp_path / "p.docx", office=office).path)))
    assert "5. Độ mật: Mật; độ khẩn: Hỏa tốc." in lines
    assert "MẬT" in lines and "HỎA TỐC" in lines  # the marks under the number, as on every kind


def test_number_from_the_register(tmp_path, office, db):
    data = dict(sample_data(KIND), number="auto")
    result = render_document(KIND, data, tmp_path / "p.docx", office=office, db_path=db)
    assert result.number == "01" and "Số: 01/PT-NC" in texts(docx.Document(str(result.path)))
    (entry,) = list_entries(db)
    assert entry.number_symbol == "01/PT-NC"
    assert entry.subject == ("Phiếu trình: Tờ trình số 15/TTr-SNV ngày 06 tháng 01 năm 2026 của Sở Nội vụ")


def test_unknown_leader_and_bad_box_are_refused(tmp_path, office):
    with pytest.raises(ConfigError, match="không có người ký 'pct-khac'"):
        render_document(KIND, dict(sample_data(KIND), signer="pct-khac"), tmp_path / "a.docx", office=office)
    with pytest.raises(ConfigError, match="consult"):
        render_document(KIND, dict(sample_data(KIND), consult=["so_noi_vu"]), tmp_path / "b.docx", office=office)
    assert not (tmp_path / "a.docx").exists() and not (tmp_path / "b.docx").exists()


# ---------------------------------------------------------------- read back and format

@pytest.fixture(scope="module")
def understood(form):
    return understand(read_file(form.path))


def test_fields_read_back(understood):
    assert understood.doc_type == "Phiếu trình"
    assert understood.number is not None and understood.number.number is None
    assert understood.number.symbol == "PT-NC"
    assert understood.issuing_agency is not None and understood.issuing_agency.text == "VĂN PHÒNG"
    assert understood.parent_agency is not None and understood.parent_agency.text == "UBND TỈNH LÂM ĐỒNG"
    assert [r.rstrip(";.") for r in understood.recipients] == ["Lãnh đạo UBND tỉnh", "Lãnh đạo Văn phòng UBND tỉnh"]
    assert understood.marks.secrecy is None


def test_format_checks_pass(understood):
    findings = check_format(understood)
    assert findings == [], [f.message for f in findings]


def test_layout_facts_and_format_rules_on_the_layout_alone(form):
    raw = read_file(form.path)
    (page,) = raw.pages
    assert (round(page.width_mm), round(page.height_mm)) == (210, 297)
    assert (page.margin_top_mm, page.margin_bottom_mm, page.margin_left_mm, page.margin_right_mm) == (20, 20, 30, 15)
    assert {run.style.font for block in raw.blocks for run in block.runs if run.text.strip()} == {"Times New Roman"}
    by_text = {block.text: block for block in raw.blocks}
    motto, title = by_text["Độc lập - Tự do - Hạnh phúc"], by_text["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert motto.is_bold and motto.alignment == "center"
    assert raw.blocks[raw.blocks.index(motto) + 1].has_bottom_border
    heading = by_text["PHIẾU TRÌNH"]
    assert heading.is_bold and heading.alignment == "center" and {r.style.size_pt for r in heading.runs} == {14.0}
    # the form's own text is 12 pt, as on the office's phiếu
    first = next(b for b in raw.blocks if b.text.startswith("1. Văn bản/cơ quan"))
    assert {r.style.size_pt for r in first.runs} == {12.0}
    document = Document(source=raw, national_title=LocatedText(title.text, title.location),
                        motto=LocatedText(motto.text, motto.location))
    assert check_format(document) == []


# ---------------------------------------------------------------- the template itself

def test_shipped_template_is_what_the_builder_makes(tmp_path):
    build_all(tmp_path)
    with zipfile.ZipFile(tmp_path / f"{KIND}.docx") as fresh, \
            zipfile.ZipFile(REPO / "templates" / f"{KIND}.docx") as shipped:
        assert fresh.read("word/document.xml") == shipped.read("word/document.xml")


def test_template_check_finds_nothing():
    report = check_template(REPO / "templates" / f"{KIND}.docx")
    assert report.ok, [p.message for p in report.problems]
    assert {"submission_line", "legal_bases", "review", "boxes", "leader_title"} <= set(report.variables)


def test_properties_in_schema_order_without_duplicates(form):
    assert_properties_in_schema_order(form.path)


def test_generate_command(tmp_path):
    out = tmp_path / "phieu.docx"
    args = ["generate", KIND, "--data", str(OFFICE_DIR / f"{KIND}.yaml"), "--office", str(OFFICE_DIR / "vanban.yaml"),
            "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"Đã soạn {out} (số {BLANK_NUMBER}/PT-NC)" in result.output
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 4 and "dùng --force để ghi đè" in again.output
