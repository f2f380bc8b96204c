// The comparison behind assert.deepStrictEqual / deepEqual and util.isDeepStrictEqual,
// with Node's rules: strict compares with Object.is, prototypes and [[Class]]; loose with
// == for primitives and ignores prototypes. Both look at own enumerable keys (strict
// also at enumerable symbols), Map/Set contents in any order, boxed values, dates,
// regular expressions, errors' name and message, and typed arrays' bytes; cycles are fine.
import * as types from '../util/types.ts'

type Memo = Map<object, object>

export function deepEqual(a: unknown, b: unknown, strict: boolean): boolean {
  return inner(a, b, strict, new Map())
}

function inner(a: unknown, b: unknown, strict: boolean, memo: Memo): boolean {
  if (a === b) return a !== 0 || !strict || Object.is(a, b)
  if (strict) {
    if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
      if (typeof a === 'function' || typeof b === 'function') return false
      return Object.is(a, b)
    }
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  } else {
    if (a === null || typeof a !== 'object') {
      if (b === null || typeof b !== 'object') return a == b || (Number.isNaN(a) && Number.isNaN(b)) // eslint-disable-line eqeqeq
      return false
    }
    if (b === null || typeof b !== 'object') return false
  }
  const tag = Object.prototype.toString.call(a)
  if (tag !== Object.prototype.toString.call(b)) return false
  const seen = memo.get(a as object)
  if (seen === b) return true
  memo.set(a as object, b as object)
  try {
    return compareObjects(a as any, b as any, strict, memo) // eslint-disable-line @typescript-eslint/no-explicit-any
  } finally {
    memo.delete(a as object)
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function compareObjects(a: any, b: any, strict: boolean, memo: Memo): boolean {
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
  } else if (types.isDate(a)) {
    if (!types.isDate(b) || a.getTime() !== b.getTime()) return false
  } else if (types.isRegExp(a)) {
    if (!types.isRegExp(b) || a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false
  } else if (a instanceof Error) {
    if (!(b instanceof Error) || a.message !== b.message || a.name !== b.name) return false
  } else if (ArrayBuffer.isView(a)) {
    if (!ArrayBuffer.isView(b)) return false
    if (strict && Object.prototype.toString.call(a) !== Object.prototype.toString.call(b)) return false
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
    if (!strict && types.isTypedArray(a) && (types.isFloat32Array(a) || types.isFloat64Array(a))) {
      if ((a as any).length !== (b as any).length) return false
      for (let i = 0; i < (a as any).length; i++) if ((a as any)[i] != (b as any)[i]) return false // eslint-disable-line eqeqeq
    } else {
      if (x.length !== y.length) return false
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
    }
    return keysEqual(a, b, strict, memo, true)
  } else if (types.isBoxedPrimitive(a)) {
    if (!types.isBoxedPrimitive(b) || !Object.is(a.valueOf(), b.valueOf())) return false
  } else if (types.isAnyArrayBuffer(a)) {
    if (!types.isAnyArrayBuffer(b) || a.byteLength !== b.byteLength) return false
    const x = new Uint8Array(a)
    const y = new Uint8Array(b)
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  } else if (types.isSet(a)) {
    if (!types.isSet(b) || a.size !== b.size || !setEqual(a, b, strict, memo)) return false
  } else if (types.isMap(a)) {
    if (!types.isMap(b) || a.size !== b.size || !mapEqual(a, b, strict, memo)) return false
  } else if (types.isWeakMap(a) || types.isWeakSet(a) || a instanceof Promise) {
    return false
  }
  return keysEqual(a, b, strict, memo, false)
}

function ownKeys(o: object, strict: boolean, skipIndexes: boolean): PropertyKey[] {
  let keys: PropertyKey[] = Object.keys(o)
  if (skipIndexes) keys = keys.filter((k) => !/^(0|[1-9][0-9]*)$/.test(k as string))
  if (strict) for (const s of Object.getOwnPropertySymbols(o)) if (Object.prototype.propertyIsEnumerable.call(o, s)) keys.push(s)
  return keys
}

function keysEqual(a: any, b: any, strict: boolean, memo: Memo, skipIndexes: boolean): boolean {
  const ka = ownKeys(a, strict, skipIndexes)
  const kb = ownKeys(b, strict, skipIndexes)
  if (ka.length !== kb.length) return false
  for (const k of ka) {
    if (!Object.prototype.propertyIsEnumerable.call(b, k)) return false
    if (!inner(a[k], b[k], strict, memo)) return false
  }
  return true
}

function setEqual(a: Set<unknown>, b: Set<unknown>, strict: boolean, memo: Memo): boolean {
  const rest: unknown[] = []
  for (const v of a) {
    if (typeof v === 'object' && v !== null) rest.push(v)
    else if (!b.has(v)) {
      if (strict) return false
      let found = false
      for (const w of b) if (inner(v, w, false, memo)) found = true
      if (!found) return false
    }
  }
  if (rest.length === 0) return true
  const candidates = [...b].filter((w) => typeof w === 'object' && w !== null)
  for (const v of rest) {
    const i = candidates.findIndex((w) => inner(v, w, strict, memo))
    if (i === -1) return false
    candidates.splice(i, 1)
  }
  return true
}

function mapEqual(a: Map<unknown, unknown>, b: Map<unknown, unknown>, strict: boolean, memo: Memo): boolean {
  const rest: [unknown, unknown][] = []
  for (const [k, v] of a) {
    if (typeof k === 'object' && k !== null) rest.push([k, v])
    else if (!b.has(k) || !inner(v, b.get(k), strict, memo)) return false
  }
  if (rest.length === 0) return true
  const candidates = [...b].filter(([k]) => typeof k === 'object' && k !== null)
  for (const [k, v] of rest) {
    const i = candidates.findIndex(([k2, v2]) => inner(k, k2, strict, memo) && inner(v, v2, strict, memo))
    if (i === -1) return false
    candidates.splice(i, 1)
  }
  return true
}
