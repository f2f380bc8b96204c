// assert's AssertionError, with the messages Node 20 writes (its createErrDiff line diff
// for strictEqual and deepStrictEqual). Values are shown with the runtime's inspect, one
// property a line; Node also sorts keys there, which this does not.
import { web } from './natives.ts'

const kMaxShortLength = 12

const readable: Record<string, string> = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical: 'Values have same structure but are not reference-equal:',
  notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
}

function inspectValue(v: unknown): string {
  return web.inspect(v, { depth: 1000, breakLength: 0, maxArrayLength: Infinity })
}

// A custom message (Node 20.19+) takes the header's place, but not for identical-looking values.
function createErrDiff(actual: unknown, expected: unknown, operator: string, custom?: string): string {
  let other = ''
  let res = ''
  let end = ''
  let skipped = false
  const actualInspected = inspectValue(actual)
  const actualLines = actualInspected.split('\n')
  const expectedLines = inspectValue(expected).split('\n')
  let i = 0
  let indicator = ''
  if (
    operator === 'strictEqual' &&
    ((typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null) ||
      (typeof actual === 'function' && typeof expected === 'function'))
  )
    operator = 'strictEqualObject'
  if (actualLines.length === 1 && expectedLines.length === 1 && actualLines[0] !== expectedLines[0]) {
    const a = actualLines[0]
    const e = expectedLines[0]
    const inputLength = a.length + e.length
    if (inputLength <= kMaxShortLength) {
      if (
        (typeof actual !== 'object' || actual === null) &&
        (typeof expected !== 'object' || expected === null) &&
        (actual !== 0 || expected !== 0)
      )
        return `${custom ?? readable[operator]}\n\n${a} !== ${e}\n`
    } else if (operator !== 'strictEqualObject' && inputLength < 80) {
      while (a[i] === e[i]) i++
      if (i > 2) {
        indicator = `\n  ${' '.repeat(i)}^`
        i = 0
      }
    }
  }
  let a = actualLines[actualLines.length - 1]
  let b = expectedLines[expectedLines.length - 1]
  while (a === b) {
    if (i++ < 3) end = `\n  ${a}${end}`
    else other = a
    actualLines.pop()
    expectedLines.pop()
    if (actualLines.length === 0 || expectedLines.length === 0) break
    a = actualLines[actualLines.length - 1]
    b = expectedLines[expectedLines.length - 1]
  }
  const maxLines = Math.max(actualLines.length, expectedLines.length)
  if (maxLines === 0) {
    const lines = actualInspected.split('\n')
    if (lines.length > 50) {
      lines[46] = '...'
      while (lines.length > 47) lines.pop()
    }
    return `${readable.notIdentical}\n\n${lines.join('\n')}\n`
  }
  if (i >= 5) {
    end = `\n...${end}`
    skipped = true
  }
  if (other !== '') {
    end = `\n  ${other}${end}`
    other = ''
  }
  let printedLines = 0
  let identical = 0
  const msg = `${custom ?? readable[operator]}\n+ actual - expected`
  const skippedMsg = ' ... Lines skipped'
  let lines = actualLines
  let plusMinus = '+'
  let maxLength = expectedLines.length
  if (actualLines.length < maxLines) {
    lines = expectedLines
    plusMinus = '-'
    maxLength = actualLines.length
  }
  const flushIdentical = (from: string[]) => {
    if (identical > 2) {
      if (identical > 3) {
        if (identical > 4) {
          if (identical === 5) {
            res += `\n  ${from[i - 3]}`
            printedLines++
          } else {
            res += '\n...'
            skipped = true
          }
        }
        res += `\n  ${from[i - 2]}`
        printedLines++
      }
      res += `\n  ${from[i - 1]}`
      printedLines++
    }
    identical = 0
  }
  for (i = 0; i < maxLines; i++) {
    if (maxLength < i + 1) {
      flushIdentical(lines)
      if (lines === actualLines) res += `\n${plusMinus} ${lines[i]}`
      else other += `\n${plusMinus} ${lines[i]}`
      printedLines++
    } else {
      const expectedLine = expectedLines[i]
      let actualLine = actualLines[i]
      let diverging = actualLine !== expectedLine && (!actualLine.endsWith(',') || actualLine.slice(0, -1) !== expectedLine)
      if (diverging && expectedLine.endsWith(',') && expectedLine.slice(0, -1) === actualLine) {
        diverging = false
        actualLine += ','
      }
      if (diverging) {
        flushIdentical(actualLines)
        res += `\n+ ${actualLine}`
        other += `\n- ${expectedLine}`
        printedLines += 2
      } else {
        res += other
        other = ''
        identical++
        if (identical <= 2) {
          res += `\n  ${actualLine}`
          printedLines++
        }
      }
    }
    if (printedLines > 50 && i < maxLines - 2) return `${msg}${skippedMsg}\n${res}\n...${other}\n...`
  }
  return `${msg}${skipped ? skippedMsg : ''}\n${res}${other}${end}${indicator}`
}

