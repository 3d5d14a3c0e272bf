"""Reminders and criticism: exact selections, numbering through the outgoing register, the history,
and the letters written through the generator (read back from the .docx)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from vanban.calendar import WorkCalendar
from vanban.cli import main
from vanban.tasks.history import LetterRecord, letters_by_task, open_history, record_letters
from vanban.tasks.register import load_register
from vanban.tasks.select import Rules, select_criticism, select_reminders
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


RULES = Rules(within_days=5, after_reminders=2, wait_days=5)


def _letters(conn, kind, day):
    return letters_by_task(conn, kind, day)


def test_reminder_selection_within_n_working_days(register):
    tasks = load_register(register).tasks
    seen = statuses(tasks, D(2026, 3, 16), CAL)
    assert contents(select_reminders(seen, {}, {}, RULES, CAL)) == {NV: ["A", "B"], TC: ["F"], DT: ["H"]}
    ten = Rules(within_days=10, after_reminders=2, wait_days=5)
    assert contents(select_reminders(seen, {}, {}, ten, CAL)) == {NV: ["A", "B", "C"], TC: ["F", "E"], DT: ["H"]}
    assert contents(select_reminders(seen, {}, {}, RULES, CAL, unit="sở tài chính")) == {TC: ["F"]}
    reasons = {s.status.task.content.split()[2]: s.reason for items in select_reminders(seen, {}, {}, RULES, CAL).values()
               for s in items}
    assert reasons == {"A": "quá hạn 4 ngày làm việc", "B": "còn 4 ngày làm việc", "F": "quá hạn 6 ngày làm việc",
                       "H": "đến hạn hôm nay"}


@pytest.fixture()
def reminded(register, tmp_path):
    """Reminders on 16/03 (A, B, F, H) and on 23/03 (A, B, C, E, F, H)."""
    tasks = {t.content.split()[2]: t for t in load_register(register).tasks}
    conn = open_history(tmp_path / "h.sqlite3")
    from vanban.tasks.history import import_tasks

    import_tasks(conn, tasks.values(), "so")
    record_letters(conn, [LetterRecord(tasks[k].id, "don-doc", "01", "UBND-TH", D(2026, 3, 16), tasks[k].unit, "a")
                          for k in "ABFH"])
    record_letters(conn, [LetterRecord(tasks[k].id, "don-doc", "04", "UBND-TH", D(2026, 3, 23), tasks[k].unit, "b")
                          for k in "ABCEFH"])
    yield tasks, conn
    conn.close()


def _criticize(tasks, conn, day, rules=RULES):
    seen = statuses(tasks.values(), day, CAL)
    return select_criticism(seen, _letters(conn, "don-doc", day), _letters(conn, "phe-binh", day), rules, CAL)


def test_criticism_only_after_k_reminders_and_the_wait_without_result(reminded):
    tasks, conn = reminded
    # 16/03, the day of the first reminder, and 23/03, the day of the second: nobody
    assert contents(_criticize(tasks, conn, D(2026, 3, 16))) == {}
    assert contents(_criticize(tasks, conn, D(2026, 3, 23))) == {}
    # 24/03 to 27/03: two reminders, but the 5 working days to report back after 23/03 are not over
    waiting = _criticize(tasks, conn, D(2026, 3, 27))
    assert contents(waiting) == {} and waiting.held["còn trong thời hạn báo cáo sau đôn đốc"] == 4
    # 30/03 = 23/03 + 5 working days: A, B (overdue since 20/03), F (extension asked late), H
    due = _criticize(tasks, conn, D(2026, 3, 30))
    assert contents(due) == {NV: ["A", "B"], TC: ["F"], DT: ["H"]}
    # E asked for an extension in time: never criticised, even overdue after the new deadline (27/03)
    assert statuses([tasks["E"]], D(2026, 3, 30), CAL)[0].overdue_days == 1
    assert due.held["đã đề nghị gia hạn kịp thời"] == 1
    assert _criticize(tasks, conn, D(2026, 4, 30)).held["đã đề nghị gia hạn kịp thời"] == 1
    # the reason states the letters and the days late
    reasons = {s.status.task.content.split()[2]: s.reason for items in due.values() for s in items}
    assert reasons["A"] == ("đã đôn đốc 2 lần (các Công văn số 01/UBND-TH ngày 16/03/2026 và số 04/UBND-TH ngày "
                            "23/03/2026), quá hạn 14 ngày làm việc, chưa hoàn thành")
    # K = 1: C, reminded once on 23/03, comes in once it is overdue and the wait is over
    one = Rules(within_days=5, after_reminders=1, wait_days=5)
    assert contents(_criticize(tasks, conn, D(2026, 3, 30), one)) == {NV: ["A", "B"], TC: ["F"], DT: ["H"]}
    assert contents(_criticize(tasks, conn, D(2026, 3, 31), one)) == {NV: ["A", "B", "C"], TC: ["F"], DT: ["H"]}
    # K = 3: nobody yet
    assert contents(_criticize(tasks, conn, D(2026, 3, 30), Rules(5, 3, 5))) == {}
    # a second letter on a day already counted (a run into another folder) is not one more reminder
    record_letters(conn, [LetterRecord(tasks["A"].id, "don-doc", "05", "UBND-TH", D(2026, 3, 23), NV, "b2")])
    assert contents(_criticize(tasks, conn, D(2026, 3, 30), Rules(5, 3, 5))) == {}


def test_a_task_criticised_is_not_criticised_again_nor_reminded_while_it_is_due(reminded):
    tasks, conn = reminded
    record_letters(conn, [LetterRecord(tasks["A"].id, "phe-binh", "07", "UBND-TH", D(2026, 3, 30), NV, "c")])
    # the same day again (a rerun) selects the same tasks; the day after, A is not criticised twice
    assert contents(_criticize(tasks, conn, D(2026, 3, 30)))[NV] == ["A", "B"]
    assert contents(_criticize(tasks, conn, D(2026, 3, 31)))[NV] == ["B"]
    # reminders on 30/03: the tasks due for criticism are left to the criticism letter
    seen = statuses(tasks.values(), D(2026, 3, 30), CAL)
    picked = select_reminders(seen, _letters(conn, "don-doc", D(2026, 3, 30)), _letters(conn, "phe-binh", D(2026, 3, 30)),
                              RULES, CAL)
    assert contents(picked) == {NV: ["C"], TC: ["E"]}
    assert picked.held["đến lượt phê bình"] == 4
    # 24/03: everything reminded on 23/03 is still within its 5 days to report back
    early = select_reminders(statuses(tasks.values(), D(2026, 3, 24), CAL), _letters(conn, "don-doc", D(2026, 3, 24)),
                             {}, RULES, CAL)
    assert contents(early) == {} and early.held["còn trong thời hạn báo cáo sau đôn đốc"] == 6


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
    assert "đã có Công văn" not in text  # a first reminder names no earlier letter
    one = _docx_text(out / "don-doc-ubnd-xa-duc-trong.docx")
    assert "thực hiện nhiệm vụ nêu trên" in one and "các nhiệm vụ" not in one  # one task: no "các"

    # the same run again: files exist, nothing is written and no number is taken
    again = runner.invoke(main, [*base, "--as-of", "16/03/2026"])
    assert again.exit_code == 4 and "--force" in again.output
    # the same day criticises nobody: the reminders of that day are the first ones
    crit = ["tasks", "criticize", "--register", str(register), "--db", str(db), "--number", "auto",
            "-o", str(tmp_path / "pb")]
    same_day = runner.invoke(main, [*crit, "--as-of", "16/03/2026"])
    assert same_day.exit_code == 0, same_day.output
    assert "Không có đơn vị nào cần phê bình (chưa phê bình: 2 nhiệm vụ chưa đủ số lần đôn đốc)." in same_day.output

    second = runner.invoke(main, [*base, "--as-of", "23/03/2026", "-o", str(tmp_path / "thu2")])
    assert second.exit_code == 0, second.output
    assert f"  - {NV}: 3 nhiệm vụ; số 04/UBND-TH;" in second.output
    assert f"  - {TC}: 2 nhiệm vụ; số 05/UBND-TH;" in second.output
    text = _docx_text(tmp_path / "thu2" / "don-doc-so-noi-vu.docx")
    assert "UBND tỉnh đã có Công văn số 01/UBND-TH ngày 16/03/2026 đôn đốc Sở Nội vụ" in text
    # C was not in the first letter: each task says which letter reminded it
    assert "tình hình: đã được đôn đốc tại Công văn số 01/UBND-TH ngày 16/03/2026, chưa thực hiện" in text

    result = runner.invoke(main, [*crit, "--as-of", "2026-03-30"])
    assert result.exit_code == 0, result.output
    assert "Đã soạn 3 công văn phê bình ngày 30/03/2026" in result.output
    assert f"  - {NV}: 2 nhiệm vụ; số 07/UBND-TH;" in result.output
    assert "Chưa phê bình: 1 nhiệm vụ đã đề nghị gia hạn kịp thời." in result.output
    text = _docx_text(tmp_path / "pb" / "phe-binh-so-noi-vu.docx")
    assert ("UBND tỉnh đã có các Công văn số 01/UBND-TH ngày 16/03/2026 và số 04/UBND-TH ngày 23/03/2026 đôn đốc "
            "Sở Nội vụ thực hiện các nhiệm vụ được giao") in text
    assert "trước ngày 06/04/2026" in text  # 5 working days after 30/03
    assert "Nhiệm vụ C" not in text and "không báo cáo lý do" not in text
    text = _docx_text(tmp_path / "pb" / "phe-binh-so-tai-chinh.docx")
    assert "chưa hoàn thành nhiệm vụ sau" in text and "các nhiệm vụ" not in text
    assert ("có đề nghị gia hạn ngày 05/03/2026 nhưng không bảo đảm thời gian đề nghị trước hạn ít nhất 02 ngày "
            "làm việc nên không được gia hạn") in text
    assert "Nhiệm vụ E" not in text

    with sqlite3.connect(db) as conn:
        kinds = conn.execute("SELECT kind, COUNT(*) FROM tasks_letter GROUP BY kind ORDER BY kind").fetchall()
        outgoing = conn.execute("SELECT COUNT(*) FROM outgoing").fetchone()[0]
    assert kinds == [("don-doc", 4 + 6), ("phe-binh", 4)]
    assert outgoing == 9  # the generator's outgoing register: 3 + 3 + 3 letters

    repeat = runner.invoke(main, [*crit, "--as-of", "2026-03-31", "-o", str(tmp_path / "pb2")])
    assert repeat.exit_code == 0
    assert "Không có đơn vị nào cần phê bình" in repeat.output


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


def test_letters_written_again_keep_their_numbers_and_history(register, tmp_path):
    from vanban.generate.register import list_entries, unused_numbers

    db = tmp_path / "vanban.sqlite3"
    out = tmp_path / "thu"
    base = ["tasks", "remind", "--register", str(register), "--db", str(db), "--number", "auto", "-o", str(out),
            "--as-of", "16/03/2026"]
    runner = CliRunner()
    first = runner.invoke(main, base)
    again = runner.invoke(main, [*base, "--force"])
    assert first.exit_code == 0 and again.exit_code == 0, again.output
    numbered = [line for line in first.output.splitlines() if line.startswith("  - ")]
    assert [line for line in again.output.splitlines() if line.startswith("  - ")] == numbered
    assert f"  - {NV}: 2 nhiệm vụ; số 01/UBND-TH;" in again.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM tasks_letter").fetchone()[0] == 4
    entries = list_entries(db, 2026)
    assert [(e.number, e.path) for e in entries] == \
        [(1, str((out / "don-doc-so-noi-vu.docx").resolve())), (2, str((out / "don-doc-so-tai-chinh.docx").resolve())),
         (3, str((out / "don-doc-ubnd-xa-duc-trong.docx").resolve()))]
    assert unused_numbers(db, 2026) == []
    # a second reminder a week later still counts the first one once: nothing was doubled by the rerun
    later = runner.invoke(main, [*base[:-2], "--as-of", "23/03/2026", "-o", str(tmp_path / "thu2")])
    assert f"  - {NV}: 3 nhiệm vụ; số 04/UBND-TH;" in later.output
    text = _docx_text(tmp_path / "thu2" / "don-doc-so-noi-vu.docx")
    assert "đã có Công văn số 01/UBND-TH ngày 16/03/2026 đôn đốc" in text


def test_the_wait_and_k_come_from_the_settings(register, tmp_path):
    config = tmp_path / "nhiem-vu.yaml"
    config.write_text("criticize_after_reminders: 1\ncriticize_wait_days: 1\n", encoding="utf-8")
    db = tmp_path / "vanban.sqlite3"
    runner = CliRunner()
    common = ["--register", str(register), "--db", str(db), "--number", "auto", "--config", str(config)]
    assert runner.invoke(main, ["tasks", "remind", *common, "--as-of", "16/03/2026", "-o", str(tmp_path / "a")]
                         ).exit_code == 0
    same_day = runner.invoke(main, ["tasks", "criticize", *common, "--as-of", "16/03/2026", "-o", str(tmp_path / "b")])
    assert "Không có đơn vị nào cần phê bình" in same_day.output  # never on the day of the reminder
    next_day = runner.invoke(main, ["tasks", "criticize", *common, "--as-of", "17/03/2026", "-o", str(tmp_path / "b")])
    assert next_day.exit_code == 0, next_day.output
    assert f"  - {NV}: 1 nhiệm vụ;" in next_day.output and f"  - {TC}: 1 nhiệm vụ;" in next_day.output
    # the option on the command line wins over the file
    later = runner.invoke(main, ["tasks", "criticize", *common, "--after-reminders", "2", "--as-of", "18/03/2026",
                                 "-o", str(tmp_path / "c")])
    assert "Không có đơn vị nào cần phê bình" in later.output
    config.write_text("criticize_wait_days: 0\n", encoding="utf-8")
    bad = runner.invoke(main, ["tasks", "criticize", *common, "--as-of", "18/03/2026", "-o", str(tmp_path / "d")])
    assert bad.exit_code == 5 and "criticize_wait_days" in bad.output


def test_a_batch_killed_midway_then_run_again_leaves_a_clean_register(register, tmp_path):
    """kill -9 while the second letter of three is being written (its PDF through LibreOffice), then the
    same command again with --force: numbers 01-03, each naming its letter, one history entry per task."""
    import os
    import shutil
    import signal
    import subprocess
    import sys
    import time

    from vanban.generate.register import list_entries, unused_numbers

    if shutil.which("soffice") is None:
        pytest.skip("không có LibreOffice (soffice): cần để lần chạy đủ lâu mà dừng giữa chừng")
    db, out = tmp_path / "vanban.sqlite3", tmp_path / "thu"
    args = ["tasks", "remind", "--register", str(register), "--db", str(db), "--number", "auto", "-o", str(out),
            "--as-of", "16/03/2026", "--pdf"]
    proc = subprocess.Popen([sys.executable, "-m", "vanban", *args], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        first = out / "don-doc-so-noi-vu.docx"  # published after its PDF
        while time.monotonic() < deadline and not first.exists():
            time.sleep(0.02)
        assert first.exists(), "the first letter was never written"
        while time.monotonic() < deadline and not list(out.glob("vanban-pdf-*")):
            time.sleep(0.02)  # kill it inside the second letter's PDF conversion
        assert list(out.glob("vanban-pdf-*")), "the second letter never reached its PDF"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    written = [e.number for e in list_entries(db, 2026)]
    assert written and written == list(range(1, len(written) + 1)) and len(written) < 3
    assert unused_numbers(db, 2026) == []
    again = CliRunner().invoke(main, [*args[:-1], "--force"])
    assert again.exit_code == 0, again.output
    entries = list_entries(db, 2026)
    assert [(e.number, Path(e.path).name) for e in entries] == [
        (1, "don-doc-so-noi-vu.docx"), (2, "don-doc-so-tai-chinh.docx"), (3, "don-doc-ubnd-xa-duc-trong.docx")]
    for e in entries:
        lines = [p.text for t in docx.Document(e.path).tables for c in t._cells for p in c.paragraphs]
        assert f"Số: {e.number:02d}/UBND-TH" in lines
    assert unused_numbers(db, 2026) == []
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT task_id, COUNT(*) FROM tasks_letter GROUP BY task_id").fetchall()
    assert len(rows) == 4 and {n for _, n in rows} == {1}
    assert sorted(p.name for p in out.iterdir() if p.name.startswith((".", "vanban-pdf"))) == []


def test_a_batch_that_fails_takes_back_its_numbers_and_history(register, tmp_path):
    """The third letter cannot be written (a folder stands at its name): the command fails, removes the two
    letters it made, and their numbers and history entries go with them."""
    from vanban.generate.register import list_entries, peek_next

    db, out = tmp_path / "vanban.sqlite3", tmp_path / "thu"
    (out / "don-doc-ubnd-xa-duc-trong.docx").mkdir(parents=True)
    args = ["tasks", "remind", "--register", str(register), "--db", str(db), "--number", "auto", "-o", str(out),
            "--as-of", "16/03/2026", "--force"]
    failed = CliRunner().invoke(main, args)
    assert failed.exit_code == 4 and "là một thư mục" in failed.output
    assert sorted(p.name for p in out.iterdir()) == ["don-doc-ubnd-xa-duc-trong.docx"]  # the folder only
    assert list_entries(db) == [] and peek_next(db, 2026) == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM tasks_letter").fetchone()[0] == 0
    (out / "don-doc-ubnd-xa-duc-trong.docx").rmdir()
    ok = CliRunner().invoke(main, args)
    assert ok.exit_code == 0 and f"  - {NV}: 2 nhiệm vụ; số 01/UBND-TH;" in ok.output
