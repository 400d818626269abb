import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox } from 'e2b'
import { sandbox } from '../lib/env.mjs'

test('pause, pause again (false), connect resumes with files kept', async (t) => {
  const sbx = await sandbox(t)
  await sbx.files.write('/tmp/kept.txt', 'still here')
  assert.equal(await sbx.pause(), true)
  assert.equal((await Sandbox.getInfo(sbx.sandboxId)).state, 'paused')
  assert.equal(await sbx.pause(), false)
  assert.equal(await sbx.isRunning(), false)
  const resumed = await Sandbox.connect(sbx.sandboxId)
  assert.equal(await resumed.isRunning(), true)
  assert.equal(await resumed.files.read('/tmp/kept.txt'), 'still here')
})

test('metrics report the sandbox CPU and memory', async (t) => {
  const sbx = await sandbox(t)
  let metrics = []
  for (let i = 0; i < 10 && metrics.length === 0; i++) {
    metrics = await sbx.getMetrics()
    if (metrics.length === 0) await new Promise((r) => setTimeout(r, 1000))
  }
  assert.ok(metrics.length > 0, 'no metrics')
  assert.ok(metrics[0].cpuCount >= 1)
  assert.ok(metrics[0].memTotal > 0)
})
