// The interview room: microphone -> stream, live transcript, the interviewer's voice, controls.
import { api, loginUrl } from './api.js';
import { MIC_MESSAGES, MicCapture, micSupported } from './audio-capture.js';
import { $, el, levelLabel, notice, param } from './dom.js';
import { announce, Banners, Countdown, LevelMeter, renderSpeaking, setConn } from './room-status.js';
import { mountBoard } from './board-room.js';
import { RoomVoice } from './server-voice.js';
import { CodePanel } from './code-panel.js';
import { CLOSE_TAKEN_OVER, StreamClient } from './stream-client.js';
import { TranscriptView } from './transcript-view.js';
import { VoiceActivity } from './voice-activity.js';
import { setupVoiceSettings } from './voice-settings.js';

const OVER = new Set(['finished', 'abandoned', 'scoring', 'scored', 'failed']);
const LEAVE_AFTER_MS = 20000; // after the server ends the interview, wait at most this for the voice

const interviewId = param('id');
const view = new TranscriptView($('#transcript'));
const speech = new RoomVoice(); // the server's voice when it has one, else the browser's
const mic = new MicCapture({ frameMs: 20 });
const vad = new VoiceActivity({ frameMs: 20 });
const banners = new Banners($('#banners'));
const countdown = new Countdown();
const meter = new LevelMeter($('#meter'));
let stream = null;
const code = new CodePanel($('#code-panel'), (msg) => stream?.send(msg));
const board = mountBoard($('#board'), interviewId, () => stream, (text) =>
  banners.flash('board', notice('warning', text), 10000),
);

const state = {
  joined: false,
  finishing: false, // the candidate pressed Finish
  over: false, // the server said finished
  candidateSpeaking: false, // server VAD
  turnOpen: false, // the candidate has spoken and the turn is not closed yet (a thinking pause)
  partialTurn: undefined, // the endpointer's turn id of the provisional words on screen
  closedTurn: undefined, // the last turn whose final transcript arrived
  bargeIn: true, // speaking stops the interviewer's voice (a setting)
};

function goToReview() {
  mic.stop();
  stream?.stop();
  speech.stop();
  location.href = `/review.html?id=${encodeURIComponent(interviewId)}`;
}

function showSpeaking() {
  renderSpeaking({
    joined: state.joined,
    over: state.over,
    micOn: mic.active,
    candidate: state.candidateSpeaking || vad.speaking,
    pausing: state.turnOpen,
    voice: speech.speaking,
    replying: Boolean(view.draft),
  });
}

// --- microphone ----------------------------------------------------------------------------------
function onFrame(e) {
  const { pcm, rms } = e.detail;
  stream?.sendAudio(pcm);
  meter.update(rms, mic.muted);
  // with the server's voice, the server (which takes its own voice out of the microphone) says when the
  // candidate speaks over it: the local level would mistake the echo for them without headphones
  if (vad.update(rms, { voicePlaying: speech.speaking, muted: mic.muted }) && !speech.server) bargeIn();
}

async function startMic() {
  banners.set('mic', null);
  if (!micSupported()) {
    micProblem('unsupported', MIC_MESSAGES.unsupported);
    return false;
  }
  try {
    await mic.start();
  } catch (err) {
    micProblem(err.kind || 'failed', err.message || MIC_MESSAGES.failed);
    return false;
  }
  $('#end-turn').disabled = false;
  $('#mute').disabled = false;
  showSpeaking();
  return true;
}

function micProblem(kind, message) {
  $('#end-turn').disabled = true;
  $('#mute').disabled = true;
  const retry =
    kind === 'unsupported'
      ? null
      : el(
          'button',
          { class: 'button small', type: 'button', onclick: () => startMic() },
          'Try the microphone again',
        );
  const node = notice('warning', el('strong', {}, 'Microphone unavailable. '), message, ' ', retry);
  node.id = 'mic-message';
  node.dataset.kind = kind;
  banners.set('mic', node);
}

