// `scratchfn-runtime --script FILE`: runs until nothing is pending, exit codes, argv,
// timers and the os functions of __core.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fixture, runRuntime } from './helpers.ts'

test('exits 0 once nothing is pending, running timers by due time and then start order', async () => {
  const r = await runRuntime(['--script', fixture('timers.js')])
  assert.is(r.code, 0, r.stderr)
  assert.is(r.stdout, 'sync,microtask,0,10,10b,10+0,30\n')
})

test('gives the script its args, env, clocks, random bytes and both output fds', async () => {
  const r = await runRuntime(['--script', fixture('script-basics.js'), 'a b', 'c'], { env: { SCRATCHFN_TEST_VALUE: 'from env' } })
  assert.is(r.code, 0, r.stderr)
  const [json, ok] = r.stdout.split('\n')
  assert.equal(JSON.parse(json), {
    argv: ['a b', 'c'],
    env: 'from env',
    global: 'yes',
    hrtimeMoves: true,
    wallTimeNearDate: true,
    randomNonZero: true,
    tooMuchRandom: 'RangeError',
    badFd: 'TypeError',
    badChunk: 'TypeError',
    badTimer: 'TypeError',
    bigint: '18446744073709551616',
    stackOverflow: 'InternalError', // QuickJS's name for it; the process lives on
  })
  assert.is(ok, 'ok')
  assert.is(r.stderr, 'to stderr\n')
})

test('exits with the code given to __core.exit, flushing stdout first', async () => {
  const r = await runRuntime(['--script', fixture('script-basics.js'), 'exit', '3'])
  assert.is(r.code, 3)
  assert.match(r.stdout, /ok\n$/)
})

test('exits 1 on an uncaught exception, with the error and its stack on stderr', async () => {
  const r = await runRuntime(['--script', fixture('throws.js')])
  assert.is(r.code, 1)
  assert.match(r.stderr, /Error: boom from a timer/)
  assert.match(r.stderr, /at failLater \(.*throws\.js/)
})

test('exits 1 on a rejection nobody handles', async () => {
  const r = await runRuntime(['--script', fixture('rejects.js')])
  assert.is(r.code, 1)
  assert.match(r.stderr, /unhandled rejection: Error: nobody awaited this/)
})

test('exits 143 on SIGTERM and 130 on SIGINT, even inside a busy loop', async () => {
  const kill = (signal: NodeJS.Signals) => (text: string, pid: number) => {
    if (text.includes('ready')) process.kill(pid, signal)
  }
  assert.is((await runRuntime(['--script', fixture('waits.js')], { onStdout: kill('SIGTERM') })).code, 143)
  assert.is((await runRuntime(['--script', fixture('waits.js')], { onStdout: kill('SIGINT') })).code, 130)
  assert.is((await runRuntime(['--script', fixture('waits.js'), 'busy'], { onStdout: kill('SIGTERM') })).code, 143)
})

test('needs a FILE after --script', async () => {
  const r = await runRuntime(['--script'])
  assert.is(r.code, 1)
  assert.match(r.stderr, /--script needs a FILE/)
})

test.run()
