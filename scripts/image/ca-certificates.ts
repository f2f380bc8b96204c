// The CA certificates every image carries (its second layer, byte-identical in every image,
// so it is stored and pulled once like the runtime layer; image-spec.ts places it at
// /etc/ssl/certs/ca-certificates.crt): Debian's ca-certificates bundle, made from the pinned binary package
// (scripts/runtime/pinned-sources.ts) the way its update-ca-certificates makes it from
// the package's certificates: each of usr/share/ca-certificates/mozilla/*.crt in name
// order, with a final newline. Not the build machine's own file, which local
// configuration may change. The .deb is downloaded by apt with a private state (its own
// sources list with one `deb` line, lists and cache, as debian-source.ts does for source
// packages), checked against the pinned sha256 and cached with the bundle under
// .scratchfn/sources/; once the bundle is there nothing else runs.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { debianArchiveUri, machineAptEntries } from '../runtime/apt-sources.ts'
import { pinnedPackages, pinsFile } from '../runtime/pinned-sources.ts'
import { writeFileAtomic } from '../shared/files.ts'

export interface CaBundleOptions {
  cacheDir?: string
  /** The archive's URI; default $SCRATCHFN_DEBIAN_ARCHIVE, else the Debian archive in the machine's apt sources. */
  archive?: string
  log?: (line: string) => void
}

export interface CaBundle {
  bytes: Buffer
  /** The Debian package version it was made from. */
  version: string
  /** Certificates in it. */
  count: number
}

const root = resolve(import.meta.dirname, '../..')
const defaults: Required<CaBundleOptions> = {
  cacheDir: join(root, '.scratchfn/sources'),
  archive: '',
  log: (line) => console.log(`image: ${line}`),
}

export function caBundle(options: CaBundleOptions = {}): CaBundle {
  for (const key of Object.keys(options)) if (!(key in defaults)) throw new TypeError(`caBundle: unknown option '${key}'`)
  const o = { ...defaults, ...options }
  const pin = pinnedPackages.caCertificates
  const dir = join(o.cacheDir, `${pin.package}_${pin.version.replace(/:/g, '_')}_${pin.sha256.slice(0, 16)}`)
  const bundleFile = join(dir, 'ca-certificates.crt')
  if (!existsSync(bundleFile)) {
    const deb = download(o, pin)
    mkdirSync(dir, { recursive: true })
    try {
      writeFileAtomic(bundleFile, bundleFromDeb(deb))
    } finally {
      rmSync(deb, { force: true })
    }
  }
  const bytes = readFileSync(bundleFile)
  return { bytes, version: pin.version, count: (bytes.toString('latin1').match(/-----BEGIN CERTIFICATE-----/g) ?? []).length }
}

function run(command: string, args: string[], cwd?: string) {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 << 20 })
}

/** The pinned .deb, downloaded by apt into the private state and checked; returns its path. */
function download(o: Required<CaBundleOptions>, pin: typeof pinnedPackages.caCertificates): string {
  const archive = (o.archive || process.env.SCRATCHFN_DEBIAN_ARCHIVE || debianArchiveUri(machineAptEntries()) || '').replace(/\/+$/, '')
  if (!archive)
    throw new Error(
      'image: no Debian archive in /etc/apt to fetch ca-certificates from; set SCRATCHFN_DEBIAN_ARCHIVE (e.g. http://deb.debian.org/debian)',
    )
  const state = join(o.cacheDir, 'apt-deb')
  for (const sub of ['lists/partial', 'cache/archives/partial', 'downloads']) mkdirSync(join(state, sub), { recursive: true })
  const sourcesList = join(state, 'sources.list')
  const line = `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${archive} ${pin.suite} main\n`
  if (!existsSync(sourcesList) || readFileSync(sourcesList, 'utf8') !== line) writeFileSync(sourcesList, line)
  const apt = [
    `Dir::Etc::sourcelist=${sourcesList}`,
    'Dir::Etc::sourceparts=/dev/null',
    `Dir::State::Lists=${join(state, 'lists')}`,
    `Dir::Cache=${join(state, 'cache')}`,
    // Only the package index, and not the machine's installed packages or preferences.
    'Dir::State::status=/dev/null',
    'Dir::Etc::preferencesparts=/dev/null',
  ].flatMap((v) => ['-o', v])
  const downloads = join(state, 'downloads')
  const get = () => run('apt-get', [...apt, 'download', `${pin.package}=${pin.version}`], downloads)
  let got = get()
  if (got.status !== 0) {
    o.log(`reading the ${pin.suite} package index of ${archive} (apt-get update)...`)
    const update = run('apt-get', [...apt, 'update'])
    if (update.status !== 0)
      throw new Error(`image: apt could not read the ${pin.suite} package index from ${archive}:\n${update.stdout}${update.stderr}`)
    got = get()
  }
  const file = join(downloads, pin.file)
  if (got.status !== 0 || !existsSync(file)) {
    throw new Error(
      `image: apt could not download ${pin.package} ${pin.version} (${pin.suite}) from ${archive}:\n${got.stdout}${got.stderr}`,
    )
  }
  const actual = createHash('sha256').update(readFileSync(file)).digest('hex')
  if (actual !== pin.sha256) {
    rmSync(file, { force: true })
    throw new Error(
      `image: ${pin.file} has sha256 ${actual}, but ${pinsFile} pins ${pin.sha256}; check the version, then pin the hash Debian publishes for it`,
    )
  }
  o.log(`verified ${pin.file} (sha256 ${actual.slice(0, 16)}...)`)
  return file
}

/** What update-ca-certificates writes from the package's certificates alone. */
function bundleFromDeb(deb: string): Buffer {
  const tmp = mkdtempSync(join(dirname(deb), 'ca-unpack-'))
  try {
    const x = run('dpkg-deb', ['-x', deb, tmp])
    if (x.status !== 0) throw new Error(`image: cannot unpack ${deb}:\n${x.stderr}`)
    const mozilla = join(tmp, 'usr/share/ca-certificates/mozilla')
    // update-ca-certificates reads them in the order of ca-certificates.conf, which is `sort`ed names.
    const names = readdirSync(mozilla)
      .filter((n) => n.endsWith('.crt'))
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    if (names.length < 50) throw new Error(`image: ${deb} holds only ${names.length} certificates under usr/share/ca-certificates/mozilla`)
    return Buffer.concat(
      names.map((n) => {
        const pem = readFileSync(join(mozilla, n))
        return pem.length > 0 && pem[pem.length - 1] !== 0x0a ? Buffer.concat([pem, Buffer.from('\n')]) : pem
      }),
    )
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}
