// `npm run deploy` on built functions: what it writes for OpenShift, Knative and plain
// Kubernetes, rendered through the kustomization with `kubectl kustomize` (as `oc apply
// -k` reads it) and validated against the published Kubernetes, Knative and OpenShift
// schemas. dist/pushed.json is written here as a push would write it (name -> image@
// digest of the built image), so no registry is needed.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { parseAllDocuments } from 'yaml'
import { runCli } from '../../support/cli.ts'
import { fixture, tempProject, type Project } from '../../support/project.ts'
import { validateManifest } from '../../support/schemas.ts'

type K8s = {
  apiVersion: string
  kind: string
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }
  spec: any
}

let project: Project
const names = ['greet', 'plain', 'tuned']
const registry = 'registry.example.com/team'
const digest = (name: string) => project.json(`dist/images/${name}/index.json`).manifests[0].digest as string
let rendered: K8s[] | null = null
const deploy = (...args: string[]) => {
  rendered = null
  return runCli(['deploy', '--root', project.root, ...args])
}
/** What `oc apply -k dist/deploy` would send, one object per document (rendered once per deploy). */
const render = (): K8s[] => {
  rendered ??= parseAllDocuments(execFileSync('kubectl', ['kustomize', join(project.root, 'dist/deploy')], { encoding: 'utf8' })).map((d) =>
    d.toJS(),
  )
  return structuredClone(rendered)
}
const find = (objs: K8s[], kind: string, name: string) => {
  const obj = objs.find((o) => o.kind === kind && o.metadata.name === name)
  assert.ok(obj, `no ${kind} ${name} in ${objs.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`)
  return obj!
}
const envOf = (container: { env?: Array<{ name: string; value: string }> }) =>
  Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]))

const test = suite('deploy: manifests for OpenShift, Knative and Kubernetes')

test.before(() => {
  project = tempProject([fixture('greet'), fixture('plain')])
  project.write(
    'tuned',
    "import { Hono } from 'hono'\nconst app = new Hono()\napp.get('/', (c) => c.text('tuned'))\nexport default app\nexport const config = { memory: '128Mi', cpu: '250m', scaling: { min: 2, max: 6 }, timeoutMs: 60000, trustedCA: true }\n",
  )
  const built = project.build()
  if (built.code !== 0) throw new Error(`build failed:\n${built.output}`)
  writeFileSync(
    join(project.root, 'dist/pushed.json'),
    JSON.stringify(Object.fromEntries(names.map((n) => [n, `${registry}/${n}@${digest(n)}`]))),
  )
})
test.after(() => project?.remove())

test('openshift: a folder per function (Deployment, Service, Route) tied by kustomization.yaml, every object valid', async () => {
  const run = await deploy('--host', 'fns.apps.example.com')
  assert.is(run.code, 0, run.output)
  assert.match(
    run.stdout,
    /wrote dist\/deploy\/ for 3 functions \(openshift: Deployment, Service and Route; host fns\.apps\.example\.com\); apply with: oc apply -k dist\/deploy/,
  )
  assert.equal(readdirSync(join(project.root, 'dist/deploy')).sort(), [...names, 'kustomization.yaml'].sort())
  assert.equal(readdirSync(join(project.root, 'dist/deploy/greet')).sort(), [
    'deployment.yaml',
    'kustomization.yaml',
    'route.yaml',
    'service.yaml',
  ])
  const objs = render()
  assert.equal(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort(), [
    'ConfigMap/tuned-trusted-ca',
    'Deployment/greet',
    'Deployment/plain',
    'Deployment/tuned',
    'HorizontalPodAutoscaler/tuned',
    'Route/greet',
    'Route/plain',
    'Route/tuned',
    'Service/greet',
    'Service/plain',
    'Service/tuned',
  ])
  for (const obj of objs) validateManifest(obj)
})

test('the Deployment pins the image by digest and runs under restricted-v2: non-root, no fixed UID, read-only, no capabilities', () => {
  const d = find(render(), 'Deployment', 'greet')
  const pod = d.spec.template.spec
  const [c] = pod.containers
  assert.is(c.image, `${registry}/greet@${digest('greet')}`)
  assert.equal(c.securityContext, {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  })
  assert.equal(pod.securityContext, { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } })
  // OpenShift assigns the UID from the project's range; a fixed one would be refused.
  assert.not.match(JSON.stringify(d), /runAsUser|runAsGroup|privileged|hostPath/)
  assert.is(pod.automountServiceAccountToken, false)
})

