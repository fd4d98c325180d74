"""Pictures of an analysis: the top-N centrality bar chart and the papers-per-year trend (matplotlib)."""

from __future__ import annotations

import os

from kg.errors import UsageError
from kg.io.outputs import STDOUT, atomic_write, check_output
from kg.text import shortened

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
    if str(path) == STDOUT:
        raise UsageError("-: the plot cannot go to standard output, which holds the tables; name a .png, .svg or .pdf")
    return check_output(path, PLOT_FORMATS, "a plot")


# Years holding less than this share of all papers, at the early end, are left out of a trend (and counted).
EARLY_TAIL_SHARE = 0.02
# At most this many series share one panel; more are drawn as small multiples, one panel each.
SERIES_PER_PANEL = 4
MAX_PANELS = 12


def year_span(per_year: dict[str, dict[int, int]], tail_share: float = EARLY_TAIL_SHARE) -> tuple[int, int, int]:
    """The years a trend shows, and how many papers fall before them.

    The early years whose papers together make less than ``tail_share`` of
    all papers are left out, so one paper from 1937 does not squeeze twenty
    busy years into a corner; the last year with papers is always shown.

    Returns
    -------
    (first, last, left_out)
        The first and last year shown, and the papers before ``first``.

    Examples
    --------
    >>> year_span({"LG": {1937: 1, 2019: 30, 2020: 40, 2021: 29}})
    (2019, 2021, 1)
    >>> year_span({"LG": {2019: 3, 2020: 4}})
    (2019, 2020, 0)
    """
    totals: dict[int, int] = {}
    for counts in per_year.values():
        for year, papers in counts.items():
            totals[year] = totals.get(year, 0) + papers
    if not totals:
        return 0, 0, 0
    years = sorted(totals)
    everything, left_out, first = sum(totals.values()), 0, years[0]
    for year in years[:-1]:
        if left_out + totals[year] >= tail_share * everything:
            break
        left_out += totals[year]
        first = years[years.index(year) + 1]
    return first, years[-1], left_out


def value_labels(values: list[float]) -> list[str]:
    """Labels for bar values with just enough decimals that values which differ look different.

    Examples
    --------
    >>> value_labels([0.123456, 0.123449, 0.1])
    ['0.1235', '0.1234', '0.1000']
    >>> value_labels([12.0, 7.0])
    ['12', '7']
    """
    if all(float(value).is_integer() for value in values):
        return [str(int(value)) for value in values]
    distinct = len(set(values))
    for decimals in range(2, 10):
        labels = [f"{value:.{decimals}f}" for value in values]
        if len(set(labels)) == distinct:
            return labels
    return [f"{value:.3g}" for value in values]


def plot_analysis(
    ranking: list[dict],
    per_year: dict[str, dict[int, int]],
    path: str | os.PathLike[str],
    measure: str = "pagerank",
    counted: str = "papers",
) -> None:
    """Write a PNG (or SVG/PDF, by extension): the top-N bars with their values, and papers per year.

    Up to :data:`SERIES_PER_PANEL` series share one trend panel; more are drawn
    as small multiples (one panel each, one scale, at most :data:`MAX_PANELS`).
    The years shown are :func:`year_span`'s. SVG keeps its text as text.

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
    counted : str
        What the trend counts: ``papers`` by their year, or ``cited works`` by the year of the cited work.
    """
    import io

    suffix = check_plot(path)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError("plots need matplotlib: pip install matplotlib") from None
    series = {shortened(label): counts for label, counts in per_year.items() if counts}
    shown = dict(list(series.items())[:MAX_PANELS])
    multiples = len(shown) > SERIES_PER_PANEL
    columns = 3 if multiples else 1
    rows = -(-len(shown) // columns) if multiples else 1
    height = max(4.5, 0.32 * len(ranking) + 1.5, 2.2 * rows + 1.0)
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure = plt.figure(figsize=(16, height), layout="constrained")
        left, right = figure.subfigures(1, 2, width_ratios=[1, 1.25])
        _draw_bars(left.subplots(), ranking, measure)
        first, last, left_out = year_span(shown)
        unit = "paper(s)" if counted == "papers" else "count(s)"
        note = f" ({left_out} {unit} before {first} not shown)" if left_out else ""
        if len(series) > len(shown):
            note += f"; {len(shown)} of {len(series)} series"
        heading = "Papers per year" if counted == "papers" else "Cited works by the year of the cited work"
        right.suptitle(f"{heading}{note}")
        years = list(range(first, last + 1))  # a year without papers is a zero, not a gap
        if multiples:
            panels = right.subplots(rows, columns, sharex=True, sharey=True, squeeze=False).ravel()
            for axes, (label, counts) in zip(panels, shown.items(), strict=False):
                axes.plot(years, [counts.get(y, 0) for y in years], marker=".", color="#4c78a8")
                axes.set_title(label, fontsize="small")
            for index, axes in enumerate(panels):
                if index >= len(shown):
                    axes.set_visible(False)
                elif index + columns >= len(shown):  # the lowest panel of its column shows the years
                    axes.tick_params(labelbottom=True)
        else:
            trend = right.subplots()
            for label, counts in shown.items():
                trend.plot(years, [counts.get(y, 0) for y in years], marker="o", label=label)
            trend.set_xlabel("year")
            trend.set_ylabel(counted)
            if shown:
                trend.legend(fontsize="small", loc="best")
            panels = [trend]
        for axes in panels:
            axes.xaxis.get_major_locator().set_params(integer=True)
            axes.yaxis.get_major_locator().set_params(integer=True)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=suffix, dpi=120)
        plt.close(figure)
    with atomic_write(path) as handle:
        handle.write(buffer.getvalue())


def _draw_bars(bars, ranking: list[dict], measure: str) -> None:
    """Horizontal bars, largest on top, each labelled with its value."""
    labels = [shortened(row["label"]) for row in ranking][::-1]
    values = [float(row[measure]) for row in ranking][::-1]
    container = bars.barh(labels, values, color="#4c78a8")
    bars.bar_label(container, labels=value_labels(values), padding=3, fontsize="small")
    if values:
        bars.set_xlim(0, max(values) * 1.18 or 1)  # room for the labels
    bars.set_title(f"Top {len(ranking)} by {measure.replace('_', ' ')}")
    bars.set_xlabel(measure.replace("_", " "))
