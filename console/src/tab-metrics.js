// Metrics tab: CPU and memory of the guest, polled every few seconds and kept
// in a rolling client-side window (samples are merged by timestamp).

import { h } from './dom.js';
import * as api from './api.js';
import { bytes, percent } from './format.js';
import { poll } from './poller.js';
import { createChart } from './chart.js';

const POLL_MS = 3000;
const WINDOW_MS = 10 * 60 * 1000;
const MIN_SPAN_MS = 60 * 1000;

export function mergeSamples(window, samples, now = Date.now()) {
  for (const s of samples) {
    const t = Date.parse(s.timestamp);
    if (!Number.isNaN(t)) window.set(t, s);
  }
  for (const t of window.keys()) {
    if (t < now - WINDOW_MS) window.delete(t);
  }
  return [...window.entries()].sort((a, b) => a[0] - b[0]);
}

export function renderMetrics(panel, sandbox) {
  const samples = new Map();
  const cpuNow = h('span', { class: 'stat-value' }, '—');
  const cpuSub = h('span', { class: 'stat-sub muted' }, '');
  const memNow = h('span', { class: 'stat-value' }, '—');
  const memSub = h('span', { class: 'stat-sub muted' }, '');
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const cpu = createChart({ label: 'CPU usage', yMax: 100, formatValue: (v, axis) => (axis ? `${Math.round(v)}%` : percent(v)), color: 'var(--chart-cpu)' });
  const mem = createChart({ label: 'Memory used', yMax: 1, formatValue: (v) => bytes(v), color: 'var(--chart-mem)' });

  panel.append(h('div', { class: 'metrics' },
    error,
    h('div', { class: 'metric-card' },
      h('div', { class: 'metric-head' }, h('h2', {}, 'CPU'), h('div', { class: 'stat' }, cpuNow, cpuSub)),
      cpu.element),
    h('div', { class: 'metric-card' },
      h('div', { class: 'metric-head' }, h('h2', {}, 'Memory'), h('div', { class: 'stat' }, memNow, memSub)),
      mem.element),
    h('p', { class: 'muted small' }, `Sampled by the guest agent; up to the last ${WINDOW_MS / 60000} minutes, refreshed every ${POLL_MS / 1000} s.`)));

  async function load() {
    try {
      const list = await api.sandboxes.metrics(sandbox.id);
      error.hidden = true;
      draw(mergeSamples(samples, Array.isArray(list) ? list : []));
    } catch (err) {
      error.textContent = `Could not load metrics: ${err.message}`;
      error.hidden = false;
      draw(mergeSamples(samples, []));
    }
  }

  function draw(sorted) {
    // A young sandbox fills the chart instead of hugging its right edge.
    const now = Date.now();
    const oldest = sorted[0]?.[0] ?? now;
    const start = Math.max(now - WINDOW_MS, Math.min(oldest, now - MIN_SPAN_MS));
    const latest = sorted.at(-1)?.[1];
    cpu.update(sorted.map(([t, s]) => ({ t, v: s.cpu_used_pct })), start, now, 100);
    const memTotal = Math.max(...sorted.map(([, s]) => s.mem_total ?? 0), 1);
    mem.update(sorted.map(([t, s]) => ({ t, v: s.mem_used })), start, now, memTotal);
    if (!latest) return;
    cpuNow.textContent = percent(latest.cpu_used_pct);
    cpuSub.textContent = `of ${latest.cpu_count} vCPU${latest.cpu_count === 1 ? '' : 's'}`;
    memNow.textContent = bytes(latest.mem_used);
    memSub.textContent = `of ${bytes(latest.mem_total)}`;
  }

  const poller = poll(load, POLL_MS);
  return {
    cleanup() {
      poller.stop();
      cpu.dispose();
      mem.dispose();
    },
  };
}
