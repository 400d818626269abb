#!/usr/bin/env node
// Development mock of the Wrenn control plane: serves the console's static
// files at / and an in-memory version of the public API at /v1, including the
// PTY WebSocket (a pretend shell). Nothing is persisted.
//
//   node dev/mock-server.mjs [--port 8088] [--host 127.0.0.1]

import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomBytes, createHash } from 'node:crypto';
import { extname, join, normalize as normalizePath, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { MockFs, rfc3339 } from './mock-fs.mjs';
import { MockShell } from './mock-shell.mjs';
import { parseMultipart } from './multipart.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const hex = (n) => randomBytes(n).toString('hex');
const now = () => rfc3339(new Date());

class HttpError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function createMockServer() {
  const users = new Map(); // email -> { id, team, email, password }
  const tokens = new Map(); // token -> user
  const keys = new Map(); // id -> key record (with hash)
  const sandboxes = new Map(); // id -> { sandbox, team, fs }
  const templates = new Map(); // name -> { template, team, fs }

  function issue(user) {
    const token = `mock.${Buffer.from(JSON.stringify({ sub: user.id, team: user.team })).toString('base64url')}.${hex(16)}`;
    tokens.set(token, user);
    return { token, user_id: user.id, team_id: user.team, email: user.email };
  }

  function authenticate(req) {
    const apiKey = req.headers['x-api-key'];
    if (apiKey) {
      const hash = createHash('sha256').update(apiKey).digest('hex');
      const key = [...keys.values()].find((k) => k.hash === hash);
      if (!key) throw new HttpError(401, 'unauthorized', 'invalid API key');
      key.record.last_used = now();
      return { team: key.record.team_id };
    }
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!match) throw new HttpError(401, 'unauthorized', 'X-API-Key or Authorization: Bearer <token> required');
    const user = tokens.get(match[1]);
    if (!user) throw new HttpError(401, 'unauthorized', 'invalid or expired token');
    return user;
  }

  function ownSandbox(ctx, id) {
    const entry = sandboxes.get(id);
    if (!entry || entry.team !== ctx.team) throw new HttpError(404, 'not_found', 'sandbox not found');
    return entry;
  }

  function requireRunning(entry) {
    if (entry.sandbox.status !== 'running') {
      throw new HttpError(409, 'invalid_state', `sandbox is not running (status: ${entry.sandbox.status})`);
    }
  }

  const routes = [
    ['POST', /^\/v1\/auth\/signup$/, false, async (req) => {
      const { email = '', password = '' } = await json(req);
      const normal = String(email).trim().toLowerCase();
      if (!normal.includes('@') || normal.length < 3) throw new HttpError(400, 'invalid_request', 'a valid email is required');
      if (String(password).length < 8) throw new HttpError(400, 'invalid_request', 'password must be at least 8 characters');
      // As the real server: the same 202 whether or not the email exists, no token, an existing account unchanged.
      if (!users.has(normal)) users.set(normal, { id: `usr-${hex(4)}`, team: `team-${hex(4)}`, email: normal, password });
      return [202, { email: normal, message: 'if this email had no account, it has one now; log in with POST /v1/auth/login' }];
    }],
    ['POST', /^\/v1\/auth\/login$/, false, async (req) => {
      const { email = '', password = '' } = await json(req);
      if (!email || !password) throw new HttpError(400, 'invalid_request', 'email and password are required');
      const user = users.get(String(email).trim().toLowerCase());
      if (!user || user.password !== password) throw new HttpError(401, 'unauthorized', 'invalid email or password');
      return [200, issue(user)];
    }],
    ['POST', /^\/v1\/api-keys$/, true, async (req, ctx) => {
      const { name } = await json(req);
      const key = `wrn_${hex(16)}`;
      const record = { id: `key-${hex(4)}`, team_id: ctx.team, name: name || 'Unnamed API Key', key_prefix: key.slice(0, 12), created_by: ctx.id, created_at: now() };
      keys.set(record.id, { record, hash: createHash('sha256').update(key).digest('hex'), email: ctx.email });
      return [201, { ...record, key }];
    }],
    ['GET', /^\/v1\/api-keys$/, true, async (_req, ctx) => [200, [...keys.values()]
      .filter((k) => k.record.team_id === ctx.team)
      .map((k) => ({ ...k.record, creator_email: k.email }))
      .reverse()]],
    ['DELETE', /^\/v1\/api-keys\/([^/]+)$/, true, async (_req, ctx, id) => {
      if (keys.get(id)?.record.team_id === ctx.team) keys.delete(id);
      return [204];
    }],
    ['POST', /^\/v1\/sandboxes$/, true, async (req, ctx) => {
      const body = await json(req);
      const template = body.template || 'base';
      if (!SAFE_NAME.test(template)) throw new HttpError(400, 'invalid_request', `invalid template name: ${template}`);
      const snap = templates.get(template);
      if (template !== 'base' && (!snap || snap.team !== ctx.team)) throw new HttpError(404, 'not_found', `template "${template}" not found`);
      const sandbox = {
        id: `sb-${hex(4)}`, status: 'pending', template,
        vcpus: snap?.template.vcpus ?? (body.vcpus > 0 ? body.vcpus : 1),
        memory_mb: snap?.template.memory_mb ?? (body.memory_mb > 0 ? body.memory_mb : 512),
        timeout_sec: body.timeout_sec > 0 ? body.timeout_sec : 0,
        host_ip: `10.11.0.${sandboxes.size + 1}`, created_at: now(), last_updated: now(),
      };
      const entry = { sandbox, team: ctx.team, fs: snap ? snap.fs.clone() : new MockFs() };
      sandboxes.set(sandbox.id, entry);
      // The mock boots "asynchronously" so the console's live list has something to show.
      setTimeout(() => {
        if (sandbox.status === 'pending') Object.assign(sandbox, { status: 'running', started_at: now(), last_active_at: now() });
      }, 700);
      return [201, sandbox];
    }],
    ['GET', /^\/v1\/sandboxes$/, true, async (_req, ctx) => [200, [...sandboxes.values()]
      .filter((e) => e.team === ctx.team && !['stopped', 'error'].includes(e.sandbox.status))
      .map((e) => e.sandbox).reverse()]],
    ['GET', /^\/v1\/sandboxes\/([^/]+)$/, true, async (_req, ctx, id) => [200, ownSandbox(ctx, id).sandbox]],
    ['DELETE', /^\/v1\/sandboxes\/([^/]+)$/, true, async (_req, ctx, id) => {
      const entry = ownSandbox(ctx, id);
      entry.sandbox.status = 'stopped';
      entry.shells?.forEach((close) => close());
      return [204];
    }],
    ['POST', /^\/v1\/sandboxes\/([^/]+)\/pause$/, true, async (_req, ctx, id) => {
      const entry = ownSandbox(ctx, id);
      requireRunning(entry);
      entry.sandbox.status = 'paused';
      entry.shells?.forEach((close) => close());
      return [200, entry.sandbox];
    }],
    ['POST', /^\/v1\/sandboxes\/([^/]+)\/resume$/, true, async (_req, ctx, id) => {
      const entry = ownSandbox(ctx, id);
      if (entry.sandbox.status !== 'paused') throw new HttpError(409, 'invalid_state', `sandbox is not paused (status: ${entry.sandbox.status})`);
      Object.assign(entry.sandbox, { status: 'running', started_at: now(), last_active_at: now() });
      return [200, entry.sandbox];
    }],
    ['POST', /^\/v1\/sandboxes\/([^/]+)\/ping$/, true, async (_req, ctx, id) => {
      const entry = ownSandbox(ctx, id);
      requireRunning(entry);
      entry.sandbox.last_active_at = now();
      return [204];
    }],
    ['GET', /^\/v1\/sandboxes\/([^/]+)\/metrics$/, true, async (_req, ctx, id) => {
      const entry = ownSandbox(ctx, id);
      requireRunning(entry);
      return [200, fakeMetrics(entry.sandbox)];
    }],
    ['GET', /^\/v1\/sandboxes\/([^/]+)\/files\/list$/, true, async (req, ctx, id) => {
      const entry = ownSandbox(ctx, id);
      requireRunning(entry);
      const url = new URL(req.url, 'http://mock');
      const path = url.searchParams.get('path') || '/home/user';
      const entries = entry.fs.list(path, Number(url.searchParams.get('depth') || 1));
      if (!entries) throw new HttpError(404, 'not_found', `directory not found: ${path}`);
      return [200, { entries }];
    }],
    ['POST', /^\/v1\/sandboxes\/([^/]+)\/files\/write$/, true, async (req, ctx, id) => {
      const entry = ownSandbox(ctx, id);
      requireRunning(entry);
      const parts = parseMultipart(req.headers['content-type'], await bodyOf(req));
      const pathIndex = parts.findIndex((p) => p.name === 'path');
      const fileIndex = parts.findIndex((p) => p.name === 'file');
      if (pathIndex < 0 || fileIndex < 0) throw new HttpError(400, 'invalid_request', 'multipart fields "path" and "file" are required');
      if (pathIndex > fileIndex) throw new HttpError(400, 'invalid_request', 'the "path" field must come before "file"');
      const path = parts[pathIndex].data.toString('utf8');
      if (!path.startsWith('/')) throw new HttpError(400, 'invalid_request', 'path must be absolute');
      entry.fs.write(path, parts[fileIndex].data);
      return [204];
    }],
    ['POST', /^\/v1\/sandboxes\/([^/]+)\/files\/read$/, true, async (req, ctx, id) => {
      const entry = ownSandbox(ctx, id);
      requireRunning(entry);
      const { path } = await json(req);
      const content = entry.fs.read(path ?? '');
      if (!content) throw new HttpError(404, 'not_found', `file not found: ${path}`);
      return [200, content, 'application/octet-stream'];
    }],
    ['POST', /^\/v1\/snapshots$/, true, async (req, ctx) => {
      const { sandbox_id, name } = await json(req);
      if (!sandbox_id) throw new HttpError(400, 'invalid_request', 'sandbox_id is required');
      const snapName = name || `template-${hex(4)}`;
      if (!SAFE_NAME.test(snapName)) throw new HttpError(400, 'invalid_request', `invalid snapshot name: ${snapName}`);
      if (templates.has(snapName)) throw new HttpError(409, 'already_exists', `snapshot "${snapName}" already exists`);
      const entry = ownSandbox(ctx, sandbox_id);
      if (!['running', 'paused'].includes(entry.sandbox.status)) throw new HttpError(409, 'invalid_state', 'sandbox must be running or paused');
      entry.sandbox.status = 'paused';
      entry.shells?.forEach((close) => close());
      const template = { name: snapName, type: 'snapshot', vcpus: entry.sandbox.vcpus, memory_mb: entry.sandbox.memory_mb, size_bytes: entry.sandbox.memory_mb * 1048576 + 48_000_000, created_at: now() };
      templates.set(snapName, { template, team: ctx.team, fs: entry.fs.clone() });
      return [201, template];
    }],
    ['GET', /^\/v1\/snapshots$/, true, async (_req, ctx) => [200, [...templates.values()].filter((t) => t.team === ctx.team).map((t) => t.template).reverse()]],
    ['DELETE', /^\/v1\/snapshots\/([^/]+)$/, true, async (_req, ctx, name) => {
      if (templates.get(name)?.team !== ctx.team) throw new HttpError(404, 'not_found', 'template not found');
      templates.delete(name);
      return [204];
    }],
  ];

  async function handleApi(req, res, path) {
    for (const [method, pattern, needsAuth, handler] of routes) {
      const match = pattern.exec(path);
      if (!match || method !== req.method) continue;
      const ctx = needsAuth ? authenticate(req) : null;
      const [status, body, type] = await handler(req, ctx, ...match.slice(1).map(decodeURIComponent));
      if (body === undefined) return res.writeHead(status).end();
      if (Buffer.isBuffer(body)) return res.writeHead(status, { 'Content-Type': type }).end(body);
      return res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    }
    throw new HttpError(404, 'not_found', `no route for ${req.method} ${path}`);
  }

  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url, 'http://mock').pathname;
    try {
      if (path.startsWith('/v1/')) await handleApi(req, res, path);
      else await serveStatic(res, path);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      const code = err instanceof HttpError ? err.code : 'internal_error';
      if (status === 500) console.error(err);
      if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code, message: err.message } }));
    }
  });

  attachPty(server, { tokens, sandboxes });
  return server;
}

