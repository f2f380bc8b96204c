// The __core functions that write a JS handler's response: respond, respondHead,
// respondWrite, respondEnd, onDrain and isOpen. JS headers and bodies are checked and
// put on the wire here; the core keeps the framing (content-length, transfer-encoding,
// connection) to itself.
#pragma once
#include "quickjs.h"

void http_respond_init(JSContext *ctx, JSValueConst core);
