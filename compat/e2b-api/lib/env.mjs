// The suite talks to a running control plane: E2B_API_URL (its API port), E2B_SANDBOX_URL (its proxy port) and
// E2B_API_KEY (an e2b_ key) must be set, as build/e2b-api-compat.sh does. Missing ones fail the run, never skip it.
import { Sandbox } from 'e2b'

for (const name of ['E2B_API_URL', 'E2B_SANDBOX_URL', 'E2B_API_KEY']) {
  if (!process.env[name]) {
    throw new Error(`${name} is not set: run the suite through build/e2b-api-compat.sh`)
  }
}

/** Creates a sandbox and registers its kill with the test's cleanup. */
export async function sandbox(t, template = 'base', opts = {}) {
  const sbx = await Sandbox.create(template, { timeoutMs: 300_000, ...opts })
  t.after(() => Sandbox.kill(sbx.sandboxId).catch(() => {}))
  return sbx
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until check() is true or the deadline passes (no timing is asserted, only the outcome). */
export async function eventually(check, { timeoutMs = 30_000, intervalMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await check()) return true
    if (Date.now() > deadline) return false
    await sleep(intervalMs)
  }
}
