// API keys: list, create (the secret is shown exactly once), delete.

import { h, fill } from './dom.js';
import * as api from './api.js';
import { absoluteTime, relativeTime } from './format.js';
import { confirmDialog, copyButton, emptyState, field, formDialog, pageHeader, runAction, toast } from './ui.js';

export function renderKeys(main) {
  const body = h('section', { class: 'panel', 'aria-label': 'API keys', 'aria-busy': 'true' }, h('p', { class: 'muted pad' }, 'Loading keys…'));
  const createButton = h('button', { class: 'btn btn-primary', type: 'button', onclick: () => openCreate() }, 'Create key');
  main.append(
    pageHeader('API keys', 'Keys authenticate SDKs and scripts with the X-API-Key header. Each key is shown once, when you create it.', createButton),
    body);

  async function load() {
    try {
      const keys = await api.apiKeys.list();
      body.setAttribute('aria-busy', 'false');
      fill(body, keys.length ? table(keys) : emptyState('No API keys', 'Create a key to use Wrenn from an SDK or the CLI.'));
    } catch (err) {
      fill(body, h('p', { class: 'form-error pad', role: 'alert' }, `Could not load API keys: ${err.message}`));
    }
  }

  function table(keys) {
    return h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ['Name', 'Key', 'Created by', 'Created', 'Last used', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, keys.map((key) => h('tr', { 'data-key-id': key.id },
        h('td', { class: 'strong' }, key.name),
        h('td', {}, h('code', { class: 'mono' }, `${key.key_prefix ?? ''}…`)),
        h('td', { class: 'muted' }, key.creator_email ?? key.created_by ?? '—'),
        h('td', { title: absoluteTime(key.created_at) }, relativeTime(key.created_at)),
        h('td', { class: 'muted', title: absoluteTime(key.last_used) }, key.last_used ? relativeTime(key.last_used) : 'never'),
        h('td', { class: 'row-actions' },
          h('button', { class: 'btn btn-sm btn-danger-ghost', type: 'button', 'aria-label': `Delete key ${key.name}`, onclick: (e) => remove(e.currentTarget, key) }, 'Delete'))))));
  }

  function openCreate() {
    formDialog({
      title: 'Create API key',
      fields: [field({ label: 'Name', name: 'name', hint: 'Where the key will be used, e.g. "ci" or "laptop".', attrs: { autofocus: true, maxlength: 100, placeholder: 'Unnamed API Key' } })],
      submitLabel: 'Create key',
      onSubmit: async (data) => {
        const created = await api.apiKeys.create(String(data.get('name') ?? '').trim());
        await load();
        // Open the reveal after this dialog has closed and restored focus.
        setTimeout(() => reveal(created));
      },
    });
  }

  function reveal(created) {
    const secret = h('input', { class: 'mono secret', type: 'text', readonly: true, value: created.key, 'aria-label': 'New API key', 'data-testid': 'revealed-key', onfocus: (e) => e.target.select() });
    formDialog({
      title: `Key “${created.name}” created`,
      description: 'Copy it now: this is the only time Wrenn shows the full key. Store it somewhere safe.',
      fields: [h('div', { class: 'secret-row' }, secret, copyButton(() => created.key))],
      submitLabel: 'Done',
      cancelLabel: null,
    });
    secret.focus();
  }

  async function remove(button, key) {
    const ok = await confirmDialog({
      title: `Delete key “${key.name}”?`,
      message: 'Anything still using this key will get 401 Unauthorized. This cannot be undone.',
      confirmLabel: 'Delete key',
    });
    if (!ok) return;
    await runAction(button, `Delete key ${key.name}`, async () => {
      await api.apiKeys.remove(key.id);
      toast(`Deleted key ${key.name}`);
      await load();
    });
  }

  load();
  return {};
}
