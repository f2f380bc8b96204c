// [dns.c] name lookups for JS (node:dns): dnsLookup (hosts file, localhost, search list,
// as getaddrinfo) and dnsResolve (the name as given, DNS only), both on dns-resolver.c,
// so neither blocks the loop. The callback runs from the loop with null or an error code
// and the addresses as a flat list [address, family, ttl, ...].
#include "core.h"
#include "dns-resolver.h"
#include "host.h"
#include "util.h"
#include <stdlib.h>

typedef struct js_lookup {
  JSValue cb, async_context; /* the callback runs in the context of the lookup call */
} js_lookup;

/** Every call into JS from this module goes through here. */
static void lookup_call(js_lookup *l, int argc, JSValueConst *argv) {
  host_call_in(l->async_context, l->cb, JS_UNDEFINED, argc, argv);
}

static void done(void *ud, dns_status status, const dns_addr *addrs, int n) {
  js_lookup *l = ud;
  JSContext *ctx = host_ctx;
  JSValue list = JS_NewArray(ctx);
  for (int i = 0; i < n; i++) {
    char text[64];
    dns_addr_text(&addrs[i], text, sizeof text);
    JS_SetPropertyUint32(ctx, list, (uint32_t)(3 * i), JS_NewString(ctx, text));
    JS_SetPropertyUint32(ctx, list, (uint32_t)(3 * i + 1), JS_NewInt32(ctx, addrs[i].family));
    JS_SetPropertyUint32(ctx, list, (uint32_t)(3 * i + 2), JS_NewInt64(ctx, addrs[i].ttl));
  }
  JSValueConst args[2] = {status == DNS_OK ? JS_NULL : JS_NewString(ctx, dns_status_code(status)), list};
  lookup_call(l, 2, args);
  JS_FreeValue(ctx, (JSValue)args[0]);
  JS_FreeValue(ctx, list);
  JS_FreeValue(ctx, l->cb);
  JS_FreeValue(ctx, l->async_context);
  free(l);
}

static JSValue start(JSContext *ctx, JSValueConst *argv, unsigned flags, const char *what) {
  int32_t family;
  if (!JS_IsString(argv[0])) return JS_ThrowTypeError(ctx, "%s: name must be a string", what);
  if (JS_ToInt32(ctx, &family, argv[1]) < 0) return JS_EXCEPTION;
  if (family != 0 && family != 4 && family != 6) return JS_ThrowTypeError(ctx, "%s: family must be 0, 4 or 6", what);
  if (js_check_function(ctx, argv[2], what) < 0) return JS_EXCEPTION;
  const char *name = JS_ToCString(ctx, argv[0]);
  if (!name) return JS_EXCEPTION;
  js_lookup *l = malloc(sizeof *l);
  if (!l) {
    JS_FreeCString(ctx, name);
    return JS_ThrowOutOfMemory(ctx);
  }
  l->cb = JS_DupValue(ctx, argv[2]);
  l->async_context = JS_GetAsyncContext(ctx);
  dns_query *q = dns_start(name, family, flags, done, l);
  JS_FreeCString(ctx, name);
  if (!q) {
    JS_FreeValue(ctx, l->cb);
    JS_FreeValue(ctx, l->async_context);
    free(l);
    return JS_ThrowOutOfMemory(ctx);
  }
  return JS_UNDEFINED;
}

static JSValue js_dns_lookup(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return start(ctx, argv, DNS_LOOKUP, "dnsLookup");
}

static JSValue js_dns_resolve(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return start(ctx, argv, 0, "dnsResolve");
}

static const JSCFunctionListEntry functions[] = {
    JS_CFUNC_DEF("dnsLookup", 3, js_dns_lookup),
    JS_CFUNC_DEF("dnsResolve", 3, js_dns_resolve),
};

void dns_init(JSContext *ctx, JSValueConst core) {
  JS_SetPropertyFunctionList(ctx, core, functions, countof(functions));
}
