// Retries a registry operation on transient failures with exponential backoff and
// jitter (so CI jobs that failed together do not retry in lockstep). Auth errors and
// other 4xx answers are never retried: they would fail the same way again.
import { RegistryError } from './errors.ts'

export interface RetryPolicy {
  /** Retries after the first attempt (0: try once). */
  retries: number
  /** Delay before the first retry; doubles each time. */
  baseMs: number
  /** Cap on one delay. */
  maxMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseMs: 500, maxMs: 8000 }

export async function withRetry<T>(
  policy: RetryPolicy,
  fn: () => Promise<T>,
  onRetry: (err: RegistryError, delayMs: number, attempt: number) => void = () => {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      if (!(err instanceof RegistryError) || !err.transient || attempt > policy.retries) {
        if (err instanceof RegistryError && err.transient && attempt > 1) err.message += ` (gave up after ${attempt} attempts)`
        throw err
      }
      const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4)
      const delay = Math.min(policy.maxMs, Math.max(backoff, err.retryAfterMs ?? 0))
      onRetry(err, Math.round(delay), attempt)
      await new Promise((r) => setTimeout(r, delay))
    }
  }
}
