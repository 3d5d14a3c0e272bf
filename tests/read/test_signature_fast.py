"""The fast signature path (pypdf reader, own revision reading, CMS) gives exactly pyHanko's results.

``read_signatures_fast`` decides only what it can prove pyHanko would decide the same way and returns
None otherwise; ``read_signatures`` then falls back to ``read_signatures_pyhanko``. On the real
corpus every file's result list (all DigitalSignature fields and the notes) must equal pyHanko's,
and most signatures must be decided without pyHanko. Generated files cover an edit after signing
(modified) and a second signature only (not modified).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from pdfsigning import draw_after_signing, self_signed_signer, sign_pdf
from vanban.read.pdf_signatures import read_signatures, read_signatures_fast, read_signatures_pyhanko
from vanban.read.pdf_widgets import install_fast_pypdf_hex


def _both(path: Path):
    """(fast result or None, result of read_signatures, pyHanko's result) for one file."""
    install_fast_pypdf_hex()  # as pdf.py does before opening
    data = path.read_bytes()
    reader = PdfReader(io.BytesIO(data), strict=False)
    encrypted = reader.is_encrypted
    if encrypted:
        reader.decrypt("")
    fast = None if encrypted else read_signatures_fast(data, {}, len(data), reader)
    chosen = read_signatures(io.BytesIO(data), {}, len(data), encrypted=encrypted, reader=reader)
    old = read_signatures_pyhanko(io.BytesIO(data), {}, len(data), encrypted=encrypted)
    return fast, chosen, old


@pytest.mark.realdocs
def test_fast_path_equals_pyhanko_on_every_real_pdf():
    root = os.environ.get("VANBAN_REALDOCS")
    if not root:
        pytest.skip("VANBAN_REALDOCS is not set: the real dossiers are not available here")
    pdfs = sorted(p for p in Path(root).rglob("*") if p.suffix.lower() == ".pdf")
    assert pdfs, root
    signatures = decided = 0
    for path in pdfs:
        fast, chosen, old = _both(path)
        assert chosen == old, path
        if fast is not None:
            assert fast == old, path
            decided += len(fast[0])
        signatures += len(old[0])
    # 156 of the 166 signatures of the corpus on 2026-12-01; the rest go to pyHanko
    assert signatures >= 100 and decided >= 0.85 * signatures, (decided, signatures)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """(signed once, signed twice, page content added after the first signature)."""
    from pypdf import PdfWriter

    folder = tmp_path_factory.mktemp("sig-fast")
    blank = folder / "blank.pdf"
    from pypdf.generic import DecodedStreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    content = DecodedStreamObject()
    content.set_data(b"0 0 0 rg 60 700 400 20 re f")
    page.replace_contents(content)
    with open(blank, "wb") as handle:
        writer.write(handle)
    once = folder / "once.pdf"
    sign_pdf(blank, once, "Signature1", self_signed_signer("Nguyễn Văn Ánh", "SỞ NỘI VỤ"), box=(300, 60, 500, 120))
    twice = folder / "twice.pdf"
    sign_pdf(once, twice, "Signature2", self_signed_signer("SỞ NỘI VỤ", "UBND TỈNH LÂM ĐỒNG"),
             box=(100, 60, 250, 120))
    edited = folder / "edited.pdf"
    draw_after_signing(once, edited)
    return once, twice, edited


def test_signed_once_covers_the_whole_file(generated):
    once, _, _ = generated
    fast, chosen, old = _both(once)
    assert fast == chosen == old
    (signature,) = fast[0]
    assert (signature.field_name, signature.signer_name, signature.organization) == (
        "Signature1", "Nguyễn Văn Ánh", "SỞ NỘI VỤ")
    assert signature.intact is True and signature.covers_whole_file is True
    assert signature.modified_after_signing is False


def test_a_second_signature_is_not_a_modification(generated):
    _, twice, _ = generated
    fast, chosen, old = _both(twice)
    assert fast is not None, "a plain second signature is decided without pyHanko"
    assert fast == chosen == old
    first, second = fast[0]
    assert first.field_name == "Signature1" and first.covers_whole_file is False
    assert first.intact is True and first.modified_after_signing is False
    assert second.covers_whole_file is True and second.modified_after_signing is False


def test_page_content_added_after_signing_is_a_modification(generated):
    _, _, edited = generated
    fast, chosen, old = _both(edited)
    assert chosen == old
    (signature,) = chosen[0]
    assert signature.intact is True and signature.covers_whole_file is False
    assert signature.modified_after_signing is True
    assert fast is None or fast == old
