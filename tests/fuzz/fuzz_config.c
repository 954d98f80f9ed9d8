/*  fuzz_config.c - a node's config file (ZPL) as xiechad and --check
    read it (xc_config_load, daemon/node/config.h): every key checked
    against the schema, paths resolved.

    Input: the file's bytes. */
#include "node/config.h"
#include "xf.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    const char *path = xf_file ("node.zpl", data, size);
    xc_config_t cfg;
    char why[1024];
    xf_say ("config", xc_config_load (path, &cfg, why, sizeof why), why);
    return 0;
}
