"""What leaves the office, written from the 47 real dossiers (VANBAN_REALDOCS): every phiếu trình, and a
công văn trả hồ sơ for every dossier a strict office would return (warnings count as faults), is rendered
to .docx by the code and read back. A Chánh Văn phòng signs them: documents are named by type, number and
date, never by file name; no rule code, tool talk or programmer punctuation; no fault said twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import docx
import pytest

from vanban.check.policy import Profile, decide
from vanban.check.report.return_letter import return_letter_data
from vanban.check.report.review_form import review_form_data
from vanban.check.report.per_dossier import Skip
from vanban.generate import load_office
from vanban.generate.render import render_document

pytestmark = [pytest.mark.realdocs, pytest.mark.libreoffice]

REPO = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 12, 1)
# what a leader must never read: file extensions, rule codes, the checker's own words, programmer punctuation
FORBIDDEN = re.compile(r"\.(?:docx?|pdf|xlsx?|rtf|zip)\b|\bVB\d{3}\b|xét tại ngày|vanban|--|['\"«»—]",
                       re.IGNORECASE)


@pytest.fixture(scope="module")
def office():
    return load_office(REPO / "fixtures" / "office" / "vanban.yaml")


def _text_lines(path: Path) -> list[str]:
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        seen = []  # a merged cell is listed once per grid column: each cell element once
        for row in table.rows:
            for cell in row.cells:
                if any(cell._tc is tc for tc in seen):
                    continue
                seen.append(cell._tc)
                lines += [p.text for p in cell.paragraphs]
    return [line.strip() for line in lines if line.strip()]


def _file_names(result) -> set[str]:
    names = set()
    for f in result.files:
        name = Path(f.name).name
        names.add(name)
        if len(Path(name).stem) >= 12:  # a short stem ("STP") may be a word of the text
            names.add(Path(name).stem)
    return names


def _assert_office_prose(lines: list[str], result, what: str) -> None:
    text = "\n".join(lines)
    bad = sorted({m.group(0) for m in FORBIDDEN.finditer(text)})
    assert not bad, f"{what} of {result.name}: {bad}"
    leaked = [n for n in _file_names(result) if n in text]
    assert not leaked, f"{what} of {result.name} names files: {leaked}"
    items = [line for line in lines if line.startswith("- ") or re.match(r"\d+\. ", line)]
    doubled = sorted({line for line in items if items.count(line) > 1})
    assert not doubled, f"{what} of {result.name} says twice: {doubled}"


@pytest.fixture(scope="module")
def forms(real_results, office, tmp_path_factory):
    out = tmp_path_factory.mktemp("phieu-that")
    forms = {}
    for index, (name, result) in enumerate(sorted(real_results.items())):
        if result.failed:
            continue
        data = review_form_data(result, office, unit="NC", date=DAY)
        path = render_document("phieu-trinh", data, out / f"{index:02d}.docx", office=office).path
        forms[name] = (data, _text_lines(path))
    return forms


def test_every_phieu_trinh_is_office_prose(real_results, forms):
    assert len(forms) == len([r for r in real_results.values() if not r.failed]) == 47
    for name, (_, lines) in forms.items():
        _assert_office_prose(lines, real_results[name], "phiếu trình")


def _form(forms, prefix):
    found = [v for k, v in forms.items() if k.startswith(prefix)]
    assert len(found) == 1, prefix
    return found[0]


@pytest.mark.parametrize("prefix, leader, proposal", [
    # the matter is the Chủ tịch's: the leader's box and the proposal name the Chủ tịch and what is asked
    ("Tờ trình 251 ", "KÍNH TRÌNH CHỦ TỊCH UBND TỈNH",
     "Chuyên viên thống nhất đề xuất của Sở Nội vụ. Kính trình Chủ tịch UBND tỉnh xem xét, cho phép thành lập "
     "Liên đoàn Pickleball tỉnh Lâm Đồng."),
    # asked of the UBND, but the draft plan is signed KT. CHỦ TỊCH: the Chủ tịch's (as the office recorded it)
    ("Tờ trình 05 ", "KÍNH TRÌNH CHỦ TỊCH UBND TỈNH",
     "Chuyên viên thống nhất đề xuất của Sở Nội vụ. Kính trình Chủ tịch UBND tỉnh xem xét, ký ban hành Kế hoạch "
     "tuyên truyền cải cách hành chính năm 2026 tỉnh Lâm Đồng."),
    # the draft quyết định is signed TM. ỦY BAN NHÂN DÂN: the UBND's, its leaders take it up
    ("Công văn trình 788 ", "KÍNH TRÌNH LÃNH ĐẠO UBND TỈNH",
     "Chuyên viên thống nhất đề xuất của Sở Tư pháp. Kính trình Lãnh đạo UBND tỉnh xem xét, phê chuẩn kết quả Đại "
     "hội Đoàn Luật sư tỉnh Bình Thuận nhiệm kỳ X (2024 - 2029)."),
    ("Tờ trình 1050 ", "KÍNH TRÌNH CHỦ TỊCH UBND TỈNH",
     "Chuyên viên thống nhất đề xuất của Sở Nội vụ. Kính trình Chủ tịch UBND tỉnh xem xét, quyết định."),
    # a request read by OCR is not put in the leader's mouth
    ("Tờ trình 200 ", "KÍNH TRÌNH CHỦ TỊCH UBND TỈNH",
     "Chuyên viên thống nhất đề xuất của Công an tỉnh, với các nội dung lưu ý nêu trên. Kính trình Chủ tịch UBND "
     "tỉnh xem xét, quyết định."),
])
def test_the_leader_is_asked_for_the_decision_of_the_matter(forms, prefix, leader, proposal):
    data, lines = _form(forms, prefix)
    assert leader in lines
    assert proposal in lines


def test_the_proposed_option_is_ticked(forms):
    for name, (data, lines) in forms.items():
        ticked = [line.split("\t")[0] for line in lines
                  if re.match(r"4\.[123]\. ", line) and re.search(r"\t\u2009?X(?:\u2009|\t|$)", line)]
        outcome = data["review"]["outcome"]
        expected = {"tiep_nhan": ["4.1. Thống nhất hoàn toàn"], "tiep_nhan_luu_y": ["4.2. Thống nhất"],
                    "chuyen_tra": ["4.3. Không thống nhất"]}.get(outcome, [])
        assert ticked == expected, name


def test_legal_bases_with_their_status(forms):
    # the decree on associations, cited whole although its line breaks in the PDF, is in force
    _, lines = _form(forms, "Tờ trình 251 ")
    assert ("- Nghị định 126/2024/NĐ-CP ngày 08/10/2024 của Chính phủ, quy định về tổ chức, hoạt động và quản lý "
            "hội: còn hiệu lực tại ngày 02/04/2026.") in lines
    # a basis the registry does not hold is said plainly, without the tool's words
    unknown = [line for _, lines in forms.values() for line in lines
               if line.endswith("chưa tra cứu được tình trạng hiệu lực, cần kiểm tra.")
               or line.endswith("chưa tra cứu được tình trạng hiệu lực, cần kiểm tra;")]
    assert unknown and all(line.startswith("- ") for line in unknown)


def test_a_sentence_of_the_body_is_not_a_legal_basis(real_results):
    # "Căn cứ Kế hoạch này, các cơ quan … chủ động xây dựng …" is what the plan asks, not a basis it cites
    result = next(r for name, r in real_results.items() if name.startswith("Tờ trình 124 "))
    assert not any("Kế hoạch này" in f.message for f in result.findings)


@pytest.fixture(scope="module")
def strict_letters(real_results, office, tmp_path_factory):
    """The letters an office returning on every warning would send: the checker's findings as the agency
    reads them."""
    strict = Profile(return_on=("error", "warning"))
    out = tmp_path_factory.mktemp("tra-ho-so-that")
    letters = {}
    for index, (name, result) in enumerate(sorted(real_results.items())):
        if result.failed or result.kind != "submission":
            continue
        returned = dataclasses.replace(result, decision=decide(result.findings, strict))
        try:
            data = return_letter_data(returned, unit="NC", signer="pct-tong-hop", date=DAY)
        except Skip:
            continue
        path = render_document("tra-ho-so", data, out / f"{index:02d}.docx", office=office).path
        letters[name] = (data, _text_lines(path))
    return letters


def test_every_return_letter_is_office_prose(real_results, strict_letters):
    # the dossiers with warnings whose submission is known by number, date and issuer
    assert len(strict_letters) >= 3
    for name, (data, lines) in strict_letters.items():
        _assert_office_prose(lines, real_results[name], "công văn trả hồ sơ")
        assert data["reasons"] and len(data["reasons"]) == len(set(data["reasons"]))
        # the submission named by type, number and date
        dossier = data["dossier"]
        assert any(f"{dossier['title']} số {dossier['number']} ngày" in line for line in lines), name


def _office_competence(form: Path) -> str | None:
    """Item "Thẩm quyền" of one of the office's own phiếu trình, as it wrote it."""
    from vanban.read import read_file

    text = "\n".join(b.text for b in read_file(form).blocks)
    m = re.search(r"Thẩm quyền[^:\n]*:\s*(?:Thuộc\s+)?([^\n]+)", text)
    return re.sub(r"Ủy ban nhân dân", "UBND", m.group(1)).strip().rstrip(".") if m else None


def test_authority_agrees_with_the_office_forms(realdocs, forms):
    """Whom the matter belongs to, against what the office wrote in item II.3 of its own phiếu trình."""
    compared = agree = 0
    for form in sorted((realdocs / "office-review").glob("*/*")):
        competence = _office_competence(form)
        if competence is None:
            continue
        found = [v for k, v in forms.items() if k == form.parent.name]
        assert len(found) == 1, form.parent.name
        data, lines = found[0]
        if data["submission"] is None:
            continue  # the tờ trình is not in the folder: nothing to read it from
        compared += 1
        agree += data["competence"] == competence
    assert compared >= 12 and agree == compared, (agree, compared)
