import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox } from 'e2b'
import { sandbox, eventually } from '../lib/env.mjs'

test('create with metadata and envVars: commands see the variables', async (t) => {
  const sbx = await sandbox(t, 'base', { metadata: { suite: 'e2b-api' }, envs: { WRENN_FOO: 'bar' } })
  const result = await sbx.commands.run('echo "$WRENN_FOO"')
  assert.equal(result.stdout.trim(), 'bar')
  const info = await sbx.getInfo()
  assert.equal(info.sandboxId, sbx.sandboxId)
  assert.equal(info.templateId, 'base')
  assert.equal(info.metadata.suite, 'e2b-api')
  assert.equal(info.state, 'running')
  assert.ok(info.endAt > info.startedAt)
})

test('files: write, read, list through the proxy', async (t) => {
  const sbx = await sandbox(t)
  await sbx.files.write('/tmp/wrenn-e2b.txt', 'hello from the SDK')
  assert.equal(await sbx.files.read('/tmp/wrenn-e2b.txt'), 'hello from the SDK')
  const names = (await sbx.files.list('/tmp')).map((e) => e.name)
  assert.ok(names.includes('wrenn-e2b.txt'))
})

test('a wrong access token is refused by the proxy', async (t) => {
  const sbx = await sandbox(t)
  const url = `${process.env.E2B_SANDBOX_URL}/process.Process/List`
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'E2b-Sandbox-Id': sbx.sandboxId, 'X-Access-Token': 'wrong' },
    body: '{}',
  })
  assert.equal(res.status, 401)
})

test('list filters by metadata and pages with nextToken', async (t) => {
  const tag = `run-${Date.now()}`
  const created = []
  for (let i = 0; i < 3; i++) created.push((await sandbox(t, 'base', { metadata: { tag, 'with space': 'a b' } })).sandboxId)
  await sandbox(t, 'base', { metadata: { tag: 'other' } })
  const paginator = Sandbox.list({ query: { metadata: { tag, 'with space': 'a b' } }, limit: 2 })
  const seen = []
  let pages = 0
  while (paginator.hasNext) {
    seen.push(...(await paginator.nextItems()).map((s) => s.sandboxId))
    pages++
  }
  assert.deepEqual(seen.sort(), created.sort())
  assert.equal(pages, 2)
  const running = await Sandbox.list({ query: { metadata: { tag }, state: ['running'] } }).nextItems()
  assert.equal(running.length, 3)
})

test('setTimeout: after expiry isRunning is false', async (t) => {
  const sbx = await sandbox(t)
  await sbx.setTimeout(2_000)
  assert.ok(await eventually(async () => !(await sbx.isRunning())))
})

test('kill answers true, then false', async (t) => {
  const sbx = await sandbox(t)
  assert.equal(await Sandbox.kill(sbx.sandboxId), true)
  assert.equal(await Sandbox.kill(sbx.sandboxId), false)
  assert.equal(await sbx.isRunning(), false)
})

test('connect to an unknown sandbox throws SandboxNotFoundError', async () => {
  await assert.rejects(Sandbox.connect('sb-00000000'), (e) => e.name === 'SandboxNotFoundError')
})

test('list startedAfter keeps sandboxes started at or after the bound, not before', async (t) => {
  const tag = `after-${Date.now()}`
  const first = await sandbox(t, 'base', { metadata: { tag } })
  const firstStarted = (await first.getInfo()).startedAt
  const second = await sandbox(t, 'base', { metadata: { tag } })
  const secondStarted = (await second.getInfo()).startedAt
  assert.ok(secondStarted > firstStarted)
  const ids = async (startedAfter) =>
    (await Sandbox.list({ query: { metadata: { tag }, startedAfter } }).nextItems()).map((s) => s.sandboxId).sort()
  assert.deepEqual(await ids(firstStarted), [first.sandboxId, second.sandboxId].sort())
  assert.deepEqual(await ids(secondStarted), [second.sandboxId])
  assert.deepEqual(await ids(new Date(secondStarted.getTime() + 1)), [])
})
