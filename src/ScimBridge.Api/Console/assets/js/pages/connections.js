import { get, post, NotAvailable } from '../api.js';
import { h, mount, badge, table, time, unavailable, notice } from '../dom.js';

// IdP checks (/admin/idp-checks): does the IdP agree with what it provisioned? Admins can run one now.
async function idpChecks(isAdmin, rerender) {
  let checks;
  try {
    checks = await get('/admin/idp-checks', { limit: 20 }, { notAvailableOn404: true });
  } catch (error) {
    if (error instanceof NotAvailable) return unavailable('IdP checks (/admin/idp-checks)');
    throw error;
  }
  const message = h('div', { id: 'idp-check-message' });
  const run = isAdmin ? h('button', { type: 'button', id: 'idp-check-run', onclick: async () => {
    run.disabled = true;
    try {
      await post('/admin/idp-checks', {});
      await rerender();
    } catch (error) {
      run.disabled = false;
      mount(message, notice(error.message, 'error'));
    }
  } }, 'Check every IdP now') : null;
  return [message, run, table([
    { label: 'Started', value: c => time(c.started) },
    { label: 'Connection', value: c => c.connection },
    { label: 'Trigger', value: c => c.trigger },
    { label: 'Status', value: c => badge(c.status, { consistent: 'ok', drift: 'warn', failed: 'bad' }[c.status]) },
    { label: 'Findings', value: c => c.findings, num: true },
  ], checks, { id: 'idp-checks-table', empty: 'No IdP checks have run.' })];
}

export async function renderConnections(main, { isAdmin } = {}) {
  const [connections, targets] = await Promise.all([get('/admin/connections'), get('/admin/targets')]);
  let register = null;
  try {
    register = await get('/admin/reports/connectors', {}, { notAvailableOn404: true });
  } catch (error) {
    if (!(error instanceof NotAvailable)) throw error;
  }
  const byTarget = new Map((register?.targets ?? []).map(t => [t.target, t]));

  mount(main,
    h('h1', {}, 'IdP connections and platform targets'),
    h('h2', {}, `IdP connections (${connections.length})`),
    table([
      { label: 'Name', value: c => c.name },
      { label: 'Kind', value: c => c.kind },
      { label: 'Id', value: c => h('code', {}, c.id) },
      { label: 'Created', value: c => time(c.created) },
      { label: 'OAuth JWT', value: c => (c.jwt ? 'yes' : 'no') },
    ], connections, { id: 'connections-table', empty: 'No IdP connections yet (scimbridge connections create).' }),
    h('h2', {}, 'IdP checks'),
    await idpChecks(isAdmin, () => renderConnections(main, { isAdmin })),
    h('h2', {}, `Platform targets (${targets.length})`),
    table([
      { label: 'Target', value: t => t.name },
      { label: 'Platform', value: t => t.platform },
      { label: 'Base URL', value: t => (t.baseUrl ? h('code', {}, t.baseUrl) : h('span', { class: 'muted' }, 'platform default')) },
      { label: 'Owner', value: t => t.owner ?? byTarget.get(t.name)?.owner ?? '' },
      { label: 'Mode', value: t => (byTarget.get(t.name)?.mode ? badge(byTarget.get(t.name).mode) : '') },
      { label: 'Capabilities', value: t => h('span', { class: 'muted' }, t.capabilities.join(', ')) },
    ], targets, { id: 'targets-table', empty: 'No platform targets configured.' }),
    h('h2', {}, 'AI connector register'),
    register ? (register.targets ?? []).map(t => h('section', { class: 'card' },
      h('h2', {}, t.target, ' ', badge(t.mode)),
      h('p', { class: 'muted' }, `Reach: ${(t.reach ?? []).join(', ') || '—'}`),
      table([
        { label: 'Object type', value: c => c.objectType },
        { label: 'Governance', value: c => badge(c.governance, { enforced: 'ok', observed: 'warn', invisible: 'bad' }[c.governance]) },
      ], t.coverage ?? [])))
      : unavailable('The connector register (/admin/reports/connectors)'));
}
