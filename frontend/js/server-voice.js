// The interviewer's voice, spoken by the server when it has one (the `ready` event's `voice`): each
// sentence arrives as a binary frame (docs/protocol.md, "Server voice") and is played back to back with
// Web Audio. Without a server voice it is the browser's speechSynthesis (SpeechOut), unchanged.
// Same interface and events as SpeechOut: feed, done, stop, speaking, busy; 'start', 'idle', 'reply-spoken'.
import { SpeechOut } from './speech-out.js';

const MAGIC = 0x31415656; // b"VVA1" read as a little-endian u32
const HEADER_BYTES = 16;
const LEAD_S = 0.02; // schedule a little ahead so a piece never starts in the past

export class RoomVoice extends SpeechOut {
  constructor() {
    super();
    this.server = false;
    this.ctx = null;
    this.endAt = 0; // AudioContext time at which the last scheduled piece ends
    this.lastReply = 0; // highest reply number seen on this connection
    this.cutReply = 0; // pieces of this reply and earlier ones are not played (barge-in, withdrawn)
  }

  /** The server speaks (true) or the browser does (false); called on every `ready`. */
  useServer(on) {
    this.stop();
    this.server = Boolean(on);
    this.lastReply = 0;
    this.cutReply = 0;
  }

  /** Inside the Join click: browsers only let audio start after a user gesture. */
  prime() {
    if (!this.ctx && window.AudioContext) this.ctx = new AudioContext();
    this.ctx?.resume?.();
    if (super.available) this.synth.speak(new SpeechSynthesisUtterance(''));
  }

  get available() {
    return this.server ? Boolean(this.ctx) : super.available;
  }

  feed(text) {
    if (!this.server) super.feed(text);
  }

  done(seq) {
    if (!this.server) return super.done(seq);
    this.pendingSeq = seq;
    if (!this.queue.length) this._idle();
  }

  /** One binary frame from the stream: a piece of a reply to play after what is already scheduled. */
  audio(data) {
    if (!this.server || !this.ctx || !(data instanceof ArrayBuffer) || data.byteLength < HEADER_BYTES) return;
    const head = new DataView(data);
    if (head.getUint32(0, true) !== MAGIC) return;
    const reply = head.getUint32(4, true);
    const rate = head.getUint32(12, true);
    this.lastReply = Math.max(this.lastReply, reply);
    if (reply <= this.cutReply || !this.enabled) return;
    const pcm = new Int16Array(data, HEADER_BYTES, (data.byteLength - HEADER_BYTES) >> 1);
    if (!pcm.length) return;
    const buffer = this.ctx.createBuffer(1, pcm.length, rate);
    const samples = buffer.getChannelData(0);
    for (let i = 0; i < pcm.length; i += 1) samples[i] = pcm[i] / 32768;
    const source = this.ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(this.ctx.destination);
    const at = Math.max(this.ctx.currentTime + LEAD_S, this.endAt);
    this.endAt = at + buffer.duration;
    source.onended = () => {
      const i = this.queue.indexOf(source);
      if (i < 0) return;
      this.queue.splice(i, 1);
      if (!this.queue.length) this._idle();
    };
    this.queue.push(source);
    source.start(at);
    this.played = true;
    if (!this.speaking) {
      this.speaking = true;
      this.dispatchEvent(new Event('start'));
    }
  }

  stop() {
    if (this.server) {
      this.cutReply = this.lastReply; // what is still on its way of this reply is not played either
      const playing = this.queue.splice(0);
      for (const source of playing) {
        source.onended = null;
        try {
          source.stop();
        } catch {
          // not started yet
        }
      }
      this.endAt = 0;
    }
    super.stop();
  }
}
