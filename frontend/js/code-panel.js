// The room's code panel: the exercise in play (signature, notes, examples), the editor (CodeMirror,
// bundled into /dist/editor.js by `make frontend`; a plain text area where the bundle is missing), Run and
// Submit, and the results. The editor's content goes to the server debounced ({type: "code"}).
import { $, clear, el } from './dom.js';
import { renderRun } from './run-view.js';

const DEBOUNCE_MS = 800;
const LANG_NAMES = { python: 'Python', javascript: 'JavaScript', sql: 'SQL' };

async function loadEditor() {
  try {
    return (await import('/dist/editor.js')).createCodeEditor;
  } catch {
    return null; // not built: a text area does the job
  }
}

function textAreaEditor(parent, { doc, onChange, label }) {
  const area = el('textarea', { class: 'code-fallback', rows: 14, spellcheck: 'false', 'aria-label': label });
  area.value = doc;
  area.addEventListener('input', () => onChange(area.value));
  parent.append(area);
  return { getCode: () => area.value, setCode: (t) => (area.value = t), setLanguage() {}, focus: () => area.focus() };
}

export class CodePanel {
  constructor(root, send) {
    this.root = root;
    this.send = send; // (message) => void
    this.editor = null;
    this.exercise = null;
    this.language = 'python';
    this.codes = {}; // language -> code, while the question is in play
    this.timer = null;
    this.running = false;
    $('#code-language', root).addEventListener('change', (e) => this.switchLanguage(e.target.value));
    $('#code-run', root).addEventListener('click', () => this.run('run'));
    $('#code-submit', root).addEventListener('click', () => this.run('submit'));
  }

  get active() {
    return Boolean(this.exercise);
  }

  async show(exercise, draft) {
    if (exercise && this.editor && this.exercise?.question_id === exercise.question_id) {
      this.flush(); // a reconnect: the editor holds the newest code; the server gets it again
      return;
    }
    this.exercise = exercise;
    this.root.hidden = !exercise;
    if (!exercise) return;
    const sql = exercise.kind === 'sql';
    this.codes = {};
    this.language = draft?.language && exercise.languages.includes(draft.language) ? draft.language : exercise.languages[0];
    for (const lang of exercise.languages) this.codes[lang] = sql ? '' : exercise.signature[lang];
    if (sql) this.codes.sql = '-- your query\nSELECT ';
    if (draft?.code) this.codes[this.language] = draft.code;
    const select = $('#code-language', this.root);
    clear(select, exercise.languages.map((l) => el('option', { value: l }, LANG_NAMES[l] || l)));
    select.value = this.language;
    select.disabled = exercise.languages.length < 2;
    this.renderBrief(exercise);
    clear($('#code-results', this.root));
    const host = $('#code-editor', this.root);
    const label = sql ? 'SQL query editor' : 'Code editor';
    if (!this.editor) {
      const create = await loadEditor();
      const options = { language: this.language, doc: this.codes[this.language], label, onChange: (t) => this.changed(t) };
      this.editor = create ? create(host, options) : textAreaEditor(host, options);
      this.root.dataset.editor = create ? 'codemirror' : 'textarea';
    } else {
      this.editor.setLanguage(this.language);
      this.editor.setCode(this.codes[this.language]);
    }
  }

  renderBrief(ex) {
    const brief = $('#code-brief', this.root);
    const parts = [];
    if (ex.notes) parts.push(el('p', {}, ex.notes));
    if (ex.kind === 'sql') {
      parts.push(el('details', {}, el('summary', {}, 'Schema'), el('pre', {}, ex.schema)));
      parts.push(el('p', { class: 'muted small' }, ex.ordered ? 'Row order matters.' : 'Row order does not matter.'));
    } else {
      const examples = ex.examples.map((c) => el('li', {}, el('code', {}, `${c.args.map((a) => JSON.stringify(a)).join(', ')} → ${JSON.stringify(c.expected)}`)));
      parts.push(el('p', { class: 'small' }, 'Examples (Run checks these; Submit runs hidden tests too):'), el('ul', { class: 'examples' }, examples));
    }
    clear(brief, parts);
  }

  switchLanguage(lang) {
    this.codes[this.language] = this.editor.getCode();
    this.language = lang;
    this.editor.setLanguage(lang);
    this.editor.setCode(this.codes[lang] ?? '');
    this.changed(this.editor.getCode());
  }

  changed(text) {
    this.codes[this.language] = text;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  flush() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.editor) this.send({ type: 'code', language: this.language, code: this.editor.getCode() });
  }

  run(mode) {
    if (!this.editor || this.running) return;
    this.flush();
    this.running = true;
    this.setBusy(true, mode === 'run' ? 'Running the examples…' : 'Running the hidden tests…');
    this.send({ type: 'run', mode, language: this.language, code: this.editor.getCode() });
    this.guard = setTimeout(() => this.setBusy(false, ''), 30000); // no answer (socket down): buttons come back
  }

  setBusy(busy, text) {
    this.running = busy;
    $('#code-run', this.root).disabled = busy;
    $('#code-submit', this.root).disabled = busy;
    $('#code-status', this.root).textContent = text;
  }

  result(msg) {
    clearTimeout(this.guard);
    this.setBusy(false, '');
    const view = renderRun(msg.result);
    clear($('#code-results', this.root), view);
    $('#code-status', this.root).textContent = view.querySelector('.run-head').textContent;
  }

  refused(message) {
    if (!this.running) return;
    clearTimeout(this.guard);
    this.setBusy(false, message);
  }

  disable() {
    $('#code-run', this.root).disabled = true;
    $('#code-submit', this.root).disabled = true;
  }
}
