// A real OCI registry for tests: Debian's docker-registry (CNCF distribution 2.8) on a
// free 127.0.0.1 port with a temporary storage folder, anonymous, with htpasswd
// (Basic) auth, or with token (Bearer) auth. stop/start keep the storage, so a test can
// kill it mid-push and bring it back. Its access log is kept, so a test can count the
// requests a push made. The checks here use plain fetch, not scratchfn's client.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { daemon } from './daemon.ts'
import { freePort } from './process.ts'

export interface RegistryRequest {
  method: string
  path: string
  status: number
}

export interface TestRegistry {
  /** 127.0.0.1:<port> */
  host: string
  url: string
  storage: string
  /** SIGKILL by default, as a crash would; the storage stays. */
  stop(signal?: NodeJS.Signals): Promise<void>
  /** Starts it again on the same port and storage. */
  start(): Promise<void>
  destroy(): Promise<void>
  log(): string
  /** Every request so far, from the access log, in order. */
  requests(): RegistryRequest[]
  /** Resolves once the access log has a line matching `pattern`. */
  waitForRequest(pattern: RegExp, timeoutMs?: number): Promise<void>
  /** Resolves when the log has been quiet for `ms`: the registry logs a request just after answering it. */
  settle(ms?: number): Promise<void>
}

