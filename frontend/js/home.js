// Home: the rounds as cards, a level choice and Start; the candidate's past interviews.
import { api } from './api.js';
import { $, clear, dateTime, el, levelLabel, notice, score, STATUS_LABELS } from './dom.js';

const IN_PROGRESS = new Set(['created', 'active', 'paused']);
const rounds = new Map();
let cursor = null;

/** What the round is, in one sentence: the description's first one, unless that only gives the length. */
function gist(text) {
  const sentences = text.split(/(?<=[.!?])\s+/);
  return /\bminute\b/i.test(sentences[0]) && sentences.length > 1 ? sentences[1] : sentences[0];
}

function roundCard(round, checked) {
  const inputId = `round-${round.id}`;
  return el(
    'div',
    { class: 'card round-card' },
    el('input', {
      type: 'radio',
      name: 'round',
      value: round.id,
      id: inputId,
      checked,
      'aria-describedby': `${inputId}-desc`,
    }),
    el(
      'label',
      { for: inputId },
      el(
        'span',
        { class: 'card-head' },
        el('span', { class: 'card-title' }, round.title),
        el('span', { class: 'duration' }, `${Math.round(round.duration_minutes)} min`),
      ),
      el('span', { class: 'card-desc', id: `${inputId}-desc` }, gist(round.description)),
      el(
        'span',
        { class: 'assesses' },
        el('span', { class: 'assesses-label' }, 'Assesses'),
        el(
          'span',
          { class: 'tags' },
          ...round.dimensions.map((d) => el('span', { class: 'tag', title: d.assesses }, d.name)),
        ),
      ),
    ),
  );
}

function selectedRound() {
  return rounds.get($('input[name="round"]:checked')?.value);
}

function syncLevels() {
  const round = selectedRound();
  for (const input of document.querySelectorAll('input[name="level"]')) {
    const ok = !round || round.levels.includes(input.value);
    input.disabled = !ok;
    input.closest('label').classList.toggle('disabled', !ok);
  }
  const checked = $('input[name="level"]:checked');
  if (checked?.disabled) document.querySelector('input[name="level"]:not(:disabled)')?.click();
}

async function loadRounds() {
  const box = $('#round-cards');
  try {
    const list = await api.rounds();
    for (const r of list) rounds.set(r.id, r);
    const remembered = localStorage.getItem('viva.round');
    const initial = rounds.has(remembered) ? remembered : list[0]?.id;
    clear(box, ...list.map((r) => roundCard(r, r.id === initial)));
    box.removeAttribute('aria-busy');
    const level = localStorage.getItem('viva.level');
    const levelInput = level && $(`input[name="level"][value="${CSS.escape(level)}"]`);
    if (levelInput) levelInput.checked = true;
    syncLevels();
    box.addEventListener('change', syncLevels);
  } catch (err) {
    clear(box);
    $('#load-error').append(notice('error', `The rounds could not be loaded: ${err.message}`));
    $('#start').disabled = true;
  }
}

async function start(event) {
  event.preventDefault();
  const round = selectedRound();
  const level = $('input[name="level"]:checked')?.value;
  const status = $('#start-status');
  if (!round || !level) {
    status.textContent = 'Choose a round and a level first.';
    return;
  }
  $('#start').disabled = true;
  status.textContent = 'Preparing the interview room…';
  try {
    const interview = await api.createInterview(round.id, level);
    localStorage.setItem('viva.round', round.id);
    localStorage.setItem('viva.level', level);
    location.href = `/room.html?id=${encodeURIComponent(interview.id)}`;
  } catch (err) {
    status.textContent = `Could not start: ${err.message}`;
    $('#start').disabled = false;
  }
}

function historyRow(item) {
  const round = rounds.get(item.round);
  const title = round?.title || item.round;
  const inProgress = IN_PROGRESS.has(item.status);
  const href = inProgress ? `/room.html?id=${item.id}` : `/review.html?id=${item.id}`;
  return el(
    'tr',
    {},
    el('th', { scope: 'row' }, el('a', { href }, title)),
    el('td', { 'data-label': 'Level' }, levelLabel(item.level)),
    el('td', { 'data-label': 'Date' }, el('time', { datetime: item.created_at }, dateTime(item.created_at))),
    el(
      'td',
      { 'data-label': 'Status' },
      el('span', { class: `status status-${item.status}` }, STATUS_LABELS[item.status] || item.status),
      item.end_reason === 'abandoned' && item.status !== 'abandoned'
        ? el('span', { class: 'status status-abandoned' }, STATUS_LABELS.abandoned)
        : null,
    ),
    el(
      'td',
      { 'data-label': 'Score', class: 'num' },
      item.overall == null ? '—' : `${score(item.overall)} / 4`,
    ),
    el(
      'td',
      { class: 'row-action' },
      el(
        'a',
        {
          href,
          class: 'button small',
          'aria-label': `${inProgress ? 'Resume' : 'Review'} ${title}, ${dateTime(item.created_at)}`,
        },
        inProgress ? 'Resume' : 'Review',
      ),
      el(
        'button',
        {
          type: 'button',
          class: 'button small danger-outline',
          'aria-label': `Delete ${title}, ${dateTime(item.created_at)}`,
          onclick: (event) => remove(item, title, event.currentTarget.closest('tr')),
        },
        'Delete',
      ),
    ),
  );
}

async function remove(item, title, row) {
  if (!confirm(`Delete the ${title} interview of ${dateTime(item.created_at)}, with its transcript and scores?`)) {
    return;
  }
  try {
    await api.deleteInterview(item.id);
    row.remove();
    $('#history-status').textContent = `Deleted the ${title} interview.`;
  } catch (err) {
    $('#history-status').textContent = `Could not delete: ${err.message}`;
  }
}

async function loadHistory(more = false) {
  const box = $('#history');
  try {
    const page = await api.interviews({ limit: 10, cursor: more ? cursor : null });
    cursor = page.next_cursor;
    $('#more').hidden = !cursor;
    if (!more) {
      if (!page.items.length) {
        clear(
          box,
          el(
            'p',
            { class: 'muted' },
            'No interviews yet. Your past interviews and their scores will appear here.',
          ),
        );
        return;
      }
      clear(
        box,
        el(
          'table',
          { class: 'table history-table' },
          el('caption', { class: 'sr-only' }, 'Your interviews, newest first'),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ...['Round', 'Level', 'Date', 'Status'].map((h) => el('th', { scope: 'col' }, h)),
              el('th', { scope: 'col', class: 'num' }, 'Score'),
              el('th', { scope: 'col' }, el('span', { class: 'sr-only' }, 'Open')),
            ),
          ),
          el('tbody', {}),
        ),
      );
    }
    $('#history tbody').append(...page.items.map(historyRow));
  } catch (err) {
    clear(box, notice('error', `Your interviews could not be loaded: ${err.message}`));
  }
}

async function init() {
  $('#start-form').addEventListener('submit', start);
  $('#more').addEventListener('click', () => loadHistory(true));
  await loadRounds();
  await loadHistory();
}

init();
