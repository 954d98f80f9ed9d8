/*  xt_fed.h - a real federation in a temporary directory, for the
    integration tests and the benchmarks.

    xt_fed_new writes keys, a trust list, a network salt and one config
    per node (real files, real Ed25519 and CURVE keys) under a fresh
    mkdtemp directory; nothing runs yet.  xt_fed_start starts a real
    xiechad for a node and waits until it answers; xt_fed_cli runs the
    real xiecha CLI.  Each node's peer endpoint is a free loopback port
    held by the federation for its whole life (xt_port_reserve), so
    federations in parallel processes never collide and a node that is
    stopped gets its port back when it starts again.  The client
    endpoint is an IPC socket in the node's directory.

    A registration node certifies NOT_RECEIVING only from a fresh roster
    (daemon/decide/roster.h), so each node, once its daemon first
    answers, imports a snapshot of nobody paid of every program as of its
    today, as a county imports its roster before it serves; a test of
    rosters themselves asks for none (opts.no_rosters).

    Optionally the trust list also holds a "rogue" node (XT_ROGUE) whose
    keys the caller holds and which runs no daemon, so a test can play a
    peer that misbehaves on purpose.

    The daemons and the directory are cleaned up by xt_fed_destroy, and
    also at exit and on a fatal signal (xt_sys.h).  Every function fails
    through xt_fail on error. */
#ifndef XIECHA_TESTS_XT_FED_H
#define XIECHA_TESTS_XT_FED_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <czmq.h>

#include "xiecha/xiecha.h"

#include "xt_id.h"
#include "xt_sys.h"

#define XT_MAX_NODES 8
#define XT_ROGUE "460000"

/*  One node's files and process.  Paths are absolute. */
typedef struct {
    char code[7];                /* division code */
    char dir[PATH_MAX];          /* <root>/<code>: keys, data/, config */
    char config[PATH_MAX];       /* <dir>/node.zpl */
    char endpoint[64];           /* peer endpoint, tcp://127.0.0.1:PORT */
    char socket[PATH_MAX];       /* client endpoint, ipc://<dir>/client.sock */
    char log[PATH_MAX];          /* <dir>/xiechad.log: the daemon's stderr */
    volatile pid_t pid;          /* 0 when not running */
    int status;                  /* wait status once it ended by itself
                                    (xt_fed_alive); 0 before */
    int port_fd;                 /* holds the endpoint's port; -1 if none */
    bool started;                /* xt_fed_spawn ran once: no more --init */
    bool rostered;               /* its first snapshot was imported */
    const char *spawn_args[3];   /* more arguments of the next
                                    xt_fed_spawn only (e.g. --restored-from
                                    FILE), NULL-terminated; then cleared */
} xt_node_t;

typedef struct {
    char root[PATH_MAX];         /* the mkdtemp directory */
    char trust[PATH_MAX];        /* <root>/trust.zpl */
    char salt[PATH_MAX];         /* <root>/salt.hex */
    uint8_t salt_bytes[32];      /* the network salt */
    xt_node_t nodes[XT_MAX_NODES];
    size_t count;                /* nodes in use */
    xc_key_t *rogue_key;         /* signing key of XT_ROGUE, or NULL */
    char rogue_key_id[XC_KEY_ID_LEN + 1];
    zcert_t *rogue_curve;        /* CURVE key of XT_ROGUE, or NULL */
    char rogue_endpoint[64];     /* its peer endpoint in the trust list */
    int rogue_port_fd;           /* holds that port; -1 when none */
    char root_hex[2 * XC_PUBKEY_LEN + 1];  /* the network's root public
                                    key once xt_fed_anchor made it, else "" */
    char root_key[PATH_MAX];     /* <root>/root.key, its private half */
    char xiechad[PATH_MAX];      /* the daemon xt_fed_start runs */
    bool keep;                   /* leave root behind (also $XT_KEEP) */
    bool no_rosters;             /* opts.no_rosters */
} xt_fed_t;

