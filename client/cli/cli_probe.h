/*  cli_probe.h - whether anything listens at a node's client endpoint,
    without ZeroMQ (which connects lazily and would wait the whole
    timeout for a node that is not there): `xiecha status` tells a node
    that is down from one that is busy this way. */
#ifndef XIECHA_CLI_PROBE_H
#define XIECHA_CLI_PROBE_H

#include <stddef.h>

typedef enum {
    CLI_PROBE_LISTENING = 0,   /* a connection was accepted */
    CLI_PROBE_DOWN = 1,        /* no socket file, or nobody listening */
    CLI_PROBE_UNKNOWN = 2      /* an endpoint this cannot probe */
} cli_probe_t;

/*  Probes endpoint (ipc://PATH or tcp://HOST:PORT), waiting at most
    timeout_ms for a TCP connect; with DOWN, why says what was found. */
cli_probe_t cli_probe (const char *endpoint, int timeout_ms, char *why,
                       size_t why_len);

#endif
