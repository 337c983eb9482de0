import { get, NotAvailable } from '../api.js';
import { h, mount, badge, table, time, unavailable, select } from '../dom.js';

const KINDS = ['missingAccess', 'extraAccess', 'roleMismatch', 'pendingInvite', 'unownedAccount', 'unsupported', 'failedStep', 'deadLettered'];

async function targetNames() {
  try { return (await get('/admin/targets')).map(t => t.name); } catch { return []; }
}

// Before /admin/reports/drift exists: each target's newest run report still lists the drift it saw.
async function driftFromRuns(target) {
  const runs = await get('/admin/runs', { target, limit: 200 });
  const newest = new Map();
  for (const run of runs) if (!newest.has(run.target)) newest.set(run.target, run);
  return Promise.all([...newest.values()].map(async run => ({ run, report: await get(`/admin/runs/${run.id}`) })));
}

export async function renderDrift(main, { params }) {
  const target = params.get('target') ?? '';
  const kind = params.get('kind') ?? '';
  const names = await targetNames();
  const filters = h('form', { class: 'filters', id: 'drift-filters' },
    select('target', 'Target', ['', ...names], target),
    select('kind', 'Kind', ['', ...KINDS], kind),
    h('button', { type: 'submit' }, 'Apply'));
  filters.addEventListener('submit', event => {
    event.preventDefault();
    const form = new FormData(filters);
    location.hash = `#/drift?${new URLSearchParams([...form].filter(([, v]) => v)).toString()}`;
  });

  let body;
  try {
    const report = await get('/admin/reports/drift', { target }, { notAvailableOn404: true });
    body = report.targets.map(t => {
      const items = t.items.filter(i => !kind || i.kind === kind);
      return h('section', { class: 'card drift-target', 'data-target': t.target },
        h('h2', {}, `${t.target} `, h('span', { class: 'muted' }, `(${t.platform})`)),
        h('p', { class: 'muted' }, t.runId ? h('a', { href: `#/runs/${t.runId}` }, `Full pass started ${time(t.runStarted)}`) : 'No full pass yet',
          t.sincePrevious ? ` · since the previous run: ${t.sincePrevious.new} new, ${t.sincePrevious.resolved} resolved` : ''),
        h('div', { class: 'grid' }, Object.entries(t.counts ?? {}).filter(([, v]) => v > 0).map(([k, v]) =>
          h('div', { class: 'stat' }, h('div', { class: 'value' }, v), h('div', { class: 'label' }, k)))),
        table([
          { label: 'Kind', value: i => badge(i.kind) },
          // The drift report names its subject in one field; the contract's identity/email/object are shown when sent.
          { label: 'Subject', value: i => i.subject ?? [i.identity, i.email, i.object].filter(Boolean).join(' · ') },
          { label: 'Detail', value: i => i.detail ?? '' },
          { label: 'New', value: i => (i.new ? badge('new', 'warn') : '') },
        ], items, { empty: 'No drift.' }));
    });
    body.unshift(h('p', { class: 'links' }, h('a', { href: `/admin/reports/drift?format=csv${target ? `&target=${encodeURIComponent(target)}` : ''}`, download: 'drift.csv' }, 'Export CSV')));
  } catch (error) {
    if (!(error instanceof NotAvailable)) throw error;
    const runs = await driftFromRuns(target);
    body = [unavailable('The drift report (/admin/reports/drift)'), h('p', { class: 'muted' }, 'Drift seen by each target\'s newest run:'),
      ...runs.map(({ run, report }) => h('section', { class: 'card drift-target', 'data-target': run.target },
        h('h2', {}, run.target, ' ', badge(run.status)),
        h('p', { class: 'muted' }, `Run ${run.id} started ${time(run.started)}`),
        table([
          { label: 'Kind', value: d => badge(d.kind) },
          { label: 'Subject', value: d => d.subject ?? '' },
          { label: 'Detail', value: d => d.detail ?? '' },
        ], (report.drift ?? []).filter(d => !kind || d.kind === kind), { empty: 'No drift.' })))];
  }

  mount(main, h('h1', {}, 'Drift'), filters, h('div', { id: 'drift-results' }, body));
}
