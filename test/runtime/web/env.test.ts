import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { lines, sameAsNode } from '../../support/same-as-node.ts'
import { runInRuntime } from '../../support/script.ts'

test('process.env holds the environment, and may be changed', async () => {
  await sameAsNode(
    `
    print(process.env.SCRATCHFN_TEST_VALUE, process.env.SCRATCHFN_TEST_MISSING, 'SCRATCHFN_TEST_VALUE' in process.env)
    process.env.SCRATCHFN_TEST_SET = 'later'
    print(process.env.SCRATCHFN_TEST_SET)
  `,
    lines('from the environment undefined true', 'later'),
    { env: { SCRATCHFN_TEST_VALUE: 'from the environment' } },
  )
})

test("Hono's env(c) from hono/adapter reads process.env", async () => {
  await sameAsNode(
    `
    import { Hono } from 'hono'
    import { env } from 'hono/adapter'
    const app = new Hono()
    app.get('/', (c) => c.text(String(env(c).SCRATCHFN_TEST_VALUE)))
    Promise.resolve(app.request('/')).then((r) => r.text()).then((t) => print(t))
  `,
    lines('seen by hono'),
    { env: { SCRATCHFN_TEST_VALUE: 'seen by hono' } },
  )
})

test('process.nextTick runs the callback with its arguments after the current job', async () => {
  await sameAsNode(
    `
    process.nextTick((a, b) => print('tick', a, b), 1, 'two')
    print('sync')
  `,
    lines('sync', 'tick 1 two'),
  )
})

test("looks like a Web runtime to Hono (edge-light), with Node's process and Buffer but no process.release", async () => {
  const run = await runInRuntime(`
    import { getRuntimeKey } from 'hono/adapter'
    print(getRuntimeKey(), navigator.userAgent, typeof EdgeRuntime)
    print(typeof process.versions.node, process.release, typeof Buffer)
  `)
  assert.is(run.stdout, lines('edge-light scratchfn string', 'string undefined function'), run.stderr)
})

test('process.exit ends the script with the given code', async () => {
  const run = await runInRuntime(`
    print('before')
    setTimeout(() => print('never'), 10)
    process.exit(3)
  `)
  assert.is(run.stdout, lines('before'))
  assert.is(run.code, 3)
})

test.run()
