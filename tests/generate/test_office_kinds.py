"""What a Văn phòng drafts every day (quyết định, tờ trình, giấy mời, thông báo kết luận): rendered from
the sample data, read back by vanban's own reader and understanding layer, checked against Nghị định 30."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from vanban.check.rules.format import check_format
from vanban.cli import main
from vanban.errors import EXIT_CONFIG, ConfigError
from vanban.generate import build_context, render_document
from vanban.generate.build_templates import build_all
from vanban.generate.office_kinds import authority_lines
from vanban.generate.render import issuer, kind_spec
from vanban.generate.templatecheck import check_template
from vanban.read import read_file
from vanban.text import fold, squash_spaces
from vanban.understand import understand

from .conftest import OFFICE_DIR, REPO, assert_properties_in_schema_order, sample_data
from .test_realdocs_layout import office_practice  # noqa: F401 (a fixture)
from .test_realdocs_layout import test_header_matches_office_practice as _header_matches_office_practice
from .test_render import texts

OFFICE_KINDS = ["quyet-dinh", "to-trinh", "giay-moi", "thong-bao-ket-luan"]
EXPECTED = {  # symbol, type name in the heading, issuing agency as read, authority lines above the position
    "quyet-dinh": ("QĐ-UBND", "QUYẾT ĐỊNH", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "KT. CHỦ TỊCH"),
    "to-trinh": ("TTr-VP", "TỜ TRÌNH", "VĂN PHÒNG", None),
    "giay-moi": ("GM-UBND", "GIẤY MỜI", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
                 "TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG"),
    "thong-bao-ket-luan": ("TB-UBND", "THÔNG BÁO", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
                           "TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG"),
}


def _render(kind, tmp_path, office, **changes):
    data = dict(sample_data(kind), **changes)
    data = {k: v for k, v in data.items() if v is not ...}  # ``key=...`` removes a key
    out = tmp_path / f"{kind}-{len(list(tmp_path.iterdir()))}.docx"
    return render_document(kind, data, out, office=office, db_path=tmp_path / "db.sqlite3")


def _lines(result) -> list[str]:
    return texts(docx.Document(str(result.path)))


def _understood(result):
    return understand(read_file(result.path))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, office):
    """Each sample, numbered by the register, with what vanban reads back from it."""
    out = tmp_path_factory.mktemp("office-kinds")
    made = [render_document(kind, sample_data(kind), out / f"{kind}.docx", office=office, db_path=out / "db.sqlite3",
                            data_path=OFFICE_DIR / f"{kind}.yaml") for kind in OFFICE_KINDS]
    return {g.kind: (g, _understood(g)) for g in made}


@pytest.mark.parametrize("kind", OFFICE_KINDS)
def test_fields_read_back(rendered, office, kind):
    generated, document = rendered[kind]
    data = sample_data(kind)
    symbol, _, agency, authority = EXPECTED[kind]
    assert generated.symbol == symbol
    assert document.number is not None
    assert (document.number.number, document.number.symbol) == (generated.number, symbol)
    assert document.date is not None and document.date.date == generated.date
    assert document.date.place == office.place
    assert document.doc_type == kind_spec(kind).doc_type
    assert document.issuing_agency is not None and squash_spaces(document.issuing_agency.text) == agency
    assert fold(squash_spaces(document.subject.text)) == fold(data["subject"])
    assert [squash_spaces(r).rstrip(";.") for r in document.recipients] == data.get("recipients", [])
    signer = office.signer(data["signer"])
    assert document.signature is not None
    assert document.signature.signer_name == signer.name
    assert document.signature.position == signer.position
    assert document.signature.authority_text == authority
    assert document.archive == f"VT, {data['unit']}"


@pytest.mark.parametrize("kind", OFFICE_KINDS)
def test_word_opens_it(rendered, kind):
    """Property elements once each and in schema order (Word refuses the file otherwise)."""
    assert_properties_in_schema_order(rendered[kind][0].path)


def test_the_van_phong_issues_its_own_to_trinh(rendered):
    _, document = rendered["to-trinh"]
    assert document.parent_agency is not None and document.parent_agency.text == "UBND TỈNH LÂM ĐỒNG"


@pytest.mark.parametrize("kind", OFFICE_KINDS)
def test_format_checks_pass(rendered, kind):
    _, document = rendered[kind]
    findings = check_format(document)
    assert findings == [], [f.message for f in findings]


@pytest.mark.parametrize("kind", OFFICE_KINDS)
def test_layout_as_read(rendered, kind):
    """A4 portrait, margins 20/20/30/15 mm, Times New Roman only, page numbers from page 2, body 14 pt
    justified with a 1.27 cm first-line indent and at least 6 pt after, the body ending with ``./.``."""
    generated, document = rendered[kind]
    raw = document.source
    (page,) = raw.pages
    assert (round(page.width_mm), round(page.height_mm)) == (210, 297)
    assert (page.margin_top_mm, page.margin_bottom_mm, page.margin_left_mm, page.margin_right_mm) == (20, 20, 30, 15)
    assert page.has_page_numbers and page.page_number_on_first_page is False
    assert {run.style.font for block in raw.blocks for run in block.runs if run.text.strip()} == {"Times New Roman"}
    body = [b for b in raw.blocks if b.location.part == "body" and b.alignment == "justify" and b.text.strip()]
    assert len(body) >= 4
    assert all(abs(b.first_line_indent_cm - 1.27) < 0.01 for b in body)
    assert all({r.style.size_pt for r in b.runs if r.text.strip()} == {14.0} for b in body)
    assert all(b.space_after_pt >= 6 for b in body)
    ends = [line for line in _lines(generated) if line.endswith("./.")]
    assert len(ends) == 1 and ends[0] == body[-1].text
    joined = "\n".join(_lines(generated))
    assert "{{" not in joined and "{%" not in joined and "None" not in joined
    heading = EXPECTED[kind][1]
    title = next(b for b in raw.blocks if b.text == heading)
    assert title.is_bold and title.alignment == "center"


def test_quyet_dinh_as_mau_1_4(rendered):
    generated, document = rendered["quyet-dinh"]
    lines = _lines(generated)
    raw = document.source
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG" in lines  # a decision of the Chủ tịch
    bases = [b for b in raw.blocks if b.text.startswith(("Căn cứ", "Theo đề nghị"))]
    assert [b.text[-1] for b in bases] == [";", ";", "."]
    assert all(b.is_italic for b in bases)
    assert bases[-1].text.startswith("Theo đề nghị của Chánh Văn phòng UBND tỉnh tại Tờ trình số 45/TTr-VP")
    assert lines.index("QUYẾT ĐỊNH:") > lines.index(bases[-1].text)
    articles = [line for line in lines if line.startswith("Điều ")]
    assert [a.split(".")[0] for a in articles] == ["Điều 1", "Điều 2", "Điều 3", "Điều 4"]
    assert articles[2] == "Điều 3. Quyết định này có hiệu lực kể từ ngày ký."
    assert articles[3] == ("Điều 4. Chánh Văn phòng UBND tỉnh; Giám đốc các sở: Nội vụ, Tài chính; Thủ trưởng các "
                           "cơ quan, đơn vị có liên quan và các thành viên Tổ công tác chịu trách nhiệm thi hành "
                           "Quyết định này./.")
    assert document.distribution[0] == "Như Điều 4"
    # the checker reads the law in the căn cứ (and judges it in force at the decision's date)
    assert [(c.doc_type, c.issued) for c in document.legal_bases] == [("Luật", dt.date(2025, 6, 16))]


@pytest.mark.parametrize("decided_by, signer, heading, authority", [
    ("ubnd", "pct-tong-hop", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"),
    ("ubnd", "chu-tich", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "TM. ỦY BAN NHÂN DÂN"),
    ("chu-tich", "chu-tich", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", None),
])
def test_quyet_dinh_signature_follows_who_decides(tmp_path, office, decided_by, signer, heading, authority):
    result = _render("quyet-dinh", tmp_path, office, decided_by=decided_by, signer=signer)
    assert heading in _lines(result)
    document = _understood(result)
    assert document.signature.authority_text == authority
    assert document.signature.position == office.signer(signer).position


def test_quyet_dinh_words_the_preamble_as_nd30_does(tmp_path, office):
    """Căn cứ and Theo đề nghị begin their lines even when the data leaves them out; V/v is for công văn."""
    result = _render("quyet-dinh", tmp_path, office, subject="V/v  thành lập Tổ công tác",
                     bases=["Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;", "căn cứ Quy chế làm việc"],
                     proposal="Giám đốc Sở Nội vụ tại Tờ trình số 12/TTr-SNV ngày 05 tháng 01 năm 2026.")
    lines = _lines(result)
    assert "Về việc thành lập Tổ công tác" in lines
    assert [line for line in lines if fold(line).startswith(("can cu", "theo de nghi"))] == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;", "Căn cứ Quy chế làm việc;",
        "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 12/TTr-SNV ngày 05 tháng 01 năm 2026."]


def test_quyet_dinh_without_effect_article_or_proposal(tmp_path, office):
    result = _render("quyet-dinh", tmp_path, office, effect=None, proposal=..., distribution=["Như Điều 3", "Sở Nội vụ"])
    lines = _lines(result)
    assert [line.split(".")[0] for line in lines if line.startswith("Điều ")] == ["Điều 1", "Điều 2", "Điều 3"]
    assert "Căn cứ Quy chế làm việc của Ủy ban nhân dân tỉnh Lâm Đồng." in lines
    # the Nơi nhận names the executing article once, whatever the data wrote
    assert [line for line in lines if line.startswith("- Như Điều")] == ["- Như Điều 3;"]


def test_to_trinh_of_the_van_phong(rendered, tmp_path, office):
    generated, _ = rendered["to-trinh"]
    lines = _lines(generated)
    assert "UBND TỈNH LÂM ĐỒNG" in lines and "VĂN PHÒNG" in lines and "ỦY BAN NHÂN DÂN" not in lines
    assert "Kính gửi: Chủ tịch UBND tỉnh" in lines
    assert ("Văn phòng UBND tỉnh kính trình Chủ tịch UBND tỉnh xem xét việc thành lập Tổ công tác rà soát, đôn đốc "
            "thực hiện nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao năm 2026, cụ thể như sau:") in lines
    assert [line for line in lines if line.startswith("Căn cứ")][-1].endswith("Lâm Đồng.")
    headings = [line for line in lines if line[:4] in ("I. S", "II. ", "III.")]
    assert headings == ["I. SỰ CẦN THIẾT", "II. NỘI DUNG ĐỀ XUẤT", "III. KIẾN NGHỊ"]
    assert lines[lines.index("III. KIẾN NGHỊ") + 2] == \
        "Văn phòng UBND tỉnh kính trình Chủ tịch UBND tỉnh xem xét, quyết định./."
    # a deputy signs KT.; the same tờ trình issued by the UBND takes the UBND's header and symbol
    deputy = _understood(_render("to-trinh", tmp_path, office, signer="pho-chanh-van-phong"))
    assert (deputy.signature.authority_text, deputy.signature.position) == \
        ("KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG")
    by_ubnd = _render("to-trinh", tmp_path, office, issued_by="ubnd", signer="chu-tich")
    assert by_ubnd.symbol == "TTr-UBND"
    assert "ỦY BAN NHÂN DÂN" in _lines(by_ubnd)


def test_giay_moi_says_who_when_where(rendered, tmp_path, office):
    generated, _ = rendered["giay-moi"]
    lines = _lines(generated)
    assert "UBND tỉnh tổ chức cuộc họp với thành phần, nội dung, thời gian và địa điểm như sau:" in lines
    invitees = lines[lines.index("I. Thành phần dự họp") + 1:lines.index("I. Thành phần dự họp") + 4]
    assert invitees[0] == "- Đồng chí Lê Thị Hồng Nhung - Phó Chủ tịch UBND tỉnh: chủ trì;"
    assert invitees[-1] == "- Lãnh đạo Văn phòng UBND tỉnh, Phòng Tổng hợp."
    # 29/01/2026 is a Thursday
    assert "1. Thời gian: 01 buổi, bắt đầu lúc 08 giờ 00, ngày 29 tháng 01 năm 2026 (thứ Năm)." in lines
    assert "2. Địa điểm: Phòng họp số 2, trụ sở UBND tỉnh." in lines
    assert "IV. Phân công chuẩn bị" in lines
    # a leader signing it himself: no TL.; issued by the Văn phòng: its own symbol, KT. without TL.
    leader = _understood(_render("giay-moi", tmp_path, office, signer="pct-kinh-te", preparation=[]))
    assert leader.signature.authority_text == "KT. CHỦ TỊCH"
    by_office = _render("giay-moi", tmp_path, office, issued_by="van-phong", time="14g30", duration=...)
    assert by_office.symbol == "GM-VP"
    lines = _lines(by_office)
    assert ("Văn phòng UBND tỉnh trân trọng kính mời dự cuộc họp với thành phần, nội dung, thời gian và địa điểm "
            "như sau:") in lines
    assert "1. Thời gian: 14 giờ 30, ngày 29 tháng 01 năm 2026 (thứ Năm)." in lines
    assert _understood(by_office).signature.authority_text == "KT. CHÁNH VĂN PHÒNG"


def test_giay_moi_for_a_meeting_already_held_is_refused(tmp_path, office):
    with pytest.raises(ConfigError) as info:
        _render("giay-moi", tmp_path, office, meeting_date="2026-01-20")
    assert "ngày họp (20/01/2026) trước ngày ban hành giấy mời (26/01/2026)" in info.value.message
    assert list(tmp_path.glob("*.docx")) == []


def test_thong_bao_ket_luan_numbers_the_conclusions(rendered, tmp_path, office):
    generated, document = rendered["thong-bao-ket-luan"]
    lines = _lines(generated)
    assert lines[lines.index("THÔNG BÁO") + 3].startswith(
        "Ngày 29 tháng 01 năm 2026, Phó Chủ tịch UBND tỉnh Lê Thị Hồng Nhung chủ trì cuộc họp nghe báo cáo")
    assert ("Sau khi nghe Văn phòng UBND tỉnh báo cáo và ý kiến phát biểu của các đại biểu dự họp, Phó Chủ tịch "
            "UBND tỉnh kết luận như sau:") in lines
    numbered = [line.split(".")[0] for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert numbered == ["1", "2", "3"]
    assert "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị liên quan biết, thực hiện./." in lines
    # the heading paragraph of a conclusion with points under it is bold; a one-line conclusion is not
    raw = document.source
    assert next(b for b in raw.blocks if b.text == "1. Đánh giá chung").is_bold
    assert not next(b for b in raw.blocks if b.text.startswith("3. Giao Sở Nội vụ")).is_bold
    by_office = _render("thong-bao-ket-luan", tmp_path, office, issued_by="van-phong")
    assert by_office.symbol == "TB-VP"
    assert _understood(by_office).signature.authority_text == "KT. CHÁNH VĂN PHÒNG"


def test_unknown_chair_and_missing_field_are_named(tmp_path, office):
    with pytest.raises(ConfigError) as info:
        _render("giay-moi", tmp_path, office, chair="pct-van-xa")
    assert info.value.message.startswith("trường 'chair': không có người ký 'pct-van-xa'")
    with pytest.raises(ConfigError) as info:
        _render("quyet-dinh", tmp_path, office, executors=...)
    assert "executors" in info.value.message
    assert list(tmp_path.glob("*.docx")) == []


def test_context_names_cover_the_templates():
    """``vanban template check`` finds no split tag and no variable the context does not give."""
    for kind in OFFICE_KINDS:
        report = check_template(REPO / "templates" / f"{kind}.docx")
        assert report.problems == [], (kind, [p.message for p in report.problems])


def test_context_is_a_pure_function_of_the_data(office):
    for kind in OFFICE_KINDS:
        first = build_context(kind, sample_data(kind), office, number="05", date=dt.date(2026, 1, 27))
        second = build_context(kind, sample_data(kind), office, number="05", date=dt.date(2026, 1, 27))
        assert first == second


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("fresh-templates")
    build_all(out)
    return out


def _document_xml(path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml")


@pytest.mark.parametrize("kind", OFFICE_KINDS)
def test_shipped_template_is_what_the_builder_makes(fresh_build, kind):
    assert _document_xml(fresh_build / f"{kind}.docx") == _document_xml(REPO / "templates" / f"{kind}.docx")


@pytest.mark.libreoffice
def test_cli_generates_docx_and_pdf(tmp_path, soffice):
    """``vanban generate <kind> --data … --office … -o … --pdf``: a real A4 PDF with the number; the signer's
    name never stands on a page without the end of the body (``./.``)."""
    old = os.getcwd()
    os.chdir(tmp_path)
    pages = {}
    try:
        for kind in OFFICE_KINDS:
            result = CliRunner().invoke(main, ["generate", kind, "--data", str(OFFICE_DIR / f"{kind}.yaml"),
                                               "--office", str(OFFICE_DIR / "vanban.yaml"), "-o", f"{kind}.docx",
                                               "--number", "3", "--pdf"], catch_exceptions=False)
            assert result.exit_code == 0, result.output
            reader = PdfReader(str(tmp_path / f"{kind}.pdf"))
            box = reader.pages[0].mediabox
            assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
            assert f"03/{EXPECTED[kind][0]}" in reader.pages[0].extract_text()
            signer = sample_data(kind)["signer"]
            name = {"pct-tong-hop": "Lê Thị Hồng Nhung", "chanh-van-phong": "Nguyễn Thanh Hải",
                    "pho-chanh-van-phong": "Võ Thị Minh Thư"}[signer]
            last = reader.pages[-1].extract_text()
            assert name in last and "./." in last, kind
            pages[kind] = len(reader.pages)
    finally:
        os.chdir(old)
    assert pages["giay-moi"] == pages["thong-bao-ket-luan"] == 1  # the samples fit on one page


def test_cli_names_the_data_file_and_writes_nothing(tmp_path):
    data = tmp_path / "moi-hop.yaml"
    data.write_text((OFFICE_DIR / "giay-moi.yaml").read_text(encoding="utf-8").replace(
        "meeting_date: 2026-01-29", "meeting_date: 20/01/2026"), encoding="utf-8")
    before = data.read_bytes()
    result = CliRunner().invoke(main, ["generate", "giay-moi", "--data", str(data), "--office",
                                       str(OFFICE_DIR / "vanban.yaml"), "-o", str(tmp_path / "moi.docx")])
    assert result.exit_code == EXIT_CONFIG
    assert f"{data}: ngày họp (20/01/2026) trước ngày ban hành giấy mời (26/01/2026)" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["moi-hop.yaml"] and data.read_bytes() == before


def test_checker_accepts_the_to_trinh_with_its_draft_quyet_dinh(tmp_path, office):
    """The Văn phòng's own submission, as vanban writes it, passes vanban's own check: the tờ trình and the
    unnumbered draft of the quyết định it proposes make a dossier the office accepts."""
    from vanban.check.engine import CheckSettings, Checker
    from vanban.check.model import OUTCOME_ACCEPT

    folder = tmp_path / "ho-so"
    folder.mkdir()
    render_document("to-trinh", sample_data("to-trinh"), folder / "Tờ trình 45.docx", office=office)
    render_document("quyet-dinh", dict(sample_data("quyet-dinh"), number=""), folder / "Dự thảo Quyết định.docx",
                    office=office)
    result = Checker(CheckSettings()).check(folder)
    assert result.decision.outcome == OUTCOME_ACCEPT, result.decision.reasons
    assert (result.submission.doc_type, result.submission.number, result.submission.signer) == \
        ("Tờ trình", "45/TTr-VP", "Nguyễn Thanh Hải")
    assert [f.rule_id for f in result.findings if f.severity in ("error", "warning")] == []


@pytest.mark.parametrize("changes, authority, position", [
    ({"signer": "chanh-van-phong"}, "TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
    ({"signer": "chu-tich"}, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    ({"authority": ["TUQ. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"]}, "TUQ. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG",
     "PHÓ CHÁNH VĂN PHÒNG"),
    ({"signer": "chu-tich", "authority": None}, None, "CHỦ TỊCH"),
])
def test_thong_bao_signature_lines(tmp_path, office, changes, authority, position):
    """The Chánh Văn phòng signs TL. alone; a leader signs with the profile's authority; the data may replace
    the lines or, with ``authority: null``, drop them."""
    signature = _understood(_render("thong-bao-ket-luan", tmp_path, office, **changes)).signature
    assert (signature.authority_text, signature.position) == (authority, position)


def test_web_form_speaks_vietnamese(office):
    """The web form built from each schema labels every field in Vietnamese; the chair is chosen among the
    office's signers."""
    from vanban.web.compose import form_fields

    for kind in OFFICE_KINDS:
        fields = form_fields(kind, office)
        assert [f.name for f in fields if f.label == f.name] == [], kind
        choices = {f.name: [label for _, label in f.options[1:]] for f in fields
                   if f.name in ("issued_by", "decided_by")}
        assert choices == ({"decided_by": ["Ủy ban nhân dân", "Chủ tịch Ủy ban nhân dân"]} if kind == "quyet-dinh"
                           else {"issued_by": ["Ủy ban nhân dân", "Văn phòng Ủy ban nhân dân"]})
        chair = [f for f in fields if f.name == "chair"]
        if chair:
            assert chair[0].widget == "select"
            assert [key for key, _ in chair[0].options] == [s.key for s in office.signers]


