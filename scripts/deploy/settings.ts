// Turns a function's checked config (memory, cpu, scaling, timeoutMs, env) into the
// numbers its manifests use, with the deploy defaults in one place. The build checked
// every value; the target-dependent ones fail here as `functions/x.ts:LINE:COL: error: ...`. Also decides the shutdown timing that matches
// the runtime's SIGTERM drain (see runtime/core/http-listen.c):
//   readiness fails at once -> the listener closes after SCRATCHFN_DRAIN_DELAY_MS ->
//   the process exits when idle, or at SCRATCHFN_GRACE_MS at the latest.
import { configPlace } from '../contract/check-contract.ts'
import type { FunctionConfig } from '../contract/function-config.ts'
import { LocatedError } from '../shared/located-error.ts'

export type Target = 'openshift' | 'kubernetes' | 'knative' | 'compose'

export interface DeploySettings {
  memory: string
  /** The same, in bytes. */
  memoryBytes: number
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
  /** config.trustedCA: mount the cluster's trusted CA bundle (trustedCaConfigMap in manifests.ts). */
  trustedCA: boolean
}

export const DEFAULTS = {
  minScale: { openshift: 1, kubernetes: 1, knative: 0, compose: 1 },
  /** Endpoint removal and router reloads take a few seconds on a busy cluster; the runtime's own 500 ms default is for podman. */
  drainDelayMs: 5000,
  /** The runtime's default. */
  graceMs: 25_000,
  handlerTimeoutMs: 30_000,
  graceMarginSeconds: 5,
  /** Part of the memory limit the JS heap may use; the rest is the runtime, buffers and sockets. */
  heapShare: 0.75,
} as const

export interface SettingsInput {
  /** The function's checked config (from its image's function.json). */
  config: FunctionConfig
  /** The function file, absolute (to point at a key) and as messages show it. */
  file: string
  relFile: string
  target: Target
}

/** The build checked every value; what is left here depends on the target. */
export function deploySettings(input: SettingsInput): DeploySettings {
  const { config, target } = input
  const fail = (path: string, message: string, hint: string) =>
    new LocatedError({ file: input.relFile, ...configPlace({ file: input.file, relFile: input.relFile }, path), message, hint })

  const minScale = config.scaling.min ?? DEFAULTS.minScale[target]
  const maxScale = config.scaling.max
  if (minScale === 0 && target !== 'knative') {
    throw fail(
      'scaling.min',
      `config.scaling.min 0 would run no pod on ${target}`,
      'scale to zero needs `--target knative`, or set min to 1 or more',
    )
  }
  if (maxScale !== undefined && maxScale < minScale) {
    throw fail(
      'scaling.max',
      `config.scaling.max (${maxScale}) is below the ${minScale} replica(s) ${target} starts with`,
      `set scaling.max to at least ${minScale}`,
    )
  }
  const timeout = config.timeoutMs
  const handlerTimeoutMs = timeout ?? DEFAULTS.handlerTimeoutMs
  // A request accepted just before the listener closes may run for its whole timeout.
  const graceMs = Math.max(DEFAULTS.graceMs, timeout !== undefined ? DEFAULTS.drainDelayMs + timeout : 0)
  return {
    memory: config.memory,
    memoryBytes: config.memoryBytes,
    cpu: config.cpu,
    minScale,
    ...(maxScale !== undefined ? { maxScale } : {}),
    drainDelayMs: DEFAULTS.drainDelayMs,
    graceMs,
    terminationGraceSeconds: Math.ceil(graceMs / 1000) + DEFAULTS.graceMarginSeconds,
    handlerTimeoutMs,
    heapLimitMb: 'SCRATCHFN_HEAP_LIMIT_MB' in config.env ? null : Math.floor((config.memoryBytes * DEFAULTS.heapShare) / 1024 ** 2),
    trustedCA: config.trustedCA === true,
  }
}
