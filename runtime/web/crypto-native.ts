// The C core's crypto functions (core.crypto(), runtime/core/crypto-*.c), fetched on first
// use, and its failures as the DOMExceptions Web Crypto throws: key material that does not
// parse or check is a DataError, a failed operation an OperationError. Node's generic
// messages are used, with the core's error as the cause.
import { core, type CryptoCore } from './core.ts'
import type { DOMException } from './dom-exception.ts'

let functions: CryptoCore | undefined
// crypto.subtle is a lazy builtin with a bundle of its own, so it is handed the web
// layer's DOMException class (crypto.ts does it on load) instead of bundling a second one.
let DOMExceptionClass: typeof DOMException | undefined

export function setDOMException(c: typeof DOMException): void {
  DOMExceptionClass = c
}

/** A DOMException of the web layer's class, with `cause` when given. */
export function domError(message: string, name: string, cause?: unknown): DOMException {
  return new DOMExceptionClass!(message, cause === undefined ? name : { name, cause })
}

export function native(): CryptoCore {
  return (functions ??= core.crypto())
}

export const operationFailed = 'The operation failed for an operation-specific reason'

export function operationError(message = operationFailed, cause?: unknown): DOMException {
  return domError(message, 'OperationError', cause)
}

export function dataError(message = 'Invalid keyData', cause?: unknown): DOMException {
  return domError(message, 'DataError', cause)
}

/** Runs a core call, turning its coded errors into DOMExceptions; `invalidKey` is the DataError's message. */
export function callCore<T>(run: (c: CryptoCore) => T, invalidKey = 'Invalid keyData'): T {
  try {
    return run(native())
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code
    if (code === 'ERR_CRYPTO_INVALID_KEY') throw dataError(invalidKey, err)
    if (code === 'ERR_CRYPTO_OPERATION') throw operationError(operationFailed, err)
    throw err
  }
}
