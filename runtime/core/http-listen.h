// The listening socket: accepting into the connection layer, shedding with 503 when out
// of descriptors, and the graceful drain after SIGTERM (http_server_listening and
// http_server_drain, declared in http-server.h for main.c).
#pragma once

/** Reads the configuration, raises the descriptor limit and listens on $PORT; 0 or an errno. */
int http_listen(void);
