import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sandbox } from '../lib/env.mjs'

test('files.write overwrite replaces the metadata of the earlier file, and clears it when none is given', async (t) => {
  const sbx = await sandbox(t)
  const path = '/home/user/meta.txt'
  const written = await sbx.files.write(path, 'one', { metadata: { Owner: 'a', keep: 'x' } })
  assert.deepEqual(written.metadata, { owner: 'a', keep: 'x' })
  assert.deepEqual((await sbx.files.getInfo(path)).metadata, { owner: 'a', keep: 'x' })
  await sbx.files.write(path, 'two', { metadata: { other: 'b' } })
  assert.deepEqual((await sbx.files.getInfo(path)).metadata, { other: 'b' })
  const plain = await sbx.files.write(path, 'three')
  assert.equal(plain.metadata, undefined)
  assert.equal((await sbx.files.getInfo(path)).metadata, undefined)
  assert.equal(await sbx.files.read(path), 'three')
})
