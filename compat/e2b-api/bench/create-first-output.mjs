// Benchmark for issue 6: E2B SDK create → first command output, p50 and p95, against the same through Wrenn's /v1
// API, in one run (runs interleaved). Reads E2B_API_URL, E2B_SANDBOX_URL and E2B_API_KEY (an e2b_ key, which /v1
// accepts as X-API-Key too). Run through `bash build/e2b-api-compat.sh --bench [runs]`.
import { Sandbox } from 'e2b'

const runs = Number(process.argv[2] ?? 50)
const api = process.env.E2B_API_URL
const key = process.env.E2B_API_KEY

async function viaSdk() {
  const start = performance.now()
  const sbx = await Sandbox.create('base')
  const out = await sbx.commands.run('echo first')
  const took = performance.now() - start
  if (out.stdout !== 'first\n') throw new Error(`SDK run printed ${JSON.stringify(out.stdout)}`)
  await sbx.kill()
  return took
}

async function call(method, path, body) {
  const res = await fetch(api + path, {
    method,
    headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`)
  return res.status === 204 ? null : res.json()
}

async function viaV1() {
  const start = performance.now()
  const sb = await call('POST', '/v1/sandboxes', { template: 'base' })
  const out = await call('POST', `/v1/sandboxes/${sb.id}/exec`, { cmd: 'echo', args: ['first'] })
  const took = performance.now() - start
  if (out.stdout !== 'first\n') throw new Error(`/v1 exec printed ${JSON.stringify(out.stdout)}`)
  await call('DELETE', `/v1/sandboxes/${sb.id}`)
  return took
}

function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

const sdk = []
const v1 = []
await viaSdk() // warm-up: base template, JIT, connections
await viaV1()
for (let i = 0; i < runs; i++) {
  sdk.push(await viaSdk())
  v1.push(await viaV1())
}
const row = (name, s) => `| ${name} | ${percentile(s, 50).toFixed(0)} ms | ${percentile(s, 95).toFixed(0)} ms |`
console.log(`| path (${runs} runs each, interleaved) | p50 | p95 |`)
console.log('|---|---|---|')
console.log(row('E2B SDK: Sandbox.create → commands.run output', sdk))
console.log(row('floor: /v1 create → exec output (same control plane and host agent)', v1))
