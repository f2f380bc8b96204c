// `npm run push -- --registry HOST[:PORT]/NAMESPACE`: every image in dist/images/ goes
// to <registry>/<namespace>/<name> over the OCI distribution API. Safe to re-run and
// to interrupt:
// - a blob the repository already has is skipped (HEAD), and one that an earlier
//   repository of this push holds (a platform's shared runtime layer) is mounted, not sent;
// - each platform's manifest goes up after its blobs, by digest, and the image index last,
//   by digest and then by each tag; the registry refuses a manifest whose blobs are missing
//   and an index whose manifests are, so no tag ever names a partial image;
// - transient failures (network, 5xx, 429) are retried with backoff, auth failures never.
// - then its SBOM (dist/images/<name>/sbom.spdx.json) as an OCI 1.1 referrer: an artifact
//   manifest whose subject is the image index, found through the registry's referrers API, or
//   where it has none (404 on GET /v2/<repo>/referrers/<digest>), through the referrers
//   tag scheme's index at tag sha256-<hex>.
// dist/pushed.json then maps each function to the image@digest that deploy pins.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { sha256 } from '../image/layer.ts'
import { MEDIA, type Descriptor } from '../image/oci-layout.ts'
import { readLocalImage, type LocalImage } from '../image/read-layout.ts'
import { SBOM_FILE } from '../sbom/sbom.ts'
import { size } from '../budget/size-report.ts'
import { RegistryAuth } from './auth.ts'
import { RegistryClient } from './client.ts'
import { findCredentials } from './credentials.ts'
import { RegistryError } from './errors.ts'
import { imageRef, parseRegistry, repositoryOf, type RegistryTarget } from './reference.ts'
import { fallbackIndex, fallbackTag, sbomReferrer } from './referrer.ts'
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.ts'
import { writeFileAtomic } from '../shared/files.ts'

export interface PushOptions {
  /** The project; images are read from <outDir>/images. */
  root: string
  /** HOST[:PORT]/NAMESPACE */
  registry: string
  /** Speak plain HTTP (a local or test registry). */
  insecure?: boolean
  /** Only these functions (default: every image in dist/images). */
  names?: string[]
  /** default <root>/dist */
  outDir?: string
  /** Retries of one operation after a transient failure (default 4: waits of about 0.5, 1, 2, 4 s). */
  retries?: number
  /** First backoff delay in ms (default 500). */
  retryBaseMs?: number
  /** Upload blobs over this size in chunks of it (default 16 MiB). */
  chunkBytes?: number
  /** Debug: wait this long before each request that sends blob data (SCRATCHFN_PUSH_PAUSE_MS). */
  pauseMs?: number
  /** Where credentials are looked up (default process.env). */
  env?: NodeJS.ProcessEnv
  quiet?: boolean
}

export type BlobAction = 'uploaded' | 'mounted' | 'exists'

export interface PushedBlob {
  role: string
  digest: string
  size: number
  action: BlobAction
  /** For a mounted blob: the repository it was mounted from. */
  from?: string
}

export interface PushedImage {
  name: string
  repository: string
  /** host/repository@sha256:... */
  ref: string
  digest: string
  tags: string[]
  blobs: PushedBlob[]
  /** The SBOM's artifact manifest, and how a client finds it from the image. */
  sbom?: { digest: string; via: 'referrers API' | `tag ${string}` }
}

export interface PushReport {
  target: RegistryTarget
  images: PushedImage[]
  /** <outDir>/pushed.json */
  pushedFile: string
}

const known = new Set([
  'root',
  'registry',
  'insecure',
  'names',
  'outDir',
  'retries',
  'retryBaseMs',
  'chunkBytes',
  'pauseMs',
  'env',
  'quiet',
])

