"""One date parser for the command line, data files and registers."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from vanban.cli import main
from vanban.dates import BadDate, match_date, parse_date


@pytest.mark.parametrize("text", ["15/10/2026", "15-10-2026", "15.10.2026", " 15 / 10 / 2026 ", "2026-10-15"])
def test_the_forms_offices_write(text):
    assert parse_date(text) == dt.date(2026, 10, 15)


def test_impossible_and_unreadable_days():
    with pytest.raises(BadDate, match="ngày không có thật: '31/02/2026'"):
        parse_date("31/02/2026")
    with pytest.raises(BadDate, match="không hiểu ngày 'hôm qua'"):
        parse_date("hôm qua")
    assert match_date("Quý III") is None


@pytest.mark.parametrize("command", [["check", "fixtures/dossiers", "--meeting"], ["tasks", "status", "--register",
                                     "fixtures/tasks/so-theo-doi-nhiem-vu-2026.csv", "--as-of"]])
def test_every_command_takes_the_same_dates(command, monkeypatch):
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    bad = CliRunner().invoke(main, [*command, "31/02/2026"])
    assert bad.exit_code == 2 and "ngày không có thật: '31/02/2026'" in bad.output
    wrong = CliRunner().invoke(main, [*command, "hôm-qua"])
    assert wrong.exit_code == 2 and "'hôm-qua' không phải ngày (dd/mm/yyyy hoặc yyyy-mm-dd)" in wrong.output
