// Entry point: hash router, app shell (sidebar + main) and keyboard shortcuts.
// Hash routes (#/sandboxes) keep the server side trivial: it serves one file.

import { h, clear } from './dom.js';
import * as session from './session.js';
import { toast } from './ui.js';
import { renderLogin } from './page-login.js';
import { renderSandboxes } from './page-sandboxes.js';
import { renderSandbox } from './page-sandbox.js';
import { renderSnapshots } from './page-snapshots.js';
import { renderKeys } from './page-keys.js';
import { renderTemplates, renderTemplate } from './page-templates.js';

const ROUTES = [
  { pattern: /^\/login$/, page: 'login', render: (el) => renderLogin(el, 'login') },
  // #/signup/<token>: the link a team administrator hands out with an invitation.
  { pattern: /^\/signup(?:\/(wrn_inv_[0-9a-f]+))?$/, page: 'login', render: (el, invite) => renderLogin(el, 'signup', invite) },
  { pattern: /^\/sandboxes$/, page: 'sandboxes', nav: 'sandboxes', render: renderSandboxes },
  { pattern: /^\/sandboxes\/([^/]+)(?:\/(terminal|files|metrics))?$/, page: 'sandbox', nav: 'sandboxes', render: renderSandbox },
  { pattern: /^\/snapshots$/, page: 'snapshots', nav: 'snapshots', render: renderSnapshots },
  { pattern: /^\/templates$/, page: 'templates', nav: 'templates', render: renderTemplates },
  { pattern: /^\/templates\/([^/]+)(?:\/builds\/([^/]+))?$/, page: 'template', nav: 'templates', render: renderTemplate },
  { pattern: /^\/keys$/, page: 'keys', nav: 'keys', render: renderKeys },
];

const NAV = [
  { id: 'sandboxes', label: 'Sandboxes', href: '#/sandboxes', key: 's' },
  { id: 'snapshots', label: 'Snapshots', href: '#/snapshots', key: 'n' },
  { id: 'templates', label: 'Templates', href: '#/templates', key: 't' },
  { id: 'keys', label: 'API keys', href: '#/keys', key: 'k' },
];

const app = document.getElementById('app');
let active = null; // { page, key, cleanup, update }

function currentPath() {
  const path = location.hash.replace(/^#/, '') || '/';
  return path.startsWith('/') ? path : `/${path}`;
}

export function navigate(path) {
  if (currentPath() === path) route();
  else location.hash = `#${path}`;
}

function route() {
  const path = currentPath();
  const signedIn = Boolean(session.current());
  const match = ROUTES.map((r) => ({ r, m: path.match(r.pattern) })).find((x) => x.m);
  if (!match) return navigate(signedIn ? '/sandboxes' : '/login');
  const { r, m } = match;
  if (r.page !== 'login' && !signedIn) return navigate('/login');
  if (r.page === 'login' && signedIn) return navigate('/sandboxes');

  const params = m.slice(1);
  const key = `${r.page}:${params[0] ?? ''}`;
  if (active?.key === key && active.update) {
    active.update(...params);
    return;
  }
  active?.cleanup?.();
  const main = r.page === 'login' ? mountBare() : mountShell(r.nav);
  const result = r.render(main, ...params) ?? {};
  active = { key, cleanup: result.cleanup, update: result.update };
  document.title = `${main.querySelector('h1')?.textContent ?? 'Console'} · Wrenn`;
}

function mountBare() {
  clear(app);
  app.className = 'app app-bare';
  const main = h('main', { id: 'main', tabindex: '-1' });
  app.append(main);
  return main;
}

function mountShell(navId) {
  clear(app);
  app.className = 'app app-shell';
  const user = session.current();
  const nav = h('nav', { class: 'sidenav', 'aria-label': 'Main' },
    h('a', { class: 'brand', href: '#/sandboxes' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'W'), 'wrenn'),
    h('ul', {}, NAV.map((item) => h('li', {},
      h('a', { href: item.href, class: 'nav-link', 'aria-current': item.id === navId ? 'page' : undefined, 'aria-keyshortcuts': `g ${item.key}` },
        item.label, h('kbd', { class: 'nav-key', 'aria-hidden': 'true', title: `Press g then ${item.key}` }, `g ${item.key}`))))),
    h('div', { class: 'sidenav-foot' },
      h('span', { class: 'user-email', title: user?.email }, user?.email ?? ''),
      h('button', { class: 'btn btn-ghost btn-sm', type: 'button', onclick: () => session.signOut() }, 'Log out')));
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  app.append(nav, main);
  return main;
}

function installShortcuts() {
  let pendingG = 0;
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest?.('input, textarea, select, [contenteditable], .xterm, dialog')) return;
    if (event.key === 'g') {
      pendingG = Date.now();
      return;
    }
    if (Date.now() - pendingG < 1200) {
      const item = NAV.find((n) => n.key === event.key);
      pendingG = 0;
      if (item && session.current()) {
        event.preventDefault();
        navigate(item.href.slice(1));
      }
    }
  });
}

function installSkipLink() {
  document.querySelector('.skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('main')?.focus();
  });
}

session.onChange((user, reason) => {
  if (!user) {
    active?.cleanup?.();
    active = null;
    if (reason) toast(reason, 'error');
    navigate('/login');
  }
});

window.addEventListener('hashchange', route);
installShortcuts();
installSkipLink();
route();
