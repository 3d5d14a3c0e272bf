"""Every rule with a failing and a passing dossier: real .docx files, real pipeline."""

from __future__ import annotations

import datetime as dt

import pytest

from build_dossiers import GOOD_BASES, DocSpec, comment_letter, draft_plan, submission
from check_helpers import findings_of, rule_ids
from vanban.check.rules import catalogue

SUB = "Tờ trình.docx"
DRAFT = "Dự thảo Kế hoạch.docx"
COMMENT = "Công văn góp ý Sở Tài chính.docx"
NO_CONSULT = ("Sở Nội vụ đã xây dựng dự thảo Kế hoạch tuyên truyền cải cách hành chính năm 2026.",
              "Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, ban hành Kế hoạch tuyên truyền "
              "cải cách hành chính năm 2026 (đính kèm dự thảo Kế hoạch)./.")


def good_files(**sub_changes):
    return {SUB: submission(**sub_changes), DRAFT: draft_plan(), COMMENT: comment_letter()}


def appraisal(conclusion: str) -> DocSpec:
    return DocSpec(type_name="BÁO CÁO", agency="SỞ TƯ PHÁP", number="Số: 20/BC-STP",
                   place_date="Lâm Đồng, ngày 02 tháng 01 năm 2026",
                   subject="Thẩm định dự thảo Quyết định quy định về quản lý hội", recipients=("Sở Nội vụ",),
                   body=("Sở Tư pháp nhận được hồ sơ đề nghị thẩm định dự thảo Quyết định.", conclusion),
                   position="GIÁM ĐỐC", signer="Phạm Văn Dũng")


QPPL_BODY = ("Dự thảo Quyết định là văn bản quy phạm pháp luật, đã được lấy ý kiến các sở, ngành.",
             "Sở Nội vụ kính trình Ủy ban nhân dân tỉnh xem xét, ban hành Quyết định quy định về quản lý hội "
             "(đính kèm dự thảo Quyết định)./.")
QPPL_DRAFT = draft_plan(type_name="QUYẾT ĐỊNH", number="Số:      /2026/QĐ-UBND",
                        subject="Ban hành Quy định về quản lý hội trên địa bàn tỉnh")

def scanned_pdf() -> bytes:
    """An image-only PDF, as a scanner makes it: one A4 page, no text layer."""
    import io

    from PIL import Image, ImageDraw

    page = Image.new("L", (620, 877), 255)
    ImageDraw.Draw(page).rectangle((60, 60, 560, 120), outline=0, width=3)
    buffer = io.BytesIO()
    page.save(buffer, format="PDF", resolution=75)
    return buffer.getvalue()


