"""Format of one office document under Nghị định 30/2020/NĐ-CP: ``vanban lint`` and ``vanban fix``.

    file ──read──▶ RawDocument ──understand──▶ Document ──rules (lint/rules.py)──▶ [LintFinding]
    .docx ──rules' edits (lint/fix.py)──▶ fixed .docx (text compared before and after)

The catalogue ``lint/data/rules.yaml`` is also the VB6xx family of ``vanban check``.
"""

from .catalogue import LintRule, lint_catalogue
from .engine import LintFinding, LintResult, lint_file, select_rules

__all__ = ["LintFinding", "LintResult", "LintRule", "lint_catalogue", "lint_file", "select_rules"]
