/*  xt_fed.c - a real federation in a temporary directory (xt_fed.h). */
#include "xt_fed.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char *program_invocation_short_name;

#define S_WAIT_MS 30000          /* a node's start, under sanitizers too */
#define S_STOP_GRACE_MS 20000    /* SIGTERM to exit, before SIGKILL */

/*  The last lines of a log, for a failure message. */
static void
s_tail (const char *path, int lines, char *out, size_t out_len)
{
    out[0] = '\0';
    FILE *f = fopen (path, "r");
    if (!f)
        return;
    char (*ring)[512] = calloc ((size_t) lines, sizeof *ring);
    int count = 0;
    while (ring && fgets (ring[count % lines], sizeof *ring, f))
        count++;
    fclose (f);
    size_t used = 0;
    for (int k = count > lines ? count - lines : 0; ring && k < count; k++) {
        int w = snprintf (out + used, out_len - used, "%s", ring[k % lines]);
        if (w < 0 || (size_t) w >= out_len - used)
            break;
        used += (size_t) w;
    }
    free (ring);
}

/* ---- files -------------------------------------------------------------- */

/*  Keys of one node in dir; appends its trust-list section. */
static void
s_node_keys (const char *dir, const char *code, const char *endpoint,
             FILE *trust, xc_key_t **key_out, zcert_t **curve_out)
{
    char path[PATH_MAX + 16];
    if (mkdir (dir, 0700) != 0)
        xt_fail ("mkdir %s: %s", dir, strerror (errno));
    xc_key_t *key = xc_key_generate ();
    snprintf (path, sizeof path, "%s/sign.key", dir);
    if (!key || xc_key_save (key, path) != 0)
        xt_fail ("cannot write %s", path);
    zcert_t *curve = zcert_new ();
    snprintf (path, sizeof path, "%s/curve.cert", dir);
    if (!curve || zcert_save (curve, path) != 0)
        xt_fail ("cannot write %s", path);

    uint8_t pub[XC_PUBKEY_LEN];
    char hex[2 * XC_PUBKEY_LEN + 1];
    xc_key_public (key, pub);
    xc_hex (pub, sizeof pub, hex);
    fprintf (trust,
             "    node\n        code = \"%s\"\n        name = \"Node %s\"\n"
             "        endpoint = \"%s\"\n        curve = \"%s\"\n"
             "        key\n            public = \"%s\"\n",
             code, code, endpoint, zcert_public_txt (curve), hex);
    if (key_out)
        *key_out = key;
    else
        xc_key_destroy (&key);
    if (curve_out)
        *curve_out = curve;
    else
        zcert_destroy (&curve);
}

static void
s_node_config (const xt_fed_t *self, const xt_node_t *n,
               const xt_fed_opts_t *o)
{
    //  ZPL takes a section without children for a key: no limits, no
    //  section.
    char limits[64] = "";
    if (o->deadline_ms > 0)
        snprintf (limits, sizeof limits,
                  "limits\n    query_deadline_ms = %d\n", o->deadline_ms);
    else if (o->limits && *o->limits)
        snprintf (limits, sizeof limits, "limits\n");
    xt_writef (n->config,
               "node\n    code = \"%s\"\n    name = \"Node %s\"\n"
               "    data_dir = \"data\"\n    peer_bind = \"%s\"\n"
               "    client_bind = \"ipc://client.sock\"\n"
               "keys\n    signing = \"sign.key\"\n    curve = \"curve.cert\"\n"
               "trust\n    list = \"%s\"\n    salt = \"%s\"\n"
               "%s%s",
               n->code, n->code, n->endpoint, self->trust, self->salt,
               limits, o->limits ? o->limits : "");
}

xt_fed_t *
xt_fed_new (const char *const *codes, size_t count, int deadline_ms)
{
    xt_fed_opts_t o = {.codes = codes, .count = count,
                       .deadline_ms = deadline_ms, .rogue = true};
    return xt_fed_new_opts (&o);
}