# rule → (failing files, passing files, extra checker options)
CASES = {
    "VB003": ({**good_files(), "Phụ lục bản quét.pdf": scanned_pdf()}, good_files(), {}),
    "VB004": ({"Tờ trình 05 SNV.pdf": scanned_pdf(), DRAFT: draft_plan()},
              {**good_files(), "Tờ trình 05 SNV (bản quét).pdf": scanned_pdf()}, {}),
    "VB101": ({DRAFT: draft_plan()}, good_files(), {}),
    "VB102": ({SUB: submission(type_name="BÁO CÁO", number="Số: 05/BC-SNV"), DRAFT: draft_plan(), COMMENT: comment_letter()},
              good_files(), {}),
    "VB103": ({SUB: submission(body=NO_CONSULT)}, {SUB: submission(body=NO_CONSULT), DRAFT: draft_plan()}, {}),
    "VB104": ({SUB: submission(), DRAFT: draft_plan()}, good_files(), {}),
    "VB105": ({SUB: submission(body=QPPL_BODY, subject="Về việc ban hành Quyết định quy định về quản lý hội"),
               "Dự thảo Quyết định.docx": QPPL_DRAFT, COMMENT: comment_letter()},
              {SUB: submission(body=QPPL_BODY, subject="Về việc ban hành Quyết định quy định về quản lý hội"),
               "Dự thảo Quyết định.docx": QPPL_DRAFT, COMMENT: comment_letter(),
               "Báo cáo thẩm định.docx": appraisal("Dự thảo đủ điều kiện trình Ủy ban nhân dân tỉnh ban hành.")}, {}),
    "VB106": ({SUB: submission(body=NO_CONSULT[:1] + ("Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, ban hành "
                                                    "Kế hoạch (đính kèm dự thảo Kế hoạch và Điều lệ)./.",)),
               DRAFT: draft_plan()},
              {SUB: submission(body=NO_CONSULT), DRAFT: draft_plan()}, {}),
    # passing: the draft on paper, scanned with the agency's seal; a digitally signed draft: test below
    "VB107": ({SUB: submission(), DRAFT: draft_plan(), COMMENT: comment_letter()},
              {SUB: submission(), "Dự thảo Kế hoạch (đóng dấu treo).pdf": scanned_pdf(), COMMENT: comment_letter()}, {}),
    "VB121": ({**good_files(number="Số: 05/TTr-STP")}, good_files(), {}),
    "VB201": ({SUB: submission(bases=()), DRAFT: draft_plan(), COMMENT: comment_letter()}, good_files(), {}),
    "VB202": ({SUB: submission(bases=("Căn cứ Nghị định của Chính phủ về công tác văn thư",)), DRAFT: draft_plan(),
               COMMENT: comment_letter()}, good_files(), {}),
    "VB203": ({SUB: submission(bases=("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",)),
               DRAFT: draft_plan(), COMMENT: comment_letter()},
              {SUB: submission(bases=("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",),
                               place_date="Lâm Đồng, ngày 15 tháng 3 năm 2021"),
               DRAFT: draft_plan(), COMMENT: comment_letter()}, {}),
    "VB204": ({SUB: submission(bases=GOOD_BASES + ("Căn cứ Quyết định số 123/QĐ-UBND ngày 05 tháng 3 năm 2024 của "
                                                  "Ủy ban nhân dân tỉnh ban hành Quy chế làm việc",)),
               DRAFT: draft_plan(), COMMENT: comment_letter()}, good_files(), {}),
    "VB301": ({SUB: submission(body=("Sở Nội vụ báo cáo tình hình xây dựng kế hoạch năm 2026 để Ủy ban nhân dân tỉnh biết.",)),
               DRAFT: draft_plan()}, good_files(), {}),
    "VB302": ({SUB: submission(body=("Sở Nội vụ kính trình Ủy ban nhân dân tỉnh xin ý kiến chỉ đạo.",))},
              good_files(), {}),
    "VB303": ({**good_files(), COMMENT: comment_letter(body=("Sở Tài chính nhận được văn bản đề nghị góp ý.",
                                                             "Đề nghị Sở Nội vụ nghiên cứu thêm./."))},
              good_files(), {}),
    "VB304": ({SUB: submission(body=QPPL_BODY), "Dự thảo Quyết định.docx": QPPL_DRAFT, COMMENT: comment_letter(),
               "Báo cáo thẩm định.docx": appraisal("Đề nghị cơ quan soạn thảo cân nhắc.")},
              {SUB: submission(body=QPPL_BODY), "Dự thảo Quyết định.docx": QPPL_DRAFT, COMMENT: comment_letter(),
               "Báo cáo thẩm định.docx": appraisal("Dự thảo đủ điều kiện trình Ủy ban nhân dân tỉnh ban hành.")}, {}),
    "VB305": ({SUB: submission(body=("Sở Nội vụ đang lấy ý kiến các sở, ngành về dự thảo Kế hoạch.",) + NO_CONSULT[1:]),
               DRAFT: draft_plan()},
              {SUB: submission(body=NO_CONSULT), DRAFT: draft_plan()}, {}),
    "VB401": (good_files(position="PHÓ GIÁM ĐỐC"), good_files(authority="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC"), {}),
    "VB402": (good_files(authority="TL. GIÁM ĐỐC", position="TRƯỞNG PHÒNG CẢI CÁCH HÀNH CHÍNH"), good_files(), {}),
    "VB403": (good_files(authority="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC"), good_files(), {"assigned_to_head": True}),
    "VB405": (good_files(position="", signer=""), good_files(), {}),
    "VB451": (good_files(secrecy="MẬT"), good_files(), {}),
    "VB501": (good_files(), good_files(), None),  # dates set in the test below
    "VB601": (good_files(page_mm=(215.9, 279.4)), good_files(), {}),
    "VB602": (good_files(margins_mm=(20, 20, 25, 15)), good_files(), {}),
    "VB603": (good_files(font="Arial"), good_files(), {}),
    "VB604": (good_files(size_pt=12), good_files(), {}),
    "VB605": (good_files(motto="Độc lập – Tự do – Hạnh phúc"), good_files(), {}),
    "VB606": (good_files(national_title="Cộng hòa xã hội chủ nghĩa Việt Nam"), good_files(), {}),
    "VB607": (good_files(number="Số: 5/TTr - SNV"), good_files(), {}),
    "VB608": (good_files(place_date="Lâm Đồng, ngày 6 tháng 1 năm 2026"), good_files(), {}),
    "VB609": (good_files(font=".VnTime"), good_files(), {}),
}


