/*  config.c - the configuration schema.

    Knot-style: each key is one row of s_schema with its type, default and
    bounds, read by schema.c, so the rules live in one place and
    `xiechad --check` names the exact key that is wrong. */
#include <czmq.h>
#include <grp.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node/config.h"
#include "node/metrics.h"
#include "node/schema.h"
#include "xiecha/endpoint.h"
#include "xiecha/zone.h"
#include "xiecha/error.h"
#include "xiecha/id.h"
#include "xiecha/text.h"
#include "xiecha/wire.h"

/*  Text and integers are the schema's; codes, paths and endpoints are
    checked (and paths resolved) by s_set_own below. */
enum {
    T_TEXT = XC_SCHEMA_TEXT,
    T_INT = XC_SCHEMA_INT,
    T_CODE = XC_SCHEMA_OWN,
    T_PATH,
    T_ENDPOINT,
    T_ZONE,
    T_MODE
};

#define STR(f) offsetof (xc_config_t, f), sizeof (((xc_config_t *) 0)->f)
#define INT(f) offsetof (xc_config_t, f), 0

static const xc_schema_key_t s_schema[] = {
    {"node/code", T_CODE, STR (code), NULL, 0, 0,
     N_("this node's 6-digit division code (GB/T 2260)")},
    {"node/name", T_TEXT, STR (name), "", 0, 0, N_("display name")},
    /* Every county in China keeps Beijing time; the key is there for a
       test bed or a node run abroad, and so that "today" has one source. */
    {"node/timezone", T_ZONE, STR (timezone), XC_ZONE_DEFAULT, 0, 0,
     N_("IANA time zone of the county: today's date, check-in and due dates, "
        "roster dates and the months of reports are reckoned in it")},
    {"node/data_dir", T_PATH, STR (data_dir), NULL, 0, 0,
     N_("directory of the LMDB environment (made by xiechad --init)")},
    {"node/data_reserve_mb", T_INT, INT (data_reserve_mb), "64", 0, 65536,
     N_("disk kept allocated for the store, so a full disk still leaves room "
        "to answer peers; imports, notices and check-ins are refused while it "
        "cannot be kept (0: none)")},
    {"node/peer_bind", T_ENDPOINT, STR (peer_bind), NULL, 0, 0,
     N_("endpoint of the peer ROUTER (CURVE server), e.g. tcp://0.0.0.0:7101")},
    {"node/client_bind", T_ENDPOINT, STR (client_bind), "ipc://client.sock",
     0, 0, N_("IPC endpoint for local administration (every role); never "
        "tcp://, which would be plain: remote terminals use terminal_bind")},
    {"node/client_ipc_group", T_TEXT, STR (client_ipc_group), "", 0, 0,
     N_("group given the client IPC socket, so a local admin group may use "
        "it (empty: the daemon's own)")},
    {"node/client_ipc_mode", T_MODE, INT (client_ipc_mode), "0600", 0, 0,
     N_("octal mode of the client IPC socket (0600, or 0660 with a group)")},
    {"node/terminal_bind", T_ENDPOINT, STR (terminal_bind), "", 0, 0,
     N_("tcp://HOST:PORT for township terminals: CURVE with keys/curve, "
        "admitting only the keys of node/terminals (empty: none)")},
    {"node/terminals", T_PATH, STR (terminals), "", 0, 0,
     N_("the terminal list (id, township, operator, CURVE key, roles, "
        "validity, revoked); reloaded on SIGHUP")},
    {"metrics/bind", T_TEXT, STR (metrics_bind), "", 0, 0,
     N_("HOST:PORT (or PORT: 127.0.0.1) of the HTTP endpoint serving GET "
        "/metrics in the Prometheus text format (empty: off)")},
    {"keys/signing", T_PATH, STR (signing_key), NULL, 0, 0,
     N_("Ed25519 private key, PEM (xiecha keygen)")},
    {"keys/next_signing", T_PATH, STR (next_signing_key), "", 0, 0,
     N_("the next Ed25519 key; used from its not_before in the trust list")},
    {"keys/curve", T_PATH, STR (curve_cert), NULL, 0, 0,
     N_("CURVE certificate; the secret is read from FILE_secret")},
    {"trust/list", T_PATH, STR (trust_list), NULL, 0, 0, N_("trust list file")},
    {"trust/salt", T_PATH, STR (salt), NULL, 0, 0,
     N_("network salt for subject refs, hex")},
    {"trust/root", T_TEXT, STR (trust_root), "", 0, 0,
     N_("root Ed25519 public key, 64 hex; when set the trust list must be "
        "signed by it (LIST.sig)")},
    {"policy/file", T_PATH, STR (policy), "", 0, 0,
     N_("eligibility policy preset (config/policy/*.zpl); empty = permissive")},
    {"limits/query_deadline_ms", T_INT, INT (query_deadline_ms), "3000", 100,
     120000, N_("how long to wait for the registration node")},
    {"limits/clock_skew_ms", T_INT, INT (clock_skew_ms), "300000", 1000,
     86400000, N_("how far a peer's created-at may be from our clock")},
    {"limits/certificate_valid_s", T_INT, INT (certificate_valid_s), "86400",
     60, 31 * 86400, N_("how long an issued certificate stays valid")},
    /* Batch re-verification: a county re-checks its recipients from
       one registration county a few queries at a time, each answered
       in one certificate (one signature) -- 10,000 is a large county's
       recipients from one other county, in a 2.7 MiB message. */
    {"limits/query_subjects", T_INT, INT (query_subjects), "10000", 1,
     XC_SUBJECTS_CEILING, N_("subjects one query may carry, sent or "
        "answered; a peer's query of more is refused ERR_TOO_BIG")},
    {"limits/max_message_bytes", T_INT, INT (max_message_bytes), "0", 0,
     32 * 1024 * 1024, N_("largest peer message accepted (0: what a query "
        "of limits/query_subjects subjects and its certificate need, 256 "
        "KiB and 256 bytes a subject)")},
    {"limits/batch_max", T_INT, INT (batch_max), "256", 1, 65536,
     N_("messages handled per write transaction (group commit)")},
    {"limits/retry_max_ms", T_INT, INT (retry_max_ms), "30000", 100,
     3600000, N_("longest pause between deliveries of an unacknowledged notice")},
    {"limits/checkpoint_interval_s", T_INT, INT (checkpoint_interval_s), "300",
     1, 86400, N_("how often to sign an audit checkpoint when the log grew")},
    {"limits/export_page_entries", T_INT, INT (export_page_entries), "32768",
     1, 1048576, N_("audit entries per export page (one back-office job)")},
    {"limits/scrub_interval_s", T_INT, INT (scrub_interval_s), "86400", 0,
     31 * 86400, N_("how often the back office re-verifies the whole audit "
        "log and the index against it (0: never; `xiecha audit check` on "
        "demand)")},
    /* A county sends a few queries a minute, a busy city tens a second:
       the defaults leave a city room and cut enumeration (as fast as a
       node can sign) by three orders of magnitude.  The subject burst
       must hold the largest query, or it could never be answered; the
       sustained rate is what bounds a walk of the ID space. */
    {"limits/peer_messages_per_s", T_INT, INT (peer_messages_per_s), "50", 1,
     1000000, N_("messages one peer may send a second, sustained")},
    {"limits/peer_messages_burst", T_INT, INT (peer_messages_burst), "200", 1,
     1000000, N_("messages one peer may send at once beyond the rate")},
    {"limits/peer_subjects_per_s", T_INT, INT (peer_subjects_per_s), "100", 1,
     1000000, N_("subject lookups one peer may ask for a second, sustained")},
    {"limits/peer_subjects_burst", T_INT, INT (peer_subjects_burst), "10000",
     1, 1000000, N_("subject lookups one peer may ask for at once (at least "
        "limits/query_subjects: a full query)")},
    {"limits/audit_refused_per_minute", T_INT, INT (audit_refused_per_minute),
     "20", 0, 100000, N_("refused or repeated messages of one peer kept one by "
        "one a minute; beyond, counted in one summary entry")},
    {"limits/audit_refused_prefix_bytes", T_INT,
     INT (audit_refused_prefix_bytes), "4096", 0, 65536, N_("bytes of a refused "
        "or repeated message kept in the audit log beside its SHA-256 and "
        "length")},
    {"limits/client_outstanding", T_INT, INT (client_outstanding), "64", 1,
     100000, N_("requests one terminal may have unanswered; beyond, \"busy\"")},
    {"limits/client_hwm", T_INT, INT (client_hwm), "1000", 16, 1000000,
     N_("messages queued per terminal each way on the client socket")},
    /* A case worker asks a few times an hour; a stolen key at the
       default walks at most 30 households a minute. */
    {"limits/terminal_queries_per_minute", T_INT,
     INT (terminal_queries_per_minute), "30", 1, 600000, N_("queries one "
        "terminal may make a minute, sustained (IPC: unlimited)")},
    {"limits/terminal_queries_burst", T_INT, INT (terminal_queries_burst),
     "10", 1, 100000, N_("queries one terminal may make at once beyond the "
        "rate")},
    {"limits/date_past_days", T_INT, INT (date_past_days), "3660", 1, 36600,
     N_("how many days before its making a notice's start or end date may lie")},
    {"limits/date_future_days", T_INT, INT (date_future_days), "7", 0, 366,
     N_("how many days ahead a notice's, a roster row's or a snapshot's date "
        "may lie")},
    {"limits/deadline_grace_ms", T_INT, INT (deadline_grace_ms), "10000", 0,
     600000, N_("how long past a peer query's signed deadline it is still "
        "answered (clock difference and time in flight; its asker has given up "
        "by then)")},
};
#define S_KEYS (sizeof s_schema / sizeof s_schema[0])

