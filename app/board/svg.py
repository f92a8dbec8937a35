"""The board as a standalone SVG (the review's download, the Markdown export). Every piece of candidate
text is escaped (labels are text, never markup); the same geometry as frontend/js/board-svg.js.
"""

from __future__ import annotations

from html import escape
from typing import Any

from app.board.graph import KINDS, Graph

NODE_W, NODE_H = 150, 56  # a node's (x, y) is its top-left corner
NOTE_W, NOTE_H = 170, 48
PAD = 24


def note_width(text: str) -> int:
    """A note is as wide as its text (roughly), within bounds (frontend/js/board-svg.js: noteWidth)."""
    return round(max(NOTE_W, min(420, 16 + 6.6 * len(text))))
FILL = {"client": "#eef3ff", "load_balancer": "#f1ecff", "service": "#e9f7ef", "cache": "#fff4e0",
        "database": "#e8f4fb", "queue": "#fdecef", "object_storage": "#f3f3f3", "cdn": "#eefaf9",
        "external": "#fafafa"}


def _t(text: str) -> str:
    return escape(text, quote=True)


def _center(n) -> tuple[float, float]:
    return n.x + NODE_W / 2, n.y + NODE_H / 2


def _border(cx: float, cy: float, tx: float, ty: float) -> tuple[float, float]:
    """Where the line from a box's centre towards (tx, ty) leaves the box."""
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    sx = (NODE_W / 2) / abs(dx) if dx else float("inf")
    sy = (NODE_H / 2) / abs(dy) if dy else float("inf")
    s = min(sx, sy)
    return cx + dx * s, cy + dy * s


def bounds(graph: Graph) -> tuple[float, float, float, float]:
    boxes = [(n.x, n.y, n.x + NODE_W, n.y + NODE_H) for n in graph.nodes]
    boxes += [(n.x, n.y, n.x + note_width(n.text), n.y + NOTE_H) for n in graph.notes]
    if not boxes:
        return 0, 0, 320, 80
    return (min(b[0] for b in boxes) - PAD, min(b[1] for b in boxes) - PAD,
            max(b[2] for b in boxes) + PAD, max(b[3] for b in boxes) + PAD)


def render_svg(data: dict[str, Any] | Graph, title: str = "Whiteboard") -> str:
    graph = data if isinstance(data, Graph) else Graph.model_validate(data)
    x0, y0, x1, y1 = bounds(graph)
    w, h = round(x1 - x0), round(y1 - y0)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0:g} {y0:g} {w} {h}" width="{w}" height="{h}" '
           f'role="img" aria-label="{_t(title)}" font-family="sans-serif">',
           f"<title>{_t(title)}</title>",
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
           'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#444"/></marker></defs>']
    if graph.empty:
        out.append(f'<text x="{x0 + PAD:g}" y="{y0 + 44:g}" font-size="14" fill="#666">Nothing drawn</text>')
    for e in graph.edges:
        a, b = graph.node(e.source), graph.node(e.target)
        if a is None or b is None:
            continue
        (ax, ay), (bx, by) = _center(a), _center(b)
        sx, sy = _border(ax, ay, bx, by)
        tx, ty = _border(bx, by, ax, ay)
        out.append(f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" stroke="#444" '
                   f'stroke-width="1.5" marker-end="url(#arrow)"/>')
        if e.label:
            out.append(f'<text x="{(sx + tx) / 2:.1f}" y="{(sy + ty) / 2 - 5:.1f}" font-size="12" '
                       f'text-anchor="middle" fill="#333">{_t(e.label)}</text>')
    for n in graph.nodes:
        out.append(f'<g><rect x="{n.x:g}" y="{n.y:g}" width="{NODE_W}" height="{NODE_H}" rx="8" '
                   f'fill="{FILL[n.kind]}" stroke="#555"/>'
                   f'<text x="{n.x + NODE_W / 2:g}" y="{n.y + 20:g}" font-size="11" text-anchor="middle" '
                   f'fill="#666">{_t(KINDS[n.kind])}</text>'
                   f'<text x="{n.x + NODE_W / 2:g}" y="{n.y + 40:g}" font-size="14" text-anchor="middle" '
                   f'fill="#111">{_t(n.label)}</text></g>')
    for note in graph.notes:
        out.append(f'<g><rect x="{note.x:g}" y="{note.y:g}" width="{note_width(note.text)}" height="{NOTE_H}" '
                   f'fill="#fffbd6" stroke="#c9b458"/><text x="{note.x + 8:g}" y="{note.y + 28:g}" font-size="12" '
                   f'fill="#333">{_t(note.text)}</text></g>')
    out.append("</svg>")
    return "\n".join(out)
