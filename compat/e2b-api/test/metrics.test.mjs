import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sandbox, eventually } from '../lib/env.mjs'

// Issue 17 item 4: the control plane keeps a time series per sandbox (a sample every 5 s, kept 7 days, as E2B's), so
// getMetrics({start, end}) answers the samples within the range and GET /sandboxes/metrics the newest of many.

test('getMetrics({start, end}) returns only the samples within the range', { timeout: 300_000 }, async (t) => {
  const sbx = await sandbox(t)
  let all = []
  assert.ok(
    await eventually(async () => (all = await sbx.getMetrics()).length >= 4, { timeoutMs: 120_000, intervalMs: 2_000 }),
    `fewer than 4 samples after 2 min: ${JSON.stringify(all)}`,
  )
  const stamps = all.map((m) => m.timestamp.getTime())
  assert.deepEqual(stamps, [...stamps].sort((a, b) => a - b), 'samples are oldest first')
  for (const m of all) {
    assert.ok(m.cpuCount >= 1 && m.memTotal > 0 && m.diskTotal > 0, JSON.stringify(m))
  }

  const start = all[1].timestamp
  const end = all[2].timestamp
  const some = await sbx.getMetrics({ start, end })
  assert.ok(some.length >= 1 && some.length < all.length, `${some.length} of ${all.length} in the range`)
  for (const m of some) {
    assert.ok(m.timestamp >= start && m.timestamp <= end, `${m.timestamp.toISOString()} outside the range`)
  }
  assert.deepEqual(await sbx.getMetrics({ start: new Date(0), end: new Date(1000) }), [], 'nothing in 1970')
})

test('GET /sandboxes/metrics answers the newest sample of each sandbox asked for', { timeout: 300_000 }, async (t) => {
  const a = await sandbox(t)
  const b = await sandbox(t)
  const latest = async () => {
    const res = await fetch(`${process.env.E2B_API_URL}/sandboxes/metrics?sandbox_ids=${a.sandboxId},${b.sandboxId}`, {
      headers: { 'X-API-KEY': process.env.E2B_API_KEY },
    })
    assert.equal(res.status, 200)
    return (await res.json()).sandboxes
  }
  let body = {}
  assert.ok(
    await eventually(async () => Object.keys((body = await latest())).length === 2, { timeoutMs: 60_000 }),
    JSON.stringify(body),
  )
  for (const id of [a.sandboxId, b.sandboxId]) {
    assert.ok(body[id].timestampUnix > 0 && body[id].memTotal > 0, JSON.stringify(body[id]))
  }
  const newest = (await a.getMetrics()).at(-1)
  assert.ok(body[a.sandboxId].timestampUnix <= Math.floor(newest.timestamp.getTime() / 1000) + 5)

  const missing = await fetch(`${process.env.E2B_API_URL}/sandboxes/metrics`, {
    headers: { 'X-API-KEY': process.env.E2B_API_KEY },
  })
  assert.equal(missing.status, 400)
})
