// A pretend login shell behind the mock PTY WebSocket: echoes keystrokes,
// keeps a line buffer and runs a handful of commands against the mock FS.

import { normalize } from './mock-fs.mjs';

export class MockShell {
  constructor({ sandboxId, fs, write, exit }) {
    this.sandboxId = sandboxId;
    this.fs = fs;
    this.write = write; // (string) => void
    this.exit = exit; // (code) => void
    this.cwd = '/home/user';
    this.line = '';
    this.cols = 80;
    this.rows = 24;
  }

  start() {
    this.write(`Wrenn mock shell on ${this.sandboxId} (commands: echo, ls, cd, pwd, cat, whoami, stty size, clear, exit)\r\n`);
    this.prompt();
  }

  prompt() {
    const dir = this.cwd.replace(/^\/home\/user/, '~');
    this.write(`\x1b[32muser@${this.sandboxId}\x1b[0m:\x1b[34m${dir}\x1b[0m$ `);
  }

  resize(cols, rows) {
    this.cols = cols;
    this.rows = rows;
  }

  input(text) {
    for (const ch of text) {
      if (ch === '\r' || ch === '\n') {
        this.write('\r\n');
        const line = this.line;
        this.line = '';
        if (this.run(line.trim()) === 'exit') return;
        this.prompt();
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line) {
          this.line = this.line.slice(0, -1);
          this.write('\b \b');
        }
      } else if (ch === '\x03') {
        this.line = '';
        this.write('^C\r\n');
        this.prompt();
      } else if (ch === '\x04' && !this.line) {
        this.write('logout\r\n');
        this.exit(0);
        return;
      } else if (ch >= ' ') {
        this.line += ch;
        this.write(ch);
      }
    }
  }

  run(line) {
    if (!line) return;
    const [cmd, ...args] = line.split(/\s+/);
    const out = (s) => this.write(`${s.replace(/\n/g, '\r\n')}\r\n`);
    switch (cmd) {
      case 'echo': return out(args.join(' ').replace(/^["']|["']$/g, ''));
      case 'pwd': return out(this.cwd);
      case 'whoami': return out('user');
      case 'uname': return out('Linux wrenn-mock 6.1.0 x86_64 GNU/Linux');
      case 'clear': return this.write('\x1b[2J\x1b[H');
      case 'stty': return out(`${this.rows} ${this.cols}`);
      case 'cd': {
        const target = normalize(args[0]?.startsWith('/') ? args[0] : `${this.cwd}/${args[0] ?? '/home/user'}`);
        if (this.fs.isDir(target)) this.cwd = target;
        else out(`bash: cd: ${args[0]}: No such file or directory`);
        return;
      }
      case 'ls': {
        const entries = this.fs.list(args[0] ? normalize(`${this.cwd}/${args[0]}`) : this.cwd) ?? [];
        return out(entries.map((e) => (e.type === 'dir' ? `\x1b[34m${e.name}\x1b[0m` : e.name)).join('  '));
      }
      case 'cat': {
        const content = this.fs.read(args[0]?.startsWith('/') ? args[0] : `${this.cwd}/${args[0]}`);
        return content ? this.write(content.toString('utf8').replace(/\n/g, '\r\n')) : out(`cat: ${args[0]}: No such file or directory`);
      }
      case 'exit':
        this.write('logout\r\n');
        this.exit(Number(args[0] ?? 0));
        return 'exit';
      default: return out(`bash: ${cmd}: command not found`);
    }
  }
}
