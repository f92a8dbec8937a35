"""The whiteboard end to end in Chromium: draw a design with the keyboard and the toolbar, say (type) one
thing the drawing contradicts, and the interviewer's next turns name drawn components and raise the
contradiction; the review shows the diagram at two moments; the Markdown export holds it as escaped SVG."""

from __future__ import annotations

import re
import urllib.request

import pytest

from tests.browser.conftest import DESKTOP
from tests.browser.seed import get_json
from tests.browser.test_interview import DENY_MIC, start_interview, wait_connected, wait_interviewer_after

pytestmark = pytest.mark.browser

DESIGN = [("client", "Web app"), ("load_balancer", "Edge LB"), ("service", "API"), ("cache", "Redis"),
          ("database", "Orders DB"), ("queue", "Jobs queue"), ("service", "Worker")]
ARROWS = [("Web app", "Edge LB", ""), ("Edge LB", "API", ""), ("API", "Redis", "reads"),
          ("API", "Orders DB", "writes"), ("API", "Jobs queue", "async"), ("Jobs queue", "Worker", "")]
HOSTILE = "<img src=x onerror=alert(1)>"
CONTRADICTION = "Every read checks Redis first: the cache sits in front of the database."


def node(page, label: str):
    return page.locator(f'#board .board-node[aria-label$=": {label}"]')


def draw(page) -> None:
    board = page.locator("#board")
    for kind, label in DESIGN:
        board.get_by_label("Kind", exact=True).select_option(kind)
        board.get_by_label("Label", exact=True).fill(label)
        board.get_by_role("button", name="Add component").click()
    for a, b, label in ARROWS:
        board.get_by_label("Arrow label").select_option(label or "")
        node(page, a).focus()
        page.keyboard.press("c")  # start the arrow on the focused component
        node(page, b).focus()
        page.keyboard.press("c")  # ... and finish it on another
    node(page, "Worker").focus()
    page.keyboard.press("Shift+ArrowDown")  # moved with the keyboard (one undoable step)


def stored_board(server, iid: int) -> dict:
    return get_json(server, f"/api/interviews/{iid}/board")


