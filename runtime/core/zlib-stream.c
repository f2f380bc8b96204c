// [zlib-stream.c] zlib's deflate and inflate for CompressionStream, DecompressionStream
// and fetch's gzip/deflate response bodies (runtime/web/builtins/compression.ts). A stream
// is a native object freed with it (or at once by zlibEnd). Each zlibRun call makes at
// most one output chunk of CHUNK bytes, so the JS side decides how much output exists at
// a time: a reader that stops reading stops the inflating, and a gzip bomb grows only as
// far as it is read. zlib's state and every output chunk are allocated on the JS heap,
// so they count against SCRATCHFN_HEAP_LIMIT_MB like any JS value and running past it
// throws "out of memory" (the request answers 503), never aborts the process.
#include "core.h"
#include "util.h"
#include "zlib.h"
#include <string.h>

enum { CHUNK = 64 * 1024 };
enum { FORMAT_GZIP, FORMAT_DEFLATE, FORMAT_RAW };

typedef struct zstream {
  z_stream z;
  bool inflating, ready, ended;
  int format;
} zstream;

static JSClassID zstream_class;

static void *z_alloc(void *opaque, unsigned items, unsigned size) {
  return js_malloc_rt(opaque, (size_t)items * size);
}
static void z_free(void *opaque, void *p) {
  js_free_rt(opaque, p);
}

static void zstream_end(JSRuntime *rt, zstream *s) {
  if (!s->ready) return;
  s->ready = false;
  if (s->inflating)
    inflateEnd(&s->z);
  else
    deflateEnd(&s->z);
}

static void zstream_finalizer(JSRuntime *rt, JSValue val) {
  zstream *s = JS_GetOpaque(val, zstream_class);
  if (!s) return;
  zstream_end(rt, s);
  js_free_rt(rt, s);
}

static int window_bits(int format) {
  return format == FORMAT_GZIP ? 15 + 16 : format == FORMAT_RAW ? -15 : 15;
}

/* zlibNew(format: 'gzip' | 'deflate' | 'deflate-raw', decompress: boolean) */
static JSValue js_zlib_new(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const char *name = JS_ToCString(ctx, argv[0]);
  if (!name) return JS_EXCEPTION;
  int format = !strcmp(name, "gzip")          ? FORMAT_GZIP
               : !strcmp(name, "deflate")     ? FORMAT_DEFLATE
               : !strcmp(name, "deflate-raw") ? FORMAT_RAW
                                              : -1;
  JS_FreeCString(ctx, name);
  if (format < 0) return JS_ThrowTypeError(ctx, "zlibNew: format must be 'gzip', 'deflate' or 'deflate-raw'");
  JSValue obj = JS_NewObjectClass(ctx, (int)zstream_class);
  if (JS_IsException(obj)) return obj;
  zstream *s = js_mallocz(ctx, sizeof *s);
  if (!s) {
    JS_FreeValue(ctx, obj);
    return JS_EXCEPTION;
  }
  JS_SetOpaque(obj, s);
  s->inflating = JS_ToBool(ctx, argv[1]);
  s->format = format;
  s->z.zalloc = z_alloc;
  s->z.zfree = z_free;
  s->z.opaque = JS_GetRuntime(ctx);
  // Node's defaults: level 6 (Z_DEFAULT_COMPRESSION), memLevel 8, the default strategy.
  int rc = s->inflating
               ? inflateInit2(&s->z, window_bits(format))
               : deflateInit2(&s->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits(format), 8, Z_DEFAULT_STRATEGY);
  if (rc != Z_OK) {
    JS_FreeValue(ctx, obj);
    return rc == Z_MEM_ERROR ? JS_ThrowOutOfMemory(ctx) : JS_ThrowInternalError(ctx, "zlib init failed (%d)", rc);
  }
  s->ready = true;
  return obj;
}

static void free_chunk(JSRuntime *rt, void *opaque, void *ptr) {
  js_free_rt(rt, ptr);
}

/* Node's zlib errors: an Error with zlib's message, errno and code. */
static JSValue throw_zlib(JSContext *ctx, zstream *s, int rc) {
  const char *code = rc == Z_DATA_ERROR  ? "Z_DATA_ERROR"
                     : rc == Z_BUF_ERROR ? "Z_BUF_ERROR"
                     : rc == Z_MEM_ERROR ? "Z_MEM_ERROR"
                                         : "Z_STREAM_ERROR";
  if (rc == Z_MEM_ERROR) return JS_ThrowOutOfMemory(ctx);
  const char *msg = rc == Z_BUF_ERROR ? "unexpected end of file" : s->z.msg ? s->z.msg : "zlib error";
  JSValue err = js_code_error(ctx, code, msg);
  JS_DefinePropertyValueStr(ctx, err, "errno", JS_NewInt32(ctx, rc), JS_PROP_C_W_E);
  zstream_end(JS_GetRuntime(ctx), s);
  return JS_Throw(ctx, err);
}

/*
 * zlibRun(stream, input: ArrayBufferView | undefined, offset: number, finish: boolean)
 *   -> [output: ArrayBuffer | null, consumed: number, ended: boolean]
 * Feeds input[offset..] and makes at most one output chunk. `finish` says no more input
 * follows. `ended`: the compressed stream is complete (input after it is not consumed).
 */
