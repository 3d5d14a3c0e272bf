"""Status as of a date, in working days: Tết 2026, the 2025 make-up Saturday, an override file,
extensions requested in time or late, completion on the deadline day, tasks without deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from vanban.calendar import WorkCalendar, load_overrides
from vanban.tasks.model import Category, Task
from vanban.tasks.status import effective_deadline, task_status

D = dt.date
CAL = WorkCalendar()


def task(deadline=None, completed=None, result=None, requested=None, new_deadline=None, issued=D(2025, 1, 6)):
    return Task(id="t", symbol="15/QĐ-UBND", issued=issued, unit="Sở Nội vụ", content="Tham mưu kế hoạch",
                deadline=deadline, completed=completed, result=result, extension_requested=requested,
                new_deadline=new_deadline)


def test_tet_2026_days_do_not_count():
    # deadline Friday 13/02/2026; Tết holidays Monday 16 to Friday 20/02/2026
    t = task(D(2026, 2, 13), issued=D(2026, 1, 5))
    on_friday_20 = task_status(t, D(2026, 2, 20), CAL)
    assert on_friday_20.category is Category.NOT_STARTED
    assert on_friday_20.days_left == 0
    monday_23 = task_status(t, D(2026, 2, 23), CAL)
    assert monday_23.category is Category.IN_PROGRESS_OVERDUE
    assert monday_23.overdue_days == 1
    assert task_status(t, D(2026, 2, 27), CAL).overdue_days == 5


def test_deadline_on_a_tet_day_moves_to_the_next_working_day():
    t = task(D(2026, 2, 17), completed=D(2026, 2, 23), issued=D(2026, 1, 5))
    st = task_status(t, D(2026, 3, 31), CAL)
    assert st.effective_deadline == D(2026, 2, 23)
    assert st.category is Category.DONE_ON_TIME


def test_make_up_saturday_2025_04_26_is_a_working_day():
    # done on the make-up Saturday after a Friday deadline: one working day late
    late = task_status(task(D(2025, 4, 25), completed=D(2025, 4, 26)), D(2025, 5, 30), CAL)
    assert late.category is Category.DONE_LATE
    assert late.overdue_days == 1
    # Sat 26/04, Mon 28, Tue 29 and Mon 05/05 work; 30/4, 1/5 and 2/5 (swapped with 26/04) are off
    open_task = task_status(task(D(2025, 4, 25), result="Đang dự thảo"), D(2025, 5, 5), CAL)
    assert open_task.category is Category.IN_PROGRESS_OVERDUE
    assert open_task.overdue_days == 4
    # an ordinary Saturday is not: done Saturday 19/04 after Friday 18/04 is on time
    assert task_status(task(D(2025, 4, 18), completed=D(2025, 4, 19)), D(2025, 5, 30), CAL).category \
        is Category.DONE_ON_TIME


def test_override_file_changes_the_count(tmp_path):
    path = tmp_path / "ngay-nghi.yaml"
    path.write_text("days_off:\n  - {date: 2026-11-20, name: Nghỉ theo quyết định của tỉnh}\n"
                    "working_days:\n  - {date: 2026-11-14, name: Làm bù}\n", encoding="utf-8")
    local = WorkCalendar(load_overrides(path))
    t = task(D(2026, 11, 19), issued=D(2026, 11, 2))
    assert task_status(t, D(2026, 11, 23), CAL).overdue_days == 2
    assert task_status(t, D(2026, 11, 23), local).overdue_days == 1
    done_saturday = task(D(2026, 11, 13), completed=D(2026, 11, 14), issued=D(2026, 11, 2))
    assert task_status(done_saturday, D(2026, 11, 30), CAL).category is Category.DONE_ON_TIME
    st = task_status(done_saturday, D(2026, 11, 30), local)
    assert (st.category, st.overdue_days) == (Category.DONE_LATE, 1)


def test_completion_on_the_deadline_day_is_on_time():
    st = task_status(task(D(2026, 3, 13), completed=D(2026, 3, 13), issued=D(2026, 3, 2)), D(2026, 3, 31), CAL)
    assert st.category is Category.DONE_ON_TIME
    assert st.overdue_days is None
    late = task_status(task(D(2026, 3, 13), completed=D(2026, 3, 16), issued=D(2026, 3, 2)), D(2026, 3, 31), CAL)
    assert (late.category, late.overdue_days) == (Category.DONE_LATE, 1)


def test_completion_after_the_as_of_day_is_not_known_yet():
    t = task(D(2026, 3, 13), completed=D(2026, 3, 20), issued=D(2026, 3, 2))
    st = task_status(t, D(2026, 3, 17), CAL)
    assert (st.category, st.overdue_days) == (Category.IN_PROGRESS_OVERDUE, 2)
    assert st.started is False


def test_without_deadline_counted_apart():
    assert task_status(task(None), D(2026, 3, 1), CAL).category is Category.NO_DEADLINE
    assert task_status(task(None, completed=D(2025, 2, 1)), D(2026, 3, 1), CAL).category is Category.NO_DEADLINE


def test_started_or_not_depends_on_the_result_text():
    assert task_status(task(D(2026, 3, 13), issued=D(2026, 3, 2)), D(2026, 3, 5), CAL).category \
        is Category.NOT_STARTED
    st = task_status(task(D(2026, 3, 13), result="Đang lấy ý kiến", issued=D(2026, 3, 2)), D(2026, 3, 5), CAL)
    assert (st.category, st.days_left) == (Category.IN_PROGRESS_ON_TIME, 6)


@pytest.mark.parametrize("requested, applies", [
    (D(2026, 3, 11), True),    # Wednesday: 2 working days before Friday 13/03
    (D(2026, 3, 6), True),     # a week before
    (D(2026, 3, 12), False),   # Thursday: only 1 working day before
    (D(2026, 3, 13), False),   # on the deadline day
    (D(2026, 3, 16), False),   # after the deadline
])
def test_extension_counts_only_when_requested_two_working_days_before(requested, applies):
    t = task(D(2026, 3, 13), requested=requested, new_deadline=D(2026, 3, 27), issued=D(2026, 3, 2))
    deadline, extended, notes = effective_deadline(t, CAL)
    assert extended is applies
    assert deadline == (D(2026, 3, 27) if applies else D(2026, 3, 13))
    assert len(notes) == 1
    assert ("gia hạn đến 27/03/2026" in notes[0]) if applies else ("muộn" in notes[0] and "không được tính" in notes[0])
    st = task_status(t, D(2026, 3, 20), CAL)
    if applies:
        assert (st.category, st.days_left) == (Category.NOT_STARTED, 5)
    else:
        assert (st.category, st.overdue_days) == (Category.IN_PROGRESS_OVERDUE, 5)


def test_extension_request_across_tet_counts_working_days():
    # deadline Monday 23/02/2026; request Friday 13/02 is only 1 working day before (Tết in between)
    t = task(D(2026, 2, 23), requested=D(2026, 2, 13), new_deadline=D(2026, 3, 6), issued=D(2026, 1, 5))
    assert effective_deadline(t, CAL)[:2] == (D(2026, 2, 23), False)
    t2 = task(D(2026, 2, 23), requested=D(2026, 2, 12), new_deadline=D(2026, 3, 6), issued=D(2026, 1, 5))
    assert effective_deadline(t2, CAL)[:2] == (D(2026, 3, 6), True)


def test_cached_counts_agree_with_counting_day_by_day(tmp_path):
    """The calendar answers from per-year counts; the oracle walks the days one by one."""
    import holidays

    path = tmp_path / "o.yaml"
    path.write_text("days_off:\n  - {date: 2026-11-20}\nworking_days:\n  - {date: 2026-11-14}\n", encoding="utf-8")
    vn = holidays.country_holidays("VN")

    def oracle_is_working(day, extra_off=(), extra_on=()):
        return day in extra_on or (day not in extra_off and vn.is_working_day(day))

    for calendar, off, on in ((CAL, (), ()), (WorkCalendar(load_overrides(path)), (D(2026, 11, 20),), (D(2026, 11, 14),))):
        days = [D(2024, 12, 20) + dt.timedelta(days=i * 7 + (i % 5)) for i in range(120)]
        for a, b in zip(days, reversed(days)):
            lo, hi = min(a, b), max(a, b)
            walked = sum(oracle_is_working(lo + dt.timedelta(days=k), off, on) for k in range(1, (hi - lo).days + 1))
            assert calendar.working_days_between(a, b) == (walked if b >= a else -walked), (a, b)
            assert calendar.is_working_day(a) == oracle_is_working(a, off, on)
        # across Tết 2026 (Mon 16 – Fri 20/02 off): Mon 23, Tue 24, Wed 25
        assert calendar.add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 25)
