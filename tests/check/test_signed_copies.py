"""Rules about signed copies, on Documents built in memory (a signed PDF cannot be
made without a certificate authority; the real signed PDFs are in test_realdocs)."""

from __future__ import annotations

import datetime as dt

from vanban.check.dossier import assign_roles, pair_twins
from vanban.check.engine import CheckSettings, Checker
from vanban.check.model import Dossier, DossierFile
from vanban.model import (Block, DigitalSignature, DocDate, Document, LocatedText, Location, NumberSymbol,
                          RawDocument, SignatureBlock)


def signed_submission(name: str, cert_name: str, number: str | None = "303", day: int | None = 16) -> DossierFile:
    raw = RawDocument(
        path=name, format="pdf",
        blocks=(Block("TỜ TRÌNH", Location("page", 0, page=1)),
                Block("Về việc đề nghị ban hành Quyết định thành lập Ban", Location("page", 1, page=1)),
                Block("Sở Nội vụ kính trình Chủ tịch UBND tỉnh xem xét, ban hành Quyết định.", Location("page", 2, page=1))),
        signatures=(DigitalSignature("Sig1", signer_name=cert_name, signing_time=dt.datetime(2025, 9, 16, 9, 0)),
                    DigitalSignature("Sig2", signer_name="SỞ NỘI VỤ", organization="UBND TỈNH LÂM ĐỒNG",
                                     signing_time=dt.datetime(2025, 9, 16, 10, 0))),
        page_count=1,
    )
    doc = Document(
        source=raw, doc_type="Tờ trình", type_abbr="TTr",
        number=NumberSymbol(f"Số: {number or ''} /TTr-SNV", number, type_abbr="TTr", issuer_abbr="SNV"),
        date=DocDate("Lâm Đồng, ngày 16 tháng 9 năm 2025", day=day, month=9, year=2025),
        issuing_agency=LocatedText("SỞ NỘI VỤ", Location("page", 0, page=1)),
        subject=LocatedText("Về việc đề nghị ban hành Quyết định thành lập Ban", Location("page", 1, page=1)),
        signature=SignatureBlock("KT.", "KT. GIÁM ĐỐC", ("PHÓ GIÁM ĐỐC",), "Lê Thị Thêu"),
    )
    return DossierFile(name=name, path=None, document=doc)


def judge(*files: DossierFile):
    dossier = Dossier(name="hs", source="hs", files=list(files))
    assign_roles(dossier)
    pair_twins(dossier)
    return Checker(CheckSettings(select=("VB1", "VB4"))).judge(dossier)


def ids(result):
    return {f.rule_id: f for f in result.findings}


def test_certificate_of_the_signer_passes():
    result = judge(signed_submission("Tờ trình 303.pdf", "Lê Thị Thêu"))
    assert "VB404" not in ids(result)
    assert next(s for s in result.rule_stats if s.rule_id == "VB404").checked == 1


def test_certificate_of_someone_else_is_reported():
    result = judge(signed_submission("Tờ trình 303.pdf", "Nguyễn Văn Bình"))
    finding = ids(result)["VB404"]
    assert "Nguyễn Văn Bình" in finding.message and "Lê Thị Thêu" in finding.message
    assert finding.severity == "warning"


def test_accents_and_case_do_not_matter():
    result = judge(signed_submission("Tờ trình 303.pdf", "LE THI THEU"))
    assert "VB404" not in ids(result)


def test_signed_copy_without_number_or_date_is_an_error():
    result = judge(signed_submission("Tờ trình 303.pdf", "Lê Thị Thêu", number=None, day=None))
    found = ids(result)
    assert found["VB122"].severity == "error" and "đã ký số" in found["VB122"].message
    assert found["VB123"].severity == "error"
    assert result.decision.outcome == "chuyen_tra"


def test_a_fault_of_both_copies_is_reported_once_on_the_signed_one():
    from vanban.check.rules import Hit, RuleContext, catalogue, merge_twin_hits

    editable = DossierFile(name="Tờ trình 187.doc", path=None, twin_of="Tờ trình 187.pdf", preferred=False)
    signed = DossierFile(name="Tờ trình 187.pdf", path=None, twin_of="Tờ trình 187.doc", preferred=True)
    other = DossierFile(name="Dự thảo.docx", path=None)
    ctx = RuleContext(Dossier(name="hs", source="hs", files=[editable, signed, other]), None, None, None)
    info = catalogue()["VB607"]
    hits = [Hit(file=editable.name, location="bảng 1", params={"raw": "Số: /TTr - SNV", "problem": "có khoảng cách"}),
            Hit(file=signed.name, location="trang 1", params={"raw": "Số: 187/TTr - SNV", "problem": "có khoảng cách"}),
            Hit(file=other.name, location="đoạn 2", params={"raw": "Số: /QĐ - UBND", "problem": "có khoảng cách"})]
    merged = merge_twin_hits(ctx, info, hits)
    assert [h.file for h in merged] == [signed.name, other.name]
    assert merged[0].location == "trang 1; cũng có ở bản 'Tờ trình 187.doc'"
    # different faults on the two copies are both kept
    apart = [hits[0], Hit(file=signed.name, location="trang 1", params={"raw": "Số: 187/TTr-SNV", "problem": "khác"})]
    assert len(merge_twin_hits(ctx, info, apart)) == 2
