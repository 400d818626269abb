// E2B's Template SDK against Wrenn (issue 14): Template.build of a template from the base image with a command, a
// copied file and an environment variable, its build log through onBuildLogs, then a sandbox of it; and a failing
// step that fails the build naming its exit code. The official `e2b` package drives everything unmodified.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Template } from 'e2b'
import { sandbox } from '../lib/env.mjs'

const BUILD_TIMEOUT_MS = 900_000

/** Deletes the template through E2B's API (after its sandboxes are gone). */
async function deleteTemplate(templateId) {
  await fetch(`${process.env.E2B_API_URL}/templates/${templateId}`, {
    method: 'DELETE',
    headers: { 'X-API-Key': process.env.E2B_API_KEY },
  }).catch(() => {})
}

function contextDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wrenn-template-context-'))
  fs.writeFileSync(path.join(dir, 'y.txt'), 'copied\n')
  return dir
}

test('Template.build from the base image: runCmd, copy and setEnvs are in a sandbox of it', { timeout: BUILD_TIMEOUT_MS }, async (t) => {
  const dir = contextDir()
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const alias = `compat-tpl-${Date.now().toString(36)}`
  const template = Template({ fileContextPath: dir })
    .fromBaseImage()
    .runCmd('echo hi > /home/user/x')
    .copy('y.txt', '/home/user/y')
    .setEnvs({ A: '1' })

  const logs = []
  const info = await Template.build(template, {
    alias,
    cpuCount: 1,
    memoryMB: 512,
    onBuildLogs: (entry) => logs.push(entry),
    requestTimeoutMs: 120_000,
  })
  t.after(() => deleteTemplate(info.templateId))
  const text = logs.map((l) => String(l.message)).join('\n')
  assert.match(text, /RUN echo hi > \/home\/user\/x/, 'the build log shows the RUN step')
  assert.match(text, /COPY y\.txt \/home\/user\/y/, 'the build log shows the COPY step')
  assert.match(text, /is ready/, 'the build log ends with the template ready')
  assert.equal(await Template.exists(alias), true)

  const sbx = await sandbox(t, alias)
  assert.equal(await sbx.files.read('/home/user/x'), 'hi\n')
  assert.equal(await sbx.files.read('/home/user/y'), 'copied\n')
  const env = await sbx.commands.run('echo "A=$A"')
  assert.equal(env.stdout, 'A=1\n')
})

test('a failing step fails Template.build with its exit code, and nothing is published', { timeout: BUILD_TIMEOUT_MS }, async (t) => {
  const dir = contextDir()
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const alias = `compat-fail-${Date.now().toString(36)}`
  const template = Template({ fileContextPath: dir }).fromBaseImage().runCmd('echo about to fail; exit 7')
  await assert.rejects(
    Template.build(template, { alias, cpuCount: 1, memoryMB: 512, requestTimeoutMs: 120_000 }),
    (e) => {
      assert.match(String(e.message), /exit code 7/)
      assert.match(String(e.message), /about to fail/)
      return true
    }
  )
  assert.equal(await Template.exists(alias), false)
})
