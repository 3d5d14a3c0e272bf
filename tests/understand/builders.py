"""Real files for the understanding tests: .docx written with python-docx, .txt laid out with tabs."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from docx import Document
from docx.shared import Pt


def _bold(paragraph, text: str, bold: bool = True):
    run = paragraph.add_run(text)
    run.bold = bold
    return run


def build_to_trinh(path: Path, *, number: str = "05", day: str = "06", month: str = "01",
                   marks: tuple[str, ...] = (), authority: str = "KT. GIÁM ĐỐC", position: Optional[str] = "PHÓ GIÁM ĐỐC",
                   signer: str = "Trần Hữu Tuấn", vague: bool = False, placeholder: bool = True) -> Path:
    """A tờ trình laid out like the real ones from Sở Nội vụ Lâm Đồng (header and footer tables)."""
    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(14)
    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run("UBND TỈNH LÂM ĐỒNG")
    _bold(left.add_paragraph(), "SỞ NỘI VỤ")
    left.add_paragraph("")
    left.add_paragraph(f"Số:   {number}   /TTr - SNV")
    for mark in marks:
        _bold(left.add_paragraph(), mark)
    _bold(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    _bold(right.add_paragraph(), "Độc lập – Tự do – Hạnh phúc")
    right.add_paragraph("")
    right.add_paragraph(f"Lâm Đồng, ngày {day} tháng {month} năm 2026").runs[0].italic = True
    _bold(doc.add_paragraph(), "TỜ TRÌNH")
    _bold(doc.add_paragraph(), "Về việc ban hành Kế hoạch tuyên truyền cải cách hành chính")
    _bold(doc.add_paragraph(), "năm 2026 tỉnh Lâm Đồng")
    doc.add_paragraph("")
    doc.add_paragraph("Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng.")
    doc.add_paragraph("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;").runs[0].italic = True
    doc.add_paragraph("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;")
    doc.add_paragraph("Căn cứ Quyết định số 1457/QĐ-UBND ngày 15/09/2022 của UBND tỉnh ban hành Quy chế làm việc.")
    doc.add_paragraph("Thực hiện Thông tư 01/2011/TT-BNV và Luật số 72/2025/QH15, Sở Nội vụ đã lấy ý kiến các sở, ngành "
                      "(có bảng tổng hợp ý kiến đính kèm).")
    if vague:
        doc.add_paragraph("Sở Nội vụ kính trình Ủy ban nhân dân tỉnh xin ý kiến về nội dung trên.")
    else:
        doc.add_paragraph("Sở Nội vụ kính trình Ủy ban nhân dân tỉnh xem xét, ban hành Kế hoạch tuyên truyền "
                          "cải cách hành chính năm 2026 (gửi kèm dự thảo Kế hoạch)./.")
    footer = doc.add_table(rows=1, cols=2)
    left, right = footer.rows[0].cells
    _bold(left.paragraphs[0], "Nơi nhận:")
    left.add_paragraph("- Như trên;")
    left.add_paragraph("- Lãnh đạo Sở;")
    left.add_paragraph("- Lưu: VT, CCHC.")
    _bold(right.paragraphs[0], authority)
    if position:
        _bold(right.add_paragraph(), position)
    if placeholder:
        right.add_paragraph("(Đã ký)")
    right.add_paragraph("")
    _bold(right.add_paragraph(), signer)
    doc.save(path)
    return path


TAB_LAID = (
    "UBND TỈNH LÂM ĐỒNG\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "CÔNG AN TỈNH\t\tĐộc lập-Tự do-Hạnh phúc\n"
    "Số: 519/TTr-CAT-PC06\t\tLâm Đồng, ngày 24 tháng 12 năm 2025\n"
    "\n"
    "TỜ TRÌNH\n"
    "Đề nghị ban hành Quyết định thành lập Ban Chỉ đạo về dữ liệu tỉnh Lâm Đồng\n"
    "\n"
    "Kính gửi:\n"
    "- Chủ tịch Ủy ban nhân dân tỉnh;\n"
    "- Văn phòng Ủy ban nhân dân tỉnh.\n"
    "Căn cứ Quyết định số 2319/QĐ-TTg ngày 20/10/2025 của Thủ tướng Chính phủ về dữ liệu;\n"
    "Công an tỉnh đề nghị Ủy ban nhân dân tỉnh cân nhắc việc thành lập Ban Chỉ đạo.\n"
    "Nơi nhận:\t\tKT GIÁM ĐỐC\n"
    "- Như trên;\t\tPHÓ GIÁM ĐỐC\n"
    "- Lưu: VT, PC06.\n"
    "\t\tĐại tá Nguyễn Văn An\n"
)
