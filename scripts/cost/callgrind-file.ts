// Reads callgrind's output files: the total of a part, and where its instructions went
// (each function's own instructions, its callees excluded), for `npm run cost -- --profile`.
import { readFileSync } from 'node:fs'

export function partTotal(file: string): { part: number; total: number } {
  const text = readFileSync(file, 'utf8')
  const totals = /^(?:totals|summary): (\d+)/m.exec(text)
  if (!totals) throw new Error(`${file}: no totals line; is this a callgrind output file?`)
  return { part: Number(/^part: (\d+)$/m.exec(text)?.[1] ?? 1), total: Number(totals[1]) }
}

export interface FunctionCost {
  name: string
  /** Instructions in the function itself. */
  self: number
}

/** Functions by their own instructions, most first (recursion levels, `f'2`, merged into `f`). */
export function selfCosts(file: string): FunctionCost[] {
  const byName = new Map<string, number>()
  let fn = ''
  let skipCall = false
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('fn=')) {
      fn = line.slice(3).replace(/'\d+$/, '')
    } else if (line.startsWith('calls=')) {
      // The next cost line is the callee's inclusive cost, not this function's own.
      skipCall = true
    } else if (/^[\d+*-]/.test(line)) {
      if (skipCall) skipCall = false
      else {
        const ir = Number(line.split(' ')[1] ?? 0)
        if (fn && ir) byName.set(fn, (byName.get(fn) ?? 0) + ir)
      }
    }
  }
  return [...byName].map(([name, self]) => ({ name, self })).sort((a, b) => b.self - a.self)
}
