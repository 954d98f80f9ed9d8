/*  fed.c - the benchmarks' two-node federation (fed.h). */
#include "fed.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <czmq.h>

xb_fed_t xb_fed;

static const char *s_prog = "xiecha-bench";

void
xb_init (const char *prog)
{
    s_prog = prog;
}

double
xb_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

void
xb_progress (const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    fprintf (stderr, "%s: ", s_prog);
    vfprintf (stderr, fmt, ap);
    fputc ('\n', stderr);
    va_end (ap);
}

/*  exit() runs the atexit cleanup, so daemons never outlive a failure. */
void
xb_die (const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    fprintf (stderr, "%s: error: ", s_prog);
    vfprintf (stderr, fmt, ap);
    fputc ('\n', stderr);
    va_end (ap);
    exit (1);
}

int
xb_writef (const char *path, const char *fmt, ...)
{
    FILE *f = fopen (path, "w");
    if (!f)
        return -1;
    va_list ap;
    va_start (ap, fmt);
    vfprintf (f, fmt, ap);
    va_end (ap);
    return fclose (f);
}

size_t
xb_count (const char *arg, const char *name, size_t min)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull (arg, &end, 10);
    if (errno || *end || arg[0] == '-' || v < min || v > 100000000ULL)
        xb_die ("%s: not a count >= %zu: '%s'", name, min, arg);
    return (size_t) v;
}

