// Patches to FormatJS's code, applied by esbuild as it reads the files from node_modules
// (which stay untouched). Each one anchors on a piece of the pinned version's text and fails
// the build if it is gone, so an upgrade cannot silently drop a fix.
//
// Why: on QuickJS's interpreter FormatJS's eager start-up work costs seconds of CPU.
// - getcanonicallocales parses and sorts ~500 language-alias rules at load (~170 M
//   instructions): they are computed here, in Node, and inlined as JSON.
// - The first DateTimeFormat of a locale parses ~800 skeletons with all their interval
//   patterns, and looks each one's intervals up by re-parsing every interval key (~1.6 G
//   instructions): the parse is memoized and the intervals are parsed on first use.
// - __addTZData unpacks every zone's transitions at load: each zone unpacks on first use.
// - Each construction scores all ~800 formats of the locale against the options (~5 M
//   instructions); the best fit is remembered per locale and options, and Date#toLocale*String
//   keep the formatters they made (V8 does the same), so a call per request stays cheap.
// - QuickJS never frees a WeakMap entry whose value refers back to its key, and each
//   formatter's internal slots hold its bound format function: every formatter would leak.
//   The slots live on the formatter, under a symbol, instead.
// And for correctness:
// - The "best fit" locale matcher measures distances with Intl.Locale, which the bundle does
//   not carry (it is 100 KB more and no formatter needs it otherwise): without it, a tag
//   matches as "lookup" does, by its nearest loaded parent ('de-CH' -> 'de').
// - A zone without data formatted silently in UTC; it throws a RangeError naming the fix.
// - 'Etc/UTC', 'Etc/GMT' and 'GMT' resolve to 'UTC', as in V8.
// - Date#toLocale*String turned every error into 'Invalid Date'.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const MISSING_ZONE = (tz: string) =>
  `new RangeError("time zone data for " + ${tz} + " is not in this function's bundle: name the zone in a string literal (timeZone: '" + ${tz} + "') or in config.env.TZ, and build again")`
const UTC_NAMES = '/^(ETC\\/)?(UTC|GMT|UCT|UNIVERSAL|ZULU|GREENWICH|GMT0|GMT[+-]0)$/i'

function patcher(pkg: string, file: string) {
  let source = readFileSync(file, 'utf8')
  return {
    replace(from: string, to: string) {
      if (!source.includes(from))
        throw new Error(
          `intl: ${pkg} changed: '${from.slice(0, 70)}' is not in ${file}; update scripts/bundle/intl/formatjs-patches.ts for this version`,
        )
      source = source.replace(from, () => to)
    },
    /** Every one of `count` occurrences. */
    replaceAll(from: string, to: string, count: number) {
      const found = source.split(from).length - 1
      if (found !== count)
        throw new Error(
          `intl: ${pkg} changed: '${from.slice(0, 70)}' is in ${file} ${found} times, not ${count}; update scripts/bundle/intl/formatjs-patches.ts for this version`,
        )
      source = source.split(from).join(to)
    },
    get source() {
      return source
    },
  }
}

const canonicalLocalesCache = new Map<string, Promise<string>>()

