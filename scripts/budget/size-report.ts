// How the size-budget gate reports: sizes in words, the markdown table for stdout and
// dist/size-report.md, and the "why" list of the largest bundle inputs (from esbuild's
// metafile, like size-limit's --why) for an image that grew.
import type { Metafile } from 'esbuild'
import type { LayerSize } from '../image/image.ts'
import type { Platform } from '../shared/platforms.ts'

/** One function's image for one platform. */
export interface BudgetRow {
  name: string
  platform: Platform
  relFile: string
  uncompressed: number
  compressed: number
  layers: LayerSize[]
  budget: number
  /** Of the platform's manifest. */
  digest: string
  /** The accepted sizes before this build, or null for a function or platform the baseline does not list. */
  baseline: { uncompressed: number; compressed: number } | null
  /** Uncompressed bytes minus the baseline's (null when there is no baseline). */
  delta: number | null
  deltaPercent: number | null
  status: 'ok' | 'new' | 'accepted' | 'grew' | 'over-budget'
  /** Set when the shared runtime layer, not the function, accounts for most of the growth. */
  runtimeGrowth?: number
  /** For an image that grew: its largest bundle inputs. */
  largest: Array<{ path: string; bytes: number }>
}

/** 1234 -> '1.2 KB'; decimal units, as registries and `podman images` count. */
export function size(bytes: number): string {
  const abs = Math.abs(bytes)
  if (abs >= 1_000_000) return `${(bytes / 1_000_000).toFixed(2)} MB`
  if (abs >= 1000) return `${(bytes / 1000).toFixed(1)} KB`
  return `${bytes} B`
}

export function deltaText(row: Pick<BudgetRow, 'delta' | 'deltaPercent'>): string {
  if (row.delta === null) return 'new'
  const sign = row.delta > 0 ? '+' : row.delta < 0 ? '-' : '±'
  return `${sign}${size(Math.abs(row.delta))} (${sign}${Math.abs(row.deltaPercent ?? 0).toFixed(2)}%)`
}

/** The `count` bundle inputs that put the most bytes into the output. */
export function largestInputs(metafile: Metafile | undefined, count = 5): Array<{ path: string; bytes: number }> {
  if (!metafile) return []
  const totals = new Map<string, number>()
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) totals.set(path, (totals.get(path) ?? 0) + bytesInOutput)
  }
  return [...totals]
    .map(([path, bytes]) => ({ path, bytes }))
    .filter((i) => i.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1))
    .slice(0, count)
}

export function largestText(row: BudgetRow): string {
  return row.largest.map((i) => `${i.path} ${size(i.bytes)}`).join(', ')
}

const statusText: Record<BudgetRow['status'], string> = {
  ok: 'ok',
  new: 'new (not in baseline)',
  accepted: 'accepted (baseline updated)',
  grew: '**FAIL: grew past the tolerance**',
  'over-budget': '**FAIL: over budget**',
}

export function markdownReport(rows: BudgetRow[], tolerance: number): string {
  const lines = [
    `| function | platform | uncompressed | compressed | runtime layer | CA layer | function layer | budget | baseline | delta | status |`,
    `|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|`,
  ]
  for (const r of rows) {
    const layer = (role: LayerSize['role']) => {
      const l = r.layers.find((x) => x.role === role)
      return l ? `${size(l.uncompressed)} / ${size(l.compressed)}` : ''
    }
    lines.push(
      `| ${r.name} | ${r.platform} | ${size(r.uncompressed)} | ${size(r.compressed)} | ${layer('runtime')} | ${layer('ca-certificates')} | ${layer('function')} | ${size(r.budget)} | ${r.baseline ? size(r.baseline.uncompressed) : '-'} | ${deltaText(r)} | ${statusText[r.status]} |`,
    )
  }
  lines.push(
    '',
    `Layers: uncompressed / compressed. The budget and the growth tolerance (${tolerance}%) apply to the uncompressed size of each platform's image.`,
  )
  for (const r of rows.filter((x) => (x.delta ?? 0) > 0 && x.runtimeGrowth)) {
    lines.push(
      '',
      `${r.name} (${r.platform}) grew ${deltaText(r)}, ${size(r.runtimeGrowth!)} of it in the shared runtime and CA layers (a runtime/ or pin change, the same for every function)`,
    )
  }
  for (const r of rows.filter((x) => (x.delta ?? 0) > 0 && x.largest.length)) {
    lines.push('', `${r.name} (${r.platform}) grew ${deltaText(r)}; its largest bundle inputs:`, '')
    for (const i of r.largest) lines.push(`- ${i.path}: ${size(i.bytes)}`)
  }
  return lines.join('\n') + '\n'
}