_DECIDER = re.compile(r"(CHỦ TỊCH )?(ỦY|UỶ) BAN NHÂN DÂN (TỈNH|THÀNH PHỐ) [A-ZÀ-Ỹ ]+")


def test_signature_rule_holds_on_the_real_quyet_dinh(realdocs, office):
    """On the corpus's quyết định (.docx), the line under the trích yếu says who decides (``CHỦ TỊCH ỦY BAN NHÂN
    DÂN TỈNH …`` or ``ỦY BAN NHÂN DÂN TỈNH …``); for that decider and the signer's position, the lines vanban
    writes above the position are the ones the office wrote — in every file but one draft whose heading gives the
    decision to the Chủ tịch while it is signed ``TM. ỦY BAN NHÂN DÂN`` (a fault in that draft)."""
    by = issuer(kind_spec("quyet-dinh"), {}, office)
    signers = {"CHỦ TỊCH": office.signer("chu-tich"), "PHÓ CHỦ TỊCH": office.signer("pct-tong-hop")}
    checked, differ = 0, []
    for path in sorted(realdocs.rglob("*.docx")):
        document = understand(read_file(path))
        signature = document.signature
        if document.doc_type != "Quyết định" or signature is None or len(signature.positions) != 1:
            continue
        heading = next((b.text.strip() for b in document.source.blocks if _DECIDER.fullmatch(b.text.strip())), None)
        if heading is None or signature.positions[0] not in signers:
            continue
        decided_by = "chu-tich" if heading.startswith("CHỦ TỊCH") else "ubnd"
        ours = " / ".join(authority_lines(signers[signature.positions[0]], by, office, decided_by=decided_by))
        checked += 1
        if (ours or None) != signature.authority_text:
            differ.append(path.relative_to(realdocs).as_posix())
    assert checked == 29
    assert differ == ["dossiers/Tờ trình 511/BC UBND/QUYẾT ĐỊNH PHÊ DUYỆT CỦA UBND TỈNH.docx"]