test('probes: startup and liveness on /healthz, readiness on /readyz, on the named port the Service targets', () => {
  const objs = render()
  const [c] = find(objs, 'Deployment', 'greet').spec.template.spec.containers
  assert.equal(
    [c.startupProbe.httpGet, c.livenessProbe.httpGet, c.readinessProbe.httpGet],
    [
      { path: '/healthz', port: 'http' },
      { path: '/healthz', port: 'http' },
      { path: '/readyz', port: 'http' },
    ],
  )
  assert.equal(c.ports, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }])
  const svc = find(objs, 'Service', 'greet')
  assert.equal(svc.spec.ports, [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }])
  const podLabels = find(objs, 'Deployment', 'greet').spec.template.metadata.labels
  for (const [k, v] of Object.entries(svc.spec.selector)) assert.is(podLabels[k], v, `selector ${k}`)
})

test("shutdown matches the runtime's drain: 5 s delay for endpoints, grace under terminationGracePeriodSeconds", () => {
  const objs = render()
  for (const [name, grace, period] of [
    ['greet', 25_000, 30],
    ['tuned', 65_000, 70],
  ] as const) {
    const pod = find(objs, 'Deployment', name).spec.template.spec
    const env = envOf(pod.containers[0])
    assert.is(env.SCRATCHFN_DRAIN_DELAY_MS, '5000', name)
    assert.is(env.SCRATCHFN_GRACE_MS, String(grace), name)
    assert.is(pod.terminationGracePeriodSeconds, period, name)
    assert.ok(pod.terminationGracePeriodSeconds * 1000 > grace, `${name}: the kubelet must not kill a draining runtime`)
  }
})

test('resources: small defaults, config overrides, the JS heap kept under the memory limit, and an autoscaler for scaling.max', () => {
  const objs = render()
  const greet = find(objs, 'Deployment', 'greet')
  assert.equal(greet.spec.template.spec.containers[0].resources, { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '32Mi' } })
  assert.is(envOf(greet.spec.template.spec.containers[0]).SCRATCHFN_HEAP_LIMIT_MB, '24')
  assert.is(greet.spec.replicas, 1)
  const tuned = find(objs, 'Deployment', 'tuned')
  assert.equal(tuned.spec.template.spec.containers[0].resources, {
    requests: { cpu: '250m', memory: '128Mi' },
    limits: { memory: '128Mi' },
  })
  assert.is(envOf(tuned.spec.template.spec.containers[0]).SCRATCHFN_HEAP_LIMIT_MB, '96')
  assert.is(tuned.spec.replicas, undefined, 'the autoscaler owns the replica count')
  const hpa = find(objs, 'HorizontalPodAutoscaler', 'tuned')
  assert.equal([hpa.spec.minReplicas, hpa.spec.maxReplicas, hpa.spec.scaleTargetRef.name], [2, 6, 'tuned'])
})

test("config.trustedCA: a ConfigMap OpenShift fills with the cluster's CA bundle, mounted where the runtime reads it", () => {
  const objs = render()
  const cm = find(objs, 'ConfigMap', 'tuned-trusted-ca')
  assert.is(cm.metadata.labels!['config.openshift.io/inject-trusted-cabundle'], 'true')
  assert.is((cm as any).data, undefined, 'the Cluster Network Operator fills it')
  const pod = find(objs, 'Deployment', 'tuned').spec.template.spec
  assert.equal(pod.volumes, [
    {
      name: 'trusted-ca',
      configMap: { name: 'tuned-trusted-ca', items: [{ key: 'ca-bundle.crt', path: 'tls-ca-bundle.pem' }], optional: true },
    },
  ])
  assert.equal(pod.containers[0].volumeMounts, [{ name: 'trusted-ca', mountPath: '/etc/pki/ca-trust/extracted/pem', readOnly: true }])
  const plain = find(objs, 'Deployment', 'plain').spec.template.spec
  assert.is(plain.volumes, undefined)
  assert.is(plain.containers[0].volumeMounts, undefined)
  assert.not.ok(objs.some((o) => o.kind === 'ConfigMap' && o.metadata.name === 'plain-trusted-ca'))
})

