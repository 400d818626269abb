// Terminal tab: xterm.js attached to a login shell over the PTY WebSocket.
// The terminal follows the panel's size; each resize is sent to the PTY.

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { h } from './dom.js';
import * as session from './session.js';
import { openPty } from './pty.js';

const THEME = {
  background: '#0b0f17', foreground: '#d7dde8', cursor: '#7dd3fc', cursorAccent: '#0b0f17',
  selectionBackground: '#264f78', black: '#1b2130', red: '#f87171', green: '#4ade80', yellow: '#facc15',
  blue: '#60a5fa', magenta: '#c084fc', cyan: '#22d3ee', white: '#d7dde8', brightBlack: '#5b6478',
  brightRed: '#fca5a5', brightGreen: '#86efac', brightYellow: '#fde68a', brightBlue: '#93c5fd',
  brightMagenta: '#d8b4fe', brightCyan: '#67e8f9', brightWhite: '#f8fafc',
};

const STATE_TEXT = {
  connecting: 'Connecting…',
  connected: 'Connected',
  exited: 'Shell exited',
  closed: 'Disconnected',
  error: 'Error',
};

export function renderTerminal(panel, sandbox) {
  const stateDot = h('span', { class: 'term-dot', 'aria-hidden': 'true' });
  const stateText = h('span', { class: 'term-state-text' });
  const size = h('span', { class: 'muted mono' });
  const reconnect = h('button', { class: 'btn btn-sm', type: 'button', hidden: true, onclick: () => connect() }, 'Reconnect');
  const hint = h('span', { class: 'muted term-hint' }, h('kbd', {}, 'F6'), ' leaves the terminal');
  const status = h('div', { class: 'term-status', role: 'status' }, stateDot, stateText, size, h('span', { class: 'spacer' }), hint, reconnect);
  const host = h('div', { class: 'term-host', 'aria-label': `Terminal for ${sandbox.id}` });
  const wrap = h('div', { class: 'term', 'data-state': 'connecting' }, status, host);
  panel.append(wrap);

  const term = new Terminal({
    fontFamily: 'ui-monospace, "JetBrains Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: 13, lineHeight: 1.15, cursorBlink: true, scrollback: 5000, theme: THEME,
    allowProposedApi: false,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(host);
  // Tab belongs to the shell (completion), so F6 is the way out for keyboard users.
  term.attachCustomKeyEventHandler((event) => {
    if (event.key !== 'F6') return true;
    if (event.type === 'keydown') {
      event.preventDefault();
      document.querySelector('[role="tab"][aria-selected="true"]')?.focus();
    }
    return false;
  });
  safeFit();

  let pty = null;
  term.onData((data) => pty?.send(data));
  term.onResize(({ cols, rows }) => {
    size.textContent = `${cols}×${rows}`;
    pty?.resize(cols, rows);
  });
  const observer = new ResizeObserver(() => safeFit());
  observer.observe(host);

  function safeFit() {
    try {
      fit.fit();
    } catch {
      // Not laid out yet (a hidden panel): the observer will fit it later.
    }
    size.textContent = `${term.cols}×${term.rows}`;
  }

  function setState(state, detail) {
    wrap.dataset.state = state;
    let text = STATE_TEXT[state] ?? state;
    if (state === 'connected' && detail) text += ` · pid ${detail}`;
    if (state === 'exited') text += ` with code ${detail ?? '?'}`;
    if ((state === 'error' || state === 'closed') && detail) text += `: ${detail}`;
    stateText.textContent = text;
    reconnect.hidden = !['exited', 'closed', 'error'].includes(state);
    if (state === 'exited' || state === 'closed' || state === 'error') {
      term.write(`\r\n\x1b[2m[${text}]\x1b[0m\r\n`);
    }
  }

  function connect() {
    pty?.close();
    safeFit();
    pty = openPty({
      sandboxId: sandbox.id,
      token: session.current()?.token,
      cols: term.cols,
      rows: term.rows,
      onOutput: (bytes) => term.write(bytes),
      onState: setState,
    });
    term.focus();
  }

  connect();
  return {
    cleanup() {
      observer.disconnect();
      pty?.close();
      term.dispose();
    },
  };
}
