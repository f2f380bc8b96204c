// Validates manifests against published schemas, never hand-written checks:
// - Kubernetes kinds with kubernetes-models (its validate() runs the Kubernetes OpenAPI schema),
// - Knative's Service with @kubernetes-models/knative (Knative's CRD schema),
// - the ServiceMonitor with @kubernetes-models/prometheus-operator (the operator's CRD schema),
// - OpenShift's Route with the OpenShift OpenAPI spec that Red Hat's openshift-rest-client
//   ships (lib/specs/openshift-openapi-spec.json.gz), compiled with ajv.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { Ajv } from 'ajv'
import { Service as KnativeService } from '@kubernetes-models/knative/serving.knative.dev/v1/Service'
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap'
import { Service } from 'kubernetes-models/v1/Service'

type Obj = { apiVersion?: string; kind?: string; metadata?: { name?: string } }

const models: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'v1 Service': Service,
  'v1 ConfigMap': ConfigMap,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1 Ingress': Ingress,
  'serving.knative.dev/v1 Service': KnativeService,
  'monitoring.coreos.com/v1 ServiceMonitor': ServiceMonitor,
}

let routeValidator: (((data: unknown) => boolean) & { errors?: unknown }) | undefined

function openshiftRoute() {
  if (routeValidator) return routeValidator
  const require = createRequire(import.meta.url)
  const specFile = join(dirname(require.resolve('openshift-rest-client/package.json')), 'lib/specs/openshift-openapi-spec.json.gz')
  const spec = JSON.parse(gunzipSync(readFileSync(specFile)).toString('utf8')) as { definitions: Record<string, any> }
  const defs = structuredClone(spec.definitions)
  for (const [name, def] of Object.entries(defs)) {
    if (!name.startsWith('com.github.openshift.api.route.v1.')) continue
    // Like `oc apply --validate=strict`: an unknown (misspelt) Route field is an error.
    if (def.properties) def.additionalProperties = false
  }
  // The spec marks `status` required because the Go field has no omitempty; the API
  // server writes it, and no client sends it.
  const route = defs['com.github.openshift.api.route.v1.Route']
  route.required = route.required.filter((r: string) => r !== 'status')
  // Swagger formats (int32, int-or-string, ...) are hints for code generators, not JSON Schema formats.
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true })
  routeValidator = ajv.compile({ definitions: defs, $ref: '#/definitions/com.github.openshift.api.route.v1.Route' })
  return routeValidator
}

/** Throws, naming the object and what is wrong, when it does not match its published schema. */
export function validateManifest(obj: Obj): void {
  const key = `${obj.apiVersion} ${obj.kind}`
  const what = `${obj.kind} ${obj.metadata?.name ?? '?'}`
  if (key === 'route.openshift.io/v1 Route') {
    const validate = openshiftRoute()
    if (!validate(obj)) throw new Error(`${what} does not match OpenShift's Route schema: ${JSON.stringify(validate.errors)}`)
    return
  }
  const Model = models[key]
  if (!Model) throw new Error(`${what}: no schema known for ${key}`)
  try {
    new Model(obj).validate()
  } catch (err) {
    throw new Error(`${what} does not match the ${key} schema: ${(err as Error).message}`)
  }
}
