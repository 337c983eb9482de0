// The console shell: who is signed in, the navigation, and a router over the URL fragment (#/drift).
import { call, post, setSession, whenSignedOut } from './api.js';
import { h, mount, notice } from './dom.js';
import { renderSignIn } from './pages/signin.js';
import { renderOverview } from './pages/overview.js';
import { renderRun } from './pages/run.js';
import { renderDrift } from './pages/drift.js';
import { renderInventory } from './pages/inventory.js';
import { renderAudit } from './pages/audit.js';
import { renderConnections } from './pages/connections.js';
import { renderPolicy } from './pages/policy.js';

const pages = [
  { path: 'overview', title: 'Overview', render: renderOverview },
  { path: 'drift', title: 'Drift', render: renderDrift },
  { path: 'inventory', title: 'Inventory', render: renderInventory },
  { path: 'audit', title: 'Audit', render: renderAudit },
  { path: 'connections', title: 'Connections & targets', render: renderConnections },
  { path: 'policy', title: 'Policy', render: renderPolicy },
];

const main = document.getElementById('main');
let session = null;

function showShell(visible) {
  document.getElementById('top').hidden = !visible;
}

function signedOut() {
  session = null;
  setSession(null);
  showShell(false);
  renderSignIn(main, async signedIn => {
    session = signedIn;
    setSession(signedIn);
    // replaceState: no hashchange event, so the page is rendered once, by start().
    if (!location.hash || location.hash === '#/sign-in') history.replaceState(null, '', '#/overview');
    await start();
  });
}

async function start() {
  showShell(true);
  document.getElementById('who').textContent = `${session.name} (${session.role})`;
  mount(document.getElementById('nav'), pages.map(p => h('a', { href: `#/${p.path}`, 'data-page': p.path }, p.title)));
  await route();
}

async function route() {
  if (!session) return;
  // #/page/arg?query: the query holds a page's filters, so a filtered view can be bookmarked or shared.
  const [hashPath, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [path, ...rest] = (hashPath || 'overview').split('/');
  for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.dataset.page === path);
  const context = { session, isAdmin: session.role === 'admin', params: new URLSearchParams(query) };
  mount(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    if (path === 'runs' && rest[0]) {
      await renderRun(main, decodeURIComponent(rest[0]), context);
    } else {
      const page = pages.find(p => p.path === path) ?? pages[0];
      document.title = `${page.title} · ScimBridge console`;
      await page.render(main, context);
    }
  } catch (error) {
    if (error?.status === 401) return;
    mount(main, notice(`Could not load this page: ${error.message}`, 'error'));
  }
}

document.getElementById('sign-out').addEventListener('click', async () => {
  try { await post('/console/api/sign-out'); } finally { history.replaceState(null, '', location.pathname); signedOut(); }
});
window.addEventListener('hashchange', route);
whenSignedOut(signedOut);

try {
  session = await call('/console/api/session');
  setSession(session);
  await start();
} catch {
  signedOut();
}
