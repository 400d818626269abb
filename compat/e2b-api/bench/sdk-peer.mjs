// The E2B JavaScript SDK's side of the Java SDK benchmark (build/sdk-bench.sh): create → first output and the exec
// round trip on one sandbox, p50/p95 in ms, printed as one JSON line. Reads E2B_API_URL, E2B_SANDBOX_URL, E2B_API_KEY.
import { Sandbox } from 'e2b'

const runs = Number(process.argv[2] ?? 20)
const create = []
const exec = []
function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}
for (let i = 0; i <= runs; i++) {
  const start = performance.now()
  const sbx = await Sandbox.create('base')
  const out = await sbx.commands.run('echo first')
  const took = performance.now() - start
  if (out.stdout !== 'first\n') throw new Error(`run printed ${JSON.stringify(out.stdout)}`)
  const t = performance.now()
  await sbx.commands.run('true')
  const round = performance.now() - t
  await sbx.kill()
  if (i > 0) { create.push(took); exec.push(round) } // the first run warms up
}
console.log(JSON.stringify({ createP50: percentile(create, 50), createP95: percentile(create, 95),
  execP50: percentile(exec, 50), execP95: percentile(exec, 95) }))
