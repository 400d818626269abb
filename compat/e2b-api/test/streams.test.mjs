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
