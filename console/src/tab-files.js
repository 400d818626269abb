// Files tab: browse directories, upload (button or drag and drop), download.

import { h, fill } from './dom.js';
import * as api from './api.js';
import { absoluteTime, bytes, relativeTime } from './format.js';
import { runAction, toast } from './ui.js';

const HOME = '/home/user';

export function parentOf(path) {
  const trimmed = path.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return cut <= 0 ? '/' : trimmed.slice(0, cut);
}

export function joinPath(dir, name) {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

export function renderFiles(panel, sandbox) {
  let cwd = HOME;
  const pathInput = h('input', { class: 'mono path-input', type: 'text', value: cwd, 'aria-label': 'Directory path', spellcheck: 'false', autocomplete: 'off' });
  const up = h('button', { class: 'btn btn-sm', type: 'button', 'aria-label': 'Parent directory', title: 'Parent directory', onclick: () => go(parentOf(cwd)) }, '↑ Up');
  const refresh = h('button', { class: 'btn btn-sm', type: 'button', onclick: () => load() }, 'Refresh');
  const picker = h('input', { type: 'file', multiple: true, hidden: true, 'data-testid': 'upload-input', onchange: () => upload([...picker.files]) });
  const uploadButton = h('button', { class: 'btn btn-sm btn-primary', type: 'button', onclick: () => picker.click() }, 'Upload files');
  const pathForm = h('form', { class: 'path-form', onsubmit: (e) => { e.preventDefault(); go(pathInput.value.trim() || '/'); } }, pathInput);
  const listing = h('div', { class: 'files-list', 'aria-live': 'polite', 'aria-busy': 'true' });
  const drop = h('div', { class: 'files-drop' }, listing, h('div', { class: 'drop-hint', 'aria-hidden': 'true' }, 'Drop files to upload here'));
  panel.append(h('div', { class: 'files' }, h('div', { class: 'toolbar' }, up, pathForm, refresh, uploadButton, picker), drop));

  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('is-dragging');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('is-dragging'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('is-dragging');
    upload([...(e.dataTransfer?.files ?? [])]);
  });

  function go(path) {
    cwd = path.startsWith('/') ? path : joinPath(cwd, path);
    pathInput.value = cwd;
    load();
  }

  async function load() {
    listing.setAttribute('aria-busy', 'true');
    try {
      const { entries = [] } = await api.files.list(sandbox.id, cwd, 1);
      fill(listing, entries.length ? table(sortEntries(entries)) : h('p', { class: 'muted pad' }, 'This directory is empty. Drop files here or use Upload.'));
    } catch (err) {
      fill(listing, h('p', { class: 'form-error pad', role: 'alert' }, `Could not list ${cwd}: ${err.message}`));
    } finally {
      listing.setAttribute('aria-busy', 'false');
    }
  }

  function table(entries) {
    return h('table', { class: 'table', 'aria-label': `Files in ${cwd}` },
      h('thead', {}, h('tr', {}, ['Name', 'Size', 'Permissions', 'Modified', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, entries.map((entry) => h('tr', { 'data-path': entry.path, 'data-type': entry.type },
        h('td', {}, nameCell(entry)),
        h('td', { class: 'num' }, entry.type === 'dir' ? '—' : bytes(entry.size)),
        h('td', { class: 'mono muted' }, entry.permissions ?? ''),
        h('td', { title: absoluteTime(entry.modified_time) }, relativeTime(entry.modified_time)),
        h('td', { class: 'row-actions' }, entry.type !== 'dir' && h('button', {
          class: 'btn btn-sm', type: 'button', 'aria-label': `Download ${entry.name}`,
          onclick: (e) => download(e.currentTarget, entry),
        }, 'Download'))))));
  }

  function nameCell(entry) {
    const icon = h('span', { class: `file-icon file-icon-${entry.type}`, 'aria-hidden': 'true' });
    if (entry.type === 'dir') {
      return h('button', { class: 'link-button mono', type: 'button', onclick: () => go(entry.path) }, icon, `${entry.name}/`);
    }
    return h('span', { class: 'mono' }, icon, entry.name);
  }

  async function upload(list) {
    if (!list.length) return;
    await runAction(uploadButton, 'Upload', async () => {
      for (const file of list) {
        await api.files.upload(sandbox.id, joinPath(cwd, file.name), file);
      }
      toast(list.length === 1 ? `Uploaded ${list[0].name}` : `Uploaded ${list.length} files`, 'success');
    });
    picker.value = '';
    await load();
  }

  function download(button, entry) {
    return runAction(button, `Download ${entry.name}`, async () => {
      const blob = await api.files.download(sandbox.id, entry.path);
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: entry.name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
  }

  load();
  return {};
}

function sortEntries(entries) {
  return [...entries].sort((a, b) => (a.type === 'dir') === (b.type === 'dir') ? a.name.localeCompare(b.name) : a.type === 'dir' ? -1 : 1);
}