/*  What to build. */
typedef struct {
    const char *const *codes;    /* node codes, in node order */
    size_t count;                /* at most XT_MAX_NODES */
    int deadline_ms;             /* limits/query_deadline_ms; 0: default */
    const char *limits;          /* more lines for each config's limits
                                    section (indented by 4, each ending in
                                    a newline), or NULL */
    bool rogue;                  /* list XT_ROGUE too */
    const char *tmpdir;          /* NULL: $TMPDIR, else /tmp */
    const char *name;            /* in the directory's name; NULL: the
                                    program's */
    const char *xiechad;         /* NULL: $XIECHAD, else the build tree's */
    bool keep;                   /* leave the directory at the end */
    bool no_rosters;             /* no first snapshot at each node */
} xt_fed_opts_t;

/*  Builds a federation of the given nodes plus the rogue node, with
    deadline_ms as limits/query_deadline_ms.  Caller owns it. */
xt_fed_t *xt_fed_new (const char *const *codes, size_t count,
                      int deadline_ms);

/*  Builds the federation opts describes.  Caller owns it. */
xt_fed_t *xt_fed_new_opts (const xt_fed_opts_t *opts);

/*  Stops every daemon still running (SIGTERM; SIGKILL if it hangs),
    removes the directory unless kept, and sets *self_p to NULL.  Safe on
    NULL.  Then fails if a daemon did not exit with status 0 (a clean
    stop is a clean exit) or the directory could not be removed. */
void xt_fed_destroy (xt_fed_t **self_p);

/* ---- daemons ------------------------------------------------------------ */

/*  xt_fed_spawn, then xt_fed_wait. */
void xt_fed_start (xt_fed_t *self, size_t i);

/*  Starts node i's daemon (xt_spawn: stdout to /dev/null, stderr
    appended to its log) and returns at once.  The first time, when its
    data directory holds no store yet, it first runs `xiechad --init` and
    fails unless that succeeds, as an operator's first start would; later
    starts never do, so a store lost meanwhile stays lost. */
void xt_fed_spawn (xt_fed_t *self, size_t i);

/*  What xt_fed_spawn does first at a node's first start: `xiechad
    --init`, unless the node was started before or its data directory
    holds a store already.  For a test whose clock starts after the
    stores exist. */
void xt_fed_init (xt_fed_t *self, size_t i);

/*  Runs `xiechad ARGS --config <node i config>` to its end, its stdout
    and stderr into out (out_len bytes, NUL-terminated; may be NULL), and
    returns its wait status (test it with WIFEXITED, WEXITSTATUS), so a
    test can tell a refusal from a crash.  Without --check or --init that
    is a start, which must be refused: one still running after 30 s is
    killed and fails the caller. */
int xt_fed_xiechad (xt_fed_t *self, size_t i, const char *const *args,
                    char *out, size_t out_len);

/*  Waits until node i answers status on its client socket; fails,
    showing the end of its log, if it exits first or takes over 30 s.
    The first time, imports its first snapshot (unless no_rosters). */
void xt_fed_wait (xt_fed_t *self, size_t i);

/*  Stops node i: SIGKILL when hard, else SIGTERM, and fails unless it
    then exits with status 0.  Nothing if it is not running. */
void xt_fed_stop (xt_fed_t *self, size_t i, int hard);

/*  SIGTERM to node i, SIGKILL if it has not exited after 20 s; says so
    on stderr when it does not exit cleanly.  Returns 0 when it exited
    with status 0 (or was not running), else -1. */
int xt_fed_term (xt_fed_t *self, size_t i);

/*  True while node i's process runs; says on stderr how it ended when it
    has. */
bool xt_fed_alive (xt_fed_t *self, size_t i);

/*  Waits up to timeout_ms for node i's process to end by itself (a node
    that stops itself) and returns its exit status; fails if it is still
    running then, or was killed by a signal. */
int xt_fed_wait_exit (xt_fed_t *self, size_t i, int timeout_ms);