function generatedMessage(actual: unknown, expected: unknown, operator: string): string {
  if (operator === 'deepStrictEqual' || operator === 'strictEqual') return createErrDiff(actual, expected, operator)
  if (operator === 'notDeepStrictEqual' || operator === 'notStrictEqual') {
    let base = readable[operator]
    const res = inspectValue(actual).split('\n')
    if (operator === 'notStrictEqual' && ((typeof actual === 'object' && actual !== null) || typeof actual === 'function'))
      base = readable.notStrictEqualObject
    if (res.length > 50) {
      res[46] = '...'
      while (res.length > 47) res.pop()
    }
    if (res.length === 1) return `${base}${res[0].length > 5 ? '\n\n' : ' '}${res[0]}`
    return `${base}\n\n${res.join('\n')}\n`
  }
  let res = inspectValue(actual)
  let other = inspectValue(expected)
  const known = readable[operator]
  if (operator === 'notDeepEqual' && res === other) {
    res = `${known}\n\n${res}`
    return res.length > 1024 ? `${res.slice(0, 1021)}...` : res
  }
  if (res.length > 512) res = `${res.slice(0, 509)}...`
  if (other.length > 512) other = `${other.slice(0, 509)}...`
  if (operator === 'deepEqual') res = `${known}\n\n${res}\n\nshould loosely deep-equal\n\n`
  else {
    const unequal = readable[`${operator}Unequal`]
    if (unequal) res = `${unequal}\n\n${res}\n\nshould not loosely deep-equal\n\n`
    else other = ` ${operator} ${other}`
  }
  return `${res}${other}`
}

export interface AssertionErrorOptions {
  message?: string | Error
  actual?: unknown
  expected?: unknown
  operator?: string
  stackStartFn?: unknown
}

export class AssertionError extends Error {
  declare generatedMessage: boolean
  declare code: string
  declare actual: unknown
  declare expected: unknown
  declare operator: string | undefined

  constructor(options: AssertionErrorOptions) {
    if (options === null || typeof options !== 'object') throw new TypeError('The "options" argument must be of type object.')
    const { message, actual, expected, operator } = options
    const diffed = message != null && (operator === 'strictEqual' || operator === 'deepStrictEqual')
    super(
      diffed
        ? createErrDiff(actual, expected, operator!, String(message))
        : message != null
          ? String(message)
          : generatedMessage(actual, expected, operator ?? 'fail'),
    )
    this.generatedMessage = message == null
    this.code = 'ERR_ASSERTION'
    this.actual = actual
    this.expected = expected
    this.operator = operator
    Object.defineProperty(this, 'name', { value: 'AssertionError', enumerable: false, writable: true, configurable: true })
  }

  toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`
  }
}
Object.defineProperty(AssertionError, 'name', { value: 'AssertionError' })
