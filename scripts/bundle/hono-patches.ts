// A patch to Hono's code for QuickJS, applied by esbuild as it reads hono/dist (node_modules
// stays untouched). Hono's Context declares its helpers (c.json, c.text, c.header, ... fifteen
// of them) as arrow-function class fields, so every request makes fifteen closures, each a
// cycle back to its Context for the cycle collector: on QuickJS that was a third of a
// request's instructions (73k of 216k for accounts). Here each one becomes an accessor on
// the prototype that makes the same arrow function when read, so `c.json(...)` and
// `const { json } = c` behave as before, `c.json = other` stores `other` as the own property
// the field would have been, and only the helpers a request uses are made. The function
// read is not kept on the Context: kept, it would be a cycle again. (So `c.json === c.json`
// is false; nothing in Hono or its middleware compares them.) HonoRequest's private
// `#cachedBody` arrow becomes a private method. And RegExpRouter matches a path with
// `matcher.exec(path)` rather than `path.match(matcher)`: the same result for its regular
// expressions (no g or y flag), without String.prototype.match's trip through
// RegExp.prototype[Symbol.match] and the `flags` getter (eight property reads), 7% of a request.
// c.json(value) alone builds its Response without #newResponse's generic merging (below), and
// the Context's `env = {}` is made only when no options replace it.
// getPath starts its character loop at the first '%', '?' or '#' (found with indexOf): the
// loop stops at the first of them anyway, and walking a path char by char in the interpreter
// cost 200 bytecodes a request.
//
// Hono is the project's dependency and moves with it, so the patch anchors on the shape of
// the text, not on a version: a field it does not recognise stays a field, and a file whose
// class it cannot find, or whose patched text does not parse, is bundled as it is (the
// function runs, slower). test/scripts/bundle/hono-patches.test.ts fails when the installed
// Hono is no longer patched.
import { readFileSync } from 'node:fs'
import { transformSync, type Plugin } from 'esbuild'

const FILE = /[\\/]hono[\\/]dist[\\/](context|request|router[\\/]reg-exp-router[\\/]matcher|utils[\\/]url)\.js$/
const MATCH = 'const match = path.match(matcher[0]);'
const PATH_LOOP = '\tlet i = start;\n\tfor (; i < url.length; i++) {\n\t\tconst charCode = url.charCodeAt(i);\n'
const PATH_SKIP = [
  '\tlet i = url.length;',
  '\tlet at = url.indexOf("%", start);',
  '\tif (at !== -1) i = at;',
  '\tat = url.indexOf("?", start);',
  '\tif (at !== -1 && at < i) i = at;',
  '\tat = url.indexOf("#", start);',
  '\tif (at !== -1 && at < i) i = at;',
  '',
].join('\n')

