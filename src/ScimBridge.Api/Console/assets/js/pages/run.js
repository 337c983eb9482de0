import { get } from '../api.js';
import { h, mount, badge, table } from '../dom.js';

export async function renderRun(main, id) {
  const report = await get(`/admin/runs/${encodeURIComponent(id)}`);
  mount(main,
    h('p', {}, h('a', { href: '#/overview' }, '← Overview')),
    h('h1', {}, `Run on ${report.target}`),
    h('p', {}, badge(report.status), ' ', h('span', { class: 'mono' }, report.runId), report.message ? ` — ${report.message}` : ''),
    h('h2', {}, `Drift (${report.drift?.length ?? 0})`),
    table([
      { label: 'Kind', value: d => badge(d.kind) },
      { label: 'Subject', value: d => d.subject ?? '' },
      { label: 'Detail', value: d => d.detail ?? '' },
    ], report.drift ?? [], { id: 'run-drift' }),
    h('h2', {}, `Planned (${report.planned?.length ?? 0})`),
    table([
      { label: 'Step', value: p => badge(p.kind) },
      { label: 'Who', value: p => p.email ?? p.accountId ?? '' },
      { label: 'Where', value: p => p.containerId ?? '' },
      { label: 'Why', value: p => p.reason ?? '' },
    ], report.planned ?? [], { id: 'run-planned' }),
    h('h2', {}, `Outcomes (${report.outcomes?.length ?? 0})`),
    table([
      { label: 'Result', value: o => badge(o.result) },
      { label: 'Step', value: o => `${o.step?.kind ?? ''} ${o.step?.email ?? o.step?.accountId ?? ''}` },
      { label: 'Detail', value: o => o.detail ?? '' },
    ], report.outcomes ?? [], { id: 'run-outcomes' }));
}
