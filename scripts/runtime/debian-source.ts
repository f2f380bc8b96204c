// Third-party C sources come from Debian's source archive, downloaded by apt itself
// with a private state under the cache directory (its own sources list, lists and
// cache), so the machine's apt configuration is read for proxies and mirrors but never
// changed. One file of a source package (usually the orig tarball) is fetched, checked
// against a pinned sha256 before anything is extracted, and unpacked into a cache keyed
// by package, version and hash. When that tree is there, nothing else runs: no apt, no
// network. Generic on purpose: the engine is one caller, C libraries are the next.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { debianArchiveUri, machineAptEntries } from './apt-sources.ts'

export interface DebianSourceOptions {
  /** The source package, e.g. 'quickjs'. */
  package: string
  /** Its Debian version, e.g. '2025.04.26-1'. */
  version: string
  /** The suite that carries that version, e.g. 'trixie'. */
  suite: string
  /** The file of the source package to fetch and unpack, e.g. 'quickjs_2025.04.26.orig.tar.xz'. */
  file: string
  /** Its sha256, hex. */
  sha256: string
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

const root = resolve(import.meta.dirname, '../..')
const defaults = {
  pinnedIn: 'the caller',
  component: 'main',
  archive: '',
  keyring: '/usr/share/keyrings/debian-archive-keyring.gpg',
  cacheDir: join(root, '.scratchfn/sources'),
  etcApt: '/etc/apt',
  log: (line: string) => console.log(`runtime: ${line}`),
}
const required = ['package', 'version', 'suite', 'file', 'sha256'] as const

/** The cache directory a source lands in: package, version and the pinned hash. An epoch's colon becomes '_' (make cannot take a path with a colon). */
export function sourceKey(o: Pick<DebianSourceOptions, 'package' | 'version' | 'sha256'>): string {
  return `${o.package}_${o.version.replace(/:/g, '_')}_${o.sha256.slice(0, 16)}`
}

/**
 * Returns the unpacked tree (the tarball's one top directory, else the tree itself),
 * fetching it first when the cache does not hold it.
 */
export async function fetchDebianSource(options: DebianSourceOptions): Promise<string> {
  const unknown = Object.keys(options).filter((k) => !(k in defaults) && !(required as readonly string[]).includes(k))
  if (unknown.length > 0) throw new TypeError(`fetchDebianSource: unknown option ${unknown.map((k) => `'${k}'`).join(', ')}`)
  for (const key of required) {
    if (typeof options[key] !== 'string' || options[key] === '') throw new TypeError(`fetchDebianSource: '${key}' is required`)
  }
  if (!/^[0-9a-f]{64}$/.test(options.sha256))
    throw new TypeError(`fetchDebianSource: sha256 must be 64 hex digits, not '${options.sha256}'`)
  const o = { ...defaults, ...options }
  const tree = join(o.cacheDir, sourceKey(o))
  if (existsSync(tree)) return topDirectory(tree)

  o.log(`fetching ${o.package} ${o.version} from Debian's source archive (${o.suite})...`)
  const apt = aptState(o)
  const uri = await sourceFileUri(apt, o)
  const downloads = join(apt.dir, 'downloads')
  mkdirSync(downloads, { recursive: true })
  const tarball = join(downloads, o.file)
  rmSync(tarball, { force: true })
  o.log(`downloading ${uri.uri} (apt)...`)
  const got = await run('/usr/lib/apt/apt-helper', [...apt.options, 'download-file', uri.uri, tarball, ...(uri.hash ? [uri.hash] : [])])
  if (got.code !== 0 || !existsSync(tarball)) {
    throw new Error(`runtime: apt could not download ${uri.uri}:\n${got.output.trim()}`)
  }
  const actual = createHash('sha256').update(readFileSync(tarball)).digest('hex')
  if (actual !== o.sha256) {
    rmSync(tarball, { force: true })
    throw new Error(
      `runtime: ${o.file} from ${uri.uri} has sha256 ${actual}, but ${o.pinnedIn} pins ${o.sha256}; ` +
        'nothing was extracted. Check the version and the file, then pin the hash Debian publishes for them.',
    )
  }
  o.log(`verified ${o.file} (sha256 ${actual.slice(0, 16)}...), unpacking into ${relative(root, tree) || tree}`)
  await unpack(tarball, tree)
  rmSync(tarball, { force: true })
  return topDirectory(tree)
}

interface AptState {
  dir: string
  archive: string
  /** `-o` options that point apt at the private state. */
  options: string[]
}

/** The private apt state: a sources list with one deb-src line, and its own lists and cache. */
function aptState(o: typeof defaults & DebianSourceOptions): AptState {
  const archive = (o.archive || process.env.SCRATCHFN_DEBIAN_ARCHIVE || debianArchiveUri(machineAptEntries(o.etcApt)) || '').replace(
    /\/+$/,
    '',
  )
  if (!archive) {
    throw new Error(
      `runtime: no Debian archive in ${o.etcApt}/sources.list or ${o.etcApt}/sources.list.d/ to fetch ${o.package} from; ` +
        'set SCRATCHFN_DEBIAN_ARCHIVE to one (e.g. http://deb.debian.org/debian)',
    )
  }
  if (!existsSync(o.keyring)) {
    throw new Error(
      `runtime: ${o.keyring} is missing, so apt cannot check Debian's signature; install it with: apt-get install debian-archive-keyring`,
    )
  }
  const dir = join(o.cacheDir, 'apt')
  for (const sub of ['lists/partial', 'cache/archives/partial']) mkdirSync(join(dir, sub), { recursive: true })
  const sourcesList = join(dir, 'sources.list')
  const line = `deb-src [signed-by=${o.keyring}] ${archive} ${o.suite} ${o.component}\n`
  if (!existsSync(sourcesList) || readFileSync(sourcesList, 'utf8') !== line) writeFileSync(sourcesList, line)
  const options = [
    `Dir::Etc::sourcelist=${sourcesList}`,
    'Dir::Etc::sourceparts=/dev/null',
    `Dir::State::Lists=${join(dir, 'lists')}`,
    `Dir::Cache=${join(dir, 'cache')}`,
  ].flatMap((v) => ['-o', v])
  return { dir, archive, options }
}

interface SourceFileUri {
  uri: string
  /** As apt prints it ('SHA256:...'), from the archive's signed index; empty when not given. */
  hash: string
}

/**
 * Where the file is, from `apt-get source --print-uris`: first with the index apt already
 * has (a fetch of another package refreshed it), then after `apt-get update`.
 */
async function sourceFileUri(apt: AptState, o: typeof defaults & DebianSourceOptions): Promise<SourceFileUri> {
  const printUris = () => run('apt-get', [...apt.options, 'source', '--print-uris', '--only-source', `${o.package}=${o.version}`])
  let listed = await printUris()
  if (listed.code !== 0) {
    o.log(`reading the ${o.suite} source index of ${apt.archive} (apt-get update)...`)
    const update = await run('apt-get', [...apt.options, 'update'])
    // apt-get update only warns when an index fails to download; the retry below tells.
    if (update.code !== 0 || /^(E|W): (Failed|Some index files)/m.test(update.output)) {
      throw new Error(`runtime: apt could not read the ${o.suite} source index from ${apt.archive}:\n${update.output.trim()}`)
    }
    listed = await printUris()
  }
  if (listed.code !== 0) {
    throw new Error(`runtime: ${apt.archive} ${o.suite} has no source package ${o.package} ${o.version}:\n${listed.output.trim()}`)
  }
  const files = [...listed.stdout.matchAll(/^'([^']+)' (\S+) \d+ ?(\S*)$/gm)].map((m) => ({ uri: m[1], name: m[2], hash: m[3] }))
  const file = files.find((f) => f.name === o.file)
  if (!file) {
    throw new Error(
      `runtime: ${o.package} ${o.version} in ${o.suite} has no file ${o.file}; it has ${files.map((f) => f.name).join(', ') || 'none'}`,
    )
  }
  return { uri: file.uri, hash: /^SHA256:[0-9a-f]{64}$/.test(file.hash) ? file.hash : '' }
}

/** Unpacks into a fresh directory beside `tree`, then renames it there, so a half-unpacked tree is never used. */
async function unpack(tarball: string, tree: string): Promise<void> {
  const partial = `${tree}.partial-${process.pid}`
  rmSync(partial, { recursive: true, force: true })
  mkdirSync(partial, { recursive: true })
  const untar = await run('tar', ['-xf', tarball, '-C', partial, '--no-same-owner', '--no-same-permissions'])
  if (untar.code !== 0) {
    rmSync(partial, { recursive: true, force: true })
    throw new Error(`runtime: cannot unpack ${tarball}:\n${untar.output.trim()}`)
  }
  try {
    renameSync(partial, tree)
  } catch (err) {
    // Another build unpacked the same verified file first; its tree is as good.
    rmSync(partial, { recursive: true, force: true })
    if (!existsSync(tree)) throw err
  }
}

function topDirectory(tree: string): string {
  const entries = readdirSync(tree)
  if (entries.length === 1 && statSync(join(tree, entries[0])).isDirectory()) return join(tree, entries[0])
  return tree
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
