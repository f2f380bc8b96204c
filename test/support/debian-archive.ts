// A small Debian source archive served over HTTP on loopback, signed by a throwaway
// key, for the tests of scripts/runtime/debian-source.ts: apt reads it as it reads
// deb.debian.org (InRelease, the Sources index, the pool). Files listed as `null` are in
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
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex')

function sourcesIndex(packages: SourcePackage[]): string {
  return packages
    .map((p) => {
      const dir = `pool/main/${p.name[0]}/${p.name}`
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

export async function serveDebianArchive(options: { suite: string; packages: SourcePackage[] }): Promise<DebianArchive> {
  // Under the repository, whose folders apt's sandbox user (_apt) can enter, unlike mkdtemp's 0700 ones.
  const base = join(repoRoot, '.scratchfn/test')
  mkdirSync(base, { recursive: true })
  const dir = mkdtempSync(join(base, 'debian-archive-'))
  chmodSync(dir, 0o755)
  const sources = Buffer.from(sourcesIndex(options.packages))
  const sourcesGz = gzipSync(sources)
  const release = [
    'Origin: scratchfn-tests',
    'Label: scratchfn-tests',
    `Suite: ${options.suite}`,
    `Codename: ${options.suite}`,
    // A minute ago, so a machine that checks dates does not see it from the future.
    `Date: ${new Date(Date.now() - 60_000).toUTCString().replace('GMT', 'UTC')}`,
    'Architectures: amd64',
    'Components: main',
    'SHA256:',
    ` ${sha256(sources)} ${sources.length} main/source/Sources`,
    ` ${sha256(sourcesGz)} ${sourcesGz.length} main/source/Sources.gz`,
    '',
  ].join('\n')
  const { inRelease, keyring } = signRelease(dir, release)

  const files = new Map<string, Buffer>([
    [`/debian/dists/${options.suite}/InRelease`, inRelease],
    [`/debian/dists/${options.suite}/main/source/Sources`, sources],
    [`/debian/dists/${options.suite}/main/source/Sources.gz`, sourcesGz],
  ])
  for (const p of options.packages) {
    for (const [name, bytes] of Object.entries(p.files)) if (bytes) files.set(`/debian/pool/main/${p.name[0]}/${p.name}/${name}`, bytes)
  }
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
