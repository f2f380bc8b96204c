// Intl for a function bundle, only when the bundle uses it. bundle.ts builds the function as
// it is; this step reads what that output references (Intl.NumberFormat, toLocaleString,
// localeCompare, ...) and, if anything, builds it again with one more import in front:
// FormatJS's polyfills, the locale data of config.locales, the time-zone data the function
// needs, and runtime/intl/'s shims. ES module order runs that import before the function's
// code. A function that uses no Intl keeps its first bundle, byte for byte.
//
// Time zones: none for UTC only; the zones named in string literals, plus config.env.TZ;
// all of them when a timeZone option takes a computed value (a note says so).
import { fileURLToPath } from 'node:url'
import { build, type BuildOptions, type BuildResult, type Plugin } from 'esbuild'
import type { FunctionConfig } from '../contract/function-config.ts'
import { CONFIG_DEFAULTS } from '../contract/function-config.ts'
import { fixedDateTimeLocaleFile } from './intl/datetime-data.ts'
import { detectIntl, detectTimeZones, isUtc, type IntlFeature } from './intl/detect.ts'
import { entrySource } from './intl/entry.ts'
import { formatjsPatches } from './intl/formatjs-patches.ts'
import { supportedValues } from './intl/supported-values.ts'
import { dataZoneNames, timeZoneNames, timeZoneSubsetSource } from './intl/time-zones.ts'

export interface IntlBuild {
  result: BuildResult<{ write: false; metafile: true }>
  features: IntlFeature[]
  /** The zones whose data the bundle carries ('all', or names). */
  timeZones: string[] | 'all'
  /** Lines for the build output. */
  notes: string[]
}

export interface IntlOptions {
  /** The first build: its options (with stdin as the entry) and its output. */
  options: BuildOptions & { stdin: NonNullable<BuildOptions['stdin']> }
  code: string
  config: FunctionConfig
  /** 'functions/x.ts', for notes. */
  relFile: string
  /** The build the first pass used (e.g. with Node built-ins), so the second resolves alike; default esbuild's. */
  build?: (options: BuildOptions) => Promise<BuildResult>
}

const NAMESPACE = 'scratchfn-intl'
// scratchfn's own folder: the FormatJS packages are its dependencies, not the project's.
const SCRATCHFN_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SUPPORTED_VALUES = fileURLToPath(new URL('../../runtime/intl/supported-values.ts', import.meta.url))

/** The bundle built again with Intl in front, or undefined when the function uses none. */
export async function rebuildWithIntl(o: IntlOptions): Promise<IntlBuild | undefined> {
  const features = detectIntl(o.code)
  if (features.length === 0) return undefined
  const notes: string[] = []
  let timeZones: string[] | 'all' = []
  if (features.includes('datetimeformat')) {
    const known = timeZoneNames()
    const found = detectTimeZones(o.code, known)
    const fromEnv = o.config.env.TZ
    const zones = new Set(found.zones)
    if (fromEnv && known.has(fromEnv) && !isUtc(fromEnv)) zones.add(fromEnv)
    timeZones = found.dynamic ? 'all' : [...zones].sort()
    if (found.dynamic)
      notes.push(
        `${o.relFile}: note: a timeZone option takes a computed value, so the data of all ${dataZoneNames().length} time zones goes into the bundle (about 1.3 MB); pass zones as string literals (timeZone: 'Europe/Berlin') to carry only those`,
      )
  }
  const locales = o.config.locales ?? [...CONFIG_DEFAULTS.locales]
  const modules: Record<string, string> = {
    entry: entrySource({
      features,
      locales,
      supportedValuesModule: `${NAMESPACE}:supported-values`,
      ...(timeZones === 'all' ? { timeZoneModule: '@formatjs/intl-datetimeformat/add-all-tz.js' } : {}),
      ...(timeZones !== 'all' && timeZones.length > 0 ? { timeZoneModule: `${NAMESPACE}:time-zones` } : {}),
    }),
    'time-zones': timeZones === 'all' ? '' : timeZoneSubsetSource(timeZones),
    'supported-values': `import { installSupportedValuesOf } from ${JSON.stringify(SUPPORTED_VALUES)}\ninstallSupportedValuesOf(${JSON.stringify(supportedValues())})\n`,
  }
  const virtual: Plugin = {
    name: NAMESPACE,
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${NAMESPACE}:`) }, (a) => ({ path: a.path.slice(NAMESPACE.length + 1), namespace: NAMESPACE }))
      b.onLoad({ filter: /.*/, namespace: NAMESPACE }, (a) => ({ contents: modules[a.path], resolveDir: SCRATCHFN_ROOT, loader: 'js' }))
    },
  }
  const intervals = /formatRange/.test(o.code)
  const patches = formatjsPatches(timeZones === 'all' ? {} : { allZoneNames: dataZoneNames() }, (file) =>
    fixedDateTimeLocaleFile(file, { intervals }),
  )
  const result = await (o.build ?? build)({
    ...o.options,
    stdin: { ...o.options.stdin, contents: `import "${NAMESPACE}:entry"\n${o.options.stdin.contents}` },
    plugins: [...(o.options.plugins ?? []), virtual, patches],
    metafile: true,
  })
  return { result: result as IntlBuild['result'], features, timeZones, notes }
}
