import { get, NotAvailable } from '../api.js';
import { h, mount, badge, table, time, unavailable, input, select, notice } from '../dom.js';

const FIELDS = ['from', 'to', 'kind', 'connection', 'target', 'actor', 'outcome', 'resource'];
const KINDS = ['', 'scim.request', 'platform.change', 'reconcile.run', 'operator.action', 'audit.pruned'];
const PAGE = 50;

// GET /admin/audit answers { events: [{ seq, occurred, kind, ... }], nextCursor } (newest first).
function normalise(page) {
  const list = Array.isArray(page) ? page : page.events ?? page.items ?? [];
  return {
    events: list.map(r => ({ ...(r.event ?? r), sequence: r.seq ?? r.sequence })),
    next: Array.isArray(page) ? null : page.nextCursor ?? page.next ?? null,
  };
}

async function verify(into) {
  mount(into, h('p', { class: 'muted' }, 'Verifying…'));
  try {
    const result = await get('/admin/audit/verify');
    mount(into, result.intact
      ? notice(`Chain intact: ${result.checked} events checked up to #${result.headSequence}.`, 'ok')
      : notice(`Chain broken at #${result.firstBrokenSequence} (${result.break}): ${result.detail}`, 'error'));
  } catch (error) {
    mount(into, notice(`Verification failed: ${error.message}`, 'error'));
  }
}

export async function renderAudit(main, { params }) {
  const values = Object.fromEntries(FIELDS.map(f => [f, params.get(f) ?? '']));
  const cursor = params.get('cursor') ?? '';
  const limit = Math.min(Math.max(Number.parseInt(params.get('limit') ?? '', 10) || PAGE, 1), 500);
  const filters = h('form', { class: 'filters', id: 'audit-filters' },
    input('from', 'From (ISO 8601)', values.from), input('to', 'To', values.to),
    select('kind', 'Kind', KINDS, values.kind),
    FIELDS.slice(3).map(f => input(f, f[0].toUpperCase() + f.slice(1), values[f])),
    h('button', { type: 'submit' }, 'Apply'));
  filters.addEventListener('submit', event => {
    event.preventDefault();
    location.hash = `#/audit?${new URLSearchParams([...new FormData(filters)].filter(([, v]) => v)).toString()}`;
  });

  const query = Object.fromEntries(Object.entries(values).filter(([, v]) => v));
  const paging = limit === PAGE ? {} : { limit };
  let page;
  try {
    page = normalise(await get('/admin/audit', { ...query, cursor, limit }, { notAvailableOn404: true }));
  } catch (error) {
    if (error instanceof NotAvailable) {
      mount(main, h('h1', {}, 'Audit trail'), filters, unavailable('The audit trail (/admin/audit)'));
      return;
    }
    throw error;
  }

  const exportLink = format => `/admin/audit/export?${new URLSearchParams({ ...query, format })}`;
  const nextHash = page.next ? `#/audit?${new URLSearchParams({ ...query, ...paging, cursor: page.next })}` : null;
  const verification = h('div', { id: 'audit-verify' });
  mount(main,
    h('h1', {}, 'Audit trail'),
    filters,
    h('p', { class: 'links' }, 'Export: ', h('a', { href: exportLink('jsonl'), download: 'audit.jsonl' }, 'JSONL'),
      h('a', { href: exportLink('csv'), download: 'audit.csv' }, 'CSV'),
      h('button', { type: 'button', class: 'secondary', id: 'audit-verify-button', onclick: () => verify(verification) }, 'Verify chain')),
    verification,
    table([
      { label: '#', value: e => e.sequence ?? '', num: true },
      { label: 'When', value: e => time(e.occurred) },
      { label: 'Kind', value: e => e.kind },
      { label: 'Actor', value: e => e.actor ?? e.connection ?? '' },
      { label: 'Target', value: e => e.target ?? '' },
      { label: 'Resource', value: e => [e.resourceType, e.resourceId].filter(Boolean).join('/') },
      { label: 'Action', value: e => e.action ?? '' },
      { label: 'Outcome', value: e => badge(e.outcome) },
    ], page.events, { id: 'audit-table', empty: 'No events match.' }),
    h('div', { class: 'pager' },
      cursor ? h('a', { href: `#/audit?${new URLSearchParams({ ...query, ...paging })}`, id: 'audit-newest' }, '« Newest') : null,
      nextHash ? h('a', { href: nextHash, id: 'audit-next' }, 'Older »') : h('span', { class: 'muted' }, 'End of the trail.')));
}
