import { get, ApiError } from '../api.js';
import { h, mount, badge, table, time, notice } from '../dom.js';
import { columns, line } from '../charts.js';

const STATUSES = ['applied', 'observed', 'held', 'partial', 'failed'];
const TREND_RUNS = 20;

async function health() {
  try {
    return await get('/health/ready');
  } catch (error) {
    if (error instanceof ApiError && error.problem?.status) return error.problem; // 503 carries the same body
    return { status: 'Unreachable', checks: {} };
  }
}

async function count(path, query) {
  try {
    const list = await get(path, query);
    return Array.isArray(list) ? list.length : null;
  } catch {
    return null;
  }
}

function stat(id, label, value, extra) {
  return h('div', { class: 'stat', id }, h('div', { class: 'value' }, value ?? '—'), h('div', { class: 'label' }, label), extra);
}

export async function renderOverview(main) {
  const [ready, runs, connections, targets, failed, pending] = await Promise.all([
    health(), get('/admin/runs', { limit: 100 }), count('/admin/connections'), count('/admin/targets'),
    count('/admin/work', { state: 'failed' }), count('/admin/work', { state: 'pending' }),
  ]);

  // Trends: the last runs' reports, oldest first (one small request each; N is bounded).
  const recent = runs.slice(0, TREND_RUNS).reverse();
  const reports = await Promise.all(recent.map(r => get(`/admin/runs/${r.id}`).catch(() => null)));
  const points = recent.map((run, i) => ({
    run, drift: reports[i]?.drift?.length ?? 0, planned: reports[i]?.planned?.length ?? 0,
    label: time(run.started).slice(11, 16),
  }));
  const outcomes = Object.fromEntries(STATUSES.map(st => [st, runs.filter(r => String(r.status).toLowerCase() === st).length]));

  mount(main,
    h('h1', {}, 'Overview'),
    h('div', { class: 'grid' },
      stat('stat-health', 'Health (/health/ready)', badge(ready.status, ready.status),
        h('div', { class: 'muted' }, Object.entries(ready.checks ?? {}).map(([k, v]) => `${k}: ${v}`).join(', '))),
      stat('stat-connections', 'IdP connections', connections),
      stat('stat-targets', 'Platform targets', targets),
      stat('stat-runs', 'Recent runs', runs.length),
      stat('stat-dead', 'Dead-lettered work', failed),
      stat('stat-pending', 'Pending work', pending)),
    h('div', { class: 'charts', id: 'charts' },
      columns(`Drift items in the last ${points.length} runs (colour: outcome)`,
        points.map(p => ({ label: p.label, value: p.drift, category: String(p.run.status).toLowerCase(),
          title: `${p.run.target} ${time(p.run.started)}: ${p.drift} drift, ${p.run.status}` })), STATUSES),
      line(`Planned changes in the last ${points.length} runs`, points.map(p => ({ label: `${p.run.target} ${p.label}`, value: p.planned }))),
      columns(`Run outcomes (last ${runs.length} runs)`,
        STATUSES.map(st => ({ label: st, value: outcomes[st], category: st })), STATUSES)),
    h('h2', {}, 'Last runs'),
    runs.length ? null : notice('No reconciliation runs yet.'),
    table([
      { label: 'Started', value: r => h('a', { href: `#/runs/${r.id}` }, time(r.started)) },
      { label: 'Target', value: r => r.target },
      { label: 'Trigger', value: r => r.trigger },
      { label: 'Dry run', value: r => (r.dryRun ? 'yes' : 'no') },
      { label: 'Status', value: r => badge(r.status) },
      { label: 'Finished', value: r => time(r.finished) },
    ], runs.slice(0, 15), { id: 'runs-table' }));
}
