// The room's whiteboard editor: a toolbar and an SVG canvas over a BoardModel. Fully keyboard-operable:
// Tab to a component, Enter to rename it (the label field), C to start an arrow and C/Enter on another
// component to finish it, arrow keys to move (Shift: further), Delete to remove, Ctrl+Z / Ctrl+Y.
import { $ } from './dom.js';
import { KINDS, NODE_H, NODE_W, renderBoard } from './board-svg.js';

const STEP = 10;
const BIG_STEP = 50;

export class BoardEditor {
  constructor(root, model, { onNotice = () => {} } = {}) {
    this.root = root;
    this.model = model;
    this.svg = $('svg', root);
    this.selected = null;
    this.pending = null; // the component an arrow starts from
    this.onNotice = onNotice;
    this.drag = null;
    this.kindSelect = $('[data-board=kind]', root);
    this.labelInput = $('[data-board=label]', root);
    this.edgeLabel = $('[data-board=edge-label]', root);
    this.status = $('[data-board=status]', root);
    for (const [kind, name] of Object.entries(KINDS)) {
      const opt = document.createElement('option');
      opt.value = kind;
      opt.textContent = name;
      this.kindSelect.append(opt);
    }
    model.addEventListener('change', () => this.render());
    model.addEventListener('refused', (e) => this.onNotice(e.detail));
    this.bind();
    this.render();
  }

  setEnabled(on) {
    for (const b of this.root.querySelectorAll('button, input, select')) b.disabled = !on;
    this.root.classList.toggle('board-off', !on);
  }

  render() {
    if (this.selected && !this.model.find(this.selected)) this.selected = null;
    renderBoard(this.svg, this.model.graph, {
      selected: this.selected,
      pending: this.pending,
      interactive: true,
      fit: true,
      minBox: [0, 0, this.svg.clientWidth < 500 ? 360 : 720, 300],
    });
    const item = this.selected && this.model.find(this.selected);
    this.labelInput.value = item ? (item.label ?? item.text ?? '') : '';
    this.labelInput.placeholder = item ? 'Rename the selection' : 'Label for a new component';
    $('[data-board=connect]', this.root).setAttribute('aria-pressed', String(Boolean(this.pending)));
  }

  focusItem(id) {
    this.svg.querySelector(`[data-id="${CSS.escape(id)}"]`)?.focus();
  }

  select(id, { focus = true } = {}) {
    this.selected = id;
    this.render();
    if (id && focus) this.focusItem(id);
  }

  say(text) {
    this.status.textContent = text;
  }

  freeSpot() {
    const n = this.model.graph.nodes.length + this.model.graph.notes.length;
    const cols = this.svg.clientWidth < 500 ? 2 : 4; // a phone gets two columns: bigger boxes
    return { x: 20 + (n % cols) * (NODE_W + 40), y: 20 + Math.floor(n / cols) * (NODE_H + 50) };
  }

  addComponent() {
    const kind = this.kindSelect.value;
    const label = this.labelInput.value.trim() || KINDS[kind];
    const { x, y } = this.freeSpot();
    const id = this.model.addNode(kind, label, x, y);
    if (id) {
      this.say(`Added ${KINDS[kind]} ${label}.`);
      this.select(id);
    }
  }

  addNote() {
    const text = this.labelInput.value.trim() || 'Note';
    const { x, y } = this.freeSpot();
    const id = this.model.addNote(text, x, y);
    if (id) this.select(id);
  }

  startOrFinishArrow(id = this.selected) {
    const item = id && this.model.find(id);
    if (!item || !('kind' in item)) {
      this.say('Select a component first, then press Connect (or C).');
      return;
    }
    if (!this.pending) {
      this.pending = id;
      this.say(`Arrow from ${item.label}: now choose where it goes (C or Enter on it, or click it).`);
      this.render();
      this.focusItem(id);
      return;
    }
    const from = this.model.find(this.pending);
    this.pending = null;
    const edge = this.model.connect(from.id, id, this.edgeLabel.value);
    if (edge) this.say(`Arrow from ${from.label} to ${item.label}.`);
    this.render();
    this.focusItem(id);
  }

  rename() {
    if (!this.selected) return this.addComponent();
    if (this.model.rename(this.selected, this.labelInput.value)) this.focusItem(this.selected);
  }

