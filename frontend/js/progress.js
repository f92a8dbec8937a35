// Progress: per-dimension score trends across scored sessions of one round (GET /api/progress).
import { api } from './api.js';
import { responsive, seriesStyle, trendLines } from './charts.js';
import { $, clear, dateTime, el, levelLabel, notice, param, score, shortDate } from './dom.js';

const OVERALL = { color: '#4a5566', marker: 'circle', dashed: true };

function legendItem(name, style) {
  const swatch = el('span', { class: `swatch${style.dashed ? ' dashed' : ''}`, 'aria-hidden': 'true' });
  swatch.style.setProperty('--c', style.color);
  return el('li', {}, swatch, name);
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
    el(
      'table',
      { class: 'table' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, 'Session'),
          ...data.dimensions.map((d) => el('th', { scope: 'col' }, d.name)),
          el('th', { scope: 'col' }, 'Overall'),
        ),
      ),
      el(
        'tbody',
        {},
        ...data.interviews.map((iv, i) =>
          el(
            'tr',
            {},
            el(
              'th',
              { scope: 'row' },
              el('a', { href: `/review.html?id=${iv.interview_id}` }, dateTime(iv.date)),
              el('span', { class: 'muted small' }, ` ${levelLabel(iv.level)}`),
            ),
            ...byDim.map((m) => el('td', { class: 'num' }, m.get(iv.interview_id) ?? '—')),
            el('td', { class: 'num' }, score(iv.overall)),
          ),
        ),
      ),
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
  const wanted = param('round') || localStorage.getItem('viva.round');
  const initial = rounds.some((r) => r.id === wanted) ? wanted : rounds[0]?.id;
  clear(select, ...rounds.map((r) => el('option', { value: r.id, selected: r.id === initial }, r.title)));
  select.addEventListener('change', () => {
    history.replaceState(null, '', `?round=${encodeURIComponent(select.value)}`);
    load(select.value);
  });
  if (initial) load(initial);
}

init();