mic.addEventListener('frame', onFrame);
mic.addEventListener('ended', () => micProblem('no-device', MIC_MESSAGES['no-device']));

// --- barge-in ------------------------------------------------------------------------------------
function bargeIn() {
  if (!speech.speaking || !state.bargeIn) return;
  speech.stop();
  stream?.sendNow({ type: 'interrupt' });
  showSpeaking();
}

// --- the stream ----------------------------------------------------------------------------------
async function reloadTurns() {
  try {
    const fresh = await api.interview(interviewId);
    view.merge(fresh.turns);
    view.abandonDraft();
    return fresh;
  } catch {
    return null; // the transcript on screen stays as it is
  }
}

function onMessage(msg) {
  if (msg.replayed) {
    // missed while the socket was down: shown, not spoken again
    if (msg.type === 'transcript') view.final({ ...msg, speaker: 'candidate', typed: Boolean(msg.typed) });
    else if (msg.type === 'interviewer_done') view.interviewerDone(msg);
    return;
  }
  if (board.onMessage(msg)) return; // the whiteboard's own events (not turns)
  switch (msg.type) {
    case 'ready':
      setConn('ok', 'Connected');
      speech.useServer(msg.voice && msg.voice !== 'browser');
      countdown.set(msg.phase, msg.remaining_s);
      break;
    case 'speech_start':
      state.candidateSpeaking = true;
      state.turnOpen = true;
      bargeIn();
      break;
    case 'speech_end':
      state.candidateSpeaking = false;
      break;
    case 'partial':
      // a late partial of a turn already final would bring back stale words
      if (msg.turn === undefined || msg.turn !== state.closedTurn) {
        state.partialTurn = msg.turn;
        view.setPartial(msg.text);
      }
      break;
    case 'transcript':
      if (!msg.typed) {
        state.closedTurn = state.partialTurn;
        state.turnOpen = false;
      }
      view.final({ ...msg, speaker: 'candidate', typed: Boolean(msg.typed) });
      break;
    case 'interviewer_delta':
      view.interviewerDelta(msg.text);
      speech.feed(msg.text);
      break;
    case 'interviewer_done':
      view.interviewerDone({ seq: msg.seq, text: msg.text, start_ms: msg.start_ms, end_ms: msg.end_ms });
      speech.done(msg.seq);
      announce(`Interviewer: ${msg.text}`);
      break;
    case 'reply_withdrawn':
      // the candidate went on right after their turn closed: the reply is taken back, their turn goes on
      speech.stop();
      view.withdraw(msg.seq);
      state.turnOpen = true;
      break;
    case 'phase':
      countdown.set(msg.phase, msg.remaining_s);
      break;
    case 'exercise': // the question in play can be run: code goes in the editor, the box keeps typed talk
      code.show(msg.exercise, msg.draft);
      $('#typed-hint-what').textContent = msg.exercise ? '(when you can\'t speak; code goes in the editor)' : '(code, SQL, or when you can\'t speak)';
      break;
    case 'run_result':
      code.result(msg);
      break;
    case 'error':
      if (code.running && (msg.code === 'busy' || msg.code === 'bad_message')) code.refused(msg.message);
      else onServerError(msg);
      break;
    case 'finished':
      onFinished();
      break;
    default:
      break;
  }
  showSpeaking();
}

function onServerError(msg) {
  if (msg.code === 'bad_frame') {
    console.warn('viva: audio frame rejected by the server');
    return;
  }
  if (msg.code === 'finished' && state.finishing) return;
  if (msg.code === 'taken_over') return; // the close (4410) that follows shows what happened and what to do
  const text =
    {
      busy: 'The server is catching up — your audio is kept and will be transcribed shortly.',
      stt_failed: 'Part of your last answer could not be transcribed. You can repeat it or type it.',
    }[msg.code] ||
    msg.message ||
    'Something went wrong on the server.';
  const node = notice(msg.code === 'busy' ? 'info' : 'warning', text);
  banners.flash('server', node, 8000);
}

