// sandbox.files.watchDir: filesystem events named relative to the watched directory.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { FileNotFoundError, FilesystemEventType } from 'e2b'

import { createScratch, openSandbox, removeScratch, scratchDir, waitFor } from '../lib/sandbox.mjs'

function sawEvent(events, name, type) {
  return events.some((e) => e.name === name && e.type === type)
}

describe('watchDir', { timeout: 300_000 }, () => {
  let sandbox
  const scratch = scratchDir('watch')
  const handles = []

  async function watch(path, opts) {
    const events = []
    const handle = await sandbox.files.watchDir(path, (event) => events.push(event), opts)
    handles.push(handle)
    return { events, handle }
  }

  before(async () => {
    sandbox = await openSandbox()
    // The nested directory exists before the watch starts, so seeing its events does not depend
    // on how fast the agent adds a watch for a directory created later.
    await createScratch(sandbox, scratch, 'nested')
  })

  after(async () => {
    for (const handle of handles) await handle.stop()
    await removeScratch(sandbox, scratch)
  })

  it('reports create and write events of files, nested ones by their relative path, when recursive', async () => {
    const { events } = await watch(scratch.path, { recursive: true })
    await sandbox.files.write(`${scratch.path}/top.txt`, 'top')
    await sandbox.files.write(`${scratch.path}/nested/file.txt`, 'nested')

    const expected = [
      ['top.txt', FilesystemEventType.CREATE],
      ['top.txt', FilesystemEventType.WRITE],
      ['nested/file.txt', FilesystemEventType.CREATE],
      ['nested/file.txt', FilesystemEventType.WRITE],
    ]
    await waitFor(
      () => expected.every(([name, type]) => sawEvent(events, name, type)),
      `events ${JSON.stringify(expected)}; saw ${JSON.stringify(events.map((e) => [e.name, e.type]))}`,
    )
  })

  it('reports the removal of a file', async () => {
    await sandbox.files.write(`${scratch.path}/short-lived.txt`, 'x')
    const { events } = await watch(scratch.path)
    await sandbox.files.remove(`${scratch.path}/short-lived.txt`)
    await waitFor(
      () => sawEvent(events, 'short-lived.txt', FilesystemEventType.REMOVE),
      `a remove event for short-lived.txt; saw ${JSON.stringify(events.map((e) => [e.name, e.type]))}`,
    )
  })

  it('rejects watching a missing directory with FileNotFoundError', async () => {
    await assert.rejects(sandbox.files.watchDir(`${scratch.path}/missing`, () => {}), FileNotFoundError)
  })
})
