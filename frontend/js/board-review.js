// The review's whiteboard: the diagram as it was at each moment of the interview (a slider over its
// versions, each with its time and the transcript line it sat beside; a click on a transcript line shows
// the diagram as it was then), and an SVG download per version.
import { api } from './api.js';
import { $, clock, param } from './dom.js';
import { renderBoard } from './board-svg.js';

function summary(graph) {
  const n = graph.nodes.length;
  const e = graph.edges.length;
  return `${n} component${n === 1 ? '' : 's'}, ${e} arrow${e === 1 ? '' : 's'}`;
}

/** The last turn that started at or before `ms` (what was being said when the board looked like this). */
function turnAt(turns, ms) {
  let found = null;
  for (const t of turns) if (t.start_ms <= ms) found = t;
  return found;
}

export async function showBoardReview(root, interviewId) {
  let versions;
  let turns = [];
  try {
    [{ versions }, { turns }] = await Promise.all([api.boardVersions(interviewId), api.interview(interviewId)]);
  } catch {
    return;
  }
  if (!versions.length) return;
  const slider = $('input[type=range]', root);
  const caption = $('[data-board=caption]', root);
  const svg = $('svg', root);
  const link = $('[data-board=download]', root);
  slider.min = '1';
  slider.max = String(versions.length);
  slider.value = String(versions.length);
  const show = () => {
    const snap = versions[Number(slider.value) - 1];
    renderBoard(svg, snap.graph, { fit: true });
    const turn = turnAt(turns, snap.at_ms);
    const said = turn ? ` — beside turn ${turn.seq} (${turn.speaker})` : '';
    caption.textContent = `Version ${snap.version} of ${versions.length}, at ${clock(snap.at_ms)}: ${summary(snap.graph)}${said}`;
    slider.setAttribute('aria-valuetext', caption.textContent);
    link.href = `/api/interviews/${encodeURIComponent(interviewId)}/board.svg?version=${snap.version}`;
    root.dataset.version = String(snap.version);
  };
  slider.addEventListener('input', show);
  // a transcript line shows the diagram as it was when that line ended
  document.getElementById('transcript')?.addEventListener('click', (e) => {
    const seq = Number(e.target.closest?.('[data-seq]')?.dataset.seq);
    const turn = turns.find((t) => t.seq === seq);
    if (!turn) return;
    const at = versions.filter((v) => v.at_ms <= turn.end_ms).length;
    slider.value = String(Math.max(1, at));
    show();
  });
  show();
  root.hidden = false;
}

const id = param('id');
const root = document.getElementById('board-review');
if (id && root) showBoardReview(root, id);