xt_fed_t *
xt_fed_new_opts (const xt_fed_opts_t *o)
{
    if (o->count > XT_MAX_NODES)
        xt_fail ("%zu nodes: at most %d", o->count, XT_MAX_NODES);
    xt_fed_t *self = calloc (1, sizeof *self);
    if (!self)
        xt_fail ("out of memory");
    for (size_t i = 0; i < XT_MAX_NODES; i++)
        self->nodes[i].port_fd = -1;
    self->rogue_port_fd = -1;
    self->keep = o->keep || getenv ("XT_KEEP");
    self->no_rosters = o->no_rosters;
    /* The nodes' local time (node/timezone's default), so that a test's
       "today" (xc_zone_date) is theirs. */
    if (xc_zone_use (XC_ZONE_DEFAULT, NULL, 0) != 0)
        xt_fail ("no zone %s: is tzdata installed?", XC_ZONE_DEFAULT);
    const char *daemon = o->xiechad ? o->xiechad : xt_default_xiechad ();
    snprintf (self->xiechad, sizeof self->xiechad, "%s", daemon ? daemon : "");

    xt_tmpdir_new (self->root, sizeof self->root, o->tmpdir,
                   o->name ? o->name : program_invocation_short_name);
    if (self->keep) {
        //  Said now: a failure exits without xt_fed_destroy.
        xt_tmpdir_forget (self->root);
        fprintf (stderr, "%s: keeping %s\n", program_invocation_short_name,
                 self->root);
    }
    snprintf (self->trust, sizeof self->trust, "%s/trust.zpl", self->root);
    snprintf (self->salt, sizeof self->salt, "%s/salt.hex", self->root);
    xc_random (self->salt_bytes, sizeof self->salt_bytes);
    char salthex[2 * sizeof self->salt_bytes + 1];
    xc_hex (self->salt_bytes, sizeof self->salt_bytes, salthex);
    xt_writef (self->salt, "%s\n", salthex);

    FILE *trust = fopen (self->trust, "w");
    if (!trust)
        xt_fail ("cannot write %s: %s", self->trust, strerror (errno));
    fprintf (trust, "trust\n    version = 1\n");
    for (size_t i = 0; i < o->count; i++) {
        xt_node_t *n = &self->nodes[i];
        if (strlen (o->codes[i]) != 6)
            xt_fail ("node code '%s': not 6 digits", o->codes[i]);
        snprintf (n->code, sizeof n->code, "%s", o->codes[i]);
        snprintf (n->dir, sizeof n->dir, "%s/%s", self->root, n->code);
        snprintf (n->config, sizeof n->config, "%s/node.zpl", n->dir);
        snprintf (n->socket, sizeof n->socket, "ipc://%s/client.sock",
                  n->dir);
        snprintf (n->log, sizeof n->log, "%s/xiechad.log", n->dir);
        //  sun_path holds 107 bytes and a NUL.
        if (strlen (n->socket) - strlen ("ipc://") > 107)
            xt_fail ("%s: too long for a unix socket; set TMPDIR shorter",
                     n->socket);
        int port = xt_port_reserve (&n->port_fd);
        snprintf (n->endpoint, sizeof n->endpoint, "tcp://127.0.0.1:%d",
                  port);
        s_node_keys (n->dir, n->code, n->endpoint, trust, NULL, NULL);
        self->count = i + 1;
    }
    if (o->rogue) {
        char dir[PATH_MAX + 8];
        snprintf (dir, sizeof dir, "%s/rogue", self->root);
        int port = xt_port_reserve (&self->rogue_port_fd);
        snprintf (self->rogue_endpoint, sizeof self->rogue_endpoint,
                  "tcp://127.0.0.1:%d", port);
        s_node_keys (dir, XT_ROGUE, self->rogue_endpoint, trust,
                     &self->rogue_key, &self->rogue_curve);
        uint8_t pub[XC_PUBKEY_LEN];
        xc_key_public (self->rogue_key, pub);
        xc_key_id (pub, self->rogue_key_id);
    }
    if (fclose (trust) != 0)
        xt_fail ("cannot write %s: %s", self->trust, strerror (errno));
    for (size_t i = 0; i < self->count; i++)
        s_node_config (self, &self->nodes[i], o);
    return self;
}

void
xt_fed_destroy (xt_fed_t **self_p)
{
    xt_fed_t *self = *self_p;
    if (!self)
        return;
    *self_p = NULL;
    //  A clean stop is a clean exit: the first node that is not fails
    //  the caller, but only once everything is cleaned up.
    char unclean[4096 + 64] = "";
    for (size_t i = 0; i < self->count; i++) {
        if (xt_fed_term (self, i) != 0 && !unclean[0]) {
            char tail[4096];
            s_tail (self->nodes[i].log, 20, tail, sizeof tail);
            snprintf (unclean, sizeof unclean,
                      "node %s did not stop cleanly; its log ends:\n%s",
                      self->nodes[i].code, tail);
        }
        if (self->nodes[i].port_fd >= 0)
            close (self->nodes[i].port_fd);
    }
    xc_key_destroy (&self->rogue_key);
    zcert_destroy (&self->rogue_curve);
    if (self->rogue_port_fd >= 0)
        close (self->rogue_port_fd);
    if (!self->keep && xt_tmpdir_remove (self->root) != 0 && !unclean[0])
        snprintf (unclean, sizeof unclean, "could not remove %s: %s",
                  self->root, strerror (errno));
    free (self);
    if (unclean[0])
        xt_fail ("%s", unclean);
}

/* ---- daemons ------------------------------------------------------------ */

static xt_node_t *
s_node (xt_fed_t *self, size_t i)
{
    if (i >= self->count)
        xt_fail ("node %zu: the federation has %zu", i, self->count);
    return &self->nodes[i];
}

