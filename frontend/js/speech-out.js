// The interviewer's voice: browser speechSynthesis, fed sentence by sentence as text streams in.
// Events: 'start' (voice began), 'idle' (nothing playing or queued), 'reply-spoken' {seq, played}
// (all of a finished reply has been played; `played`: whether any of it was voiced). Without voices
// (some headless or minimal systems) it stays silent and says so through `available`; the text is
// on screen either way.

const SENTENCE_END = /[.!?…:;](["')\]]?)\s+/g;
const START_TIMEOUT_MS = 2500; // an utterance that never starts is skipped

export class SpeechOut extends EventTarget {
  constructor() {
    super();
    this.synth = 'speechSynthesis' in window ? window.speechSynthesis : null;
    this.voice = null;
    this.voiceName = localStorage.getItem('viva.voice') || '';
    this.rate = Number(localStorage.getItem('viva.rate')) || 1;
    this.enabled = localStorage.getItem('viva.voiceOn') !== 'off';
    this.buffer = '';
    this.queue = []; // utterances not yet finished; kept referenced so their events fire
    this.pendingSeq = null; // seq of the finished reply still being played
    this.speaking = false;
    this.watchdog = null;
    if (this.synth) {
      this.synth.addEventListener?.('voiceschanged', () => this._pickVoice());
      this._pickVoice();
    }
  }

  get supported() {
    return Boolean(this.synth);
  }

  /** Speaking, or about to: a sentence is queued or the reply is still coming in. */
  get busy() {
    return this.speaking || this.queue.length > 0 || this.pendingSeq !== null;
  }

  get available() {
    return Boolean(this.synth) && this.voices().length > 0;
  }

  /** Voices, English first, then by name. */
  voices() {
    if (!this.synth) return [];
    const all = this.synth.getVoices();
    const en = (v) => (v.lang || '').toLowerCase().startsWith('en');
    return [...all].sort((a, b) => en(b) - en(a) || a.name.localeCompare(b.name));
  }

  _pickVoice() {
    const voices = this.voices();
    this.voice =
      voices.find((v) => v.name === this.voiceName) ||
      voices.find((v) => v.default && (v.lang || '').startsWith('en')) ||
      voices[0] ||
      null;
    this.dispatchEvent(new Event('voices'));
  }

  setVoice(name) {
    this.voiceName = name;
    localStorage.setItem('viva.voice', name);
    this._pickVoice();
  }

  setRate(rate) {
    this.rate = Math.min(2, Math.max(0.5, Number(rate) || 1));
    localStorage.setItem('viva.rate', String(this.rate));
  }

  setEnabled(on) {
    this.enabled = on;
    localStorage.setItem('viva.voiceOn', on ? 'on' : 'off');
    if (!on) this.stop();
  }

  /** Next chunk of the interviewer's reply: whole sentences are spoken as soon as they are complete. */
  feed(text) {
    this.buffer += text;
    let cut = 0;
    for (const m of this.buffer.matchAll(SENTENCE_END)) cut = m.index + m[0].length;
    if (cut > 0) {
      this._say(this.buffer.slice(0, cut));
      this.buffer = this.buffer.slice(cut);
    }
  }

  /** The reply is complete: speak what is left, then report 'reply-spoken' with its seq. */
  done(seq) {
    const rest = this.buffer;
    this.buffer = '';
    this.pendingSeq = seq;
    if (rest.trim()) this._say(rest);
    if (!this.queue.length) this._idle();
  }

  /** Barge-in or mute: silence at once and forget what was queued. */
  stop() {
    this.buffer = '';
    this.pendingSeq = null;
    this.played = false;
    const had = this.queue.length > 0;
    this.queue = [];
    clearTimeout(this.watchdog);
    if (this.synth && (had || this.synth.speaking || this.synth.pending)) this.synth.cancel();
    if (this.speaking || had) {
      this.speaking = false;
      this.dispatchEvent(new Event('idle'));
    }
  }

  _say(text) {
    if (!this.enabled || !this.available || !text.trim()) return;
    const u = new SpeechSynthesisUtterance(text.trim());
    if (this.voice) {
      u.voice = this.voice;
      u.lang = this.voice.lang;
    }
    u.rate = this.rate;
    const finish = () => {
      const i = this.queue.indexOf(u);
      if (i < 0) return;
      this.queue.splice(i, 1);
      if (!this.queue.length) this._idle();
    };
    u.onstart = () => {
      clearTimeout(this.watchdog);
      this.played = true;
      if (!this.speaking) {
        this.speaking = true;
        this.dispatchEvent(new Event('start'));
      }
    };
    u.onend = finish;
    u.onerror = finish;
    this.queue.push(u);
    this.synth.speak(u);
    if (!this.speaking) {
      clearTimeout(this.watchdog);
      this.watchdog = setTimeout(() => {
        if (!this.speaking && this.queue.includes(u)) {
          this.synth.cancel();
          this.queue = [];
          this._idle();
        }
      }, START_TIMEOUT_MS);
    }
  }

  _idle() {
    clearTimeout(this.watchdog);
    this.speaking = false;
    if (this.pendingSeq !== null && !this.buffer) {
      const seq = this.pendingSeq;
      const played = Boolean(this.played);
      this.pendingSeq = null;
      this.played = false;
      this.dispatchEvent(new CustomEvent('reply-spoken', { detail: { seq, played } }));
    }
    this.dispatchEvent(new Event('idle'));
  }
}
