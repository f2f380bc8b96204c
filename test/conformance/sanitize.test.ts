// The conformance cases against the runtime built with AddressSanitizer and
// UndefinedBehaviorSanitizer (runtime/Makefile VARIANT=sanitize): every answer must match
// Node's, and the sanitizers must report nothing. A report aborts the runtime, so it
// shows as failed cases too; its stderr says where.
import * as assert from 'uvu/assert'
import { buildRuntime } from '../../scripts/runtime/build-runtime.ts'
import { conformanceSuite } from './conformance-suite.ts'

const conformance = conformanceSuite({
  title: 'conformance: Node + @hono/node-server vs the sanitizer build (ASan+UBSan)',
  runtime: async () => (await buildRuntime({ variant: 'sanitize', quiet: true })).binary,
  startMs: 30_000,
})

conformance.test('the sanitizers reported nothing, and the runtime is still serving', () => {
  const server = conformance.scratchfn()
  assert.ok(server, 'the sanitizer build started')
  const stderr = server.stderr()
  assert.not.match(stderr, /AddressSanitizer|UndefinedBehaviorSanitizer|runtime error:/, stderr.slice(0, 4000))
  assert.is(server.proc.exitCode, null, `the runtime exited: ${stderr.slice(0, 4000)}`)
})

conformance.test.run()
