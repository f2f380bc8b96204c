/*
 * What the engine patches' C tests share (runtime/patches/quickjs-*-test.c): a CHECK that
 * prints one line per check and counts, and eval helpers on the test's one context that
 * stop the program on an exception. Each test file includes it once, after quickjs.h.
 */
#pragma once
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quickjs.h"

static int n_pass, n_fail;
#define CHECK(cond, name)                                                                                              \
  do {                                                                                                                 \
    if (cond) {                                                                                                        \
      n_pass++;                                                                                                        \
      printf("ok   %s\n", name);                                                                                       \
    } else {                                                                                                           \
      n_fail++;                                                                                                        \
      printf("FAIL %s (line %d)\n", name, __LINE__);                                                                   \
    }                                                                                                                  \
  } while (0)

static JSRuntime *rt;
static JSContext *ctx;

static JSValue js_gc(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  JS_RunGC(JS_GetRuntime(ctx));
  return JS_UNDEFINED;
}

static JSValue eval(const char *src) {
  JSValue v = JS_Eval(ctx, src, strlen(src), "<test>", JS_EVAL_TYPE_GLOBAL);
  if (JS_IsException(v)) {
    JSValue e = JS_GetException(ctx);
    const char *s = JS_ToCString(ctx, e);
    printf("exception: %s\n", s);
    JS_FreeCString(ctx, s);
    JS_FreeValue(ctx, e);
    exit(1);
  }
  return v;
}

static void eval_void(const char *src) {
  JS_FreeValue(ctx, eval(src));
}

static int eval_bool(const char *src) {
  JSValue v = eval(src);
  int r = JS_ToBool(ctx, v);
  JS_FreeValue(ctx, v);
  return r;
}
