// Sandboxes: a live list (polled) with create, pause, resume, snapshot, destroy.
// Rows are keyed by id and only rebuilt when a sandbox changes, so keyboard
// focus survives the refreshes.

import { h } from './dom.js';
import * as api from './api.js';
import { absoluteTime, duration, megabytes, relativeTime } from './format.js';
import { emptyState, pageHeader, statusBadge } from './ui.js';
import { poll } from './poller.js';
import { actionButtons, openCreateDialog } from './sandbox-actions.js';

const REFRESH_MS = 3000;
const COLUMNS = ['Sandbox', 'Status', 'Template', 'Resources', 'Timeout', 'Host IP', 'Created', 'Last active', ''];

export function renderSandboxes(main) {
  const rows = new Map(); // id -> { tr, signature }
  const tbody = h('tbody');
  const table = h('table', { class: 'table', 'aria-label': 'Sandboxes' },
    h('thead', {}, h('tr', {}, COLUMNS.map((t) => h('th', { scope: 'col' }, t)))), tbody);
  const empty = emptyState('No sandboxes running', 'Start one from a base template or from a snapshot.',
    h('button', { class: 'btn btn-primary', type: 'button', onclick: () => create() }, 'New sandbox'));
  const error = h('p', { class: 'form-error pad', role: 'alert', hidden: true });
  const liveness = h('span', { class: 'live muted', 'aria-live': 'off' }, 'Loading…');
  const filter = h('input', { class: 'filter', type: 'search', placeholder: 'Filter by id, template or status  ( / )', 'aria-label': 'Filter sandboxes', oninput: () => render() });
  const panel = h('section', { class: 'panel', 'aria-busy': 'true' }, error, table, empty);
  empty.hidden = true;
  main.append(
    pageHeader('Sandboxes', 'MicroVMs running or paused for your team.',
      liveness,
      h('button', { class: 'btn btn-primary', type: 'button', 'data-action': 'new-sandbox', onclick: () => create() }, 'New sandbox')),
    h('div', { class: 'toolbar' }, filter),
    panel);

  let latest = [];
  const poller = poll(load, REFRESH_MS);
  // "/" jumps to the filter, as in most developer tools.
  const onSlash = (event) => {
    if (event.key !== '/' || event.target.closest?.('input, textarea, select, dialog, .xterm')) return;
    event.preventDefault();
    filter.focus();
  };
  document.addEventListener('keydown', onSlash);

  async function load() {
    try {
      latest = await api.sandboxes.list();
      error.hidden = true;
      panel.setAttribute('aria-busy', 'false');
      liveness.textContent = `Live · ${latest.length} sandbox${latest.length === 1 ? '' : 'es'}`;
      render();
    } catch (err) {
      error.textContent = `Could not load sandboxes: ${err.message}`;
      error.hidden = false;
    }
  }

  function create() {
    openCreateDialog({ onCreated: () => poller.now() });
  }

  function render() {
    const q = filter.value.trim().toLowerCase();
    const visible = latest.filter((s) => !q || [s.id, s.template, s.status].some((v) => String(v ?? '').toLowerCase().includes(q)));
    const seen = new Set();
    visible.forEach((sandbox, index) => {
      seen.add(sandbox.id);
      const signature = JSON.stringify(sandbox);
      let row = rows.get(sandbox.id);
      if (!row || row.signature !== signature) {
        const tr = buildRow(sandbox);
        if (row) replaceKeepingFocus(row.tr, tr);
        row = { tr, signature };
        rows.set(sandbox.id, row);
      } else {
        refreshTimes(row.tr, sandbox);
      }
      if (tbody.children[index] !== row.tr) tbody.insertBefore(row.tr, tbody.children[index] ?? null);
    });
    for (const [id, row] of rows) {
      if (!seen.has(id)) {
        row.tr.remove();
        rows.delete(id);
      }
    }
    table.hidden = visible.length === 0;
    empty.hidden = latest.length !== 0;
  }

  function buildRow(s) {
    return h('tr', { 'data-sandbox-id': s.id, 'data-status': s.status },
      h('td', {}, h('a', { class: 'mono id-link', href: `#/sandboxes/${encodeURIComponent(s.id)}` }, s.id)),
      h('td', {}, statusBadge(s.status)),
      h('td', { class: 'mono' }, s.template ?? '—'),
      h('td', { class: 'num' }, `${s.vcpus ?? '?'} vCPU${s.vcpus === 1 ? '' : 's'} · ${megabytes(s.memory_mb)}`),
      h('td', { class: 'num' }, duration(s.timeout_sec)),
      h('td', { class: 'mono muted' }, s.host_ip || '—'),
      h('td', { 'data-time': 'created_at', title: absoluteTime(s.created_at) }, relativeTime(s.created_at)),
      h('td', { 'data-time': 'last_active_at', title: absoluteTime(s.last_active_at) }, relativeTime(s.last_active_at)),
      h('td', { class: 'row-actions' }, actionButtons(s, { refresh: () => poller.now(), onDestroyed: () => poller.now() })));
  }

  function refreshTimes(tr, s) {
    tr.querySelectorAll('[data-time]').forEach((td) => (td.textContent = relativeTime(s[td.dataset.time])));
  }

  return {
    cleanup() {
      poller.stop();
      document.removeEventListener('keydown', onSlash);
    },
  };
}

function replaceKeepingFocus(oldRow, newRow) {
  const focused = oldRow.contains(document.activeElement) ? document.activeElement : null;
  oldRow.replaceWith(newRow);
  if (!focused) return;
  const action = focused.dataset?.action;
  const target = (action && newRow.querySelector(`[data-action="${action}"]`)) || newRow.querySelector('a, button');
  target?.focus();
}