/*  Runs xiechad once, to its end, with "--config config" (any config
    file, e.g. a second one on a node's data directory) and then args
    (NULL-terminated; may be NULL): its stdout and stderr go to out
    (NUL-terminated, may be NULL).  Returns its exit status (128 if it
    did not exit, or took over 60 s: then it is killed), unlike
    xt_fed_xiechad, which returns the wait status. */
int xt_fed_xiechad_config (xt_fed_t *self, const char *config,
                           const char *const *args, char *out,
                           size_t out_len);

/* ---- logs and configs --------------------------------------------------- */

/*  Counts lines of node i's log that contain needle. */
int xt_fed_log_count (xt_fed_t *self, size_t i, const char *needle);

/*  Prints the last lines of node i's log to stderr. */
void xt_fed_log_tail (xt_fed_t *self, size_t i, int lines);

/*  Adds node i's error and warning lines to *errors and *warnings and
    echoes the first ten (of all calls' counts) to stderr. */
void xt_fed_log_scan (xt_fed_t *self, size_t i, size_t *errors,
                      size_t *warnings);

/*  Appends text to node i's config.  Its last section is `limits` when
    deadline_ms or limits was given (xt_fed_new always gives one), so
    "    retry_max_ms = 500\n" sets a limit.  Takes effect at next start. */
void xt_fed_config_append (xt_fed_t *self, size_t i, const char *text);

/*  Adds text (lines indented by 4, each ending in a newline) to the
    `node` section of node i's config, e.g. "    data_reserve_mb = 1\n".
    Takes effect at next start. */
void xt_fed_config_node (xt_fed_t *self, size_t i, const char *text);

/*  Makes node i apply the policy preset config/policy/<preset> of the
    source tree ($XIECHA_SRC); appended after the limits section, so call
    it before any other xt_fed_config_append.  Takes effect at next
    start. */
void xt_fed_policy (xt_fed_t *self, size_t i, const char *preset);

/*  Writes text to <root>/name and returns the path (static buffer). */
const char *xt_fed_write (xt_fed_t *self, const char *name,
                          const char *text);

/* ---- clients ------------------------------------------------------------ */

/*  Runs the xiecha CLI ($XIECHA, else the build tree's) with args, and
    "-c <node i config>" appended when i >= 0; captures stdout into out
    (out_len bytes, NUL-terminated; may be NULL).  Returns its exit
    status (128 if it did not exit). */
int xt_fed_cli (xt_fed_t *self, int i, char *out, size_t out_len,
                const char *const *args);

/*  The trust anchor of the offline verifiers, for a test that runs one
    (`cert verify`, `audit verify`, ... --root HEX): makes the network's
    root key the first time (`xiecha trust root-keygen`, into root_key)
    and, unless the list's signature holds and it is valid now, signs the
    list as its operators would (`xiecha trust sign --bump --valid-days
    30`).  The nodes' configs are left as they are (no trust/root), so a
    list edited afterwards needs this again before it verifies offline.
    Returns root_hex. */
const char *xt_fed_anchor (xt_fed_t *self);

/*  Checks node i's audit log as an auditor would, through the running
    daemon: `xiecha audit export` into <root>, `xiecha audit verify` of
    that file with the trust list (signed by xt_fed_anchor), and `xiecha audit replay` (the index
    rebuilt from the log equals the live one); fails naming the step and
    showing its output unless each exits 0. */
void xt_fed_audit_check (xt_fed_t *self, size_t i);

/*  Asks home, through node i, about the person id and one program.
    Returns the certificate's status (XIECHA__STATUS__*); the paying node
    of its first enrollment goes to payer ("" when none) and the number of
    enrollments to *enrollments, each when not NULL.  Fails when the
    query is not answered. */
int xt_fed_status_of (xt_fed_t *self, size_t i, const char *home,
                      const char *id, int program, char payer[7],
                      size_t *enrollments);

/*  Asks home, through node i, about the person id and one program, the
    answer into *a (caller frees with xc_answer_free).  Fails when the
    query is not answered. */
void xt_fed_answer (xt_fed_t *self, size_t i, const char *home,
                    const char *id, int program, xc_answer_t *a);

