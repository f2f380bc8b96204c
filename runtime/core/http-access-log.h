// The access line a connection writes when a logged request's response is complete
// (unless SCRATCHFN_ACCESS_LOG=0): method, path, status, duration, bytes, request id,
// trace and span id.
#pragma once
#include "http-conn.h"

void http_access_log(const conn *c);