static JSValue js_zlib_run(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  zstream *s = JS_GetOpaque2(ctx, argv[0], zstream_class);
  if (!s) return JS_EXCEPTION;
  js_bytes in = {0};
  if (!JS_IsUndefined(argv[1]) && js_get_bytes(ctx, argv[1], &in, "zlibRun's input") < 0) return JS_EXCEPTION;
  int64_t offset = 0;
  if (JS_ToInt64(ctx, &offset, argv[2]) < 0 || offset < 0 || (size_t)offset > in.len) {
    js_bytes_free(ctx, &in);
    return JS_ThrowRangeError(ctx, "zlibRun: offset out of range");
  }
  bool finish = JS_ToBool(ctx, argv[3]);
  if (!s->ready && !s->ended) {
    js_bytes_free(ctx, &in);
    return JS_ThrowTypeError(ctx, "zlibRun: the stream has ended");
  }
  size_t consumed = 0, produced = 0;
  uint8_t *out = NULL;
  if (!s->ended) {
    out = js_malloc(ctx, CHUNK);
    if (!out) {
      js_bytes_free(ctx, &in);
      return JS_EXCEPTION;
    }
    s->z.next_in = (Bytef *)in.data + offset;
    s->z.avail_in = (uInt)(in.len - (size_t)offset);
    s->z.next_out = out;
    s->z.avail_out = CHUNK;
    int rc;
    if (s->inflating) {
      rc = inflate(&s->z, Z_NO_FLUSH);
      // More bytes after a gzip member: another member (gzip -c a b > c writes two), or
      // garbage, which then fails as a bad header. Zero bytes are padding. As Node's zlib does.
      while (rc == Z_STREAM_END && s->format == FORMAT_GZIP && s->z.avail_in > 0 && s->z.next_in[0] != 0) {
        inflateReset(&s->z);
        rc = s->z.avail_out > 0 ? inflate(&s->z, Z_NO_FLUSH) : Z_OK;
      }
      if (rc == Z_STREAM_END)
        s->ended = true;
      else if (rc == Z_NEED_DICT)
        rc = Z_DATA_ERROR;
      // All input given and read, room left, nothing more came out, yet no end: the stream
      // was cut short. (Output made on the way is returned first; the next call fails.)
      else if ((rc == Z_OK || rc == Z_BUF_ERROR) && finish && s->z.avail_in == 0 && s->z.avail_out == CHUNK)
        rc = Z_BUF_ERROR;
      else if (rc == Z_BUF_ERROR)
        rc = Z_OK; /* waits for more input */
    } else {
      rc = deflate(&s->z, finish ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_END)
        s->ended = true;
      else if (rc == Z_BUF_ERROR)
        rc = Z_OK; /* nothing to do until more input or the finish */
    }
    consumed = (size_t)(s->z.next_in - ((Bytef *)in.data + offset));
    produced = CHUNK - s->z.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END) {
      js_free(ctx, out);
      js_bytes_free(ctx, &in);
      return throw_zlib(ctx, s, rc);
    }
    if (s->ended) zstream_end(JS_GetRuntime(ctx), s);
  }
  js_bytes_free(ctx, &in);
  JSValue chunk = JS_NULL;
  if (produced > 0) {
    uint8_t *shrunk = produced < CHUNK ? js_realloc(ctx, out, produced) : out;
    if (!shrunk) {
      js_free(ctx, out);
      return JS_EXCEPTION;
    }
    chunk = JS_NewArrayBuffer(ctx, shrunk, produced, free_chunk, NULL, false);
    if (JS_IsException(chunk)) return chunk;
  } else if (out) {
    js_free(ctx, out);
  }
  JSValue r = JS_NewArray(ctx);
  if (JS_IsException(r)) {
    JS_FreeValue(ctx, chunk);
    return r;
  }
  JS_SetPropertyUint32(ctx, r, 0, chunk);
  JS_SetPropertyUint32(ctx, r, 1, JS_NewInt64(ctx, (int64_t)consumed));
  JS_SetPropertyUint32(ctx, r, 2, JS_NewBool(ctx, s->ended));
  return r;
}

/* zlibEnd(stream): frees zlib's state now instead of at garbage collection. */
static JSValue js_zlib_end(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  zstream *s = JS_GetOpaque2(ctx, argv[0], zstream_class);
  if (!s) return JS_EXCEPTION;
  zstream_end(JS_GetRuntime(ctx), s);
  return JS_UNDEFINED;
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("zlibNew", 2, js_zlib_new),
    JS_CFUNC_DEF("zlibRun", 4, js_zlib_run),
    JS_CFUNC_DEF("zlibEnd", 1, js_zlib_end),
};

void zlib_init(JSContext *ctx, JSValueConst core) {
  JS_NewClassID(&zstream_class);
  JSClassDef def = {.class_name = "ZlibStream", .finalizer = zstream_finalizer};
  JS_NewClass(JS_GetRuntime(ctx), zstream_class, &def);
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
