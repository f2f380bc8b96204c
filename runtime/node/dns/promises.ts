// node:dns/promises: node:dns's lookup and resolve on promises.
import { promises } from '../dns.ts'

export const { lookup, resolve, resolve4, resolve6, getServers, setServers, setDefaultResultOrder, getDefaultResultOrder, Resolver } = promises
export default promises
