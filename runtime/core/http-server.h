// The HTTP server as main.c sees it: the __core functions (http_server_init, declared in
// core.h), a tick hook for the loop, and the graceful drain SIGTERM starts. The tick is
// defined in http-server.c; listening and the drain in http-listen.c.
#pragma once
#include <stdbool.h>

/** Flushes output, dispatches pipelined requests and frees closed connections. */
bool http_server_tick(void);
/** True once __core.serve has opened the listener and until the drain closes it. */
bool http_server_listening(void);
/** Fails readiness, closes idle connections, stops accepting after the drain delay, exits when idle. */
void http_server_drain(void);
