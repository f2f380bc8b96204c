// apt with a private state under the cache directory: its own sources list (one line),
// lists and cache, so the machine's apt configuration is read for proxies and mirrors but
// never changed, and dpkg's database is neither read nor written. Shared by the fetch of
// a source package's file (debian-source.ts) and of a binary package of another
// architecture (debian-package.ts): both ask apt where a pinned file is, let apt download
// it, check it against the pin before anything is unpacked, and unpack it into a cache
// folder that appears whole or not at all.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { debianArchiveUri, machineAptEntries } from './apt-sources.ts'

/** The options both fetches take beyond what they fetch, with their defaults below. */
export interface ArchiveOptions {
  /** The file that pins the hash, named when it does not match. */
  pinnedIn?: string
  /** The archive component. */
  component?: string
  /** The archive's URI; default $SCRATCHFN_DEBIAN_ARCHIVE, else the Debian archive in the machine's apt sources. */
  archive?: string
  /** The keyring that signs the archive. */
  keyring?: string
  /** Where trees and apt's private state live. */
  cacheDir?: string
  /** Where the machine's apt sources are read from. */
  etcApt?: string
  log?: (line: string) => void
}

const archiveDefaults: Required<ArchiveOptions> = {
  pinnedIn: 'the caller',
  component: 'main',
  archive: '',
  keyring: '/usr/share/keyrings/debian-archive-keyring.gpg',
  cacheDir: join(resolve(import.meta.dirname, '../..'), '.scratchfn/sources'),
  etcApt: '/etc/apt',
  log: (line: string) => console.log(`runtime: ${line}`),
}

/**
 * Checks a fetch's options (no unknown key, every required one a non-empty string, a
 * 64-hex-digit sha256) and returns them over the defaults.
 */
export function withArchiveDefaults<T extends ArchiveOptions & { sha256: string }>(
  who: string,
  options: T,
  required: readonly (keyof T & string)[],
): T & Required<ArchiveOptions> {
  const unknown = Object.keys(options).filter((k) => !(k in archiveDefaults) && !(required as readonly string[]).includes(k))
  if (unknown.length > 0) throw new TypeError(`${who}: unknown option ${unknown.map((k) => `'${k}'`).join(', ')}`)
  for (const key of required) {
    if (typeof options[key] !== 'string' || options[key] === '') throw new TypeError(`${who}: '${key}' is required`)
  }
  if (!/^[0-9a-f]{64}$/.test(options.sha256)) throw new TypeError(`${who}: sha256 must be 64 hex digits, not '${options.sha256}'`)
  return { ...archiveDefaults, ...options }
}

export interface PrivateAptOptions {
  /** The state folder under cacheDir: one per sources line, so two kinds of index never evict each other. */
  name: string
  /** The start of the sources line: 'deb-src', or 'deb [arch=arm64]' (signed-by is added). */
  type: string
  suite: string
  component: string
  /** The archive's URI; '' for $SCRATCHFN_DEBIAN_ARCHIVE, else the Debian archive in the machine's apt sources. */
  archive: string
  keyring: string
  cacheDir: string
  etcApt: string
  /** apt settings beyond the private paths, e.g. the architecture of a binary index. */
  settings?: string[]
  /** What is fetched, for messages: 'quickjs'. */
  what: string
}

export interface AptState {
  dir: string
  archive: string
  suite: string
  /** `-o` options that point apt at the private state. */
  options: string[]
}

export function privateApt(o: PrivateAptOptions): AptState {
  const archive = (o.archive || process.env.SCRATCHFN_DEBIAN_ARCHIVE || debianArchiveUri(machineAptEntries(o.etcApt)) || '').replace(
    /\/+$/,
    '',
  )
  if (!archive) {
    throw new Error(
      `runtime: no Debian archive in ${o.etcApt}/sources.list or ${o.etcApt}/sources.list.d/ to fetch ${o.what} from; ` +
        'set SCRATCHFN_DEBIAN_ARCHIVE to one (e.g. http://deb.debian.org/debian)',
    )
  }
  if (!existsSync(o.keyring)) {
    throw new Error(
      `runtime: ${o.keyring} is missing, so apt cannot check Debian's signature; install it with: apt-get install debian-archive-keyring`,
    )
  }
  const dir = join(o.cacheDir, o.name)
  for (const sub of ['lists/partial', 'cache/archives/partial']) mkdirSync(join(dir, sub), { recursive: true })
  const sourcesList = join(dir, 'sources.list')
  const [kind, ...rest] = o.type.split(' ')
  const bracket = rest.join(' ').replace(/^\[|\]$/g, '')
  const line = `${kind} [${bracket ? `${bracket} ` : ''}signed-by=${o.keyring}] ${archive} ${o.suite} ${o.component}\n`
  if (!existsSync(sourcesList) || readFileSync(sourcesList, 'utf8') !== line) writeFileSync(sourcesList, line)
  const options = [
    `Dir::Etc::sourcelist=${sourcesList}`,
    'Dir::Etc::sourceparts=/dev/null',
    `Dir::State::Lists=${join(dir, 'lists')}`,
    `Dir::Cache=${join(dir, 'cache')}`,
    ...(o.settings ?? []),
  ].flatMap((v) => ['-o', v])
  return { dir, archive, suite: o.suite, options }
}

