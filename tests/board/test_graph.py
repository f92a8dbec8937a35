"""The board's graph: limits with clear errors, references that must resolve, labels kept as text."""

from __future__ import annotations

import pytest

from app.board import graph as G
from app.board.graph import BoardError, parse_graph
from app.board.svg import render_svg


def node(i: int, **kw) -> dict:
    return {"id": f"n{i}", "kind": "service", "label": f"svc {i}", "x": 0, "y": 0, **kw}


def test_the_design_parses_and_dumps_back_with_from_and_to(design):
    g = parse_graph(design)
    assert [n.label for n in g.of_kind("service")] == ["API", "Worker"]
    assert g.dump()["edges"][0] == {"id": "e1", "from": "c", "to": "lb", "label": ""}


@pytest.mark.parametrize(("mutate", "says"), [
    (lambda d: d["nodes"].extend(node(i) for i in range(G.MAX_NODES)), "nodes: List should have at most"),
    (lambda d: d["nodes"][0].update(label="x" * (G.MAX_LABEL + 1)), "nodes[0].label"),
    (lambda d: d["nodes"][0].update(label="   "), "nodes[0].label"),
    (lambda d: d["nodes"][0].update(kind="blockchain"), "nodes[0].kind"),
    (lambda d: d["nodes"][0].update(x=1e9), "nodes[0].x"),
    (lambda d: d["edges"][0].update(to="nowhere"), "points at 'nowhere'"),
    (lambda d: d["edges"][0].update(label="y" * (G.MAX_EDGE_LABEL + 1)), "edges[0].label"),
    (lambda d: d["nodes"][1].update(id="c"), "id 'c' is used twice"),
    (lambda d: d["nodes"][0].update(onclick="x"), "nodes[0].onclick"),
    (lambda d: d["notes"].extend({"id": f"t{i}", "text": "n" * G.MAX_NOTE, "x": 0, "y": 0} for i in range(99)),
     "bytes; at most"),
])
def test_limits_and_bad_shapes_get_one_clear_error(design, mutate, says):
    mutate(design)
    with pytest.raises(BoardError) as err:
        parse_graph(design)
    assert says in err.value.message


def test_not_an_object_is_refused():
    with pytest.raises(BoardError, match="must be an object"):
        parse_graph(["nodes"])


def test_control_characters_become_spaces(design):
    design["nodes"][0]["label"] = "Web\napp\x00"
    assert parse_graph(design).nodes[0].label == "Web app"


def test_svg_escapes_every_label_and_note(design):
    design["nodes"][0]["label"] = "<img src=x onerror=alert(1)>"
    design["edges"][0]["label"] = "</text><script>"
    design["notes"].append({"id": "t1", "text": "a & b <b>bold</b>", "x": 0, "y": 400})
    svg = render_svg(parse_graph(design))
    assert "<img" not in svg and "<script" not in svg and "<b>" not in svg
    assert "&lt;img src=x onerror=alert(1)&gt;" in svg and "a &amp; b &lt;b&gt;bold&lt;/b&gt;" in svg
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>") and "\n\n" not in svg