@pytest.mark.parametrize("rule_id", [r for r, c in CASES.items() if c[2] is not None])
def test_rule_fails_and_passes(rule_id, make_dossier, check):
    failing, passing, options = CASES[rule_id]
    bad = check(make_dossier(failing, "sai"), **options)
    good = check(make_dossier(passing, "dung"), **options)
    assert rule_id in rule_ids(bad), [f"{f.rule_id} {f.message}" for f in bad.findings]
    assert rule_id not in rule_ids(good), [f"{f.rule_id} {f.message}" for f in good.findings]
    stat_bad = next(s for s in bad.rule_stats if s.rule_id == rule_id)
    stat_good = next(s for s in good.rule_stats if s.rule_id == rule_id)
    assert stat_bad.checked == 1 and stat_bad.failed >= 1
    assert stat_good.checked == 1 and stat_good.failed == 0
    dossier_level = "dossier" in catalogue()[rule_id].applies_to
    for f in findings_of(bad, rule_id):
        assert f.clause and f.message and (f.file or dossier_level), f


def test_every_rule_of_the_catalogue_has_a_failing_and_a_passing_dossier():
    from pathlib import Path

    elsewhere = {"VB001": "test_intake.py", "VB002": "test_intake.py", "VB122": "test_signed_copies.py",
                 "VB123": "test_signed_copies.py", "VB404": "test_signed_copies.py"}
    here = Path(__file__).parent
    for rule_id in catalogue():
        if rule_id in CASES:
            continue
        assert rule_id in elsewhere, f"{rule_id} has no test"
        assert rule_id in (here / elsewhere[rule_id]).read_text(encoding="utf-8"), rule_id


def test_a_digitally_signed_draft_passes_vb107(tmp_path, soffice, make_dossier, check):
    import subprocess

    from build_dossiers import write_docx
    from pdfsigning import self_signed_signer, sign_pdf

    editable = write_docx(draft_plan(), tmp_path / "build" / "du-thao.docx")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(editable.parent), str(editable)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    signed = tmp_path / "build" / "du-thao-ky-so.pdf"
    sign_pdf(editable.with_suffix(".pdf"), signed, "Signature1", self_signed_signer("SỞ NỘI VỤ", "UBND TỈNH LÂM ĐỒNG"))
    result = check(make_dossier({SUB: submission(), "Dự thảo Kế hoạch (ký số).pdf": signed.read_bytes(),
                                 COMMENT: comment_letter()}, "ky-so"))
    roles = {f.name: f.role for f in result.files}
    assert roles["Dự thảo Kế hoạch (ký số).pdf"] == "draft", roles
    assert "VB107" not in rule_ids(result)
    stat = next(s for s in result.rule_stats if s.rule_id == "VB107")
    assert stat.checked == 1 and stat.failed == 0


def test_the_good_dossier_is_accepted_without_errors(make_dossier, check):
    result = check(make_dossier(good_files()))
    assert result.decision.outcome in ("tiep_nhan", "tiep_nhan_luu_y"), result.decision.reasons
    assert not rule_ids(result, "error")
    roles = {f.name: f.role for f in result.files}
    assert roles == {SUB: "submission", DRAFT: "draft", COMMENT: "comment"}
    assert result.submission.number == "05/TTr-SNV"
    assert result.submission.date == "2026-01-06"
    assert result.submission.signer == "Nguyễn Văn An"