  remove(id = this.selected) {
    if (id && this.model.remove(id)) {
      this.say('Deleted.');
      this.selected = null;
      this.render();
      this.svg.focus();
    }
  }

  undo() {
    if (this.model.undoStack.length) this.say('Undone.');
    this.model.undo();
  }

  redo() {
    if (this.model.redoStack.length) this.say('Redone.');
    this.model.redo();
  }

  bind() {
    const on = (name, fn) => $(`[data-board=${name}]`, this.root).addEventListener('click', fn);
    on('add', () => this.addComponent());
    on('note', () => this.addNote());
    on('connect', () => this.startOrFinishArrow());
    on('delete', () => this.remove());
    on('undo', () => this.undo());
    on('redo', () => this.redo());
    this.labelInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.rename();
      } else if (e.key === 'Escape' && this.selected) {
        this.focusItem(this.selected);
      }
    });
    this.root.addEventListener('keydown', (e) => this.onKey(e));
    this.svg.addEventListener('focusin', (e) => {
      const id = e.target.closest?.('[data-id]')?.dataset.id;
      if (id && id !== this.selected) {
        this.selected = id;
        this.render();
        this.focusItem(id);
      }
    });
    this.svg.addEventListener('pointerdown', (e) => this.pointerDown(e));
    this.svg.addEventListener('pointermove', (e) => this.pointerMove(e));
    this.svg.addEventListener('pointerup', (e) => this.pointerUp(e));
  }

  onKey(e) {
    const inField = e.target === this.labelInput || e.target.tagName === 'SELECT';
    if ((e.ctrlKey || e.metaKey) && !inField && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      if (e.shiftKey) this.redo();
      else this.undo();
      return;
    }
    if ((e.ctrlKey || e.metaKey) && !inField && e.key.toLowerCase() === 'y') {
      e.preventDefault();
      this.redo();
      return;
    }
    const id = e.target.closest?.('[data-id]')?.dataset.id;
    if (!id || inField) return;
    const step = e.shiftKey ? BIG_STEP : STEP;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[e.key]) {
      e.preventDefault();
      this.model.moveBy(id, ...moves[e.key]);
      this.focusItem(id);
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      this.remove(id);
    } else if (e.key === 'c' || e.key === 'C' || (e.key === 'Enter' && this.pending)) {
      e.preventDefault();
      this.startOrFinishArrow(id);
    } else if (e.key === 'Enter' || e.key === 'F2') {
      e.preventDefault();
      this.selected = id;
      this.labelInput.focus();
      this.labelInput.select();
    } else if (e.key === 'Escape' && this.pending) {
      this.pending = null;
      this.say('Arrow cancelled.');
      this.render();
      this.focusItem(id);
    }
  }

  point(e) {
    const m = this.svg.getScreenCTM();
    if (!m) return { x: e.clientX, y: e.clientY };
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    return { x: p.x, y: p.y };
  }

  pointerDown(e) {
    const target = e.target.closest('[data-id]');
    if (!target) {
      this.pending = null;
      this.select(null, { focus: false });
      return;
    }
    const id = target.dataset.id;
    if (this.pending && this.model.find(id)?.kind) {
      this.startOrFinishArrow(id);
      return;
    }
    this.select(id);
    const item = this.model.find(id);
    if (!item || !('x' in item)) return;
    const p = this.point(e);
    this.drag = { id, start: p, x: item.x, y: item.y, moved: false };
    this.svg.setPointerCapture?.(e.pointerId);
  }

  pointerMove(e) {
    if (!this.drag) return;
    const p = this.point(e);
    const item = this.model.find(this.drag.id);
    if (!item) return;
    item.x = Math.round(this.drag.x + p.x - this.drag.start.x);
    item.y = Math.round(this.drag.y + p.y - this.drag.start.y);
    this.drag.moved = true;
    renderBoard(this.svg, this.model.graph, { selected: this.selected, pending: this.pending, interactive: true });
  }

  pointerUp() {
    const drag = this.drag;
    this.drag = null;
    if (!drag?.moved) return;
    const item = this.model.find(drag.id);
    const [dx, dy] = [item.x - drag.x, item.y - drag.y];
    item.x = drag.x;
    item.y = drag.y;
    this.model.moveBy(drag.id, dx, dy); // one undoable step for the whole drag
    this.focusItem(drag.id);
  }
}
