// `npm run deploy`: writes dist/deploy/<name>/ for every built and pushed function,
// tied together by dist/deploy/kustomization.yaml, then (with --apply) applies it.
//   --target openshift (default)  Deployment + Service + Route (one shared --host, path = route)
//   --target kubernetes           Deployment + Service, and one Ingress with a path per function
//   --target knative              a Knative Service per function, scaling to zero
//   --target compose              one compose.yaml for `docker stack deploy` and podman-compose
//   --service-monitor             also a ServiceMonitor per function (openshift, kubernetes)
// Images come from dist/pushed.json, pinned by digest, and must be the images in
// dist/images now: a function rebuilt since its push is refused, never deployed stale.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { Document } from 'yaml'
import { readFunctionInfo, readLocalImage } from '../image/read-layout.ts'
import { applyManifests } from './apply.ts'
import { composeFile } from './compose.ts'
import { knativeService } from './knative.ts'
import { ingress } from './kubernetes.ts'
import { autoscaler, deployment, service, trustedCaConfigMap, type FunctionDeploy } from './manifests.ts'
import { serviceMonitor } from './monitoring.ts'
import { route } from './openshift.ts'
import { deploySettings, type Target } from './settings.ts'
import { replaceDir } from '../shared/files.ts'

export interface DeployOptions {
  root: string
  /** default <root>/dist: reads images/ and pushed.json, writes deploy/. */
  outDir?: string
  /** openshift (default), kubernetes or knative. */
  target?: string
  /** The public host every route hangs off: required for openshift, optional for kubernetes. */
  host?: string
  /** Written into kustomization.yaml; default: the CLI's current project. */
  namespace?: string
  /** Run `oc apply -k` (or kubectl) afterwards. */
  apply?: boolean
  /** Only these functions (default: every built image). */
  names?: string[]
  /** compose: the first function's published port, the next one's +1, in name order (default 8080). */
  port?: number
  /** Also write a ServiceMonitor (monitoring.coreos.com/v1) per function: OpenShift's user-workload monitoring. */
  serviceMonitor?: boolean
  env?: NodeJS.ProcessEnv
  quiet?: boolean
}

export interface DeployReport {
  dir: string
  target: Target
  functions: FunctionDeploy[]
  /** Paths relative to dir. */
  files: string[]
  /** The CLI that applied them, when --apply. */
  appliedWith?: string
  summary: string
}

const targets: Target[] = ['openshift', 'kubernetes', 'knative', 'compose']
const DNS_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/
const known = new Set(['root', 'outDir', 'target', 'host', 'namespace', 'apply', 'names', 'port', 'serviceMonitor', 'env', 'quiet'])

