// Progress: an overview of every round the candidate has sessions in (GET /api/progress/overview), and
// per-dimension score trends across scored sessions of one round (GET /api/progress). The page opens on
// the round practised most recently, unless the address names one.
import { api } from './api.js';
import { responsive, seriesStyle, trendLines } from './charts.js';
import { $, clear, dateTime, el, levelLabel, notice, param, score, shortDate } from './dom.js';

const OVERALL = { color: '#4a5566', marker: 'circle', dashed: true };

function legendItem(name, style) {
  const swatch = el('span', { class: `swatch${style.dashed ? ' dashed' : ''}`, 'aria-hidden': 'true' });
  swatch.style.setProperty('--c', style.color);
  return el('li', {}, swatch, name);
}

// A table with column headers and one row per item: the first cell of a row is its header.
function dataTable(headers, rows) {
  return el(
    'table',
    { class: 'table' },
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
    el(
      'tbody',
      {},
      ...rows.map(([head, ...cells]) => el('tr', {}, el('th', { scope: 'row' }, ...head), ...cells)),
    ),
  );
}

function render(data) {
  const result = $('#result');
  if (!data.interviews.length) {
    result.hidden = true;
    clear(
      $('#status'),
      el(
        'p',
        { class: 'muted' },
        'No scored interviews for this round yet. ',
        el('a', { href: '/' }, 'Start one'),
        ' and your trend appears here after it is scored.',
      ),
    );
    return;
  }
  $('#status').replaceChildren();
  result.hidden = false;
  const index = new Map(data.interviews.map((iv, i) => [iv.interview_id, i]));
  const labels = data.interviews.map((iv) => shortDate(iv.date));
  const series = data.dimensions.map((d, i) => ({
    name: d.name,
    ...seriesStyle(i),
    points: d.scores
      .filter((s) => index.has(s.interview_id))
      .map((s) => ({ x: index.get(s.interview_id), y: s.score })),
  }));
  series.push({
    name: 'Overall',
    ...OVERALL,
    points: data.interviews.map((iv, i) => ({ x: i, y: iv.overall })),
  });
  responsive($('#trend'), (width) => trendLines(series, labels, { width, height: width < 500 ? 240 : 300 }));
  clear($('#legend'), ...series.map((s) => legendItem(s.name, s)));

  const byDim = data.dimensions.map((d) => new Map(d.scores.map((s) => [s.interview_id, s.score])));
  clear(
    $('#table'),
    dataTable(
      ['Session', ...data.dimensions.map((d) => d.name), 'Overall'],
      data.interviews.map((iv) => [
        [
          el('a', { href: `/review.html?id=${iv.interview_id}` }, dateTime(iv.date)),
          el('span', { class: 'muted small' }, ` ${levelLabel(iv.level)}`),
        ],
        ...byDim.map((m) => el('td', { class: 'num' }, m.get(iv.interview_id) ?? '—')),
        el('td', { class: 'num' }, score(iv.overall)),
      ]),
    ),
  );
}

function renderOverview(overview, select) {
  const box = $('#overview');
  if (!overview.rounds.length) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const pick = (roundId) => {
    select.value = roundId;
    history.replaceState(null, '', `?round=${encodeURIComponent(roundId)}`);
    load(roundId);
  };
  const num = (text) => el('td', { class: 'num' }, text);
  clear(
    $('#overview-table'),
    dataTable(
      ['Round', 'Sessions', 'Scored', 'Last practised', 'Latest score', 'Best'],
      overview.rounds.map((r) => {
        const link = el('a', { href: `?round=${encodeURIComponent(r.round)}`, 'data-round': r.round }, r.title);
        link.addEventListener('click', (ev) => {
          ev.preventDefault();
          pick(r.round);
        });
        const latest = r.latest_overall == null ? 'not scored yet' : `${score(r.latest_overall)} (${r.latest_hire_signal})`;
        return [
          [link],
          num(String(r.sessions)),
          num(String(r.scored)),
          el('td', {}, dateTime(r.last_practised)),
          num(latest),
          num(r.best_overall == null ? '—' : score(r.best_overall)),
        ];
      }),
    ),
  );
}

async function load(roundId) {
  clear($('#status'), el('p', { class: 'muted' }, 'Loading…'));
  try {
    render(await api.progress(roundId));
  } catch (err) {
    $('#result').hidden = true;
    clear($('#status'), notice('error', `Progress could not be loaded: ${err.message}`));
  }
}

async function init() {
  const select = $('#round');
  let rounds;
  try {
    rounds = await api.rounds();
  } catch (err) {
    clear($('#status'), notice('error', `The rounds could not be loaded: ${err.message}`));
    return;
  }
  let overview = { latest_round: null, rounds: [] };
  try {
    overview = await api.progressOverview();
  } catch (err) {
    clear($('#status'), notice('error', `The overview could not be loaded: ${err.message}`));
  }
  // the address wins, then the round practised most recently, then the last round picked on Home
  const known = (r) => r && rounds.some((x) => x.id === r);
  const initial = [param('round'), overview.latest_round, localStorage.getItem('viva.round')].find(known) ?? rounds[0]?.id;
  clear(select, ...rounds.map((r) => el('option', { value: r.id, selected: r.id === initial }, r.title)));
  renderOverview(overview, select);
  select.addEventListener('change', () => {
    history.replaceState(null, '', `?round=${encodeURIComponent(select.value)}`);
    load(select.value);
  });
  if (initial) load(initial);
}

init();
