// The conformance cases (conformance-suite.ts) against the release runtime that images ship.
import { runtimeBinary } from '../support/paths.ts'
import { conformanceSuite } from './conformance-suite.ts'

conformanceSuite({ title: 'conformance: Node + @hono/node-server vs the static runtime', runtime: () => runtimeBinary }).test.run()
