"""Charts drawn on the server as inline SVG (no script, no network): bars and lines, labelled in Chinese."""

from __future__ import annotations

from html import escape

FONT = "Noto Sans CJK SC, sans-serif"
COLOURS = ("#1f4e79", "#c0504d", "#9bbb59", "#8064a2")


def bars(items: list[tuple[str, int]], width: int = 680, bar_h: int = 18) -> str:
    """Horizontal bars, the label on the left, the count at the end of each bar."""
    if not items:
        return ""
    top = max(n for _, n in items) or 1
    label_w, gap = 150, 6
    height = len(items) * (bar_h + gap) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11">']
    for i, (label, n) in enumerate(items):
        y = 5 + i * (bar_h + gap)
        w = (width - label_w - 60) * n / top
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_h - 5}" text-anchor="end">{escape(label[:14])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{COLOURS[0]}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 5}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def text_width(text: str, size: float) -> float:
    """The width a label takes in the chart's font: a CJK character is one em, a digit or Latin letter ~0.6 em."""
    return sum(size if ord(ch) >= 0x2E80 else 0.6 * size for ch in text)


def lines(labels: list[str], series: list[tuple[str, list[float | None]]], width: int = 680, height: int = 200) -> str:
    """Lines over the same x labels (e.g. 12345 and 110 by day), with a legend and the y scale; a value of
    None (nothing to count that day) breaks the line instead of drawing a false zero."""
    if not labels or not series:
        return ""
    every = max(1, len(labels) // 12)
    shown = [label for i, label in enumerate(labels) if i % every == 0]
    half = max(text_width(label, 10) for label in shown) / 2 + 4  # the first and last labels stay inside
    left, right, top_pad, bottom = max(40, half), max(10, half), 24, 30
    top = max((max((x for x in v if x is not None), default=0) for _, v in series), default=0) or 1
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    step = plot_w / max(len(labels) - 1, 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="10">']
    for k in range(5):
        v = top * k / 4
        y = top_pad + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{round(v, 1):g}</text>')
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(f'<text x="{left + i * step:.1f}" y="{height - 12}" text-anchor="middle">{escape(label)}</text>')
    for s, (name, values) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        segment: list[str] = []
        for i, v in enumerate([*values, None]):
            if v is not None:
                segment.append(f"{left + i * step:.1f},{top_pad + plot_h - plot_h * v / top:.1f}")
                continue
            if len(segment) == 1:
                x, y = segment[0].split(",")
                parts.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{colour}"/>')
            elif segment:
                parts.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" stroke-width="2"/>')
            segment = []
        parts.append(f'<rect x="{left + 10 + s * 130}" y="6" width="12" height="8" fill="{colour}"/>')
        parts.append(f'<text x="{left + 26 + s * 130}" y="14">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
