import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sandbox, eventually } from '../lib/env.mjs'

// Streaming RPCs through the sandbox traffic proxy: a terminal and a directory watch must arrive as they happen.

test('a PTY through the proxy runs typed input and reports a resize', async (t) => {
  const sbx = await sandbox(t)
  let output = ''
  const decoder = new TextDecoder()
  const terminal = await sbx.pty.create({ cols: 80, rows: 24, onData: (data) => { output += decoder.decode(data) } })
  await sbx.pty.sendInput(terminal.pid, new TextEncoder().encode('echo hi-$((6*7))\n'))
  assert.ok(await eventually(() => output.includes('hi-42')), `no echo in the terminal output: ${JSON.stringify(output)}`)
  await sbx.pty.resize(terminal.pid, { cols: 101, rows: 30 })
  await sbx.pty.sendInput(terminal.pid, new TextEncoder().encode('tput cols\n'))
  assert.ok(await eventually(() => output.includes('101')), `tput cols did not print 101: ${JSON.stringify(output)}`)
  assert.equal(await sbx.pty.kill(terminal.pid), true)
})

test('a recursive watch through the proxy sees files created later, by their relative names', async (t) => {
  const sbx = await sandbox(t)
  await sbx.files.makeDir('/home/user/watched/nested')
  const events = []
  const handle = await sbx.files.watchDir('/home/user/watched', (event) => events.push(event), { recursive: true })
  try {
    await sbx.files.write('/home/user/watched/nested/new.txt', 'x')
    assert.ok(
      await eventually(() => events.some((e) => e.name === 'nested/new.txt' && e.type === 'create')),
      `no create event for nested/new.txt: ${JSON.stringify(events)}`,
    )
  } finally {
    await handle.stop()
  }
})

// Issue 17 item 7: a long request whose timeoutMs passes ends as against E2B's envd: the command starts (run/start
// returns its handle) and its output arrives, then iterating it (wait()) fails with the deadline's TimeoutError; a
// watch starts, delivers events, then ends with the same error. The deadlines leave room for a slow TCG guest.
test('a command past its timeoutMs: started, output delivered, then TimeoutError from wait()', { timeout: 300_000 }, async (t) => {
  const sbx = await sandbox(t)
  const lines = []
  const handle = await sbx.commands.run('echo first; sleep 1; echo second; sleep 600', {
    background: true,
    timeoutMs: 20_000,
    onStdout: (data) => lines.push(data),
  })
  assert.ok(handle.pid > 0)
  await assert.rejects(handle.wait(), (e) => {
    assert.equal(e.name, 'TimeoutError', `${e.name}: ${e.message}`)
    assert.match(e.message, /deadline|timed out/)
    return true
  })
  assert.equal(lines.join(''), 'first\nsecond\n')
  assert.ok(
    await eventually(async () => !(await sbx.commands.list()).some((p) => p.pid === handle.pid)),
    'the command outlived its timeoutMs',
  )
})

test('a watch past its timeoutMs: started, events delivered, then onExit with TimeoutError', { timeout: 300_000 }, async (t) => {
  const sbx = await sandbox(t)
  const events = []
  let exit
  const ended = new Promise((resolve) => { exit = resolve })
  await sbx.files.watchDir('/tmp', (e) => events.push(e), { timeoutMs: 20_000, onExit: (err) => exit(err ?? null) })
  await sbx.files.write('/tmp/seen-before-the-deadline.txt', 'x')
  const err = await ended
  assert.ok(events.some((e) => e.name === 'seen-before-the-deadline.txt'), JSON.stringify(events))
  assert.ok(err, 'the watch ended without an error')
  assert.equal(err.name, 'TimeoutError', `${err.name}: ${err.message}`)
})
