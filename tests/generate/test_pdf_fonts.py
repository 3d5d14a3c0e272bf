"""Generated PDFs carry exactly the Vietnamese that was put in, in one typeface (issue: fresh machines).

LibreOffice draws Times New Roman with Liberation Serif; Liberation 1.07 lacks
letters such as ộ, ệ, ư, ơ, and then the PDF mixes two fonts and its text comes
out scrambled ("UBND T NH LÂM Đ NGỈ Ồ"). These tests fail on such a machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from vanban.generate import render_document
from vanban.generate import fonts

from .conftest import OFFICE_DIR, sample_data

pytestmark = pytest.mark.libreoffice


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@pytest.fixture(scope="module")
def letter(tmp_path_factory, office, soffice):
    out = tmp_path_factory.mktemp("fonts")
    data = sample_data("cong-van")
    result = render_document("cong-van", data, out / "cong-van.docx", office=office, db_path=out / "db.sqlite3",
                             pdf=True, data_path=OFFICE_DIR / "cong-van.yaml")
    return data, result


def test_pdf_text_is_exactly_the_vietnamese_put_in(letter):
    data, result = letter
    text = _squash(" ".join(page.extract_text() for page in PdfReader(str(result.pdf_path)).pages))
    # every paragraph of the body, letter for letter (a missing ộ or a substituted glyph breaks it)
    for paragraph in data["paragraphs"]:
        assert _squash(paragraph) in text, paragraph
    assert "V/v " + data["subject"] in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert text == unicodedata.normalize("NFC", text)


def test_pdf_uses_one_typeface(letter):
    _, result = letter
    families = set()
    for page in PdfReader(str(result.pdf_path)).pages:
        for font in page["/Resources"]["/Font"].values():
            base = str(font.get_object()["/BaseFont"])
            base = base.split("+", 1)[-1].lstrip("/")  # subset prefix ABCDEF+
            families.add(re.split(r"[-,]", base)[0])
    assert families == {"LiberationSerif"}, families


def test_no_font_warning_on_a_machine_with_liberation_2():
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig (fc-match) chưa cài")
    fonts.font_warning.cache_clear()
    assert fonts.font_warning() is None, fonts.font_warning()


@pytest.fixture
def latin1_fontconfig(tmp_path):
    """A real fontconfig set-up whose only serif font is Liberation Serif cut down to Latin-1,
    as fonts-liberation 1.07 effectively is for Vietnamese."""
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig (fc-match) chưa cài")
    from fontTools import subset

    source = subprocess.run(["fc-match", "-f", "%{file}", "Liberation Serif"], capture_output=True, text=True).stdout
    if "Liberation" not in source:
        pytest.skip("Liberation Serif chưa cài")
    font_dir = tmp_path / "fonts"
    font_dir.mkdir()
    options = subset.Options()
    options.name_IDs = ["*"]
    font = subset.load_font(source, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=range(0x20, 0x100))
    subsetter.subset(font)
    font.save(str(font_dir / "LiberationSerif-Latin1.ttf"))
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{font_dir}</dir>
  <cachedir>{tmp_path / 'cache'}</cachedir>
  <alias binding="same"><family>Times New Roman</family><accept><family>Liberation Serif</family></accept></alias>
</fontconfig>
""", encoding="utf-8")
    fonts.font_warning.cache_clear()
    yield conf
    fonts.font_warning.cache_clear()


def test_font_warning_names_the_package_when_the_serif_font_lacks_vietnamese(latin1_fontconfig, monkeypatch):
    monkeypatch.setenv("FONTCONFIG_FILE", str(latin1_fontconfig))
    assert fonts.matched_family() == "Liberation Serif"
    assert fonts.vietnamese_families() == set()
    message = fonts.font_warning()
    assert message is not None
    assert "fonts-liberation2" in message and "Liberation Serif" in message
    assert message == unicodedata.normalize("NFC", message)


def test_cli_warns_before_writing_a_pdf_with_the_wrong_font(latin1_fontconfig, tmp_path):
    """The same set-up through `vanban generate --pdf`: the warning reaches the clerk, in Vietnamese."""
    from click.testing import CliRunner

    from vanban.cli import main

    env = {"FONTCONFIG_FILE": str(latin1_fontconfig), "VANBAN_SOFFICE": str(tmp_path / "khong-co-soffice")}
    result = CliRunner().invoke(main, ["generate", "cong-van", "--data", str(OFFICE_DIR / "cong-van.yaml"),
                                       "--office", str(OFFICE_DIR / "vanban.yaml"), "--db",
                                       str(tmp_path / "db.sqlite3"), "-o", str(tmp_path / "cv.docx"), "--pdf"],
                                env=env)
    assert "Cảnh báo: phông Times New Roman được thay bằng Liberation Serif" in result.output, result.output
    assert "fonts-liberation2" in result.output