test('one Route per function on the shared host, path = the route, edge TLS with HTTP redirected', () => {
  const objs = render()
  for (const [name, path] of [
    ['greet', '/greet'],
    ['plain', '/api/plain'],
    ['tuned', '/tuned'],
  ]) {
    const r = find(objs, 'Route', name)
    assert.equal(r.spec, {
      host: 'fns.apps.example.com',
      path,
      to: { kind: 'Service', name, weight: 100 },
      port: { targetPort: 'http' },
      tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' },
      wildcardPolicy: 'None',
    })
  }
})

test('--namespace goes into the kustomization, so every object lands there', async () => {
  const run = await deploy('--host', 'fns.apps.example.com', '--namespace', 'team-fns')
  assert.is(run.code, 0, run.output)
  assert.ok(render().every((o) => (o.metadata as { namespace?: string }).namespace === 'team-fns'))
})

test('pods carry the prometheus.io scrape annotations for /metrics on the http port', () => {
  const pod = find(render(), 'Deployment', 'greet').spec.template.metadata
  assert.is(pod.annotations['prometheus.io/scrape'], 'true')
  assert.is(pod.annotations['prometheus.io/port'], '8080')
  assert.is(pod.annotations['prometheus.io/path'], '/metrics')
})

test('--service-monitor: a ServiceMonitor per function selecting its Service, valid against the prometheus-operator CRD schema', async () => {
  for (const target of [
    ['--host', 'fns.apps.example.com'],
    ['--target', 'kubernetes'],
  ]) {
    const run = await deploy(...target, '--service-monitor')
    assert.is(run.code, 0, run.output)
    const objs = render()
    const monitors = objs.filter((o) => o.kind === 'ServiceMonitor')
    assert.equal(monitors.map((m) => m.metadata.name).sort(), names)
    for (const m of monitors) {
      validateManifest(m)
      const svc = find(objs, 'Service', m.metadata.name)
      for (const [k, v] of Object.entries(m.spec.selector.matchLabels))
        assert.is(svc.metadata.labels![k], v, `the ServiceMonitor selects Service/${m.metadata.name}`)
      assert.equal(m.spec.endpoints, [{ port: 'http', path: '/metrics', scheme: 'http', interval: '30s', scrapeTimeout: '10s' }])
      assert.ok(
        svc.spec.ports.some((p: { name: string }) => p.name === 'http'),
        'the port it names exists',
      )
    }
  }
  const none = await deploy('--host', 'fns.apps.example.com')
  assert.is(none.code, 0)
  assert.not.ok(
    render().some((o) => o.kind === 'ServiceMonitor'),
    'none without the flag',
  )
  // A misspelt field fails the CRD schema (so the check can fail).
  assert.throws(() =>
    validateManifest({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'x' },
      spec: { endpoints: [{ port: 5 }] },
    } as never),
  )
  for (const target of ['knative', 'compose']) {
    const refused = await deploy('--target', target, '--service-monitor')
    assert.is(refused.code, 1)
    assert.match(refused.output, /--service-monitor applies to --target openshift and kubernetes/)
  }
})