function onFinished() {
  if (state.over) return;
  state.over = true;
  board.setEnabled(false);
  setConn('idle', 'Finished');
  for (const b of ['#end-turn', '#mute', '#finish', '#typed', '#send-typed']) $(b).disabled = true;
  mic.stop();
  stream?.stop();
  if (state.finishing || !speech.busy) {
    goToReview();
    return;
  }
  banners.set(
    'done',
    notice(
      'info',
      'The interview is over. ',
      el('a', { href: `/review.html?id=${encodeURIComponent(interviewId)}` }, 'Go to your review'),
    ),
  );
  speech.addEventListener('idle', goToReview, { once: true });
  setTimeout(goToReview, LEAVE_AFTER_MS);
}

/** Another tab or window opened this interview: it is the live one now; this one stops (no reconnect). */
function onTakenOver() {
  mic.stop();
  speech.stop();
  state.joined = false;
  board.setEnabled(false);
  setConn('bad', 'Open elsewhere');
  for (const b of ['#end-turn', '#mute', '#finish', '#typed', '#send-typed']) $(b).disabled = true;
  banners.set(
    'conn',
    notice(
      'warning',
      el('strong', {}, 'This interview is open in another tab or window. '),
      'Only one can be live at a time, so this one has stopped; nothing you said is lost. ',
      el('button', { class: 'button small', type: 'button', onclick: () => location.reload() }, 'Continue here'),
    ),
  );
  showSpeaking();
}

function connect() {
  stream = new StreamClient(api.streamUrl(interviewId));
  stream.lastSeq = Math.max(0, view.lastSeq());
  window.vivaRoom.stream = stream;
  stream.addEventListener('message', (e) => onMessage(e.detail));
  stream.addEventListener('audio', (e) => speech.audio(e.detail));
  stream.addEventListener('open', async (e) => {
    setConn('ok', 'Connected');
    board.connected();
    if (e.detail.reconnect) {
      await reloadTurns();
      banners.flash('conn', notice('ok', 'Reconnected — carrying on where you left off.'), 4000);
    } else {
      banners.set('conn', null);
    }
  });
  stream.addEventListener('down', (e) => {
    const { attempt, delayMs } = e.detail;
    // A refused handshake (1006) may mean the login session ended: the API answers 401 -> login page.
    if (e.detail.code === 1006) api.me().then((me) => me || location.assign(loginUrl()), () => {});
    state.candidateSpeaking = false;
    view.clearPartial();
    setConn('warn', 'Reconnecting…');
    banners.set(
      'conn',
      notice(
        'warning',
        el('strong', {}, 'Connection lost. '),
        `Reconnecting in ${Math.max(1, Math.round(delayMs / 1000))} s (attempt ${attempt}). ` +
          'Your transcript so far is safe. ',
        el(
          'button',
          { class: 'button small', type: 'button', onclick: () => stream.retryNow() },
          'Reconnect now',
        ),
      ),
    );
    showSpeaking();
  });
  stream.addEventListener('closed', (e) => {
    if (e.detail.code === 4409 || state.finishing || state.over) {
      onFinished();
    } else if (e.detail.code === CLOSE_TAKEN_OVER) {
      onTakenOver();
    } else if (e.detail.code === 4404) {
      setConn('bad', 'Not found');
      banners.set(
        'conn',
        notice(
          'error',
          'This interview no longer exists. ',
          el('a', { href: '/' }, 'Back to the start page'),
        ),
      );
    }
  });
  stream.connect();
}

speech.addEventListener('reply-spoken', (e) => {
  if (e.detail.played) stream?.sendNow({ type: 'playback_done', seq: e.detail.seq });
  showSpeaking();
});
speech.addEventListener('start', showSpeaking);
speech.addEventListener('idle', showSpeaking);

