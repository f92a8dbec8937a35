// The whiteboard in the room: the editor, its model and its sync, behind one small handle for room.js.
import { api } from './api.js';
import { BoardEditor } from './board-editor.js';
import { BoardModel } from './board-model.js';
import { BoardSync } from './board-sync.js';

const BOARD_EVENTS = new Set(['board', 'board_saved', 'board_conflict']);

export function mountBoard(root, interviewId, getStream, onNotice) {
  const model = new BoardModel();
  const editor = new BoardEditor(root, model, { onNotice });
  const sync = new BoardSync(model, getStream, { onNotice });
  editor.setEnabled(false);
  if (interviewId) api.board(interviewId).then((snap) => sync.load(snap), () => {});
  return {
    model,
    editor,
    sync,
    setEnabled: (on) => editor.setEnabled(on),
    connected: () => sync.connected(),
    /** true when the message was the board's */
    onMessage(msg) {
      if (BOARD_EVENTS.has(msg.type) || (msg.type === 'error' && msg.code?.startsWith('board_'))) {
        sync.onMessage(msg);
        return true;
      }
      return false;
    },
  };
}