@pytest.mark.libreoffice
@pytest.mark.parametrize("pattern, kind, signer", [
    ("Giay moi*.doc", "giay-moi", "pho-chanh-van-phong"),  # 45/GM-UBND, signed for the Chủ tịch by the Văn phòng
    ("UB- Thong bao*.doc", "thong-bao-ket-luan", "pct-tong-hop"),  # a thông báo of the UBND signed by a PCT
])
def test_signature_rule_holds_on_the_real_giay_moi_and_thong_bao(realdocs, soffice, tmp_path, office, pattern, kind,
                                                                 signer):
    """The corpus's giấy mời and thông báo of the UBND: what vanban writes for the same kind of signer reads back
    with the signature lines the office wrote."""
    (path,) = sorted(realdocs.rglob(pattern))
    theirs = understand(read_file(path)).signature
    ours = _understood(_render(kind, tmp_path, office, signer=signer)).signature
    assert (ours.authority_text, ours.positions) == (theirs.authority_text, theirs.positions)
    assert ours.authority_text in ("TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG", "KT. CHỦ TỊCH")


@pytest.mark.parametrize("kind", OFFICE_KINDS)
def test_header_matches_office_practice(office_practice, tmp_path, office, kind):
    """National title, motto, number and place-date lines styled as in most of the corpus's real .docx."""
    _header_matches_office_practice(office_practice, tmp_path, office, kind)
