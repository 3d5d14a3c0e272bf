"""The twelve real dossiers of the Lâm Đồng office (VANBAN_REALDOCS).

Ground truth: the office's review forms in ``office-review/`` name the
submission (number, date, issuer) it registered for each dossier.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

pytestmark = [pytest.mark.realdocs, pytest.mark.libreoffice]


@pytest.fixture(scope="module")
def real_results(realdocs, pipeline, soffice):
    from vanban.check.engine import CheckSettings, check_many, discover

    root = realdocs / "dossiers"
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}
    results = check_many(discover([root]), CheckSettings(), jobs=2)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}
    assert before == after
    return {r.name.split(" ")[2] if r.name.startswith("Tờ trình ") else r.name: r for r in results}


def key(results, prefix):
    matches = [r for name, r in results.items() if name.startswith(prefix)]
    assert len(matches) == 1, list(results)
    return matches[0]


def test_all_twelve_checked_without_a_crash(real_results):
    assert len(real_results) == 12
    for r in real_results.values():
        assert r.failed is None, (r.name, r.failed)
        assert not [f for f in r.findings if "không chạy được" in f.message], r.name
        assert r.files


@pytest.mark.parametrize("name", ["238", "65"])
def test_dossiers_without_their_submission(real_results, name):
    r = key(real_results, name)
    assert r.submission is None
    # what they do hold is the draft the (missing) tờ trình asks to issue
    assert any(f.role == "draft" for f in r.files), [(f.name, f.role) for f in r.files]
    assert "VB101" in {f.rule_id for f in r.findings}
    assert r.decision.outcome == "chuyen_tra"


# number, date, issuer, signer of the submission (signed copy), as registered by the office
PINS = {
    "05": ("05/TTr-SNV", "2026-01-06", "SỞ NỘI VỤ", "Trần Hữu Tuấn"),
    # the phiếu trình writes 03/3/2025; the signed tờ trình (and its digital signature) say 2026
    "143": ("143/TTr-SNV", "2026-03-03", "SỞ NỘI VỤ", "Nguyễn Đức Vũ"),
    "156": ("156/TTr-SNV", "2025-08-25", "SỞ NỘI VỤ", "Nguyễn Đức Vũ"),
    "187": ("187/TTr-SNV", "2025-08-28", "SỞ NỘI VỤ", "Đỗ Văn Chung"),
    "202": ("202/TTr-SNV", "2025-08-29", "SỞ NỘI VỤ", "Nguyễn Đức Vũ"),
    "303": ("303/TTr-SNV", "2025-09-16", "SỞ NỘI VỤ", "Lê Thị Thêu"),
    # only the editable .docx is in the dossier, typed with its number and date
    "409": ("409/TTr-CAT-PC04", "2025-11-26", "CÔNG AN TỈNH LÂM ĐỒNG", "Trương Minh Đương"),
    # a scanned certified copy (SAO Y, signed 25/12/2025): the number comes from the file name; the office
    # registered the original's date 24/12, which is only in the image
    "519": ("519/TTr-CAT-PC06", "2025-12-25", None, None),
    "666": ("666/TTr-SNV", "2025-12-22", "SỞ NỘI VỤ", "Trần Hữu Tuấn"),
    "về": ("255/TTr-SNV", "2025-01-22", "SỞ NỘI VỤ", "Đỗ Văn Chung"),
}


@pytest.mark.parametrize("name", sorted(PINS))
def test_submission_facts(real_results, name):
    number, date, issuer, signer = PINS[name]
    r = key(real_results, name)
    assert r.submission is not None, [(f.name, f.role, f.problem) for f in r.files]
    s = r.submission
    assert s.number == number
    assert s.date == date
    if issuer:
        assert issuer in (s.issuer or "").upper()
    if signer:
        assert s.signer == signer


def test_signed_copy_is_preferred_and_twins_kept(real_results):
    r = key(real_results, "303")
    roles = {f.name: f for f in r.files}
    pdf = roles["1. Tờ trình CT UBND đề nghị ban hành Quyết định thành lập BVSTBCPN.pdf"]
    docx = roles["1. Tờ trình CT UBND đề nghị ban hành Quyết định thành lập BVSTBCPN.docx"]
    assert pdf.role == docx.role == "submission"
    assert r.submission.file == pdf.name
    assert docx.twin_of == pdf.name
    # the draft decision is there: no VB103
    assert "VB103" not in {f.rule_id for f in r.findings}


def test_newest_submission_speaks_in_143(real_results):
    r = key(real_results, "143")
    assert r.submission.number == "143/TTr-SNV" and r.submission.date == "2026-03-03"
    files = {f.name: f for f in r.files}
    # the older tờ trình 300/TTr-SNV has the same trích yếu but is another document
    assert files["Tờ-trình-Giải-thể-Hiệp-hội-rau-quả-Đà-Lạt.pdf"].twin_of != "Trình UBND tỉnh (2).pdf"
    assert files["Trình UBND tỉnh (2).docx"].twin_of == "Trình UBND tỉnh (2).pdf"


def test_scanned_submission_is_not_a_missing_number(real_results):
    r = key(real_results, "519")
    assert r.submission.number_from == "tên tệp"
    assert not {"VB122", "VB123"} & {f.rule_id for f in r.findings}
    assert "VB003" in {f.rule_id for f in r.findings}
    # only a scan of the tờ trình: accepted with a note to read it by eye, never silently
    assert "VB004" in {f.rule_id for f in r.findings}
    assert r.decision.outcome == "tiep_nhan_luu_y"
    files = {f.name: f for f in r.files}
    assert files["58_CD-VPCP_10012026_1-signed.pdf"].twin_of is None  # công điện 58 and 63 are different


def test_submissions_with_a_text_layer_are_not_flagged_as_scans(real_results):
    for name in ("05", "143", "156", "187", "202", "303", "409", "666", "về"):
        assert "VB004" not in {f.rule_id for f in key(real_results, name).findings}, name


def test_bases_missing_from_the_registry_are_named_once(real_results):
    unknown = [f.message for f in key(real_results, "143").findings if f.rule_id == "VB204"]
    assert len(unknown) == 1 and "126/2024/NĐ-CP" in unknown[0], unknown
    # Nghị định 39/2016 is cited twice with its date written two ways: one finding
    unknown = [f.message for f in key(real_results, "187").findings if f.rule_id == "VB204"]
    assert sum("39/2016/NĐ-CP" in m for m in unknown) == 1, unknown


def test_format_faults_of_twin_copies_are_reported_once(real_results):
    motto = [f for f in key(real_results, "187").findings if f.rule_id == "VB605"]
    assert len(motto) == 1, [(f.file, f.location) for f in motto]
    assert motto[0].file.endswith(".pdf") and "cũng có ở bản" in motto[0].location and ".doc'" in motto[0].location


def test_no_false_alarm_on_rules_the_office_never_raised(real_results):
    # every real submission was taken up by the office: none was still being consulted on or secret
    for r in real_results.values():
        assert not {"VB305", "VB451"} & {f.rule_id for f in r.findings}, r.name


def test_deputy_with_kt_is_not_a_fault(real_results):
    for name in ("05", "156", "202", "303", "666"):
        rule_ids = {f.rule_id for f in key(real_results, name).findings}
        assert "VB401" not in rule_ids and "VB402" not in rule_ids, name


def test_supporting_spreadsheets_are_listed_not_read(real_results):
    r = key(real_results, "05")
    xlsx = [f for f in r.files if f.name.endswith(".xlsx")]
    assert xlsx and all(f.role == "supporting" and f.problem is None for f in xlsx)
