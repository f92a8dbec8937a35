// Review: the scorecard (overall, hire signal, dimension chart with evidence), speech metrics,
// pacing, feedback, exports, and the transcript the evidence links into. Polls while scoring runs.
import { api } from './api.js';
import { responsive, scoreBars } from './charts.js';
import { $, clear, clock, dateTime, el, levelLabel, notice, param, score, STATUS_LABELS } from './dom.js';
import { renderPacing, renderSpeech } from './review-metrics.js';
import { decorateTranscript, loadReplay, playButton } from './replay.js';
import { placeRuns, renderCodeEvidence, renderCodeWork } from './review-code.js';
import { turnNode } from './transcript-view.js';

const POLL_MS = 1500;
const KICK_AFTER_MS = 6000; // "finished" for this long with no scoring: ask for it
const interviewId = param('id');
let pollStarted = 0;
let kicked = false;
let shownKey = ''; // the card on the page (an offline card being refined is replaced when the refinement lands)

// --- transcript and evidence links ---------------------------------------------------------------
function renderTranscript(turns) {
  const list = $('#transcript');
  if (!turns.length) {
    clear(list, el('li', { class: 'muted' }, 'No turns were recorded.'));
    return;
  }
  clear(list, ...turns.map((t) => turnNode(t)));
  decorateTranscript(list);
}

function markQuote(node, quote) {
  const body = node.querySelector('.text, code');
  if (!body) return;
  const text = body.textContent;
  const at = text.toLowerCase().indexOf(quote.toLowerCase());
  if (at < 0) return;
  body.replaceChildren(
    text.slice(0, at),
    el('mark', {}, text.slice(at, at + quote.length)),
    text.slice(at + quote.length),
  );
}

function showTurn(seq, quote) {
  const node = document.getElementById(`turn-${seq}`);
  if (!node) return false;
  for (const old of document.querySelectorAll('.turn.highlight')) {
    old.classList.remove('highlight');
    const body = old.querySelector('.text, code');
    if (body) body.textContent = body.textContent; // drop <mark>
  }
  node.classList.add('highlight');
  if (quote) markQuote(node, quote);
  const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  node.scrollIntoView({ behavior: smooth ? 'smooth' : 'auto', block: 'center' });
  node.focus({ preventScroll: true });
  return true;
}

function evidenceLink(ev) {
  return el(
    'li',
    { class: 'evidence' },
    el(
      'a',
      {
        href: `#turn-${ev.seq}`,
        class: 'quote',
        dataset: { seq: String(ev.seq) },
        onclick: (e) => {
          e.preventDefault();
          if (showTurn(ev.seq, ev.quote)) history.replaceState(null, '', `#turn-${ev.seq}`);
        },
      },
      `${ev.cut_before ? '… ' : ''}“${ev.quote}”${ev.cut_after ? ' …' : ''}`,
    ),
    el('span', { class: 'at muted' }, ` at ${clock(ev.start_ms)}`),
    playButton(ev.seq, ev.start_ms, 'Listen'),
  );
}

// --- scorecard -----------------------------------------------------------------------------------
const HIRE_CLASS = {
  'strong hire': 'hire-strong',
  'lean hire': 'hire-lean',
  'lean no hire': 'nohire-lean',
  'strong no hire': 'nohire-strong',
};

const MOMENT_TITLES = {
  vague: 'Vague answer',
  off_topic: 'Off-topic answer',
  dont_know: '“I don’t know”',
  hint: 'Hint',
};

function quoteLink(seq, quote) {
  return el(
    'a',
    {
      href: `#turn-${seq}`,
      class: 'quote',
      dataset: { seq: String(seq) },
      onclick: (e) => {
        e.preventDefault();
        if (showTurn(seq, quote)) history.replaceState(null, '', `#turn-${seq}`);
      },
    },
    `“${quote}”`,
  );
}

function renderMoments(card) {
  const wrong = card.misconceptions || [];
  $('#corrections-panel').hidden = !wrong.length;
  clear(
    $('#corrections'),
    ...wrong.map((m) =>
      el('li', { class: 'correction' }, quoteLink(m.seq, m.quote), el('span', {}, ` (turn ${m.seq}) — ${m.correction}`)),
    ),
  );
  const happened = (card.moments || []).filter((m) => m.kind !== 'misconception');
  $('#moments-panel').hidden = !happened.length;
  clear(
    $('#moments'),
    ...happened.map((m) =>
      el(
        'li',
        { class: `moment moment-${m.kind}` },
        el('strong', {}, `${MOMENT_TITLES[m.kind] || m.kind}, turn ${m.seq}: `),
        quoteLink(m.seq, m.quote),
      ),
    ),
  );
}

