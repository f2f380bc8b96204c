// The HTTP request parser under libFuzzer with ASan and UBSan, for FUZZ_SECONDS (default
// 60, as CI runs it): the seed corpus of real requests, then mutations of it. Any crash,
// sanitizer report, hang or broken invariant fails the suite and names the saved input.
import { readdirSync } from 'node:fs'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fuzzPaths, runFuzzer } from '../../../scripts/fuzz/fuzz.ts'

const seconds = Number(process.env.FUZZ_SECONDS ?? 60)

test('has a seed corpus of real requests and a dictionary', () => {
  const seeds = readdirSync(fuzzPaths.seeds)
  for (const name of [
    'get',
    'post-content-length',
    'post-chunked',
    'chunked-extensions-trailers',
    'pipelined',
    'absolute-form',
    'options-asterisk',
    'expect-continue',
  ]) {
    assert.ok(seeds.includes(name), `runtime/fuzz/corpus/${name}`)
  }
})

test(`survives ${seconds} s of fuzzing without a crash`, async () => {
  const r = await runFuzzer({ seconds, quiet: true })
  console.log(
    `  fuzz: ${r.execs.toLocaleString('en')} executions (${r.execsPerSecond.toLocaleString('en')} exec/s), ${r.newInputs} new inputs`,
  )
  assert.equal(r.crashes, [], `the fuzzer crashed; replay with .scratchfn/fuzz/http-parser-fuzz <input>:\n${r.report}`)
  assert.ok(r.execs > seconds * 1000, `only ${r.execs} executions in ${seconds} s`)
})

test.run()
