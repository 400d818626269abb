// In-memory guest filesystem for the mock server: one per sandbox.

export class MockFs {
  constructor(entries) {
    this.entries = entries ?? new Map();
    if (!entries) {
      for (const dir of ['/', '/home', '/home/user', '/home/user/projects', '/tmp']) this.mkdir(dir);
      this.write('/home/user/.bashrc', Buffer.from('export PS1="\\u@\\h:\\w\\$ "\n'));
      this.write('/home/user/README.md', Buffer.from('# Welcome to your Wrenn sandbox\n'));
      this.write('/home/user/projects/main.py', Buffer.from('print("hello from wrenn")\n'));
    }
  }

  clone() {
    const copy = new Map();
    for (const [path, entry] of this.entries) copy.set(path, { ...entry });
    return new MockFs(copy);
  }

  mkdir(path) {
    const normal = normalize(path);
    if (normal !== '/') this.mkdir(parent(normal));
    if (!this.entries.has(normal)) this.entries.set(normal, { type: 'dir', mode: 'drwxr-xr-x', mtime: new Date() });
  }

  write(path, content) {
    const normal = normalize(path);
    this.mkdir(parent(normal));
    this.entries.set(normal, { type: 'file', mode: '-rw-r--r--', mtime: new Date(), content });
  }

  read(path) {
    const entry = this.entries.get(normalize(path));
    return entry?.type === 'file' ? entry.content : null;
  }

  isDir(path) {
    return this.entries.get(normalize(path))?.type === 'dir';
  }

  list(path, depth = 1) {
    const base = normalize(path);
    if (!this.isDir(base)) return null;
    const prefix = base === '/' ? '/' : `${base}/`;
    const out = [];
    for (const [p, entry] of this.entries) {
      if (p === base || !p.startsWith(prefix)) continue;
      const level = p.slice(prefix.length).split('/').length;
      if (level > depth) continue;
      out.push({
        name: p.slice(p.lastIndexOf('/') + 1),
        path: p,
        type: entry.type,
        size: entry.type === 'file' ? entry.content.length : 4096,
        permissions: entry.mode,
        modified_time: rfc3339(entry.mtime),
      });
    }
    return out;
  }
}

export function normalize(path) {
  const parts = [];
  for (const part of String(path).split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export function parent(path) {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

export function rfc3339(date) {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
