"""The overdue-rate chart (PNG) embedded in the report."""

from __future__ import annotations

from pathlib import Path

from ..outfiles import atomic_path
from .report import TaskReport, vn_percent


def overdue_chart(report: TaskReport, output: Path, *, max_units: int = 30) -> Path:
    """Horizontal bars: overdue rate per unit (highest first), with the overall rate as a line."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    plt.rcParams["font.family"] = ["DejaVu Sans", "Liberation Sans"]
    units = sorted((c for c in report.units if c.with_deadline), key=lambda c: (-c.overdue_rate, c.unit))
    units = units[:max_units]
    # wide and short: it must fit under the counts table on a landscape A4 page
    # drawn at about the printed size (200 mm wide), so 7-8 pt labels stay readable on paper
    height = min(4.8, max(2.2, 0.17 * len(units) + 1.0))
    fig, ax = plt.subplots(figsize=(7.9, height), dpi=150)
    names = [c.unit for c in reversed(units)]
    rates = [c.overdue_rate for c in reversed(units)]
    bars = ax.barh(names, rates, color="#b03a2e", height=0.6)
    for bar, rate in zip(bars, rates):
        ax.text(bar.get_width() + 0.5, bar.get_y() + bar.get_height() / 2, vn_percent(rate), va="center", fontsize=7)
    overall = report.overall.overdue_rate
    ax.axvline(overall, color="#1f4e79", linestyle="--", linewidth=1)
    ax.text(overall, len(units) - 0.4, f" Chung: {vn_percent(overall)}", color="#1f4e79", fontsize=7, va="bottom")
    ax.set_xlim(0, max([*rates, overall, 10]) * 1.18)
    ax.set_xlabel("Tỷ lệ nhiệm vụ quá hạn (%)", fontsize=9)
    ax.set_title(f"Tỷ lệ nhiệm vụ quá hạn theo đơn vị, {report.period.label}", fontsize=10)
    ax.tick_params(axis="y", labelsize=7)
    ax.tick_params(axis="x", labelsize=8)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: f"{x:.0f}"))
    fig.tight_layout()
    try:
        with atomic_path(output, suffix=".png") as tmp:
            fig.savefig(tmp, format="png")
    finally:
        plt.close(fig)
    return output
