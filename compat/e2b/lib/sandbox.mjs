// Shared set-up for the compatibility tests: one debug-mode sandbox per test file, a scratch
// directory under the default user's home, and a bounded wait for asynchronous output.
import { randomBytes } from 'node:crypto'

// Debug mode makes Sandbox.create() skip the control plane entirely and talk to the agent on
// localhost:49983, which is exactly the piece under test. Forced rather than defaulted so a stray
// E2B_DEBUG=false in the caller's environment cannot send these tests to a real API.
process.env.E2B_DEBUG = 'true'

const { Sandbox } = await import('e2b')

/** The account the harness names as default user in POST /init, and its home. */
export const DEFAULT_USER = 'user'
export const HOME = '/home/user'

/** Set by the harness's POST /init; proves create-time env vars reach every command. */
export const INIT_ENV = { name: 'WRENN_COMPAT', value: '1' }

/** Distinguishes this run's scratch directories from any other run's. */
export const RUN_ID = `${process.pid}-${randomBytes(4).toString('hex')}`

/** A sandbox in debug mode; it makes no API call, so it always succeeds. */
export async function openSandbox() {
  return Sandbox.create()
}

/** Name (relative to the default user's home) and absolute path of this run's scratch directory. */
export function scratchDir(label) {
  const name = `wrenn-compat-${RUN_ID}-${label}`
  return { name, path: `${HOME}/${name}`, created: false }
}

/** Creates the scratch directory (and `inner`, a path below it) through the SDK. */
export async function createScratch(sandbox, scratch, inner = '') {
  const made = await sandbox.files.makeDir(inner ? `${scratch.path}/${inner}` : scratch.path)
  if (made !== true) throw new Error(`makeDir(${scratch.path}) returned ${made}, expected true for a new directory`)
  scratch.created = true
}

/** Removes the scratch directory if this run created it, so a failed set-up adds no second error. */
export async function removeScratch(sandbox, scratch) {
  if (sandbox && scratch.created) await sandbox.files.remove(scratch.path)
}

/**
 * Polls until check() returns a truthy value and returns it. The bound only stops a broken agent
 * from hanging the run; it is generous on purpose and never asserts speed.
 */
export async function waitFor(check, what, { timeoutMs = 30_000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** A pid no Linux process can have (above the kernel's largest pid_max, 2^22). */
export const IMPOSSIBLE_PID = 4_194_305
