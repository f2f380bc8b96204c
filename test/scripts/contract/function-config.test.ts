// The contract step checks `export const config` once: every bad value fails the build
// at its place in the file, with the fix, and nothing is written for that function.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { checkConfig, type FunctionConfig } from '../../../scripts/contract/function-config.ts'
import { readConfig } from '../../../scripts/contract/read-config.ts'
import { LocatedError } from '../../../scripts/shared/located-error.ts'
import { tempProject } from '../../support/project.ts'

const relFile = 'functions/x.ts'
const header = "import { Hono } from 'hono'\nexport default new Hono()\n"

/** Reads and checks a function file's text as the build does. */
function check(text: string): FunctionConfig {
  const source = ts.createSourceFile('x.ts', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
  const read = readConfig(source, relFile)
  return checkConfig({ values: read.values, places: read.places, relFile })
}

/** The one line a bad config prints, and its hint. */
function refusal(text: string): string {
  try {
    check(text)
  } catch (err) {
    assert.instance(err, LocatedError)
    return (err as Error).message
  }
  throw new assert.Assertion({
    message: `expected ${JSON.stringify(text)} to be refused`,
    operator: 'throws',
    expects: 'an error',
    actual: 'none',
  })
}

const test = suite('contract: one checked function config')

test('defaults when the file exports no config', () => {
  const c = check(header)
  assert.equal(c, { budgetBytes: 10_000_000, memory: '32Mi', memoryBytes: 32 * 1024 ** 2, cpu: '10m', env: {}, scaling: {} })
})

test('every key is read into the typed config', () => {
  const c = check(`${header}export const config = { route: '/api/x', budget: '1.5MB', memory: '64Mi', cpu: '250m',
    env: { GREETING: 'hi' }, scaling: { min: 2, max: 6 }, maxBodyBytes: 2048, timeoutMs: 500, trustedCA: true }\n`)
  assert.equal(c, {
    route: '/api/x',
    budgetBytes: 1_500_000,
    memory: '64Mi',
    memoryBytes: 64 * 1024 ** 2,
    cpu: '250m',
    env: { GREETING: 'hi' },
    scaling: { min: 2, max: 6 },
    maxBodyBytes: 2048,
    timeoutMs: 500,
    trustedCA: true,
  })
})

test('trustedCA: true or false (false is the default and is left out)', () => {
  assert.equal(check(`${header}export const config = { trustedCA: false }\n`).trustedCA, undefined)
  assert.match(
    refusal(`${header}export const config = { trustedCA: 'yes' }\n`),
    /^functions\/x\.ts:3:25: error: config\.trustedCA must be true or false, got "yes"/,
  )
})

test('budget: bytes or a size string, at most the 10 MB cap', () => {
  const budget = (v: string) => check(`${header}export const config = { budget: ${v} }\n`).budgetBytes
  assert.is(budget('1_200_000'), 1_200_000)
  assert.is(budget("'1500KB'"), 1_500_000)
  assert.is(budget("'2MiB'"), 2_097_152)
  assert.is(budget("'10MB'"), 10_000_000)
  assert.match(
    refusal(`${header}export const config = { budget: '20MB' }\n`),
    /^functions\/x\.ts:3:25: error: config\.budget "20MB" \(20\.00 MB\) is over the 10\.00 MB cap that every image keeps\n  set it to at most '10MB'/,
  )
  assert.match(refusal(`${header}export const config = { budget: 'big' }\n`), /is not a size\n  write bytes/)
  assert.match(refusal(`${header}export const config = { budget: 0 }\n`), /more than 0 bytes/)
})

test('constant expressions are evaluated: arithmetic, templates and top-level consts of the file', () => {
  const c = check(
    `${header}const MB = 1_000_000\nconst name = 'x'\nexport const config = { budget: 2 * MB, route: \`/api/\${name}\`, memory: 64 + 'Mi' } as const\n`,
  )
  assert.is(c.budgetBytes, 2_000_000)
  assert.is(c.route, '/api/x')
  assert.is(c.memory, '64Mi')
})

test('a value the build cannot evaluate is refused at its place, never dropped', () => {
  assert.match(
    refusal(`${header}export const config = {\n  budget: limit(),\n}\n`),
    /^functions\/x\.ts:4:11: error: config\.budget: the build cannot evaluate `limit\(\)`\n  config is read at build time without running the file/,
  )
  assert.match(
    refusal(`${header}export const config = { env: { URL: process.env.URL } }\n`),
    /^functions\/x\.ts:3:37: error: config\.env\.URL: the build cannot evaluate `process\.env\.URL`/,
  )
  assert.match(
    refusal(`${header}import { MB } from './sizes'\nexport const config = { budget: 2 * MB }\n`),
    /^functions\/x\.ts:4:37: error: config\.budget: the build cannot evaluate `MB`/,
  )
})

test('memory and cpu are Kubernetes quantities; the fix names the right unit', () => {
  assert.match(
    refusal(`${header}export const config = {\n  memory: '32MB',\n}\n`),
    /^functions\/x\.ts:4:3: error: config\.memory "32MB" is not a Kubernetes memory quantity\n  write '32Mi' \(binary\) or '32M' \(decimal\); Kubernetes has no 'B' suffix/,
  )
  assert.match(refusal(`${header}export const config = { memory: '8Mi' }\n`), /below the 16Mi the runtime needs/)
  assert.match(
    refusal(`${header}export const config = { cpu: 'lots' }\n`),
    /^functions\/x\.ts:3:25: error: config\.cpu "lots" is not a Kubernetes CPU quantity\n  write e\.g\. '50m'/,
  )
})

test('scaling: whole numbers, max at least 1 and at least min', () => {
  assert.match(
    refusal(`${header}export const config = { scaling: { min: 3, max: 1 } }\n`),
    /^functions\/x\.ts:3:44: error: config\.scaling\.max \(1\) is below scaling\.min \(3\)\n  raise max to at least 3/,
  )
  assert.match(refusal(`${header}export const config = { scaling: { min: 1.5 } }\n`), /config\.scaling\.min must be a whole number/)
  assert.match(
    refusal(`${header}export const config = { scaling: { most: 2 } }\n`),
    /config\.scaling\.most is not a setting\n  use min and max/,
  )
  // Scale to zero is the deploy target's call (Knative allows it), not the build's.
  assert.equal(check(`${header}export const config = { scaling: { min: 0 } }\n`).scaling, { min: 0 })
})

test('env: strings with valid names, not the variables the image owns', () => {
  assert.match(
    refusal(`${header}export const config = {\n  env: { PORT: '9' },\n}\n`),
    /^functions\/x\.ts:4:10: error: config\.env\.PORT is set by the image/,
  )
  assert.match(refusal(`${header}export const config = { env: { 'A-B': 'x' } }\n`), /'A-B' is not a valid variable name/)
  assert.match(refusal(`${header}export const config = { env: { N: 3 } }\n`), /config\.env\.N must be a string, got 3\n  write N: '3'/)
  assert.match(refusal(`${header}export const config = { timeoutMs: 5, env: { SCRATCHFN_HANDLER_TIMEOUT_MS: '9' } }\n`), /both set it/)
})

test('unknown keys and a config that is not an object', () => {
  assert.match(
    refusal(`${header}export const config = { memroy: '32Mi' }\n`),
    /^functions\/x\.ts:3:25: error: unknown config key 'memroy'\n  allowed keys: route, budget/,
  )
  assert.match(refusal(`${header}export let config = {}\n`), /must be declared with `export const`/)
  assert.match(refusal(`${header}export const config = 'x'\n`), /config must be an object literal/)
})

const build = suite('contract: a bad config fails `npm run build` and writes nothing for that function')

build('memory 32MB, cpu lots, scaling 3..1 and a non-literal value each fail with their place and fix', () => {
  const p = tempProject([])
  try {
    p.write('good', `${header}`)
    p.write('mem', `${header}export const config = { memory: '32MB' }\n`)
    p.write('cpu', `${header}export const config = { cpu: 'lots' }\n`)
    p.write('scale', `${header}export const config = { scaling: { min: 3, max: 1 } }\n`)
    p.write('calc', `${header}const size = () => 2e6\nexport const config = { budget: size() }\n`)
    const run = p.build()
    assert.is(run.code, 1, run.output)
    assert.match(run.stderr, /^functions\/mem\.ts:3:25: error: config\.memory "32MB" is not a Kubernetes memory quantity\n  write '32Mi'/m)
    assert.match(run.stderr, /^functions\/cpu\.ts:3:25: error: config\.cpu "lots" is not a Kubernetes CPU quantity\n  write e\.g\. '50m'/m)
    assert.match(run.stderr, /^functions\/scale\.ts:3:44: error: config\.scaling\.max \(1\) is below scaling\.min \(3\)/m)
    assert.match(run.stderr, /^functions\/calc\.ts:4:33: error: config\.budget: the build cannot evaluate `size\(\)`/m)
    assert.match(run.stdout, /built 1 of 5 functions/)
    for (const name of ['mem', 'cpu', 'scale', 'calc']) {
      assert.not.ok(existsSync(join(p.root, 'dist/images', name)), `no image for ${name}`)
      assert.not.ok(existsSync(join(p.root, '.scratchfn/build', name)), `no build output for ${name}`)
    }
    assert.ok(existsSync(join(p.root, 'dist/images/good/index.json')))
  } finally {
    p.remove()
  }
})

test.run()
build.run()
