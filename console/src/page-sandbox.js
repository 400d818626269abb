// One sandbox: summary, actions, and tabs for terminal, files and metrics.
// Switching tabs keeps the page (and its polling); a tab is rebuilt when the
// sandbox starts or stops running, since all three need a running VM.

import { h, clear, fill } from './dom.js';
import * as api from './api.js';
import { absoluteTime, duration, megabytes, relativeTime } from './format.js';
import { statusBadge } from './ui.js';
import { poll } from './poller.js';
import { actionButtons } from './sandbox-actions.js';
import { renderTerminal } from './tab-terminal.js';
import { renderFiles } from './tab-files.js';
import { renderMetrics } from './tab-metrics.js';

const TABS = [
  { id: 'terminal', label: 'Terminal', render: renderTerminal },
  { id: 'files', label: 'Files', render: renderFiles },
  { id: 'metrics', label: 'Metrics', render: renderMetrics },
];
const REFRESH_MS = 4000;

export function renderSandbox(main, rawId, initialTab = 'terminal') {
  const id = decodeURIComponent(rawId);
  let sandbox = null;
  let tab = initialTab ?? 'terminal';
  let tabState = null; // { cleanup, runningKey }

  const title = h('h1', { class: 'mono' }, id);
  const badge = h('span');
  const facts = h('dl', { class: 'facts' });
  const actions = h('div', { class: 'page-actions' });
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Sandbox views' });
  const panel = h('section', { class: 'tab-panel', role: 'tabpanel', id: 'tab-panel' });
  main.classList.add('main-detail');
  main.append(
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/sandboxes' }, 'Sandboxes'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', { class: 'mono' }, id)),
    h('header', { class: 'page-head' }, h('div', { class: 'page-title' }, h('div', { class: 'title-row' }, title, badge), facts), actions),
    tablist,
    panel);

  const poller = poll(load, REFRESH_MS);

  async function load() {
    try {
      const next = await api.sandboxes.get(id);
      const changed = JSON.stringify(next) !== JSON.stringify(sandbox);
      sandbox = next;
      if (changed) renderSummary();
      renderTab();
    } catch (err) {
      if (err.status === 404) return gone(`Sandbox ${id} no longer exists.`);
      if (!sandbox) fill(panel, h('p', { class: 'form-error pad', role: 'alert' }, `Could not load sandbox ${id}: ${err.message}`));
    }
  }

  function gone(message) {
    poller.stop();
    tabState?.cleanup?.();
    tabState = null;
    clear(actions);
    fill(badge, statusBadge('stopped'));
    clear(tablist);
    fill(panel, h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, message), h('a', { href: '#/sandboxes' }, 'Back to sandboxes')));
  }

  function renderSummary() {
    fill(badge, statusBadge(sandbox.status));
    fill(facts, 
      fact('Template', h('span', { class: 'mono' }, sandbox.template ?? '—')),
      fact('vCPUs', sandbox.vcpus ?? '—'),
      fact('Memory', megabytes(sandbox.memory_mb)),
      fact('Timeout', duration(sandbox.timeout_sec)),
      fact('Host IP', h('span', { class: 'mono' }, sandbox.host_ip || '—')),
      fact('Created', h('span', { title: absoluteTime(sandbox.created_at) }, relativeTime(sandbox.created_at))),
      Object.keys(sandbox.metadata ?? {}).length > 0 && fact('Metadata', h('span', { class: 'mono' },
        Object.entries(sandbox.metadata).map(([k, v]) => `${k}=${v}`).join('  '))));
    const focusedAction = actions.contains(document.activeElement) ? document.activeElement.dataset.action : null;
    fill(actions, actionButtons(sandbox, {
      compact: false,
      refresh: (updated) => (updated?.id ? apply(updated) : poller.now()),
      onDestroyed: () => gone(`Sandbox ${id} was destroyed.`),
    }));
    if (focusedAction) (actions.querySelector(`[data-action="${focusedAction}"]`) ?? actions.querySelector('button'))?.focus();
    renderTabs();
  }

  function apply(updated) {
    sandbox = updated;
    renderSummary();
    renderTab();
  }

  function renderTabs() {
    fill(tablist, TABS.map((t) => h('a', {
      role: 'tab', id: `tab-${t.id}`, href: `#/sandboxes/${encodeURIComponent(id)}/${t.id}`,
      'aria-selected': String(t.id === tab), 'aria-controls': 'tab-panel', tabindex: t.id === tab ? '0' : '-1',
      class: 'tab', onkeydown: onTabKey,
    }, t.label)));
    panel.setAttribute('aria-labelledby', `tab-${tab}`);
  }

  // Arrow keys move between tabs, as in any tablist.
  function onTabKey(event) {
    const index = TABS.findIndex((t) => t.id === tab);
    const delta = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!delta) return;
    event.preventDefault();
    const next = TABS[(index + delta + TABS.length) % TABS.length];
    location.hash = `#/sandboxes/${encodeURIComponent(id)}/${next.id}`;
  }

  function renderTab() {
    if (!sandbox) return;
    const running = sandbox.status === 'running';
    const key = `${tab}:${running}`;
    if (tabState?.key === key) return;
    tabState?.cleanup?.();
    clear(panel);
    const def = TABS.find((t) => t.id === tab);
    if (!running) {
      panel.append(notRunning(def.label));
      tabState = { key };
      return;
    }
    const result = def.render(panel, sandbox) ?? {};
    tabState = { key, cleanup: result.cleanup };
  }

  function notRunning(label) {
    const why = sandbox.status === 'paused' ? 'This sandbox is paused.' : `This sandbox is ${sandbox.status}.`;
    return h('div', { class: 'empty' },
      h('p', { class: 'empty-title' }, why),
      h('p', { class: 'muted' }, `${label} needs a running sandbox.`),
      sandbox.status === 'paused' && actions.querySelector('[data-action="resume"]') && h('button', {
        class: 'btn btn-primary', type: 'button',
        onclick: () => actions.querySelector('[data-action="resume"]')?.click(),
      }, 'Resume sandbox'));
  }

  return {
    cleanup() {
      poller.stop();
      tabState?.cleanup?.();
      main.classList.remove('main-detail');
    },
    update(_id, nextTab) {
      tab = nextTab ?? 'terminal';
      if (!sandbox) return;
      renderTabs();
      document.getElementById(`tab-${tab}`)?.focus({ preventScroll: true });
      renderTab();
    },
  };
}

function fact(label, value) {
  return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
}
