"""A draft phiếu trình written from a checked dossier (``vanban check --review-form``).

The dossiers are the sample ones of ``fixtures/build_dossiers.py``, written to tmp_path and read
through the real pipeline; every form is written to disk by the code and read back with vanban's
own reader."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import build_dossiers as bd
import jsonschema
import pytest

from vanban.check.engine import CheckSettings, Checker, check_many
from vanban.check.report import to_json
from vanban.check.report.review_form import (agency_name, form_file_name, review_form_data, subject_vv,
                                             write_review_form)
from vanban.check.rules.format import check_format
from vanban.generate import load_office
from vanban.read import read_file
from vanban.resources import load_schema
from vanban.text import fold
from vanban.understand import parse_citation, understand

REPO = Path(__file__).resolve().parents[2]
OFFICE = REPO / "fixtures" / "office" / "vanban.yaml"
SAMPLES = {s.folder[:2]: s for s in bd.SAMPLES}


@pytest.fixture(scope="module")
def office():
    return load_office(OFFICE)


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory):
    out = tmp_path_factory.mktemp("dossiers")
    return {key: bd.build_sample(sample, out) for key, sample in SAMPLES.items()}


@pytest.fixture(scope="module")
def results(dossiers, pipeline):
    checker = Checker(CheckSettings(review=True))
    return {key: checker.check(path) for key, path in dossiers.items()}


def _lines(path: Path) -> list[str]:
    """The form as vanban's reader sees it: one text per paragraph, in reading order."""
    return [b.text for b in read_file(path).blocks]


def _ticked(lines: list[str]) -> list[str]:
    """The options 4.1–4.3 whose box holds an X."""
    return [line.split("\t")[0].strip() for line in lines
            if re.match(r"4\.[123]\. ", line) and re.search(r"\bX\b", line.split("\t", 2)[1] if "\t" in line else "")]


def _after_colon(line: str) -> str:
    return line.split(":", 1)[1].strip()


@pytest.fixture(scope="module")
def forms(results, office, tmp_path_factory):
    out = tmp_path_factory.mktemp("forms")
    return {key: write_review_form(r, out / f"{key}.docx", office, unit="NC", date=dt.date(2026, 1, 9))
            for key, r in results.items()}


def test_the_submission_as_the_office_records_it(forms):
    lines = _lines(forms["03"])
    first = next(line for line in lines if line.startswith("1. Văn bản/cơ quan, đơn vị:"))
    assert first == "1. Văn bản/cơ quan, đơn vị: Tờ trình số 15/TTr-SNV ngày 06 tháng 01 năm 2026 của Sở Nội vụ."
    # the same line read as a citation, the way the office's own phiếu are read in test_realdocs_agreement
    citation = parse_citation(_after_colon(first))
    assert (citation.doc_type, citation.symbol, citation.issued) == ("Tờ trình", "15/TTr-SNV", dt.date(2026, 1, 6))
    assert fold(citation.issuer or "").startswith("so noi vu")
    assert "2. Trích yếu: V/v ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026." in lines
    assert "2. Các sở, ban, ngành, đơn vị, địa phương trình (kết quả đề nghị): Sở Nội vụ." in lines
    # the tờ trình is addressed to the Chủ tịch and asks the Chủ tịch
    assert "3. Thẩm quyền (Chọn ghi thẩm quyền tương ứng): Chủ tịch UBND tỉnh." in lines


def test_returned_dossier_carries_its_decision_and_reasons(forms, results):
    lines = _lines(forms["03"])
    assert results["03"].decision.outcome == "chuyen_tra"
    assert "* Kết quả rà soát: Chuyển trả:" in lines
    start = lines.index("* Kết quả rà soát: Chuyển trả:")
    reasons = [line for line in lines[start + 1:] if line.startswith("- ")][:2]
    # the faults as sentences for a leader: no rule codes, no file names
    assert "77/2015" in reasons[0] and "72/2025" in reasons[0] and "Lê Thị Cúc" in reasons[1] and "PHÓ GIÁM ĐỐC" in reasons[1]
    assert not any(re.search(r"VB\d{3}|\.docx|\.pdf", line) for line in reasons)
    assert reasons[-1].endswith(".") and all(line.endswith(";") for line in reasons[:-1])
    # the proposal is the option the office writes: không thống nhất, with its reason, box 4.3 ticked
    assert ("Chuyên viên không thống nhất trình Chủ tịch UBND tỉnh tại thời điểm này; đề xuất Văn phòng UBND tỉnh "
            "chuyển trả hồ sơ, đề nghị Sở Nội vụ hoàn thiện theo các nội dung nêu trên rồi trình lại.") in lines
    assert _ticked(lines) == ["4.3. Không thống nhất"]
    assert any(line.startswith("4.3. Không thống nhất") and "Lý do: hồ sơ chưa bảo đảm các nội dung nêu trên" in line
               for line in lines)
    assert "KÍNH TRÌNH CHỦ TỊCH UBND TỈNH" in lines


