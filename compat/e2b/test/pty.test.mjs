// sandbox.pty: an interactive bash on a terminal of a given size, input, resize and kill.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CommandExitError } from 'e2b'

import { IMPOSSIBLE_PID, openSandbox, waitFor } from '../lib/sandbox.mjs'

const encoder = new TextEncoder()

// The terminal's text as lines, without the escape sequences bash and readline emit (prompt
// titles, bracketed-paste toggles) and with carriage returns treated as line breaks.
function terminalLines(text) {
  return text
    .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '')
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .split(/[\r\n]+/)
}

// True when the terminal printed `expected` as consecutive whole lines: the echo of the typed
// command ("echo hi") never matches, only the command's own output does.
function printedLines(text, expected) {
  const lines = terminalLines(text)
  return lines.some((_, i) => expected.every((line, j) => lines[i + j] === line))
}

describe('pty', { timeout: 300_000 }, () => {
  let sandbox
  let terminal
  let output = ''
  const decoder = new TextDecoder()

  async function typeAndAwaitLines(input, lines) {
    const from = output.length
    await sandbox.pty.sendInput(terminal.pid, encoder.encode(input))
    await waitFor(
      () => printedLines(output.slice(from), lines),
      `terminal lines ${JSON.stringify(lines)} after typing ${JSON.stringify(input)}; terminal showed ${JSON.stringify(output.slice(from))}`,
    )
  }

  before(async () => {
    sandbox = await openSandbox()
    terminal = await sandbox.pty.create({
      cols: 97,
      rows: 29,
      // Longer than the SDK's 60 s default so a slow machine cannot end the shell mid-suite;
      // after() kills it in any case.
      timeoutMs: 300_000,
      onData: (data) => (output += decoder.decode(data, { stream: true })),
    })
  })

  after(async () => {
    if (terminal) await sandbox.pty.kill(terminal.pid).catch(() => false)
  })

  it('runs an interactive shell that executes typed input', async () => {
    assert.ok(Number.isInteger(terminal.pid) && terminal.pid > 0, `pty pid ${terminal.pid}`)
    await typeAndAwaitLines('echo hi\n', ['hi'])
  })

  it('gives the terminal the size it was created with', async () => {
    await typeAndAwaitLines('tput cols; tput lines\n', ['97', '29'])
  })

  it('reports the new width to programs after a resize', async () => {
    await sandbox.pty.resize(terminal.pid, { cols: 123, rows: 41 })
    await typeAndAwaitLines('tput cols; tput lines\n', ['123', '41'])
  })

  it('lists the terminal as a running bash process', async () => {
    const listed = (await sandbox.commands.list()).find((p) => p.pid === terminal.pid)
    assert.ok(listed, `pty pid ${terminal.pid} missing from commands.list()`)
    assert.equal(listed.cmd, '/bin/bash')
  })

  it('kill ends the terminal and returns true, and false for an unknown pid', async () => {
    assert.equal(await sandbox.pty.kill(terminal.pid), true)
    await assert.rejects(terminal.wait(), CommandExitError)
    assert.equal(await sandbox.pty.kill(IMPOSSIBLE_PID), false)
    terminal = undefined
  })
})
