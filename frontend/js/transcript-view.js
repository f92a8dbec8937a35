// The transcript as a list of turns keyed by seq. The room feeds it live events (provisional words,
// finals, the interviewer's streamed reply); after a reconnect it merges the stored turns, so
// nothing already on screen is lost and nothing appears twice. The review page renders it static.
import { clock, el } from './dom.js';

const SPEAKER = { interviewer: 'Interviewer', candidate: 'You' };

/** Typed answers that look like code or SQL keep their layout in a code block; prose stays prose. */
function looksLikeCode(text) {
  return /\n/.test(text.trim()) || /[;{}=<>]|\b(SELECT|FROM|WHERE|def|function|return)\b/.test(text);
}

export function turnNode(turn, { idPrefix = 'turn-' } = {}) {
  const body =
    turn.typed && looksLikeCode(turn.text)
      ? el('pre', { class: 'typed' }, el('code', {}, turn.text))
      : el('p', { class: 'text' }, turn.text);
  const node = el(
    'li',
    {
      class: `turn turn-${turn.speaker}${turn.typed ? ' turn-typed' : ''}`,
      id: turn.seq !== undefined && turn.seq !== null ? `${idPrefix}${turn.seq}` : null,
      tabindex: '-1',
      dataset: turn.seq !== undefined && turn.seq !== null ? { seq: String(turn.seq) } : {},
    },
    el(
      'div',
      { class: 'who' },
      el('span', { class: 'speaker' }, SPEAKER[turn.speaker] || turn.speaker),
      turn.typed ? el('span', { class: 'tag' }, 'typed') : null,
      Number.isFinite(turn.start_ms) ? el('span', { class: 'at' }, clock(turn.start_ms)) : null,
    ),
    body,
  );
  return node;
}

function norm(text) {
  return (text || '').replace(/\s+/g, ' ').trim();
}

export class TranscriptView {
  constructor(list) {
    this.list = list;
    this.turns = new Map(); // seq -> {turn, node}
    this.partial = null; // provisional words of the turn being spoken
    this.draft = null; // interviewer reply streaming in: {text, node}
    this.pendingTyped = []; // typed answers sent, not yet confirmed: [{text, node}]
    this.cut = []; // replies cut off by a dropped connection, kept until the stored turn shows up
  }

  get size() {
    return this.turns.size;
  }

  _nearBottom() {
    const box = this.list.closest('.transcript-scroll') || document.scrollingElement;
    return box.scrollHeight - box.scrollTop - box.clientHeight < 120;
  }

  _keepScrolled(wasNear) {
    if (!wasNear) return;
    const box = this.list.closest('.transcript-scroll') || document.scrollingElement;
    box.scrollTop = box.scrollHeight;
  }

  /** The live items (partial, draft, pending typed) stay after all stored turns. */
  _placeLive() {
    for (const item of [...this.pendingTyped, this.draft, this.partial]) {
      if (item) this.list.append(item.node);
    }
  }

  upsert(turn) {
    const near = this._nearBottom();
    const old = this.turns.get(turn.seq);
    if (old && norm(old.turn.text) === norm(turn.text) && old.turn.typed === turn.typed) return old.node;
    const node = turnNode(turn);
    if (old) {
      old.node.replaceWith(node);
    } else {
      const after = [...this.turns.keys()].filter((s) => s < turn.seq).sort((a, b) => b - a)[0];
      const before = [...this.turns.keys()].filter((s) => s > turn.seq).sort((a, b) => a - b)[0];
      if (before !== undefined) this.turns.get(before).node.before(node);
      else if (after !== undefined) this.turns.get(after).node.after(node);
      else this.list.prepend(node);
    }
    this.turns.set(turn.seq, { turn, node });
    this._placeLive();
    this._keepScrolled(near);
    return node;
  }

  setPartial(text) {
    const near = this._nearBottom();
    if (!this.partial) {
      const node = turnNode({ speaker: 'candidate', text: '' });
      node.classList.add('partial');
      node.setAttribute('aria-label', 'Your words so far (provisional)');
      this.partial = { node };
      this.list.append(node);
    }
    this.partial.node.querySelector('.text').textContent = text;
    this._placeLive();
    this._keepScrolled(near);
  }

  clearPartial() {
    this.partial?.node.remove();
    this.partial = null;
  }

  /** A final candidate turn (spoken or typed) replaces the provisional words / the pending copy. */
  final(turn) {
    if (turn.typed) {
      const i = this.pendingTyped.findIndex((p) => norm(p.text) === norm(turn.text));
      if (i >= 0) this.pendingTyped.splice(i, 1)[0].node.remove();
    } else {
      this.clearPartial();
    }
    return this.upsert(turn);
  }

  addPendingTyped(text) {
    const node = turnNode({ speaker: 'candidate', text, typed: true });
    node.classList.add('pending');
    node.querySelector('.who').append(el('span', { class: 'tag' }, 'sending…'));
    this.pendingTyped.push({ text, node });
    this.list.append(node);
    this._placeLive();
    this._keepScrolled(true);
  }

  interviewerDelta(text) {
    const near = this._nearBottom();
    if (!this.draft) {
      const node = turnNode({ speaker: 'interviewer', text: '' });
      node.classList.add('streaming');
      this.draft = { text: '', node };
      this.list.append(node);
    }
    this.draft.text += text;
    this.draft.node.querySelector('.text').textContent = this.draft.text;
    this._placeLive();
    this._keepScrolled(near);
  }

  interviewerDone(turn) {
    this.draft?.node.remove();
    this.draft = null;
    return this.upsert({ speaker: 'interviewer', typed: false, ...turn });
  }

  /** A reply taken back (the candidate went on with their answer): gone from the transcript. */
  withdraw(seq) {
    this.draft?.node.remove();
    this.draft = null;
    this.turns.get(seq)?.node.remove();
    this.turns.delete(seq);
  }

  /** Stored turns from GET /api/interviews/{id}: add what is missing, drop live copies now stored. */
  merge(turns) {
    for (const t of turns) this.upsert(t);
    const stored = turns.filter((t) => t.speaker === 'interviewer').map((t) => norm(t.text));
    const isStored = (d) => stored.some((s) => s.startsWith(norm(d.text)));
    if (this.draft && isStored(this.draft)) {
      this.draft.node.remove();
      this.draft = null;
    }
    this.cut = this.cut.filter((d) => {
      if (isStored(d)) d.node.remove();
      return !isStored(d);
    });
    this.pendingTyped = this.pendingTyped.filter((p) => {
      const done = turns.some((t) => t.typed && norm(t.text) === norm(p.text));
      if (done) p.node.remove();
      return !done;
    });
  }

  /** The reply streaming in was cut off by a dropped connection: keep it, marked, until stored. */
  abandonDraft() {
    if (!this.draft) return;
    this.draft.node.classList.remove('streaming');
    this.draft.node.classList.add('cut');
    this.cut.push(this.draft);
    this.draft = null;
  }

  lastSeq() {
    return Math.max(-1, ...this.turns.keys());
  }
}
