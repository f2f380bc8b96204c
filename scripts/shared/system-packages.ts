// Debian packages that a step needs on the machine. When one is missing and we run
// as root with apt, install it (CI starts on a fresh machine); otherwise stop with
// the exact command to run.
import { spawnSync } from 'node:child_process'

export interface SystemPackage {
  /** A command the package provides, used to tell whether it is installed; without one, dpkg is asked. */
  command?: string
  /** The Debian package name. */
  package: string
}

export interface EnsureOptions {
  packages: SystemPackage[]
  /** Who needs them, for the messages ('runtime', 'tests'); the default log prefixes it. */
  who: string
  log?: (line: string) => void
}

export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

/** Whether the package is there: its command is on PATH, or dpkg has it installed (libraries). */
function isInstalled(p: SystemPackage): boolean {
  if (p.command) return hasCommand(p.command)
  const q = spawnSync('dpkg-query', ['-W', '-f=${Status}', p.package], { encoding: 'utf8' })
  return q.status === 0 && q.stdout.includes('install ok installed')
}

export function ensureSystemPackages(options: EnsureOptions): void {
  const log = options.log ?? ((line: string) => console.error(`${options.who}: ${line}`))
  const missing = options.packages.filter((p) => !isInstalled(p)).map((p) => p.package)
  if (missing.length === 0) return
  const install = `apt-get install -y --no-install-recommends ${[...new Set(missing)].join(' ')}`
  if (process.getuid?.() !== 0 || !hasCommand('apt-get')) {
    throw new Error(`${options.who}: missing ${missing.join(', ')}; install with: sudo ${install}`)
  }
  log(`installing ${missing.join(', ')}: ${install}`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  let result = spawnSync('sh', ['-c', install], { stdio: ['ignore', 'ignore', 'inherit'], env })
  if (result.status !== 0) {
    // A fresh machine may have no package lists yet.
    log('install failed; running apt-get update and trying again')
    spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env })
    result = spawnSync('sh', ['-c', install], { stdio: ['ignore', 'ignore', 'inherit'], env })
  }
  const still = options.packages.filter((p) => !isInstalled(p)).map((p) => p.package)
  if (result.status !== 0 || still.length) throw new Error(`${options.who}: could not install ${still.join(', ')}; run: ${install}`)
}
