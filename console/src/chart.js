// A small SVG time-series chart: grid, area, line, latest-value marker and a
// hover readout. Redrawn at the container's real pixel size so text stays crisp.

import { h, svg, clear } from './dom.js';

const PAD = { top: 10, right: 12, bottom: 22, left: 52 };
const HEIGHT = 180;

export function createChart({ label, yMax, formatValue, color = 'var(--accent)' }) {
  const root = h('figure', { class: 'chart' });
  const plot = svg('svg', { class: 'chart-svg', height: HEIGHT, role: 'img', 'aria-label': label });
  const readout = h('div', { class: 'chart-readout', hidden: true });
  root.append(plot, readout);
  let state = { points: [], start: 0, end: 1, max: 1 };
  let width = 600;

  const observer = new ResizeObserver(([entry]) => {
    const next = Math.max(200, Math.floor(entry.contentRect.width));
    if (next !== width) {
      width = next;
      draw();
    }
  });
  observer.observe(root);

  function x(t) {
    return PAD.left + ((t - state.start) / Math.max(1, state.end - state.start)) * (width - PAD.left - PAD.right);
  }
  function y(v) {
    return PAD.top + (1 - Math.min(v, state.max) / state.max) * (HEIGHT - PAD.top - PAD.bottom);
  }

  function draw() {
    plot.setAttribute('width', width);
    plot.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
    clear(plot);
    for (const f of [0, 0.25, 0.5, 0.75, 1]) {
      const gy = y(state.max * f);
      plot.append(svg('line', { class: 'chart-grid', x1: PAD.left, x2: width - PAD.right, y1: gy, y2: gy }));
      plot.append(svg('text', { class: 'chart-axis', x: PAD.left - 8, y: gy + 4, 'text-anchor': 'end' }, formatValue(state.max * f, true)));
    }
    const span = state.end - state.start;
    for (const f of [0, 0.5, 1]) {
      const ago = Math.round((span * (1 - f)) / 1000);
      const text = ago === 0 ? 'now' : ago >= 120 ? `-${Math.round(ago / 60)}m` : `-${ago}s`;
      plot.append(svg('text', { class: 'chart-axis', x: x(state.start + span * f), y: HEIGHT - 6, 'text-anchor': f === 0 ? 'start' : f === 1 ? 'end' : 'middle' }, text));
    }
    const pts = state.points.filter((p) => p.t >= state.start);
    if (pts.length === 0) {
      plot.append(svg('text', { class: 'chart-empty', x: width / 2, y: HEIGHT / 2, 'text-anchor': 'middle' }, 'Waiting for samples…'));
      return;
    }
    const line = pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join('');
    const base = y(0).toFixed(1);
    const area = `${line}L${x(pts.at(-1).t).toFixed(1)},${base}L${x(pts[0].t).toFixed(1)},${base}Z`;
    plot.append(svg('path', { class: 'chart-area', d: area, fill: color }));
    plot.append(svg('path', { class: 'chart-line', d: line, stroke: color }));
    const last = pts.at(-1);
    plot.append(svg('circle', { class: 'chart-dot', cx: x(last.t), cy: y(last.v), r: 3, fill: color }));
    plot.setAttribute('aria-label', `${label}: ${formatValue(last.v)} now`);
  }

  plot.addEventListener('mousemove', (event) => {
    const rect = plot.getBoundingClientRect();
    const px = event.clientX - rect.left;
    const nearest = state.points.reduce((best, p) => (!best || Math.abs(x(p.t) - px) < Math.abs(x(best.t) - px) ? p : best), null);
    if (!nearest) return;
    readout.hidden = false;
    readout.textContent = `${formatValue(nearest.v)} · ${new Date(nearest.t).toLocaleTimeString()}`;
    readout.style.left = `${Math.min(x(nearest.t), width - 140)}px`;
  });
  plot.addEventListener('mouseleave', () => (readout.hidden = true));

  return {
    element: root,
    update(points, start, end, max = yMax) {
      state = { points, start, end, max: max > 0 ? max : 1 };
      draw();
    },
    dispose: () => observer.disconnect(),
  };
}
