// Small DOM helpers. Every text goes in as a text node, never parsed as HTML, so data from the API cannot inject markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.setAttribute('class', value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function mount(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
  return parent;
}

export function badge(text, kind) {
  return h('span', { class: `badge ${String(kind ?? text ?? '').toLowerCase()}` }, text ?? '');
}

/** A table: columns are { label, value: row => text or Node, num?: bool }. */
export function table(columns, rows, { id, empty = 'Nothing to show.' } = {}) {
  if (!rows.length) return h('p', { class: 'muted', id }, empty);
  return h('table', { id },
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { class: c.num ? 'num' : undefined }, c.label)))),
    h('tbody', {}, rows.map(row => h('tr', {}, columns.map(c => h('td', { class: c.num ? 'num' : undefined }, c.value(row)))))));
}

export function time(value) {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function notice(text, kind = '') {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function unavailable(what) {
  return h('div', { class: 'notice unavailable' }, `${what}: not available yet on this server.`);
}

export function select(name, label, options, value) {
  return h('label', {}, label,
    h('select', { name, id: `filter-${name}` }, options.map(o => {
      const [v, text] = Array.isArray(o) ? o : [o, o || 'all'];
      return h('option', { value: v, selected: v === value }, text);
    })));
}

export function input(name, label, value = '', type = 'text') {
  return h('label', {}, label, h('input', { name, id: `filter-${name}`, type, value }));
}
