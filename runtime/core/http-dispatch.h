// Request dispatch, the top of the HTTP core: a parsed request becomes the JS arguments
// of onRequest (method, target, flat lower-cased headers with X-Request-Id, the body as
// an ArrayBuffer), and the id JS answers by names the connection again. It registers
// the connection layer's hooks and keeps the JS values each request holds, so a
// connection holds none.
#pragma once
#include "http-conn.h"
#include "quickjs.h"

enum { HTTP_DISPATCH_ROUTE_MAX = 1024 };

/** Registers the connection hooks; every request from now on goes to on_request(id, method, target, headers, body).
    With a route prefix (NULL: none; "" for '/'), a target outside it is answered 404 by the core, and on_request
    gets (id, method, url, headers, body, requestId, oomCount, interruptCount): url is "http://<host><path under
    the route>", the headers end with x-forwarded-prefix (unless the route is '/'), and the counts are those before
    the request. */
void http_dispatch_start(JSContext *ctx, JSValueConst on_request, const char *route);
/** The connection whose active request has this id, while it is unanswered or streaming; else NULL. */
conn *http_dispatch_find(uint64_t id);
/** Calls cb (after the active request's output drained, or the request ended). */
void http_dispatch_on_drain(conn *c, JSValueConst cb);
