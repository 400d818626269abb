// Pure helpers of the console, run under Node (no browser needed).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64, ptyUrl, toBase64 } from '../src/pty.js';
import { mergeSamples } from '../src/tab-metrics.js';
import { joinPath, parentOf } from '../src/tab-files.js';
import { bytes, duration } from '../src/format.js';

test('terminal input survives the base64 round trip, multi-byte characters included', () => {
  const text = 'echo héllo → ✓ 🐦\r';
  const bytesIn = new TextEncoder().encode(text);
  assert.equal(new TextDecoder().decode(fromBase64(toBase64(bytesIn))), text);
});

test('the PTY socket uses wss on https pages and ws on http pages, same host', () => {
  assert.equal(ptyUrl('sb-1', { protocol: 'https:', host: 'wrenn.example:8443' }), 'wss://wrenn.example:8443/v1/sandboxes/sb-1/pty');
  assert.equal(ptyUrl('sb-1', { protocol: 'http:', host: '127.0.0.1:8080' }), 'ws://127.0.0.1:8080/v1/sandboxes/sb-1/pty');
});

test('metric samples are merged by timestamp and old ones fall out of the window', () => {
  const now = Date.parse('2026-05-01T12:00:00Z');
  const window = new Map();
  const sample = (iso, cpu) => ({ timestamp: iso, cpu_count: 1, cpu_used_pct: cpu, mem_used: 1, mem_total: 2 });
  mergeSamples(window, [sample('2026-05-01T11:45:00Z', 1), sample('2026-05-01T11:59:58Z', 2)], now);
  const merged = mergeSamples(window, [sample('2026-05-01T11:59:58Z', 3), sample('2026-05-01T12:00:00Z', 4)], now);
  assert.deepEqual(merged.map(([, s]) => s.cpu_used_pct), [3, 4]);
});

test('file paths go up to the parent and join names without doubled slashes', () => {
  assert.equal(parentOf('/home/user/projects'), '/home/user');
  assert.equal(parentOf('/home'), '/');
  assert.equal(parentOf('/'), '/');
  assert.equal(joinPath('/home/user/', 'a.txt'), '/home/user/a.txt');
  assert.equal(joinPath('/', 'etc'), '/etc');
});

test('sizes and durations read like a person would write them', () => {
  assert.equal(bytes(512), '512 B');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(bytes(536870912), '512 MiB');
  assert.equal(duration(0), 'none');
  assert.equal(duration(300), '5m');
  assert.equal(duration(3660), '1h 1m');
});
