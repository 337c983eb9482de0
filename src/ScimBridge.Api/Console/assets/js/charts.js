// Charts drawn as SVG through the DOM: no library, no inline style (the CSP forbids it); colours come from CSS classes.
import { h, s } from './dom.js';

const W = 480;
const H = 180;
const PAD = { left: 34, right: 8, top: 10, bottom: 26 };

function frame(title, max) {
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title });
  const y0 = H - PAD.bottom;
  svg.append(s('line', { class: 'axis', x1: PAD.left, y1: y0, x2: W - PAD.right, y2: y0 }));
  for (const tick of [0, Math.ceil(max / 2), max]) {
    const y = y0 - (tick / max) * (H - PAD.top - PAD.bottom);
    svg.append(s('text', { x: PAD.left - 6, y: y + 3, 'text-anchor': 'end' }, String(tick)));
    if (tick) svg.append(s('line', { class: 'axis', x1: PAD.left, y1: y, x2: W - PAD.right, y2: y, 'stroke-dasharray': '2 3' }));
  }
  return svg;
}

/**
 * One column per item, oldest left: height = value, class = the item's category (a run status), with a tooltip.
 * items: [{ label, value, category, title }]
 */
export function columns(title, items, categories) {
  const max = Math.max(1, ...items.map(i => i.value));
  const svg = frame(title, max);
  const plotW = W - PAD.left - PAD.right;
  const step = plotW / Math.max(items.length, 1);
  const barW = Math.max(2, Math.min(28, step * 0.7));
  items.forEach((item, index) => {
    const height = Math.max(item.value > 0 ? 2 : 1, (item.value / max) * (H - PAD.top - PAD.bottom));
    const x = PAD.left + index * step + (step - barW) / 2;
    const rect = s('rect', {
      class: `bar bar-${categories.includes(item.category) ? item.category : 'other'}`,
      x: x.toFixed(1), y: (H - PAD.bottom - height).toFixed(1), width: barW.toFixed(1), height: height.toFixed(1),
      'data-value': item.value,
    }, s('title', {}, item.title ?? `${item.label}: ${item.value}`));
    svg.append(rect);
    if (items.length <= 12 || index % Math.ceil(items.length / 12) === 0) {
      svg.append(s('text', { x: (x + barW / 2).toFixed(1), y: H - PAD.bottom + 14, 'text-anchor': 'middle' }, item.label));
    }
  });
  return h('figure', { class: 'card' }, h('figcaption', {}, h('strong', {}, title)), svg,
    h('div', { class: 'legend' }, categories.map(c => h('span', {}, h('i', { class: `swatch ${c}` }), c))));
}

/** A line over items (oldest left): points = [{ label, value }]. */
export function line(title, points) {
  const max = Math.max(1, ...points.map(p => p.value));
  const svg = frame(title, max);
  const plotW = W - PAD.left - PAD.right;
  const step = points.length > 1 ? plotW / (points.length - 1) : 0;
  const xy = points.map((p, i) => [PAD.left + i * step, H - PAD.bottom - (p.value / max) * (H - PAD.top - PAD.bottom)]);
  if (xy.length > 1) svg.append(s('polyline', { class: 'line', points: xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ') }));
  xy.forEach(([x, y], i) => {
    svg.append(s('circle', { class: 'dot', cx: x.toFixed(1), cy: y.toFixed(1), r: 3, 'data-value': points[i].value },
      s('title', {}, `${points[i].label}: ${points[i].value}`)));
  });
  return h('figure', { class: 'card' }, h('figcaption', {}, h('strong', {}, title)), svg);
}
