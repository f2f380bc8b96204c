// node:util/types: what a value is, by its internal slot where JS can test one
// (a method that throws on anything else), so Symbol.toStringTag cannot fool it.
// isProxy and isExternal cannot be told from JS: they answer false.
const toTag = (v: unknown): string => Object.prototype.toString.call(v).slice(8, -1)
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!

function branded(method: (this: unknown) => unknown): (v: unknown) => boolean {
  return (v) => {
    if (v === null || typeof v !== 'object') return false
    try {
      method.call(v)
      return true
    } catch {
      return false
    }
  }
}

const getter = (proto: object, key: string) => Object.getOwnPropertyDescriptor(proto, key)!.get! as (this: unknown) => unknown

export const isDate = branded(Date.prototype.getTime)
export const isMap = branded(getter(Map.prototype, 'size'))
export const isSet = branded(getter(Set.prototype, 'size'))
export const isWeakMap = branded(function (this: unknown) {
  WeakMap.prototype.has.call(this, {})
})
export const isWeakSet = branded(function (this: unknown) {
  WeakSet.prototype.has.call(this, {})
})
export const isArrayBuffer = branded(getter(ArrayBuffer.prototype, 'byteLength'))
export const isSharedArrayBuffer =
  typeof SharedArrayBuffer === 'function' ? branded(getter(SharedArrayBuffer.prototype, 'byteLength')) : (): boolean => false
export const isAnyArrayBuffer = (v: unknown): boolean => isArrayBuffer(v) || isSharedArrayBuffer(v)
export const isDataView = branded(getter(DataView.prototype, 'byteLength'))
export const isNumberObject = branded(Number.prototype.valueOf)
export const isStringObject = branded(String.prototype.valueOf)
export const isBooleanObject = branded(Boolean.prototype.valueOf)
export const isBigIntObject = typeof BigInt === 'function' ? branded(BigInt.prototype.valueOf) : (): boolean => false
export const isSymbolObject = branded(Symbol.prototype.valueOf)
export const isBoxedPrimitive = (v: unknown): boolean =>
  isNumberObject(v) || isStringObject(v) || isBooleanObject(v) || isBigIntObject(v) || isSymbolObject(v)
export const isRegExp = branded(getter(RegExp.prototype, 'source'))
export const isPromise = (v: unknown): boolean => v instanceof Promise
export const isNativeError = (v: unknown): boolean => v instanceof Error
export const isArrayBufferView = (v: unknown): boolean => ArrayBuffer.isView(v)
export const isTypedArray = (v: unknown): boolean => typedArrayTag.call(v) !== undefined
const typed = (name: string) => (v: unknown) => typedArrayTag.call(v) === name
export const isUint8Array = typed('Uint8Array')
export const isUint8ClampedArray = typed('Uint8ClampedArray')
export const isUint16Array = typed('Uint16Array')
export const isUint32Array = typed('Uint32Array')
export const isInt8Array = typed('Int8Array')
export const isInt16Array = typed('Int16Array')
export const isInt32Array = typed('Int32Array')
export const isFloat32Array = typed('Float32Array')
export const isFloat64Array = typed('Float64Array')
export const isBigInt64Array = typed('BigInt64Array')
export const isBigUint64Array = typed('BigUint64Array')
const fnTag = (name: string) => (v: unknown) => typeof v === 'function' && toTag(v) === name
export const isAsyncFunction = (v: unknown): boolean => fnTag('AsyncFunction')(v) || fnTag('AsyncGeneratorFunction')(v)
export const isGeneratorFunction = (v: unknown): boolean => fnTag('GeneratorFunction')(v) || fnTag('AsyncGeneratorFunction')(v)
export const isGeneratorObject = (v: unknown): boolean => toTag(v) === 'Generator' || toTag(v) === 'AsyncGenerator'
export const isMapIterator = (v: unknown): boolean => toTag(v) === 'Map Iterator'
export const isSetIterator = (v: unknown): boolean => toTag(v) === 'Set Iterator'
export const isArgumentsObject = (v: unknown): boolean => toTag(v) === 'Arguments'
export const isModuleNamespaceObject = (v: unknown): boolean => toTag(v) === 'Module'
export const isWeakRef = (v: unknown): boolean => typeof WeakRef === 'function' && v instanceof WeakRef
export const isCryptoKey = (v: unknown): boolean => typeof CryptoKey === 'function' && v instanceof CryptoKey
export const isKeyObject = (): boolean => false
export const isProxy = (): boolean => false
export const isExternal = (): boolean => false

export default {
  isDate,
  isMap,
  isSet,
  isWeakMap,
  isWeakSet,
  isArrayBuffer,
  isSharedArrayBuffer,
  isAnyArrayBuffer,
  isDataView,
  isNumberObject,
  isStringObject,
  isBooleanObject,
  isBigIntObject,
  isSymbolObject,
  isBoxedPrimitive,
  isRegExp,
  isPromise,
  isNativeError,
  isArrayBufferView,
  isTypedArray,
  isUint8Array,
  isUint8ClampedArray,
  isUint16Array,
  isUint32Array,
  isInt8Array,
  isInt16Array,
  isInt32Array,
  isFloat32Array,
  isFloat64Array,
  isBigInt64Array,
  isBigUint64Array,
  isAsyncFunction,
  isGeneratorFunction,
  isGeneratorObject,
  isMapIterator,
  isSetIterator,
  isArgumentsObject,
  isModuleNamespaceObject,
  isWeakRef,
  isCryptoKey,
  isKeyObject,
  isProxy,
  isExternal,
}
