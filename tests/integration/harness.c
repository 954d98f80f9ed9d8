/*  harness.c - real daemons in a temporary directory. */
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

extern char **environ;

static void
s_writef (const char *path, const char *fmt, ...)
{
    FILE *f = fopen (path, "w");
    assert_non_null (f);
    va_list ap;
    va_start (ap, fmt);
    vfprintf (f, fmt, ap);
    va_end (ap);
    assert_int_equal (fclose (f), 0);
}

/*  Keys for one node; appends its trust-list section to trust. */
static void
s_node_keys (const char *dir, const char *code, const char *endpoint,
             FILE *trust, xc_key_t **key_out, zcert_t **curve_out)
{
    char path[PATH_MAX];
    mkdir (dir, 0700);
    xc_key_t *key = xc_key_generate ();
    assert_non_null (key);
    snprintf (path, sizeof path, "%s/sign.key", dir);
    assert_int_equal (xc_key_save (key, path), 0);
    zcert_t *curve = zcert_new ();
    snprintf (path, sizeof path, "%s/curve.cert", dir);
    assert_int_equal (zcert_save (curve, path), 0);

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

xt_fed_t *
xt_fed_new (const char *const *codes, size_t count, int deadline_ms)
{
    xt_fed_t *self = calloc (1, sizeof *self);
    assert_non_null (self);
    assert_true (count < XT_MAX_NODES);
    snprintf (self->root, sizeof self->root, "/tmp/xt-XXXXXX");
    assert_non_null (mkdtemp (self->root));
    snprintf (self->trust, sizeof self->trust, "%s/trust.zpl", self->root);
    snprintf (self->salt, sizeof self->salt, "%s/salt.hex", self->root);

    xc_random (self->salt_bytes, sizeof self->salt_bytes);
    char salthex[65];
    xc_hex (self->salt_bytes, sizeof self->salt_bytes, salthex);
    s_writef (self->salt, "%s\n", salthex);

    FILE *trust = fopen (self->trust, "w");
    assert_non_null (trust);
    fprintf (trust, "trust\n    version = 1\n");
    /* Ports from the pid so parallel runs on one machine do not collide. */
    int base = 20000 + (int) (getpid () % 2000) * 10;
    for (size_t i = 0; i < count; i++) {
        xt_node_t *n = &self->nodes[i];
        snprintf (n->code, sizeof n->code, "%s", codes[i]);
        snprintf (n->dir, sizeof n->dir, "%s/%s", self->root, n->code);
        snprintf (n->config, sizeof n->config, "%s/node.zpl", n->dir);
        snprintf (n->endpoint, sizeof n->endpoint, "tcp://127.0.0.1:%d",
                  base + (int) i);
        snprintf (n->socket, sizeof n->socket, "ipc://%s/client.sock", n->dir);
        snprintf (n->log, sizeof n->log, "%s/xiechad.log", n->dir);
        s_node_keys (n->dir, n->code, n->endpoint, trust, NULL, NULL);
        s_writef (n->config,
                  "node\n    code = \"%s\"\n    name = \"Node %s\"\n"
                  "    data_dir = \"data\"\n    peer_bind = \"%s\"\n"
                  "    client_bind = \"ipc://client.sock\"\n"
                  "keys\n    signing = \"sign.key\"\n    curve = \"curve.cert\"\n"
                  "trust\n    list = \"%s\"\n    salt = \"%s\"\n"
                  "limits\n    query_deadline_ms = %d\n",
                  n->code, n->code, n->endpoint, self->trust, self->salt,
                  deadline_ms);
    }
    char rogue[PATH_MAX];
    snprintf (rogue, sizeof rogue, "%s/rogue", self->root);
    s_node_keys (rogue, XT_ROGUE, "tcp://127.0.0.1:1", trust,
                 &self->rogue_key, &self->rogue_curve);
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (self->rogue_key, pub);
    xc_key_id (pub, self->rogue_key_id);
    assert_int_equal (fclose (trust), 0);
    self->count = count;
    return self;
}

int
xt_alive (xt_fed_t *self, size_t i)
{
    xt_node_t *n = &self->nodes[i];
    if (!n->pid)
        return 0;
    int status;
    if (waitpid (n->pid, &status, WNOHANG) == n->pid) {
        n->pid = 0;
        return 0;
    }
    return 1;
}

void
xt_start (xt_fed_t *self, size_t i)
{
    xt_node_t *n = &self->nodes[i];
    const char *daemon = getenv ("XIECHAD");
    assert_non_null (daemon);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init (&fa);
    posix_spawn_file_actions_addopen (&fa, 2, n->log,
                                      O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_addopen (&fa, 1, "/dev/null", O_WRONLY, 0);
    char *argv[] = {(char *) daemon, "--config", n->config, NULL};
    assert_int_equal (posix_spawn (&n->pid, daemon, &fa, NULL, argv, environ),
                      0);
    posix_spawn_file_actions_destroy (&fa);
    /* Ready when the client socket answers; give up after 10 s. */
    for (int tries = 0; tries < 100; tries++) {
        assert_true (xt_alive (self, i));
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
    fail_msg ("node %s did not come up; see %s", n->code, n->log);
}

void
xt_stop (xt_fed_t *self, size_t i, int hard)
{
    xt_node_t *n = &self->nodes[i];
    if (!n->pid)
        return;
    kill (n->pid, hard ? SIGKILL : SIGTERM);
    int status = 0;
    waitpid (n->pid, &status, 0);
    n->pid = 0;
    if (!hard)   /* a clean stop is a clean exit */
        assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
}

void
xt_fed_destroy (xt_fed_t **self_p)
{
    if (!*self_p)
        return;
    xt_fed_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++)
        xt_stop (self, i, 0);
    xc_key_destroy (&self->rogue_key);
    zcert_destroy (&self->rogue_curve);
    if (!getenv ("XT_KEEP")) {
        char cmd[PATH_MAX + 16];
        snprintf (cmd, sizeof cmd, "rm -rf '%s'", self->root);
        if (system (cmd) != 0)
            fprintf (stderr, "could not remove %s\n", self->root);
    }
    free (self);
    *self_p = NULL;
}

int
xt_cli (xt_fed_t *self, int i, char *out, size_t out_len,
        const char *const *args)
{
    const char *cli = getenv ("XIECHA");
    assert_non_null (cli);
    char *argv[64];
    size_t n = 0;
    argv[n++] = (char *) cli;
    for (; args[n - 1] && n < 60; n++)
        argv[n] = (char *) args[n - 1];
    if (i >= 0) {
        argv[n++] = "-c";
        argv[n++] = self->nodes[i].config;
    }
    argv[n] = NULL;
    int pipefd[2];
    assert_int_equal (pipe (pipefd), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init (&fa);
    posix_spawn_file_actions_adddup2 (&fa, pipefd[1], 1);
    posix_spawn_file_actions_addclose (&fa, pipefd[0]);
    pid_t pid;
    assert_int_equal (posix_spawn (&pid, cli, &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy (&fa);
    close (pipefd[1]);
    size_t used = 0;
    char sink[4096];
    for (;;) {
        char *dst = out && used + 1 < out_len ? out + used : sink;
        size_t room = out && used + 1 < out_len ? out_len - used - 1
                                                : sizeof sink;
        ssize_t got = read (pipefd[0], dst, room);
        if (got <= 0)
            break;
        if (dst != sink)
            used += (size_t) got;
    }
    if (out)
        out[used] = '\0';
    close (pipefd[0]);
    int status;
    waitpid (pid, &status, 0);
    return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

const char *
xt_write (xt_fed_t *self, const char *name, const char *text)
{
    static char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/%s", self->root, name);
    s_writef (path, "%s", text);
    return path;
}

xc_client_t *
xt_client (xt_fed_t *self, size_t i)
{
    char why[256];
    xc_client_t *c = xc_client_new (self->nodes[i].socket, 10000, why,
                                    sizeof why);
    if (!c)
        fail_msg ("client: %s", why);
    return c;
}

zsock_t *
xt_peer (xt_fed_t *self, size_t i, int stranger)
{
    zsock_t *d = zsock_new (ZMQ_DEALER);
    zcert_t *mine = stranger ? zcert_new () : self->rogue_curve;
    zcert_apply (mine, d);
    if (stranger)
        zcert_destroy (&mine);
    char server[41];
    snprintf (server, sizeof server, "%s", "");
    /* The node's public CURVE key is in its curve.cert file. */
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/curve.cert", self->nodes[i].dir);
    zcert_t *theirs = zcert_load (path);
    assert_non_null (theirs);
    zsock_set_curve_serverkey (d, zcert_public_txt (theirs));
    zcert_destroy (&theirs);
    zsock_set_linger (d, 0);
    assert_int_equal (zsock_connect (d, "%s", self->nodes[i].endpoint), 0);
    return d;
}

void
xt_rogue_query (xt_fed_t *self, const char *to, const uint8_t *refs,
                size_t nrefs, uint64_t created_at, const uint8_t *msg_id,
                uint8_t **out, size_t *out_len)
{
    ProtobufCBinaryData subjects[8];
    assert_true (nrefs <= 8);
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
    if (msg_id)
        memcpy (id, msg_id, XC_MSGID_LEN);
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.header = &h;
    msg.body_case = XIECHA__SIGNED__BODY_QUERY;
    msg.query = &q;
    assert_int_equal (xc_envelope_seal (&msg, self->rogue_key,
                                        self->rogue_key_id, out, out_len), 0);
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

void
xt_ref (xt_fed_t *self, const char *id, uint8_t ref[XC_REF_LEN])
{
    char norm[XC_ID_LEN + 1];
    assert_int_equal (xc_id_normalize (id, "id", norm, NULL, 0), 0);
    xc_subject_ref (self->salt_bytes, sizeof self->salt_bytes, norm, ref);
}

int
xt_log_count (xt_fed_t *self, size_t i, const char *needle)
{
    FILE *f = fopen (self->nodes[i].log, "r");
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
xt_config_append (xt_fed_t *self, size_t i, const char *text)
{
    FILE *f = fopen (self->nodes[i].config, "a");
    assert_non_null (f);
    fputs (text, f);
    assert_int_equal (fclose (f), 0);
}

const char *
xt_id (const char *first17)
{
    static char ids[8][19];
    static int next;
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8,
                              4, 2};
    char *id = ids[next++ % 8];
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * w[i];
    snprintf (id, 19, "%.17s%c", first17, "10X98765432"[sum % 11]);
    return id;
}

void
xt_assert_has (const char *text, const char *needle)
{
    if (!strstr (text, needle))
        fail_msg ("output does not contain '%s':\n%s", needle, text);
}

void
xt_key_id_of (const char *path, char id[XC_KEY_ID_LEN + 1])
{
    char why[256];
    xc_key_t *k = xc_key_load (path, why, sizeof why);
    if (!k)
        fail_msg ("%s", why);
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (k, pub);
    xc_key_id (pub, id);
    xc_key_destroy (&k);
}
