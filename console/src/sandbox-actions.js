// Sandbox operations shared by the list and the detail page. Each one asks
// for confirmation where it destroys something and reports failures as toasts.

import { h } from './dom.js';
import * as api from './api.js';
import { confirmDialog, field, formDialog, runAction, toast } from './ui.js';

export const DEFAULT_TEMPLATE = 'base'; // the image every Wrenn host has (images/build.sh)

export async function openCreateDialog({ template = DEFAULT_TEMPLATE, onCreated } = {}) {
  const known = await api.snapshots.list().catch(() => []);
  const names = [DEFAULT_TEMPLATE, ...known.map((s) => s.name).filter((n) => n !== DEFAULT_TEMPLATE)];
  const list = h('datalist', { id: 'template-options' }, names.map((n) => h('option', { value: n })));
  formDialog({
    title: 'New sandbox',
    fields: [
      field({ label: 'Template', name: 'template', value: template, hint: 'A base image or one of your snapshots.', attrs: { list: 'template-options', required: true, autofocus: true, spellcheck: 'false', autocomplete: 'off' } }),
      list,
      h('div', { class: 'field-row' },
        field({ label: 'vCPUs', name: 'vcpus', value: 1, options: [1, 2, 4, 8].map((n) => ({ value: n, label: String(n) })) }),
        field({ label: 'Memory', name: 'memory_mb', value: 512, options: [256, 512, 1024, 2048, 4096, 8192].map((n) => ({ value: n, label: n >= 1024 ? `${n / 1024} GiB` : `${n} MiB` })) }),
        field({ label: 'Timeout (s)', name: 'timeout_sec', type: 'number', value: 0, hint: '0 keeps it running until you stop it.', attrs: { min: 0, step: 1, inputmode: 'numeric' } })),
    ],
    submitLabel: 'Create sandbox',
    onSubmit: async (data) => {
      const created = await api.sandboxes.create({
        template: String(data.get('template')).trim(),
        vcpus: Number(data.get('vcpus')),
        memory_mb: Number(data.get('memory_mb')),
        timeout_sec: Number(data.get('timeout_sec') || 0),
      });
      toast(`Created sandbox ${created.id}`, 'success');
      onCreated?.(created);
    },
  });
}

export function pause(button, sandbox, done) {
  return runAction(button, `Pause ${sandbox.id}`, async () => {
    done?.(await api.sandboxes.pause(sandbox.id));
  });
}

export function resume(button, sandbox, done) {
  return runAction(button, `Resume ${sandbox.id}`, async () => {
    done?.(await api.sandboxes.resume(sandbox.id));
  });
}

export async function destroy(button, sandbox, done) {
  const ok = await confirmDialog({
    title: `Destroy ${sandbox.id}?`,
    message: 'The VM and everything in it are deleted. Snapshots you took stay.',
    confirmLabel: 'Destroy sandbox',
  });
  if (!ok) return;
  await runAction(button, `Destroy ${sandbox.id}`, async () => {
    await api.sandboxes.destroy(sandbox.id);
    toast(`Destroyed ${sandbox.id}`);
    done?.();
  });
}

export function snapshot(sandbox, done) {
  formDialog({
    title: `Snapshot ${sandbox.id}`,
    description: sandbox.status === 'running'
      ? 'The sandbox is paused while its memory and disk are saved, and stays paused afterwards.'
      : 'Saves the paused sandbox\u2019s memory and disk as a template you can start new sandboxes from.',
    fields: [field({ label: 'Name', name: 'name', hint: 'Letters, digits, dots, dashes and underscores. Leave empty for a generated name.', attrs: { autofocus: true, spellcheck: 'false', autocomplete: 'off', pattern: '[A-Za-z0-9._-]*', maxlength: 64 } })],
    submitLabel: 'Take snapshot',
    onSubmit: async (data) => {
      const created = await api.snapshots.create(sandbox.id, String(data.get('name') ?? '').trim());
      toast(`Snapshot ${created.name} saved`, 'success');
      done?.(created);
    },
  });
}

// The actions that make sense for a sandbox in its current state.
export function actionButtons(sandbox, { refresh, onDestroyed, compact = true }) {
  const size = compact ? 'btn btn-sm' : 'btn';
  const buttons = [];
  if (sandbox.status === 'running') {
    buttons.push(h('button', { class: size, type: 'button', 'data-action': 'pause', 'aria-label': `Pause ${sandbox.id}`, onclick: (e) => pause(e.currentTarget, sandbox, refresh) }, 'Pause'));
  }
  if (sandbox.status === 'paused') {
    buttons.push(h('button', { class: size, type: 'button', 'data-action': 'resume', 'aria-label': `Resume ${sandbox.id}`, onclick: (e) => resume(e.currentTarget, sandbox, refresh) }, 'Resume'));
  }
  if (sandbox.status === 'running' || sandbox.status === 'paused') {
    buttons.push(h('button', { class: size, type: 'button', 'data-action': 'snapshot', 'aria-label': `Snapshot ${sandbox.id}`, onclick: () => snapshot(sandbox, () => refresh?.()) }, 'Snapshot'));
  }
  buttons.push(h('button', { class: `${size} btn-danger-ghost`, type: 'button', 'data-action': 'destroy', 'aria-label': `Destroy ${sandbox.id}`, onclick: (e) => destroy(e.currentTarget, sandbox, onDestroyed) }, 'Destroy'));
  return buttons;
}