void
xc_config_resolve (const char *dir, const char *value, char *out,
                   size_t out_len)
{
    if (strncmp (value, "ipc://", 6) == 0)
        xc_ipc_resolve (dir, value, out, out_len);
    else if (strstr (value, "://") || value[0] == '/' || *dir == '\0')
        snprintf (out, out_len, "%s", value);
    else
        snprintf (out, out_len, "%s/%s", dir, value);
}

/*  Relative to the config file's directory, so a node's directory can be
    moved as a whole. */
static int
s_set_resolved (const xc_schema_key_t *k, const char *v, const char *file,
                void *dst, char *why, size_t why_len)
{
    char copy[PATH_MAX], full[PATH_MAX + 16];
    snprintf (copy, sizeof copy, "%s", file);
    xc_config_resolve (dirname (copy), v, full, sizeof full);
    /* A path cut short would name another file: refuse it. */
    if (strlen (full) >= k->size)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: %s: resolved path longer than %zu bytes"), file,
                       k->key, k->size - 1);
    snprintf ((char *) dst + k->offset, k->size, "%s", full);
    return 0;
}

/*  An octal file mode such as 0660: rw for owner and group at most,
    never execute or world bits a socket has no use for. */
static int
s_set_mode (const xc_schema_key_t *k, const char *v, const char *file,
            void *dst, char *why, size_t why_len)
{
    char *end = NULL;
    long mode = strtol (v, &end, 8);
    if (*v == '\0' || *end != '\0' || mode < 0 || (mode & ~0660) != 0
        || !(mode & 0600))
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: %s: '%s' is not an octal mode of read and write "
                         "bits for owner and group (0600 or 0660)"), file,
                       k->key, v);
    *(int *) ((char *) dst + k->offset) = (int) mode;
    return 0;
}

