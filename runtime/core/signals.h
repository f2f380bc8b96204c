// SIGTERM and SIGINT arrive through a signalfd on the loop, so they are handled
// between callbacks, never inside one. SIGPIPE is ignored: a closed peer is an EPIPE.
#pragma once

typedef void signals_handler(int signo);
void signals_init(signals_handler *handler);
