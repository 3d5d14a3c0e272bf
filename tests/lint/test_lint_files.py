"""What fix writes opens in LibreOffice with the fixed layout and keeps Word's property order; a PDF is
linted read-only (its faults found, none offered as fixable)."""

from __future__ import annotations

import subprocess
from pypdf import PdfReader

from lint_builders import REPO, mutate
from test_lint_rules import drop_archive, every_font, letter_page, narrow_left, retext, set_runs, is_motto, is_title
from vanban.lint import lint_file
from vanban.lint.fix import fix_file


def _to_pdf(soffice, path, tmp_path):
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(path.parent), str(path)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    return path.with_suffix(".pdf")


def _faulty(bases, tmp_path):
    def change(d):
        letter_page(d)
        narrow_left(d)
        every_font(d, "Arial")
        set_runs(d, is_title, bold=False)
        retext(d, is_motto, " - ", " – ")
        drop_archive(d)
    return mutate(bases["cv"], tmp_path / "cong van sai.docx", change)


def test_the_fixed_file_opens_in_libreoffice_as_a4(bases, tmp_path, soffice):
    source = _faulty(bases, tmp_path)
    out = tmp_path / "cong van sua.docx"
    fix_file(source, out)
    page = PdfReader(_to_pdf(soffice, out, tmp_path)).pages[0]
    width, height = (float(v) * 25.4 / 72 for v in (page.mediabox.width, page.mediabox.height))
    assert abs(width - 210) < 1 and abs(height - 297) < 1
    text = page.extract_text()
    assert "Độc lập - Tự do - Hạnh phúc" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    fonts = {str(f.get_object().get("/BaseFont")) for f in (page["/Resources"].get("/Font") or {}).values()}
    assert not any("Arial" in f or "Liberation Sans" in f.replace("-", " ") for f in fonts), fonts


def test_fixed_properties_stay_in_schema_order(bases, tmp_path):
    """Word refuses a file whose run or paragraph properties repeat or come out of order: the generator
    tests' own check (tests/generate/conftest.py) on what fix wrote."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_conftest", REPO / "tests" / "generate" / "conftest.py")
    generate_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate_conftest)
    out = tmp_path / "sua.docx"
    fix_file(_faulty(bases, tmp_path), out)
    generate_conftest.assert_properties_in_schema_order(out)


def test_a_pdf_is_linted_read_only(bases, tmp_path, soffice):
    good = lint_file(_to_pdf(soffice, bases["cv"], tmp_path))
    assert good.format == "pdf" and not good.failed and good.findings == [], [f.message for f in good.findings]
    letter = mutate(bases["cv"], tmp_path / "kho thu.docx", lambda d: (letter_page(d), retext(d, is_motto, " - ", " – ")))
    bad = lint_file(_to_pdf(soffice, letter, tmp_path))
    assert {f.rule_id for f in bad.findings} == {"VB601", "VB605"}
    assert not any(f.fixable for f in bad.findings)


def test_a_table_as_wide_as_the_old_text_area_is_narrowed_with_the_margins(bases, tmp_path):
    """Margins 20/5 mm and tables stretched over the whole text area (as the office's phiếu trình has them):
    once the margins are 30/15 mm, each table fits the new text area again, its columns in proportion."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm

    def wide(d):
        section = d.sections[0]
        section.left_margin, section.right_margin = Mm(20), Mm(5)
        for table in d.element.body.iter(qn("w:tbl")):
            cols = table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
            factor = Mm(185).twips / sum(int(c.get(qn("w:w"))) for c in cols)
            for el in table.iter(qn("w:gridCol"), qn("w:tcW")):
                el.set(qn("w:w"), str(int(int(el.get(qn("w:w"))) * factor)))

    source = mutate(bases["cv"], tmp_path / "rong.docx", wide)
    report = fix_file(source, tmp_path / "sua.docx")
    assert any("thu hẹp" in c.what for c in report.changes)
    body = docx.Document(str(tmp_path / "sua.docx")).element.body
    for table in body.iter(qn("w:tbl")):
        cols = [int(c.get(qn("w:w"))) for c in table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
        assert sum(cols) <= Mm(165).twips + 5, cols


def test_a_doc_is_fixed_into_a_docx(bases, tmp_path, soffice):
    """A Word 97 .doc (made by LibreOffice here) is read through LibreOffice and fixed into a new .docx."""
    source = mutate(bases["cv"], tmp_path / "kho thu.docx", letter_page)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--norestore",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    doc = tmp_path / "kho thu.doc"
    assert "VB601" in {f.rule_id for f in lint_file(doc).findings}
    report = fix_file(doc, tmp_path / "da sua.docx")
    assert "VB601" in {c.rule_id for c in report.changes}
    assert "VB601" not in {f.rule_id for f in lint_file(tmp_path / "da sua.docx").findings}
