// OpenShift: one Route per function, all on one shared host (--host), each matching
// its function's path, with TLS ended at the router (edge) and plain HTTP redirected.
// The router sends /accounts/... to the accounts Service, /quotes/... to quotes, and
// so on, so a whole folder of functions sits behind one host name and certificate.
import { labels, PORT_NAME, type FunctionDeploy } from './manifests.ts'

/** route.openshift.io/v1 Route, the fields scratchfn writes (the tests check them against OpenShift's published schema). */
export interface Route {
  apiVersion: 'route.openshift.io/v1'
  kind: 'Route'
  metadata: { name: string; labels: Record<string, string>; annotations?: Record<string, string> }
  spec: {
    host: string
    path: string
    to: { kind: 'Service'; name: string; weight: number }
    port: { targetPort: string }
    tls: { termination: 'edge'; insecureEdgeTerminationPolicy: 'Redirect' | 'Allow' | 'None' }
    wildcardPolicy: 'None'
  }
}

export function route(fn: FunctionDeploy, partOf: string, host: string): Route {
  return {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: fn.name, labels: labels(fn, partOf) },
    spec: {
      host,
      path: fn.route,
      to: { kind: 'Service', name: fn.name, weight: 100 },
      port: { targetPort: PORT_NAME },
      tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' },
      wildcardPolicy: 'None',
    },
  }
}
