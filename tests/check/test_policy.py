"""Policy apart from rules: profiles, severity overrides, thresholds, office registries and calendars."""

from __future__ import annotations

import datetime as dt

import pytest

from build_dossiers import comment_letter, draft_plan, submission
from check_helpers import findings_of, rule_ids
from vanban.check.policy import enabled_rules, load_profile
from vanban.errors import ConfigError


def good(**changes):
    return {"Tờ trình.docx": submission(**changes), "Dự thảo Kế hoạch.docx": draft_plan(),
            "Góp ý.docx": comment_letter()}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_profile_and_rule_selection():
    profile = load_profile()
    assert profile.meetings["ubnd"] == 3 and profile.meetings["giao-ban"] == 1
    every = enabled_rules(profile)
    assert "VB203" in every and "VB609" in every
    assert enabled_rules(profile, select=("VB2",)) == ["VB201", "VB202", "VB203", "VB204"]
    assert "VB605" not in enabled_rules(profile, ignore=("VB60",))
    assert enabled_rules(profile, select=("VB6",), ignore=("VB6",)) == []
    with pytest.raises(ConfigError):
        enabled_rules(profile, select=("VB9",))


def test_invalid_profile_names_the_field(tmp_path):
    path = write(tmp_path, "p.yaml", "severity: {VB605: nghiêm trọng}\n")
    with pytest.raises(ConfigError) as err:
        load_profile(path)
    assert "severity.VB605" in str(err.value) and str(path) in str(err.value)
    unknown = write(tmp_path, "q.yaml", "severity: {VB999: error}\n")
    with pytest.raises(ConfigError):
        load_profile(unknown)


def test_severity_override_changes_the_decision(tmp_path, make_dossier, checker_factory):
    folder = make_dossier(good(motto="Độc lập – Tự do – Hạnh phúc"))
    default = checker_factory().check(folder)
    # layout is information in the default profile: it never decides the outcome
    assert findings_of(default, "VB605")[0].severity == "info"
    assert default.decision.outcome == "tiep_nhan"
    strict = write(tmp_path, "strict.yaml", "name: Nghiêm\nseverity: {VB605: error}\n")
    result = checker_factory(profile_path=str(strict)).check(folder)
    assert findings_of(result, "VB605")[0].severity == "error"
    assert result.decision.outcome == "chuyen_tra"
    assert any("VB605" in reason for reason in result.decision.reasons)


def test_warning_threshold(tmp_path, make_dossier, checker_factory):
    folder = make_dossier(good(motto="Độc lập – Tự do – Hạnh phúc"))
    path = write(tmp_path, "t.yaml", "severity: {VB605: warning}\ndecision: {max_warnings: 0}\n")
    result = checker_factory(profile_path=str(path)).check(folder)
    assert result.decision.outcome == "chuyen_tra"
    assert "vượt ngưỡng 0" in result.decision.reasons[-1]


def test_profile_meeting_kinds_and_assignment(tmp_path, make_dossier, checker_factory):
    folder = make_dossier(good(authority="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC"))
    path = write(tmp_path, "o.yaml", "meetings: {ubnd: 5}\nassigned_to_head: true\n")
    result = checker_factory(profile_path=str(path), meeting=dt.date(2026, 1, 22),
                             received=dt.date(2026, 1, 19)).check(folder)
    assert "VB501" in rule_ids(result) and "05 ngày làm việc" in findings_of(result, "VB501")[0].message
    assert "VB403" in rule_ids(result)


def test_office_legal_registry_extends_the_shipped_one(tmp_path, make_dossier, checker_factory):
    folder = make_dossier(good(bases=("Căn cứ Nghị quyết số 12/2025/NQ-HĐND ngày 10 tháng 7 năm 2025 của HĐND tỉnh",)))
    assert "VB203" not in rule_ids(checker_factory().check(folder))  # unknown to the shipped registry
    registry = write(tmp_path, "so can cu.yaml", """
entries:
  - symbol: 12/2025/NQ-HĐND
    doc_type: Nghị quyết
    title: Nghị quyết quy định mức chi
    issued: 2025-07-10
    expired: 2025-12-31
    replaced_by: 30/2025/NQ-HĐND
""")
    result = checker_factory(legal_registry_files=(str(registry),)).check(folder)
    message = findings_of(result, "VB203")[0].message
    assert "31/12/2025" in message and "30/2025/NQ-HĐND" in message
    broken = write(tmp_path, "hong.yaml", "entries: [{symbol: 'x', doc_type: Luật}]\n")
    with pytest.raises(ConfigError):
        checker_factory(legal_registry_files=(str(broken),))


def test_calendar_override_moves_the_deadline(tmp_path, make_dossier, checker_factory):
    folder = make_dossier(good())
    # Monday 19/01 is on time for Thursday 22/01; declare 20/01 a day off and it no longer is
    assert "VB501" not in rule_ids(checker_factory(meeting=dt.date(2026, 1, 22), received=dt.date(2026, 1, 19)).check(folder))
    calendar = write(tmp_path, "lich.yaml", "days_off:\n  - {date: 2026-01-20, name: Nghỉ bù}\n")
    result = checker_factory(calendar_file=str(calendar), meeting=dt.date(2026, 1, 22),
                             received=dt.date(2026, 1, 19)).check(folder)
    assert "VB501" in rule_ids(result) and "16/01/2026" in findings_of(result, "VB501")[0].message
