// JSON log lines on stdout, the same shape the C core writes for access lines.
import { core } from '../web/core.ts'
import { currentTraceIds } from '../web/trace-context.ts'

export function logError(msg: string, err: unknown, requestId?: string): void {
  const e = err as { stack?: string; message?: string } | undefined
  const line: Record<string, unknown> = { time: new Date().toISOString(), level: 'error', msg }
  if (requestId) line.request_id = requestId
  const trace = currentTraceIds()
  if (trace !== null) Object.assign(line, trace)
  if (e && typeof e === 'object') {
    line.error = String(e.message ?? e)
    if (e.stack) line.stack = e.stack
  } else if (err !== undefined) {
    line.error = String(err)
  }
  core.write(1, JSON.stringify(line) + '\n')
}
