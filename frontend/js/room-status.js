// The room's status displays: notices, the connection pill, who is speaking, phase and time left,
// and the microphone level meter. Display only: room.js owns the state and calls these.
import { $, clock } from './dom.js';

/** Notices above the transcript, one per key (mic, conn, server, ...); a new one replaces the old. */
export class Banners {
  constructor(box) {
    this.box = box;
    this.nodes = new Map();
  }

  set(key, node) {
    this.nodes.get(key)?.remove();
    this.nodes.delete(key);
    if (node) {
      node.dataset.banner = key;
      this.nodes.set(key, node);
      this.box.append(node);
    }
  }

  /** Show `node`, then take it away after `ms` unless something replaced it. */
  flash(key, node, ms) {
    this.set(key, node);
    setTimeout(() => {
      if (this.nodes.get(key) === node) this.set(key, null);
    }, ms);
  }
}

export function announce(text) {
  $('#announcer').textContent = text;
}

export function setConn(kind, text) {
  const pill = $('#conn');
  pill.className = `pill pill-${kind}`;
  pill.textContent = text;
}

export function renderSpeaking({ joined, over, micOn, candidate, voice, replying, pausing }) {
  let who = 'none';
  let label = !joined ? 'Waiting to start' : micOn ? 'Listening' : 'Microphone off — type your answers';
  if (over) label = 'Interview over';
  else if (candidate) {
    who = 'candidate';
    label = 'You are speaking';
  } else if (pausing && !voice && !replying) {
    who = 'candidate';
    label = "Listening — take your time (or press “I'm done answering”)";
  } else if (voice || replying) {
    who = 'interviewer';
    label = voice ? 'Interviewer speaking' : 'Interviewer replying';
  }
  $('#speaking').dataset.who = who;
  $('#speaking-label').textContent = label;
}

/** Phase name and time left: set from the server's phase events, counted down locally between them. */
export class Countdown {
  constructor() {
    this.phases = new Map(); // key -> name
    this.phase = null;
    this.remainingS = null;
    this.at = performance.now();
  }

  set(phase, remainingS) {
    if (phase) this.phase = phase;
    if (typeof remainingS === 'number') {
      this.remainingS = remainingS;
      this.at = performance.now();
    }
    this.render(false);
  }

  /** Redraw; the clock runs only while `running` (joined, connected, not over). */
  render(running) {
    const now = performance.now();
    if (this.remainingS === null) return;
    if (running) this.remainingS = Math.max(0, this.remainingS - (now - this.at) / 1000);
    this.at = now;
    $('#remaining').textContent = clock(this.remainingS * 1000);
    $('#remaining').parentElement.classList.toggle('timer-low', this.remainingS < 120);
    $('#phase').textContent = this.phases.get(this.phase) || this.phase || 'Not started';
  }
}

/** The microphone level meter, redrawn at most once per animation frame. */
export class LevelMeter {
  constructor(node) {
    this.node = node;
    this.level = 0;
    this.muted = false;
    this.frame = 0;
  }

  update(level, muted) {
    this.level = level;
    this.muted = muted;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  draw() {
    this.frame = 0;
    const pct = this.muted ? 0 : Math.min(100, Math.round(Math.sqrt(this.level) * 220));
    this.node.setAttribute('aria-valuenow', String(pct));
    this.node.style.setProperty('--level', `${pct}%`);
    this.node.classList.toggle('muted', this.muted);
  }
}
