// `scratchfn-runtime --probe [PATH]`, the image's HEALTHCHECK, run as a second process
// against a serving runtime, as podman and Docker run it: exit 0 and no output when
// /healthz answers 2xx; exit 1 with one line saying why when the path answers something
// else, nothing listens, or the event loop is held by a handler that spins (the wedge the
// probe exists to catch), and healthy again once the handler timeout frees the loop.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { connect } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth } from '../../support/function-build.ts'
import { repoRoot, runtimeBinary } from '../../support/paths.ts'
import { freePort, startRuntime, type Server } from '../../support/process.ts'
import { waitFor } from './helpers.ts'

const HANDLER_TIMEOUT_MS = 3000
let server: Server

function probe(args: string[], env: Record<string, string> = {}) {
  const out = spawnSync(runtimeBinary, ['--probe', ...args], {
    env: { PATH: process.env.PATH, PORT: String(server.port), SCRATCHFN_PROBE_TIMEOUT_MS: '500', ...env },
    encoding: 'utf8',
    timeout: 10_000,
  })
  return { code: out.status, stdout: out.stdout, stderr: out.stderr }
}

const test = suite('runtime --probe')

test.before(async () => {
  const built = await buildBoth(join(repoRoot, 'test/fixtures/faults/faults.ts'), 'faults')
  server = await startRuntime(built.bin, { SCRATCHFN_HANDLER_TIMEOUT_MS: String(HANDLER_TIMEOUT_MS) })
})
test.after(async () => {
  await server?.stop()
})

test('exits 0, printing nothing, when /healthz answers 200', () => {
  const r = probe([])
  assert.is(r.code, 0, r.stderr)
  assert.is(r.stdout + r.stderr, '')
})

test('probes another path when given one: 2xx passes, anything else fails naming the status', () => {
  assert.is(probe(['/faults/ok']).code, 0)
  const missing = probe(['/faults/nothing-here'])
  assert.is(missing.code, 1)
  assert.match(missing.stderr, /^scratchfn-runtime --probe: GET http:\/\/127\.0\.0\.1:\d+\/faults\/nothing-here: answered 404\n$/)
  const failing = probe(['/faults/throw'])
  assert.is(failing.code, 1)
  assert.match(failing.stderr, /answered 500\n$/)
})

test('fails with the reason when nothing listens on $PORT', async () => {
  const r = probe([], { PORT: String(await freePort()) })
  assert.is(r.code, 1)
  assert.match(r.stderr, /cannot connect: Connection refused \(ECONNREFUSED\); is the server listening on \$PORT\?\n$/)
  assert.is(r.stderr.split('\n').length, 2, 'one line')
})

test('refuses a PATH that is not an absolute path, or would break the request line', () => {
  for (const bad of ['healthz', '/a b', '/a\r\nx: y']) {
    const r = probe([bad])
    assert.is(r.code, 1, bad)
    assert.match(r.stderr, /PATH (must start with '\/'|may not hold spaces)/, bad)
  }
  assert.match(probe(['/a', '/b']).stderr, /takes one PATH, got 2 arguments/)
})

test('fails while a handler spins (the loop that answers /healthz is blocked), and passes again once it is interrupted', async () => {
  // A request that loops forever, sent and left running.
  const socket = connect(server.port, '127.0.0.1')
  let answer = ''
  socket.on('data', (c) => (answer += c))
  socket.write('GET /faults/loop HTTP/1.1\r\nHost: t\r\n\r\n')
  // The access log is written only after the answer; the spin shows as /healthz going quiet.
  await waitFor(() => probe([], { SCRATCHFN_PROBE_TIMEOUT_MS: '200' }).code === 1, 'the probe to fail during the spin')
  const wedged = probe([], { SCRATCHFN_PROBE_TIMEOUT_MS: '300' })
  assert.is(wedged.code, 1)
  assert.match(wedged.stderr, /\/healthz: no answer within 300 ms \(SCRATCHFN_PROBE_TIMEOUT_MS\): the event loop is blocked\n$/)
  // The handler timeout interrupts the loop: 504 for that request, and the probe passes again.
  await waitFor(() => answer.includes('\r\n\r\n'), 'the 504 for the spinning request', HANDLER_TIMEOUT_MS + 5000)
  assert.match(answer, /^HTTP\/1\.1 504 /)
  socket.destroy()
  assert.is(probe([]).code, 0)
})

test.run()
