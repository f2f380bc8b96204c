// Turns a function's `config` (memory, cpu, scaling, timeoutMs, env) into the numbers
// its manifests use, with the defaults in one place and each bad value reported as
// `functions/x.ts:LINE:COL: error: ...`. Also decides the shutdown timing that matches
// the runtime's SIGTERM drain (see runtime/core/http-listen.c):
//   readiness fails at once -> the listener closes after SCRATCHFN_DRAIN_DELAY_MS ->
//   the process exits when idle, or at SCRATCHFN_GRACE_MS at the latest.
import { configLocation } from '../config-location.ts'

export type Target = 'openshift' | 'kubernetes' | 'knative'

export interface DeploySettings {
  memory: string
  cpu: string
  /** Replicas: the Deployment's count, or Knative's min-scale (0 = scale to zero). */
  minScale: number
  /** Absent: no autoscaler (Deployment) or Knative's own ceiling. */
  maxScale?: number
  /** How long after SIGTERM the listener stays open, so endpoints and routers stop sending first. */
  drainDelayMs: number
  /** SIGTERM to forced exit. */
  graceMs: number
  /** The pod's terminationGracePeriodSeconds: the grace plus a margin, so the kubelet never kills a draining runtime. */
  terminationGraceSeconds: number
  /** The longest a request may run (config.timeoutMs, else the runtime's 30 s): Knative's timeoutSeconds. */
  handlerTimeoutMs: number
  /** SCRATCHFN_HEAP_LIMIT_MB below the memory limit, so a greedy request gets a 503, not the OOM killer; null when config.env sets it. */
  heapLimitMb: number | null
}

export const DEFAULTS = {
  memory: '32Mi',
  cpu: '10m',
  minScale: { openshift: 1, kubernetes: 1, knative: 0 },
  /** Endpoint removal and router reloads take a few seconds on a busy cluster; the runtime's own 500 ms default is for podman. */
  drainDelayMs: 5000,
  /** The runtime's default. */
  graceMs: 25_000,
  handlerTimeoutMs: 30_000,
  graceMarginSeconds: 5,
  /** Part of the memory limit the JS heap may use; the rest is the runtime, buffers and sockets. */
  heapShare: 0.75,
  minMemoryBytes: 16 * 1024 * 1024,
} as const

const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 }

export interface SettingsInput {
  config: Record<string, unknown>
  /** The function file, absolute (for LINE:COL) and as messages show it. */
  file: string
  relFile: string
  target: Target
}

export function deploySettings(input: SettingsInput): DeploySettings {
  const { config, target } = input
  const fail = (key: string, message: string) => new Error(`${configLocation(input.file, input.relFile, key)}: error: ${message}`)

  const memory = config.memory ?? DEFAULTS.memory
  const memoryMatch = typeof memory === 'string' ? /^(\d+(?:\.\d+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(memory) : null
  if (!memoryMatch) throw fail('memory', `config.memory ${JSON.stringify(memory)} is not a Kubernetes memory quantity; write e.g. '64Mi' or '128Mi'`)
  const memoryBytes = Number(memoryMatch[1]) * UNITS[memoryMatch[2] ?? '']
  if (memoryBytes < DEFAULTS.minMemoryBytes) throw fail('memory', `config.memory '${memory}' is below the 16Mi the runtime needs with room for requests; write at least '16Mi'`)

  const cpu = config.cpu ?? DEFAULTS.cpu
  if (typeof cpu !== 'string' || !/^(?:\d+(?:\.\d+)?|\.\d+)m?$/.test(cpu) || Number(cpu.replace(/m$/, '')) <= 0) {
    throw fail('cpu', `config.cpu ${JSON.stringify(cpu)} is not a Kubernetes CPU quantity; write e.g. '50m' (a twentieth of a core) or '1'`)
  }

  const scaling = (config.scaling ?? {}) as { min?: unknown; max?: unknown }
  if (typeof scaling !== 'object' || scaling === null || Array.isArray(scaling)) throw fail('scaling', 'config.scaling must be an object such as { min: 1, max: 5 }')
  for (const key of Object.keys(scaling)) if (key !== 'min' && key !== 'max') throw fail('scaling', `config.scaling.${key} is not a setting; use min and max`)
  const whole = (key: 'min' | 'max', value: unknown) => {
    if (!Number.isSafeInteger(value) || (value as number) < 0) throw fail(key, `config.scaling.${key} must be a whole number of 0 or more, got ${JSON.stringify(value)}`)
    return value as number
  }
  const minScale = scaling.min === undefined ? DEFAULTS.minScale[target] : whole('min', scaling.min)
  const maxScale = scaling.max === undefined ? undefined : whole('max', scaling.max)
  if (maxScale !== undefined && (maxScale < 1 || maxScale < minScale)) throw fail('max', `config.scaling.max (${maxScale}) must be at least 1 and at least scaling.min (${minScale})`)
  if (minScale === 0 && target !== 'knative') throw fail('min', `config.scaling.min 0 would run no pod on ${target}; scale to zero needs \`--target knative\`, or set min to 1 or more`)

  const timeout = config.timeoutMs
  const handlerTimeoutMs = typeof timeout === 'number' ? timeout : DEFAULTS.handlerTimeoutMs
  // A request accepted just before the listener closes may run for its whole timeout.
  const graceMs = Math.max(DEFAULTS.graceMs, typeof timeout === 'number' ? DEFAULTS.drainDelayMs + timeout : 0)
  const env = (config.env ?? {}) as Record<string, unknown>
  return {
    memory: memory as string,
    cpu,
    minScale,
    ...(maxScale !== undefined ? { maxScale } : {}),
    drainDelayMs: DEFAULTS.drainDelayMs,
    graceMs,
    terminationGraceSeconds: Math.ceil(graceMs / 1000) + DEFAULTS.graceMarginSeconds,
    handlerTimeoutMs,
    heapLimitMb: 'SCRATCHFN_HEAP_LIMIT_MB' in env ? null : Math.floor((memoryBytes * DEFAULTS.heapShare) / 1024 ** 2),
  }
}
