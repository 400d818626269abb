// Client for the PTY WebSocket (GET /v1/sandboxes/{id}/pty).
// Browsers cannot set headers on a WebSocket, so the JWT travels in the first
// frame; terminal bytes travel base64-encoded in JSON frames both ways.

const encoder = new TextEncoder();

export function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function ptyUrl(sandboxId, loc = location) {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/v1/sandboxes/${encodeURIComponent(sandboxId)}/pty`;
}

export function openPty({ sandboxId, token, cols, rows, onOutput, onState }) {
  const socket = new WebSocket(ptyUrl(sandboxId));
  let finished = false;
  const frame = (message) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };
  const finish = (state, detail) => {
    if (finished) return;
    finished = true;
    onState(state, detail);
  };

  onState('connecting');
  socket.addEventListener('open', () => {
    frame({ type: 'auth', token });
    frame({ type: 'start', cols, rows });
  });
  socket.addEventListener('message', (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    switch (message.type) {
      case 'started': onState('connected', message.pid); break;
      case 'output': onOutput(fromBase64(message.data ?? '')); break;
      case 'exit': finish('exited', message.exit_code); break;
      case 'error': finish('error', message.data ?? 'terminal error'); break;
      default: break; // ping and future frame types
    }
  });
  socket.addEventListener('close', (event) => finish('closed', event.reason || `connection closed (${event.code})`));
  socket.addEventListener('error', () => finish('error', 'could not connect to the terminal'));

  return {
    send: (text) => frame({ type: 'input', data: toBase64(encoder.encode(text)) }),
    resize: (c, r) => frame({ type: 'resize', cols: c, rows: r }),
    close() {
      finished = true;
      socket.close(1000, 'closed by the console');
    },
  };
}
