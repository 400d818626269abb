// Test harness: the server under test (WRENN_URL, or the mock started here)
// and a headless Debian Chromium driven by playwright-core. No browser is
// ever downloaded: a missing /usr/bin/chromium fails the run with a clear message.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const CONSOLE_DIR = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const SCREENSHOT_DIR = resolve(CONSOLE_DIR, '..', 'docs', 'console');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function startServer() {
  if (process.env.WRENN_URL) return { url: process.env.WRENN_URL.replace(/\/+$/, ''), stop: async () => {} };
  if (!existsSync(join(CONSOLE_DIR, 'vendor', 'xterm', 'xterm.mjs'))) {
    throw new Error('console/vendor/ is missing: run console/build.sh before the tests');
  }
  const child = spawn(process.execPath, [join(CONSOLE_DIR, 'dev', 'mock-server.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+?)\/?\s/.exec(out);
      if (match) resolveUrl(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`mock server exited early with code ${code}`)));
  });
  return {
    url,
    stop: () => new Promise((done) => {
      child.once('exit', done);
      child.kill('SIGTERM');
    }),
  };
}

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'wrenn-console-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    colorScheme: 'dark',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, name) {
  if (process.env.WRENN_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.waitForTimeout(250); // let transitions and toasts settle for a clean picture
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}
