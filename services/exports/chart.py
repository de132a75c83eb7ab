"""Completion by task for a period as a PNG (matplotlib, Agg, no pyplot global state)."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from core.texts import exports as tx
from services.exports import COUNT_KEYS, status_label, tasks_in_order
from storage.summary import PeriodSummary

# Same meaning as the XLSX fills, a little stronger so the bars read on a phone screen.
COLOURS = {
    "done": "#4CAF50", "in_progress": "#FFC107", "not_started": "#E57373",
    "not_applicable": "#64B5F6", "missing": "#BDBDBD",
}


def write_chart(summary: PeriodSummary, path: Path) -> Path:
    """Horizontal stacked bars: for each task, how many units are in each status."""
    tasks = tasks_in_order(summary)
    figure = Figure(figsize=(8, 1.6 + 0.32 * len(tasks)), dpi=120)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    codes = [t.code for t in reversed(tasks)]  # 1.1 at the top, as in the plan
    left = [0] * len(tasks)
    for key in COUNT_KEYS:
        values = [summary.status_counts(t.id)[key] for t in reversed(tasks)]
        axes.barh(codes, values, left=left, color=COLOURS[key], label=status_label(key),
                  edgecolor="white", linewidth=0.5)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_xlim(0, max(len(summary.units), 1))
    axes.set_ylim(-0.6, len(tasks) - 0.4)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # units are whole numbers
    axes.set_xlabel(tx.CHART_XLABEL)
    axes.set_title(tx.CHART_TITLE.format(period=summary.period.title), fontsize=12)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.8 / figure.get_figheight()),
                ncol=3, fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    return path
