import { spawn } from 'node:child_process'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { buildBoth } from '../../support/function-build.ts'
import { repoRoot } from '../../support/paths.ts'
import { startRuntime } from '../../support/process.ts'
import { matchesNode } from '../../support/same-as-node.ts'
import { bundleScript, runBoth, testRuntime } from '../../support/script.ts'

test('process: version, platform, hrtime, memoryUsage, nextTick, emitWarning, as on Node', async () => {
  await matchesNode(
    `
    import proc, { nextTick, hrtime } from 'node:process'
    print(proc === process, require('process') === process, nextTick === process.nextTick, hrtime === process.hrtime)
    print(/^v20\\./.test(process.version) || process.version, typeof process.versions.node, process.platform, process.arch, typeof process.pid, Array.isArray(process.argv), Array.isArray(process.execArgv))
    const t = process.hrtime(); const d = process.hrtime(t)
    print(t.length, Number.isInteger(t[0]) && Number.isInteger(t[1]), d[0] >= 0, typeof process.hrtime.bigint(), process.hrtime.bigint() > 0n)
    const m = process.memoryUsage()
    print(Object.keys(m).join(), m.rss > 0, m.heapUsed > 0, typeof process.memoryUsage.rss(), typeof process.uptime(), process.uptime() >= 0)
    print(typeof process.cwd(), process.env.SCRATCHFN_TEST_VAR, process.exitCode)
    process.on('warning', (w: any) => print('warning', w.name, w.code, w.message))
    process.emitWarning('careful', 'CustomWarning', 'X001')
    process.emitWarning(new Error('as error'))
    nextTick((a: string, b: string) => print('tick', a, b), 'x', 'y')
    print('sync')
  `,
    { env: { SCRATCHFN_TEST_VAR: 'set' } },
  )
})

test("'exit' listeners run with process.exitCode, which sets the exit status; exit() runs them once", async () => {
  const set = await runBoth(`
    process.on('exit', (code) => print('exit listener', code, process.exitCode))
    process.once('exit', () => print('once listener'))
    print(process.listenerCount('exit'), process.listeners('exit').length)
    process.exitCode = 3
    setTimeout(() => print('timer ran'), 1)
  `)
  assert.is(set.node.stdout, '2 2\ntimer ran\nexit listener 3 3\nonce listener\n')
  assert.is(set.runtime.stdout, set.node.stdout)
  assert.is(set.node.code, 3)
  assert.is(set.runtime.code, 3)
  const exited = await runBoth(`
    process.on('exit', (code) => print('exit listener', code))
    setTimeout(() => { print('before exit'); process.exit(5); print('never') }, 1)
  `)
  assert.is(exited.node.stdout, 'before exit\nexit listener 5\n')
  assert.is(exited.runtime.stdout, exited.node.stdout)
  assert.is(exited.runtime.code, 5)
})

async function runSignalled(file: string, command: string, args: string[]): Promise<{ stdout: string; code: number | string }> {
  const child = spawn(command, [...args, file], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let signalled = false
  child.stdout.on('data', (c) => {
    stdout += c
    if (stdout.includes('ready\n') && !signalled) {
      signalled = true
      child.kill('SIGTERM')
    }
  })
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ stdout, code: code ?? signal ?? -1 })))
}

test('a script with a SIGTERM listener keeps running, as on Node; without one it ends at the signal', async () => {
  const source = `
    process.on('SIGTERM', (signal) => { print('listener saw', signal); setTimeout(() => { print('cleaned up'); process.exit(0) }, 5) })
    setInterval(() => {}, 1000)
    print('ready')
  `
  const [forRuntime, forNode] = await Promise.all([bundleScript(source), bundleScript(source, true)])
  try {
    const [runtime, node] = await Promise.all([
      runSignalled(forRuntime.file, testRuntime, ['--script']),
      runSignalled(forNode.file, process.execPath, []),
    ])
    assert.is(node.stdout, 'ready\nlistener saw SIGTERM\ncleaned up\n')
    assert.is(runtime.stdout, node.stdout)
    assert.is(runtime.code, 0)
  } finally {
    forRuntime.dispose()
    forNode.dispose()
  }
})

test('serving, SIGTERM reaches process listeners while the drain proceeds; exit listeners run at the end', async () => {
  const { bin } = await buildBoth(`${repoRoot}/test/fixtures/node/sigterm-listener.ts`)
  const server = await startRuntime(bin, { SCRATCHFN_DRAIN_DELAY_MS: '200', SCRATCHFN_ACCESS_LOG: '0' })
  const before = await (await fetch(`${server.url}/sigterm-listener/`)).json()
  assert.equal(before, { draining: false })
  server.proc.kill('SIGTERM')
  await new Promise((r) => setTimeout(r, 50))
  const ready = await fetch(`${server.url}/readyz`)
  assert.is(ready.status, 503, 'readiness fails at once, as without a listener')
  const during = await (await fetch(`${server.url}/sigterm-listener/`)).json()
  assert.equal(during, { draining: true })
  assert.is(await server.exited, 0)
  const out = server.stdout()
  assert.match(out, 'listener saw SIGTERM')
  assert.match(out, 'exit event 0')
  assert.ok(out.indexOf('listener saw SIGTERM') < out.indexOf('exit event 0'))
})

test.run()
