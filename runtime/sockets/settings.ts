// The socket layer's limits, from the environment (defaults in one place; README "Limits").
import { core } from '../node/internal/natives.ts'

function ms(name: string, def: number): number {
  const raw = core.env[name]
  if (raw === undefined || raw === '') return def
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${name} must be a number of milliseconds (0 for none), not '${raw}'`)
  return n
}

/** The name lookup and TCP connect together (SCRATCHFN_SOCKET_CONNECT_TIMEOUT_MS, default 10 s; 0: none). */
export const connectTimeoutMs = () => ms('SCRATCHFN_SOCKET_CONNECT_TIMEOUT_MS', 10000)
/** connect() sockets silent this long are closed (SCRATCHFN_SOCKET_IDLE_TIMEOUT_MS, default 0: never). */
export const idleTimeoutMs = () => ms('SCRATCHFN_SOCKET_IDLE_TIMEOUT_MS', 0)
