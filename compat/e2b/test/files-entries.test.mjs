// sandbox.files: list, getInfo, exists, makeDir, rename and remove.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { FileNotFoundError } from 'e2b'

import { DEFAULT_USER, createScratch, openSandbox, removeScratch, scratchDir } from '../lib/sandbox.mjs'

// Byte-wise name order ('C.txt' < 'a.txt' < 'b') tells a lexical walk from a case-insensitive one.
const TREE = [
  { rel: 'C.txt', type: 'file', data: 'capital' },
  { rel: 'a.txt', type: 'file', data: 'a' },
  { rel: 'b', type: 'dir' },
  { rel: 'b/c.txt', type: 'file', data: 'cc' },
  { rel: 'b/d', type: 'dir' },
  { rel: 'b/d/e.txt', type: 'file', data: 'eee' },
  { rel: 'f.txt', type: 'file', data: 'ffff' },
]

function expectedListing(root, depth) {
  return TREE.filter((e) => e.rel.split('/').length <= depth).map((e) => ({
    name: e.rel.split('/').at(-1),
    type: e.type,
    path: `${root}/${e.rel}`,
  }))
}

describe('file entries', { timeout: 300_000 }, () => {
  let sandbox
  const scratch = scratchDir('entries')

  before(async () => {
    sandbox = await openSandbox()
    await createScratch(sandbox, scratch)
  })

  after(async () => {
    await removeScratch(sandbox, scratch)
  })

  describe('list', () => {
    const root = `${scratch.path}/tree`

    before(async () => {
      await sandbox.files.makeDir(`${root}/b/d`)
      await sandbox.files.write(TREE.filter((e) => e.type === 'file').map((e) => ({ path: `${root}/${e.rel}`, data: e.data })))
    })

    for (const depth of [1, 2, 3]) {
      it(`lists a tree to depth ${depth} in lexical depth-first order with names, types and paths`, async () => {
        const entries = await sandbox.files.list(root, { depth })
        assert.deepEqual(
          entries.map(({ name, type, path }) => ({ name, type, path })),
          expectedListing(root, depth),
        )
      })
    }

    it('lists one level by default and gives file sizes and owners', async () => {
      const entries = await sandbox.files.list(root)
      assert.deepEqual(
        entries.map(({ name, size, owner }) => ({ name, size: name === 'b' ? undefined : size, owner })),
        [
          { name: 'C.txt', size: 7, owner: DEFAULT_USER },
          { name: 'a.txt', size: 1, owner: DEFAULT_USER },
          { name: 'b', size: undefined, owner: DEFAULT_USER },
          { name: 'f.txt', size: 4, owner: DEFAULT_USER },
        ],
      )
    })

    it('lists an empty directory as an empty array', async () => {
      await sandbox.files.makeDir(`${scratch.path}/empty-dir`)
      assert.deepEqual(await sandbox.files.list(`${scratch.path}/empty-dir`), [])
    })
  })

  describe('getInfo', () => {
    const dir = `${scratch.path}/info`
    const file = `${dir}/file.txt`
    const link = `${dir}/link`

    before(async () => {
      await sandbox.files.write(file, 'hello')
      await sandbox.commands.run(`ln -s '${file}' '${link}'`)
    })

    it('describes a file: type, size, permissions, owner and modification time', async () => {
      const info = await sandbox.files.getInfo(file)
      assert.deepEqual(
        { name: info.name, type: info.type, path: info.path, size: info.size },
        { name: 'file.txt', type: 'file', path: file, size: 5 },
      )
      assert.deepEqual(
        { mode: info.mode, permissions: info.permissions, owner: info.owner, group: info.group },
        { mode: 0o644, permissions: '-rw-r--r--', owner: DEFAULT_USER, group: DEFAULT_USER },
      )
      assert.ok(info.modifiedTime instanceof Date && !Number.isNaN(info.modifiedTime.getTime()), 'modifiedTime')
      assert.equal(info.symlinkTarget, undefined)
    })

    it('describes a directory', async () => {
      const info = await sandbox.files.getInfo(dir)
      assert.deepEqual(
        { name: info.name, type: info.type, path: info.path, mode: info.mode, permissions: info.permissions, owner: info.owner },
        { name: 'info', type: 'dir', path: dir, mode: 0o755, permissions: 'drwxr-xr-x', owner: DEFAULT_USER },
      )
    })

    it("describes a symlink by its target's type and mode, with the link's own size and the resolved target", async () => {
      const info = await sandbox.files.getInfo(link)
      assert.deepEqual(
        { name: info.name, path: info.path, type: info.type, mode: info.mode, symlinkTarget: info.symlinkTarget },
        { name: 'link', path: link, type: 'file', mode: 0o644, symlinkTarget: file },
      )
      assert.equal(info.size, file.length, 'a symlink is as large as the path it stores')
      assert.match(info.permissions, /^L/, 'permissions of a symlink start with L')
      assert.equal(info.owner, DEFAULT_USER)
    })

    it('rejects a missing path with FileNotFoundError', async () => {
      await assert.rejects(sandbox.files.getInfo(`${dir}/missing`), FileNotFoundError)
    })
  })

  it('exists is true for a file and a directory and false for a missing path', async () => {
    await sandbox.files.write(`${scratch.path}/exists.txt`, '')
    assert.equal(await sandbox.files.exists(`${scratch.path}/exists.txt`), true)
    assert.equal(await sandbox.files.exists(scratch.path), true)
    assert.equal(await sandbox.files.exists(`${scratch.path}/nothing-here`), false)
  })

  it('makeDir creates missing parents and returns true, then false when the directory exists', async () => {
    const path = `${scratch.path}/made/with/parents`
    assert.equal(await sandbox.files.makeDir(path), true)
    assert.equal((await sandbox.files.getInfo(path)).type, 'dir')
    assert.equal((await sandbox.files.getInfo(`${scratch.path}/made`)).owner, DEFAULT_USER)
    assert.equal(await sandbox.files.makeDir(path), false)
  })

  it('rename moves a file, returns its new entry and leaves nothing at the old path', async () => {
    const from = `${scratch.path}/before-rename.txt`
    const to = `${scratch.path}/after-rename.txt`
    await sandbox.files.write(from, 'moved content')
    const entry = await sandbox.files.rename(from, to)
    assert.deepEqual({ name: entry.name, path: entry.path, type: entry.type }, { name: 'after-rename.txt', path: to, type: 'file' })
    assert.equal(await sandbox.files.exists(from), false)
    assert.equal(await sandbox.files.read(to), 'moved content')
  })

  it('rename of a missing path throws FileNotFoundError', async () => {
    await assert.rejects(sandbox.files.rename(`${scratch.path}/no-such`, `${scratch.path}/target`), FileNotFoundError)
  })

  it('remove deletes a file and a non-empty directory, and accepts a missing path', async () => {
    await sandbox.files.write(`${scratch.path}/doomed/inner/file.txt`, 'bye')
    await sandbox.files.write(`${scratch.path}/doomed.txt`, 'bye')
    await sandbox.files.remove(`${scratch.path}/doomed.txt`)
    await sandbox.files.remove(`${scratch.path}/doomed`)
    assert.equal(await sandbox.files.exists(`${scratch.path}/doomed.txt`), false)
    assert.equal(await sandbox.files.exists(`${scratch.path}/doomed`), false)
    await sandbox.files.remove(`${scratch.path}/never-existed`)
  })
})
