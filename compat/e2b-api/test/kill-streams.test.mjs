import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox } from 'e2b'
import { sandbox } from '../lib/env.mjs'

// A stream open through the proxy when its sandbox is killed: the proxy cuts the connection (as E2B's does when the
// VM goes away) and answers the SDK's health check with 502, so the SDK reports the sandbox's end, not a hang.

const killedMessage = /The sandbox was killed or reached its end of life while the request was in flight/

test('kill while a background command runs: wait() fails with the killed-sandbox TimeoutError', { timeout: 120_000 }, async (t) => {
  const sbx = await sandbox(t)
  const handle = await sbx.commands.run('sleep 60', { background: true })
  assert.equal(await Sandbox.kill(sbx.sandboxId), true)
  await assert.rejects(handle.wait(), (e) => {
    assert.equal(e.name, 'TimeoutError', `${e.name}: ${e.message}`)
    assert.match(e.message, killedMessage)
    return true
  })
})

test('kill while a directory watch is open: the watch ends and the health check says the sandbox is gone', { timeout: 120_000 }, async (t) => {
  const sbx = await sandbox(t)
  let exit
  const ended = new Promise((resolve) => { exit = resolve })
  await sbx.files.watchDir('/tmp', () => {}, { onExit: (err) => exit(err ?? null) })
  assert.equal(await sbx.kill(), true)
  const err = await ended
  assert.ok(err, 'the watch ended without an error')
  assert.equal(err.name, 'TimeoutError', `${err.name}: ${err.message}`)
  assert.match(err.message, killedMessage)
})
