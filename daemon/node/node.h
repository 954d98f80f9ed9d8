/*  node.h - everything one running node owns: its configuration, keys,
    trust list, salt and store, plus the counters `xiecha status` shows.

    Built once at start-up by xc_node_new, which fails with a message
    naming the file at fault; handlers and transport borrow it. */
#ifndef XIECHAD_NODE_H
#define XIECHAD_NODE_H

#include <czmq.h>
#include <stdint.h>

#include "node/access.h"
#include "node/config.h"
#include "node/integrity.h"
#include "node/limits.h"
#include "node/lock.h"
#include "node/metrics.h"
#include "node/policy.h"
#include "store/store.h"
#include "xiecha/xiecha.h"

/*  A signing key the node holds, with its id in the trust list. */
typedef struct {
    xc_key_t *key;               /* Ed25519 private key; NULL: none */
    char id[XC_KEY_ID_LEN + 1];
} xc_signer_t;

typedef struct {
    xc_config_t config;          /* as loaded, paths resolved */
    /*  [0] keys/signing, [1] keys/next_signing (during a rotation).  Both
        live until the node is destroyed, so a thread that took one keeps
        a valid key; active moves from 0 to 1 once, never back
        (xc_node_rotate). */
    xc_signer_t signers[2];
    _Atomic int active;
    zcert_t *curve;              /* CURVE key pair for peer sockets */
    xc_trust_t *trust;           /* the trust list */
    uint8_t salt[64];            /* network salt for subject refs */
    size_t salt_len;
    xc_lock_t *lock;             /* this process's hold on data_dir */
    xc_store_t *store;           /* the LMDB environment */
    xc_policy_t policy;          /* eligibility rules for our applicants */
    xc_limits_t *limits;         /* what each peer may cost (limits.h) */
    xc_access_t *access;         /* terminals: who, roles, rates (access.h) */
    xc_metrics_t *metrics;       /* counters for the endpoint (metrics.h) */
    uint64_t stored_serial;      /* trust.serial found in the store at
                                    start; 0 = none, or no store yet */
    uint64_t started_at;         /* UTC ms */
    uint64_t queries_answered;   /* certificates issued as home node */
    uint64_t queries_sent;       /* queries sent as residence node */
    uint64_t refused;            /* messages refused */
    uint64_t auth_failures;      /* CURVE handshakes denied by ZAP */
    xc_integrity_t integrity;    /* start check and scrubs (locked) */
    /*  A decision queued a notice no terminal waits for (a conflict
        notice): the transport hands the outbox's new items to delivery
        after the commit, and clears it. */
    int outbox_grew;
    /*  Programs (bit 1 << program) whose snapshot this process is
        applying now; a program marked applying in the store but not
        here was interrupted by a stop (rosters.h). */
    unsigned rosters_applying;
    char stopped[512];           /* why the node stopped itself ("" while
                                    it serves; see xc_reload_tick) */
} xc_node_t;

/*  How xc_node_new treats node/data_dir. */
typedef enum {
    XC_NODE_RUN = 0,    /* open the node's store, which must be there */
    XC_NODE_CHECK = 1,  /* the same checks, the store read-only and closed
                           again (xiechad --check) */
    XC_NODE_INIT = 2    /* make the store (xiechad --init): data_dir is
                           created if missing (mode 0700) and must hold no
                           store yet */
} xc_node_mode_t;

/*  Loads keys, trust list and salt named by config and opens the store.
    Checks that this node is in the trust list with this signing key and
    CURVE key, and that the key is valid now (xc_node_check_signer), so a
    node cannot start with keys its peers will not accept, and that the
    list may follow the one it last used (see reload.h).

    RUN and CHECK refuse, naming the path, what is wrong and what to do,
    a data_dir that is missing (a data disk not mounted), holds no store
    or an empty, zeroed or truncated one, a store of another node, and
    one whose audit log's tail or last checkpoint fails
    (xc_integrity_check_start): a lost store is never silently replaced
    by a fresh one, which would certify NOT_RECEIVING for everyone and
    forget every seen id.  RUN and INIT hold the data directory (lock.h)
    before they open or make the store, so a second daemon on it fails
    here naming the first.  CHECK takes no lock: it opens the store
    read-only and closes it again (node->store is NULL).  INIT makes the
    store, records this node's identity (identity.h) and the creation as
    its first audit entry, and leaves it open.  Returns NULL with why. */
xc_node_t *xc_node_new (const xc_config_t *config, xc_node_mode_t mode,
                        char *why, size_t why_len);

