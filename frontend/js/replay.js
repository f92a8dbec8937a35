// Replay of the candidate's own voice (VIVA_KEEP_AUDIO on the server): a play button on each transcript
// line whose audio was kept, and on each evidence quote (from just before the quote's first word).
import { api } from './api.js';
import { el } from './dom.js';

const LEAD_S = 0.3; // start a quote a little before its first word
const player = new Audio();
let kept = new Map(); // seq -> {seq, start_ms, end_ms}
let interviewId = null;

/** Which turns have audio (an empty list when the server keeps none, or on any error). */
export async function loadReplay(id) {
  interviewId = id;
  try {
    kept = new Map((await api.turnAudio(id)).map((row) => [row.seq, row]));
  } catch {
    kept = new Map();
  }
  return kept.size;
}

const blobs = new Map(); // seq -> object URL of the fetched WAV (in memory: seekable without range requests)

async function source(seq) {
  if (!blobs.has(seq)) {
    const res = await fetch(api.turnAudioUrl(interviewId, seq), { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`audio ${res.status}`);
    blobs.set(seq, URL.createObjectURL(await res.blob()));
  }
  return blobs.get(seq);
}

/** Play turn `seq` from stream time `atMs` (its start when omitted). */
export async function play(seq, atMs) {
  const row = kept.get(seq);
  if (!row) return false;
  const offset = Math.max(0, ((atMs ?? row.start_ms) - row.start_ms) / 1000 - (atMs === undefined ? 0 : LEAD_S));
  let src;
  try {
    src = await source(seq);
  } catch {
    return false; // gone (deleted meanwhile): the transcript is still there
  }
  if (player.src !== src) {
    player.src = src;
    await new Promise((resolve) => player.addEventListener('loadedmetadata', resolve, { once: true }));
  }
  player.currentTime = offset;
  player.play().catch(() => {}); // a browser that refuses to play shows nothing worse than silence
  return true;
}

/** A play button for turn `seq` (from `atMs`), or null when its audio was not kept. */
export function playButton(seq, atMs, label = 'Play') {
  if (!kept.has(seq)) return null;
  return el(
    'button',
    {
      type: 'button',
      class: 'play-audio small',
      'aria-label': atMs === undefined ? `Play your answer (turn ${seq})` : `Play this quote (turn ${seq})`,
      dataset: { seq: String(seq) },
      onclick: () => play(seq, atMs),
    },
    `▶ ${label}`,
  );
}

/** Add a play button to each transcript line that has audio. */
export function decorateTranscript(list) {
  for (const node of list.querySelectorAll('.turn[data-seq]')) {
    const button = playButton(Number(node.dataset.seq));
    if (button && !node.querySelector('.play-audio')) node.querySelector('.who')?.append(button);
  }
}
