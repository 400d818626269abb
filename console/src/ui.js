// Shared UI pieces: toasts, modal dialogs, status badges, page headers.

import { h } from './dom.js';

export function toast(message, kind = 'info') {
  const host = document.getElementById('toasts');
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : undefined }, message);
  host.append(el);
  setTimeout(() => el.classList.add('toast-leaving'), kind === 'error' ? 6000 : 3000);
  setTimeout(() => el.remove(), kind === 'error' ? 6400 : 3400);
}

// A modal form. Native <dialog> gives us the focus trap, Escape to close and
// the inert page behind it; Enter in any field submits the form.
export function formDialog({ title, description, fields = [], submitLabel = 'Save', cancelLabel = 'Cancel', danger = false, onSubmit }) {
  const previous = document.activeElement;
  const error = h('p', { class: 'dialog-error', role: 'alert', hidden: true });
  const submit = h('button', { class: danger ? 'btn btn-danger' : 'btn btn-primary', type: 'submit' }, submitLabel);
  const cancel = cancelLabel && h('button', { class: 'btn', type: 'button', onclick: () => dialog.close() }, cancelLabel);
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('header', { class: 'dialog-head' }, h('h2', { id: 'dialog-title' }, title)),
    description && h('p', { class: 'dialog-desc' }, description),
    h('div', { class: 'dialog-body' }, fields),
    error,
    h('footer', { class: 'dialog-foot' }, cancel, submit));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' }, form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    submit.disabled = true;
    submit.classList.add('is-busy');
    error.hidden = true;
    try {
      const keepOpen = await onSubmit?.(new FormData(form), dialog);
      if (keepOpen !== true) dialog.close();
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    } finally {
      submit.disabled = false;
      submit.classList.remove('is-busy');
    }
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (previous?.isConnected) previous.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  const first = form.querySelector('[autofocus], input, select, textarea') ?? (danger ? cancel : submit);
  first.focus();
  return dialog;
}

export function confirmDialog({ title, message, confirmLabel = 'Confirm', danger = true }) {
  return new Promise((resolve) => {
    let confirmed = false;
    const dialog = formDialog({
      title,
      description: message,
      submitLabel: confirmLabel,
      danger,
      onSubmit: () => {
        confirmed = true;
      },
    });
    dialog.addEventListener('close', () => resolve(confirmed));
  });
}

export function field({ label, name, type = 'text', value, hint, attrs = {}, options }) {
  const id = `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  const control = options
    ? h('select', { id, name, ...attrs }, options.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value) }, o.label)))
    : h('input', { id, name, type, value, ...attrs });
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint && h('small', { id: hintId, class: 'field-hint' }, hint));
}

const STATUS_LABELS = { pending: 'Pending', running: 'Running', paused: 'Paused', stopped: 'Stopped', error: 'Error' };

export function statusBadge(status) {
  return h('span', { class: `badge badge-${status}`, 'data-status': status },
    h('span', { class: 'badge-dot', 'aria-hidden': 'true' }), STATUS_LABELS[status] ?? status);
}

export function pageHeader(title, subtitle, ...actions) {
  return h('header', { class: 'page-head' },
    h('div', { class: 'page-title' }, h('h1', {}, title), subtitle && h('p', { class: 'muted' }, subtitle)),
    h('div', { class: 'page-actions' }, actions));
}

export function emptyState(title, text, action) {
  return h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, title), h('p', { class: 'muted' }, text), action);
}

// Runs an action from a button: disables it meanwhile and reports failure.
export async function runAction(button, label, fn) {
  if (button) {
    button.disabled = true;
    button.classList.add('is-busy');
  }
  try {
    return await fn();
  } catch (err) {
    toast(`${label}: ${err.message}`, 'error');
    return undefined;
  } finally {
    if (button) {
      button.disabled = false;
      button.classList.remove('is-busy');
    }
  }
}

export function copyButton(getText, label = 'Copy') {
  const button = h('button', { class: 'btn btn-sm', type: 'button' }, label);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(getText());
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select and copy';
    }
    setTimeout(() => (button.textContent = label), 1500);
  });
  return button;
}