def test_legal_bases_with_their_status_in_the_registry(forms):
    lines = _lines(forms["03"])
    expired = next(line for line in lines if line.startswith("- Luật Tổ chức chính quyền địa phương ngày 19"))
    assert "không còn hiệu lực tại ngày 06/01/2026" in expired and "77/2015/QH13" in expired
    valid = next(line for line in lines if line.startswith("- Nghị định số 30/2020/NĐ-CP"))
    assert valid.endswith(": còn hiệu lực tại ngày 06/01/2026.")
    good = _lines(forms["01"])
    assert "- Luật Tổ chức chính quyền địa phương số 72/2025/QH15: còn hiệu lực tại ngày 06/01/2026;" in good


def test_components_found_and_missing(forms):
    full = _lines(forms["01"])
    # documents named by type, number and date, never by file name
    assert "- Văn bản trình: Tờ trình số 05/TTr-SNV ngày 06/01/2026;" in full
    assert "- Dự thảo: Kế hoạch;" in full
    assert "- Văn bản góp ý: Công văn số 15/STC-HCSN ngày 29/12/2025." in full
    assert not any(".docx" in line for line in full)
    assert not any(line.startswith("- Thiếu:") for line in full)
    missing = _lines(forms["02"])
    assert "- Văn bản trình: Tờ trình số 12/TTr-SNV ngày 06/01/2026;" in missing
    assert "- Thiếu: dự thảo Kế hoạch." in missing
    assert "* Kết quả rà soát: Chuyển trả:" in missing
    assert any(line.endswith("hồ sơ không có dự thảo.") for line in missing)
    assert not any("VB1" in line or ".docx" in line for line in missing)


def test_accepted_dossier(forms, results):
    lines = _lines(forms["01"])
    assert results["01"].decision.outcome == "tiep_nhan"
    assert "* Kết quả rà soát: Tiếp nhận." in lines
    # the decision the leader is asked to take, in the submission's own words
    assert ("Chuyên viên thống nhất đề xuất của Sở Nội vụ. Kính trình Chủ tịch UBND tỉnh xem xét, ban hành Kế hoạch "
            "tuyên truyền cải cách hành chính năm 2026 tỉnh Lâm Đồng.") in lines
    assert _ticked(lines) == ["4.1. Thống nhất hoàn toàn"]
    assert ("* Đề xuất của cơ quan trình: Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, ban hành Kế "
            "hoạch tuyên truyền cải cách hành chính năm 2026 tỉnh Lâm Đồng (đính kèm dự thảo Kế hoạch).") in lines
    assert "5. Độ mật: Không." in lines


def test_blanks_stay_for_the_clerk(forms):
    lines = _lines(forms["04"])  # the zipped dossier
    assert any(re.fullmatch(r"Số:\s+/PT-NC", line) for line in lines)
    assert lines.count("Ngày ….. tháng ….. năm ……") == 4
    assert "PHÒNG XỬ LÝ CHÍNH: NỘI CHÍNH" in lines
    # the leader's box names whom the matter belongs to (item II.3)
    competence = next(line for line in lines if line.startswith("3. Thẩm quyền"))
    assert competence.endswith(": Chủ tịch UBND tỉnh.") and "KÍNH TRÌNH CHỦ TỊCH UBND TỈNH" in lines
    assert "1. Văn bản/cơ quan, đơn vị: Tờ trình số 21/TTr-SNV ngày 06 tháng 01 năm 2026 của Sở Nội vụ." in lines


def test_the_form_passes_the_format_checks(forms):
    document = understand(read_file(forms["03"]))
    assert document.doc_type == "Phiếu trình" and document.number.symbol == "PT-NC"
    findings = check_format(document)
    assert findings == [], [f.message for f in findings]


def test_no_submission_is_said_plainly(make_dossier, office, tmp_path, pipeline):
    folder = make_dossier({"Dự thảo Kế hoạch.docx": bd.draft_plan()}, name="chỉ có dự thảo")
    result = Checker(CheckSettings(review=True)).check(folder)
    assert result.submission is None
    lines = _lines(write_review_form(result, tmp_path / "p.docx", office, unit="NC"))
    assert "1. Văn bản/cơ quan, đơn vị: Hồ sơ không có tờ trình hoặc công văn đề trình." in lines
    assert "2. Trích yếu: Không có (hồ sơ không có tờ trình hoặc công văn đề trình)." in lines
    assert "3. Thẩm quyền (Chọn ghi thẩm quyền tương ứng): Chưa xác định (hồ sơ không có văn bản trình)." in lines
    assert "- Thiếu: tờ trình hoặc công văn đề trình." in lines
    assert "* Kết quả rà soát: Cần xem trực tiếp:" in lines
    assert not [line for line in lines if "None" in line or "{{" in line or line.rstrip().endswith(": .")]


