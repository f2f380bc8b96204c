// The `--target kubernetes` manifests run for real: `podman kube play` makes pods from
// the YAML that `oc apply -k dist/deploy` would send (rendered by `kubectl kustomize`),
// pulling each image by the registry digest the Deployment pins, from a local Debian
// docker-registry the images were pushed to. Each function then answers through its
// published port, and the securityContext holds in the running container: the image's
// non-root user, a read-only root, no capabilities, no privilege escalation.
// One change to the real YAML, for the test only: a hostPort on each container port.
// kube play publishes a containerPort only through a hostPort, and a cluster reaches the
// pods through the Service instead, which kube play does not implement; the manifests
// themselves set none, since a hostPort would pin one pod per node.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { parseAllDocuments, stringify } from 'yaml'
import { runCli } from '../../support/cli.ts'
import { tempPodman, type Podman } from '../../support/podman.ts'
import { freePort } from '../../support/process.ts'
import { fixture, tempProject, type Project } from '../../support/project.ts'
import { startRegistry, type TestRegistry } from '../../support/registry.ts'

const routes: Record<string, { path: string; body: string }> = {
  greet: { path: '/greet', body: 'hi from greet\n' },
  plain: { path: '/api/plain', body: '{"plain":true}' },
}
let project: Project
let registry: TestRegistry
let podman: Podman
let played: string
const ports: Record<string, number> = {}
const pushed = () => project.json('dist/pushed.json') as Record<string, string>
const container = (name: string) => `${name}-pod-0-${name}`

const test = suite('deploy --target kubernetes, played with podman kube play')

test.before(async () => {
  try {
    project = tempProject([fixture('greet'), fixture('plain')])
    const built = project.build()
    if (built.code !== 0) throw new Error(`build failed:\n${built.output}`)
    registry = await startRegistry()
    const push = await runCli(['push', '--root', project.root, '--registry', `${registry.host}/team`, '--insecure'])
    if (push.code !== 0) throw new Error(`push failed:\n${push.output}`)
    const deploy = await runCli(['deploy', '--root', project.root, '--target', 'kubernetes'])
    if (deploy.code !== 0) throw new Error(`deploy failed:\n${deploy.output}`)
    const docs = parseAllDocuments(execFileSync('kubectl', ['kustomize', join(project.root, 'dist/deploy')], { encoding: 'utf8' })).map(
      (d) => d.toJS(),
    )
    for (const doc of docs) {
      if (doc.kind !== 'Deployment') continue
      for (const c of doc.spec.template.spec.containers) {
        ports[doc.metadata.name] = await freePort()
        for (const p of c.ports) p.hostPort = ports[doc.metadata.name]
      }
    }
    played = join(project.root, 'played.yaml')
    writeFileSync(played, docs.map((d) => stringify(d)).join('---\n'))
    podman = tempPodman()
    // kube play has no --ulimit; the defaults podman needs here go in a containers.conf.
    const conf = join(podman.dir, 'containers.conf')
    writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n')
    await podman.podman(['kube', 'play', '--tls-verify=false', played], {
      env: { ...process.env, CONTAINERS_CONF: conf },
      timeoutMs: 180_000,
    })
  } catch (err) {
    console.error('kube play: setup failed:', err)
    throw err
  }
})
test.after(async () => {
  await podman?.cleanup()
  await registry?.destroy()
  project?.remove()
})

test('every Deployment becomes a running pod of the image its manifest pins by digest', async () => {
  for (const name of Object.keys(routes)) {
    const out = await podman.podman(['inspect', '--format', '{{.State.Status}} {{.ImageName}}', container(name)])
    assert.is(out.stdout.trim(), `running ${pushed()[name]}`)
    assert.match(pushed()[name], new RegExp(`^${registry.host}/team/${name}@sha256:[0-9a-f]{64}$`))
  }
})

test('each function answers at its route through its published port, with /healthz and /readyz', async () => {
  for (const [name, { path, body }] of Object.entries(routes)) {
    const url = `http://127.0.0.1:${ports[name]}`
    let res: Response | undefined
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      res = await fetch(url + path).catch(() => undefined)
      if (res?.ok) break
      await new Promise((r) => setTimeout(r, 100))
    }
    assert.ok(res?.ok, `${name} did not answer on ${url}:\n${await podman.logs(container(name))}`)
    assert.is(await res!.text(), body)
    for (const probe of ['/healthz', '/readyz']) {
      const health = await fetch(url + probe)
      assert.is(health.status, 200, `${name} ${probe}`)
      await health.arrayBuffer()
    }
  }
})

test('the securityContext holds: non-root, read-only root, no capabilities, no new privileges; the env is there', async () => {
  for (const name of Object.keys(routes)) {
    const out = await podman.podman([
      'inspect',
      '--format',
      '{{.Config.User}}|{{.HostConfig.ReadonlyRootfs}}|{{.EffectiveCaps}}|{{.HostConfig.CapAdd}}|{{.HostConfig.SecurityOpt}}',
      container(name),
    ])
    assert.is(out.stdout.trim(), '65532:0|true|[]|[]|[no-new-privileges]', name)
    // What the kernel says of the process itself.
    const top = await podman.podman(['top', container(name), 'user', 'group'])
    assert.equal(top.stdout.trim().split('\n')[1].trim().split(/\s+/), ['65532', '0'])
    const env = JSON.parse((await podman.podman(['inspect', '--format', '{{json .Config.Env}}', container(name)])).stdout) as string[]
    for (const e of ['SCRATCHFN_DRAIN_DELAY_MS=5000', 'SCRATCHFN_GRACE_MS=25000', 'SCRATCHFN_HEAP_LIMIT_MB=24'])
      assert.ok(env.includes(e), e)
  }
})

test.run()