// --- controls ------------------------------------------------------------------------------------
async function join() {
  const button = $('#join');
  button.disabled = true;
  $('#lobby-status').textContent = 'Starting the microphone…';
  // speechSynthesis needs a user gesture before it may speak: prime it inside the click
  speech.prime();
  await startMic();
  state.joined = true;
  $('#lobby').hidden = true;
  $('#finish').disabled = false;
  $('#typed').disabled = false;
  $('#send-typed').disabled = false;
  board.setEnabled(true);
  connect();
  showSpeaking();
  // the Join button is gone: put focus where the candidate acts next
  (mic.active ? $('#end-turn') : $('#typed')).focus();
}

function sendTyped(event) {
  event.preventDefault();
  const box = $('#typed');
  const text = box.value.trim();
  if (!text || !stream) return;
  view.addPendingTyped(text);
  stream.send({ type: 'text', text });
  box.value = '';
  box.focus();
}

function finish() {
  state.finishing = true;
  speech.stop();
  setConn('idle', 'Finishing…');
  for (const b of ['#end-turn', '#mute', '#finish', '#typed', '#send-typed']) $(b).disabled = true;
  code.disable();
  stream?.send({ type: 'finish' });
  setTimeout(goToReview, 15000); // the server normally answers "finished" long before
}

function setupControls() {
  $('#join').addEventListener('click', join);
  $('#end-turn').addEventListener('click', () => {
    stream?.sendNow({ type: 'end_turn' });
    view.partial?.node.classList.add('closing');
  });
  $('#mute').addEventListener('click', () => {
    const muted = !mic.muted;
    mic.setMuted(muted);
    $('#mute').setAttribute('aria-pressed', String(muted));
    $('#mute').textContent = muted ? 'Unmute microphone' : 'Mute microphone';
    meter.update(0, muted);
  });
  $('#finish').addEventListener('click', () => {
    const dialog = $('#finish-dialog');
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else finish();
  });
  $('#finish-dialog').addEventListener('close', () => {
    if ($('#finish-dialog').returnValue === 'finish') finish();
  });
  $('#typed-form').addEventListener('submit', sendTyped);
  $('#typed').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) sendTyped(e);
  });
}

async function init() {
  window.vivaRoom = { view, speech, mic, state, stream: null, board, code };
  setupControls();
  setupVoiceSettings(speech, (on) => {
    state.bargeIn = on;
  });
  setInterval(() => countdown.render(state.joined && !state.over && Boolean(stream?.open)), 500);
  if (!interviewId) {
    banners.set(
      'load',
      notice('error', 'No interview was chosen. ', el('a', { href: '/' }, 'Start one here')),
    );
    $('#join').disabled = true;
    return;
  }
  let interview;
  try {
    interview = await api.interview(interviewId);
  } catch (err) {
    banners.set('load', notice('error', err.message, ' ', el('a', { href: '/' }, 'Back to the start page')));
    $('#join').disabled = true;
    return;
  }
  if (OVER.has(interview.status)) {
    location.replace(`/review.html?id=${encodeURIComponent(interviewId)}`);
    return;
  }
  view.merge(interview.turns);
  $('#level').textContent = `${levelLabel(interview.level)} level`;
  try {
    const round = await api.round(interview.round);
    $('#round-title').textContent = round.title;
    document.title = `${round.title} — Viva`;
    for (const p of round.phases) countdown.phases.set(p.key, p.name);
    countdown.set(null, round.duration_minutes * 60);
  } catch {
    $('#round-title').textContent = interview.round;
  }
  if (interview.turns.length || interview.status === 'paused') {
    $('#join').textContent = 'Resume the interview';
    $('#lobby-status').textContent =
      interview.status === 'paused'
        ? 'This interview is paused. Resume it to continue where it stopped.'
        : 'Welcome back: your interview continues where it stopped.';
  }
  $('#join').focus();
  document.body.dataset.ready = 'true';
}

init();
