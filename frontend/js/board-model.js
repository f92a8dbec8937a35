// The board being drawn: a graph {nodes, edges, notes} with undo/redo. Every change goes through `change`,
// which snapshots the graph first; listeners hear 'change' (to redraw and to save).
export const LIMITS = { nodes: 40, edges: 80, notes: 20, label: 48, edgeLabel: 32, note: 240 };

const copy = (g) => JSON.parse(JSON.stringify(g));
export const emptyGraph = () => ({ nodes: [], edges: [], notes: [] });

export class BoardModel extends EventTarget {
  constructor() {
    super();
    this.graph = emptyGraph();
    this.undoStack = [];
    this.redoStack = [];
  }

  find(id) {
    return (
      this.graph.nodes.find((n) => n.id === id) ||
      this.graph.edges.find((e) => e.id === id) ||
      this.graph.notes.find((n) => n.id === id) ||
      null
    );
  }

  newId(prefix) {
    const used = new Set([...this.graph.nodes, ...this.graph.edges, ...this.graph.notes].map((x) => x.id));
    let i = used.size + 1;
    while (used.has(`${prefix}${i}`)) i += 1;
    return `${prefix}${i}`;
  }

  /** Apply `fn(graph)`; it returns false (or a message string) to refuse. Undoable. */
  change(fn, { source = 'local' } = {}) {
    const before = copy(this.graph);
    const result = fn(this.graph);
    if (result === false || typeof result === 'string') {
      this.graph = before;
      if (typeof result === 'string') this.dispatchEvent(new CustomEvent('refused', { detail: result }));
      return false;
    }
    this.undoStack.push(before);
    if (this.undoStack.length > 200) this.undoStack.shift();
    this.redoStack = [];
    this.emit(source);
    return true;
  }

  /** Replace the whole graph (from the server). undoable: the graph it replaces stays one Undo away. */
  load(graph, { undoable = false } = {}) {
    if (undoable) this.undoStack.push(copy(this.graph));
    else this.undoStack = [];
    this.redoStack = [];
    this.graph = { ...emptyGraph(), ...copy(graph) };
    this.emit('server');
  }

  undo() {
    if (!this.undoStack.length) return;
    this.redoStack.push(copy(this.graph));
    this.graph = this.undoStack.pop();
    this.emit('local');
  }

  redo() {
    if (!this.redoStack.length) return;
    this.undoStack.push(copy(this.graph));
    this.graph = this.redoStack.pop();
    this.emit('local');
  }

  emit(source) {
    this.dispatchEvent(new CustomEvent('change', { detail: { source } }));
  }

  addNode(kind, label, x, y) {
    const id = this.newId('n');
    const ok = this.change((g) => {
      if (g.nodes.length >= LIMITS.nodes) return `At most ${LIMITS.nodes} components fit on the board.`;
      g.nodes.push({ id, kind, label: label.slice(0, LIMITS.label), x, y });
      return true;
    });
    return ok ? id : null;
  }

  addNote(text, x, y) {
    const id = this.newId('t');
    const ok = this.change((g) => {
      if (g.notes.length >= LIMITS.notes) return `At most ${LIMITS.notes} notes fit on the board.`;
      g.notes.push({ id, text: text.slice(0, LIMITS.note), x, y });
      return true;
    });
    return ok ? id : null;
  }

  connect(from, to, label = '') {
    if (from === to) return null;
    const id = this.newId('e');
    const ok = this.change((g) => {
      if (g.edges.length >= LIMITS.edges) return `At most ${LIMITS.edges} arrows fit on the board.`;
      if (g.edges.some((e) => e.from === from && e.to === to)) return 'Those two are already connected.';
      g.edges.push({ id, from, to, label: label.slice(0, LIMITS.edgeLabel) });
      return true;
    });
    return ok ? id : null;
  }

  rename(id, text) {
    const value = text.trim();
    if (!value) return false;
    return this.change(() => {
      const item = this.find(id);
      if (!item) return false;
      if ('kind' in item) item.label = value.slice(0, LIMITS.label);
      else if ('from' in item) item.label = value.slice(0, LIMITS.edgeLabel);
      else item.text = value.slice(0, LIMITS.note);
      return true;
    });
  }

  moveBy(id, dx, dy) {
    return this.change(() => {
      const item = this.find(id);
      if (!item || !('x' in item)) return false;
      item.x = Math.round(Math.max(-5000, Math.min(5000, item.x + dx)));
      item.y = Math.round(Math.max(-5000, Math.min(5000, item.y + dy)));
      return true;
    });
  }

  remove(id) {
    return this.change((g) => {
      const before = g.nodes.length + g.edges.length + g.notes.length;
      g.nodes = g.nodes.filter((n) => n.id !== id);
      g.notes = g.notes.filter((n) => n.id !== id);
      g.edges = g.edges.filter((e) => e.id !== id && e.from !== id && e.to !== id);
      return g.nodes.length + g.edges.length + g.notes.length < before;
    });
  }
}
