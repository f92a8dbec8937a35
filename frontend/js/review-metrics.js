// The review's measured sections: speech metrics from the audio, and minutes per phase against the
// rubric's targets (scorecard.speech and scorecard.pacing, see app/scoring/speech.py and pacing.py).
import { clear, clock, el } from './dom.js';

function metric(label, value, detail) {
  return el(
    'div',
    { class: 'metric' },
    el('dt', {}, label),
    el('dd', {}, value, detail ? el('span', { class: 'muted small' }, ` ${detail}`) : null),
  );
}

export function renderSpeech(box, s) {
  if (!s || !s.measured) {
    clear(
      box,
      el('p', { class: 'muted' }, 'No spoken answers with word timings, so there is nothing to measure.'),
    );
    return;
  }
  const sec = (ms) => (ms == null ? '—' : `${(ms / 1000).toFixed(1)} s`);
  const fillerWords = Object.entries(s.fillers_by_word || {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([w, n]) => `“${w}” ×${n}`)
    .join(', ');
  const share = s.candidate_share == null ? '—' : `${Math.round(s.candidate_share * 100)}%`;
  clear(
    box,
    el(
      'dl',
      { class: 'metrics' },
      metric('Speaking pace', s.wpm == null ? '—' : `${Math.round(s.wpm)} wpm`, `${s.words} words`),
      metric(
        'Filler words',
        String(s.filler_count),
        s.fillers_per_minute == null
          ? fillerWords
          : `${s.fillers_per_minute.toFixed(1)}/min${fillerWords ? ` · ${fillerWords}` : ''}`,
      ),
      metric(
        'Pauses over 1 s',
        String(s.pause_count),
        s.pause_count ? `longest ${sec(s.longest_pause_ms)}` : '',
      ),
      metric(
        'Your share of talk time',
        share,
        `${clock(s.candidate_ms)} you · ${clock(s.interviewer_ms)} interviewer`,
      ),
      metric(
        'Response latency',
        sec(s.median_latency_ms),
        s.max_latency_ms == null ? '' : `median · max ${sec(s.max_latency_ms)}`,
      ),
      metric('Longest monologue', clock(s.longest_monologue_ms), ''),
    ),
  );
}

const PACE_LABEL = {
  on_time: 'On time',
  over: 'Over',
  under: 'Under',
  skipped: 'Skipped',
  unplanned: 'Unplanned',
};

export function renderPacing(box, p) {
  if (!p || !p.measured || !p.phases?.length) {
    clear(box, el('p', { class: 'muted' }, 'No phase timing was recorded for this interview.'));
    return;
  }
  const most = Math.max(1, ...p.phases.map((ph) => Math.max(ph.target_min || 0, ph.actual_min || 0)));
  const mins = (v) => (v == null ? '—' : `${v.toFixed(1)} min`);
  clear(
    box,
    el(
      'table',
      { class: 'table pacing-table' },
      el('caption', { class: 'sr-only' }, 'Minutes per phase against the target'),
      el(
        'thead',
        {},
        el('tr', {}, ...['Phase', 'Target', 'Actual', 'Status'].map((h) => el('th', { scope: 'col' }, h))),
      ),
      el(
        'tbody',
        {},
        ...p.phases.map((ph) =>
          el(
            'tr',
            {},
            el(
              'th',
              { scope: 'row' },
              ph.name,
              el(
                'span',
                { class: 'pace-bars', 'aria-hidden': 'true' },
                el('span', { class: 'pace-target', style: `width:${((ph.target_min || 0) / most) * 100}%` }),
                el('span', {
                  class: `pace-actual pace-${ph.status}`,
                  style: `width:${(ph.actual_min / most) * 100}%`,
                }),
              ),
            ),
            el('td', { 'data-label': 'Target', class: 'num' }, mins(ph.target_min)),
            el('td', { 'data-label': 'Actual', class: 'num' }, mins(ph.actual_min)),
            el(
              'td',
              { 'data-label': 'Status' },
              el('span', { class: `pace-status pace-${ph.status}` }, PACE_LABEL[ph.status] || ph.status),
            ),
          ),
        ),
      ),
      el(
        'tfoot',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'row' }, 'Total'),
          el('td', { class: 'num' }, mins(p.target_total_min)),
          el('td', { class: 'num' }, mins(p.actual_total_min)),
          el('td', {}),
        ),
      ),
    ),
  );
}
