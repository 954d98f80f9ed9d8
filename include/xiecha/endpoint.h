/*  endpoint.h - ZeroMQ endpoints named in configuration files.

    A node's config names its client socket (node/client_bind) with an
    endpoint such as "ipc://client.sock".  A relative IPC path is relative
    to the directory of the config file, so a node's directory can be
    moved as a whole; the daemon binds and the CLI connects by the same
    rule, here, so both find the same socket. */
#ifndef XIECHA_ENDPOINT_H
#define XIECHA_ENDPOINT_H

#include <stddef.h>

/*  Writes endpoint to out[out_len], with a relative "ipc://PATH" made
    "ipc://DIR/PATH" (dir is the config file's directory, as dirname(3)
    gives it; a trailing slash is not doubled).  Absolute IPC paths,
    abstract sockets ("ipc://@name"), other transports (tcp://...) and any
    endpoint when dir is NULL or empty are copied unchanged.  Returns 0,
    or XC_ETOOBIG when the result does not fit (out then holds a cut-short
    copy that must not be used). */
int xc_ipc_resolve (const char *dir, const char *endpoint, char *out,
                    size_t out_len);

#endif
