/*
 * The C tests of runtime/patches/quickjs-shape-cache.patch: shapes no object uses any more
 * are kept, so that objects built the same way again reuse them; the kept shapes never change
 * what a program sees (property order, values, attributes, prototypes, deletes, objects that
 * grow apart from one shape), they go at every cycle collection (so no prototype outlives a
 * collection because of them), a collection that frees a cycle holding a prototype keeps
 * nothing of it, and JS_FreeRuntime frees everything. Built against the patched engine and run
 * (plainly and under valgrind) by test/runtime/patches/quickjs-shape-cache.test.ts, which also
 * checks that broken versions of the patch fail here. Prints one line per check and
 * `N passed, N failed`; exits non-zero on a failure. JS_FreeRuntime asserts that no object
 * leaked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quickjs.h"
#include "patch-test.h"

/* build(n) called from C: evaluating source would make shapes of its own */
static void call_build(int n) {
  JSValue g = JS_GetGlobalObject(ctx);
  JSValue f = JS_GetPropertyStr(ctx, g, "build");
  JSValue arg = JS_NewInt32(ctx, n);
  JSValue r = JS_Call(ctx, f, JS_UNDEFINED, 1, &arg);
  JS_FreeValue(ctx, r);
  JS_FreeValue(ctx, f);
  JS_FreeValue(ctx, g);
}

static int64_t shapes(void) {
  JSMemoryUsage u;
  JS_ComputeMemoryUsage(rt, &u);
  return u.shape_count;
}

