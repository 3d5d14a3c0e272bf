"""Each kind through LibreOffice: a real PDF on A4 (the report's appendices landscape) with the text in place."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from vanban.generate import render_document

from .conftest import KINDS, OFFICE_DIR, sample_data

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, office, soffice):
    out = tmp_path_factory.mktemp("pdf")
    return {kind: render_document(kind, sample_data(kind), out / f"{kind}.docx", office=office,
                                  db_path=out / "db.sqlite3", pdf=True, data_path=OFFICE_DIR / f"{kind}.yaml")
            for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_pages(pdfs, kind):
    result = pdfs[kind]
    assert result.pdf_path is not None and result.pdf_path.is_file()
    reader = PdfReader(str(result.pdf_path))
    first = reader.pages[0]
    width_mm = float(first.mediabox.width) / 72 * 25.4
    height_mm = float(first.mediabox.height) / 72 * 25.4
    assert abs(width_mm - 210) < 1 and abs(height_mm - 297) < 1
    if kind == "bao-cao-nhiem-vu":  # the body is portrait, the appendices landscape
        last = reader.pages[-1]
        assert abs(float(last.mediabox.width) / 72 * 25.4 - 297) < 1
    text = first.extract_text()
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert f"{result.number}/{result.symbol}" in text
    # page numbers: none on page 1, "2" at the top of page 2
    if len(reader.pages) > 1:
        second = reader.pages[1].extract_text().strip().splitlines()
        assert second[0].strip() == "2"
    assert not text.strip().splitlines()[0].strip().isdigit()


def test_no_pdf_without_libreoffice(tmp_path, office, monkeypatch):
    from vanban.errors import MissingToolError
    from vanban.generate import pdf as pdf_module

    # the same lookup as the .doc reader: $VANBAN_SOFFICE names the executable, here one that is not there
    monkeypatch.setenv("VANBAN_SOFFICE", str(tmp_path / "khong-co-soffice"))
    assert pdf_module.find_soffice() is None
    with pytest.raises(MissingToolError, match="cần LibreOffice"):
        render_document("cong-van", sample_data("cong-van"), tmp_path / "x.docx", office=office, pdf=True)
    assert not (tmp_path / "x.docx").exists() and not (tmp_path / "x.pdf").exists()