def test_secret_mark_and_authority_of_the_ubnd(make_dossier, office, tmp_path, pipeline):
    sub = bd.submission(secrecy="MẬT", recipients=("Ủy ban nhân dân tỉnh Lâm Đồng",),
                        body=("Sở Nội vụ kính trình Ủy ban nhân dân tỉnh xem xét, ban hành Kế hoạch tuyên truyền cải "
                              "cách hành chính năm 2026 tỉnh Lâm Đồng (đính kèm dự thảo Kế hoạch)./.",))
    folder = make_dossier({"Tờ trình.docx": sub, "Dự thảo Kế hoạch.docx": bd.draft_plan()}, name="mật")
    result = Checker(CheckSettings(review=True)).check(folder)
    assert result.review.secrecy == "MẬT" and result.review.authority == "ubnd"
    lines = _lines(write_review_form(result, tmp_path / "p.docx", office, unit="NC"))
    assert "5. Độ mật: Mật." in lines
    assert "MẬT" in lines  # the phiếu of a secret dossier carries the mark under its number
    assert "3. Thẩm quyền (Chọn ghi thẩm quyền tương ứng): UBND tỉnh." in lines


def test_the_draft_says_whose_matter_it_is(make_dossier, pipeline):
    """A tờ trình asking "Ủy ban nhân dân tỉnh" with a draft the Chủ tịch signs (KT. CHỦ TỊCH, as the office's
    own phiếu record for such plans) is the Chủ tịch's; with a draft signed TM. ỦY BAN NHÂN DÂN, the UBND's."""
    asks_ubnd = bd.submission(recipients=("Ủy ban nhân dân tỉnh Lâm Đồng",), body=(
        "Sở Nội vụ kính trình Ủy ban nhân dân tỉnh xem xét, ký ban hành Kế hoạch tuyên truyền cải cách hành chính "
        "năm 2026 tỉnh Lâm Đồng./.",))
    checker = Checker(CheckSettings(review=True))
    chair = make_dossier({"Tờ trình.docx": asks_ubnd,
                          "Dự thảo Kế hoạch.docx": bd.draft_plan(authority="KT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH")},
                         name="chủ tịch")
    assert checker.check(chair).review.authority == "chu_tich"
    collective = make_dossier({"Tờ trình.docx": asks_ubnd, "Dự thảo Kế hoạch.docx": bd.draft_plan()}, name="tập thể")
    assert checker.check(collective).review.authority == "ubnd"


def test_facts_cross_processes_and_stay_out_of_the_json(dossiers, pipeline):
    paths = [dossiers[k] for k in sorted(dossiers)]
    results = check_many(paths, CheckSettings(review=True), jobs=2)
    assert all(r.review is not None for r in results)
    assert [len(r.review.legal_bases) for r in results] == [2, 2, 2, 2]
    data = json.loads(to_json(results))
    assert all("review" not in d for d in data["dossiers"])
    jsonschema.validate(data, load_schema("check-report.schema.json"))
    # without the option nothing extra is kept
    assert check_many(paths[:1], CheckSettings(), jobs=1)[0].review is None


def test_data_is_valid_for_the_kind(results, office):
    from vanban.config import validate

    for result in results.values():
        data = review_form_data(result, office, unit="NC")
        validate(data, "letter-phieu-trinh.schema.json")
        assert data["number"] == ""  # the office numbers its phiếu itself


def test_failed_dossier_gets_no_form(office, tmp_path):
    from vanban.check.engine import failed_result
    from vanban.errors import VanbanError

    failed = failed_result(tmp_path / "hỏng.zip", "tệp .zip hỏng")
    with pytest.raises(VanbanError, match="hồ sơ không kiểm tra được"):
        write_review_form(failed, tmp_path / "p.docx", office, unit="NC")
    assert not (tmp_path / "p.docx").exists()


@pytest.mark.parametrize("raw, expected", [
    ("SỞ NỘI VỤ", "Sở Nội vụ"),
    ("CÔNG AN TỈNH LÂM ĐỒNG", "Công an tỉnh"),
    ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Ủy ban nhân dân tỉnh Lâm Đồng"),
    ("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Sở Nông nghiệp và Môi trường"),
    ("BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP", "Ban quản lý các khu công nghiệp"),
    ("Hội Nông dân tỉnh", "Hội Nông dân tỉnh"),
])
def test_agency_names_as_the_office_writes_them(raw, expected):
    assert agency_name(raw) == expected


