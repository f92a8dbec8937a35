// The review's code: the final code per question (numbered lines), every run with its cases (and for SQL
// the result table and plan), and the lines a dimension quotes as evidence.
import { clock, el } from './dom.js';
import { renderRun, runHeadline } from './run-view.js';

export function codeListing(lines, first = 1, label = 'Code') {
  return el(
    'ol',
    { class: 'code-listing', start: String(first), 'aria-label': label },
    lines.map((line, i) => el('li', {}, el('span', { class: 'ln', 'aria-hidden': 'true' }, String(first + i)), line || ' ')),
  );
}

export function renderCodeEvidence(quotes) {
  return el(
    'div',
    { class: 'code-evidence' },
    el('h4', {}, 'Evidence from your code'),
    quotes.map((q) =>
      el(
        'figure',
        {},
        el('figcaption', { class: 'muted small' }, `${q.question_id} (${q.language}), lines ${q.first_line}–${q.first_line + q.lines.length - 1}: ${q.note}`),
        codeListing(q.lines, q.first_line, `Lines ${q.first_line} to ${q.first_line + q.lines.length - 1}`),
      ),
    ),
  );
}

export function renderCodeWork(section, target, work) {
  const questions = new Map();
  for (const d of work.drafts) questions.set(d.question_id, { draft: d, runs: [] });
  for (const r of work.runs) {
    if (!questions.has(r.question_id)) questions.set(r.question_id, { draft: null, runs: [] });
    questions.get(r.question_id).runs.push(r);
  }
  if (!questions.size) return;
  section.hidden = false;
  target.replaceChildren(
    ...[...questions.entries()].map(([qid, { draft, runs }]) => {
      const last = runs[runs.length - 1];
      const code = draft?.code ?? last?.code ?? '';
      return el(
        'article',
        { class: 'code-question', dataset: { question: qid } },
        el('h3', {}, `${qid} (${draft?.language || last?.language})`),
        el('h4', {}, 'Final code'),
        codeListing(code.split('\n'), 1, `Final code for ${qid}`),
        el('h4', {}, `Runs (${runs.length})`),
        runs.length
          ? el(
              'ol',
              { class: 'run-list' },
              runs.map((r) =>
                el(
                  'li',
                  {},
                  el('details', { open: r === last ? true : null },
                    el('summary', {}, `${clock(r.at_ms)} · ${runHeadline(r.result)}`),
                    renderRun(r.result)),
                ),
              ),
            )
          : el('p', { class: 'muted' }, 'Never run.'),
      );
    }),
  );
}

// Runs on the transcript's time line: each one before the first turn that started after it.
export function placeRuns(list, turns, runs) {
  for (const r of runs) {
    const after = turns.find((t) => t.start_ms > r.at_ms);
    const node = el(
      'li',
      { class: `turn turn-run run-${r.status}`, dataset: { run: String(r.id) } },
      el('div', { class: 'who' }, el('span', { class: 'speaker' }, 'Code run'), el('span', { class: 'at' }, clock(r.at_ms))),
      el('p', { class: 'text' }, `${r.question_id} (${r.language}) · ${runHeadline(r.result)}`),
    );
    const before = after ? list.querySelector(`li[data-seq="${after.seq}"]`) : null;
    list.insertBefore(node, before);
  }
}