def wait_board(server, page, iid: int, pred, timeout_ms: int = 20_000) -> dict:
    """Poll the stored board until `pred(board)` (the room debounces its writes)."""
    for _ in range(timeout_ms // 250):
        board = stored_board(server, iid)
        if pred(board):
            return board
        page.wait_for_timeout(250)
    raise AssertionError(f"board never matched: {stored_board(server, iid)}")


def interviewer_turns(server, iid: int) -> list[dict]:
    return [t for t in get_json(server, f"/api/interviews/{iid}")["turns"] if t["speaker"] == "interviewer"]


def send_typed(page, text: str) -> int:
    before = page.locator("#transcript .turn-typed[data-seq]").count()
    box = page.get_by_label("Type an answer")
    box.fill(text)
    box.press("Control+Enter")
    page.wait_for_function(f"document.querySelectorAll('#transcript .turn-typed[data-seq]').length > {before}",
                           timeout=30_000)
    seq = int(page.locator("#transcript .turn-typed[data-seq]").nth(before).get_attribute("data-seq"))
    wait_interviewer_after(page, seq)
    return seq


def test_draw_contradict_review_and_export(live_server, launch, shot, console_guard):
    browser = launch(fake_mic=False)
    page = browser.new_page(viewport=DESKTOP)
    page.add_init_script(DENY_MIC)
    errors = console_guard(page)
    iid = start_interview(page, live_server.url)
    page.get_by_role("button", name="Join the interview").click()
    wait_connected(page)
    page.locator("#transcript .turn-interviewer[data-seq]").first.wait_for(timeout=30_000)

    draw(page)
    first = wait_board(live_server, page, iid, lambda b: len(b["graph"]["edges"]) == len(ARROWS)
                       and b["graph"]["nodes"][-1]["y"] > 100)
    labels = {n["label"] for n in first["graph"]["nodes"]}
    assert labels == {label for _, label in DESIGN}
    assert {e["label"] for e in first["graph"]["edges"]} == {"", "reads", "writes", "async"}
    shot(page, "board-room-drawn")
    node(page, "Redis").focus()
    page.keyboard.press("Delete")  # the component and its arrow go
    assert node(page, "Redis").count() == 0 and page.locator("#board .board-edge").count() == len(ARROWS) - 1
    page.keyboard.press("Control+z")  # and come back
    assert node(page, "Redis").count() == 1 and page.locator("#board .board-edge").count() == len(ARROWS)

    seq = send_typed(page, CONTRADICTION)
    reply = next(t for t in interviewer_turns(live_server, iid) if t["seq"] > seq)
    assert reply["meta"].get("board") == "contradiction", reply
    assert "API" in reply["text"] and "Orders DB" in reply["text"] and "in front of the database" in reply["text"]

    # a second moment: a note (hostile text, shown as text) and the worker renamed
    board = page.locator("#board")
    board.get_by_label("Label", exact=True).fill(HOSTILE)
    board.get_by_role("button", name="Add note").click()
    node(page, "Worker").focus()
    page.keyboard.press("Enter")  # Enter renames: focus goes to the label field
    board.get_by_label("Label", exact=True).fill("Email worker")
    board.get_by_label("Label", exact=True).press("Enter")
    second = wait_board(live_server, page, iid, lambda b: any(n["label"] == "Email worker" for n in b["graph"]["nodes"])
                        and b["graph"]["notes"])
    assert second["version"] > first["version"] and second["at_ms"] >= first["at_ms"]
    assert page.locator("#board img").count() == 0, "a label is text, never markup"

    seq = send_typed(page, "The workers pull jobs from the queue and retry with exponential backoff, about "
                           "2000 jobs per second at peak, and the database is replicated across two zones.")
    drawn = {n["label"] for n in second["graph"]["nodes"]}
    after = [t for t in interviewer_turns(live_server, iid) if t["seq"] > seq]
    for t in after:  # whatever it refers to is drawn
        assert set(t["meta"].get("board_refs", [])) <= drawn
    shot(page, "board-room-after-reply")

    page.get_by_role("button", name="Finish interview").click()
    page.get_by_role("button", name="Finish and see my review").click()
    page.wait_for_url(re.compile(r"/review\.html\?id=\d+"), timeout=30_000)
    review = page.locator("#board-review")
    review.wait_for(state="visible", timeout=30_000)
    slider = review.locator("input[type=range]")
    versions = int(slider.get_attribute("max"))
    assert versions >= 2
    assert review.get_attribute("data-version") == str(versions)
    assert review.locator(".board-node", has_text="Email worker").count() == 1
    shot(page, "board-review-last")
    slider.focus()
    page.keyboard.press("Home")  # the first version: before the rename and the note
    assert review.get_attribute("data-version") == "1"
    assert review.locator(".board-node").count() >= 1 and review.locator(".board-note").count() == 0
    assert review.locator(".board-node", has_text="Email worker").count() == 0
    assert "Version 1 of" in review.locator("[data-board=caption]").inner_text()
    shot(page, "board-review-first")
    page.locator("#transcript [data-seq]").last.click()  # a transcript line: the diagram as it was then
    assert review.get_attribute("data-version") == str(versions)

    page.locator("#exports").wait_for(state="visible", timeout=120_000)
    with urllib.request.urlopen(f"{live_server.url}/api/interviews/{iid}/report.md", timeout=30) as res:
        md = res.read().decode()
    assert "## Whiteboard" in md and "<svg" in md and "Email worker" in md
    assert HOSTILE not in md and "&lt;img src=x onerror=alert(1)&gt;" in md
    assert not [e for e in errors if e.startswith(("error", "pageerror"))], errors


SYNC_SCRIPT = """
async () => {
  const { BoardModel } = await import('/js/board-model.js');
  const { BoardSync } = await import('/js/board-sync.js');
  const sent = [];
  const notices = [];
  const stream = { open: true, sendNow: (m) => sent.push(JSON.parse(JSON.stringify(m))) };
  const model = new BoardModel();
  const sync = new BoardSync(model, () => stream, { onNotice: (t) => notices.push(t) });
  const wait = () => new Promise((r) => setTimeout(r, 900));
  const out = {};
  model.addNode('service', 'API', 0, 0);
  model.addNode('database', 'Orders DB', 200, 0);
  await wait();
  out.first = sent.map((m) => [m.type, m.base, m.graph.nodes.length]);  // debounced: one write
  sync.onMessage({ type: 'board_saved', id: sent[0].id, version: 1, at_ms: 10 });
  model.addNode('cache', 'Redis', 400, 0);
  await wait();
  out.second = [sent[1].base, sent[1].graph.nodes.length];
  // another tab stored versions 2..5 meanwhile: the write is refused with the newest
  const theirs = { nodes: [{ id: 'x', kind: 'client', label: 'Their app', x: 0, y: 0 }], edges: [], notes: [] };
  sync.onMessage({ type: 'board_conflict', id: sent[1].id, version: 5, at_ms: 50, graph: theirs });
  out.afterConflict = model.graph.nodes.map((n) => n.label);
  out.notice = notices.length;
  model.undo();  // ours is one Undo away, and goes out drawn on version 5
  out.afterUndo = model.graph.nodes.map((n) => n.label);
  await wait();
  out.third = [sent[2].base, sent[2].graph.nodes.length];
  // the socket drops; a change waits; on reconnect it is sent
  sync.onMessage({ type: 'board_saved', id: sent[2].id, version: 6, at_ms: 60 });
  stream.open = false;
  model.remove(model.graph.nodes[0].id);
  await wait();
  out.whileDown = sent.length;
  stream.open = true;
  sync.connected();
  out.onReconnect = [sent.length, sent[3] && sent[3].base, sent[3] && sent[3].graph.nodes.length];
  // a write in flight when the socket drops is sent again; stored already, the conflict equals ours: quiet
  model.addNode('queue', 'Jobs', 0, 200);
  await wait();
  const lost = sent[sent.length - 1];
  sync.connected();
  const again = sent[sent.length - 1];
  out.resent = [again !== lost, again.base, again.graph.nodes.length];
  sync.onMessage({ type: 'board_conflict', id: again.id, version: 7, at_ms: 70, graph: again.graph });
  out.quiet = [notices.length, sync.version];
  // a limit the editor enforces itself, with a message
  for (let i = 0; i < 45; i++) model.addNode('service', 's' + i, 0, 0);
  out.capped = model.graph.nodes.length;
  return out;
}
"""


def test_sync_debounces_resolves_a_conflict_without_loss_and_resends_after_reconnect(live_server, launch):
    browser = launch(fake_mic=False)
    page = browser.new_page()
    page.goto(live_server.url + "/review.html")
    out = page.evaluate(SYNC_SCRIPT)
    assert out["first"] == [["board", 0, 2]]
    assert out["second"] == [1, 3]
    assert out["afterConflict"] == ["Their app"] and out["notice"] == 1
    assert out["afterUndo"] == ["API", "Orders DB", "Redis"]
    assert out["third"] == [5, 3]
    assert out["whileDown"] == 3 and out["onReconnect"] == [4, 6, 2]
    assert out["resent"] == [True, 6, 3] and out["quiet"] == [1, 7]
    assert out["capped"] == 40
