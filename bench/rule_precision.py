"""How often each rule fires on a real corpus, and on which files: noise made visible.

    VANBAN_REALDOCS=../shared/realdocs python bench/rule_precision.py [--markdown OUT.md] [FOLDER]

For every rule: the number of findings at each level, the number of dossiers it
fired in, and the files it fired on (with the first words of its message). Below
the table: the outcome of each dossier and its error-or-warning count, and the
median of that count over accepted dossiers (the target is at most 2). A rule
that fires everywhere or on attachments is noise; read the files it names and
decide whether each finding is true and worth a clerk's time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections import defaultdict
from pathlib import Path

from vanban.check.engine import CheckSettings, check_many, discover


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", help="thư mục chứa các hồ sơ (mặc định $VANBAN_REALDOCS/dossiers)")
    parser.add_argument("--markdown", type=Path, help="ghi bảng ra tệp Markdown")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    folder = args.folder or (os.environ.get("VANBAN_REALDOCS") and Path(os.environ["VANBAN_REALDOCS"]) / "dossiers")
    if not folder:
        print("Cần đường dẫn thư mục hồ sơ hoặc biến VANBAN_REALDOCS.", file=sys.stderr)
        return 2
    results = check_many(discover([folder]), CheckSettings(), jobs=args.jobs)

    by_rule: dict[str, dict] = defaultdict(lambda: {"error": 0, "warning": 0, "info": 0, "dossiers": set(),
                                                    "where": []})
    for r in results:
        for f in r.findings:
            row = by_rule[f.rule_id]
            row[f.severity] += 1
            row["dossiers"].add(r.name)
            row["where"].append(f"{r.name[:40]} / {f.file or '-'}: {f.message[:90]}")

    lines = [f"# Số lần mỗi quy tắc báo trên {len(results)} hồ sơ ({folder})", "",
             "| quy tắc | lỗi | cảnh báo | thông tin | số hồ sơ |", "|---|---|---|---|---|"]
    for rule_id in sorted(by_rule):
        row = by_rule[rule_id]
        lines.append(f"| {rule_id} | {row['error']} | {row['warning']} | {row['info']} | {len(row['dossiers'])} |")
    lines += ["", "## Nơi mỗi quy tắc báo (lỗi và cảnh báo)", ""]
    for rule_id in sorted(by_rule):
        row = by_rule[rule_id]
        if not (row["error"] or row["warning"]):
            continue
        lines.append(f"### {rule_id}")
        lines += [f"- {w}" for w in row["where"]]
        lines.append("")
    lines += ["## Kết luận từng hồ sơ", "", "| hồ sơ | kết luận | lỗi + cảnh báo |", "|---|---|---|"]
    serious = {}
    for r in results:
        serious[r.name] = r.count("error") + r.count("warning")
        lines.append(f"| {r.name[:70]} | {r.decision.label} | {serious[r.name]} |")
    accepted = [serious[r.name] for r in results if r.decision.outcome in ("tiep_nhan", "tiep_nhan_luu_y")]
    outcomes = defaultdict(int)
    for r in results:
        outcomes[r.decision.label] += 1
    lines += ["", "Kết luận: " + "; ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())),
              f"Trung vị số lỗi + cảnh báo của hồ sơ được tiếp nhận: "
              f"{statistics.median(accepted) if accepted else 0} (mục tiêu ≤ 2)", ""]
    text = "\n".join(lines)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