/*  bench/ and daemon/ are siblings in a meson build tree. */
const char *
xb_default_xiechad (void)
{
    const char *env = getenv ("XIECHAD");
    if (env && *env)
        return env;
    static char path[PATH_MAX];
    char self[PATH_MAX];
    ssize_t len = readlink ("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0)
        return NULL;
    self[len] = '\0';
    char *slash = strrchr (self, '/');
    if (slash)
        *slash = '\0';
    snprintf (path, sizeof path, "%s/../daemon/xiechad", self);
    return access (path, X_OK) == 0 ? path : NULL;
}

static int
s_cmp_double (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

void
xb_lat_fill (xb_lat_t *l, double *v, size_t n, double wall_s)
{
    l->n = n;
    l->wall_s = wall_s;
    l->rate = wall_s > 0 ? (double) n / wall_s : 0;
    if (!n)
        return;
    qsort (v, n, sizeof *v, s_cmp_double);
    l->p50_us = v[(size_t) ceil (0.50 * (double) n) - 1];
    l->p99_us = v[(size_t) ceil (0.99 * (double) n) - 1];
    l->max_us = v[n - 1];
}

/* ---- cleanup ------------------------------------------------------------ */

/*  rm -rf by fork and exec: both are async-signal-safe, so the signal
    path can use it too. */
static void
s_rm_rf (const char *dir)
{
    pid_t pid = fork ();
    if (pid == 0) {
        char *const argv[] = {"rm", "-rf", "--", (char *) dir, NULL};
        char *const envp[] = {NULL};
        execve ("/bin/rm", argv, envp);
        _exit (127);
    }
    if (pid > 0)
        while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
            ;
}

/*  Fatal signal: the daemons must not outlive us.  Only async-signal-safe
    calls here (kill, waitpid, fork, execve). */
static void
s_on_signal (int sig)
{
    for (int i = 0; i < 2; i++)
        if (xb_fed.nodes[i].pid > 0)
            kill (xb_fed.nodes[i].pid, SIGKILL);
    for (int i = 0; i < 2; i++)
        if (xb_fed.nodes[i].pid > 0)
            waitpid (xb_fed.nodes[i].pid, NULL, 0);
    if (xb_fed.root[0] && !xb_fed.keep)
        s_rm_rf (xb_fed.root);
    signal (sig, SIG_DFL);
    raise (sig);
}

bool
xb_node_stop (xb_node_t *n)
{
    if (n->pid <= 0)
        return true;
    pid_t pid = n->pid;
    kill (pid, SIGTERM);
    int status = 0;
    for (int tries = 0; tries < 500; tries++) {
        if (waitpid (pid, &status, WNOHANG) == pid) {
            n->pid = 0;
            return WIFEXITED (status) && WEXITSTATUS (status) == 0;
        }
        usleep (10 * 1000);
    }
    fprintf (stderr, "%s: node %s ignored SIGTERM for 5 s; killing it\n",
             s_prog, n->code);
    kill (pid, SIGKILL);
    waitpid (pid, &status, 0);
    n->pid = 0;
    return false;
}

static void
s_cleanup (void)
{
    for (int i = 0; i < 2; i++)
        xb_node_stop (&xb_fed.nodes[i]);
    if (xb_fed.root[0] && !xb_fed.keep)
        s_rm_rf (xb_fed.root);
    else if (xb_fed.root[0])
        fprintf (stderr, "%s: kept %s\n", s_prog, xb_fed.root);
    xb_fed.root[0] = '\0';
}

void
xb_install_cleanup (void)
{
    atexit (s_cleanup);
    struct sigaction sa;
    memset (&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigemptyset (&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV,
                        SIGBUS};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction (sigs[i], &sa, NULL);
}

/* ---- files -------------------------------------------------------------- */

/*  A free loopback TCP port: bind port 0 and read what the kernel chose.
    Racy in principle, but the daemons bind it a moment later. */
static int
s_free_port (void)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl (INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int port = -1;
    if (fd >= 0 && bind (fd, (struct sockaddr *) &a, sizeof a) == 0
        && getsockname (fd, (struct sockaddr *) &a, &len) == 0)
        port = ntohs (a.sin_port);
    if (fd >= 0)
        close (fd);
    if (port <= 0)
        xb_die ("cannot find a free TCP port");
    return port;
}

/*  Signing key and CURVE certificate of one node; appends its trust-list
    section. */
static void
s_node_keys (xb_node_t *n, FILE *trust)
{
    char path[PATH_MAX + 32];
    if (mkdir (n->dir, 0700) != 0)
        xb_die ("%s: %s", n->dir, strerror (errno));
    xc_key_t *key = xc_key_generate ();
    snprintf (path, sizeof path, "%s/sign.key", n->dir);
    if (!key || xc_key_save (key, path) != 0)
        xb_die ("cannot write %s", path);
    zcert_t *curve = zcert_new ();
    snprintf (path, sizeof path, "%s/curve.cert", n->dir);
    if (!curve || zcert_save (curve, path) != 0)
        xb_die ("cannot write %s", path);
    uint8_t pub[XC_PUBKEY_LEN];
    char hex[2 * XC_PUBKEY_LEN + 1];
    xc_key_public (key, pub);
    xc_hex (pub, sizeof pub, hex);
    fprintf (trust,
             "    node\n        code = \"%s\"\n        name = \"Node %s\"\n"
             "        endpoint = \"%s\"\n        curve = \"%s\"\n"
             "        key\n            public = \"%s\"\n",
             n->code, n->code, n->endpoint, zcert_public_txt (curve), hex);
    xc_key_destroy (&key);
    zcert_destroy (&curve);
}

static void
s_node_config (const xb_node_t *n, int deadline_ms, const char *limits)
{
    if (xb_writef (n->config,
                   "node\n    code = \"%s\"\n    name = \"Node %s\"\n"
                   "    data_dir = \"data\"\n    peer_bind = \"%s\"\n"
                   "    client_bind = \"ipc://client.sock\"\n"
                   "keys\n    signing = \"sign.key\"\n"
                   "    curve = \"curve.cert\"\n"
                   "trust\n    list = \"%s\"\n    salt = \"%s\"\n"
                   "limits\n    query_deadline_ms = %d\n%s",
                   n->code, n->code, n->endpoint, xb_fed.trust, xb_fed.salt,
                   deadline_ms, limits) != 0)
        xb_die ("cannot write %s", n->config);
}

void
xb_fed_create (const char *tmpdir, int deadline_ms, const char *limits)
{
    snprintf (xb_fed.root, sizeof xb_fed.root, "%s/xiecha-bench-XXXXXX",
              tmpdir);
    if (!mkdtemp (xb_fed.root))
        xb_die ("mkdtemp %s: %s", xb_fed.root, strerror (errno));
    snprintf (xb_fed.trust, sizeof xb_fed.trust, "%s/trust.zpl",
              xb_fed.root);
    snprintf (xb_fed.salt, sizeof xb_fed.salt, "%s/salt.hex", xb_fed.root);
    uint8_t salt[32];
    char salthex[2 * sizeof salt + 1];
    xc_random (salt, sizeof salt);
    xc_hex (salt, sizeof salt, salthex);
    if (xb_writef (xb_fed.salt, "%s\n", salthex) != 0)
        xb_die ("cannot write %s", xb_fed.salt);

    FILE *trust = fopen (xb_fed.trust, "w");
    if (!trust)
        xb_die ("cannot write %s", xb_fed.trust);
    fprintf (trust, "trust\n    version = 1\n");
    const char *codes[2] = {XB_RESIDENCE, XB_HOME};
    for (int i = 0; i < 2; i++) {
        xb_node_t *n = &xb_fed.nodes[i];
        snprintf (n->code, sizeof n->code, "%s", codes[i]);
        snprintf (n->dir, sizeof n->dir, "%s/%s", xb_fed.root, n->code);
        snprintf (n->config, sizeof n->config, "%s/node.zpl", n->dir);
        snprintf (n->endpoint, sizeof n->endpoint, "tcp://127.0.0.1:%d",
                  s_free_port ());
        snprintf (n->socket, sizeof n->socket, "ipc://%s/client.sock",
                  n->dir);
        snprintf (n->log, sizeof n->log, "%s/xiechad.log", n->dir);
        s_node_keys (n, trust);
        s_node_config (n, deadline_ms, limits);
    }
    if (fclose (trust) != 0)
        xb_die ("cannot write %s", xb_fed.trust);
}

/* ---- processes ---------------------------------------------------------- */

/*  What the daemon said before it failed is the most useful thing to
    show. */
void
xb_log_tail (const xb_node_t *n, int lines)
{
    FILE *f = fopen (n->log, "r");
    if (!f)
        return;
    char (*ring)[512] = calloc ((size_t) lines, sizeof *ring);
    int count = 0;
    while (ring && fgets (ring[count % lines], sizeof *ring, f))
        count++;
    fclose (f);
    fprintf (stderr, "---- last lines of %s ----\n", n->log);
    for (int i = count > lines ? count - lines : 0; ring && i < count; i++)
        fputs (ring[i % lines], stderr);
    free (ring);
}

/*  Echoed to stderr (the first few) because the directory is removed at
    exit. */
void
xb_log_scan (const xb_node_t *n, size_t *errors, size_t *warnings)
{
    FILE *f = fopen (n->log, "r");
    char line[1024];
    while (f && fgets (line, sizeof line, f)) {
        bool err = strstr (line, "] error: ") != NULL;
        bool warn = strstr (line, "] warn: ") != NULL;
        if ((err || warn) && *errors + *warnings < 10)
            fprintf (stderr, "%s: %s log: %s", s_prog, n->code, line);
        *errors += err;
        *warnings += warn;
    }
    if (f)
        fclose (f);
}

bool
xb_alive (xb_node_t *n)
{
    int status;
    if (n->pid > 0 && waitpid (n->pid, &status, WNOHANG) == n->pid) {
        fprintf (stderr, "%s: node %s exited (%s %d)\n", s_prog, n->code,
                 WIFEXITED (status) ? "status" : "signal",
                 WIFEXITED (status) ? WEXITSTATUS (status)
                                    : WTERMSIG (status));
        n->pid = 0;
    }
    return n->pid > 0;
}

/*  fork and exec rather than posix_spawn: the child asks the kernel to
    kill it when we die, even by SIGKILL, so no daemon is ever orphaned. */
void
xb_node_start (const char *xiechad, xb_node_t *n)
{
    pid_t parent = getpid ();
    pid_t pid = fork ();
    if (pid < 0)
        xb_die ("fork: %s", strerror (errno));
    if (pid == 0) {
        prctl (PR_SET_PDEATHSIG, SIGKILL);
        if (getppid () != parent)
            _exit (127);
        int err = open (n->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        int out = open ("/dev/null", O_WRONLY);
        if (err < 0 || out < 0 || dup2 (err, 2) < 0 || dup2 (out, 1) < 0)
            _exit (127);
        char *const argv[] = {(char *) xiechad, "--config", n->config,
                              NULL};
        execv (xiechad, argv);
        _exit (127);
    }
    n->pid = pid;
}

void
xb_node_wait (xb_node_t *n)
{
    for (int tries = 0; tries < 100; tries++) {
        if (!xb_alive (n)) {
            xb_log_tail (n, 20);
            xb_die ("node %s died at start; see the log above", n->code);
        }
        xc_client_t *c = xc_client_new (n->socket, 200, NULL, 0);
        Xiecha__StatusReply *st = NULL;
        int rc = c ? xc_client_status (c, &st, NULL, 0) : -1;
        if (st)
            xiecha__status_reply__free_unpacked (st, NULL);
        xc_client_destroy (&c);
        if (rc == 0)
            return;
        usleep (100 * 1000);
    }
    xb_log_tail (n, 20);
    xb_die ("node %s did not answer status within 10 s", n->code);
}

xc_client_t *
xb_client (const xb_node_t *n, int timeout_ms)
{
    char why[256] = "";
    xc_client_t *c = xc_client_new (n->socket, timeout_ms, why, sizeof why);
    if (!c)
        xb_die ("client for %s: %s", n->code, why);
    return c;
}

/* ---- people ------------------------------------------------------------- */

/*  Area, a real birth date derived from seq, an order code, and the
    GB 11643 check character. */
void
xb_make_id (size_t seq, char id[XC_ID_LEN + 1])
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3,
                              7, 9, 10, 5, 8, 4, 2};
    int day = (int) (seq % 28) + 1;
    int month = (int) (seq / 28 % 12) + 1;
    int year = 1940 + (int) (seq / 336 % 60);
    int order = (int) (seq / 20160 % 1000);
    char first[18];
    snprintf (first, sizeof first, "%s%04d%02d%02d%03d", XB_HOME, year,
              month, day, order);
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first[i] - '0') * w[i];
    snprintf (id, XC_ID_LEN + 1, "%s%c", first, "10X98765432"[sum % 11]);
}

uint64_t
xb_import (size_t rows)
{
    xc_client_t *c = xb_client (&xb_fed.nodes[XB_REG], 60000);
    xc_import_t *imp = xc_import_new (c);
    char why[256] = "", id[XC_ID_LEN + 1];
    if (!imp)
        xb_die ("xc_import_new failed");
    for (size_t i = 0; i < rows; i++) {
        xb_make_id (i, id);
        if (xc_import_add (imp, id, XIECHA__PROGRAM__DIBAO, 20240301, 0,
                           (uint32_t) i + 2, why, sizeof why) != 0)
            xb_die ("roster row %zu: %s", i, why);
    }
    uint64_t subjects = 0;
    int rc = xc_import_commit (imp, NULL, NULL, &subjects, why, sizeof why);
    if (rc != 0)
        xb_die ("roster import: %s (%s)", why, xc_strerror (rc));
    xc_import_destroy (&imp);
    xc_client_destroy (&c);
    return subjects;
}
