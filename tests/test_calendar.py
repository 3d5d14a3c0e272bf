import datetime as dt

import pytest

from vanban.calendar import CalendarOverrides, WorkCalendar, load_overrides
from vanban.errors import ConfigError

D = dt.date


def test_tet_2026_is_not_working():
    cal = WorkCalendar()
    for day in range(16, 21):
        assert not cal.is_working_day(D(2026, 2, day)), day
    assert cal.is_working_day(D(2026, 2, 23))
    assert cal.holiday_name(D(2026, 2, 17)) == "Tết Nguyên Đán"


def test_make_up_saturday_2025_is_working():
    cal = WorkCalendar()
    assert cal.is_working_day(D(2025, 4, 26))  # Saturday, swapped for 02/5/2025
    assert not cal.is_working_day(D(2025, 5, 2))
    assert not cal.is_working_day(D(2025, 4, 27))  # plain Sunday


def test_add_working_days_skips_weekend_and_tet():
    cal = WorkCalendar()
    # Friday 13/02/2026 + 1 working day: 16–20 are Tết, 21–22 weekend → Monday 23/02
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert cal.add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)
    assert cal.add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)


def test_working_days_between_signs():
    cal = WorkCalendar()
    assert cal.working_days_between(D(2026, 3, 2), D(2026, 3, 6)) == 4
    assert cal.working_days_between(D(2026, 3, 6), D(2026, 3, 2)) == -4
    assert cal.working_days_between(D(2026, 3, 6), D(2026, 3, 9)) == 1  # over a weekend


def test_overrides_win(tmp_path):
    f = tmp_path / "lich.yaml"
    f.write_text("days_off:\n  - {date: 2026-03-04, name: Nghỉ bão}\nworking_days:\n  - {date: 2026-03-07}\n",
                 encoding="utf-8")
    cal = WorkCalendar(load_overrides(f))
    assert not cal.is_working_day(D(2026, 3, 4))
    assert cal.holiday_name(D(2026, 3, 4)) == "Nghỉ bão"
    assert cal.is_working_day(D(2026, 3, 7))  # a Saturday made working
    assert cal.working_days_between(D(2026, 3, 2), D(2026, 3, 9)) == 5


def test_bad_override_file_names_the_field(tmp_path):
    f = tmp_path / "lich.yaml"
    f.write_text("days_off:\n  - {name: thiếu ngày}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_overrides(f)
    assert "date" in str(info.value) and "lich.yaml" in str(info.value)


def test_overrides_object_defaults():
    assert WorkCalendar(CalendarOverrides()).is_working_day(D(2026, 11, 23))
    assert not WorkCalendar().is_working_day(D(2026, 11, 24))  # Ngày Văn hóa Việt Nam, from 2026