export async function pushImages(options: PushOptions): Promise<PushReport> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`push: unknown option '${key}'`)
  const o = {
    insecure: false,
    names: [] as string[],
    outDir: join(options.root, 'dist'),
    retries: DEFAULT_RETRY.retries,
    retryBaseMs: DEFAULT_RETRY.baseMs,
    pauseMs: 0,
    env: process.env,
    quiet: false,
    ...options,
  }
  if (!Number.isInteger(o.retries) || o.retries < 0)
    throw new Error(`push: --retries must be a whole number of 0 or more, got ${o.retries}`)
  const say = o.quiet ? () => {} : (line: string) => console.log(line)
  const target = parseRegistry(o.registry, o.insecure)
  const imagesDir = join(o.outDir, 'images')
  const names = o.names.length ? o.names : builtNames(imagesDir)
  // Read and verify every image and its SBOM before sending anything.
  const images = names.map((name) => readLocalImage(imagesDir, name))
  const sboms = new Map(images.map((image) => [image.name, readSbom(image)]))

  const version = readVersion()
  const userAgent = `scratchfn/${version} (push)`
  const auth = new RegistryAuth({
    host: target.host,
    userAgent,
    credentials: () => findCredentials({ host: target.host, repository: target.namespace, env: o.env }),
  })
  const client = new RegistryClient({ target, auth, userAgent, ...(o.chunkBytes ? { chunkBytes: o.chunkBytes } : {}), pauseMs: o.pauseMs })
  const policy: RetryPolicy = { ...DEFAULT_RETRY, retries: o.retries, baseMs: o.retryBaseMs }
  const retry = <T>(fn: () => Promise<T>) =>
    withRetry(policy, fn, (err, ms, attempt) => {
      console.error(`  retrying in ${(ms / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${policy.retries + 1}): ${err.message}`)
    })

  const report: PushReport = { target, images: [], pushedFile: join(o.outDir, 'pushed.json') }
  try {
    await retry(() => client.ping())
  } catch (err) {
    throw new Error(`push: ${(err as Error).message}${hintFor(err)}`)
  }
  // Where each blob is known to be, so the next repository can mount it from there.
  const holder = new Map<string, string>()
  for (const image of images) {
    const repo = repositoryOf(target, image.name)
    const pushed: PushedImage = {
      name: image.name,
      repository: repo,
      ref: imageRef(target, image.name, image.index.digest),
      digest: image.index.digest,
      tags: [],
      blobs: [],
    }
    try {
      const pushBlob = async (role: string, d: { digest: string; size: number }, data: Buffer) => {
        let from: string | undefined
        const action = await retry(async (): Promise<BlobAction> => {
          if (await client.hasBlob(repo, d.digest)) return 'exists'
          from = holder.get(d.digest)
          let session: string | undefined
          if (from && from !== repo) {
            const mounted = await client.mountBlob(repo, d.digest, from)
            if (mounted === true) return 'mounted'
            session = mounted // the registry would not mount it; upload into the session it opened
          }
          await client.uploadBlob(repo, d.digest, data, session)
          return 'uploaded'
        })
        holder.set(d.digest, repo)
        pushed.blobs.push({ role, digest: d.digest, size: d.size, action, ...(action === 'mounted' ? { from } : {}) })
      }
      for (const [role, d] of blobsOf(image)) await pushBlob(role, d, image.blob(d.digest))
      for (const { manifest: pm } of image.manifests)
        await retry(() => client.putManifest(repo, pm.digest, pm.mediaType, pm.bytes, pm.digest))
      const m = image.index
      await retry(() => client.putManifest(repo, m.digest, m.mediaType, m.bytes, m.digest))
      for (const tag of image.tags) {
        await retry(() => client.putManifest(repo, tag, m.mediaType, m.bytes, m.digest))
        pushed.tags.push(tag)
      }
      const referrer = sbomReferrer(m, sboms.get(image.name)!)
      for (const b of referrer.blobs) await pushBlob(b.role, b, b.data)
      const r = referrer.manifest
      await retry(() => client.putManifest(repo, r.digest, r.mediaType, r.bytes, r.digest))
      if (await retry(() => client.hasReferrersApi(repo, m.digest))) {
        pushed.sbom = { digest: r.digest, via: 'referrers API' }
      } else {
        // After the artifact manifest, so the index never names a manifest the registry lacks.
        const tag = fallbackTag(m.digest)
        const index = fallbackIndex(await retry(() => client.getManifest(repo, tag, MEDIA.index)), r)
        if (index) await retry(() => client.putManifest(repo, tag, MEDIA.index, index, sha256(index)))
        pushed.sbom = { digest: r.digest, via: `tag ${tag}` }
      }
    } catch (err) {
      const state =
        pushed.tags.length === image.tags.length
          ? `${image.name} is complete and tagged ${pushed.tags.join(', ')}, but its SBOM is not yet attached`
          : pushed.tags.length
            ? `${image.name} is complete and tagged ${pushed.tags.join(', ')}, but not yet ${image.tags.filter((t) => !pushed.tags.includes(t)).join(', ')}`
            : `nothing was tagged for ${image.name}: its image index goes up only after every blob and manifest`
      const before = report.images.length ? `; pushed before it: ${report.images.map((i) => i.name).join(', ')}` : ''
      throw new Error(`push: ${image.name}: ${(err as Error).message}${hintFor(err)}\n  ${state}${before}`)
    }
    report.images.push(pushed)
    writePushed(report.pushedFile, pushed, target)
    say(describe(pushed))
  }
  return report
}

