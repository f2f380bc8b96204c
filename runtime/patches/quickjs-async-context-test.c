/*
 * The C tests of runtime/patches/quickjs-async-context.patch: its API (JS_GetAsyncContext,
 * JS_SetAsyncContext) and what the engine does with the slot: JS_EnqueueJob saves it and
 * JS_ExecutePendingJob restores it; a promise reaction runs in the context of its then() or
 * await, not of the resolve; thenables and async generators; the cycle collector still frees
 * a cycle through a pending reaction's context and keeps a live one; FinalizationRegistry
 * callbacks run with none. Built against the patched engine and run (plainly and under
 * valgrind) by test/runtime/patches/quickjs-async-context.test.ts, which also checks that two
 * broken versions of the patch fail here. Prints one line per check and `N passed, N failed`;
 * exits non-zero on a failure. JS_FreeRuntime asserts that no object leaked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quickjs.h"
#include "patch-test.h"

static JSValue js_get(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_GetAsyncContext(ctx);
}
static JSValue js_set(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  JS_SetAsyncContext(ctx, JS_DupValue(ctx, argv[0]));
  return JS_UNDEFINED;
}
static void run_jobs(void) {
  JSContext *c;
  int r;
  while ((r = JS_ExecutePendingJob(rt, &c)) != 0) {
    if (r < 0) {
      JSValue e = JS_GetException(c);
      const char *s = JS_ToCString(c, e);
      printf("job exception: %s\n", s);
      JS_FreeCString(c, s);
      JS_FreeValue(c, e);
      n_fail++;
    }
  }
}

static void set_ctx_js(const char *expr) {
  JS_SetAsyncContext(ctx, eval(expr));
}

static JSValue record_job(JSContext *ctx, int argc, JSValueConst *argv) {
  JSValue g = JS_GetGlobalObject(ctx);
  JS_SetPropertyStr(ctx, g, "jobSaw", JS_GetAsyncContext(ctx));
  /* a job that changes the slot must not leak it to what runs next */
  JS_SetAsyncContext(ctx, JS_NewString(ctx, "changed-by-job"));
  JS_FreeValue(ctx, g);
  return JS_UNDEFINED;
}

