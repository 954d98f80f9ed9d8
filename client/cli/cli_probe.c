/*  cli_probe.c - a plain connect(2) to a node's client endpoint.  See
    cli_probe.h. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli_probe.h"
#include "xiecha/text.h"

static cli_probe_t
s_ipc (const char *path, char *why, size_t why_len)
{
    struct stat st;
    if (stat (path, &st) != 0) {
        snprintf (why, why_len, _("no socket file %s"), path);
        return CLI_PROBE_DOWN;
    }
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen (path) >= sizeof sa.sun_path)
        return CLI_PROBE_UNKNOWN;
    memcpy (sa.sun_path, path, strlen (path) + 1);
    int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return CLI_PROBE_UNKNOWN;
    int rc = connect (fd, (struct sockaddr *) &sa, sizeof sa);
    int err = errno;
    close (fd);
    if (rc == 0)
        return CLI_PROBE_LISTENING;
    if (err == ECONNREFUSED || err == ENOENT || err == ENOTSOCK) {
        snprintf (why, why_len, _("nobody listens on %s (%s)"), path,
                  strerror (err));
        return CLI_PROBE_DOWN;
    }
    return CLI_PROBE_UNKNOWN;   /* EACCES and the like: let the call say */
}

/*  A non-blocking connect, waited for at most timeout_ms. */
static cli_probe_t
s_tcp_one (const struct addrinfo *ai, int timeout_ms)
{
    int fd = socket (ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC
                                        | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0)
        return CLI_PROBE_UNKNOWN;
    int rc = connect (fd, ai->ai_addr, ai->ai_addrlen);
    cli_probe_t r = rc == 0 ? CLI_PROBE_LISTENING : CLI_PROBE_UNKNOWN;
    if (rc != 0 && errno == ECONNREFUSED)
        r = CLI_PROBE_DOWN;
    else if (rc != 0 && errno == EINPROGRESS) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int err = 0;
        socklen_t len = sizeof err;
        if (poll (&p, 1, timeout_ms) == 1
            && getsockopt (fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0)
            r = err == 0 ? CLI_PROBE_LISTENING
                : err == ECONNREFUSED ? CLI_PROBE_DOWN : CLI_PROBE_UNKNOWN;
    }
    close (fd);
    return r;
}

static cli_probe_t
s_tcp (const char *hostport, int timeout_ms, char *why, size_t why_len)
{
    char host[256];
    const char *colon = strrchr (hostport, ':');
    if (!colon || (size_t) (colon - hostport) >= sizeof host)
        return CLI_PROBE_UNKNOWN;
    memcpy (host, hostport, (size_t) (colon - hostport));
    host[colon - hostport] = '\0';
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    if (getaddrinfo (host, colon + 1, &hints, &res) != 0)
        return CLI_PROBE_UNKNOWN;
    cli_probe_t r = CLI_PROBE_UNKNOWN;
    for (struct addrinfo *ai = res; ai && r != CLI_PROBE_LISTENING;
         ai = ai->ai_next)
        r = s_tcp_one (ai, timeout_ms);
    freeaddrinfo (res);
    if (r == CLI_PROBE_DOWN)
        snprintf (why, why_len, _("nobody listens on %s (connection "
                                   "refused)"), hostport);
    return r;
}

cli_probe_t
cli_probe (const char *endpoint, int timeout_ms, char *why, size_t why_len)
{
    if (strncmp (endpoint, "ipc://", 6) == 0)
        return s_ipc (endpoint + 6, why, why_len);
    if (strncmp (endpoint, "tcp://", 6) == 0)
        return s_tcp (endpoint + 6, timeout_ms, why, why_len);
    return CLI_PROBE_UNKNOWN;
}
