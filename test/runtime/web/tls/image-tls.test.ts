// fetch over https from inside an image, under podman as OpenShift runs it (any UID in
// group 0, read-only root, no capabilities), on the host network so it reaches a loopback
// https server this test starts. The image's own CA layer is what it trusts by default; a
// CA file mounted and named by NODE_EXTRA_CA_CERTS, or mounted where OpenShift's injected
// bundle goes (config.trustedCA), adds the test's root.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { freePort } from '../../../support/process.ts'
import { openshiftFlags, runFlags, tempPodman, type Podman } from '../../../support/podman.ts'
import { tempProject, type Project } from '../../../support/project.ts'
import { makePki, type Pki } from '../../../support/tls-pki.ts'
import { httpsPeer, type Peer } from '../../../support/tls-servers.ts'

const test = suite('fetch over https in an image under podman')
let project: Project
let podman: Podman
let pki: Pki
let server: Peer

const fn = `import { Hono } from 'hono'
const app = new Hono()
app.get('/call', async (c) => {
  try {
    const r = await fetch(process.env.TARGET!)
    return c.text(await r.text())
  } catch (e) {
    return c.text('failed ' + (e as any).cause?.code, 502)
  }
})
app.get('/trust', (c) => c.text(String((globalThis as any).__core.tlsTrustCount())))
export default app
`

test.before(async () => {
  pki = makePki()
  server = await httpsPeer(pki.leaves.ec, pki.chain, (_req, res) => res.end('secure hello from the host'))
  project = tempProject([], { files: { 'functions/callout.ts': fn } })
  podman = tempPodman()
  const built = project.build()
  if (built.code !== 0) throw new Error(`build failed:\n${built.output}`)
  await podman.podman(['load', '-q', '-i', `${project.root}/dist/images/callout/callout.tar`])
})
test.after(async () => {
  await podman?.cleanup()
  project?.remove()
  await server?.close()
  pki?.dispose()
})

/** Runs the image on the host network with these extra flags; returns its URL. */
async function start(extra: string[]): Promise<string> {
  const port = await freePort()
  const env = ['-e', `PORT=${port}`, '-e', `TARGET=https://localhost:${server.port}/`]
  const { stdout } = await podman.podman([
    'run',
    '-d',
    ...runFlags,
    ...openshiftFlags,
    '--network',
    'host',
    ...env,
    ...extra,
    'localhost/scratchfn/callout:latest',
  ])
  const url = `http://127.0.0.1:${port}`
  await podman.waitReady(url, stdout.trim())
  return url
}

const get = async (url: string) => {
  const r = await fetch(url)
  return `${r.status} ${await r.text()}`
}

test("trusts the image's CA layer and not the test's root, until a CA file is mounted", async () => {
  const plain = await start([])
  assert.is(await get(`${plain}/callout/call`), '502 failed UNABLE_TO_GET_ISSUER_CERT_LOCALLY')
  const bundled = Number((await get(`${plain}/callout/trust`)).split(' ')[1])
  assert.ok(bundled > 100, `the CA layer's certificates: ${bundled}`)

  const extra = await start(['-v', `${pki.rootCert}:/run/certs/root.crt:ro`, '-e', 'NODE_EXTRA_CA_CERTS=/run/certs/root.crt'])
  assert.is(await get(`${extra}/callout/call`), '200 secure hello from the host')
  assert.is(await get(`${extra}/callout/trust`), `200 ${bundled + 1}`)

  // Where deploy mounts OpenShift's injected bundle for config.trustedCA.
  const injected = await start(['-v', `${pki.rootCert}:/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem:ro`])
  assert.is(await get(`${injected}/callout/call`), '200 secure hello from the host')
})

test.run()
