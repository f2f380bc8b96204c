// The listening socket (http_server_listening and http_server_drain in http-server.h
// are defined here too): accepting into the connection layer, shedding with 503 when
// out of descriptors, and the graceful drain after SIGTERM.
#pragma once

/** Reads the configuration, raises the descriptor limit and listens on $PORT; 0 or an errno. */
int http_listen(void);