/** One-line totals for the CLI. */
export function pushSummary(report: PushReport, root: string): string {
  const blobs = report.images.flatMap((i) => i.blobs)
  const count = (a: BlobAction) => blobs.filter((b) => b.action === a)
  const uploaded = count('uploaded')
  const where = `${report.target.host}${report.target.namespace ? '/' + report.target.namespace : ''}`
  return `pushed ${report.images.length} image${report.images.length === 1 ? '' : 's'} to ${where}: uploaded ${uploaded.length} blob${uploaded.length === 1 ? '' : 's'} (${size(uploaded.reduce((n, b) => n + b.size, 0))}), mounted ${count('mounted').length}, already there ${count('exists').length}; wrote ${relative(root, report.pushedFile) || report.pushedFile}`
}

function describe(p: PushedImage): string {
  const lines = [`${p.name} -> ${p.ref}`]
  for (const b of p.blobs) {
    lines.push(
      `  ${b.action.padEnd(9)} ${b.role.padEnd(15)} ${b.digest.slice(0, 19)}  ${size(b.size).padStart(9)}${b.from ? `  from ${b.from}` : ''}`,
    )
  }
  lines.push(`  ${'tagged'.padEnd(9)} ${p.tags.join(', ')}`)
  if (p.sbom) lines.push(`  ${'referrer'.padEnd(9)} ${'sbom'.padEnd(15)} ${p.sbom.digest.slice(0, 19)}  via the ${p.sbom.via}`)
  return lines.join('\n')
}

/** Per platform its layers (the runtime, then the function: the same for every platform, so sent once), then its config. */
function blobsOf(image: LocalImage): Array<[string, { digest: string; size: number }]> {
  const out = new Map<string, [string, { digest: string; size: number }]>()
  for (const m of image.manifests) {
    const arch = m.platform.slice(m.platform.indexOf('/') + 1)
    const roles =
      m.layers.length === 3
        ? [`runtime ${arch}`, 'CA layer', 'function layer']
        : m.layers.length === 2
          ? [`runtime ${arch}`, 'function layer']
          : m.layers.map((_, i) => `layer ${i + 1} ${arch}`)
    const blobs: Array<[string, Descriptor]> = [
      ...m.layers.map((l, i): [string, Descriptor] => [roles[i], l]),
      [`config ${arch}`, m.config],
    ]
    for (const [role, d] of blobs) if (!out.has(d.digest)) out.set(d.digest, [role, d])
  }
  return [...out.values()]
}

/** The image's SBOM, checked to describe this very image (a stale one is never attached). */
function readSbom(image: LocalImage): Buffer {
  const file = join(image.dir, SBOM_FILE)
  const rebuild = `rebuild it with \`npm run build -- ${image.name}\``
  if (!existsSync(file)) throw new Error(`push: ${file} is missing; ${rebuild}`)
  const bytes = readFileSync(file)
  const name = (JSON.parse(bytes.toString('utf8')) as { name?: string }).name ?? ''
  if (!name.endsWith(`@${image.index.digest}`))
    throw new Error(`push: ${file} describes ${name || 'no image'}, not ${image.index.digest}; ${rebuild}`)
  return bytes
}

function builtNames(imagesDir: string): string[] {
  const names = existsSync(imagesDir)
    ? readdirSync(imagesDir)
        .filter((n) => !n.endsWith('.partial') && existsSync(join(imagesDir, n, 'index.json')))
        .sort()
    : []
  if (names.length === 0) throw new Error(`push: ${imagesDir} holds no images; run \`npm run build\` first`)
  return names
}

/**
 * Merges one entry into pushed.json, written whole and renamed, so the file is never
 * half-written. Entries for another registry or namespace are dropped: a deploy must
 * not mix images from two places.
 */
function writePushed(file: string, image: PushedImage, target: RegistryTarget): void {
  const prefix = `${target.host}/${target.namespace ? target.namespace + '/' : ''}`
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {}
  const current = Object.fromEntries(
    Object.entries(previous).filter(([, ref]) => ref.startsWith(prefix) && !ref.slice(prefix.length).includes('/')),
  )
  current[image.name] = image.ref
  const sorted = Object.fromEntries(Object.entries(current).sort(([a], [b]) => (a < b ? -1 : 1)))
  writeFileAtomic(file, JSON.stringify(sorted, null, 2) + '\n')
}

function hintFor(err: unknown): string {
  if (err instanceof RegistryError && err.transient) {
    return '. The registry is unreachable or failing; run the same command again when it is back: blobs already there are skipped'
  }
  return ''
}

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version?: string }).version ?? '0'
  } catch {
    return '0'
  }
}