int main(void) {
  JSValue g, v;

  setvbuf(stdout, NULL, _IOLBF, 0);
  rt = JS_NewRuntime();
  ctx = JS_NewContext(rt);
  g = JS_GetGlobalObject(ctx);
  JS_SetPropertyStr(ctx, g, "getAsyncContext", JS_NewCFunction(ctx, js_get, "getAsyncContext", 0));
  JS_SetPropertyStr(ctx, g, "setAsyncContext", JS_NewCFunction(ctx, js_set, "setAsyncContext", 1));
  JS_SetPropertyStr(ctx, g, "gc", JS_NewCFunction(ctx, js_gc, "gc", 0));
  JS_FreeValue(ctx, g);

  /* 1. initial value */
  v = JS_GetAsyncContext(ctx);
  CHECK(JS_IsUndefined(v), "initial async context is undefined");
  JS_FreeValue(ctx, v);

  /* 2. JS_EnqueueJob saves the current value; restored after the job */
  set_ctx_js("globalThis.A = {name:'A'}");
  JS_EnqueueJob(ctx, record_job, 0, NULL);
  set_ctx_js("globalThis.B = {name:'B'}");
  run_jobs();
  CHECK(eval_bool("jobSaw === A"), "JS_EnqueueJob: job runs in the context current at enqueue");
  CHECK(eval_bool("getAsyncContext() === B"),
        "JS_ExecutePendingJob restores the previous context (job's change dropped)");

  /* 3. promise reaction: context of then() registration, not of resolve() */
  set_ctx_js("({name:'creator'})");
  eval_void("globalThis.p = new Promise(r => globalThis.res = r)");
  set_ctx_js("globalThis.REG = {name:'registrar'}");
  eval_void("p.then(() => { globalThis.thenSaw = getAsyncContext(); })");
  set_ctx_js("({name:'resolver'})");
  eval_void("res()");
  JS_SetAsyncContext(ctx, JS_UNDEFINED);
  run_jobs();
  CHECK(eval_bool("thenSaw === REG"), "then() on pending promise: reaction runs in registration context");
  set_ctx_js("globalThis.REG2 = {name:'reg2'}");
  eval_void("Promise.resolve(1).then(() => { globalThis.thenSaw2 = getAsyncContext(); })");
  JS_SetAsyncContext(ctx, JS_UNDEFINED);
  run_jobs();
  CHECK(eval_bool("thenSaw2 === REG2"), "then() on settled promise: reaction runs in registration context");

  /* 4. await in async functions and async generators */
  eval_void("globalThis.p2 = new Promise(r => globalThis.res2 = r)");
  set_ctx_js("globalThis.F = {name:'F'}");
  eval_void("(async () => { await p2; globalThis.aw1 = getAsyncContext(); await null; globalThis.aw2 = "
            "getAsyncContext(); })()");
  set_ctx_js("({name:'other'})");
  eval_void("res2()");
  JS_SetAsyncContext(ctx, JS_UNDEFINED);
  run_jobs();
  CHECK(eval_bool("aw1 === F && aw2 === F"), "await resumes in the context current at await");
  set_ctx_js("globalThis.G = {name:'G'}");
  eval_void("(async function* () { await null; globalThis.ag1 = getAsyncContext(); yield 1; })().next()"
            ".then(() => { globalThis.ag2 = getAsyncContext(); })");
  JS_SetAsyncContext(ctx, JS_UNDEFINED);
  run_jobs();
  CHECK(eval_bool("ag1 === G && ag2 === G"), "await in async generator + next().then()");
  eval_void("globalThis.th = { then(r) { globalThis.thSaw = getAsyncContext(); r(1); } }");
  set_ctx_js("globalThis.H = {name:'H'}");
  eval_void("(async () => { await th; globalThis.thAfter = getAsyncContext(); })()");
  JS_SetAsyncContext(ctx, JS_UNDEFINED);
  run_jobs();
  CHECK(eval_bool("thSaw === H && thAfter === H"), "thenable job + await of thenable");

  /* 5. GC: a cycle frame -> promise -> reaction(async_context) -> frame is collected */
  eval_void("globalThis.wr = []; (function () { for (let i = 0; i < 100; i++) {"
            " const frame = { i }; setAsyncContext(frame);"
            " const p = new Promise(() => {}); p.then(() => {}); frame.p = p;"
            " setAsyncContext(undefined); wr.push(new WeakRef(frame)); } })()");
  run_jobs();
  eval_void("gc()");
  CHECK(eval_bool("wr.every(w => w.deref() === undefined)"),
        "GC: cycle through a pending reaction's async context is collected");

  /* 6. GC: a frame held only by a pending reaction of a live promise stays alive */
  eval_void("globalThis.p3 = new Promise(r => globalThis.res3 = r);"
            "(function () { const frame = { name: 'kept' }; setAsyncContext(frame);"
            " p3.then(() => { globalThis.keptSaw = getAsyncContext(); }); setAsyncContext(undefined);"
            " globalThis.wk = new WeakRef(frame); })()");
  run_jobs();
  eval_void("gc()");
  CHECK(eval_bool("wk.deref() !== undefined"), "GC: frame captured by a live reaction is kept alive");
  eval_void("res3()");
  run_jobs();
  CHECK(eval_bool("keptSaw && keptSaw.name === 'kept'"), "GC: ... and is the context of that reaction");

  /* 7. FinalizationRegistry callbacks run in the empty context */
  eval_void("globalThis.fr = new FinalizationRegistry(() => { globalThis.frSaw = getAsyncContext(); globalThis.frRan = "
            "true; });"
            "(function () { fr.register({}, 1); })()");
  set_ctx_js("({name:'during-gc'})");
  eval_void("gc()");
  JS_SetAsyncContext(ctx, JS_UNDEFINED);
  run_jobs();
  CHECK(eval_bool("frRan === true && frSaw === undefined"), "FinalizationRegistry job runs with undefined context");

  /* 8. a primitive context value works too (it is opaque) */
  JS_SetAsyncContext(ctx, JS_NewInt32(ctx, 7));
  eval_void("Promise.resolve().then(() => { globalThis.prim = getAsyncContext(); })");
  JS_SetAsyncContext(ctx, JS_UNDEFINED);
  run_jobs();
  CHECK(eval_bool("prim === 7"), "primitive context values");

  /* 9. teardown with pending jobs/reactions holding contexts and the slot set: no leak */
  set_ctx_js("({name:'at-exit'})");
  eval_void("new Promise(() => {}).then(() => {}); Promise.resolve().then(() => {});");

  JS_FreeContext(ctx);
  JS_FreeRuntime(rt); /* asserts list_empty(&rt->gc_obj_list) */
  printf("%d passed, %d failed\n", n_pass, n_fail);
  return n_fail != 0;
}
