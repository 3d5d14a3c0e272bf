"""Fixtures of the format-rule tests (documents: lint_builders.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_builders import DECISION, OFFICE_DIR, bd


@pytest.fixture(scope="session")
def bases(tmp_path_factory) -> dict[str, Path]:
    """cv: the generator's công văn; ct: its chỉ thị; qd: a Quyết định with căn cứ lines."""
    from vanban.config import read_data_file
    from vanban.generate import load_office, render_document

    out = tmp_path_factory.mktemp("bases")
    office = load_office(OFFICE_DIR / "vanban.yaml")
    paths = {}
    for key, kind in (("cv", "cong-van"), ("ct", "chi-thi")):
        data = read_data_file(OFFICE_DIR / f"{kind}.yaml")
        paths[key] = render_document(kind, data, out / f"{kind}.docx", office=office, db_path=out / "db.sqlite3",
                                     data_path=OFFICE_DIR / f"{kind}.yaml").path
    paths["qd"] = bd.write_docx(DECISION, out / "quyet-dinh.docx")
    return {k: Path(v) for k, v in paths.items()}
