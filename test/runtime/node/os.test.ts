import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { matchesNode } from '../../support/same-as-node.ts'
import { runInRuntime } from '../../support/script.ts'

test('os answers what a container knows, as Node does', async () => {
  await matchesNode(
    `
    import os, { EOL } from 'node:os'
    print(JSON.stringify(EOL), os.platform(), os.type(), os.arch(), os.endianness(), os.tmpdir(), os.homedir(), os.devNull, os.constants.signals.SIGTERM, require('os').EOL === EOL)
  `,
    { env: { HOSTNAME: 'pod-1', TMPDIR: '/scratch/', HOME: '/home/fn' } },
  )
})

test("os.hostname() is $HOSTNAME (a pod's name); os refuses machine figures it cannot see, naming what to do", async () => {
  const run = await runInRuntime(
    `
    import os from 'node:os'
    print(os.hostname())
    for (const f of ['totalmem', 'cpus'] as const) try { os[f](); print('answered') } catch (e: any) { print(e.message) }
  `,
    { env: { HOSTNAME: 'pod-7' } },
  )
  assert.match(run.stdout, /^pod-7\n/)
  assert.match(run.stdout, 'os.totalmem() is not available in scratchfn')
  assert.match(run.stdout, 'os.cpus() is not available in scratchfn')
})

test.run()