/*  Whether the key the node signs with is, in its trust list, listed
    for it and valid at now: not revoked, not expired, not before its
    not_before.  A node must not sign with any other: its certificates
    would reach case workers and verify as INVALID.  Checked at start
    (so --check fails too) and on every reload tick (reload.h), which
    stops the node.  Returns 0, or XC_EKEY with why naming the key, the
    rule and the time. */
int xc_node_check_signer (const xc_node_t *self, uint64_t now, char *why,
                          size_t why_len);

/*  Refuses a limits/certificate_valid_s longer than the trust list's
    max_cert_lifetime_days (at start and --check).  Returns 0 or
    XC_ECONFIG with why. */
int xc_node_check_lifetime (const xc_config_t *config,
                            const xc_trust_t *trust, char *why,
                            size_t why_len);

/*  valid_until of a certificate issued at now: now +
    limits/certificate_valid_s, cut to the trust list's
    max_cert_lifetime_days and to the end (not_after, revoked_at) of the
    key that signs it, so none verifies as INVALID for its times. */
uint64_t xc_node_cert_until (const xc_node_t *self, uint64_t now);

/*  1 when signer which (0 current, 1 next) is listed for this node in
    trust. */
int xc_node_listed (const xc_node_t *self, const xc_trust_t *trust,
                    int which);

/*  The key to sign with now.  Safe from any thread. */
const xc_signer_t *xc_node_signer (xc_node_t *self);

/*  Switches to the next key when the trust list lists it for this node
    and it is valid at now (not_before reached, not revoked, not
    expired).  Returns 1 when it switched, 0 otherwise.  Reactor only. */
int xc_node_rotate (xc_node_t *self, uint64_t now);

/*  Fills h as xc_node_seal does: from this node to recipient, a fresh
    msg id in id[] (which must outlive h), created_at now, in reply to
    in_reply_to (may be NULL). */
void xc_node_header (const xc_node_t *self, Xiecha__Header *h,
                     uint8_t id[XC_MSGID_LEN], Xiecha__MsgType type,
                     const char *recipient,
                     const ProtobufCBinaryData *in_reply_to, uint64_t now);

/*  Signs msg, whose header is set, with the active signing key.  *out is
    the envelope (caller frees).  Returns 0, XC_ENOMEM or XC_EINTERNAL. */
int xc_node_sign (xc_node_t *self, const Xiecha__Signed *msg, uint8_t **out,
                  size_t *out_len);

/*  Seals msg from this node to recipient under a fresh header (new
    msg id, created_at now) with the active signing key.  *out is the
    envelope (caller frees).  Returns 0, XC_ENOMEM or XC_EINTERNAL. */
int xc_node_seal (xc_node_t *self, Xiecha__Signed *msg, Xiecha__MsgType type,
                  const char *recipient,
                  const ProtobufCBinaryData *in_reply_to, uint64_t now,
                  uint8_t **out, size_t *out_len);

/*  Checks a peer's created_at against this node's clock within
    limits/clock_skew_ms.  Returns 0, or XC_ESTALE / XC_EFUTURE with why
    saying by how much it is off. */
int xc_node_check_time (const xc_node_t *self, uint64_t created,
                        uint64_t now, char *why, size_t why_len);

/*  Checks a peer query's signed deadline: set, after its created_at,
    and not passed by more than limits/deadline_grace_ms on this node's
    clock (the asker has given up then: an answer would reach no one,
    yet count as issued).  Not limits/clock_skew_ms: a query within that
    of its created_at is always within it of its later deadline, so the
    check would never refuse anything; the grace is the clock difference
    of two synchronised nodes and the time in flight, seconds, not
    minutes.  Returns 0, or XC_EMALFORMED / XC_ESTALE with why saying by
    how much it has passed. */
int xc_node_check_deadline (const xc_node_t *self, uint64_t deadline,
                            uint64_t created, uint64_t now, char *why,
                            size_t why_len);

/*  Validates one person's ID number (GB 11643; field names it in why)
    and computes the subject ref under the network salt.  The plain ID
    lives only in this call.  Returns 0 or XC_EINVAL with why. */
int xc_node_subject (const xc_node_t *self, const Xiecha__Person *person,
                     const char *field, uint8_t ref[XC_REF_LEN], char *why,
                     size_t why_len);

/*  The date it is at this node at now (UTC ms), YYYYMMDD: the one place
    that says what "today" is, for enrollments, rosters, check-ins, due
    dates and their ages: the local date in node/timezone (zone.h). */
uint32_t xc_node_today (const xc_node_t *self, uint64_t now);

/*  Frees everything and sets *self_p to NULL; harmless twice. */
void xc_node_destroy (xc_node_t **self_p);

#endif