/*  A libxiecha client of node i, request timeout 10 s.  Caller owns it. */
xc_client_t *xt_fed_client (xt_fed_t *self, size_t i);

/*  The same with a request timeout of timeout_ms. */
xc_client_t *xt_fed_client_ms (xt_fed_t *self, size_t i, int timeout_ms);

/*  How many entries node i's audit log holds (its status), so a test
    can tell that a refusal sent nothing to a node. */
uint64_t xt_fed_audit_entries (xt_fed_t *self, size_t i);

/*  How many notices wait in node i's outbox for their ack (state
    PENDING); fails when the node does not answer. */
size_t xt_fed_outbox_pending (xt_fed_t *self, size_t i);
/*  Node i's status, through a libxiecha client; fails when it does not
    answer.  Caller frees with xiecha__status_reply__free_unpacked. */
Xiecha__StatusReply *xt_fed_status (xt_fed_t *self, size_t i);

/*  The subject ref of an ID under the federation's salt. */
void xt_fed_ref (xt_fed_t *self, const char *id, uint8_t ref[XC_REF_LEN]);

/* ---- the rogue peer ----------------------------------------------------- */

/*  A DEALER speaking to node i's peer socket with the rogue CURVE key
    (or with a fresh key that is in no trust list when stranger).  Caller
    owns it. */
zsock_t *xt_fed_peer (xt_fed_t *self, size_t i, int stranger);

/*  Seals a Query from the rogue node to `to` about nrefs subject refs
    (DIBAO), created at created_at (0: now).  msg_id may be NULL (random)
    or 16 bytes to reuse.  Caller frees *out. */
void xt_fed_rogue_query (xt_fed_t *self, const char *to,
                         const uint8_t *refs, size_t nrefs,
                         uint64_t created_at, const uint8_t *msg_id,
                         uint8_t **out, size_t *out_len);

/*  A ROUTER bound at the rogue's endpoint as a CURVE server with the
    rogue's key, so that a node asking the rogue (a query to XT_ROGUE)
    gets whatever the test answers.  Caller owns it. */
zsock_t *xt_fed_rogue_server (xt_fed_t *self);

/*  What a node sent the rogue server: [routing id][envelope].  Waits up
    to ms, opens the envelope into *op (caller frees with
    xc_opened_free) and returns the routing id (caller destroys), or
    NULL when nothing came. */
zframe_t *xt_rogue_recv (zsock_t *rogue, int ms, xc_opened_t *op);

/*  Sends *body to the node whose routing id is route; takes *body. */
void xt_rogue_send (zsock_t *rogue, const zframe_t *route, zframe_t **body);

/*  Seals msg (its header is set here) as the rogue to `to`, of type, in
    reply to irt (may be NULL), created at created_at (0: now), with key
    (key_id) or, when key is NULL, the rogue's own.  Returns the envelope
    as a frame. */
zframe_t *xt_fed_rogue_seal (xt_fed_t *self, Xiecha__Signed *msg,
                             Xiecha__MsgType type, const char *to,
                             const ProtobufCBinaryData *irt,
                             uint64_t created_at, xc_key_t *key,
                             const char *key_id);

/*  The rogue's certificate for query (as received by xt_rogue_recv):
    NOT_RECEIVING for every subject, bound to it by id and digest, created
    at created_at (0: now), valid an hour.  Returns the envelope. */
zframe_t *xt_fed_rogue_certificate (xt_fed_t *self, const xc_opened_t *query,
                                    uint64_t created_at);

/*  Sends bytes on a peer DEALER and waits up to ms for one answer frame;
    returns NULL on timeout.  Caller frees with zframe_destroy. */
zframe_t *xt_exchange (zsock_t *peer, const uint8_t *bytes, size_t len,
                       int ms);

/* ---- keys --------------------------------------------------------------- */

/*  The trust-list id of the Ed25519 key in file path. */
void xt_key_id_of (const char *path, char id[XC_KEY_ID_LEN + 1]);

/*  The daemon: $XIECHAD, else daemon/xiechad of the build tree this
    program is in; NULL when neither exists. */
const char *xt_default_xiechad (void);

#endif
