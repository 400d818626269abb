import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox } from 'e2b'
import { sandbox } from '../lib/env.mjs'

test('snapshot: create, list, boot from it, delete', async (t) => {
  const sbx = await sandbox(t)
  await sbx.files.write('/tmp/snap.txt', 'frozen')
  const snap = await sbx.createSnapshot()
  assert.ok(snap.snapshotId)
  assert.equal(await sbx.isRunning(), true, 'the source keeps running')
  const listed = await Sandbox.listSnapshots().nextItems()
  assert.ok(listed.some((s) => s.snapshotId === snap.snapshotId))
  const clone = await Sandbox.create(snap.snapshotId, { timeoutMs: 120_000 })
  try {
    assert.equal(await clone.files.read('/tmp/snap.txt'), 'frozen')
  } finally {
    await clone.kill()
  }
  assert.equal(await Sandbox.deleteSnapshot(snap.snapshotId), true)
  assert.equal(await Sandbox.deleteSnapshot(snap.snapshotId), false)
})

test('fork makes a copy with the same files', async (t) => {
  const sbx = await sandbox(t)
  await sbx.files.write('/tmp/fork.txt', 'forked')
  const forks = await sbx.fork({ count: 1 })
  const copy = Array.isArray(forks) ? forks[0] : forks
  try {
    assert.notEqual(copy.sandboxId, sbx.sandboxId)
    assert.equal(await copy.files.read('/tmp/fork.txt'), 'forked')
  } finally {
    await copy.kill()
  }
})
