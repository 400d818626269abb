// Client for Wrenn's public REST API (/v1). Every call sends the session's JWT
// as a Bearer token; errors become ApiError carrying the server's message.

import * as session from './session.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function send(method, path, { json, form, raw = false, auth = true } = {}) {
  const headers = {};
  const token = session.current()?.token;
  if (auth && token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body });
  } catch (err) {
    throw new ApiError(0, 'network_error', `Cannot reach the server (${method} ${path}): ${err.message}`);
  }
  if (!response.ok) throw await toError(response, method, path, auth);
  if (raw) return response;
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

async function toError(response, method, path, auth) {
  let code = 'http_' + response.status;
  let message = `${method} ${path} failed with HTTP ${response.status}`;
  try {
    const body = await response.json();
    if (body?.error?.message) {
      code = body.error.code ?? code;
      message = body.error.message;
    }
  } catch {
    // Not a JSON error body (a proxy page, say): keep the generic message.
  }
  if (response.status === 401 && auth && session.current()) {
    session.signOut('Your session has expired. Please log in again.');
  }
  return new ApiError(response.status, code, message);
}

const enc = encodeURIComponent;

export const auth = {
  // Signup answers no token (the same answer whether or not the email was registered): log in next.
  signup: (email, password, invite) =>
    send('POST', '/v1/auth/signup', { json: invite ? { email, password, invite } : { email, password }, auth: false }),
  login: (email, password) => send('POST', '/v1/auth/login', { json: { email, password }, auth: false }),
};

export const apiKeys = {
  list: () => send('GET', '/v1/api-keys'),
  create: (name) => send('POST', '/v1/api-keys', { json: name ? { name } : {} }),
  remove: (id) => send('DELETE', `/v1/api-keys/${enc(id)}`),
};

export const sandboxes = {
  list: () => send('GET', '/v1/sandboxes'),
  get: (id) => send('GET', `/v1/sandboxes/${enc(id)}`),
  create: (spec) => send('POST', '/v1/sandboxes', { json: spec }),
  destroy: (id) => send('DELETE', `/v1/sandboxes/${enc(id)}`),
  pause: (id) => send('POST', `/v1/sandboxes/${enc(id)}/pause`),
  resume: (id) => send('POST', `/v1/sandboxes/${enc(id)}/resume`),
  ping: (id) => send('POST', `/v1/sandboxes/${enc(id)}/ping`),
  metrics: (id) => send('GET', `/v1/sandboxes/${enc(id)}/metrics`),
};

export const files = {
  list: (id, path, depth = 1) =>
    send('GET', `/v1/sandboxes/${enc(id)}/files/list?path=${enc(path)}&depth=${depth}`),
  upload(id, path, file) {
    // The server reads the form as a stream: `path` must come before `file`.
    const form = new FormData();
    form.append('path', path);
    form.append('file', file, file.name);
    return send('POST', `/v1/sandboxes/${enc(id)}/files/write`, { form });
  },
  async download(id, path) {
    const response = await send('POST', `/v1/sandboxes/${enc(id)}/files/read`, { json: { path }, raw: true });
    return response.blob();
  },
};

// Template builds (issue 14): the same API as E2B's Template SDK uses, under /v1/templates.
export const templates = {
  list: () => send('GET', '/v1/templates'),
  get: (id) => send('GET', `/v1/templates/${enc(id)}`),
  status: (id, buildId, offset) =>
    send('GET', `/v1/templates/${enc(id)}/builds/${enc(buildId)}/status?logsOffset=${offset}&limit=100`),
  remove: (id) => send('DELETE', `/v1/templates/${enc(id)}`),
};

export const snapshots = {
  list: () => send('GET', '/v1/snapshots'),
  create: (sandboxId, name) =>
    send('POST', '/v1/snapshots', { json: name ? { sandbox_id: sandboxId, name } : { sandbox_id: sandboxId } }),
  remove: (name) => send('DELETE', `/v1/snapshots/${enc(name)}`),
};
