// sandbox.files.write / read: text, bytes, streams, gzip, several files at once and metadata.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { FileNotFoundError } from 'e2b'

import { DEFAULT_USER, HOME, createScratch, openSandbox, removeScratch, scratchDir } from '../lib/sandbox.mjs'

function streamOf(chunks) {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk))
      controller.close()
    },
  })
}

async function textOfStream(stream) {
  let text = ''
  const decoder = new TextDecoder()
  for await (const chunk of stream) text += decoder.decode(chunk, { stream: true })
  return text + decoder.decode()
}

describe('file contents', { timeout: 300_000 }, () => {
  let sandbox
  const scratch = scratchDir('content')

  before(async () => {
    sandbox = await openSandbox()
    await createScratch(sandbox, scratch)
  })

  after(async () => {
    await removeScratch(sandbox, scratch)
  })

  it('writes text to a path relative to the home of the default user, who owns the file', async () => {
    const written = await sandbox.files.write(`${scratch.name}/relative.txt`, 'héllo wörld\n')
    assert.deepEqual(
      { name: written.name, path: written.path, type: written.type },
      { name: 'relative.txt', path: `${HOME}/${scratch.name}/relative.txt`, type: 'file' },
    )
    assert.equal(await sandbox.files.read(`${scratch.path}/relative.txt`), 'héllo wörld\n')
    const info = await sandbox.files.getInfo(written.path)
    assert.equal(info.owner, DEFAULT_USER)
    assert.equal(info.group, DEFAULT_USER)
    assert.equal(info.metadata, undefined)
  })

  it('overwrites an existing file with shorter content', async () => {
    const path = `${scratch.path}/overwrite.txt`
    await sandbox.files.write(path, 'a much longer first version')
    await sandbox.files.write(path, 'short')
    assert.equal(await sandbox.files.read(path), 'short')
  })

  it('creates the missing parent directories of a written file, owned by the default user', async () => {
    const path = `${scratch.path}/new/parents/file.txt`
    await sandbox.files.write(path, 'deep')
    assert.equal(await sandbox.files.read(path), 'deep')
    const parent = await sandbox.files.getInfo(`${scratch.path}/new/parents`)
    assert.equal(parent.type, 'dir')
    assert.equal(parent.owner, DEFAULT_USER)
  })

  it('round-trips every byte value through write and read as bytes and as a blob', async () => {
    const bytes = Uint8Array.from({ length: 512 }, (_, i) => i % 256)
    const path = `${scratch.path}/all-bytes.bin`
    await sandbox.files.write(path, bytes)
    assert.deepEqual(await sandbox.files.read(path, { format: 'bytes' }), bytes)
    const blob = await sandbox.files.read(path, { format: 'blob' })
    assert.deepEqual(new Uint8Array(await blob.arrayBuffer()), bytes)
    assert.equal((await sandbox.files.getInfo(path)).size, bytes.length)
  })

  it('reads an empty file as an empty string', async () => {
    const path = `${scratch.path}/empty.txt`
    await sandbox.files.write(path, '')
    assert.equal(await sandbox.files.read(path), '')
  })

  it('writes a file from a stream and reads it back as a stream', async () => {
    const chunks = ['first chunk\n', 'second chunk\n', 'x'.repeat(100_000)]
    const path = `${scratch.path}/streamed.txt`
    await sandbox.files.write(path, streamOf(chunks))
    assert.equal(await textOfStream(await sandbox.files.read(path, { format: 'stream' })), chunks.join(''))
  })

  it('accepts a gzip-compressed upload and serves it back with and without gzip', async () => {
    const text = 'compress me please\n'.repeat(5_000)
    const path = `${scratch.path}/gzipped.txt`
    const written = await sandbox.files.write(path, text, { gzip: true })
    assert.equal(written.path, path)
    assert.equal(await sandbox.files.read(path), text)
    assert.equal(await sandbox.files.read(path, { gzip: true }), text)
    assert.equal((await sandbox.files.getInfo(path)).size, Buffer.byteLength(text))
  })

  it('writes several files in one call and reports each of them', async () => {
    const files = [
      { path: `${scratch.path}/multi/one.txt`, data: 'one' },
      { path: `${scratch.name}/multi/two.txt`, data: 'two' },
      { path: `${scratch.path}/multi/three.bin`, data: new Uint8Array([3, 3, 3]) },
    ]
    const written = await sandbox.files.write(files)
    assert.deepEqual(
      written.map((w) => w.path).sort(),
      [`${scratch.path}/multi/one.txt`, `${scratch.path}/multi/three.bin`, `${scratch.path}/multi/two.txt`],
    )
    assert.equal(await sandbox.files.read(`${scratch.path}/multi/one.txt`), 'one')
    assert.equal(await sandbox.files.read(`${scratch.path}/multi/two.txt`), 'two')
    assert.deepEqual(await sandbox.files.read(`${scratch.path}/multi/three.bin`, { format: 'bytes' }), new Uint8Array([3, 3, 3]))
  })

  it('stores metadata given on write, lower-cases its keys and replaces it on the next write', async () => {
    const path = `${scratch.path}/with-metadata.txt`
    const written = await sandbox.files.write(path, 'x', { metadata: { Owner: 'me', purpose: 'compat test' } })
    assert.deepEqual(written.metadata, { owner: 'me', purpose: 'compat test' })
    assert.deepEqual((await sandbox.files.getInfo(path)).metadata, { owner: 'me', purpose: 'compat test' })

    await sandbox.files.write(path, 'y', { metadata: { purpose: 'second' } })
    assert.deepEqual((await sandbox.files.getInfo(path)).metadata, { purpose: 'second' })
  })

  it('rejects reading a missing file with FileNotFoundError', async () => {
    await assert.rejects(sandbox.files.read(`${scratch.path}/missing.txt`), FileNotFoundError)
  })
})
