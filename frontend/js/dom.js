// Small DOM and formatting helpers shared by the pages. Text always goes in as text nodes.

/** el('p', {class: 'x', onclick: fn}, 'text', child) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
}

export function clear(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

/** ms -> "m:ss" (or "h:mm:ss") */
export function clock(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function dateTime(iso) {
  if (!iso) return '';
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function shortDate(iso) {
  if (!iso) return '';
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export const STATUS_LABELS = {
  created: 'Not started',
  active: 'In progress',
  paused: 'Paused',
  abandoned: 'Abandoned',
  finished: 'Finished',
  scoring: 'Scoring…',
  scored: 'Scored',
  failed: 'Scoring failed',
};

/** A score as the server rounds it (2 decimals at most): 2.25, 3.1, 3 */
export function score(value) {
  return typeof value === 'number' ? String(Math.round(value * 100) / 100) : '—';
}

export function levelLabel(level) {
  return level ? level[0].toUpperCase() + level.slice(1) : '';
}

/** A message box for errors and notices (role=alert for errors). */
export function notice(kind, ...children) {
  return el(
    'div',
    { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    ...children,
  );
}
