#!/usr/bin/env node
// Small HTTP probes for build/envd-compat.sh, done with node so the harness needs no curl.
//   agent-http.mjs port-free PORT        exit 0 if PORT can be bound on this machine, else 1
//   agent-http.mjs health PORT           exit 0 if GET /health answers 204, else 1 (status on stderr)
//   agent-http.mjs init PORT JSON        POST JSON to /init; exit 0 on 2xx, else 1 (status and body on stderr)
import { createServer } from 'node:net'

const [command, port, body] = process.argv.slice(2)
// The same host name the SDK uses in debug mode, so the probe resolves it the way the tests will.
const base = `http://localhost:${port}`

function fail(message) {
  console.error(message)
  process.exit(1)
}

function portFree() {
  const server = createServer()
  server.once('error', (err) => fail(`port ${port} is not free: ${err.code}`))
  server.listen(Number(port), () => server.close(() => process.exit(0)))
}

async function health() {
  const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) })
  if (res.status !== 204) fail(`GET /health answered ${res.status}`)
}

async function init() {
  const res = await fetch(`${base}/init`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
    signal: AbortSignal.timeout(10_000),
  })
  if (!res.ok) fail(`POST /init ${body} answered ${res.status}: ${await res.text()}`)
}

const commands = { 'port-free': portFree, health, init }
if (!commands[command] || !port) fail('usage: agent-http.mjs port-free|health|init PORT [JSON]')
try {
  await commands[command]()
} catch (err) {
  fail(`${command} on ${base}: ${err.cause?.code ?? err.message}`)
}
