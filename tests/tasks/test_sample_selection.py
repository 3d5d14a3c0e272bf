"""The README's sequence on the sample register (fixtures/tasks): reminders on 01/10 and 08/10/2026, then
reminders and criticism on 15/10/2026. The selections are pinned, and checked against the rules from the
register itself: nobody is criticised on the day of a first reminder, no task with a timely extension is
criticised, every task criticised had two reminders and five working days without result."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.cli import main
from vanban.tasks.register import load_register
from vanban.tasks.settings import load_tasks_config
from vanban.tasks.status import task_status

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "tasks"
REGISTER = FIXTURES / "so-theo-doi-nhiem-vu-2026.xlsx"
CONFIG = FIXTURES / "nhiem-vu.yaml"
DAYS = ["2026-10-01", "2026-10-08", "2026-10-15"]

CRITICISED_15_10 = {
    "Ban Quản lý các khu công nghiệp tỉnh": ["157/UBND-TH"],
    "Công an tỉnh": ["18/UBND-TH", "35/TB-UBND"],
    "Sở Dân tộc và Tôn giáo": ["110/QĐ-UBND"],
    "Sở Giáo dục và Đào tạo": ["34/QĐ-UBND"],
    "Sở Nông nghiệp và Môi trường": ["68/UBND-TH", "86/TB-UBND"],
    "Sở Nội vụ": ["111/TB-UBND"],
    "Sở Tài chính": ["143/TB-UBND", "211/UBND-TH", "55/UBND-TH", "80/UBND-TH", "97/TB-UBND"],
    "Sở Văn hóa, Thể thao và Du lịch": ["210/UBND-TH"],
    "Sở Xây dựng": ["113/TB-UBND", "34/TB-UBND"],
    "Sở Y tế": ["128/UBND-TH"],
    "Thanh tra tỉnh": ["104/UBND-TH"],
    "UBND phường Bảo Lộc 1": ["122/TB-UBND"],
}


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    out = tmp_path_factory.mktemp("readme")
    db = out / "vanban.sqlite3"
    common = ["--register", str(REGISTER), "--config", str(CONFIG), "--office",
              str(ROOT / "fixtures" / "office" / "vanban.yaml"), "--db", str(db), "--number", "auto"]
    runner = CliRunner()
    outputs = {}
    for day in DAYS:
        for command in ("remind", "criticize"):
            result = runner.invoke(main, ["tasks", command, *common, "--as-of", day, "-o", str(out / command / day)])
            assert result.exit_code == 0, result.output
            outputs[(command, day)] = result.output
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT kind, date, unit, task_id FROM tasks_letter").fetchall()
    letters = defaultdict(lambda: defaultdict(list))
    for kind, date, unit, task_id in rows:
        letters[(kind, date)][unit].append(task_id)
    return letters, outputs


def _symbols(by_unit):
    return {unit: sorted(t.split("#")[0] for t in ids) for unit, ids in by_unit.items()}


def test_nobody_is_criticised_before_two_reminders_and_the_wait(history):
    letters, outputs = history
    assert ("phe-binh", "2026-10-01") not in letters and ("phe-binh", "2026-10-08") not in letters
    assert "Không có đơn vị nào cần phê bình (chưa phê bình: 15 nhiệm vụ chưa đủ số lần đôn đốc; " \
           "1 nhiệm vụ đã đề nghị gia hạn kịp thời)." in outputs[("criticize", "2026-10-01")]
    assert _symbols(letters[("phe-binh", "2026-10-15")]) == CRITICISED_15_10


def test_the_selection_follows_the_rules_read_from_the_register(history):
    letters, _ = history
    config = load_tasks_config(CONFIG)
    calendar = config.work_calendar()
    tasks = {t.id: t for t in load_register(REGISTER).tasks}
    reminded = defaultdict(list)
    for (kind, date), by_unit in letters.items():
        if kind == "don-doc":
            for ids in by_unit.values():
                for task_id in ids:
                    reminded[task_id].append(dt.date.fromisoformat(date))
    day = dt.date(2026, 10, 15)
    criticised = [t for ids in letters[("phe-binh", "2026-10-15")].values() for t in ids]
    assert len(criticised) == 19
    for task_id in criticised:
        st = task_status(tasks[task_id], day, calendar, config.extension_notice_days)
        earlier = sorted(d for d in reminded[task_id] if d < day)
        assert not st.extension_applied and not st.done and st.overdue_days >= 1
        assert len(earlier) >= 2 and calendar.add_working_days(earlier[-1], 5) <= day
        assert day not in reminded[task_id]  # not reminded and criticised the same day
    # a unit whose first reminder is dated 15/10 is not criticised on 15/10; every unit criticised was first
    # reminded on 01/10
    first: dict[str, dt.date] = {}
    for (kind, _), by_unit in letters.items():
        for unit, ids in by_unit.items() if kind == "don-doc" else ():
            first[unit] = min(first.get(unit, dt.date.max), *(min(reminded[t]) for t in ids))
    newcomers = {unit for unit, date in first.items() if date == day}
    assert newcomers == {"UBND phường Xuân Hương - Đà Lạt"}
    assert not newcomers & set(letters[("phe-binh", "2026-10-15")])
    assert {first[u] for u in letters[("phe-binh", "2026-10-15")]} == {dt.date(2026, 10, 1)}
    # tasks with a timely extension: reminded when due, never criticised
    extended = {t.id for t in tasks.values()
                if task_status(t, day, calendar, config.extension_notice_days).extension_applied}
    assert extended and not extended & set(criticised)
