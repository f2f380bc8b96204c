// The release runtime is stripped, so a profile of it names no function. runtime/Makefile
// links it with symbols first (scratchfn-runtime.unstripped) and strips that copy into the
// release binary, so what callgrind counts on the unstripped one is exactly what the image
// runs, and its profiles name every function.
import { existsSync, statSync } from 'node:fs'

export interface SymbolTwin {
  /** The binary to run: the unstripped twin, or the release binary itself when there is none. */
  binary: string
  /** Why there is no twin (profiles then name no function), or null. */
  problem: string | null
}

export interface TwinOptions {
  /** The release binary, .scratchfn/runtime/scratchfn-runtime. */
  release: string
}

export function symbolTwin(options: TwinOptions): SymbolTwin {
  const twin = `${options.release}.unstripped`
  if (!existsSync(twin))
    return { binary: options.release, problem: `${twin} is missing (runtime/Makefile writes it with the release build)` }
  // make strips the twin into the release binary; an older twin belongs to another build.
  if (statSync(twin).mtimeMs > statSync(options.release).mtimeMs) {
    return { binary: options.release, problem: `${twin} is newer than the release binary it should have been stripped into` }
  }
  return { binary: twin, problem: null }
}