export async function deployFunctions(options: DeployOptions): Promise<DeployReport> {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`deploy: unknown option '${key}'`)
  const o = {
    outDir: join(options.root, 'dist'),
    target: 'openshift',
    apply: false,
    serviceMonitor: false,
    names: [] as string[],
    env: process.env,
    quiet: false,
    ...options,
  }
  const say = o.quiet ? () => {} : (line: string) => console.log(line)
  const target = o.target as Target
  if (!targets.includes(target)) throw new Error(`deploy: --target '${o.target}' is not one of ${targets.join(', ')}`)
  if (o.host !== undefined && !HOST.test(o.host))
    throw new Error(
      `deploy: --host '${o.host}' is not a host name; write just the name, e.g. --host fns.apps.example.com (no scheme, port or path)`,
    )
  if (target === 'openshift' && !o.host)
    throw new Error(
      "deploy: --host is required for --target openshift: the one host every function's Route shares (path = the function's route), e.g. --host fns.apps.example.com; `oc get ingresses.config/cluster -o jsonpath='{.spec.domain}'` prints the cluster's apps domain",
    )
  if (target === 'knative' && o.host)
    throw new Error(
      'deploy: --host does not apply to --target knative: Knative gives each function its own URL under its configured domain',
    )
  if (target === 'compose') composeOptions(o)
  if (o.serviceMonitor && (target === 'knative' || target === 'compose'))
    throw new Error(
      `deploy: --service-monitor applies to --target openshift and kubernetes (a ServiceMonitor selects the function's Service); ${target === 'knative' ? "Knative's pods carry the prometheus.io scrape annotations instead" : 'compose has no Prometheus operator: scrape each published port at /metrics'}`,
    )
  if (target !== 'compose' && o.port !== undefined)
    throw new Error(`deploy: --port applies to --target compose only (the published ports); ${target} publishes through its Service`)
  if (o.namespace !== undefined && !DNS_LABEL.test(o.namespace))
    throw new Error(`deploy: --namespace '${o.namespace}' is not a valid namespace name (lower-case letters, digits and '-')`)

  const show = (path: string) => relative(o.root, path) || '.'
  const pushedFile = join(o.outDir, 'pushed.json')
  if (!existsSync(pushedFile))
    throw new Error(
      `deploy: ${show(pushedFile)} not found; push the images first (deploy pins them by digest): npm run push -- --registry HOST[:PORT]/NAMESPACE`,
    )
  const pushed = JSON.parse(readFileSync(pushedFile, 'utf8')) as Record<string, string>
  const imagesDir = join(o.outDir, 'images')
  const names = o.names.length
    ? o.names
    : existsSync(imagesDir)
      ? Object.keys(pushed)
          .filter((n) => existsSync(join(imagesDir, n, 'index.json')))
          .sort()
      : []
  if (names.length === 0)
    throw new Error(
      `deploy: no function is both built (${show(imagesDir)}) and pushed (${show(pushedFile)}); run \`npm run build\` and \`npm run push -- --registry ...\``,
    )
  const partOf = projectName(o.root)

  const fns: FunctionDeploy[] = []
  for (const name of names) {
    const image = readLocalImage(imagesDir, name)
    const ref = pushed[name]
    if (!ref)
      throw new Error(`deploy: ${name} is not in ${show(pushedFile)}; push it first: npm run push -- --registry HOST[:PORT]/NAMESPACE`)
    const digest = ref.slice(ref.lastIndexOf('@') + 1)
    if (digest !== image.index.digest) {
      throw new Error(
        `deploy: ${name} was rebuilt since it was pushed (${show(image.dir)} is ${image.index.digest.slice(0, 19)}, ${show(pushedFile)} has ${digest.slice(0, 19)}); push again so the cluster runs what you built: npm run push -- --registry ...`,
      )
    }
    if (!DNS_LABEL.test(name))
      throw new Error(`deploy: '${name}' cannot name Kubernetes objects (it must end with a letter or digit); rename functions/${name}.ts`)
    const info = await readFunctionInfo(image)
    const settings = deploySettings({ config: info.config, file: join(o.root, info.file), relFile: info.file, target })
    fns.push({ name, route: info.route || '/', image: ref, revision: info.revision, relFile: info.file, settings })
  }

  const files = new Map<string, object[]>()
  if (target === 'compose') files.set('compose.yaml', [composeFile(fns, o.port ?? 8080)])
  for (const fn of target === 'compose' ? [] : fns) {
    const objects: Array<[string, object | null]> =
      target === 'knative'
        ? [
            ['service.yaml', knativeService(fn, partOf)],
            ['trusted-ca.yaml', trustedCaConfigMap(fn, partOf)],
          ]
        : [
            ['trusted-ca.yaml', trustedCaConfigMap(fn, partOf)],
            ['deployment.yaml', deployment(fn, partOf)],
            ['service.yaml', service(fn, partOf)],
            ['autoscaler.yaml', autoscaler(fn, partOf)],
            ['servicemonitor.yaml', o.serviceMonitor ? serviceMonitor(fn, partOf) : null],
            ...(target === 'openshift' ? [['route.yaml', route(fn, partOf, o.host!)] as [string, object]] : []),
          ]
    const present = objects.filter((e): e is [string, object] => e[1] !== null)
    for (const [file, obj] of present) files.set(`${fn.name}/${file}`, [obj])
    files.set(`${fn.name}/kustomization.yaml`, [kustomization(present.map(([f]) => f))])
  }
  const shared = target === 'kubernetes' ? ['ingress.yaml'] : []
  if (target === 'kubernetes') files.set('ingress.yaml', [ingress(fns, partOf, o.host)])
  if (target !== 'compose') files.set('kustomization.yaml', [kustomization([...fns.map((f) => f.name), ...shared], o.namespace)])

  // Written whole next to the old folder and swapped in, so an apply never reads a mix.
  const dir = join(o.outDir, 'deploy')
  await replaceDir(dir, (staging) => {
    for (const [file, docs] of files) {
      mkdirSync(join(staging, file, '..'), { recursive: true })
      writeFileSync(join(staging, file), docs.map((d) => yamlOf(d, file === 'compose.yaml' ? '1.1' : '1.2')).join('---\n'))
    }
  })

  for (const fn of fns) {
    const scale = fn.settings.maxScale !== undefined ? `${fn.settings.minScale}-${fn.settings.maxScale}` : String(fn.settings.minScale)
    say(
      `  ${fn.name.padEnd(16)} ${fn.route.padEnd(16)} ${fn.image.replace(/(@sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1')}  ${fn.settings.memory}  replicas ${scale}`,
    )
  }
  const what = {
    openshift: 'Deployment, Service and Route',
    kubernetes: 'Deployment and Service, one Ingress',
    knative: 'a Knative Service',
    compose: `a compose service each, published from port ${o.port ?? 8080}`,
  }[target]
  let summary = `wrote ${show(dir)}/ for ${fns.length} function${fns.length === 1 ? '' : 's'} (${target}: ${what}${o.host ? `; host ${o.host}` : ''})`
  const report: DeployReport = { dir, target, functions: fns, files: [...files.keys()].sort(), summary }
  if (o.apply) {
    const { cli } = applyManifests({ dir, shownDir: show(dir), target, env: o.env, ...(o.namespace ? { namespace: o.namespace } : {}) })
    report.appliedWith = cli
    summary += `; applied with \`${cli} apply -k ${show(dir)}\``
  } else if (target === 'compose') {
    summary += `; run with: docker stack deploy -c ${show(dir)}/compose.yaml ${partOf} (or podman-compose -f ${show(dir)}/compose.yaml up -d)`
  } else {
    summary += `; apply with: oc apply -k ${show(dir)} (or add --apply)`
  }
  report.summary = summary
  return report
}

