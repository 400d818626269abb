// Log in and sign up: one form, two modes (#/login and #/signup[/<invitation token>]).

import { h } from './dom.js';
import * as api from './api.js';
import * as session from './session.js';

const COPY = {
  login: { title: 'Log in to Wrenn', submit: 'Log in', switchText: 'No account yet?', switchLink: 'Create one', switchTo: '#/signup' },
  signup: { title: 'Create your Wrenn account', submit: 'Sign up', switchText: 'Already have an account?', switchLink: 'Log in', switchTo: '#/login' },
};

export function renderLogin(main, mode, invite) {
  const copy = COPY[mode];
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const email = h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'email', required: true, autofocus: true });
  const password = h('input', {
    id: 'password', name: 'password', type: 'password', required: true,
    minlength: mode === 'signup' ? 8 : undefined,
    autocomplete: mode === 'signup' ? 'new-password' : 'current-password',
    'aria-describedby': mode === 'signup' ? 'password-hint' : undefined,
  });
  const submit = h('button', { class: 'btn btn-primary btn-block', type: 'submit' }, copy.submit);
  const form = h('form', { class: 'auth-form', 'aria-labelledby': 'auth-title' },
    h('div', { class: 'field' }, h('label', { for: 'email' }, 'Email'), email),
    h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), password,
      mode === 'signup' && h('small', { id: 'password-hint', class: 'field-hint' }, 'At least 8 characters.')),
    error,
    submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    submit.disabled = true;
    error.hidden = true;
    try {
      if (mode === 'signup') await api.auth.signup(email.value.trim(), password.value, invite);
      session.signIn(await api.auth.login(email.value.trim(), password.value));
      location.hash = '#/sandboxes';
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
      password.select();
    } finally {
      submit.disabled = false;
    }
  });

  main.append(h('div', { class: 'auth' },
    h('div', { class: 'auth-card' },
      h('div', { class: 'auth-brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'W'), 'wrenn'),
      h('h1', { id: 'auth-title' }, copy.title),
      h('p', { class: 'muted' }, 'Sandboxes for untrusted code, in microVMs you run yourself.'),
      invite && h('p', { class: 'muted', 'data-testid': 'invited' }, 'You were invited: your account joins the inviting team.'),
      form,
      h('p', { class: 'auth-switch muted' }, copy.switchText, ' ', h('a', { href: copy.switchTo }, copy.switchLink)))));
  email.focus();
  return {};
}
