// The listening socket: accepting into the connection layer, shedding with 503 when out
// of descriptors, and the graceful drain after SIGTERM (http_server_listening and
// http_server_drain, declared in http-server.h for main.c).
#pragma once
#include <stdbool.h>

/** Reads the configuration, raises the descriptor limit and listens on $PORT; 0 or an errno. */
int http_listen(void);
/** Called when a drain has nothing left in flight, before the exit; while it returns true
    (work it started, such as flushing spans, is not done) the exit waits, within the grace. */
void http_listen_before_exit(bool (*hook)(void));
