"""Plotly figures for the dashboard, drawn from the same tables the reports print (titles are the
page's headings).

Figures travel as JSON (json_script) and are drawn by static/reports/charts.js with the plotly.js
bundled in the plotly package: nothing is fetched from the internet, no inline script.
"""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from pressdesk.reports.tables import Table

_LAYOUT: dict[str, Any] = {
    "margin": {"l": 50, "r": 20, "t": 20, "b": 60},
    "height": 360,
    "font": {"family": "system-ui, sans-serif", "size": 12},
    "legend": {"orientation": "h", "y": -0.2},
}


def _as_json(fig: go.Figure) -> dict[str, Any]:
    # Through plotly's own encoder, so the JSON is exactly what plotly.js expects.
    return json.loads(pio.to_json(fig, validate=True))  # type: ignore[no-any-return]


def area_weeks(table: Table) -> dict[str, Any]:
    x = [r[0] for r in table.rows]
    fig = go.Figure(
        [
            go.Scatter(x=x, y=[r[i] for r in table.rows], name=col.label, mode="lines+markers")
            for i, col in enumerate(table.columns)
            if i > 0
        ]
    )
    fig.update_layout(yaxis_title="Số tin, bài", **_LAYOUT)
    return _as_json(fig)


def level_weeks(table: Table) -> dict[str, Any]:
    x = [r[0] for r in table.rows]
    fig = go.Figure(
        [
            go.Bar(x=x, y=[r[i] for r in table.rows], name=table.columns[i].label)
            for i in range(1, len(table.columns) - 1)
        ]
    )
    fig.update_layout(barmode="stack", yaxis_title="Số tin, bài", **_LAYOUT)
    return _as_json(fig)


def tone(table: Table) -> dict[str, Any]:
    rows = [r for r in table.rows if r[1]]
    fig = go.Figure([go.Pie(labels=[r[0] for r in rows], values=[r[1] for r in rows], hole=0.4, sort=False)])
    fig.update_layout(**_LAYOUT)
    return _as_json(fig)


def contracts(table: Table) -> dict[str, Any]:
    x = [r[0] for r in table.rows]
    wanted = ["Đặt hàng", "Đã đăng, phát", "Đã nghiệm thu"]
    labels = [c.label for c in table.columns]
    fig = go.Figure([go.Bar(x=x, y=[r[labels.index(w)] for r in table.rows], name=w) for w in wanted])
    fig.update_layout(barmode="group", yaxis_title="Số sản phẩm", **_LAYOUT)
    return _as_json(fig)


def events(table: Table) -> dict[str, Any]:
    dated = [r for r in table.rows if r[1] is not None]
    labels = [c.label for c in table.columns]
    x = [r[0] for r in dated]
    fig = go.Figure(
        [
            go.Bar(x=x, y=[r[labels.index(w)] for r in dated], name=w)
            for w in ("Trước ngày", "Đúng ngày", "Sau ngày")
        ]
    )
    fig.update_layout(barmode="stack", **_LAYOUT)
    return _as_json(fig)


CHARTS = {
    "area_weeks": area_weeks,
    "level_weeks": level_weeks,
    "tone": tone,
    "contracts": contracts,
    "events": events,
}