int main(void) {
  JSValue g;

  setvbuf(stdout, NULL, _IOLBF, 0);
  rt = JS_NewRuntime();
  ctx = JS_NewContext(rt);
  g = JS_GetGlobalObject(ctx);
  JS_SetPropertyStr(ctx, g, "gc", JS_NewCFunction(ctx, js_gc, "gc", 0));
  JS_FreeValue(ctx, g);
  JS_RunGC(rt);

  /* 1. the shapes of objects that died are kept, and building them again makes none */
  eval_void("globalThis.build = (n) => { const o = { n }; for (let i = 0; i < 20; i++) o['p' + i] = i; return o; };"
            "globalThis.sum = (o) => { let s = 0; for (const k in o) s += o[k]; return s; };");
  call_build(0); /* the first call makes what a call needs besides the object */
  JS_RunGC(rt);
  int64_t before = shapes();
  call_build(1);
  int64_t kept = shapes();
  CHECK(kept > before + 10, "the shapes of an object that died are kept");
  for (int i = 0; i < 50; i++) call_build(i);
  CHECK(kept > before + 10 && shapes() == kept, "building the same object again reuses them (no new shape)");
  CHECK(eval_bool("sum(build(5)) === 5 + 190 && Object.keys(build(0)).join() === "
                  "'n,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,p10,p11,p12,p13,p14,p15,p16,p17,p18,p19'"),
        "an object built from kept shapes has its values and its key order");

  /* 2. objects that grow apart from one shape keep their own properties */
  eval_void("globalThis.a = []; for (let i = 0; i < 30; i++) { const o = { x: 1 };"
            " if (i % 3 === 0) o.y = 2; else if (i % 3 === 1) o.z = 3; else { o.z = 4; o.y = 5; } a.push(o); }");
  CHECK(eval_bool("a.every((o, i) => i % 3 === 0 ? Object.keys(o).join() === 'x,y' && o.y === 2 && o.z === undefined"
                  " : i % 3 === 1 ? Object.keys(o).join() === 'x,z' && o.z === 3 && !('y' in o)"
                  " : Object.keys(o).join() === 'x,z,y' && o.z === 4 && o.y === 5)"),
        "objects that add different properties to one shape keep them apart");
  eval_void("globalThis.a = null");
  CHECK(eval_bool("(() => { const o = { x: 1 }; o.y = 2; const p = { x: 1 }; p.y = 3; p.w = 4;"
                  " return o.y === 2 && p.y === 3 && p.w === 4 && !('w' in o); })()"),
        "the same properties in the same order share a layout, values stay apart");

  /* 3. attributes, deletes, prototypes and accessors are as without the cache */
  CHECK(eval_bool("(() => { const r = []; for (let i = 0; i < 3; i++) { const o = {}; o.a = 1;"
                  " Object.defineProperty(o, 'b', { value: 2, enumerable: false }); o.c = 3;"
                  " r.push(Object.keys(o).join() + '|' + JSON.stringify(Object.getOwnPropertyDescriptor(o, 'b'))); }"
                  " return r.every(s => s === 'a,c|{\"value\":2,\"writable\":false,\"enumerable\":false,"
                  "\"configurable\":false}'); })()"),
        "a property defined with other attributes keeps them, every time");
  CHECK(eval_bool("(() => { for (let i = 0; i < 3; i++) { const o = { a: 1, b: 2, c: 3 }; delete o.b; o.d = 4;"
                  " if (Object.keys(o).join() !== 'a,c,d' || 'b' in o) return false; } return true; })()"),
        "delete then add, every time");
  CHECK(eval_bool(
            "(() => { const P = { hi() { return 'P'; } }, Q = { hi() { return 'Q'; } }; const r = [];"
            " for (let i = 0; i < 3; i++) { const o = Object.create(P); o.a = 1; const q = Object.create(Q); q.a = 1;"
            " Object.setPrototypeOf(o, Q); o.b = 2; r.push(o.hi() + q.hi() + Object.keys(o).join()); }"
            " return r.every(s => s === 'QQa,b'); })()"),
        "prototypes stay apart, also after setPrototypeOf");
  CHECK(eval_bool(
            "(() => { for (let i = 0; i < 3; i++) { const o = { a: 1 }; Object.freeze(o); const p = { a: 1 };"
            " p.a = 2; if (!Object.isFrozen(o) || Object.isFrozen(p) || p.a !== 2) return false; } return true; })()"),
        "freezing one object leaves another of the same shape writable");
  CHECK(eval_bool("(() => { class C { x = 1; #y = 2; get y() { return this.#y; } } let s = 0;"
                  " for (let i = 0; i < 5; i++) s += new C().x + new C().y; return s === 15; })()"),
        "class fields and private fields");

  /* 4. kept shapes go at every collection: they never keep a prototype alive past one */
  eval_void("globalThis.w = (() => { const proto = { tag: 'temp' }; const o = Object.create(proto); o.a = 1; o.b = 2;"
            " return new WeakRef(proto); })()");
  eval_void("gc()");
  CHECK(eval_bool("w.deref() === undefined"), "a prototype only kept shapes refer to is collected");
  eval_void(
      "globalThis.fr = new FinalizationRegistry(() => { globalThis.freed = (globalThis.freed || 0) + 1; });"
      "(() => { for (let i = 0; i < 10; i++) { const proto = {}; fr.register(proto, i); const o = Object.create(proto);"
      " o.k = i; } })()");
  eval_void("gc()");
  JSContext *c;
  while (JS_ExecutePendingJob(rt, &c) > 0) {
  }
  CHECK(eval_bool("globalThis.freed === 10"), "their FinalizationRegistry callbacks run after the collection");
  before = shapes();
  call_build(1);
  CHECK(shapes() > before + 10, "shapes are kept again after a collection");
  eval_void("gc()");
  CHECK(shapes() < before + 5, "... and go at the next");

  /* 5. a collected cycle that holds its own prototype leaves no kept shape behind */
  eval_void("for (let i = 0; i < 20; i++) { const proto = { i }; const o = Object.create(proto); o.self = o;"
            " proto.back = o; o.more = i; }");
  eval_void("gc()");
  eval_void(
      "for (let i = 0; i < 20; i++) { const proto = { i }; const o = Object.create(proto); o.more = i; o.x = 1; }");
  eval_void("gc()");
  CHECK(eval_bool("build(3).n === 3"), "cycles through prototypes are collected cleanly");

  /* 6. teardown with shapes kept: JS_FreeContext and JS_FreeRuntime free them */
  eval_void("for (let i = 0; i < 5; i++) build(i); globalThis.keepProto = { z: 1 }; Object.create(keepProto).q = 1;");
  JS_FreeContext(ctx);
  JS_FreeRuntime(rt); /* asserts list_empty(&rt->gc_obj_list) */
  printf("%d passed, %d failed\n", n_pass, n_fail);
  return n_fail != 0;
}