function notAssessedBlock(d) {
  return el(
    'article',
    { class: 'dimension not-assessed', id: `dim-${d.key}` },
    el(
      'header',
      {},
      el('h3', {}, d.name),
      el('span', { class: 'score-badge score-na', 'aria-label': 'not assessed' }, 'not assessed'),
    ),
    el('p', { class: 'muted' }, 'Not assessed in this interview: it was never asked about, so it is left out of the overall score. It is listed under “Practise next”.'),
  );
}

function dimensionBlock(d) {
  if (d.assessed === false) return notAssessedBlock(d);
  return el(
    'article',
    { class: 'dimension', id: `dim-${d.key}` },
    el(
      'header',
      {},
      el('h3', {}, d.name),
      el(
        'span',
        { class: `score-badge score-${d.score}`, 'aria-label': `score ${d.score} of 4` },
        `${d.score} / 4`,
      ),
    ),
    d.anchor ? el('p', { class: 'anchor muted small' }, d.anchor) : null,
    el('p', { class: 'rationale' }, d.rationale),
    d.evidence?.length
      ? el(
          'div',
          {},
          el('h4', {}, 'Evidence from your answers'),
          el('ul', { class: 'evidence-list' }, ...d.evidence.map(evidenceLink)),
        )
      : el('p', { class: 'muted small' }, 'No quote from your answers supported this dimension.'),
    d.code_evidence?.length ? renderCodeEvidence(d.code_evidence) : null,
    d.drawn?.length || d.drawn_gaps?.length
      ? el(
          'div',
          { class: 'drawn' },
          el('h4', {}, 'From your whiteboard'),
          el(
            'ul',
            { class: 'evidence-list' },
            ...(d.drawn || []).map((f) => el('li', {}, `${f.text} — drawn at ${clock(f.at_ms)}`)),
            ...(d.drawn_gaps || []).map((g) => el('li', { class: 'muted' }, g)),
          ),
        )
      : null,
    d.missing?.length
      ? el(
          'div',
          {},
          el('h4', {}, 'Missing signals'),
          el('ul', { class: 'missing' }, ...d.missing.map((m) => el('li', {}, m))),
        )
      : null,
  );
}

function list(target, items, empty) {
  clear(
    $(target),
    ...(items?.length ? items.map((t) => el('li', {}, t)) : [el('li', { class: 'muted' }, empty)]),
  );
}

function renderScorecard(card) {
  $('#status').replaceChildren();
  $('#scorecard').hidden = false;
  $('#exports').hidden = false;
  $('#overall').textContent = score(card.overall);
  const hire = $('#hire-signal');
  hire.textContent = card.hire_signal;
  hire.className = `hire ${HIRE_CLASS[card.hire_signal] || ''}`;
  $('#summary').textContent = card.summary;
  const notes = [];
  if (card.scorer)
    notes.push(
      `Scored by the ${card.scorer} scorer${card.fallback_reason ? ` (${card.fallback_reason})` : ''}.`,
    );
  if (card.hints_used) notes.push(`Hints used: ${card.hints_used}.`);
  $('#notes').textContent = notes.concat(card.notes || []).join(' ');
  responsive($('#dim-chart'), (width) =>
    scoreBars(
      card.dimensions.filter((d) => d.assessed !== false).map((d) => ({ name: d.name, score: d.score })),
      { width },
    ),
  );
  clear($('#dimensions'), ...card.dimensions.map(dimensionBlock));
  list('#strengths', card.strengths, 'Nothing stood out yet.');
  list('#improvements', card.improvements, 'Nothing specific.');
  list('#practice', card.practice, 'Keep practising this round.');
  renderMoments(card);
  renderSpeech($('#speech'), card.speech);
  renderPacing($('#pacing'), card.pacing);
}

