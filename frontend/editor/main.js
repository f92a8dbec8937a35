// The room's code editor: CodeMirror 6 (npm, pinned in package.json), bundled by `make frontend` into
// frontend/dist/editor.js (never committed). Python, JavaScript and SQL highlighting; Tab indents, and
// Escape then Tab leaves the editor (CodeMirror's tab-focus mode), so keyboard users are never trapped.
import { basicSetup, EditorView } from 'codemirror';
import { Compartment, EditorState } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { javascript } from '@codemirror/lang-javascript';
import { sql, SQLite } from '@codemirror/lang-sql';

const LANGUAGES = {
  python: () => python(),
  javascript: () => javascript(),
  sql: () => sql({ dialect: SQLite }),
};

export function createCodeEditor(parent, { language = 'python', doc = '', label = 'Code', onChange } = {}) {
  const lang = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        keymap.of([indentWithTab]),
        lang.of((LANGUAGES[language] || LANGUAGES.python)()),
        EditorView.contentAttributes.of({ 'aria-label': label, 'aria-describedby': 'editor-keys' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && onChange) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setLanguage(name) {
      view.dispatch({ effects: lang.reconfigure((LANGUAGES[name] || LANGUAGES.python)()) });
    },
    focus: () => view.focus(),
  };
}
