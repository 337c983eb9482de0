import { get, post } from '../api.js';
import { h, mount, badge, table, time, notice } from '../dom.js';

export async function renderPolicy(main, { isAdmin }) {
  const [policy, connections] = await Promise.all([get('/admin/policy'), get('/admin/connections').catch(() => [])]);
  const result = h('div', { id: 'preview-result' });
  const connection = h('select', { name: 'connection', id: 'preview-connection' }, connections.map(c => h('option', { value: c.name }, c.name)));
  const userName = h('input', { name: 'userName', id: 'preview-user', required: true, placeholder: 'ada@contoso.com' });
  const form = h('form', { class: 'filters', id: 'preview-form' },
    h('label', {}, 'Connection', connection), h('label', {}, 'User name', userName), h('button', { type: 'submit' }, 'Preview'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    mount(result, h('p', { class: 'muted' }, 'Evaluating…'));
    try {
      const preview = await post('/admin/policy/preview', { connection: connection.value, userName: userName.value });
      mount(result,
        h('p', {}, h('strong', {}, preview.identity), ` ${preview.email ?? ''} `, badge(preview.active ? 'active' : 'inactive', preview.active ? 'ok' : 'bad')),
        table([
          { label: 'Target', value: a => a.target },
          { label: 'Org role', value: a => a.organizationRole ?? '—' },
          { label: 'Containers', value: a => Object.entries(a.containers ?? {}).map(([c, role]) => `${c}: ${role}`).join(', ') || '—' },
          { label: 'Groups', value: a => (a.groups ?? []).join(', ') || '—' },
          { label: 'Why', value: a => h('ul', {}, (a.reasons ?? []).map(r => h('li', {}, `${r.rule}${r.group ? ` via ${r.group}` : ''}: ${r.grant}`))) },
        ], Object.values(preview.access ?? {}), { id: 'preview-access', empty: 'The policy grants this identity nothing.' }));
    } catch (error) {
      mount(result, notice(error.message, 'error'));
    }
  });

  mount(main,
    h('h1', {}, 'Mapping policy'),
    h('div', { class: 'card', id: 'policy-status' },
      h('p', {}, badge(policy.loaded ? 'loaded' : 'not loaded', policy.loaded ? 'ok' : 'bad'), ` from ${policy.source ?? '—'}, ${time(policy.loadedAt)}`),
      (policy.errors ?? []).length ? table([
        { label: 'Line', value: e => e.line, num: true }, { label: 'Column', value: e => e.column, num: true }, { label: 'Error', value: e => e.message },
      ], policy.errors) : null),
    h('h2', {}, 'Targets'),
    table([
      { label: 'Target', value: t => t.name },
      { label: 'Mode', value: t => badge(t.mode) },
      { label: 'Unmanaged access', value: t => t.unmanagedAccess },
      { label: 'Max removal share', value: t => t.maxRemovalShare, num: true },
    ], policy.targets ?? [], { id: 'policy-targets' }),
    h('h2', {}, 'Rules'),
    h('ul', { id: 'policy-rules' }, (policy.rules ?? []).map(r => h('li', {}, r))),
    h('h2', {}, 'Preview an identity'),
    h('p', { class: 'muted' }, 'What access the policy in force gives one IdP user, with the rule and group behind each grant.'),
    // The preview is a POST, and the server lets only admins POST under /admin (docs/console.md).
    isAdmin ? [form, result] : h('p', { class: 'muted', id: 'preview-admin-only' }, 'Previewing needs the admin role.'));
}