static void
s_need_xiechad (const xt_fed_t *self)
{
    if (!self->xiechad[0] || access (self->xiechad, X_OK) != 0)
        xt_fail ("xiechad not found ('%s'): set XIECHAD", self->xiechad);
}

int
xt_fed_xiechad (xt_fed_t *self, size_t i, const char *const *args,
                char *out, size_t out_len)
{
    xt_node_t *n = s_node (self, i);
    s_need_xiechad (self);
    char *argv[16];
    size_t k = 0;
    argv[k++] = self->xiechad;
    for (; args[k - 1]; k++) {
        if (k >= 12)
            xt_fail ("xiechad: more than 11 arguments");
        argv[k] = (char *) args[k - 1];
    }
    argv[k++] = "--config";
    argv[k++] = n->config;
    argv[k] = NULL;
    //  Both streams into one file, read back once the process is gone.
    char path[PATH_MAX + 16];
    snprintf (path, sizeof path, "%s/xiechad-run.out", n->dir);
    int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        xt_fail ("cannot write %s: %s", path, strerror (errno));
    pid_t pid = xt_spawn (argv, fd, path);
    close (fd);
    int status = 0;
    //  A refusal ends at once; a daemon that starts instead never does.
    if (!xt_child_wait (pid, S_WAIT_MS, &status)) {
        xt_child_stop (pid, SIGKILL, 0);
        xt_fail ("node %s: xiechad %s did not exit within %d s", n->code,
                 args[0] ? args[0] : "(a start)", S_WAIT_MS / 1000);
    }
    FILE *f = fopen (path, "r");
    size_t got = f && out && out_len ? fread (out, 1, out_len - 1, f) : 0;
    if (out && out_len)
        out[got] = '\0';
    if (f)
        fclose (f);
    unlink (path);
    return status;
}

void
xt_fed_init (xt_fed_t *self, size_t i)
{
    xt_node_t *n = s_node (self, i);
    char data[PATH_MAX + 16], out[4096];
    snprintf (data, sizeof data, "%s/data/data.mdb", n->dir);
    if (n->started || access (data, F_OK) == 0)
        return;
    const char *args[] = {"--init", NULL};
    int status = xt_fed_xiechad (self, i, args, out, sizeof out);
    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        xt_fail ("node %s: xiechad --init failed:\n%s", n->code, out);
}

void
xt_fed_spawn (xt_fed_t *self, size_t i)
{
    xt_node_t *n = s_node (self, i);
    if (xt_fed_alive (self, i))
        xt_fail ("node %s is already running", n->code);
    s_need_xiechad (self);
    xt_fed_init (self, i);
    n->started = true;
    char *argv[] = {self->xiechad, "--config", n->config,
                    (char *) n->spawn_args[0], (char *) n->spawn_args[1],
                    NULL};
    memset (n->spawn_args, 0, sizeof n->spawn_args);
    n->pid = xt_spawn (argv, -1, n->log);
}

/*  Node i's first snapshot: nobody paid in any program, as of its today. */
static void
s_first_snapshot (xt_fed_t *self, xt_node_t *n)
{
    static const int all[] = {XIECHA__PROGRAM__DIBAO, XIECHA__PROGRAM__TEKUN,
                              XIECHA__PROGRAM__LOW_INCOME,
                              XIECHA__PROGRAM__DIBAO_EDGE,
                              XIECHA__PROGRAM__TEMP};
    char why[512] = "";
    xc_client_t *c = xc_client_new (n->socket, 60000, why, sizeof why);
    xc_import_t *imp = c ? xc_import_new (c) : NULL;
    int rc = imp ? xc_import_snapshot (imp, 0, all, 5, why, sizeof why)
                 : XC_ENOMEM;
    if (rc == 0)
        rc = xc_import_commit (imp, NULL, NULL, NULL, why, sizeof why);
    xc_import_destroy (&imp);
    xc_client_destroy (&c);
    if (rc)
        xt_fail ("node %s: first snapshot: %s", n->code, why);
    n->rostered = true;
}

void
xt_fed_wait (xt_fed_t *self, size_t i)
{
    xt_node_t *n = s_node (self, i);
    const char *path = n->socket + strlen ("ipc://");
    struct timespec nap = {0, 10 * 1000 * 1000};
    char tail[4096];
    for (int waited = 0; waited < S_WAIT_MS; waited += 10) {
        if (!xt_fed_alive (self, i)) {
            s_tail (n->log, 20, tail, sizeof tail);
            xt_fail ("node %s exited at start; its log ends:\n%s", n->code,
                     tail);
        }
        //  The socket file comes first; a stale one from a killed run
        //  makes the status call time out, and we try again.
        if (access (path, F_OK) == 0) {
            xc_client_t *c = xc_client_new (n->socket, 1000, NULL, 0);
            Xiecha__StatusReply *st = NULL;
            int rc = c ? xc_client_status (c, &st, NULL, 0) : -1;
            if (st)
                xiecha__status_reply__free_unpacked (st, NULL);
            xc_client_destroy (&c);
            if (rc == 0 && !n->rostered && !self->no_rosters)
                s_first_snapshot (self, n);
            if (rc == 0)
                return;
        }
        nanosleep (&nap, NULL);
    }
    s_tail (n->log, 20, tail, sizeof tail);
    xt_fail ("node %s did not answer status within %d s; its log ends:\n%s",
             n->code, S_WAIT_MS / 1000, tail);
}

