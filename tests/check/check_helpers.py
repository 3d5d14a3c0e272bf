"""Helpers of the checker tests (a module of its own name, not "conftest": see tests/web/web_helpers.py)."""


def rule_ids(result, severity=None) -> set[str]:
    return {f.rule_id for f in result.findings if severity is None or f.severity == severity}


def findings_of(result, rule_id):
    return [f for f in result.findings if f.rule_id == rule_id]
