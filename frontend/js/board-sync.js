// Keeps the room's board and the server's in step over the interview's stream (docs/protocol.md, "board").
// Changes are sent debounced, one at a time, each naming the version it was drawn on. A refused write
// (`board_conflict`: another tab or an older connection wrote first) loads the newest version and keeps
// this tab's drawing one Undo away, so nothing is lost silently.
const DEBOUNCE_MS = 700;

export class BoardSync {
  constructor(model, getStream, { onNotice = () => {} } = {}) {
    this.model = model;
    this.getStream = getStream;
    this.onNotice = onNotice;
    this.version = 0;
    this.dirty = false; // local changes not yet stored
    this.inFlight = null; // the id of the write waiting for its answer
    this.timer = null;
    this.seq = 0;
    model.addEventListener('change', (e) => {
      if (e.detail.source !== 'server') this.changed();
    });
  }

  load(snapshot) {
    this.version = snapshot.version;
    if (snapshot.version) this.model.load(snapshot.graph);
  }

  changed() {
    this.dirty = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  flush() {
    const stream = this.getStream();
    if (!this.dirty || this.inFlight || !stream?.open) return;
    this.seq += 1;
    this.inFlight = `b${Date.now().toString(36)}${this.seq}`;
    this.dirty = false;
    stream.sendNow({ type: 'board', id: this.inFlight, base: this.version, graph: this.model.graph });
  }

  /** The stream (re)connected: send what was drawn while it was down, and a write whose answer was lost
   * with the old socket (if it had been stored, the server answers with a conflict that equals ours). */
  connected() {
    if (this.inFlight) this.dirty = true;
    this.inFlight = null;
    if (this.dirty) this.flush();
  }

  onMessage(msg) {
    if (msg.type === 'board') {
      // on connect: the newest stored version
      if (msg.version === this.version) return this.flush();
      if (this.dirty) return this.conflict(msg);
      this.version = msg.version;
      this.model.load(msg.graph);
    } else if (msg.type === 'board_saved') {
      if (msg.id && msg.id !== this.inFlight) return;
      this.version = msg.version;
      this.inFlight = null;
      this.flush();
    } else if (msg.type === 'board_conflict') {
      this.inFlight = null;
      this.conflict(msg);
    } else if (msg.type === 'error' && msg.code === 'board_invalid') {
      this.inFlight = null;
      this.onNotice(msg.message);
    } else if (msg.type === 'error' && msg.code === 'board_failed') {
      this.inFlight = null;
      this.dirty = true; // kept here; goes out with the next change or reconnect
      this.onNotice(msg.message);
    }
  }

  conflict(msg) {
    this.version = msg.version;
    if (JSON.stringify(msg.graph) === JSON.stringify(this.model.graph)) return; // ours, already stored
    this.dirty = false;
    this.model.load(msg.graph, { undoable: true });
    this.onNotice('The board was changed in another tab or window, so it now shows the newest version. ' +
      'Undo brings back what you drew here.');
  }
}