void
xt_fed_start (xt_fed_t *self, size_t i)
{
    xt_fed_spawn (self, i);
    xt_fed_wait (self, i);
}

static void
s_say_how (const xt_node_t *n, int status)
{
    fprintf (stderr, "%s: node %s exited (%s %d)\n",
             program_invocation_short_name, n->code,
             WIFEXITED (status) ? "status" : "signal",
             WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status));
}

bool
xt_fed_alive (xt_fed_t *self, size_t i)
{
    xt_node_t *n = s_node (self, i);
    int status;
    if (n->pid > 0 && xt_child_wait (n->pid, 0, &status)) {
        n->pid = 0;
        n->status = status;
        s_say_how (n, status);
    }
    return n->pid > 0;
}

int
xt_fed_wait_exit (xt_fed_t *self, size_t i, int timeout_ms)
{
    xt_node_t *n = s_node (self, i);
    int status = 0;
    if (!n->pid)
        xt_fail ("node %s: not running", n->code);
    if (!xt_child_wait (n->pid, timeout_ms, &status))
        xt_fail ("node %s still runs after %d ms", n->code, timeout_ms);
    n->pid = 0;
    if (!WIFEXITED (status))
        xt_fail ("node %s killed by signal %d", n->code, WTERMSIG (status));
    return WEXITSTATUS (status);
}

int
xt_fed_xiechad_config (xt_fed_t *self, const char *config,
                       const char *const *args, char *out, size_t out_len)
{
    char path[PATH_MAX + 16];
    snprintf (path, sizeof path, "%s/xiechad-once.out", self->root);
    char *argv[32];
    size_t n = 0;
    argv[n++] = self->xiechad;
    argv[n++] = "--config";
    argv[n++] = (char *) config;
    for (size_t k = 0; args && args[k] && n < 31; k++)
        argv[n++] = (char *) args[k];
    argv[n] = NULL;
    //  Both streams append, so neither writes over the other.
    int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
                   0600);
    if (fd < 0)
        xt_fail ("cannot write %s: %s", path, strerror (errno));
    pid_t pid = xt_spawn (argv, fd, path);
    close (fd);
    int status = 0;
    if (!xt_child_wait (pid, 60000, &status))
        status = xt_child_stop (pid, SIGKILL, 0);
    if (out && out_len) {
        out[0] = '\0';
        FILE *f = fopen (path, "r");
        size_t got = f ? fread (out, 1, out_len - 1, f) : 0;
        out[got] = '\0';
        if (f)
            fclose (f);
    }
    unlink (path);
    return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

void
xt_fed_stop (xt_fed_t *self, size_t i, int hard)
{
    xt_node_t *n = s_node (self, i);
    if (!n->pid)
        return;
    pid_t pid = n->pid;
    n->pid = 0;
    int status = xt_child_stop (pid, hard ? SIGKILL : SIGTERM,
                                S_STOP_GRACE_MS);
    if (!hard && !(WIFEXITED (status) && WEXITSTATUS (status) == 0)) {
        char tail[4096];
        s_tail (n->log, 20, tail, sizeof tail);
        xt_fail ("node %s did not stop cleanly (%s %d); its log ends:\n%s",
                 n->code, WIFEXITED (status) ? "status" : "signal",
                 WIFEXITED (status) ? WEXITSTATUS (status)
                                    : WTERMSIG (status), tail);
    }
}

int
xt_fed_term (xt_fed_t *self, size_t i)
{
    xt_node_t *n = s_node (self, i);
    if (!n->pid)
        return 0;
    pid_t pid = n->pid;
    n->pid = 0;
    int status = xt_child_stop (pid, SIGTERM, S_STOP_GRACE_MS);
    if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
        return 0;
    s_say_how (n, status);
    return -1;
}

/* ---- logs and configs --------------------------------------------------- */

int
xt_fed_log_count (xt_fed_t *self, size_t i, const char *needle)
{
    FILE *f = fopen (s_node (self, i)->log, "r");
    if (!f)
        return 0;
    char line[2048];
    int n = 0;
    while (fgets (line, sizeof line, f))
        n += strstr (line, needle) != NULL;
    fclose (f);
    return n;
}

void
xt_fed_log_tail (xt_fed_t *self, size_t i, int lines)
{
    xt_node_t *n = s_node (self, i);
    char tail[16384];
    s_tail (n->log, lines, tail, sizeof tail);
    fprintf (stderr, "---- last lines of %s ----\n%s", n->log, tail);
}

