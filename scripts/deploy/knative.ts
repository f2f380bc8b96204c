// Knative Serving: one Knative Service per function instead of Deployment + Service +
// Route. Knative scales it to zero when idle (config.scaling.min, default 0) and gives
// it its own URL; the function still answers under its route there. Knative's queue
// proxy drains requests on shutdown, and Knative allows only some pod fields: no
// startup probe, no pod-level securityContext, no probe port, no PORT variable.
import type { IService as IKnativeService } from '@kubernetes-models/knative/serving.knative.dev/v1/Service'
import {
  annotations,
  containerSecurity,
  heapEnv,
  labels,
  PORT,
  resources,
  scrapeAnnotations,
  trustedCaMounts,
  trustedCaVolumes,
  type FunctionDeploy,
} from './manifests.ts'

export function knativeService(fn: FunctionDeploy, partOf: string): IKnativeService {
  const s = fn.settings
  const scale: Record<string, string> = { 'autoscaling.knative.dev/min-scale': String(s.minScale) }
  if (s.maxScale !== undefined) scale['autoscaling.knative.dev/max-scale'] = String(s.maxScale)
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: fn.name, labels: labels(fn, partOf) },
    spec: {
      template: {
        metadata: { labels: labels(fn, partOf), annotations: { ...annotations(fn), ...scrapeAnnotations(), ...scale } },
        spec: {
          // Knative's request timeout: the handler's own timeout answers 504 first.
          timeoutSeconds: Math.ceil(s.handlerTimeoutMs / 1000) + 5,
          containers: [
            {
              name: fn.name,
              image: fn.image,
              ports: [{ name: 'http1', containerPort: PORT }],
              env: heapEnv(s),
              resources: resources(s),
              livenessProbe: { httpGet: { path: '/healthz' }, periodSeconds: 10 },
              readinessProbe: { httpGet: { path: '/readyz' }, periodSeconds: 5 },
              securityContext: containerSecurity,
              ...trustedCaMounts(fn),
            },
          ],
          ...trustedCaVolumes(fn),
          automountServiceAccountToken: false,
          enableServiceLinks: false,
        },
      },
    },
  }
}