async function canonicalLocales(file: string): Promise<string> {
  const p = patcher('@formatjs/intl-getcanonicallocales', file)
  const start = p.source.indexOf('const languageAliasRules = ')
  const end = p.source.indexOf('}, Object.create(null));', start)
  if (start < 0 || end < 0) p.replace('const languageAliasRules = Object.keys(languageAlias).reduce(…}, Object.create(null));', '')
  // The module has no imports, so Node can run a copy of it anywhere, with one export more.
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-intl-'))
  let computed: unknown
  try {
    writeFileSync(join(dir, 'rules.mjs'), p.source + '\nexport const __rules = languageAliasRules;\n')
    computed = ((await import(pathToFileURL(join(dir, 'rules.mjs')).href)) as { __rules: unknown }).__rules
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const rules = JSON.stringify(JSON.stringify(computed))
  // The rules are looked up by language, so they keep their null prototype.
  const inlined = `const languageAliasRules = Object.assign(Object.create(null), JSON.parse(${rules}));`
  return p.source.slice(0, start) + inlined + p.source.slice(end + '}, Object.create(null));'.length)
}

const SLOT_STORE = `(() => {
	const slot = Symbol("internal slots");
	return {
		get: (o) => (o !== null && (typeof o === "object" || typeof o === "function") && Object.prototype.hasOwnProperty.call(o, slot) ? o[slot] : void 0),
		set: (o, v) => { Object.defineProperty(o, slot, { value: v, configurable: true }); },
	};
})()`

/** A formatter package: internal slots on the object (see above). */
function internalSlots(pkg: string, file: string): string {
  const p = patcher(pkg, file)
  p.replace('const internalSlotMap = /* @__PURE__ */ new WeakMap();', `const internalSlotMap = ${SLOT_STORE};`)
  return p.source
}

function localeMatcher(file: string): string {
  const p = patcher('@formatjs/intl-localematcher', file)
  p.replace(
    '\telse r = BestFitMatcher(Array.from(availableLocales), requestedLocales, getDefaultLocale);',
    '\telse r = (typeof Intl.Locale === "function" ? BestFitMatcher : LookupMatcher)(Array.from(availableLocales), requestedLocales, getDefaultLocale);',
  )
  return p.source
}

interface DateTimePatchOptions {
  /** Every zone name there is data for, when the bundle carries only some of them. */
  allZoneNames?: string[]
}

function dateTimeFormat(file: string, options: DateTimePatchOptions): string {
  const p = patcher('@formatjs/intl-datetimeformat', file)
  p.replace('function findIntervalFormat(', 'const __intervalSkeletons = new Map();\nfunction findIntervalFormat(')
  p.replace(
    'const candidate = parseDateTimeSkeleton(key);',
    'let candidate = __intervalSkeletons.get(key); if (!candidate) __intervalSkeletons.set(key, candidate = parseDateTimeSkeleton(key));',
  )
  p.replace(
    'function parseDateTimeSkeleton(skeleton, rawPattern = skeleton, rangePatterns, intervalFormatFallback) {',
    `function parseDateTimeSkeleton(skeleton, rawPattern = skeleton, rangePatterns, intervalFormatFallback) {
	const parsed = __parseDateTimeSkeleton(skeleton, rawPattern);
	if (!rangePatterns && !intervalFormatFallback) return parsed;
	let full;
	const load = () => full ??= __parseDateTimeSkeleton(skeleton, rawPattern, typeof rangePatterns === "function" ? rangePatterns() : rangePatterns, intervalFormatFallback);
	for (const k of ["rangePatterns", "rangePatterns12"]) Object.defineProperty(parsed, k, { get: () => load()[k], enumerable: true, configurable: true });
	return parsed;
}
function __parseDateTimeSkeleton(skeleton, rawPattern = skeleton, rangePatterns, intervalFormatFallback) {`,
  )
  p.replace(
    'parseDateTimeSkeleton(skeleton, formats[calendar][skeleton], calendarIntervals[skeleton] || findIntervalFormat(skeleton, calendarIntervals), calendarIntervals.intervalFormatFallback)',
    'parseDateTimeSkeleton(skeleton, formats[calendar][skeleton], () => calendarIntervals[skeleton] || findIntervalFormat(skeleton, calendarIntervals), calendarIntervals.intervalFormatFallback)',
  )
  p.replace('const internalSlotMap = /* @__PURE__ */ new WeakMap();', `const internalSlotMap = ${SLOT_STORE};`)
  p.replace(
    'function BestFitFormatMatcher(options, formats) {',
    `const __bestFits = new WeakMap();
function BestFitFormatMatcher(options, formats) {
	let byOptions = __bestFits.get(formats);
	if (!byOptions) __bestFits.set(formats, byOptions = new Map());
	const key = JSON.stringify(options);
	let best = byOptions.get(key);
	if (!best) byOptions.set(key, best = __BestFitFormatMatcher(options, formats));
	return Object.assign(Object.create(null), best);
}
function __BestFitFormatMatcher(options, formats) {`,
  )
  p.replace(
    'function toLocaleString(x, locales, options) {',
    `const __dateFormatters = new Map();
function __dateFormatter(locales, options, required, defaults) {
	const plain = options === void 0 || (options !== null && Object.getPrototypeOf(options) === Object.prototype && Object.values(options).every((v) => v === null || typeof v !== "object" && typeof v !== "function"));
	if (!plain || (locales !== void 0 && typeof locales !== "string")) return new DateTimeFormat(locales, ToDateTimeOptions(options, required, defaults));
	const key = JSON.stringify([locales, options, required, DateTimeFormat.__defaultLocale, DateTimeFormat.__defaultTimeZone]);
	let f = __dateFormatters.get(key);
	if (!f) {
		f = new DateTimeFormat(locales, ToDateTimeOptions(options, required, defaults));
		if (__dateFormatters.size >= 64) __dateFormatters.clear();
		__dateFormatters.set(key, f);
	}
	return f;
}
function toLocaleString(x, locales, options) {`,
  )
  for (const [required, defaults] of [
    ['any', 'all'],
    ['date', 'date'],
    ['time', 'time'],
  ])
    p.replace(
      `return new DateTimeFormat(locales, ToDateTimeOptions(options, "${required}", "${defaults}")).format(x);`,
      `return __dateFormatter(locales, options, "${required}", "${defaults}").format(x);`,
    )
  p.replace('DateTimeFormat.tzData = unpack(d);', 'DateTimeFormat.tzData = __unpackLazily(d);')
  p.replace(
    'function unpack(data) {',
    `function __unpackLazily(data) {
	const abbrvs = data.abbrvs.split("|");
	const offsets = data.offsets.split("|").map((n) => parseInt(n, 36));
	const zones = {};
	for (const packed of data.zones) {
		const bar = packed.indexOf("|");
		let unpacked;
		Object.defineProperty(zones, packed.slice(0, bar), { enumerable: true, configurable: true, get: () => unpacked ??= packed.slice(bar + 1).split("|").map((z) => z.split(",")).map(([ts, abbrvIndex, offsetIndex, dst]) => [ts === "" ? -Infinity : parseInt(ts, 36), abbrvs[+abbrvIndex], offsets[+offsetIndex], dst === "1"]) });
	}
	return zones;
}
function unpack(data) {`,
  )
  p.replace(
    '\tif (!zoneData) return [0, false];',
    `\tif (!zoneData) { if (${UTC_NAMES}.test(timeZone)) return [0, false]; throw ${MISSING_ZONE('timeZone')}; }`,
  )
  p.replace(
    '\tconst uppercasedTz = tz.toUpperCase();\n\tconst uppercasedZones',
    `\tconst uppercasedTz = tz.toUpperCase();\n\tif (${UTC_NAMES}.test(uppercasedTz)) return "UTC";\n\tconst uppercasedZones`,
  )
  p.replace(
    '\tif (IsValidDateTimeFormatOffset(tz)) return true;',
    `\tif (IsValidDateTimeFormatOffset(tz)) return true;\n\tif (${UTC_NAMES}.test(tz)) return true;`,
  )
  p.replace(
    '\tif (ianaTimeZone === "Etc/UTC" || ianaTimeZone === "Etc/GMT") return "UTC";\n\treturn ianaTimeZone;',
    `\tif (ianaTimeZone === "Etc/UTC" || ianaTimeZone === "Etc/GMT") return "UTC";\n\tif (ianaTimeZone === void 0) throw ${MISSING_ZONE('tz')};\n\treturn ianaTimeZone;`,
  )
  // Date#toLocale*String answered 'Invalid Date' for every error; V8 does so only for an
  // invalid date, and throws the RangeError of a bad locale, option or zone.
  p.replaceAll(
    '\t} catch {\n\t\treturn "Invalid Date";',
    '\t} catch (e) {\n\t\tif (!Number.isNaN(Date.prototype.getTime.call(this))) throw e;\n\t\treturn "Invalid Date";',
    3,
  )
  if (options.allZoneNames) {
    // A real zone the build left out is named as such, not as an invalid name.
    const names = JSON.stringify(options.allZoneNames.map((z) => z.toUpperCase()).join(' '))
    p.replace(
      '\tif (zoneNames.has(uppercasedTz) || linkNames.has(uppercasedTz)) return true;',
      `\tif (zoneNames.has(uppercasedTz) || linkNames.has(uppercasedTz)) return true;\n\tif ((" " + ${names} + " ").includes(" " + uppercasedTz + " ")) throw ${MISSING_ZONE('tz')};`,
    )
  }
  return p.source
}

/** The esbuild plugin: FormatJS's files as the bundle needs them. */
export function formatjsPatches(options: DateTimePatchOptions, fixLocaleData: (file: string) => string) {
  return {
    name: 'scratchfn-intl-patches',
    setup(build: import('esbuild').PluginBuild) {
      build.onLoad({ filter: /[\\/]@formatjs[\\/]intl-getcanonicallocales[\\/]index\.js$/ }, async (a) => ({
        contents: await (canonicalLocalesCache.get(a.path) ?? canonicalLocalesCache.set(a.path, canonicalLocales(a.path)).get(a.path)!),
        loader: 'js',
      }))
      build.onLoad({ filter: /[\\/]@formatjs[\\/]intl-localematcher[\\/]index\.js$/ }, (a) => ({
        contents: localeMatcher(a.path),
        loader: 'js',
      }))
      build.onLoad({ filter: /[\\/]@formatjs[\\/]intl-datetimeformat[\\/]polyfill-force\.js$/ }, (a) => ({
        contents: dateTimeFormat(a.path, options),
        loader: 'js',
      }))
      build.onLoad({ filter: /[\\/]@formatjs[\\/]intl-(numberformat|pluralrules|relativetimeformat)[\\/]polyfill-force\.js$/ }, (a) => ({
        contents: internalSlots(`@formatjs/intl-${/intl-(\w+)[\\/]polyfill-force/.exec(a.path)![1]}`, a.path),
        loader: 'js',
      }))
      build.onLoad({ filter: /[\\/]@formatjs[\\/]intl-datetimeformat[\\/]locale-data[\\/][^\\/]+\.js$/ }, (a) => ({
        contents: fixLocaleData(a.path),
        loader: 'js',
      }))
    },
  }
}
