"""Exports escape candidate text: the Markdown report (a typed answer, a board label) and the board's SVG;
the report carries the board's last version as SVG; the review's REST reads are the owner's."""

from __future__ import annotations

from sqlmodel import Session

from app.board import store
from app.board.graph import parse_graph
from app.models import Interview, InterviewStatus
from tests.factories import add_turns

HOSTILE = "<img src=x onerror=alert(1)>"


def _interview_with_board(client, app, design) -> int:
    iid = client.post("/api/interviews", json={"round": "system_design", "level": "senior"}).json()["id"]
    design["nodes"][2]["label"] = HOSTILE
    with Session(app.state.engine) as db:
        interview = db.get(Interview, iid)
        add_turns(db, interview, [("interviewer", "Design a URL shortener."),
                                  ("candidate", f"I would put a Redis cache in front. {HOSTILE}")])
        store.save(db, iid, 0, parse_graph({**design, "nodes": design["nodes"][:3], "edges": design["edges"][:2]}),
                   at_ms=3_000)
        store.save(db, iid, 1, parse_graph(design), at_ms=9_000)
        interview.status = InterviewStatus.finished
        db.add(interview)
        db.commit()
    assert client.post(f"/api/interviews/{iid}/score?wait=true").status_code == 200
    return iid


def test_markdown_escapes_candidate_text_and_holds_the_board_svg(client, design):
    iid = _interview_with_board(client, client.app, design)
    md = client.get(f"/api/interviews/{iid}/report.md").text
    assert HOSTILE not in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md  # the typed answer and the board label, as text
    start = md.index("## Whiteboard")
    svg = md[md.index("<svg", start): md.index("</svg>", start) + 6]
    assert "Orders DB" in svg and "Worker" in svg and "\n\n" not in svg  # one HTML block, the last version


def test_versions_and_svg_per_version(client, design):
    iid = _interview_with_board(client, client.app, design)
    versions = client.get(f"/api/interviews/{iid}/board/versions").json()["versions"]
    assert [(v["version"], v["at_ms"], len(v["graph"]["nodes"])) for v in versions] == [(1, 3_000, 3), (2, 9_000, 7)]
    first = client.get(f"/api/interviews/{iid}/board.svg?version=1")
    assert first.headers["content-type"].startswith("image/svg+xml")
    assert "Worker" not in first.text and HOSTILE not in first.text and "&lt;img" in first.text
    assert client.get(f"/api/interviews/{iid}/board.svg?version=9").status_code == 404
    assert client.get(f"/api/interviews/{iid}/board").json()["version"] == 2


def test_an_interview_without_a_board_exports_no_whiteboard(client):
    iid = client.post("/api/interviews", json={"round": "coding", "level": "mid"}).json()["id"]
    assert client.get(f"/api/interviews/{iid}/board").json() == {"version": 0, "at_ms": 0,
                                                                "graph": {"nodes": [], "edges": [], "notes": []}}
    assert client.get(f"/api/interviews/{iid}/board/versions").json() == {"versions": []}


def test_the_scorecard_lists_the_drawing_as_timed_evidence(client, design):
    iid = _interview_with_board(client, client.app, design)
    dims = {d["key"]: d for d in client.get(f"/api/interviews/{iid}/scorecard").json()["dimensions"]}
    drawn = {f["text"]: f for f in dims["architecture"]["drawn"]}
    arrow = f"{HOSTILE} → Orders DB (writes)"  # the service is labelled with the hostile text
    assert drawn[arrow] == {"text": arrow, "version": 2, "at_ms": 9_000}
    assert drawn["Edge LB (load balancer)"]["at_ms"] == 3_000  # first drawn in version 1
    assert "drawn" not in dims["requirements"] or not dims["requirements"]["drawn"]  # not evidence for scoping
    md = client.get(f"/api/interviews/{iid}/report.md").text
    assert "Drawn on the whiteboard: " in md and "&lt;img src=x onerror=alert(1)&gt; → Orders DB (writes) at 0:09" in md
    assert HOSTILE not in md
