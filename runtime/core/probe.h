// The health probe: `scratchfn-runtime --probe [PATH]` (see probe.c).
#pragma once

/** argv holds the arguments after --probe. Returns the exit status: 0 healthy, 1 not (after one line on stderr). */
int probe_main(int argc, char **argv);
