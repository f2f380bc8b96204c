// console.table's layout, as Node 20 draws it: an index column, one column per
// key (or `Values` for primitive rows), cells inspected shallowly, left-aligned.
import { inspect } from './inspect.ts'

/* eslint-disable @typescript-eslint/no-explicit-any */

function cell(v: unknown): string {
  // Node prints objects of more than two keys as [Object] in a cell.
  const depth = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 2 ? -1 : 0
  return inspect(v, { depth, maxArrayLength: 3, breakLength: Infinity })
}

function draw(head: string[], columns: string[][]): string {
  const widths = head.map((h) => h.length)
  const longest = Math.max(...columns.map((c) => c.length))
  const rows: string[][] = []
  for (let i = 0; i < head.length; i++) {
    for (let j = 0; j < longest; j++) {
      const value = ((rows[j] ??= [])[i] = Object.prototype.hasOwnProperty.call(columns[i], j) ? columns[i][j] : '')
      widths[i] = Math.max(widths[i], value.length)
    }
  }
  const line = (row: string[]) => `│ ${row.map((c, i) => c + ' '.repeat(widths[i] - c.length)).join(' │ ')} │`
  const divider = widths.map((w) => '─'.repeat(w + 2))
  let out = `┌${divider.join('┬')}┐\n${line(head)}\n├${divider.join('┼')}┤\n`
  for (const row of rows) out += `${line(row)}\n`
  return out + `└${divider.join('┴')}┘`
}

/** The table for `data`, or null when Node would log `data` as it is. */
export function renderTable(data: any, properties?: string[]): string | null {
  if (data === null || typeof data !== 'object') return null
  if (data instanceof Map) {
    const index: string[] = []
    const keys: string[] = []
    const values: string[] = []
    for (const [k, v] of data) {
      index.push(String(index.length))
      keys.push(cell(k))
      values.push(cell(v))
    }
    return draw(['(iteration index)', 'Key', 'Values'], [index, keys, values])
  }
  if (data instanceof Set) {
    const values = Array.from(data, cell)
    return draw(['(iteration index)', 'Values'], [values.map((_, i) => String(i)), values])
  }
  const columns: Record<string, string[]> = Object.create(null)
  const primitives: string[] = []
  let hasPrimitives = false
  const index = Object.keys(data)
  index.forEach((key, i) => {
    const item = data[key]
    const primitive = item === null || (typeof item !== 'function' && typeof item !== 'object')
    if (properties === undefined && primitive) {
      hasPrimitives = true
      primitives[i] = cell(item)
      return
    }
    for (const k of properties ?? Object.keys(item)) {
      const column = (columns[k] ??= [])
      column[i] = (primitive && properties) || !Object.prototype.hasOwnProperty.call(item, k) ? '' : cell(item[k])
    }
  })
  const head = ['(index)', ...Object.keys(columns)]
  const body = [index, ...Object.keys(columns).map((k) => columns[k])]
  if (hasPrimitives) {
    head.push('Values')
    body.push(primitives)
  }
  return draw(head, body)
}
