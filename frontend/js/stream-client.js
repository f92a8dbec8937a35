// The interview WebSocket (docs/protocol.md) with reconnect and backoff.
// Events: 'open' {reconnect: bool}, 'message' (a server JSON event), 'down' {code, attempt, delayMs},
// 'closed' {code, reason} (for good: finished, not found, taken over by another tab, or closed by us).
// Messages sent while the socket is down wait in an outbox and go out on reconnect; audio does not
// wait (it is live), it is counted as dropped instead. Typed answers carry an id, so one resent after a
// reconnect is stored once. A reconnect asks for the events after the last seq seen (?last_seq=N).

const CLOSE_NOT_FOUND = 4404;
const CLOSE_FINISHED = 4409;
export const CLOSE_TAKEN_OVER = 4410; // a newer connection (another tab) owns the interview: never fight it
const FOR_GOOD = new Set([CLOSE_NOT_FOUND, CLOSE_FINISHED, CLOSE_TAKEN_OVER]);

function messageId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
const PING_EVERY_MS = 15000;
const SILENT_LIMIT_MS = 45000; // no message at all for this long: the connection is dead
const MAX_BUFFERED = 512 * 1024; // bytes of audio queued in the socket before frames are dropped

export class StreamClient extends EventTarget {
  constructor(url, { backoffMs = 500, maxBackoffMs = 10000 } = {}) {
    super();
    this.url = url;
    this.backoffMs = backoffMs;
    this.maxBackoffMs = maxBackoffMs;
    this.ws = null;
    this.attempt = 0;
    this.opened = 0; // connections opened so far
    this.stopped = false;
    this.outbox = [];
    this.droppedFrames = 0;
    this.timer = null;
    this.lastMessageAt = 0;
    this.lastSeq = 0; // the highest turn seq seen (from events, or set from the stored turns)
    this.onOnline = () => this.retryNow();
    window.addEventListener('online', this.onOnline);
  }

  get open() {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const sep = this.url.includes('?') ? '&' : '?';
    const ws = new WebSocket(this.lastSeq > 0 ? `${this.url}${sep}last_seq=${this.lastSeq}` : this.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.lastMessageAt = Date.now();
      const reconnect = this.opened > 0;
      this.opened += 1;
      this._startPing();
      this.dispatchEvent(new CustomEvent('open', { detail: { reconnect } }));
      const waiting = this.outbox.splice(0);
      for (const msg of waiting) ws.send(JSON.stringify(msg));
    };
    ws.onmessage = (e) => {
      this.lastMessageAt = Date.now();
      if (typeof e.data !== 'string') {
        this.dispatchEvent(new CustomEvent('audio', { detail: e.data })); // the server voice's frames
        return;
      }
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      if (Number.isInteger(msg.seq)) this.lastSeq = Math.max(this.lastSeq, msg.seq);
      this.dispatchEvent(new CustomEvent('message', { detail: msg }));
    };
    ws.onclose = (e) => this._closed(ws, e.code, e.reason);
    ws.onerror = () => {}; // onclose follows and decides
  }

  _closed(ws, code, reason) {
    if (this.ws !== ws) return;
    this._stopPing();
    this.ws = null;
    if (this.stopped || FOR_GOOD.has(code)) {
      this.stopped = true;
      this.dispatchEvent(new CustomEvent('closed', { detail: { code, reason } }));
      return;
    }
    this.attempt += 1;
    const base = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (this.attempt - 1));
    const delayMs = Math.round(base * (0.75 + Math.random() * 0.5));
    this.dispatchEvent(new CustomEvent('down', { detail: { code, attempt: this.attempt, delayMs } }));
    this.timer = setTimeout(() => this.connect(), delayMs);
  }

  retryNow() {
    if (!this.stopped && !this.ws) this.connect();
  }

  /** A JSON message; waits in the outbox while the socket is down. Typed answers get an id. */
  send(msg) {
    if (msg.type === 'text' && !msg.id) msg = { ...msg, id: messageId() };
    if (this.open) this.ws.send(JSON.stringify(msg));
    else if (!this.stopped) this.outbox.push(msg);
  }

  /** A JSON message that only makes sense right now (dropped while the socket is down). */
  sendNow(msg) {
    if (this.open) this.ws.send(JSON.stringify(msg));
  }

  sendAudio(buffer) {
    if (!this.open || this.ws.bufferedAmount > MAX_BUFFERED) {
      this.droppedFrames += 1;
      return false;
    }
    this.ws.send(buffer);
    return true;
  }

  /** The server ended the interview, or we leave: no more reconnects. */
  stop(code = 1000) {
    this.stopped = true;
    clearTimeout(this.timer);
    this._stopPing();
    window.removeEventListener('online', this.onOnline);
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close(code);
  }

  /** For tests and the "drop" drill: close the socket as if the network failed. */
  dropForTest() {
    this.ws?.close(4000, 'test drop');
  }

  _startPing() {
    this._stopPing();
    this.pingTimer = setInterval(() => {
      if (!this.open) return;
      if (Date.now() - this.lastMessageAt > SILENT_LIMIT_MS) {
        this.ws.close(4001, 'no answer');
        return;
      }
      this.ws.send(JSON.stringify({ type: 'ping', t: Date.now() }));
    }, PING_EVERY_MS);
  }

  _stopPing() {
    clearInterval(this.pingTimer);
  }
}
