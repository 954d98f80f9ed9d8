/*  harness.h - a real federation in a temporary directory.

    Creates keys, a trust list, a network salt and one config per node
    (real files, real Ed25519 and CURVE keys), starts real xiechad
    processes (path in $XIECHAD), and runs the real xiecha CLI ($XIECHA).
    Besides the daemons, the trust list holds one "rogue" node (code
    460000) whose keys the tests hold, so a test can play a peer that
    misbehaves on purpose. */
#ifndef XIECHA_HARNESS_H
#define XIECHA_HARNESS_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include <czmq.h>

#include "xiecha/xiecha.h"

#define XT_MAX_NODES 8
#define XT_ROGUE "460000"

typedef struct {
    char code[7];                /* division code */
    char dir[PATH_MAX];          /* node directory: keys, data, config */
    char config[PATH_MAX];       /* its config file */
    char endpoint[64];           /* peer endpoint */
    char socket[PATH_MAX];       /* client endpoint */
    char log[PATH_MAX];          /* stderr of the daemon */
    pid_t pid;                   /* 0 when not running */
} xt_node_t;

typedef struct {
    char root[PATH_MAX];         /* temporary directory, removed at end */
    char trust[PATH_MAX];        /* trust list */
    char salt[PATH_MAX];         /* network salt */
    xt_node_t nodes[XT_MAX_NODES];
    size_t count;
    xc_key_t *rogue_key;         /* signing key of XT_ROGUE */
    char rogue_key_id[XC_KEY_ID_LEN + 1];
    zcert_t *rogue_curve;        /* CURVE key of XT_ROGUE */
    uint8_t salt_bytes[32];
} xt_fed_t;

/*  Fails the test, showing text, unless it contains needle. */
void xt_assert_has (const char *text, const char *needle);

/*  The trust-list id of the Ed25519 key in file path. */
void xt_key_id_of (const char *path, char id[XC_KEY_ID_LEN + 1]);

/*  A valid ID number from its first 17 digits (GB 11643 check character
    appended).  Returns one of 8 static buffers, reused in turn. */
const char *xt_id (const char *first17);

/*  Builds a federation of the given node codes plus the rogue node.
    deadline_ms sets limits/query_deadline_ms.  Aborts the test on any
    failure. */
xt_fed_t *xt_fed_new (const char *const *codes, size_t count,
                      int deadline_ms);

/*  Stops every daemon and removes the directory. */
void xt_fed_destroy (xt_fed_t **self_p);

/*  Starts node i and waits until its client socket answers status. */
void xt_start (xt_fed_t *self, size_t i);

/*  Stops node i with SIGTERM (or SIGKILL when hard) and reaps it. */
void xt_stop (xt_fed_t *self, size_t i, int hard);

/*  Returns 1 while node i's process is alive. */
int xt_alive (xt_fed_t *self, size_t i);

/*  Runs the xiecha CLI with "-c <node i config>" appended when i >= 0;
    captures stdout into out (may be NULL).  Returns the exit status. */
int xt_cli (xt_fed_t *self, int i, char *out, size_t out_len,
            const char *const *args);

/*  Writes text to root/name and returns the path (static buffer). */
const char *xt_write (xt_fed_t *self, const char *name, const char *text);

/*  Connects a libxiecha client to node i. */
xc_client_t *xt_client (xt_fed_t *self, size_t i);

/*  A DEALER speaking to node i's peer socket with the rogue CURVE key
    (or with a fresh key that is in no trust list when stranger). */
zsock_t *xt_peer (xt_fed_t *self, size_t i, int stranger);

/*  Seals a Query from the rogue node to `to` about the given subject refs
    (DIBAO), created at created_at (0 = now).  msg_id may be NULL (random)
    or 16 bytes to reuse.  Caller frees *out. */
void xt_rogue_query (xt_fed_t *self, const char *to, const uint8_t *refs,
                     size_t nrefs, uint64_t created_at, const uint8_t *msg_id,
                     uint8_t **out, size_t *out_len);

/*  Sends bytes on a peer DEALER and waits up to ms for one answer frame;
    returns NULL on timeout.  Caller frees with zframe_destroy. */
zframe_t *xt_exchange (zsock_t *peer, const uint8_t *bytes, size_t len,
                       int ms);

/*  The subject ref of an ID under the federation's salt. */
void xt_ref (xt_fed_t *self, const char *id, uint8_t ref[XC_REF_LEN]);

/*  Appends lines to node i's config; its last section is `limits`, so
    "    retry_max_ms = 500\n" sets a limit.  Takes effect at next start. */
void xt_config_append (xt_fed_t *self, size_t i, const char *text);

/*  Counts lines of node i's daemon log that contain needle. */
int xt_log_count (xt_fed_t *self, size_t i, const char *needle);

#endif
