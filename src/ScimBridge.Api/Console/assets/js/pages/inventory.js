import { get, post, NotAvailable } from '../api.js';
import { h, mount, badge, table, time, unavailable, select, notice } from '../dom.js';

const FLAGS = ['', 'orphaned', 'stale', 'unrotated', 'shadow'];

export async function renderInventory(main, { params, isAdmin }) {
  const target = params.get('target') ?? '';
  const flag = params.get('flag') ?? '';
  let names = [];
  try { names = (await get('/admin/targets')).map(t => t.name); } catch { /* the list is a convenience */ }

  const filters = h('form', { class: 'filters', id: 'inventory-filters' },
    select('target', 'Target', ['', ...names], target),
    select('flag', 'Flag', FLAGS, flag),
    h('button', { type: 'submit' }, 'Apply'));
  filters.addEventListener('submit', event => {
    event.preventDefault();
    location.hash = `#/inventory?${new URLSearchParams([...new FormData(filters)].filter(([, v]) => v)).toString()}`;
  });
  const message = h('div', { id: 'inventory-message' });
  const results = h('div', { id: 'inventory-results' });
  mount(main, h('h1', {}, 'Non-human identity inventory'), filters, message, results);

  let report;
  try {
    report = await get('/admin/reports/inventory', { target, flag }, { notAvailableOn404: true });
  } catch (error) {
    if (error instanceof NotAvailable) {
      mount(results, unavailable('The inventory report (/admin/reports/inventory)'));
      return;
    }
    throw error;
  }

  const revokeButton = item => {
    if (!isAdmin || !['apiKey', 'serviceAccount'].includes(item.kind)) return '';
    const button = h('button', { type: 'button', class: 'danger revoke', 'data-id': item.id }, 'Revoke');
    button.addEventListener('click', async () => {
      // Two clicks: the first arms the button, the second revokes (no modal dialog to get lost behind).
      if (!button.classList.contains('armed')) {
        button.classList.add('armed');
        button.textContent = 'Confirm revoke';
        return;
      }
      button.disabled = true;
      try {
        const result = await post('/admin/reports/inventory/revoke',
          { target: item.target, kind: item.kind, id: item.id, container: item.container ?? null });
        await renderInventory(main, { params, isAdmin });
        mount(document.getElementById('inventory-message'), notice(`Revoked ${result.id} on ${result.target}: ${result.action}.`, 'ok'));
      } catch (error) {
        button.disabled = false;
        mount(message, notice(`Revoke failed: ${error.message}`, 'error'));
      }
    });
    return button;
  };

  const query = new URLSearchParams([['format', 'csv'], ...(target ? [['target', target]] : []), ...(flag ? [['flag', flag]] : [])]);
  mount(results,
    h('div', { class: 'grid' }, Object.entries(report.counts ?? {}).map(([k, v]) =>
      h('div', { class: 'stat', id: `count-${k}` }, h('div', { class: 'value' }, v), h('div', { class: 'label' }, k)))),
    h('p', { class: 'muted' }, `Stale after ${report.thresholds?.staleDays ?? '?'} days unused; unrotated after ${report.thresholds?.unrotatedDays ?? '?'} days. `,
      h('a', { href: `/admin/reports/inventory?${query}`, download: 'inventory.csv' }, 'Export CSV')),
    table([
      { label: 'Target', value: i => i.target },
      { label: 'Kind', value: i => i.kind },
      { label: 'Id', value: i => h('code', {}, i.id) },
      { label: 'Name', value: i => i.name ?? '' },
      { label: 'Container', value: i => i.container ?? '' },
      { label: 'Owner', value: i => i.owner?.identity?.userName ?? i.owner?.email ?? '—' },
      { label: 'Status', value: i => badge(i.status) },
      { label: 'Created', value: i => time(i.created) },
      { label: 'Last used', value: i => time(i.lastUsed) },
      { label: 'Age (days)', value: i => i.ageDays ?? '', num: true },
      { label: 'Flags', value: i => (i.flags ?? []).map(f => badge(f)) },
      ...(isAdmin ? [{ label: '', value: revokeButton }] : []),
    ], report.items ?? [], { id: 'inventory-table', empty: 'No keys or service accounts match.' }));
}
