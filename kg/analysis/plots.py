"""Pictures of an analysis: the top-N centrality bar chart and the papers-per-year trend (matplotlib)."""

from __future__ import annotations

import os

from kg.errors import UsageError
from kg.io.outputs import atomic_write, check_output

PLOT_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def check_plot(path: str | os.PathLike[str]) -> str:
    """The format of the plot ``path`` names (``png``, ``svg`` or ``pdf``), checked before any work is done.

    Examples
    --------
    >>> check_plot("trends.svg")
    'svg'
    >>> check_plot("trends.gif")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: trends.gif: a plot is written as .png, .svg or .pdf, not .gif
    """
    return check_output(path, PLOT_FORMATS, "a plot")


def plot_analysis(
    ranking: list[dict], per_year: dict[str, dict[int, int]], path: str | os.PathLike[str], measure: str = "pagerank"
) -> None:
    """Write a PNG (or SVG/PDF, by extension) with two panels: centrality and papers per year.

    Parameters
    ----------
    ranking : list of dict
        Rows of :attr:`kg.analysis.measures.Analysis.ranking` (``label`` and ``measure`` are read).
    per_year : dict
        ``{label: {year: papers}}`` as :func:`kg.analysis.trends.papers_per_year` gives it.
    path : path-like
        The file to write; its extension picks the format (:func:`check_plot`).
    measure : str
        The ranking's column drawn as bars.
    """
    import io

    suffix = check_plot(path)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError("plots need matplotlib: pip install matplotlib") from None
    figure, (bars, trend) = plt.subplots(1, 2, figsize=(15, max(4.5, 0.32 * len(ranking) + 1.5)))
    labels = [row["label"] if len(row["label"]) <= 40 else row["label"][:39] + "…" for row in ranking][::-1]
    bars.barh(labels, [row[measure] for row in ranking][::-1], color="#4c78a8")
    bars.set_title(f"Top {len(ranking)} by {measure.replace('_', ' ')}")
    bars.set_xlabel(measure.replace("_", " "))
    for label, counts in per_year.items():
        years = list(range(min(counts), max(counts) + 1))  # a year without papers is a zero, not a gap
        short = label if len(label) <= 40 else label[:39] + "…"
        trend.plot(years, [counts.get(y, 0) for y in years], marker="o", label=short)
    trend.set_title("Papers per year")
    trend.set_xlabel("year")
    trend.set_ylabel("papers")
    trend.xaxis.get_major_locator().set_params(integer=True)
    trend.yaxis.get_major_locator().set_params(integer=True)
    if per_year:
        trend.legend(fontsize="small", loc="best")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=suffix, dpi=120)
    plt.close(figure)
    with atomic_write(path) as handle:
        handle.write(buffer.getvalue())