test('--target knative: one Knative Service per function, scaling to zero by default, within what Knative allows', async () => {
  const run = await deploy('--target', 'knative')
  assert.is(run.code, 0, run.output)
  const objs = render()
  assert.equal(objs.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`).sort(), [
    ...names.map((n) => `serving.knative.dev/v1 Service/${n}`),
    'v1 ConfigMap/tuned-trusted-ca',
  ])
  for (const obj of objs) validateManifest(obj)
  const greet = find(objs, 'Service', 'greet').spec.template
  assert.is(greet.metadata.annotations['autoscaling.knative.dev/min-scale'], '0')
  assert.is(greet.metadata.annotations['autoscaling.knative.dev/max-scale'], undefined)
  const tuned = find(objs, 'Service', 'tuned').spec.template
  assert.equal(
    [tuned.metadata.annotations['autoscaling.knative.dev/min-scale'], tuned.metadata.annotations['autoscaling.knative.dev/max-scale']],
    ['2', '6'],
  )
  assert.is(tuned.spec.timeoutSeconds, 65)
  const [c] = greet.spec.containers
  assert.is(c.image, `${registry}/greet@${digest('greet')}`)
  assert.equal(c.ports, [{ name: 'http1', containerPort: 8080 }])
  assert.is(c.startupProbe, undefined)
  assert.not.ok(
    (c.env ?? []).some((e: { name: string }) => e.name === 'PORT'),
    'Knative sets PORT itself',
  )
  assert.equal(c.securityContext.capabilities, { drop: ['ALL'] })
  assert.is(c.securityContext.readOnlyRootFilesystem, true)
})

test('--target kubernetes: Deployments and Services, and one Ingress with a Prefix path per function', async () => {
  const run = await deploy('--target', 'kubernetes', '--host', 'fns.example.com')
  assert.is(run.code, 0, run.output)
  const objs = render()
  assert.not.ok(objs.some((o) => o.kind === 'Route'))
  for (const obj of objs) validateManifest(obj)
  const ingresses = objs.filter((o) => o.kind === 'Ingress')
  assert.is(ingresses.length, 1)
  const [rule] = ingresses[0].spec.rules
  assert.is(rule.host, 'fns.example.com')
  assert.equal(rule.http.paths.map((p: any) => `${p.path} ${p.pathType} ${p.backend.service.name}:${p.backend.service.port.name}`).sort(), [
    '/api/plain Prefix plain:http',
    '/greet Prefix greet:http',
    '/tuned Prefix tuned:http',
  ])
})

test('refusals: no --host for openshift, a stale push, no pushed.json, a config value the target cannot run (with its file:line:col)', async () => {
  const noHost = await deploy()
  assert.is(noHost.code, 1)
  assert.match(noHost.stderr, /--host is required for --target openshift.*e\.g\. --host fns\.apps\.example\.com/)
  const badHost = await deploy('--host', 'https://fns.example.com/')
  assert.match(badHost.stderr, /--host 'https:\/\/fns\.example\.com\/' is not a host name; write just the name/)

  const pushedFile = join(project.root, 'dist/pushed.json')
  const pushed = project.json('dist/pushed.json')
  writeFileSync(pushedFile, JSON.stringify({ ...pushed, greet: `${registry}/greet@sha256:${'0'.repeat(64)}` }))
  const stale = await deploy('--host', 'x.example.com')
  assert.is(stale.code, 1)
  assert.match(
    stale.stderr,
    /deploy: greet was rebuilt since it was pushed \(.* is sha256:[0-9a-f]{12}, dist\/pushed\.json has sha256:000000000000\); push again/,
  )
  writeFileSync(pushedFile, JSON.stringify(pushed))

  const other = tempProject([])
  try {
    other.write('idle', "import { Hono } from 'hono'\nexport default new Hono()\nexport const config = { scaling: { min: 0 } }\n")
    assert.is(other.build().code, 0)
    const none = await runCli(['deploy', '--root', other.root, '--host', 'x.example.com'])
    assert.match(none.stderr, /deploy: dist\/pushed\.json not found; push the images first .*npm run push -- --registry/)
    writeFileSync(
      join(other.root, 'dist/pushed.json'),
      JSON.stringify({
        idle: `${registry}/idle@${other.json('dist/images/idle/index.json').manifests[0].digest}`,
      }),
    )
    const idle = await runCli(['deploy', '--root', other.root, '--host', 'x.example.com', 'idle'])
    // The location starts the line, where editors and CI annotators look for it.
    assert.match(
      idle.stderr,
      /^functions\/idle\.ts:3:36: error: config\.scaling\.min 0 would run no pod on openshift\n  scale to zero needs `--target knative`/m,
    )
    const knative = await runCli(['deploy', '--root', other.root, '--target', 'knative', 'idle'])
    assert.is(knative.code, 0, knative.output)
    assert.not.ok(existsSync(join(other.root, 'dist/deploy.partial')))
  } finally {
    other.remove()
  }
})

test.run()
