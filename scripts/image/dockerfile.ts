// Renders Dockerfile.template for one function into a build context folder, with
// the files it copies, so `podman build` / `docker build` / an OpenShift binary
// build gives the image `npm run build` writes. Both come from the same ImageSpec.
// The context holds each platform's runtime as scratchfn-runtime-<arch>; the template
// copies the one for the builder's TARGETARCH (which BuildKit, buildah and podman set,
// from --platform or the build machine), so `podman build --platform linux/arm64` gives
// the arm64 image with no emulation: the Dockerfile runs nothing.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { architectureOf, type Platform } from '../shared/platforms.ts'
import { lineColumn, LocatedError } from '../shared/located-error.ts'
import { APP_DIR, CA_PATH, DATA_MODE, RUNTIME_MODE, RUNTIME_PATH, type HealthCheck, type ImageSpec } from './image-spec.ts'

export interface ContextOptions {
  name: string
  spec: ImageSpec
  /** Each platform's runtime binary. */
  runtimes: Array<{ platform: Platform; binary: Uint8Array }>
  /** The CA bundle (/etc/ssl/certs/ca-certificates.crt). */
  ca: Uint8Array
  /** Path of Dockerfile.template. */
  template: string
  /** The folder to fill (dist/images/<name>/context). */
  dir: string
}

const known = new Set(['name', 'spec', 'runtimes', 'ca', 'template', 'dir'])

export function writeContext(options: ContextOptions): void {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`writeContext: unknown option '${key}'`)
  const { spec, dir } = options
  const dockerfile = renderDockerfile(readFileSync(options.template, 'utf8'), options.template, {
    name: options.name,
    runtime: RUNTIME_PATH,
    ca: CA_PATH,
    app: APP_DIR,
    env: spec.env.map(([k, v]) => `ENV ${k}=${quote(v)}`).join('\n'),
    port: String(spec.port),
    user: spec.user,
    labels: Object.entries(spec.labels)
      .map(([k, v]) => `LABEL ${k}=${quote(v)}`)
      .join('\n'),
    entrypoint: JSON.stringify(spec.entrypoint),
    healthcheck: healthcheckLine(spec.healthcheck),
  })
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'Dockerfile'), dockerfile)
  // chmod after writing: the mode given to writeFileSync is filtered by the umask.
  for (const r of options.runtimes) put(join(dir, `${RUNTIME_PATH}-${architectureOf(r.platform)}`), r.binary, RUNTIME_MODE)
  put(join(dir, CA_PATH), options.ca, DATA_MODE)
  for (const e of spec.functionEntries) {
    const path = join(dir, e.path)
    if (e.data) put(path, e.data, e.mode)
    else {
      mkdirSync(path, { recursive: true })
      chmodSync(path, e.mode)
    }
  }
}

function healthcheckLine(h: HealthCheck): string {
  const [kind, ...command] = h.test
  return `HEALTHCHECK --interval=${h.intervalSeconds}s --timeout=${h.timeoutSeconds}s --start-period=${h.startPeriodSeconds}s --retries=${h.retries} ${kind} ${JSON.stringify(command)}`
}

function put(path: string, data: Uint8Array, mode: number): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, data)
  chmodSync(path, mode)
}

/** Fills `{{key}}` placeholders; a placeholder with no value is an error, never left in. */
export function renderDockerfile(template: string, templateFile: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-z]+)\s*\}\}/g, (_, key: string, offset: number) => {
    if (!(key in values)) {
      throw new LocatedError({
        file: templateFile,
        ...lineColumn(template, offset),
        message: `unknown placeholder {{${key}}}`,
        hint: `known: ${Object.keys(values)
          .map((k) => `{{${k}}}`)
          .join(', ')}`,
      })
    }
    return values[key]
  })
}

// A Dockerfile ENV/LABEL value in double quotes: backslash and quote escaped, and
// '$' too, because the builder would otherwise expand it as a variable.
function quote(value: string): string {
  return '"' + value.replace(/[\\"$]/g, (c) => '\\' + c) + '"'
}