def test_deadline_counts_working_days(make_dossier, check):
    folder = make_dossier(good_files())
    # Thursday 22/01/2026 UBND meeting: 3 working days before is Monday 19/01
    late = check(folder, meeting=dt.date(2026, 1, 22), received=dt.date(2026, 1, 20))
    on_time = check(folder, meeting=dt.date(2026, 1, 22), received=dt.date(2026, 1, 19))
    weekly = check(folder, meeting=dt.date(2026, 1, 22), meeting_kind="giao-ban", received=dt.date(2026, 1, 21))
    assert "VB501" in rule_ids(late)
    assert "19/01/2026" in findings_of(late, "VB501")[0].message
    assert "VB501" not in rule_ids(on_time)
    assert "VB501" not in rule_ids(weekly)
    assert late.decision.outcome == "chuyen_tra"


def test_deadline_default_arrival_is_newest_document_date(make_dossier, check):
    folder = make_dossier(good_files())  # submission dated 06/01/2026, comment 29/12/2025
    result = check(folder, meeting=dt.date(2026, 1, 8))
    assert "VB501" in rule_ids(result)
    assert "06/01/2026" in findings_of(result, "VB501")[0].message


def test_blank_number_on_unsigned_copy_is_info(make_dossier, check):
    result = check(make_dossier(good_files(number="Số:      /TTr-SNV",
                                           place_date="Lâm Đồng, ngày      tháng 01 năm 2026")))
    assert {f.severity for f in findings_of(result, "VB122")} == {"info"}
    assert {f.severity for f in findings_of(result, "VB123")} == {"info"}
    assert "VB122" not in rule_ids(result, "error")


def test_expired_basis_names_its_replacement(make_dossier, check):
    result = check(make_dossier(CASES["VB203"][0]))
    message = findings_of(result, "VB203")[0].message
    assert "77/2015/QH13" in message and "hết hiệu lực" in message and "06/01/2026" in message


def test_select_and_ignore(make_dossier, checker_factory):
    folder = make_dossier(good_files(font="Arial", position="PHÓ GIÁM ĐỐC"))
    only_format = checker_factory(select=("VB6",)).check(folder)
    assert rule_ids(only_format) == {"VB603"}
    no_format = checker_factory(ignore=("VB6",)).check(folder)
    assert "VB603" not in rule_ids(no_format) and "VB401" in rule_ids(no_format)


def test_annex_of_a_cited_decree_is_not_an_attachment(make_dossier, check):
    body = ("Điều lệ đã được điều chỉnh theo Mẫu số 09 Phụ lục II kèm theo Nghị định số 126/2024/NĐ-CP "
            "(sửa đổi, bổ sung) của Chính phủ.",) + NO_CONSULT
    result = check(make_dossier({SUB: submission(body=body), DRAFT: draft_plan()}))
    assert "VB106" not in rule_ids(result), [f.message for f in result.findings]
    missing = check(make_dossier({SUB: submission(body=body[:1] + (
        "Sở Nội vụ kính trình Chủ tịch UBND tỉnh xem xét (có dự thảo Quyết định và Phụ lục kèm theo)./.",))}, "thieu"))
    messages = " ".join(f.message for f in findings_of(missing, "VB106"))
    assert "Quyết định" in messages and "Phụ lục" in messages


def test_only_what_the_submission_itself_sends_must_be_there(make_dossier, check):
    """A rule quoted in the text, or an appendix inside a draft, is not an attachment of this submission;
    a Đề án the tờ trình says it sends, and that is absent, is named."""
    quoted = ("Trong thời hạn 07 ngày làm việc, Ban chủ nhiệm gửi Ủy ban nhân dân tỉnh báo cáo kết quả Đại hội "
              "kèm theo biên bản Đại hội.",
              "Sở Nội vụ đã hoàn chỉnh dự thảo Kế hoạch (có Phụ lục kèm theo).") + NO_CONSULT
    result = check(make_dossier({SUB: submission(body=quoted), DRAFT: draft_plan()}))
    assert "VB106" not in rule_ids(result), [f.message for f in findings_of(result, "VB106")]
    sends = NO_CONSULT + ("Sở Nội vụ kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt Đề án (gửi kèm Đề án)./.",)
    missing = check(make_dossier({SUB: submission(body=sends), DRAFT: draft_plan()}, "de-an"))
    assert any("Đề án" in f.message for f in findings_of(missing, "VB106")), [f.message for f in missing.findings]