static int
s_set_own (const xc_schema_key_t *k, const char *v, const char *file,
           void *dst, char *why, size_t why_len)
{
    if (k->type == T_MODE)
        return s_set_mode (k, v, file, dst, why, why_len);
    if (k->type == T_CODE && !xc_code_valid (v))
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: %s: '%s' is not a 6-digit division code"), file,
                       k->key, v);
    if (k->type == T_ENDPOINT && !strstr (v, "://") && !(*v == '\0' && k->def
                                                         && !*k->def))
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: %s: '%s' is not an endpoint (tcp://HOST:PORT "
                         "or ipc://PATH)"), file, k->key, v);
    char inner[400];
    if (k->type == T_ZONE && xc_zone_check (v, inner, sizeof inner) != 0)
        return xc_why (why, why_len, XC_ECONFIG, "%s: %s", file, inner);
    int rc = xc_schema_set_text (k, v, file, dst, why, why_len);
    if (rc || k->type == T_CODE || k->type == T_ZONE || *v == '\0')
        return rc;
    return s_set_resolved (k, v, file, dst, why, why_len);
}

static const xc_schema_t s_config_schema = {
    s_schema, S_KEYS, N_(" (xiechad --help lists them)"), s_set_own};

/*  The client endpoints: local administration over IPC only, terminals
    over the network only with CURVE and a list of who they are.  A plain
    TCP client socket would let anyone who reaches its port query with
    plain ID numbers and import the county's roster. */