export interface RegistryOptions {
  /** Basic auth: users and passwords for an htpasswd file (bcrypt, from `htpasswd -B`). */
  users?: Record<string, string>
  /** Bearer auth: the token service the registry sends clients to. */
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string }
}

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  if (spawnSync('docker-registry', ['--version']).error) {
    throw new Error(
      'docker-registry is not installed: the push tests need it; run `apt-get install -y --no-install-recommends docker-registry`',
    )
  }
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-registry-'))
  const port = await freePort()
  const host = `127.0.0.1:${port}`
  const url = `http://${host}`
  let auth = ''
  if (options.users) {
    const lines = Object.entries(options.users).map(([user, pass]) => {
      const out = spawnSync('htpasswd', ['-Bbn', user, pass], { encoding: 'utf8' })
      if (out.status !== 0) throw new Error(`htpasswd failed (is apache2-utils installed?): ${out.stderr}${out.error ?? ''}`)
      return out.stdout.trim()
    })
    writeFileSync(join(dir, 'htpasswd'), lines.join('\n') + '\n')
    auth = `auth: {htpasswd: {realm: scratchfn-test, path: ${JSON.stringify(join(dir, 'htpasswd'))}}}`
  } else if (options.token) {
    const t = options.token
    auth = `auth: {token: {realm: ${JSON.stringify(t.realm)}, service: ${JSON.stringify(t.service)}, issuer: ${JSON.stringify(t.issuer)}, rootcertbundle: ${JSON.stringify(t.rootCertBundle)}}}`
  }
  // Not the Debian default config: that one turns on htpasswd auth against a directory.
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: {level: info, formatter: text}',
      `storage: {filesystem: {rootdirectory: ${JSON.stringify(join(dir, 'data'))}}, maintenance: {uploadpurging: {enabled: false}}}`,
      // A fixed secret: upload sessions stay valid across a restart, as in a real deployment.
      `http: {addr: ${JSON.stringify(host)}, secret: scratchfn-test-secret}`,
      auth,
    ].join('\n') + '\n',
  )

  let output = ''
  let lastOutput = Date.now()
  const waiters: Array<{ pattern: RegExp; done: () => void }> = []
  const registry = daemon({
    name: 'docker-registry',
    command: 'docker-registry',
    args: ['serve', join(dir, 'config.yml')],
    timeoutMs: 15_000,
    async ready() {
      const res = await fetch(`${url}/v2/`)
      await res.arrayBuffer()
      return res.status === 200 || res.status === 401
    },
    onOutput(chunk) {
      output += chunk
      lastOutput = Date.now()
      for (const w of [...waiters])
        if (w.pattern.test(output)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.done()
        }
    },
  })
  const { start, stop } = registry

  await start()
  return {
    host,
    url,
    storage: join(dir, 'data'),
    start,
    stop,
    async destroy() {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
    log: () => output,
    requests: () =>
      [...output.matchAll(/^\S+ - \S+ \[[^\]]+\] "(\w+) (\S+) HTTP\/[\d.]+" (\d{3}) /gm)].map((m) => ({
        method: m[1],
        path: m[2],
        status: Number(m[3]),
      })),
    async settle(ms = 300) {
      while (Date.now() - lastOutput < ms) await new Promise((r) => setTimeout(r, ms - (Date.now() - lastOutput)))
    },
    waitForRequest(pattern, timeoutMs = 60_000) {
      if (pattern.test(output)) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no registry request matching ${pattern} within ${timeoutMs} ms:\n${output.slice(-3000)}`)),
          timeoutMs,
        )
        waiters.push({
          pattern,
          done: () => {
            clearTimeout(timer)
            resolve()
          },
        })
      })
    },
  }
}

/** Requests that send blob data: upload starts (not mounts), chunks, and finishing PUTs. */
export function blobUploads(requests: RegistryRequest[]): RegistryRequest[] {
  return requests.filter(
    (r) =>
      (r.method === 'POST' && /\/blobs\/uploads\/$/.test(r.path)) ||
      ((r.method === 'PATCH' || r.method === 'PUT') && /\/blobs\/uploads\//.test(r.path)),
  )
}

export interface Problem {
  repository: string
  tag: string
  problem: string
}

/**
 * Every tag in every repository, checked as a puller would: the manifest it names
 * loads, and every blob that manifest names is there. A referrers tag (sha256-<hex>, the
 * index the referrers tag scheme keeps) is checked the same way through each manifest it
 * lists, and reported apart. Returns what is wrong (nothing, for a consistent registry),
 * the image tags seen, and the referrers tags.
 */
export async function checkTags(
  url: string,
  authorization?: string,
): Promise<{ problems: Problem[]; tags: Record<string, string[]>; referrerTags: Record<string, string[]> }> {
  const headers: Record<string, string> = authorization ? { authorization } : {}
  const get = (path: string, extra: Record<string, string> = {}, method = 'GET') =>
    fetch(url + path, { method, headers: { ...headers, ...extra } })
  const catalog = await get('/v2/_catalog?n=1000')
  if (!catalog.ok) throw new Error(`GET /v2/_catalog answered ${catalog.status}`)
  const repos = ((await catalog.json()) as { repositories: string[] | null }).repositories ?? []
  const problems: Problem[] = []
  const tags: Record<string, string[]> = {}
  const referrerTags: Record<string, string[]> = {}
  const accept = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json'
  for (const repo of repos) {
    const list = await get(`/v2/${repo}/tags/list`)
    const names = list.ok ? (((await list.json()) as { tags: string[] | null }).tags ?? []) : (await list.arrayBuffer(), [])
    tags[repo] = names.filter((t) => !/^sha256-[0-9a-f]{64}$/.test(t)).sort()
    referrerTags[repo] = names.filter((t) => /^sha256-[0-9a-f]{64}$/.test(t)).sort()
    const checkManifest = async (reference: string, tag: string): Promise<void> => {
      const res = await get(`/v2/${repo}/manifests/${reference}`, { accept })
      if (!res.ok) {
        problems.push({ repository: repo, tag, problem: `manifest ${reference} answers ${res.status}` })
        await res.arrayBuffer()
        return
      }
      const manifest = (await res.json()) as {
        config?: { digest: string }
        layers?: Array<{ digest: string }>
        manifests?: Array<{ digest: string }>
      }
      if (manifest.manifests) {
        for (const m of manifest.manifests) await checkManifest(m.digest, tag)
        return
      }
      for (const d of [manifest.config!, ...(manifest.layers ?? [])]) {
        const blob = await get(`/v2/${repo}/blobs/${d.digest}`, {}, 'HEAD')
        if (blob.status !== 200) problems.push({ repository: repo, tag, problem: `blob ${d.digest} answers ${blob.status}` })
      }
    }
    for (const tag of names) await checkManifest(tag, tag)
  }
  return { problems, tags, referrerTags }
}
