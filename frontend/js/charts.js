// Inline SVG charts (no library): horizontal score bars and score trend lines, drawn at the
// container's real width so text stays readable on a phone. Each chart has a <title>/<desc>; the
// pages also show the numbers as text or a table.

const NS = 'http://www.w3.org/2000/svg';
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
const MARKERS = ['circle', 'square', 'diamond', 'triangle'];

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs))
    if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const c of children) if (c) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function root(width, height, title, desc) {
  const id = `chart-${Math.random().toString(36).slice(2, 8)}`;
  return svg(
    'svg',
    {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      class: 'chart',
      'aria-labelledby': `${id}-t ${id}-d`,
    },
    svg('title', { id: `${id}-t` }, title),
    svg('desc', { id: `${id}-d` }, desc),
  );
}

/** Horizontal bars, one per dimension, on a 1-4 scale. items: [{name, score}] */
export function scoreBars(items, { width = 600, max = 4, title = 'Scores by dimension' } = {}) {
  const narrow = width < 520;
  const labelW = narrow ? 0 : Math.min(240, width * 0.36);
  const rowH = narrow ? 52 : 38;
  const top = 8;
  const axisH = 22;
  const plotX = labelW + (narrow ? 4 : 12);
  const plotW = Math.max(80, width - plotX - 40);
  const height = top + items.length * rowH + axisH;
  const x = (v) => plotX + ((v - 0) / max) * plotW;
  const desc = items.map((d) => `${d.name}: ${d.score} of ${max}`).join('; ');
  const chart = root(width, height, title, desc);
  for (let v = 1; v <= max; v++) {
    chart.append(
      svg('line', { x1: x(v), x2: x(v), y1: top, y2: top + items.length * rowH, class: 'grid' }),
      svg('text', { x: x(v), y: height - 6, 'text-anchor': 'middle', class: 'axis' }, v),
    );
  }
  items.forEach((d, i) => {
    const y = top + i * rowH;
    const barY = narrow ? y + 22 : y + 8;
    const barH = narrow ? 18 : 20;
    const level = Math.max(1, Math.min(max, Math.round(d.score)));
    if (narrow) chart.append(svg('text', { x: plotX, y: y + 15, class: 'label' }, d.name));
    else
      chart.append(
        svg('text', { x: labelW, y: barY + barH / 2 + 4, 'text-anchor': 'end', class: 'label' }, d.name),
      );
    chart.append(
      svg('rect', { x: plotX, y: barY, width: plotW, height: barH, rx: 3, class: 'track' }),
      svg('rect', {
        x: plotX,
        y: barY,
        width: Math.max(2, x(d.score) - plotX),
        height: barH,
        rx: 3,
        class: `bar bar-${level}`,
      }),
      svg('text', { x: x(d.score) + 6, y: barY + barH / 2 + 4, class: 'value' }, d.score),
    );
  });
  return chart;
}

function marker(kind, cx, cy, r, color) {
  const common = { fill: color, stroke: '#fff', 'stroke-width': 1.5 };
  if (kind === 'square') return svg('rect', { x: cx - r, y: cy - r, width: 2 * r, height: 2 * r, ...common });
  if (kind === 'diamond') {
    return svg('polygon', {
      points: `${cx},${cy - r - 1} ${cx + r + 1},${cy} ${cx},${cy + r + 1} ${cx - r - 1},${cy}`,
      ...common,
    });
  }
  if (kind === 'triangle') {
    return svg('polygon', {
      points: `${cx},${cy - r - 1} ${cx + r + 1},${cy + r} ${cx - r - 1},${cy + r}`,
      ...common,
    });
  }
  return svg('circle', { cx, cy, r, ...common });
}

export function seriesStyle(i) {
  return { color: PALETTE[i % PALETTE.length], marker: MARKERS[i % MARKERS.length] };
}

/**
 * Trend lines on a 1-4 scale. xLabels: one label per session (x = index);
 * series: [{name, points: [{x, y}], color?, marker?, dashed?}]
 */
export function trendLines(
  series,
  xLabels,
  { width = 640, height = 300, min = 1, max = 4, title = 'Scores across sessions' } = {},
) {
  const pad = { left: 34, right: 22, top: 14, bottom: 48 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const n = xLabels.length;
  const x = (i) => pad.left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const lo = min - 0.2; // a little room so markers on 1 and 4 stay clear of the axis labels
  const hi = max + 0.15;
  const yOf = (v) => pad.top + (1 - (v - lo) / (hi - lo)) * plotH;
  const desc = series.map((s) => `${s.name}: ${s.points.map((p) => p.y).join(', ')}`).join('; ');
  const chart = root(width, height, title, desc);
  for (let v = min; v <= max; v++) {
    chart.append(
      svg('line', { x1: pad.left, x2: width - pad.right, y1: yOf(v), y2: yOf(v), class: 'grid' }),
      svg('text', { x: pad.left - 8, y: yOf(v) + 4, 'text-anchor': 'end', class: 'axis' }, v),
    );
  }
  const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(plotW / 70))));
  xLabels.forEach((label, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    const anchor = n > 1 && i === 0 ? 'start' : n > 1 && i === n - 1 ? 'end' : 'middle';
    const tx = anchor === 'start' ? x(i) - 6 : anchor === 'end' ? x(i) + 6 : x(i);
    chart.append(
      svg('text', { x: tx, y: height - 26, 'text-anchor': anchor, class: 'axis axis-strong' }, `#${i + 1}`),
      svg('text', { x: tx, y: height - 10, 'text-anchor': anchor, class: 'axis' }, label),
    );
  });
  // equal scores would hide lines under each other: spread the series a few pixels apart
  const spread = Math.min(3, 14 / Math.max(1, series.length));
  series.forEach((s, i) => {
    const style = { ...seriesStyle(i), ...s };
    const dy = (i - (series.length - 1) / 2) * spread;
    const y = (v) => yOf(v) + dy;
    const pts = s.points.filter((p) => Number.isFinite(p.y));
    if (pts.length > 1) {
      chart.append(
        svg('polyline', {
          points: pts.map((p) => `${x(p.x)},${y(p.y)}`).join(' '),
          fill: 'none',
          stroke: style.color,
          'stroke-width': s.dashed ? 2 : 2.5,
          'stroke-dasharray': s.dashed ? '6 4' : null,
          'stroke-linejoin': 'round',
          class: 'series',
        }),
      );
    }
    for (const p of pts) {
      const m = marker(style.marker, x(p.x), y(p.y), 4.5, style.color);
      m.append(svg('title', {}, `${s.name}: ${p.y} (session ${p.x + 1}, ${xLabels[p.x]})`));
      chart.append(m);
    }
  });
  return chart;
}

/** Draw `render(width)` into `box` now and again whenever the box changes width. */
export function responsive(box, render) {
  let last = 0;
  const draw = () => {
    const width = Math.floor(box.clientWidth);
    if (!width || width === last) return;
    last = width;
    box.replaceChildren(render(width));
  };
  draw();
  box.vivaObserver?.disconnect();
  if ('ResizeObserver' in window) {
    box.vivaObserver = new ResizeObserver(draw);
    box.vivaObserver.observe(box);
  }
  return () => {
    last = 0;
    draw();
  };
}
