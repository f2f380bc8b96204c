// `npm run new -- <name>`: writes functions/<name>.ts and test/functions/<name>.test.ts,
// a working function and a passing test, so the first edit starts from green.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { checkContract } from '../contract/check-contract.ts'
import { findFunctions, FUNCTION_NAME } from '../contract/find-functions.ts'

export interface NewFunctionOptions {
  root: string
  name: string
}

export interface NewFunctionResult {
  /** Both relative to root. */
  functionFile: string
  testFile: string
}

// These paths answer outside every function, so a function there could never be reached.
const RESERVED = new Set(['healthz', 'readyz', 'metrics'])
const known = new Set(['root', 'name'])

export function newFunction(options: NewFunctionOptions): NewFunctionResult {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`newFunction: unknown option '${key}'`)
  const { root, name } = options
  if (!name) throw new Error('usage: npm run new -- <name>   (e.g. npm run new -- orders)')
  if (!FUNCTION_NAME.test(name)) {
    throw new Error(
      `'${name}' is not a valid function name: use lower-case letters, digits and '-', starting with a letter, at most 63 (e.g. 'orders' or 'order-events'); it becomes the file, image and route name`,
    )
  }
  if (RESERVED.has(name)) throw new Error(`'${name}' is reserved: /${name} is the runtime's own health endpoint; pick another name`)
  const functionFile = `functions/${name}.ts`
  const testFile = `test/functions/${name}.test.ts`
  for (const file of [functionFile, testFile]) {
    if (existsSync(join(root, file)))
      throw new Error(`${file} already exists: the name '${name}' is taken; pick another name, or edit that file`)
  }
  const route = `/${name}`
  if (existsSync(join(root, 'functions'))) {
    for (const fn of findFunctions({ root })) {
      let claimed: string | undefined
      try {
        claimed = checkContract({ file: fn.file, relFile: fn.relFile }).route
      } catch {
        continue // a broken neighbour is the build's to report, not ours
      }
      if (claimed !== undefined && claimed.replace(/\/+$/, '') === route) {
        throw new Error(`${fn.relFile} already answers ${route} (its config.route); pick another name, or change that route`)
      }
    }
  }
  write(join(root, functionFile), functionSource(name))
  write(join(root, testFile), testSource(name))
  return { functionFile, testFile }
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true })
  // 'wx': never overwrite, even if the file appeared since the check above.
  writeFileSync(file, text, { flag: 'wx' })
}

function functionSource(name: string): string {
  return `// ${name}: GET /${name} answers a greeting, GET /${name}/:who greets someone.
// The route is the file name; the paths below are relative to it.
import { Hono } from 'hono'

const app = new Hono()

app.get('/', (c) => c.json({ message: 'Hello from ${name}!' }))
app.get('/:who', (c) => c.json({ message: \`Hello, \${c.req.param('who')}!\` }))

export default app
export const config = { memory: '32Mi' }
`
}

function testSource(name: string): string {
  return `// functions/${name}.ts under Node, with app.request(): no server, no port.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import app from '../../functions/${name}.ts'

const test = suite('functions/${name}.ts')

test('GET / answers a greeting', async () => {
  const res = await app.request('/')
  assert.is(res.status, 200)
  assert.equal(await res.json(), { message: 'Hello from ${name}!' })
})

test('GET /:who greets by name', async () => {
  const res = await app.request('/Ada')
  assert.is(res.status, 200)
  assert.equal(await res.json(), { message: 'Hello, Ada!' })
})

test('an unknown path answers 404', async () => {
  const res = await app.request('/a/b/c')
  assert.is(res.status, 404)
})

test.run()
`
}