// --- status while scoring ------------------------------------------------------------------------
function showStatus(interview) {
  const box = $('#status');
  const s = interview.status;
  if (s === 'created' || s === 'active') {
    clear(
      box,
      notice(
        'info',
        'This interview is still in progress. ',
        el('a', { href: `/room.html?id=${encodeURIComponent(interviewId)}` }, 'Return to the interview room'),
      ),
    );
    return false;
  }
  if (s === 'failed') {
    clear(
      box,
      notice(
        'error',
        'Scoring failed. ',
        el(
          'button',
          {
            class: 'button small',
            type: 'button',
            onclick: async (e) => {
              e.target.disabled = true;
              try {
                await api.score(interviewId);
              } catch (err) {
                clear(box, notice('error', `Scoring could not be started: ${err.message}`));
                return;
              }
              pollStarted = Date.now();
              poll();
            },
          },
          'Try scoring again',
        ),
      ),
    );
    return false;
  }
  clear(
    box,
    el(
      'div',
      { class: 'notice notice-info scoring' },
      el('span', { class: 'spinner', 'aria-hidden': 'true' }),
      el(
        'span',
        {},
        el('strong', {}, s === 'scoring' ? 'Scoring your interview… ' : 'Waiting for scoring to start… '),
        `Status: ${STATUS_LABELS[s] || s}. This page updates by itself.`,
      ),
    ),
  );
  return true;
}

// Which card is shown: the offline one while a model refines it (polled until replaced), or the refined one.
function renderSource(card) {
  const box = $('#card-source');
  if (card.refining_with) {
    clear(
      box,
      el('span', { class: 'spinner', 'aria-hidden': 'true' }),
      ` Offline scorecard — refining with ${card.refining_with}… This page updates by itself.`,
    );
  } else if (card.refined_by) {
    box.textContent = `Refined by ${card.refined_by}.`;
  } else {
    box.textContent = 'Offline scorecard.';
  }
}

function cardKey(card) {
  return `${card.scorer}|${card.refining_with || ''}|${card.refined_by || ''}|${card.overall}`;
}

async function poll() {
  let card;
  let interview;
  try {
    card = await api.scorecard(interviewId);
    if (card) {
      if (cardKey(card) !== shownKey) {
        interview = await api.interview(interviewId);
        if (!shownKey) await loadReplay(interviewId);
        renderTranscript(interview.turns);
        api
          .code(interviewId)
          .then((work) => {
            renderCodeWork($('#code-review'), $('#code-work'), work);
            placeRuns($('#transcript'), interview.turns, work.runs);
          })
          .catch(() => {});
        renderScorecard(card);
        renderSource(card);
        if (!shownKey && location.hash.startsWith('#turn-')) showTurn(Number(location.hash.slice(6)));
        shownKey = cardKey(card);
      }
      if (card.refining_with) setTimeout(poll, POLL_MS * 2);
      return;
    }
    interview = await api.interview(interviewId);
  } catch (err) {
    clear($('#status'), notice('error', `Could not load the review: ${err.message}`));
    if (err.status !== 404) setTimeout(poll, POLL_MS * 4);
    return;
  }
  renderTranscript(interview.turns);
  if (!showStatus(interview)) return;
  if (interview.status === 'finished' && !kicked && Date.now() - pollStarted > KICK_AFTER_MS) {
    kicked = true;
    api.score(interviewId).catch(() => {});
  }
  setTimeout(poll, POLL_MS);
}

async function init() {
  if (!interviewId) {
    clear(
      $('#status'),
      notice('error', 'No interview was chosen. ', el('a', { href: '/' }, 'Pick one on the start page')),
    );
    return;
  }
  $('#export-md').href = api.reportUrl(interviewId, 'md');
  $('#export-json').href = api.reportUrl(interviewId, 'json');
  try {
    const interview = await api.interview(interviewId);
    const round = await api.round(interview.round).catch(() => null);
    const roundTitle = round?.title || interview.round;
    $('#title').textContent = `Review: ${roundTitle}`;
    document.title = `Review: ${roundTitle} — Viva`;
    $('#meta').textContent = `${levelLabel(interview.level)} level · ${dateTime(interview.created_at)}`;
    renderTranscript(interview.turns);
  } catch (err) {
    clear($('#status'), notice('error', err.message, ' ', el('a', { href: '/' }, 'Back to the start page')));
    return;
  }
  pollStarted = Date.now();
  poll();
}

init();
