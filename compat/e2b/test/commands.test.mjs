// sandbox.commands: run, background + connect, stdin, kill, list, envs, cwd and timeouts.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CommandExitError, InvalidArgumentError, TimeoutError } from 'e2b'

import { DEFAULT_USER, HOME, IMPOSSIBLE_PID, INIT_ENV, createScratch, openSandbox, removeScratch, scratchDir, waitFor } from '../lib/sandbox.mjs'

describe('commands', { timeout: 300_000 }, () => {
  let sandbox
  const scratch = scratchDir('commands')
  const startedPids = new Set()

  async function startInBackground(cmd, opts = {}) {
    const handle = await sandbox.commands.run(cmd, { ...opts, background: true })
    startedPids.add(handle.pid)
    return handle
  }

  async function runningPids() {
    return new Set((await sandbox.commands.list()).map((p) => p.pid))
  }

  before(async () => {
    sandbox = await openSandbox()
    await createScratch(sandbox, scratch)
  })

  after(async () => {
    if (!sandbox) return
    for (const pid of startedPids) await sandbox.commands.kill(pid).catch(() => false)
    await removeScratch(sandbox, scratch)
  })

  it('runs a command as the default user in its home directory', async () => {
    const result = await sandbox.commands.run('whoami; pwd; echo "$HOME"')
    assert.equal(result.exitCode, 0)
    assert.equal(result.stdout, `${DEFAULT_USER}\n${HOME}\n${HOME}\n`)
  })

  it('returns stdout, stderr and exit code 0, and streams both to the callbacks', async () => {
    const seen = { stdout: '', stderr: '' }
    const result = await sandbox.commands.run('echo hello; echo oops >&2', {
      onStdout: (data) => (seen.stdout += data),
      onStderr: (data) => (seen.stderr += data),
    })
    assert.deepEqual(
      { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr },
      { exitCode: 0, stdout: 'hello\n', stderr: 'oops\n' },
    )
    assert.deepEqual(seen, { stdout: 'hello\n', stderr: 'oops\n' })
  })

  it('throws CommandExitError carrying the exit code and output of a failing command', async () => {
    await assert.rejects(sandbox.commands.run('echo out; echo err >&2; exit 3'), (err) => {
      assert.ok(err instanceof CommandExitError, `expected CommandExitError, got ${err}`)
      assert.equal(err.exitCode, 3)
      assert.equal(err.stdout, 'out\n')
      assert.equal(err.stderr, 'err\n')
      return true
    })
  })

  it('passes the envs option and the env vars given to /init to the command', async () => {
    const result = await sandbox.commands.run(`printf '%s|%s' "$FOO" "$${INIT_ENV.name}"`, {
      envs: { FOO: 'bar baz' },
    })
    assert.equal(result.stdout, `bar baz|${INIT_ENV.value}`)
  })

  it('runs the command in the directory given as cwd', async () => {
    const result = await sandbox.commands.run('pwd', { cwd: scratch.path })
    assert.equal(result.stdout, `${scratch.path}\n`)
  })

  it('rejects a cwd that does not exist with InvalidArgumentError', async () => {
    await assert.rejects(sandbox.commands.run('pwd', { cwd: `${scratch.path}/missing` }), InvalidArgumentError)
  })

  it('delivers output produced after commands.connect to the new handle', async () => {
    const trigger = `${scratch.path}/connect-trigger`
    const cmd = `echo before; while [ ! -e '${trigger}' ]; do sleep 0.1; done; echo after-connect`
    const first = await startInBackground(cmd)
    await waitFor(() => first.stdout === 'before\n', 'the first line of the background command')
    await first.disconnect()

    let streamed = ''
    const second = await sandbox.commands.connect(first.pid, { onStdout: (data) => (streamed += data) })
    assert.equal(second.pid, first.pid)
    await sandbox.files.write(trigger, '')
    const result = await second.wait()
    assert.equal(result.exitCode, 0)
    assert.match(result.stdout, /after-connect\n$/)
    assert.match(streamed, /after-connect\n$/)
  })

  it('feeds stdin to cat with sendStdin and ends it with closeStdin', async () => {
    const handle = await startInBackground('cat', { stdin: true })
    await sandbox.commands.sendStdin(handle.pid, 'first line\n')
    await handle.sendStdin(new TextEncoder().encode('second line\n'))
    await sandbox.commands.closeStdin(handle.pid)
    const result = await handle.wait()
    assert.equal(result.exitCode, 0)
    assert.equal(result.stdout, 'first line\nsecond line\n')
  })

  it('kill returns true for a running command, which then ends, and false for an unknown pid', async () => {
    const handle = await startInBackground('sleep 600')
    assert.equal(await sandbox.commands.kill(handle.pid), true)
    await assert.rejects(handle.wait(), CommandExitError)
    assert.equal(await sandbox.commands.kill(IMPOSSIBLE_PID), false)
  })

  it('list shows a running command with its cmd, args, envs and cwd', async () => {
    const cmd = `sleep 600 # list-${scratch.name}`
    const handle = await startInBackground(cmd, { cwd: scratch.path, envs: { LIST_MARK: 'yes' } })
    const listed = (await sandbox.commands.list()).find((p) => p.pid === handle.pid)
    assert.ok(listed, `pid ${handle.pid} missing from commands.list()`)
    assert.equal(listed.cmd, '/bin/bash')
    assert.equal(listed.args.at(-1), cmd)
    assert.equal(listed.envs.LIST_MARK, 'yes')
    assert.equal(listed.cwd, scratch.path)

    assert.equal(await handle.kill(), true)
    await waitFor(async () => !(await runningPids()).has(handle.pid), `pid ${handle.pid} to leave the list`)
  })

  it('ends a command that outlives timeoutMs with TimeoutError and kills it', async () => {
    await assert.rejects(sandbox.commands.run('sleep 600', { timeoutMs: 2_000 }), TimeoutError)

    const handle = await startInBackground('sleep 600', { timeoutMs: 2_000 })
    await assert.rejects(handle.wait(), TimeoutError)
    await waitFor(async () => !(await runningPids()).has(handle.pid), `timed-out pid ${handle.pid} to be killed`)
  })
})
