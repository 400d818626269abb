// Snapshots (templates): list, delete, and start a new sandbox from one.

import { h, fill } from './dom.js';
import * as api from './api.js';
import { absoluteTime, bytes, megabytes, relativeTime } from './format.js';
import { confirmDialog, emptyState, pageHeader, runAction, toast } from './ui.js';

export function renderSnapshots(main) {
  const body = h('section', { class: 'panel', 'aria-label': 'Snapshots', 'aria-busy': 'true' }, h('p', { class: 'muted pad' }, 'Loading snapshots…'));
  main.append(pageHeader('Snapshots', 'Saved memory and disk of a sandbox. Start a new sandbox from one to pick up exactly where it was.'), body);

  async function load() {
    try {
      const list = await api.snapshots.list();
      body.setAttribute('aria-busy', 'false');
      fill(body, list.length ? table(list) : emptyState('No snapshots yet', 'Take one from a running or paused sandbox with its Snapshot action.',
        h('a', { class: 'btn', href: '#/sandboxes' }, 'Go to sandboxes')));
    } catch (err) {
      fill(body, h('p', { class: 'form-error pad', role: 'alert' }, `Could not load snapshots: ${err.message}`));
    }
  }

  function table(list) {
    return h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ['Name', 'Type', 'vCPUs', 'Memory', 'Size', 'Created', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.map((s) => h('tr', { 'data-snapshot': s.name },
        h('td', { class: 'mono strong' }, s.name),
        h('td', {}, h('span', { class: 'tag' }, s.type ?? 'snapshot')),
        h('td', { class: 'num' }, s.vcpus ?? '—'),
        h('td', { class: 'num' }, megabytes(s.memory_mb)),
        h('td', { class: 'num' }, bytes(s.size_bytes)),
        h('td', { title: absoluteTime(s.created_at) }, relativeTime(s.created_at)),
        h('td', { class: 'row-actions' },
          h('button', { class: 'btn btn-sm btn-primary', type: 'button', 'aria-label': `Start a sandbox from ${s.name}`, onclick: (e) => start(e.currentTarget, s) }, 'Start sandbox'),
          s.type !== 'base' && h('button', { class: 'btn btn-sm btn-danger-ghost', type: 'button', 'aria-label': `Delete snapshot ${s.name}`, onclick: (e) => remove(e.currentTarget, s) }, 'Delete'))))));
  }

  function start(button, s) {
    return runAction(button, `Start from ${s.name}`, async () => {
      const created = await api.sandboxes.create({ template: s.name });
      toast(`Started ${created.id} from ${s.name}`, 'success');
      location.hash = `#/sandboxes/${encodeURIComponent(created.id)}`;
    });
  }

  async function remove(button, s) {
    const ok = await confirmDialog({
      title: `Delete snapshot “${s.name}”?`,
      message: 'Its files are removed from the host. Sandboxes already started from it keep running.',
      confirmLabel: 'Delete snapshot',
    });
    if (!ok) return;
    await runAction(button, `Delete ${s.name}`, async () => {
      await api.snapshots.remove(s.name);
      toast(`Deleted snapshot ${s.name}`);
      await load();
    });
  }

  load();
  return {};
}