export interface PinnedUri {
  uri: string
  /** As apt prints it ('SHA256:...'), from the archive's signed index; empty when not given. */
  hash: string
}

export interface Listing {
  /** The `apt-get` arguments that print the URIs: 'source --print-uris ...' or 'download --print-uris ...'. */
  args: string[]
  /** The file wanted among those printed. */
  file: string
  /** The index, for messages: 'source index'. */
  index: string
  /** What the archive lacks when apt lists nothing: 'source package quickjs 2025.04.26-1'. */
  missing: string
  log: (line: string) => void
}

/**
 * Where `file` is, from apt's `--print-uris` listing: first with the index apt already has
 * (a fetch of another package refreshed it), then after `apt-get update`.
 */
export async function listedUri(apt: AptState, l: Listing): Promise<PinnedUri> {
  const printUris = () => run('apt-get', [...apt.options, ...l.args])
  let listed = await printUris()
  if (listed.code !== 0) {
    l.log(`reading the ${apt.suite} ${l.index} of ${apt.archive} (apt-get update)...`)
    const update = await run('apt-get', [...apt.options, 'update'])
    // apt-get update only warns when an index fails to download; the retry below tells.
    if (update.code !== 0 || /^(E|W): (Failed|Some index files)/m.test(update.output)) {
      throw new Error(`runtime: apt could not read the ${apt.suite} ${l.index} from ${apt.archive}:\n${update.output.trim()}`)
    }
    listed = await printUris()
  }
  if (listed.code !== 0) throw new Error(`runtime: ${apt.archive} ${apt.suite} has no ${l.missing}:\n${listed.output.trim()}`)
  const files = [...listed.stdout.matchAll(/^'([^']+)' (\S+) \d+ ?(\S*)$/gm)].map((m) => ({ uri: m[1], name: m[2], hash: m[3] }))
  const found = files.find((f) => f.name === l.file)
  if (!found) {
    const has = files.map((f) => f.name).join(', ') || 'none'
    throw new Error(`runtime: ${l.missing} in ${apt.suite} has no file ${l.file}; it has ${has}`)
  }
  return { uri: found.uri, hash: /^SHA256:[0-9a-f]{64}$/.test(found.hash) ? found.hash : '' }
}

export interface PinnedDownload {
  uri: PinnedUri
  file: string
  sha256: string
  /** The file that pins the hash, named when it does not match. */
  pinnedIn: string
}

/** Downloads with apt into the state's downloads/ and checks the pin; returns the file, or throws having kept nothing. */
export async function downloadPinned(apt: AptState, d: PinnedDownload, log: (line: string) => void): Promise<string> {
  const downloads = join(apt.dir, 'downloads')
  mkdirSync(downloads, { recursive: true })
  const path = join(downloads, d.file)
  rmSync(path, { force: true })
  log(`downloading ${d.uri.uri} (apt)...`)
  const got = await run('/usr/lib/apt/apt-helper', [...apt.options, 'download-file', d.uri.uri, path, ...(d.uri.hash ? [d.uri.hash] : [])])
  if (got.code !== 0 || !existsSync(path)) throw new Error(`runtime: apt could not download ${d.uri.uri}:\n${got.output.trim()}`)
  const actual = createHash('sha256').update(readFileSync(path)).digest('hex')
  if (actual !== d.sha256) {
    rmSync(path, { force: true })
    throw new Error(
      `runtime: ${d.file} from ${d.uri.uri} has sha256 ${actual}, but ${d.pinnedIn} pins ${d.sha256}; ` +
        'nothing was extracted. Check the version and the file, then pin the hash Debian publishes for them.',
    )
  }
  return path
}

/**
 * Unpacks `archive` with `command` (its arguments get the archive and the folder) into a
 * fresh folder beside `tree`, then renames it there, so a half-unpacked tree is never used.
 */
export async function unpackInto(
  tree: string,
  archive: string,
  command: (archive: string, dir: string) => [string, string[]],
): Promise<void> {
  const partial = `${tree}.partial-${process.pid}`
  rmSync(partial, { recursive: true, force: true })
  mkdirSync(partial, { recursive: true })
  const [program, args] = command(archive, partial)
  const unpacked = await run(program, args)
  if (unpacked.code !== 0) {
    rmSync(partial, { recursive: true, force: true })
    throw new Error(`runtime: cannot unpack ${archive}:\n${unpacked.output.trim()}`)
  }
  try {
    renameSync(partial, tree)
  } catch (err) {
    // Another build unpacked the same verified file first; its tree is as good.
    rmSync(partial, { recursive: true, force: true })
    if (!existsSync(tree)) throw err
  }
}

interface Run {
  code: number
  stdout: string
  output: string
}

/** Runs a command without blocking the event loop (a test may serve the archive from this process). */
function run(command: string, args: string[]): Promise<Run> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let output = ''
    child.stdout.on('data', (c) => {
      stdout += c
      output += c
    })
    child.stderr.on('data', (c) => {
      output += c
    })
    child.on('error', (err) => resolvePromise({ code: -1, stdout, output: `${output}${command}: ${err.message}` }))
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, output }))
  })
}
