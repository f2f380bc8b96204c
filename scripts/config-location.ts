// Points an error about a config value at its place in the function file, so
// every build error reads `functions/x.ts:LINE:COL: error: ...` and an editor can jump there.
import { readFileSync } from 'node:fs'

/** 'functions/x.ts:LINE:COL' of the first `key:` in the file (1:1 when it is not found literally). */
export function configLocation(file: string, relFile: string, key: string): string {
  let text = ''
  try { text = readFileSync(file, 'utf8') } catch { return `${relFile}:1:1` }
  const config = text.search(/export\s+const\s+config\b/)
  const from = config < 0 ? 0 : config
  const match = new RegExp(`(^|[\\s{,'"])${key.replace(/[^A-Za-z0-9_]/g, '\\$&')}['"]?\\s*:`).exec(text.slice(from))
  if (!match) return `${relFile}:${lineCol(text, Math.max(config, 0))}`
  return `${relFile}:${lineCol(text, from + match.index + match[1].length)}`
}

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n')
  return `${before.length}:${before[before.length - 1].length + 1}`
}
