// The __core functions that write a JS handler's response: respond, respondHead,
// respondWrite, respondEnd, onDrain and isOpen. JS headers and bodies are checked and
// put on the wire here; the core keeps the framing (content-length, transfer-encoding,
// connection) to itself.
#pragma once
#include "quickjs.h"

void http_respond_init(JSContext *ctx, JSValueConst core);
/** What a response that names no content type is sent with (NULL: nothing is added). A response
    whose type is exactly the Fetch default for text, "text/plain;charset=UTF-8", gets it too,
    as @hono/node-server sends "text/plain; charset=UTF-8" for both. */
void http_respond_set_default_type(const char *type);
