// Runs simulations through @cloud-copilot/iam-simulate in its Strict mode, as the oracle of
// tests/differential.rs. Input: a file of JSON lines, one simulation (the package's `Simulation`
// shape) per line. Output: one JSON line per input line: {"result": "Allowed" | ... } or
// {"error": "..."} when the package rejects the simulation.
import { readFileSync } from 'node:fs'
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate'

const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim() !== '')
const out = []
for (const line of lines) {
  const sim = JSON.parse(line)
  if (sim.request.principal === 'anonymous') sim.request.principal = anonymousPrincipal
  try {
    const r = await runSimulation(sim, { simulationMode: 'Strict' })
    if (r.resultType === 'error') {
      out.push(JSON.stringify({ error: JSON.stringify(r.errors) }))
    } else {
      out.push(JSON.stringify({ result: r.overallResult }))
    }
  } catch (e) {
    out.push(JSON.stringify({ error: String(e) }))
  }
}
process.stdout.write(out.join('\n') + '\n')
