// Draws a board graph into an <svg> (the room's editor and the review). Labels go in as text nodes, never
// markup. Geometry matches app/board/svg.py: a node's (x, y) is its top-left corner.
export const NODE_W = 150;
export const NODE_H = 56;
export const NOTE_W = 170;
export const NOTE_H = 48;
/** A note is as wide as its text (roughly), within bounds; app/board/svg.py uses the same rule. */
export const noteWidth = (text) => Math.round(Math.max(NOTE_W, Math.min(420, 16 + 6.6 * text.length)));
const PAD = 24;
const NS = 'http://www.w3.org/2000/svg';

export const KINDS = {
  client: 'client',
  load_balancer: 'load balancer',
  service: 'service',
  cache: 'cache',
  database: 'database',
  queue: 'queue',
  object_storage: 'object storage',
  cdn: 'CDN',
  external: 'external service',
};

function svgEl(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function border(cx, cy, tx, ty) {
  const dx = tx - cx;
  const dy = ty - cy;
  if (!dx && !dy) return [cx, cy];
  const s = Math.min(dx ? NODE_W / 2 / Math.abs(dx) : Infinity, dy ? NODE_H / 2 / Math.abs(dy) : Infinity);
  return [cx + dx * s, cy + dy * s];
}

export function bounds(graph) {
  const boxes = [
    ...graph.nodes.map((n) => [n.x, n.y, n.x + NODE_W, n.y + NODE_H]),
    ...graph.notes.map((n) => [n.x, n.y, n.x + noteWidth(n.text), n.y + NOTE_H]),
  ];
  if (!boxes.length) return [0, 0, 640, 320];
  return [
    Math.min(...boxes.map((b) => b[0])) - PAD,
    Math.min(...boxes.map((b) => b[1])) - PAD,
    Math.max(...boxes.map((b) => b[2])) + PAD,
    Math.max(...boxes.map((b) => b[3])) + PAD,
  ];
}

/** Replace the svg's content with `graph`. opts: {selected, pending (connect source), fit, interactive} */
export function renderBoard(svg, graph, opts = {}) {
  const { selected = null, pending = null, fit = false, interactive = false, minBox = null } = opts;
  svg.replaceChildren();
  const defs = svgEl('defs');
  const marker = svgEl('marker', {
    id: `${svg.id || 'board'}-arrow`,
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 8,
    markerHeight: 8,
    orient: 'auto-start-reverse',
  });
  marker.append(svgEl('path', { d: 'M0,0L10,5L0,10z', fill: '#444' }));
  defs.append(marker);
  svg.append(defs);
  if (fit) {
    let [x0, y0, x1, y1] = bounds(graph);
    if (minBox) {
      // the editor: at least minBox, so a few boxes are not blown up and there is room to add more
      [x0, y0] = [Math.min(x0, minBox[0]), Math.min(y0, minBox[1])];
      [x1, y1] = [Math.max(x1, minBox[2]), Math.max(y1, minBox[3])];
    }
    svg.setAttribute('viewBox', `${x0} ${y0} ${x1 - x0} ${y1 - y0}`);
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const e of graph.edges) {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (!a || !b) continue;
    const [ax, ay] = [a.x + NODE_W / 2, a.y + NODE_H / 2];
    const [bx, by] = [b.x + NODE_W / 2, b.y + NODE_H / 2];
    const [sx, sy] = border(ax, ay, bx, by);
    const [tx, ty] = border(bx, by, ax, ay);
    const name = `Arrow from ${a.label} to ${b.label}${e.label ? `, ${e.label}` : ''}`;
    const g = svgEl('g', {
      class: `board-edge${selected === e.id ? ' selected' : ''}`,
      'data-id': e.id,
      tabindex: interactive ? 0 : undefined,
      role: interactive ? 'button' : 'img',
      'aria-label': name,
    });
    g.append(svgEl('line', { x1: sx, y1: sy, x2: tx, y2: ty, class: 'hit' }));
    g.append(svgEl('line', { x1: sx, y1: sy, x2: tx, y2: ty, 'marker-end': `url(#${marker.id})` }));
    if (e.label) g.append(svgEl('text', { x: (sx + tx) / 2, y: (sy + ty) / 2 - 5, 'text-anchor': 'middle' }, e.label));
    svg.append(g);
  }
  for (const n of graph.nodes) {
    const cls = ['board-node', `kind-${n.kind}`];
    if (selected === n.id) cls.push('selected');
    if (pending === n.id) cls.push('pending');
    const g = svgEl('g', {
      class: cls.join(' '),
      'data-id': n.id,
      transform: `translate(${n.x} ${n.y})`,
      tabindex: interactive ? 0 : undefined,
      role: interactive ? 'button' : 'img',
      'aria-label': `${KINDS[n.kind]}: ${n.label}`,
    });
    g.append(svgEl('rect', { width: NODE_W, height: NODE_H, rx: 8 }));
    g.append(svgEl('text', { x: NODE_W / 2, y: 20, class: 'kind', 'text-anchor': 'middle' }, KINDS[n.kind]));
    g.append(svgEl('text', { x: NODE_W / 2, y: 40, class: 'label', 'text-anchor': 'middle' }, n.label));
    svg.append(g);
  }
  for (const n of graph.notes) {
    const g = svgEl('g', {
      class: `board-note${selected === n.id ? ' selected' : ''}`,
      'data-id': n.id,
      transform: `translate(${n.x} ${n.y})`,
      tabindex: interactive ? 0 : undefined,
      role: interactive ? 'button' : 'img',
      'aria-label': `Note: ${n.text}`,
    });
    g.append(svgEl('rect', { width: noteWidth(n.text), height: NOTE_H }));
    g.append(svgEl('text', { x: 8, y: 28 }, n.text));
    svg.append(g);
  }
}
