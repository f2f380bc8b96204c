// podman (and skopeo) the way these machines need them, with all of podman's state in
// a temporary folder so tests leave nothing behind. The flags come from
// shared/notes/containers-here.md: runc (crun fails on this host's cgroup layout),
// cgroupfs, file events, and explicit ulimits (the default setrlimit is refused).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface CommandResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command; resolves with its output, rejects (with the output) when it exits non-zero unless `allowFail`. */
export function run(
  command: string,
  args: string[],
  opts: { allowFail?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(opts.env ? { env: opts.env } : {}) })
    let stdout = ''
    let stderr = ''
    proc.stdout.on('data', (c) => {
      stdout += c
    })
    proc.stderr.on('data', (c) => {
      stderr += c
    })
    const timer = setTimeout(() => proc.kill('SIGKILL'), opts.timeoutMs ?? 120_000)
    proc.on('error', (err) => {
      clearTimeout(timer)
      reject(new Error(`${command}: ${err.message}; is it installed? (.ci/run installs podman, runc and skopeo)`))
    })
    proc.on('close', (code, signal) => {
      clearTimeout(timer)
      const result = { code: code ?? (signal ? 128 : 1), stdout, stderr }
      if (result.code !== 0 && !opts.allowFail)
        reject(new Error(`${command} ${args.join(' ')} exited ${result.code}${signal ? ` (${signal})` : ''}:\n${stderr}${stdout}`))
      else resolve(result)
    })
  })
}

/** The flags an image must pass on OpenShift's restricted-v2 SCC: any UID in group 0, read-only root, no capabilities. */
export const openshiftFlags = ['--user', '1000680000:0', '--read-only', '--cap-drop=ALL', '--security-opt', 'no-new-privileges']

/** Needed on every `podman run` here: without them podman's setrlimit fails. */
export const runFlags = ['--ulimit', 'nofile=4096:4096', '--ulimit', 'nproc=4096:4096']

export interface Podman {
  /** The temporary folder holding podman's store, run state and tmp. */
  dir: string
  /** The global flags every command here gets (for tools that run podman themselves). */
  globalArgs: string[]
  /** `podman <global flags> ...args`; rejects on a non-zero exit unless allowFail. */
  podman(args: string[], opts?: { allowFail?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<CommandResult>
  /** Resolves once the container at `url` answers /readyz with 200; rejects with its logs after 15 s. */
  waitReady(url: string, container: string): Promise<void>
  /** The container's stdout and stderr so far. */
  logs(container: string): Promise<string>
  /** Removes every container and image, then the folder. */
  cleanup(): Promise<void>
}

export function tempPodman(): Podman {
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-podman-'))
  const global = [
    '--root',
    join(dir, 'store'),
    '--runroot',
    join(dir, 'run'),
    '--tmpdir',
    join(dir, 'tmp'),
    '--runtime',
    'runc',
    '--cgroup-manager',
    'cgroupfs',
    '--events-backend',
    'file',
    // vfs: plain directories, so the folder can always be removed, whatever the host's filesystem.
    '--storage-driver',
    'vfs',
  ]
  const podman = (args: string[], opts: { allowFail?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) =>
    run('podman', [...global, ...args], opts)
  const logs = async (container: string) => {
    const out = await podman(['logs', container], { allowFail: true })
    return out.stdout + out.stderr
  }
  return {
    dir,
    globalArgs: global,
    podman,
    logs,
    async waitReady(url, container) {
      const deadline = Date.now() + 15_000
      for (;;) {
        try {
          const res = await fetch(`${url}/readyz`)
          await res.arrayBuffer()
          if (res.ok) return
        } catch {}
        if (Date.now() > deadline) throw new Error(`container ${container} not ready at ${url}:\n${await logs(container)}`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    async cleanup() {
      await podman(['pod', 'rm', '--all', '--force'], { allowFail: true })
      await podman(['rm', '--all', '--force', '--time', '0'], { allowFail: true })
      await podman(['rmi', '--all', '--force'], { allowFail: true })
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function skopeo(args: string[]): Promise<CommandResult> {
  return run('skopeo', args)
}