static int
s_check_client (const xc_config_t *c, char *why, size_t why_len)
{
    if (strncmp (c->client_bind, "ipc://", 6) != 0)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: node/client_bind: '%s' is not ipc://: a TCP "
                         "client endpoint would be plain, unauthenticated; "
                         "serve remote terminals with node/terminal_bind "
                         "(CURVE) and node/terminals"), c->path, c->client_bind);
    if (c->client_ipc_group[0] && !getgrnam (c->client_ipc_group))
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: node/client_ipc_group: no group '%s' on this "
                         "host"), c->path, c->client_ipc_group);
    if (c->terminal_bind[0] && strncmp (c->terminal_bind, "tcp://", 6) != 0)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: node/terminal_bind: '%s' is not tcp://HOST:PORT"),
                       c->path, c->terminal_bind);
    struct sockaddr_in sa;
    if (c->metrics_bind[0] && xc_metrics_bind (c->metrics_bind, &sa) != 0)
        return xc_why (why, why_len, XC_ECONFIG,
                       "%s: metrics/bind: '%s' is not HOST:PORT or PORT "
                       "(HOST an IPv4 address, e.g. 127.0.0.1:9464)",
                       c->path, c->metrics_bind);
    if (c->terminal_bind[0] && !c->terminals[0])
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: node/terminal_bind needs node/terminals: the "
                         "list of terminals (and their keys) it admits"),
                       c->path);
    return 0;
}

/*  The limits that depend on each other: a query of the maximum must fit
    in a peer message and in one burst of subject lookups, or a peer
    could send one that is never answered. */
static int
s_check_limits (xc_config_t *c, char *why, size_t why_len)
{
    size_t need = xc_wire_message_max ((size_t) c->query_subjects);
    if (c->max_message_bytes == 0)
        c->max_message_bytes = (int) need;
    else if ((size_t) c->max_message_bytes < need)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: limits/max_message_bytes: %d is below the %zu "
                         "bytes a query of limits/query_subjects = %d "
                         "subjects and its certificate need (0: that)"),
                       c->path, c->max_message_bytes, need, c->query_subjects);
    if (c->peer_subjects_burst < c->query_subjects)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: limits/peer_subjects_burst: %d is below "
                         "limits/query_subjects = %d: a full query could "
                         "never be answered"), c->path,
                       c->peer_subjects_burst, c->query_subjects);
    return 0;
}

int
xc_config_load (const char *path, xc_config_t *cfg, char *why, size_t why_len)
{
    memset (cfg, 0, sizeof *cfg);
    snprintf (cfg->path, sizeof cfg->path, "%s", path);
    zconfig_t *root;
    int rc = xc_schema_load (path, &root, why, why_len);
    if (rc)
        return rc;
    rc = xc_schema_read (&s_config_schema, root, path, cfg, why,
                             why_len);
    zconfig_destroy (&root);
    if (rc == 0)
        rc = s_check_limits (cfg, why, why_len);
    return rc ? rc : s_check_client (cfg, why, why_len);
}

void
xc_config_print_schema (FILE *to)
{
    int width = 0;
    for (size_t i = 0; i < S_KEYS; i++)
        if ((int) strlen (s_schema[i].key) > width)
            width = (int) strlen (s_schema[i].key);
    for (size_t i = 0; i < S_KEYS; i++) {
        const xc_schema_key_t *k = &s_schema[i];
        fprintf (to, "  %-*s ", width, k->key);
        fputs (_(k->meaning), to);
        if (k->type == T_INT)
            fprintf (to, _(" [%ld..%ld, default %s]"), k->min, k->max,
                     k->def);
        else if (k->def && *k->def) {
            //  Not fprintf: gcc 12 calls its translated format "null".
            char note[160];
            snprintf (note, sizeof note, _(" [default %s]"), k->def);
            fputs (note, to);
        }
        else if (!k->def)
            fputs (_(" [required]"), to);
        fputc ('\n', to);
    }
}