void
xt_fed_log_scan (xt_fed_t *self, size_t i, size_t *errors, size_t *warnings)
{
    xt_node_t *n = s_node (self, i);
    FILE *f = fopen (n->log, "r");
    char line[1024];
    while (f && fgets (line, sizeof line, f)) {
        bool err = strstr (line, " level=error ") != NULL;
        bool warn = strstr (line, " level=warn ") != NULL;
        if ((err || warn) && *errors + *warnings < 10)
            fprintf (stderr, "%s: %s log: %s", program_invocation_short_name,
                     n->code, line);
        *errors += err;
        *warnings += warn;
    }
    if (f)
        fclose (f);
}

void
xt_fed_config_append (xt_fed_t *self, size_t i, const char *text)
{
    xt_node_t *n = s_node (self, i);
    FILE *f = fopen (n->config, "a");
    if (!f || fputs (text, f) < 0 || fclose (f) != 0)
        xt_fail ("cannot append to %s: %s", n->config, strerror (errno));
}

void
xt_fed_config_node (xt_fed_t *self, size_t i, const char *text)
{
    xt_node_t *n = s_node (self, i);
    char was[16384], now[16384 + 1024];
    FILE *f = fopen (n->config, "r");
    size_t len = f ? fread (was, 1, sizeof was - 1, f) : 0;
    if (f)
        fclose (f);
    was[len] = '\0';
    //  s_node_config writes the section first, header on the first line.
    if (strncmp (was, "node\n", 5) != 0 || len + strlen (text) >= sizeof now)
        xt_fail ("%s: no node section first, or too long", n->config);
    snprintf (now, sizeof now, "node\n%s%s", text, was + 5);
    xt_writef (n->config, "%s", now);
}

void
xt_fed_policy (xt_fed_t *self, size_t i, const char *preset)
{
    const char *src = getenv ("XIECHA_SRC");
    if (!src || !*src)
        xt_fail ("XIECHA_SRC is not set: no policy presets to read");
    char text[PATH_MAX + 64];
    snprintf (text, sizeof text, "policy\n    file = \"%s/config/policy/%s\"\n",
              src, preset);
    xt_fed_config_append (self, i, text);
}

const char *
xt_fed_write (xt_fed_t *self, const char *name, const char *text)
{
    static char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/%s", self->root, name);
    xt_writef (path, "%s", text);
    return path;
}

/* ---- clients ------------------------------------------------------------ */