function attachPty(server, { tokens, sandboxes }) {
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const match = /^\/v1\/sandboxes\/([^/]+)\/pty$/.exec(new URL(req.url, 'http://mock').pathname);
    if (!match) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => runPty(ws, decodeURIComponent(match[1]), { tokens, sandboxes }));
  });
}

function runPty(ws, id, { tokens, sandboxes }) {
  const send = (m) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m));
  const fail = (data) => {
    send({ type: 'error', data });
    ws.close(1008, data.slice(0, 100));
  };
  let user = null;
  let shell = null;
  const authTimer = setTimeout(() => !user && fail('authentication timed out: send {"type":"auth"} first'), 5000);
  ws.on('close', () => clearTimeout(authTimer));
  ws.on('message', (raw) => {
    let msg;
    try {
      msg = JSON.parse(raw.toString());
    } catch {
      return fail('frames must be JSON');
    }
    if (!user) {
      if (msg.type !== 'auth' || !tokens.has(msg.token)) return fail('invalid or expired token');
      user = tokens.get(msg.token);
      return;
    }
    const entry = sandboxes.get(id);
    if (!shell) {
      if (msg.type !== 'start') return fail('first frame after auth must be "start"');
      if (!entry || entry.team !== user.team) return fail('sandbox not found');
      if (entry.sandbox.status !== 'running') return fail(`sandbox is not running (status: ${entry.sandbox.status})`);
      shell = new MockShell({
        sandboxId: id, fs: entry.fs,
        write: (text) => send({ type: 'output', data: Buffer.from(text, 'utf8').toString('base64') }),
        exit: (code) => {
          send({ type: 'exit', exit_code: code });
          ws.close(1000, 'process exited');
        },
      });
      shell.resize(msg.cols ?? 80, msg.rows ?? 24);
      entry.shells = [...(entry.shells ?? []), () => fail('sandbox stopped running')];
      send({ type: 'started', pid: 1000 + Math.floor(Math.random() * 9000) });
      shell.start();
      return;
    }
    if (msg.type === 'input') shell.input(Buffer.from(msg.data ?? '', 'base64').toString('utf8'));
    else if (msg.type === 'resize') shell.resize(msg.cols, msg.rows);
  });
}

