"""The server-drawn charts keep every x-axis label inside the picture (the weekly PDF's last day was cut)."""

import re

import pytest

from liandong.analytics.reports import svg


def _x_labels(drawing: str):
    width = float(re.search(r'width="(\d+)"', drawing).group(1))
    found = re.findall(r'<text x="([\d.]+)" y="(\d+)" text-anchor="middle">([^<]+)</text>', drawing)
    return width, [(float(x), label) for x, _, label in found]


@pytest.mark.parametrize("labels", [
    ["11-09", "11-10", "11-11", "11-12", "11-13", "11-14", "11-15"],
    [f"2019-W{w}" for w in range(40, 53)],
    [f"{d:02d}" for d in range(1, 32)],
    ["一月上旬", "一月中旬", "一月下旬"],
])
def test_every_x_label_fits_inside_the_chart(labels):
    width, placed = _x_labels(svg.lines(labels, [("12345", list(range(len(labels))))]))
    assert placed and placed[0][1] == labels[0]
    for x, label in placed:
        half = svg.text_width(label, 10) / 2
        assert x - half >= 0 and x + half <= width, (label, x, width)


def test_a_missing_value_breaks_the_line_instead_of_drawing_zero():
    drawing = svg.lines(["a", "b", "c", "d"], [("率", [1.0, None, 2.0, 3.0])])
    assert drawing.count("<polyline") == 1 and drawing.count("<circle") == 1
