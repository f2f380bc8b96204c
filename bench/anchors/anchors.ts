// `npm run bench -- --anchors`: the other runtimes the bench sets scratchfn beside, each
// serving what functions/accounts.ts serves: Bun and Deno running the same Hono function,
// and the seed's Go + chi service. Also every contestant's instructions under callgrind,
// by the cost step's method (one keep-alive connection, parts cut with vgdb while the
// server waits), warmer.
import { join } from 'node:path'
import { countInstructions } from '../../scripts/cost/callgrind.ts'
import type { Target } from '../measure.ts'
import type { Anchor } from './anchor.ts'
import { prepareGoAnchor } from './go-anchor.ts'
import { prepareBunAnchor, prepareDenoAnchor } from './js-anchors.ts'

export const ANCHORS = ['bun', 'deno', 'go'] as const
export type AnchorKey = (typeof ANCHORS)[number]

export async function prepareAnchors(root: string): Promise<Record<AnchorKey, Anchor>> {
  return {
    bun: await prepareBunAnchor({ root }),
    deno: await prepareDenoAnchor({ root }),
    go: prepareGoAnchor({ root }),
  }
}

/**
 * Warm-up and measured requests for every contestant's count: JIT runtimes (Bun, Deno,
 * Node) still compile the handler after the cost step's 50 warm-up requests (Bun 1.4.5 over
 * 50 + 500: 90k a request; over 5,000 + 2,000: 56k), so these counts take them warm.
 */
export const INSTRUCTION_METHOD = { warmup: 5000, requests: 2000 }

export interface InstructionOptions {
  root: string
  target: Target
  callgrind: Anchor['callgrind']
  /** The raw request, as the cost step sends it. */
  request: string
  /** Longest the whole run may take; a JIT runtime under valgrind starts slowly. */
  timeoutMs: number
}

export type InstructionCount = { startup: number; per_request: number } | { error: string }

/** Instructions to start and per request, or why callgrind could not count them. */
export async function instructionsOf(o: InstructionOptions): Promise<InstructionCount> {
  try {
    const counts = await countInstructions({
      command: o.target.command,
      args: o.target.args,
      cwd: o.root,
      // A whole environment of its own, as the cost step gives the runtime, so runs compare.
      env: { PATH: '/usr/bin:/bin', HOME: '/tmp', HOSTNAME: 'scratchfn-cost', USER: 'bench', ...o.target.env, ...o.callgrind.env },
      request: o.request,
      ...INSTRUCTION_METHOD,
      outDir: join(o.root, '.scratchfn/bench/callgrind', o.target.label),
      label: o.target.label,
      timeoutMs: o.timeoutMs,
      end: o.callgrind.end,
    })
    return { startup: counts.startup, per_request: Math.round(counts.measured / INSTRUCTION_METHOD.requests) }
  } catch (err) {
    return { error: (err as Error).message.split('\n').slice(0, 6).join('\n') }
  }
}
