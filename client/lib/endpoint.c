/*  endpoint.c - endpoints named in configuration files
    (xiecha/endpoint.h). */
#include <stdio.h>
#include <string.h>

#include "xiecha/endpoint.h"
#include "xiecha/error.h"

#define S_IPC "ipc://"

int
xc_ipc_resolve (const char *dir, const char *endpoint, char *out,
                size_t out_len)
{
    size_t prefix = sizeof S_IPC - 1;
    const char *path = endpoint + prefix;
    int n;
    if (strncmp (endpoint, S_IPC, prefix) != 0 || *path == '/'
        || *path == '@' || !dir || !*dir)
        n = snprintf (out, out_len, "%s", endpoint);
    else {
        size_t dir_len = strlen (dir);
        const char *slash = dir[dir_len - 1] == '/' ? "" : "/";
        n = snprintf (out, out_len, S_IPC "%s%s%s", dir, slash, path);
    }
    return n < 0 || (size_t) n >= out_len ? XC_ETOOBIG : 0;
}
