// What the bench needs of a prepared anchor: how to start it, what it weighs on disk, and
// how it runs under callgrind.
import type { Target } from '../measure.ts'

export interface Anchor {
  /** For the table's header: 'Bun 1.4.5', 'go1.19.8 + chi 5.0.7-1'. */
  label: string
  target: Target
  /** The binary plus the app, on disk. */
  bytes: number
  /** Under callgrind: added to the environment, and how the run ends (see countInstructions). */
  callgrind: { env: Record<string, string>; end: 'sigterm' | 'kill' }
}
