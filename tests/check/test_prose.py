"""Messages made into office prose for the phiếu trình and the công văn trả hồ sơ."""

from vanban.check.report.prose import office_sentence


def test_quotes_dashes_and_tool_talk():
    assert office_sentence("Văn bản trình do 'Lê Thị Cúc' ký với chức vụ 'PHÓ GIÁM ĐỐC' mà không ghi 'KT.' — "
                           "cấp phó phải ký thay người đứng đầu.") == (
        "Văn bản trình do “Lê Thị Cúc” ký với chức vụ “PHÓ GIÁM ĐỐC” mà không ghi “KT.”; cấp phó phải ký thay "
        "người đứng đầu")
    assert office_sentence("Căn cứ 'Nghị định số 1/2020/NĐ-CP' chưa có trong sổ (bổ sung bằng --legal-registry) "
                           "(xét tại ngày 06/01/2026).") == "Căn cứ “Nghị định số 1/2020/NĐ-CP” chưa có trong sổ"
    assert office_sentence("Thiếu «Phụ lục».") == "Thiếu “Phụ lục”"


def test_no_straight_quote_survives():
    assert office_sentence("Ký hiệu 'SNV-TCCC' không có 'TTr' (thấy '')") == "Ký hiệu “SNV-TCCC” không có “TTr”"
    assert office_sentence('Trích yếu "Về việc A" và chữ O\'Neil') == "Trích yếu “Về việc A” và chữ O’Neil"


def test_rule_sources_are_named_as_an_office_names_them():
    """The clause each finding cites (shown in the reports and on the web page) names a document, never the
    project's own notes."""
    from vanban.check.rules import catalogue

    for rule_id, info in catalogue().items():
        assert not any(word in (info.clause or "").lower() for word in ("seed", "domain.md", "vanban")), rule_id