/** `\tname = (params) => body;` at the class body's indentation; `body` may span lines up to `\t};`. */
const FIELD = /^\t(#?[A-Za-z_$][\w$]*) = (\([^()]*\)) => (.*)$/

const OWN_HELPER =
  'const __scratchfnOwn = (o, k, v) => { Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true }); };\n'

export interface HonoPatchResult {
  source: string
  /** The fields turned into accessors or private methods. */
  fields: string[]
}

/** The class body `var <name> = class {` ... `\n};` as [start of its body, end], or null. */
function classBody(source: string, name: string): [number, number] | null {
  const head = `var ${name} = class {\n`
  const start = source.indexOf(head)
  if (start < 0) return null
  const end = source.indexOf('\n};', start)
  return end < 0 ? null : [start + head.length, end]
}

/** Each arrow field of the class as its name, its arrow function's text and the lines it spans. */
function arrowFields(lines: string[]): { name: string; arrow: string; from: number; to: number }[] {
  const fields = []
  for (let i = 0; i < lines.length; i++) {
    const m = FIELD.exec(lines[i])
    if (m === null) continue
    const [, name, params, rest] = m
    let arrow = `${params} => ${rest}`
    let to = i
    if (rest.endsWith('{')) {
      while (to + 1 < lines.length && lines[to + 1] !== '\t};') to++
      if (to + 1 >= lines.length) continue
      to++
      arrow += '\n' + lines.slice(i + 1, to).join('\n') + '\n\t}'
    } else if (rest.endsWith(';')) {
      arrow = arrow.slice(0, -1)
    } else {
      continue
    }
    fields.push({ name, arrow, from: i, to })
  }
  return fields
}

function rewriteClass(source: string, name: string, rewrite: (f: { name: string; arrow: string }) => string | null): HonoPatchResult {
  const span = classBody(source, name)
  if (span === null) return { source, fields: [] }
  const lines = source.slice(span[0], span[1]).split('\n')
  const done: string[] = []
  for (const field of arrowFields(lines).reverse()) {
    const text = rewrite(field)
    if (text === null) continue
    lines.splice(field.from, field.to - field.from + 1, text)
    done.unshift(field.name)
  }
  return { source: source.slice(0, span[0]) + lines.join('\n') + source.slice(span[1]), fields: done }
}

// c.json(value) with nothing else set answers straight from createResponseInstance: the same
// init #newResponse would build ({ headers: { "Content-Type": "application/json" } }), without
// the spread, the for-in over it and two calls. Anything set (an arg, headers, c.status(),
// c.header(), c.res) takes Hono's own path. The value is stringified first, as before, so a
// toJSON that sets a header still counts.
const JSON_FIELD = [
  '\tjson = (object, arg, headers) => {',
  '\t\treturn this.#newResponse(JSON.stringify(object), arg, setDefaultContentType("application/json", headers));',
  '\t};',
].join('\n')
const JSON_FAST = [
  '\tjson = (object, arg, headers) => {',
  '\t\tconst text = JSON.stringify(object);',
  '\t\tif (arg === undefined && headers === undefined && this.#status === undefined && !this.#res && !this.#preparedHeaders) return createResponseInstance(text, { headers: { "Content-Type": "application/json" } });',
  '\t\treturn this.#newResponse(text, arg, setDefaultContentType("application/json", headers));',
  '\t};',
].join('\n')

// `env = {}` makes an object on every request that the constructor replaces at once with
// options.env (Hono's dispatch always passes options): it is made only without options,
// the one case that keeps it. The field stays in its place, so the Context's keys are the same.
const ENV_FIELD = '\tenv = {};\n'
const CTOR_START = '\t\tthis.#rawRequest = req;\n\t\tif (options) {\n'

/** Context's public arrow fields become lazy accessors (c.json with its short path first). */
export function patchContext(source: string): HonoPatchResult {
  if (source.split(JSON_FIELD).length === 2 && source.includes('const createResponseInstance = '))
    source = source.replace(JSON_FIELD, JSON_FAST)
  if (source.split(ENV_FIELD).length === 2 && source.split(CTOR_START).length === 2)
    source = source
      .replace(ENV_FIELD, '\tenv;\n')
      .replace(CTOR_START, '\t\tthis.#rawRequest = req;\n\t\tif (!options) this.env = {};\n\t\tif (options) {\n')
  const r = rewriteClass(source, 'Context', ({ name, arrow }) => {
    if (name.startsWith('#')) return null
    const key = JSON.stringify(name)
    return `\tget ${name}() { return ${arrow}; }\n\tset ${name}(v) { __scratchfnOwn(this, ${key}, v); }`
  })
  return r.fields.length === 0 ? r : { source: OWN_HELPER + r.source, fields: r.fields }
}

/** HonoRequest's private arrow fields become private methods (they are only called as this.#x()). */
export function patchRequest(source: string): HonoPatchResult {
  return rewriteClass(source, 'HonoRequest', ({ name, arrow }) => {
    if (!name.startsWith('#') || !arrow.includes(') => {\n')) return null
    return `\t${name}${arrow.replace(') => {\n', ') {\n')}`
  })
}

/** RegExpRouter's matcher: exec instead of String.prototype.match. */
export function patchMatcher(source: string): HonoPatchResult {
  if (source.split(MATCH).length !== 2) return { source, fields: [] }
  return { source: source.replace(MATCH, 'const match = matcher[0].exec(path);'), fields: ['match'] }
}

/** getPath: its loop starts where it would stop first. */
export function patchUrl(source: string): HonoPatchResult {
  if (source.split(PATH_LOOP).length !== 2) return { source, fields: [] }
  return { source: source.replace(PATH_LOOP, PATH_SKIP + PATH_LOOP.replace('\tlet i = start;\n', '')), fields: ['getPath'] }
}

/** The patched text, or null when nothing applies or the result would not parse. */
export function patchHonoFile(file: string, source: string): HonoPatchResult | null {
  const r = /context\.js$/.test(file)
    ? patchContext(source)
    : /matcher\.js$/.test(file)
      ? patchMatcher(source)
      : /url\.js$/.test(file)
        ? patchUrl(source)
        : patchRequest(source)
  if (r.fields.length === 0) return null
  try {
    transformSync(r.source, { loader: 'js', format: 'esm', logLevel: 'silent' })
  } catch {
    return null
  }
  return r
}

export function honoPatchesPlugin(): Plugin {
  return {
    name: 'scratchfn-hono-patches',
    setup(build) {
      build.onLoad({ filter: FILE }, (args) => {
        const patched = patchHonoFile(args.path, readFileSync(args.path, 'utf8'))
        return patched === null ? undefined : { contents: patched.source, loader: 'js' }
      })
    },
  }
}