int
xt_fed_cli (xt_fed_t *self, int i, char *out, size_t out_len,
            const char *const *args)
{
    const char *cli = getenv ("XIECHA");
    if (!cli || !*cli)
        cli = xt_find_program ("client/cli/xiecha");
    if (!cli)
        xt_fail ("xiecha not found: set XIECHA");
    char *argv[64];
    size_t n = 0;
    argv[n++] = (char *) cli;
    for (; args[n - 1]; n++) {
        if (n >= 60)
            xt_fail ("xiecha: more than 58 arguments");
        argv[n] = (char *) args[n - 1];
    }
    if (i >= 0) {
        argv[n++] = "-c";
        argv[n++] = s_node (self, (size_t) i)->config;
    }
    argv[n] = NULL;
    int pipefd[2];
    if (pipe2 (pipefd, O_CLOEXEC) != 0)
        xt_fail ("pipe: %s", strerror (errno));
    pid_t pid = xt_spawn (argv, pipefd[1], NULL);
    close (pipefd[1]);
    size_t used = 0;
    char sink[4096];
    for (;;) {
        bool room = out && used + 1 < out_len;
        char *dst = room ? out + used : sink;
        size_t len = room ? out_len - used - 1 : sizeof sink;
        ssize_t got = read (pipefd[0], dst, len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        if (room)
            used += (size_t) got;
    }
    if (out && out_len)
        out[used] = '\0';
    close (pipefd[0]);
    int status = 0;
    xt_child_wait (pid, -1, &status);
    return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

/*  Whether the list verifies under the root and is valid now. */
static bool
s_anchor_holds (const xt_fed_t *self)
{
    uint8_t pub[XC_PUBKEY_LEN];
    char why[512];
    if (xc_unhex (self->root_hex, pub, sizeof pub) != 0)
        return false;
    xc_trust_t *t = xc_trust_load_signed (self->trust, pub, 0, why,
                                          sizeof why);
    bool ok = t && xc_trust_check_period (t, self->trust, xc_now_ms (), why,
                                          sizeof why) == 0;
    xc_trust_destroy (&t);
    return ok;
}

const char *
xt_fed_anchor (xt_fed_t *self)
{
    char out[512] = "";
    if (!self->root_hex[0]) {
        snprintf (self->root_key, sizeof self->root_key, "%s/root.key",
                  self->root);
        const char *gen[] = {"trust", "root-keygen", "--out", self->root_key,
                             NULL};
        if (xt_fed_cli (self, -1, out, sizeof out, gen) != 0
            || strlen (out) != 2 * XC_PUBKEY_LEN + 1)
            xt_fail ("trust root-keygen: %s", out);
        memcpy (self->root_hex, out, 2 * XC_PUBKEY_LEN);
        self->root_hex[2 * XC_PUBKEY_LEN] = '\0';
    }
    if (s_anchor_holds (self))
        return self->root_hex;
    const char *sign[] = {"trust", "sign", self->trust, "--key",
                          self->root_key, "--bump", "--valid-days", "30",
                          NULL};
    if (xt_fed_cli (self, -1, out, sizeof out, sign) != 0)
        xt_fail ("trust sign %s: %s", self->trust, out);
    return self->root_hex;
}

void
xt_fed_audit_check (xt_fed_t *self, size_t i)
{
    static unsigned serial;
    char path[PATH_MAX + 64], out[16384];
    snprintf (path, sizeof path, "%s/audit-%s-%u.bin", self->root,
              s_node (self, i)->code, serial++);
    const char *exp[] = {"audit", "export", "--out", path, NULL};
    const char *ver[] = {"audit", "verify", path, "--trust", self->trust,
                         "--root", xt_fed_anchor (self), NULL};
    const char *rep[] = {"audit", "replay", NULL};
    const char *const *steps[] = {exp, ver, rep};
    for (size_t k = 0; k < 3; k++) {
        int rc = xt_fed_cli (self, k == 1 ? -1 : (int) i, out, sizeof out,
                             steps[k]);
        if (rc != 0)
            xt_fail ("node %s: audit %s exited %d:\n%s",
                     s_node (self, i)->code, steps[k][1], rc, out);
    }
    unlink (path);
}

void
xt_fed_answer (xt_fed_t *self, size_t i, const char *home, const char *id,
               int program, xc_answer_t *a)
{
    const int programs[] = {program};
    xc_query_t q = {.home_county = home,
                    .applicant = {id, "Applicant"},
                    .programs = programs,
                    .program_count = 1};
    xc_client_t *c = xt_fed_client (self, i);
    memset (a, 0, sizeof *a);
    char why[512];
    int rc = xc_client_query (c, &q, a, why, sizeof why);
    xc_client_destroy (&c);
    if (rc)
        xt_fail ("query of %s about %s: %s", home, id, why);
}

int
xt_fed_status_of (xt_fed_t *self, size_t i, const char *home,
                  const char *id, int program, char payer[7],
                  size_t *enrollments)
{
    xc_answer_t a;
    xt_fed_answer (self, i, home, id, program, &a);
    const Xiecha__SubjectResult *r = a.cert->results[0];
    int status = r->status;
    if (payer)
        snprintf (payer, 7, "%s", r->n_enrollments ? r->enrollments[0]->node
                                                   : "");
    if (enrollments)
        *enrollments = r->n_enrollments;
    xc_answer_free (&a);
    return status;
}

xc_client_t *
xt_fed_client_ms (xt_fed_t *self, size_t i, int timeout_ms)
{
    xt_node_t *n = s_node (self, i);
    char why[256] = "";
    xc_client_t *c = xc_client_new (n->socket, timeout_ms, why, sizeof why);
    if (!c)
        xt_fail ("client of %s: %s", n->code, why);
    return c;
}

xc_client_t *
xt_fed_client (xt_fed_t *self, size_t i)
{
    return xt_fed_client_ms (self, i, 10000);
}

uint64_t
xt_fed_audit_entries (xt_fed_t *self, size_t i)
{
    xc_client_t *c = xt_fed_client (self, i);
    Xiecha__StatusReply *st = NULL;
    char why[256] = "";
    if (xc_client_status (c, &st, why, sizeof why) != 0)
        xt_fail ("status of %s: %s", self->nodes[i].code, why);
    uint64_t n = st->audit_entries;
    xiecha__status_reply__free_unpacked (st, NULL);
    xc_client_destroy (&c);
    return n;
}

size_t
xt_fed_outbox_pending (xt_fed_t *self, size_t i)
{
    xc_client_t *c = xt_fed_client (self, i);
    Xiecha__OutboxReply *o = NULL;
    char why[256] = "";
    int rc = xc_client_outbox (c, &o, why, sizeof why);
    xc_client_destroy (&c);
    if (rc)
        xt_fail ("outbox of %s: %s", self->nodes[i].code, why);
    size_t n = 0;
    for (size_t k = 0; k < o->n_items; k++)
        n += strcmp (o->items[k]->state, "PENDING") == 0;
    xiecha__outbox_reply__free_unpacked (o, NULL);
    return n;
}

Xiecha__StatusReply *
xt_fed_status (xt_fed_t *self, size_t i)
{
    xc_client_t *c = xt_fed_client (self, i);
    Xiecha__StatusReply *st = NULL;
    char why[512];
    int rc = xc_client_status (c, &st, why, sizeof why);
    xc_client_destroy (&c);
    if (rc)
        xt_fail ("node %s: status: %s", self->nodes[i].code, why);
    return st;
}

void
xt_fed_ref (xt_fed_t *self, const char *id, uint8_t ref[XC_REF_LEN])
{
    char norm[XC_ID_LEN + 1], why[256] = "";
    if (xc_id_normalize (id, "id", norm, why, sizeof why) != 0)
        xt_fail ("%s", why);
    xc_subject_ref (self->salt_bytes, sizeof self->salt_bytes, norm, ref);
}

/* ---- the rogue peer ----------------------------------------------------- */

static void
s_need_rogue (const xt_fed_t *self)
{
    if (!self->rogue_key)
        xt_fail ("this federation has no rogue node (xt_fed_opts_t.rogue)");
}

zsock_t *
xt_fed_peer (xt_fed_t *self, size_t i, int stranger)
{
    xt_node_t *n = s_node (self, i);
    if (!stranger)
        s_need_rogue (self);
    zsock_t *d = zsock_new (ZMQ_DEALER);
    zcert_t *mine = stranger ? zcert_new () : self->rogue_curve;
    if (!d || !mine)
        xt_fail ("cannot make a peer socket");
    zcert_apply (mine, d);
    if (stranger)
        zcert_destroy (&mine);
    //  The node's public CURVE key is in its curve.cert file.
    char path[PATH_MAX + 16];
    snprintf (path, sizeof path, "%s/curve.cert", n->dir);
    zcert_t *theirs = zcert_load (path);
    if (!theirs)
        xt_fail ("cannot load %s", path);
    zsock_set_curve_serverkey (d, zcert_public_txt (theirs));
    zcert_destroy (&theirs);
    zsock_set_linger (d, 0);
    if (zsock_connect (d, "%s", n->endpoint) != 0)
        xt_fail ("cannot connect to %s", n->endpoint);
    return d;
}

void
xt_fed_rogue_query (xt_fed_t *self, const char *to, const uint8_t *refs,
                    size_t nrefs, uint64_t created_at, const uint8_t *msg_id,
                    uint8_t **out, size_t *out_len)
{
    s_need_rogue (self);
    //  No limit of ours: a test asks for more than a node allows, too.
    ProtobufCBinaryData *subjects = calloc (nrefs ? nrefs : 1,
                                            sizeof *subjects);
    if (!subjects)
        xt_fail ("rogue query: out of memory");
    for (size_t i = 0; i < nrefs; i++)
        subjects[i] = (ProtobufCBinaryData) {XC_REF_LEN,
                                             (uint8_t *) refs + i * XC_REF_LEN};
    Xiecha__Program programs[] = {XIECHA__PROGRAM__DIBAO};
    Xiecha__Query q = XIECHA__QUERY__INIT;
    q.n_subjects = nrefs;
    q.subjects = subjects;
    q.n_programs = 1;
    q.programs = programs;
    q.relation = xc_relation_of (XT_ROGUE, to);
    Xiecha__Header h = XIECHA__HEADER__INIT;
    uint8_t id[XC_MSGID_LEN];
    xc_header_init (&h, id, XIECHA__MSG_TYPE__MSG_QUERY, XT_ROGUE, to,
                    created_at ? created_at : xc_now_ms ());
    q.deadline = h.created_at + 10000;   /* as a node would give up */
    if (msg_id)
        memcpy (id, msg_id, XC_MSGID_LEN);
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.header = &h;
    msg.body_case = XIECHA__SIGNED__BODY_QUERY;
    msg.query = &q;
    int rc = xc_envelope_seal (&msg, self->rogue_key, self->rogue_key_id,
                               out, out_len);
    free (subjects);
    if (rc != 0)
        xt_fail ("rogue query: %s", xc_strerror (rc));
}

zsock_t *
xt_fed_rogue_server (xt_fed_t *self)
{
    s_need_rogue (self);
    zsock_t *r = zsock_new (ZMQ_ROUTER);
    if (!r)
        xt_fail ("rogue server: cannot create a socket");
    zcert_apply (self->rogue_curve, r);
    zsock_set_curve_server (r, 1);
    zsock_set_linger (r, 0);
    //  The rogue server of a test just before may still hold the port:
    //  libzmq closes a destroyed socket's listener in its I/O thread,
    //  after zsock_destroy returned.
    int rc = -1;
    for (int t = 0; t < 100 && (rc = zsock_bind (r, "%s",
                                                 self->rogue_endpoint)) < 0;
         t++)
        zclock_sleep (20);
    if (rc < 0)
        xt_fail ("rogue server: cannot bind %s", self->rogue_endpoint);
    return r;
}

zframe_t *
xt_rogue_recv (zsock_t *rogue, int ms, xc_opened_t *op)
{
    zpoller_t *p = zpoller_new (rogue, NULL);
    zmsg_t *m = p && zpoller_wait (p, ms) ? zmsg_recv (rogue) : NULL;
    zpoller_destroy (&p);
    if (!m)
        return NULL;
    zframe_t *route = zmsg_pop (m);
    zframe_t *env = zmsg_pop (m);
    zmsg_destroy (&m);
    char why[256];
    if (!env || xc_envelope_open (zframe_data (env), zframe_size (env), op,
                                  why, sizeof why) != 0)
        xt_fail ("rogue: what the node sent does not open: %s",
                 env ? why : "no envelope frame");
    zframe_destroy (&env);
    return route;
}

void
xt_rogue_send (zsock_t *rogue, const zframe_t *route, zframe_t **body)
{
    zframe_t *to = zframe_dup ((zframe_t *) route);
    zframe_send (&to, rogue, ZFRAME_MORE);
    zframe_send (body, rogue, 0);
}

zframe_t *
xt_fed_rogue_seal (xt_fed_t *self, Xiecha__Signed *msg, Xiecha__MsgType type,
                   const char *to, const ProtobufCBinaryData *irt,
                   uint64_t created_at, xc_key_t *key, const char *key_id)
{
    s_need_rogue (self);
    Xiecha__Header h = XIECHA__HEADER__INIT;
    uint8_t id[XC_MSGID_LEN];
    xc_header_init (&h, id, type, XT_ROGUE, to,
                    created_at ? created_at : xc_now_ms ());
    if (irt)
        h.in_reply_to = *irt;
    msg->header = &h;
    uint8_t *bytes = NULL;
    size_t len = 0;
    int rc = xc_envelope_seal (msg, key ? key : self->rogue_key,
                               key ? key_id : self->rogue_key_id, &bytes,
                               &len);
    msg->header = NULL;
    if (rc)
        xt_fail ("rogue seal: %s", xc_strerror (rc));
    zframe_t *f = zframe_new (bytes, len);
    free (bytes);
    return f;
}

zframe_t *
xt_fed_rogue_certificate (xt_fed_t *self, const xc_opened_t *query,
                          uint64_t created_at)
{
    const Xiecha__Header *qh = query->msg->header;
    const Xiecha__Query *q = query->msg->query;
    if (!q || q->n_subjects > 8)
        xt_fail ("rogue certificate: not a query of at most 8 subjects");
    Xiecha__SubjectResult res[8], *results[8];
    for (size_t i = 0; i < q->n_subjects; i++) {
        xiecha__subject_result__init (&res[i]);
        res[i].subject = q->subjects[i];
        res[i].status = XIECHA__STATUS__NOT_RECEIVING;
        results[i] = &res[i];
    }
    Xiecha__Certificate c = XIECHA__CERTIFICATE__INIT;
    c.query_id = qh->msg_id;
    c.query_digest = (ProtobufCBinaryData) {XC_HASH_LEN,
                                            (uint8_t *) query->digest};
    c.requester = qh->sender;
    c.n_results = q->n_subjects;
    c.results = results;
    c.n_programs = q->n_programs;
    c.programs = q->programs;
    c.issued_at = created_at ? created_at : xc_now_ms ();
    c.valid_until = c.issued_at + 3600 * 1000;
    c.relation = q->relation;
    /* a roster of the day of issue behind each program, as a sound
       certificate has (xc_cert_check) */
    Xiecha__RosterDate dates[8], *rosters[8];
    for (size_t i = 0; i < q->n_programs && i < 8; i++) {
        xiecha__roster_date__init (&dates[i]);
        dates[i].program = q->programs[i];
        dates[i].as_of = xc_date_from_ms (c.issued_at);
        rosters[i] = &dates[i];
    }
    c.n_rosters = q->n_programs < 8 ? q->n_programs : 8;
    c.rosters = rosters;
    Xiecha__Signed cs = XIECHA__SIGNED__INIT;
    cs.body_case = XIECHA__SIGNED__BODY_CERTIFICATE;
    cs.certificate = &c;
    return xt_fed_rogue_seal (self, &cs, XIECHA__MSG_TYPE__MSG_CERTIFICATE,
                              qh->sender, &qh->msg_id, created_at, NULL,
                              NULL);
}

zframe_t *
xt_exchange (zsock_t *peer, const uint8_t *bytes, size_t len, int ms)
{
    zsock_send (peer, "b", bytes, len);
    zpoller_t *p = zpoller_new (peer, NULL);
    zframe_t *f = zpoller_wait (p, ms) ? zframe_recv (peer) : NULL;
    zpoller_destroy (&p);
    return f;
}

/* ---- keys --------------------------------------------------------------- */

void
xt_key_id_of (const char *path, char id[XC_KEY_ID_LEN + 1])
{
    char why[256];
    xc_key_t *k = xc_key_load (path, why, sizeof why);
    if (!k)
        xt_fail ("%s", why);
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (k, pub);
    xc_key_id (pub, id);
    xc_key_destroy (&k);
}

const char *
xt_default_xiechad (void)
{
    const char *env = getenv ("XIECHAD");
    if (env && *env)
        return env;
    return xt_find_program ("daemon/xiechad");
}
