// [modules.c] The function's chunks. The bundle gives each dynamic import() target, and
// code shared between parts, its own module (chunks/<name>-<hash>.js), compiled to
// chunks/<name>-<hash>.bin beside app.bin, so the app's start reads only what it runs at
// start: a driver imported only when its database URL is set costs nothing without one.
// The engine resolves a specifier against the importing module's name (the default rule:
// './chunks/x.js' in app.js is 'chunks/x.js', './y.js' in chunks/x.js is 'chunks/y.js'),
// then asks here for a module it has not loaded yet; each is read once and kept. Only
// bytecode is loaded, never JavaScript source, and what fails rejects that import() (or
// fails the start, for a static import) with an Error naming the file, never a crash.
#include "modules.h"
#include "bytecode.h"
#include "util.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Where the app's file is ("" when it was named without a directory): its chunks are here. */
static char app_dir[4096];

/* A chunk that is there but cannot be used (Node has no such case to borrow a code from). */
#define BAD_CHUNK "ERR_SCRATCHFN_BAD_CHUNK"

static JSModuleDef *reject(JSContext *ctx, const char *code, const char *format, ...) {
  char message[1024];
  va_list ap;
  va_start(ap, format);
  vsnprintf(message, sizeof message, format, ap);
  va_end(ap);
  JS_Throw(ctx, js_code_error(ctx, code, message));
  return NULL;
}

/* A path inside the app's folder, as the bundle writes them: relative, no '.' or '..'
   segment (a name computed at run time could otherwise read any file), ending in .js. */
static bool chunk_name_ok(const char *name) {
  size_t n = strlen(name);
  if (n < 4 || strcmp(name + n - 3, ".js") || name[0] == '/' || strchr(name, '\\')) return false;
  for (const char *s = name; *s;) {
    const char *e = strchr(s, '/');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    if (len == 0 || (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.')) return false;
    s += len + (e ? 1 : 0);
  }
  return true;
}

static JSModuleDef *load_chunk(JSContext *ctx, const char *name, void *opaque) {
  if (!chunk_name_ok(name)) {
    return reject(ctx, "ERR_MODULE_NOT_FOUND",
                  "Cannot find module '%s': in the image, import() loads only the parts the build split off the "
                  "function (import a file or package by a literal name, so that it is bundled)",
                  name);
  }
  char path[sizeof app_dir + 1024];
  int n = snprintf(path, sizeof path, "%s%.*s.bin", app_dir, (int)(strlen(name) - 3), name);
  if (n < 0 || (size_t)n >= sizeof path)
    return reject(ctx, "ERR_MODULE_NOT_FOUND", "Cannot find module '%s': name too long", name);
  buf code = {0};
  if (!bytecode_read_file(path, &code)) {
    int err = errno;
    buf_free(&code);
    return reject(ctx, "ERR_MODULE_NOT_FOUND",
                  "Cannot find module '%s': cannot read %s (%s); the image lacks a file of the function: rebuild "
                  "it with npm run build",
                  name, path, strerror(err));
  }
  char why[256];
  if (!bytecode_version_ok((const uint8_t *)buf_head(&code), buf_size(&code), why, sizeof why)) {
    buf_free(&code);
    return reject(ctx, BAD_CHUNK, "cannot load %s: %s", path, why);
  }
  JSValue fn = JS_ReadObject(ctx, (const uint8_t *)buf_head(&code), buf_size(&code), JS_READ_OBJ_BYTECODE);
  buf_free(&code);
  if (JS_IsException(fn)) {
    JSValue exc = JS_GetException(ctx);
    const char *what = JS_ToCString(ctx, exc);
    JS_FreeValue(ctx, exc);
    JSModuleDef *r =
        reject(ctx, BAD_CHUNK, "cannot load %s: not valid bytecode for this engine: %s", path, what ? what : "");
    JS_FreeCString(ctx, what);
    return r;
  }
  if (JS_VALUE_GET_TAG(fn) != JS_TAG_MODULE) {
    JS_FreeValue(ctx, fn);
    return reject(ctx, BAD_CHUNK, "cannot load %s: it is a script, not a module; rebuild the image with npm run build",
                  path);
  }
  /* The engine keeps every module it read (its list holds the reference) and finds it by
     the name compiled into it: a file compiled under another name would be read again on
     every import, as a new module each time. */
  JSModuleDef *m = JS_VALUE_GET_PTR(fn);
  JS_FreeValue(ctx, fn);
  JSAtom compiled = JS_GetModuleName(ctx, m);
  const char *compiled_name = JS_AtomToCString(ctx, compiled);
  JS_FreeAtom(ctx, compiled);
  bool same = compiled_name && !strcmp(compiled_name, name);
  if (!same) {
    reject(ctx, BAD_CHUNK,
           "cannot load %s: it was compiled as module '%s', not '%s'; rebuild the image with npm run build", path,
           compiled_name ? compiled_name : "?", name);
  }
  JS_FreeCString(ctx, compiled_name);
  return same ? m : NULL;
}

void modules_init(JSRuntime *rt, const char *app_file) {
  const char *slash = strrchr(app_file, '/');
  size_t len = slash ? (size_t)(slash - app_file) + 1 : 0;
  if (len >= sizeof app_dir) fatal("cannot load %s: the path is too long", app_file);
  memcpy(app_dir, app_file, len);
  app_dir[len] = '\0';
  JS_SetModuleLoaderFunc(rt, NULL, load_chunk, NULL);
}
