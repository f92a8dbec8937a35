// A code or SQL run's result as DOM (the room's results and the review page's runs): per case its status,
// its input, expected vs got for visible cases, the error and the time; for SQL the rows and the plan.
import { el } from './dom.js';

const LABELS = {
  passed: 'passed',
  failed: 'failed',
  error: 'error',
  timeout: 'time limit',
  memory: 'memory limit',
  not_allowed: 'not allowed',
  output: 'output limit',
  not_run: 'not run',
};

export function runHeadline(result) {
  const what = result.mode === 'run' ? 'Examples' : 'Hidden tests';
  if (result.status === 'refused' || (result.status === 'error' && !result.cases.length)) {
    return `${what}: ${result.message}`;
  }
  return `${what}: ${result.passed} of ${result.total} passed`;
}

const show = (value) => (typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value));

function table(columns, rows, caption) {
  return el(
    'table',
    { class: 'result-table' },
    el('caption', { class: 'sr-only' }, caption),
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col' }, c)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((v) => el('td', {}, v === null ? 'NULL' : String(v)))))),
  );
}

function caseItem(c, sql) {
  const label = LABELS[c.status] || c.status;
  const title = sql ? c.name : `${c.hidden ? 'Hidden test' : 'Example'} ${c.index + 1}${c.name ? `: ${c.name}` : ''}`;
  const item = el(
    'li',
    { class: `case case-${c.status === 'passed' ? 'ok' : 'bad'}`, dataset: { status: c.status } },
    el('span', { class: `pill pill-${c.status === 'passed' ? 'ok' : 'bad'}` }, label),
    ' ',
    el('strong', {}, title),
    c.ms !== null && c.ms !== undefined ? el('span', { class: 'muted small' }, ` ${Number(c.ms).toFixed(1)} ms`) : null,
  );
  if (!sql && c.input) item.append(el('div', { class: 'case-line' }, 'Input: ', el('code', {}, c.input)));
  if (c.status === 'failed' && !c.hidden && !sql) {
    item.append(el('div', { class: 'case-line' }, 'Expected: ', el('code', {}, show(c.expected))));
    item.append(el('div', { class: 'case-line' }, 'Got: ', el('code', {}, show(c.got))));
  }
  if (c.error && c.status !== 'not_run') item.append(el('div', { class: 'case-line case-error' }, c.error));
  if (c.out) item.append(el('pre', { class: 'case-out', 'aria-label': 'Printed output' }, c.out));
  if (sql && c.columns) {
    item.append(table(c.columns, c.rows || [], `Result of your query on ${c.name}`));
    if (c.status === 'failed' && c.expected) {
      item.append(el('div', { class: 'case-line' }, 'Expected rows:'));
      item.append(table(c.columns, c.expected, `Expected result on ${c.name}`));
    }
    if (c.plan?.length) {
      item.append(el('div', { class: 'case-line' }, 'Query plan:'), el('pre', { class: 'query-plan' }, c.plan.join('\n')));
    }
  }
  return item;
}

export function renderRun(result) {
  const sql = result.language === 'sql';
  return el(
    'div',
    { class: 'run', dataset: { status: result.status, mode: result.mode } },
    el('p', { class: `run-head run-${result.status}` }, runHeadline(result)),
    result.cases.length ? el('ol', { class: 'cases' }, result.cases.map((c) => caseItem(c, sql))) : null,
  );
}