/** What --target compose takes: no cluster, so no host, namespace or apply. */
function composeOptions(o: { host?: string; namespace?: string; apply: boolean; port?: number }): void {
  if (o.host)
    throw new Error('deploy: --host does not apply to --target compose: each function gets its own published port (--port sets the first)')
  if (o.namespace)
    throw new Error(
      'deploy: --namespace does not apply to --target compose; name the stack when you run it: docker stack deploy -c dist/deploy/compose.yaml NAME',
    )
  if (o.apply)
    throw new Error(
      'deploy: --apply does not apply to --target compose; run it with: docker stack deploy -c dist/deploy/compose.yaml NAME (or podman-compose -f dist/deploy/compose.yaml up -d)',
    )
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port > 0 && o.port < 65536))
    throw new Error(`deploy: --port ${o.port} is not a port number; write e.g. --port 8080`)
}

function kustomization(resources: string[], namespace?: string): object {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    ...(namespace ? { namespace } : {}),
    resources,
  }
}

function yamlOf(value: object, version: '1.1' | '1.2'): string {
  // No anchors and aliases for objects used twice (labels): plain YAML reads better in a diff.
  // compose.yaml is read by YAML 1.1 parsers (podman-compose's PyYAML reads 65532:0 as a
  // base-60 number): 1.1 quotes every string that such a parser would take for another type.
  const doc = new Document(value, { aliasDuplicateObjects: false, version })
  doc.commentBefore = " Written by `npm run deploy` (scratchfn). Change the function's config, not this file."
  return doc.toString({ lineWidth: 0 })
}

/** package.json's name as a DNS label: the app.kubernetes.io/part-of label and the Ingress name. */
function projectName(root: string): string {
  let name = 'scratchfn'
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: unknown }
    if (typeof pkg.name === 'string') name = pkg.name
  } catch {}
  const label = name
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '')
    .slice(0, 63)
  return label || 'scratchfn'
}
