// DOMException (WebIDL): the error type of Web APIs (AbortError, TimeoutError,
// DataCloneError, ...). It extends Error, so `instanceof Error` holds and it
// carries a stack; name, message and code are prototype getters as in browsers
// and Node, so a DOMException shows no own enumerable fields.

// Legacy codes, in order: the constant at index i has the code i + 1.
const constants = [
  'INDEX_SIZE_ERR',
  'DOMSTRING_SIZE_ERR',
  'HIERARCHY_REQUEST_ERR',
  'WRONG_DOCUMENT_ERR',
  'INVALID_CHARACTER_ERR',
  'NO_DATA_ALLOWED_ERR',
  'NO_MODIFICATION_ALLOWED_ERR',
  'NOT_FOUND_ERR',
  'NOT_SUPPORTED_ERR',
  'INUSE_ATTRIBUTE_ERR',
  'INVALID_STATE_ERR',
  'SYNTAX_ERR',
  'INVALID_MODIFICATION_ERR',
  'NAMESPACE_ERR',
  'INVALID_ACCESS_ERR',
  'VALIDATION_ERR',
  'TYPE_MISMATCH_ERR',
  'SECURITY_ERR',
  'NETWORK_ERR',
  'ABORT_ERR',
  'URL_MISMATCH_ERR',
  'QUOTA_EXCEEDED_ERR',
  'TIMEOUT_ERR',
  'INVALID_NODE_TYPE_ERR',
  'DATA_CLONE_ERR',
]

const codes: Record<string, number> = {
  IndexSizeError: 1,
  HierarchyRequestError: 3,
  WrongDocumentError: 4,
  InvalidCharacterError: 5,
  NoModificationAllowedError: 7,
  NotFoundError: 8,
  NotSupportedError: 9,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidModificationError: 13,
  NamespaceError: 14,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  URLMismatchError: 21,
  QuotaExceededError: 22,
  TimeoutError: 23,
  InvalidNodeTypeError: 24,
  DataCloneError: 25,
}

export class DOMException extends Error {
  #name: string
  #message: string

  constructor(message?: string, options?: string | { name?: string; cause?: unknown }) {
    super()
    this.#message = message === undefined ? '' : String(message)
    if (options !== null && typeof options === 'object') {
      this.#name = options.name === undefined ? 'Error' : String(options.name)
      if ('cause' in options) {
        Object.defineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true, enumerable: false })
      }
    } else {
      this.#name = options === undefined ? 'Error' : String(options)
    }
  }

  get name(): string {
    return this.#name
  }

  get message(): string {
    return this.#message
  }

  get code(): number {
    return codes[this.#name] ?? 0
  }
}

Object.defineProperty(DOMException.prototype, Symbol.toStringTag, { value: 'DOMException', configurable: true })
for (let i = 0; i < constants.length; i++) {
  const descriptor = { value: i + 1, enumerable: true, writable: false, configurable: false }
  Object.defineProperty(DOMException, constants[i], descriptor)
  Object.defineProperty(DOMException.prototype, constants[i], descriptor)
}
