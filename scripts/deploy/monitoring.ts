// Behind `--service-monitor`: a ServiceMonitor (monitoring.coreos.com/v1) per function,
// which is what OpenShift's user-workload monitoring and any prometheus-operator scrape
// (the pods carry the prometheus.io annotations either way, manifests.ts). Typed with
// @kubernetes-models/prometheus-operator (the operator's CRD schema).
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'
import { labels, METRICS_PATH, PORT_NAME, selector, type FunctionDeploy } from './manifests.ts'

export function serviceMonitor(fn: FunctionDeploy, partOf: string): IServiceMonitor {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: fn.name, labels: labels(fn, partOf) },
    spec: {
      // The function's Service, which carries these labels too.
      selector: { matchLabels: selector(fn, partOf) },
      endpoints: [{ port: PORT_NAME, path: METRICS_PATH, scheme: 'http', interval: '30s', scrapeTimeout: '10s' }],
    },
  }
}
