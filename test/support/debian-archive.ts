// A small Debian archive served over HTTP on loopback, signed by a throwaway key, for the
// tests of scripts/runtime/debian-source.ts and debian-package.ts: apt reads it as it reads
// deb.debian.org (InRelease, the Sources index, a Packages index per architecture, the pool). Files listed as `null` are in
// the index but answer 404, as some .debian.tar.xz files do on this machine's mirror.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { repoRoot } from './paths.ts'

export interface SourcePackage {
  name: string
  version: string
  /** File name -> bytes; null for a file the index lists but the server does not have. */
  files: Record<string, Buffer | null>
}

/** A binary package of one architecture, e.g. a .deb made by `dpkg-deb --build`. */
export interface BinaryPackage {
  name: string
  version: string
  architecture: string
  deb: Buffer
}

export interface DebianArchive {
  /** The archive's URI, e.g. http://127.0.0.1:PORT/debian. */
  uri: string
  /** The public key that signs InRelease, for signed-by. */
  keyring: string
  /** A fresh folder beside the keyring, readable by apt's sandbox user, for the cache. */
  dir: string
  /** Every path requested so far. */
  requests: string[]
  /** Stops serving: the archive becomes unreachable (the folder stays). */
  stop(): Promise<void>
  /** Removes the folder. */
  remove(): void
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const poolDir = (name: string) => `pool/main/${name[0]}/${name}`
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex')

function sourcesIndex(packages: SourcePackage[]): string {
  return packages
    .map((p) => {
      const dir = poolDir(p.name)
      // A missing file is listed with the hash and size of an empty one: apt never gets it.
      const entries = Object.entries(p.files).map(([name, bytes]) => ({ name, bytes: bytes ?? Buffer.alloc(0) }))
      return [
        `Package: ${p.name}`,
        `Binary: ${p.name}`,
        `Version: ${p.version}`,
        'Maintainer: scratchfn tests <tests@scratchfn.invalid>',
        'Architecture: any',
        'Format: 3.0 (quilt)',
        `Directory: ${dir}`,
        'Files:',
        ...entries.map((e) => ` ${md5(e.bytes)} ${e.bytes.length} ${e.name}`),
        'Checksums-Sha256:',
        ...entries.map((e) => ` ${sha256(e.bytes)} ${e.bytes.length} ${e.name}`),
        '',
      ].join('\n')
    })
    .join('\n')
}

const debPath = (b: BinaryPackage) => `${poolDir(b.name)}/${b.name}_${b.version}_${b.architecture}.deb`

function packagesIndex(binaries: BinaryPackage[]): string {
  return binaries
    .map((b) =>
      [
        `Package: ${b.name}`,
        `Version: ${b.version}`,
        `Architecture: ${b.architecture}`,
        'Maintainer: scratchfn tests <tests@scratchfn.invalid>',
        `Filename: ${debPath(b)}`,
        `Size: ${b.deb.length}`,
        `SHA256: ${sha256(b.deb)}`,
        'Description: a scratchfn test package',
        '',
      ].join('\n'),
    )
    .join('\n')
}

/** Signs with gpg in a private home, then stops its agent so nothing is left running. */
function signRelease(dir: string, release: string): { inRelease: Buffer; keyring: string } {
  const home = join(dir, 'gnupg')
  mkdirSync(home, { mode: 0o700 })
  const gpg = (...args: string[]) =>
    execFileSync('gpg', ['--batch', '--quiet', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
      env: { ...process.env, GNUPGHOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  try {
    gpg('--quick-gen-key', 'scratchfn test archive <tests@scratchfn.invalid>', 'ed25519', 'sign', '1d')
    const keyring = join(dir, 'archive-keyring.gpg')
    writeFileSync(keyring, gpg('--export'))
    chmodSync(keyring, 0o644)
    writeFileSync(join(dir, 'Release'), release)
    gpg('--clearsign', '--output', join(dir, 'InRelease'), join(dir, 'Release'))
    return { inRelease: readFileSync(join(dir, 'InRelease')), keyring }
  } finally {
    execFileSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home }, stdio: 'ignore' })
  }
}

export async function serveDebianArchive(options: {
  suite: string
  packages: SourcePackage[]
  binaries?: BinaryPackage[]
}): Promise<DebianArchive> {
  // Under the repository, whose folders apt's sandbox user (_apt) can enter, unlike mkdtemp's 0700 ones.
  const base = join(repoRoot, '.scratchfn/test')
  mkdirSync(base, { recursive: true })
  const dir = mkdtempSync(join(base, 'debian-archive-'))
  chmodSync(dir, 0o755)
  const sources = Buffer.from(sourcesIndex(options.packages))
  const sourcesGz = gzipSync(sources)
  const binaries = options.binaries ?? []
  const architectures = [...new Set(['amd64', ...binaries.map((b) => b.architecture)])].sort()
  const indexes = new Map<string, Buffer>([
    ['main/source/Sources', sources],
    ['main/source/Sources.gz', sourcesGz],
  ])
  for (const arch of architectures) {
    const packages = Buffer.from(packagesIndex(binaries.filter((b) => b.architecture === arch)))
    indexes.set(`main/binary-${arch}/Packages`, packages)
    indexes.set(`main/binary-${arch}/Packages.gz`, gzipSync(packages))
  }
  const release = [
    'Origin: scratchfn-tests',
    'Label: scratchfn-tests',
    `Suite: ${options.suite}`,
    `Codename: ${options.suite}`,
    // A minute ago, so a machine that checks dates does not see it from the future.
    `Date: ${new Date(Date.now() - 60_000).toUTCString().replace('GMT', 'UTC')}`,
    `Architectures: ${architectures.join(' ')}`,
    'Components: main',
    'SHA256:',
    ...[...indexes].map(([path, bytes]) => ` ${sha256(bytes)} ${bytes.length} ${path}`),
    '',
  ].join('\n')
  const { inRelease, keyring } = signRelease(dir, release)

  const files = new Map<string, Buffer>([[`/debian/dists/${options.suite}/InRelease`, inRelease]])
  for (const [path, bytes] of indexes) files.set(`/debian/dists/${options.suite}/${path}`, bytes)
  for (const p of options.packages) {
    for (const [name, bytes] of Object.entries(p.files)) if (bytes) files.set(`/debian/${poolDir(p.name)}/${name}`, bytes)
  }
  for (const b of binaries) files.set(`/debian/${debPath(b)}`, b.deb)
  const requests: string[] = []
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    requests.push(path)
    const body = files.get(path)
    if (!body) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' })
    res.end(req.method === 'HEAD' ? undefined : body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const cacheDir = join(dir, 'cache')
  mkdirSync(cacheDir)
  return {
    uri: `http://127.0.0.1:${port}/debian`,
    keyring,
    dir: cacheDir,
    requests,
    async stop() {
      if (!server.listening) return
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    remove() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