function fakeMetrics(sandbox) {
  // Deterministic wobble per sandbox so charts look alive but reproducible.
  const seed = [...sandbox.id].reduce((a, c) => a + c.charCodeAt(0), 0);
  const end = Math.floor(Date.now() / 2000) * 2000;
  const start = Math.max(Date.parse(sandbox.created_at), end - 120_000);
  const total = sandbox.memory_mb * 1048576;
  const out = [];
  for (let t = start - (start % 2000); t <= end; t += 2000) {
    const phase = t / 15000 + seed;
    const cpu = 12 + 18 * (1 + Math.sin(phase)) / 2 + 8 * Math.abs(Math.sin(phase * 3.7));
    const mem = total * (0.28 + 0.08 * Math.sin(phase / 2) + 0.02 * Math.sin(phase * 5));
    out.push({ timestamp: rfc3339(new Date(t)), cpu_count: sandbox.vcpus, cpu_used_pct: Math.round(cpu * 10) / 10, mem_used: Math.round(mem), mem_total: total });
  }
  return out;
}

async function serveStatic(res, path) {
  const file = path === '/' ? 'index.html' : path.slice(1);
  const full = normalizePath(join(ROOT, file));
  const allowed = file === 'index.html' || file.startsWith('src/') || file.startsWith('vendor/');
  if (!allowed || !full.startsWith(ROOT)) throw new HttpError(404, 'not_found', `no file ${path}`);
  let data;
  try {
    data = await readFile(full);
  } catch {
    throw new HttpError(404, 'not_found', `no file ${path}${file.startsWith('vendor/') ? ' (run ./build.sh first)' : ''}`);
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(full)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
  res.end(data);
}

async function bodyOf(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function json(req) {
  const raw = (await bodyOf(req)).toString('utf8');
  if (!raw) return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'invalid_request', 'request body must be JSON');
  }
}

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = createMockServer();
  const host = option('host', '127.0.0.1');
  server.listen(Number(option('port', 8088)), host, () => {
    console.log(`Wrenn console mock listening on http://${host}:${server.address().port}/`);
  });
}