def test_subject_and_file_names():
    assert subject_vv("Về việc ban hành Kế hoạch.") == "V/v ban hành Kế hoạch"
    assert subject_vv("V/v: đổi tên Hội") == "V/v đổi tên Hội"
    assert subject_vv("Phiên họp lần thứ nhất") == "Phiên họp lần thứ nhất"
    assert form_file_name("Tờ trình 05/SNV: kế hoạch") == "Tờ trình 05-SNV- kế hoạch-phieu-trinh.docx"
    assert form_file_name("hồ sơ", 2) == "hồ sơ (2)-phieu-trinh.docx"
    long = form_file_name("Tờ trình " + "rất dài " * 60, 3)
    assert len(long.encode("utf-8")) <= 200 and long.endswith(" (3)-phieu-trinh.docx")


# ---------------------------------------------------------------- the real corpus

# dossier (folder prefix) → the office's own phiếu trình for it (folder prefix, file name prefix)
REAL = {
    "Tờ trình 303 ": ("Tờ trình 187 ", "Phiếu trình TTr 187"),  # the phiếu filed under 187 reviews Tờ trình 303
    "Tờ trình 156 ": ("Tờ trình 156 ", "Phiếu trình TTr 156"),
    "Tờ trình 202 ": ("Tờ trình 202 ", "Phiếu trình TTr 202"),
    "Tờ trình 666 ": ("Tờ trình 666 ", "Phieu trinh 666"),
    "Tờ trình 409 ": ("Tờ trình 409 ", "Phieu trinh 129-12"),
}
SAME_WORDS = {"Tờ trình 303 ", "Tờ trình 156 ", "Tờ trình 202 "}  # the office wrote the date in words


def _one(folder: Path, prefix: str) -> Path:
    (found,) = [p for p in folder.iterdir() if p.name.startswith(prefix)]
    return found


@pytest.fixture(scope="module")
def real_forms(realdocs, pipeline, soffice, tmp_path_factory, office):
    paths = [_one(realdocs / "dossiers", prefix) for prefix in REAL]
    results = check_many(paths, CheckSettings(review=True), jobs=2)
    out = tmp_path_factory.mktemp("real")
    return {prefix: write_review_form(r, out / form_file_name(r.name), office, unit="NC")
            for prefix, r in zip(REAL, results)}


def _first_line(lines: list[str]) -> str:
    return next(line for line in lines if line.startswith("1. Văn bản/cơ quan, đơn vị:"))


@pytest.mark.realdocs
@pytest.mark.libreoffice
@pytest.mark.parametrize("dossier", list(REAL))
def test_real_form_names_what_the_office_recorded(real_forms, realdocs, dossier):
    folder, name = REAL[dossier]
    office_form = _one(_one(realdocs / "office-review", folder), name)
    recorded = _first_line(_lines(office_form))
    ours = _first_line(_lines(real_forms[dossier]))
    if dossier in SAME_WORDS:
        assert ours == recorded
    theirs, mine = parse_citation(_after_colon(recorded)), parse_citation(_after_colon(ours))
    symbol = lambda c: re.sub(r"[\s)]", "", c.symbol.replace("(", "-"))  # CAT(PC04) = CAT-PC04
    assert (mine.doc_type, symbol(mine), mine.issued) == (theirs.doc_type, symbol(theirs), theirs.issued)
    assert fold(mine.issuer) == fold(theirs.issuer)


def test_facts_that_cannot_be_read_are_said_to_be_missing(dossiers, office, tmp_path, monkeypatch, pipeline):
    import vanban.check.report.review_form as review_form

    def broken(*args, **kwargs):
        raise ValueError("hỏng")

    monkeypatch.setattr(review_form, "review_facts", broken)
    result = Checker(CheckSettings(review=True)).check(dossiers["01"])
    assert result.review is None and result.decision.outcome == "tiep_nhan"  # the check itself stands
    lines = _lines(write_review_form(result, tmp_path / "p.docx", office, unit="NC"))
    assert "Không trích được căn cứ pháp lý của văn bản trình; cần xem trực tiếp văn bản." in lines
    assert "* Đề xuất của cơ quan trình: Không trích được; cần xem trực tiếp văn bản." in lines
    assert "1. Văn bản/cơ quan, đơn vị: Tờ trình số 05/TTr-SNV ngày 06 tháng 01 năm 2026 của Sở Nội vụ." in lines
