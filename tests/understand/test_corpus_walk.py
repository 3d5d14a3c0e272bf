"""The whole real corpus goes through read + understand without a crash, and what comes out holds
together: every non-scan file with a national title gets an issuing agency or a number, every
number parsed has a symbol, every location points at a real block."""

from __future__ import annotations

from pathlib import Path

import pytest

from vanban.errors import VanbanError
from vanban.read import SUPPORTED_SUFFIXES, read_many
from vanban.understand import understand_many

pytestmark = [pytest.mark.realdocs, pytest.mark.libreoffice]


@pytest.fixture(scope="module")
def understood(realdocs, soffice):
    files = sorted(p for p in realdocs.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
    raws = [r for _, r in read_many(files) if not isinstance(r, VanbanError)]
    assert len(raws) >= 60
    return list(understand_many(raws))


def test_corpus_walk(understood):
    with_heading = 0
    for d in understood:
        raw = d.source
        locations = {b.location for b in raw.blocks}
        for item in (d.national_title, d.issuing_agency, d.subject, d.number, d.date, d.signature):
            if item is not None:
                assert item.location in locations, (raw.path, item)
        for c in d.citations:
            assert c.location in locations and c.raw, raw.path
        if d.number is not None:
            assert d.number.symbol, raw.path
        if raw.is_scan:
            assert d.doc_type is None and d.number is None, raw.path
            continue
        if d.national_title is not None and d.doc_type is not None:
            with_heading += 1
            assert d.issuing_agency is not None or d.number is not None, raw.path
    assert with_heading >= 40


def test_submissions_in_the_corpus(understood):
    """Every tờ trình in the dossiers has number symbol, issuing agency, trích yếu and a signer."""
    submissions = [d for d in understood if d.doc_type == "Tờ trình" and "/dossiers/" in d.path]
    assert len(submissions) >= 14
    for d in submissions:
        assert d.number is not None, d.path
        # one real tờ trình of Sở Nội vụ is numbered 519/SNV-TCCC: read as written (VB121 notes it)
        assert d.number.type_abbr == "TTr" or d.number.symbol == "SNV-TCCC", (d.path, d.number)
        assert d.issuing_agency is not None and d.subject is not None, d.path
        assert d.signature is not None and d.signature.signer_name, d.path
        assert d.recipients, d.path
    signed = [d for d in submissions if d.source.format == "pdf"]
    assert signed and all(d.number.number and d.date.date for d in signed), [
        (Path(d.path).name, d.number, d.date) for d in signed if not (d.number.number and d.date and d.date.date)]
