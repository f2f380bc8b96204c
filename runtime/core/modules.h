// The module loader for a function's chunks: import() of a part the bundle split off.
#pragma once
#include "quickjs.h"

/** Installs the loader; chunks are read from beside app_file (the app's bytecode). */
void modules_init(JSRuntime *rt, const char *app_file);
