"""Reminders and criticism: exact selections, numbering through the outgoing register, the history,
and the letters written through the generator (read back from the .docx)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import docx
import pytest
from click.testing import CliRunner

from vanban.calendar import WorkCalendar
from vanban.cli import main
from vanban.tasks.history import LetterRecord, letters_by_task, open_history, record_letters
from vanban.tasks.register import load_register
from vanban.tasks.select import select_criticism, select_reminders
from vanban.tasks.status import statuses

from .helpers import row, write_xlsx

D = dt.date
NV, TC, DT = "Sở Nội vụ", "Sở Tài chính", "UBND xã Đức Trọng"
ROWS = [
    row(1, "10/QĐ-UBND", D(2026, 2, 2), NV, "Nhiệm vụ A quá hạn", D(2026, 3, 10)),
    row(2, "11/QĐ-UBND", D(2026, 2, 2), NV, "Nhiệm vụ B sắp đến hạn", D(2026, 3, 20), result="Đang dự thảo"),
    row(3, "12/QĐ-UBND", D(2026, 2, 2), NV, "Nhiệm vụ C còn xa hạn", D(2026, 3, 30)),
    row(4, "20/UBND-TH", D(2026, 2, 3), TC, "Nhiệm vụ D xong đúng ngày hạn", D(2026, 3, 13), completed=D(2026, 3, 13)),
    row(5, "21/UBND-TH", D(2026, 2, 3), TC, "Nhiệm vụ E gia hạn kịp thời", D(2026, 3, 6), requested=D(2026, 3, 4),
        new_deadline=D(2026, 3, 27)),
    row(6, "22/UBND-TH", D(2026, 2, 3), TC, "Nhiệm vụ F gia hạn muộn", D(2026, 3, 6), requested=D(2026, 3, 5),
        new_deadline=D(2026, 3, 27)),
    row(7, "5/TB-UBND", D(2026, 2, 4), DT, "Nhiệm vụ G không thời hạn", None),
    row(8, "6/TB-UBND", D(2026, 2, 4), DT, "Nhiệm vụ H đến hạn hôm nay", D(2026, 3, 16)),
]
CAL = WorkCalendar()


def contents(selection):
    return {unit: [s.status.task.content.split()[2] for s in items] for unit, items in selection.items()}


@pytest.fixture()
def register(tmp_path):
    return write_xlsx(tmp_path / "so-nhiem-vu.xlsx", ROWS)


def test_reminder_selection_within_n_working_days(register):
    tasks = load_register(register).tasks
    seen = statuses(tasks, D(2026, 3, 16), CAL)
    assert contents(select_reminders(seen, 5)) == {NV: ["A", "B"], TC: ["F"], DT: ["H"]}
    assert contents(select_reminders(seen, 10)) == {NV: ["A", "B", "C"], TC: ["F", "E"], DT: ["H"]}
    assert contents(select_reminders(seen, 5, unit="sở tài chính")) == {TC: ["F"]}
    reasons = {s.status.task.content.split()[2]: s.reason for items in select_reminders(seen, 5).values()
               for s in items}
    assert reasons == {"A": "quá hạn 4 ngày làm việc", "B": "còn 4 ngày làm việc", "F": "quá hạn 6 ngày làm việc",
                       "H": "đến hạn hôm nay"}


def test_criticism_selection_after_k_reminders(register, tmp_path):
    tasks = {t.content.split()[2]: t for t in load_register(register).tasks}
    conn = open_history(tmp_path / "h.sqlite3")
    from vanban.tasks.history import import_tasks

    import_tasks(conn, tasks.values(), "so")
    record_letters(conn, [LetterRecord(tasks[k].id, "don-doc", "01", "UBND-TH", D(2026, 3, 16), tasks[k].unit, None)
                          for k in "ABFH"])
    record_letters(conn, [LetterRecord(tasks[k].id, "don-doc", "04", "UBND-TH", D(2026, 3, 23), tasks[k].unit, None)
                          for k in "ABCEFH"])
    seen = statuses(tasks.values(), D(2026, 3, 24), CAL)
    reminders = letters_by_task(conn, "don-doc", D(2026, 3, 24))
    assert contents(select_criticism(seen, reminders, {}, 2)) == {NV: ["A", "B"], TC: ["F"], DT: ["H"]}
    # K = 1: C and E (reminded once, still in time) come in too
    assert contents(select_criticism(seen, reminders, {}, 1)) == {NV: ["A", "B", "C"], TC: ["F", "E"], DT: ["H"]}
    # reminders sent after the as-of day do not count
    early = letters_by_task(conn, "don-doc", D(2026, 3, 20))
    assert contents(select_criticism(statuses(tasks.values(), D(2026, 3, 20), CAL), early, {}, 1)) == \
        {NV: ["A", "B"], TC: ["F"], DT: ["H"]}
    # a task criticised already is not criticised again
    criticized = {tasks["A"].id: []}
    assert contents(select_criticism(seen, reminders, criticized, 2))[NV] == ["B"]
    conn.close()


def _docx_text(path):
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_remind_then_criticize_through_the_cli(register, tmp_path):
    db = tmp_path / "vanban.sqlite3"
    out = tmp_path / "thu"
    runner = CliRunner()
    base = ["tasks", "remind", "--register", str(register), "--db", str(db), "--number", "auto", "-o", str(out)]
    first = runner.invoke(main, [*base, "--as-of", "16/03/2026"])
    assert first.exit_code == 0, first.output
    assert "Đã soạn 3 công văn đôn đốc ngày 16/03/2026" in first.output
    assert f"  - {NV}: 2 nhiệm vụ; số 01/UBND-TH;" in first.output
    assert f"  - {TC}: 1 nhiệm vụ; số 02/UBND-TH;" in first.output
    assert f"  - {DT}: 1 nhiệm vụ; số 03/UBND-TH;" in first.output
    text = _docx_text(out / "don-doc-so-noi-vu.docx")
    assert "Kính gửi: Sở Nội vụ" in text
    assert "Nhiệm vụ A quá hạn (theo Văn bản số 10/QĐ-UBND ngày 02/02/2026 của UBND tỉnh)" in text
    assert "thời hạn: 10/03/2026; tình hình: chưa thực hiện, chưa hoàn thành (quá hạn 4 ngày làm việc)" in text
    assert "còn 4 ngày làm việc đến hạn" in text
    assert "trước ngày 23/03/2026" in text  # 5 working days after 16/03

    # the same run again: files exist, nothing is written and no number is taken
    again = runner.invoke(main, [*base, "--as-of", "16/03/2026"])
    assert again.exit_code == 4 and "--force" in again.output
    second = runner.invoke(main, [*base, "--as-of", "23/03/2026", "-o", str(tmp_path / "thu2")])
    assert second.exit_code == 0, second.output
    assert f"  - {NV}: 3 nhiệm vụ; số 04/UBND-TH;" in second.output
    assert f"  - {TC}: 2 nhiệm vụ; số 05/UBND-TH;" in second.output

    crit = ["tasks", "criticize", "--register", str(register), "--db", str(db), "--number", "auto",
            "-o", str(tmp_path / "pb"), "--as-of", "2026-03-24"]
    result = runner.invoke(main, crit)
    assert result.exit_code == 0, result.output
    assert "Đã soạn 3 công văn phê bình ngày 24/03/2026" in result.output
    assert f"  - {NV}: 2 nhiệm vụ; số 07/UBND-TH;" in result.output
    text = _docx_text(tmp_path / "pb" / "phe-binh-so-noi-vu.docx")
    assert "văn bản số 01/UBND-TH ngày 16/03/2026, văn bản số 04/UBND-TH ngày 23/03/2026" in text
    assert "trước ngày 31/03/2026" in text  # 5 working days after 24/03
    assert "Nhiệm vụ C" not in text

    with sqlite3.connect(db) as conn:
        kinds = conn.execute("SELECT kind, COUNT(*) FROM tasks_letter GROUP BY kind ORDER BY kind").fetchall()
        outgoing = conn.execute("SELECT COUNT(*) FROM outgoing").fetchone()[0]
    assert kinds == [("don-doc", 4 + 6), ("phe-binh", 4)]
    assert outgoing == 9  # the generator's outgoing register: 3 + 3 + 3 letters

    repeat = runner.invoke(main, [*crit[:-2], "--as-of", "2026-03-25", "-o", str(tmp_path / "pb2")])
    assert repeat.exit_code == 0
    assert "Không có đơn vị nào cần phê bình." in repeat.output


def test_draft_letters_are_not_recorded(register, tmp_path):
    db = tmp_path / "vanban.sqlite3"
    result = CliRunner().invoke(main, ["tasks", "remind", "--register", str(register), "--db", str(db),
                                       "--as-of", "2026-03-16", "-o", str(tmp_path / "o"), "--unit", NV])
    assert result.exit_code == 0, result.output
    assert f"  - {NV}: 2 nhiệm vụ; dự thảo, chưa cấp số;" in result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM tasks_letter").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM tasks_task").fetchone()[0] == 8


def test_config_file_sets_n_and_is_validated(register, tmp_path):
    config = tmp_path / "nhiem-vu.yaml"
    config.write_text("remind_within_days: 10\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["tasks", "remind", "--register", str(register), "--db", str(tmp_path / "d"),
                                       "--config", str(config), "--as-of", "2026-03-16", "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert f"  - {NV}: 3 nhiệm vụ" in result.output and f"  - {TC}: 2 nhiệm vụ" in result.output
    config.write_text("remind_within_days: muoi\n", encoding="utf-8")
    bad = CliRunner().invoke(main, ["tasks", "remind", "--register", str(register), "--config", str(config)])
    assert bad.exit_code == 5
    assert "remind_within_days" in bad.output and str(config) in bad.output
