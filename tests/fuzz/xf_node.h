/*  xf_node.h - a temporary federation of two real nodes, opened in the
    fuzz target's own process as the unit fixtures open them
    (tests/lib/xt_local.h), for the targets that feed peer messages,
    answers and client requests to a node.

        A  469021  Ding'an County, the residence node: its township
                   terminals ask and report; one query to B waits for
                   its answer, three notices to B wait for their acks
        B  341002  Tunxi District, the registration node: a roster is
                   imported, A's notices are applied, A's query answered

    Built once per process, at the first xf_fixture call, with real
    commits.  From then on nothing is ever committed to either store: a
    top-level write transaction of theirs is aborted where it would have
    committed (nested ones commit into it as usual), so every input
    meets the very same stores, however many ran before, and decisions
    take their full path, answers after the commit included.

    Deterministic.  The clock is XF_NOW (XIECHA_FAKE_NOW_MS), message ids and every other
    xc_random draw come from a counter that xf_input_begin resets, and
    the network salt is fixed: the same input does the same thing in
    every run, and the fixture's ids and digests are the same in every
    process, so an input that names the waiting query (its id, its
    digest) keeps naming it.  Keys are made afresh per process: a target
    signs the signed bytes of an input with the fixture's keys to get
    past the signature (xf_envelope).

    The fuzz programs link this with -Wl,--wrap= for xc_random,
    xc_header_init, mdb_env_open, mdb_txn_begin and mdb_txn_commit
    (tests/fuzz/meson.build), so that the daemon's calls of them come
    here first. */
#ifndef XIECHA_TESTS_XF_NODE_H
#define XIECHA_TESTS_XF_NODE_H

#include <stddef.h>
#include <stdint.h>

#include <czmq.h>

#include "decide/query.h"
#include "net/batch.h"
#include "node/node.h"
#include "store/outbox.h"
#include "xf.h"
#include "xt_local.h"

#define XF_CODE_A "469021"
#define XF_CODE_B "341002"
#define XF_NOTICES 3
/*  The most subjects the fixture's queries may carry (wire.h): a
    household's, so the seeds at the limit stay small. */
#define XF_MAX_SUBJECTS XC_MAX_HOUSEHOLD

/*  ID numbers the fixture knows: B's roster, A's notices and queries.
    Seeds name them, so mutations start from people that exist. */
#define XF_ID_PAID "341002198001010015"      /* B pays DIBAO */
#define XF_ID_ENDED "341002198505050029"     /* B paid TEKUN until 2024 */
#define XF_ID_NONE "341002199003150032"      /* in no roster */
#define XF_ID_ENROLLED "341002197001010117"  /* A enrolled (LOW_INCOME) */
#define XF_ID_AID "341002197001010133"       /* A granted TEMP aid */
#define XF_ID_LOCAL "469021198808080050"     /* A's own roster */

typedef struct {
    xt_pair_t *pair;              /* a = A, b = B */
    xc_pending_t query;           /* A's query to B, waiting */
    uint8_t *cert;                /* B's certificate for it */
    size_t cert_len;
    xc_outbox_item_t notices[XF_NOTICES];  /* pending in A's outbox:
                                     two ENROLLMENTs and an
                                     EMERGENCY_AID; B refuses the second
                                     (B pays that person DIBAO) */
    uint8_t *answers[XF_NOTICES]; /* B's ack or error for each */
    size_t answer_lens[XF_NOTICES];
    zsock_t *client;              /* A's client ROUTER (nobody connects:
                                     replies are dropped) */
} xf_fixture_t;

/*  The fixture, built at the first call.  Fails the process (xt_fail)
    when it cannot be built. */
xf_fixture_t *xf_fixture (void);

/*  Call first in every input: resets the random counter. */
void xf_input_begin (void);

/*  How a target turns one record into the envelope bytes it feeds
    (the low two bits of an input's first byte):
      XF_RAW     the record is the envelope, as a peer could send it
      XF_SIGN    the record is the signed bytes; from signs them
      XF_FIX     the record is parsed as a Signed message whose header is
                 made valid (version 1, from -> to, created XF_NOW, a
                 16-byte msg id) and in_reply_to set when irt is given,
                 then re-encoded and signed: mutations go deep into the
                 body
      XF_FIX_AT  as XF_FIX, keeping the record's created_at (the clock) */
enum { XF_RAW = 0, XF_SIGN, XF_FIX, XF_FIX_AT };

/*  *out is malloc'd envelope bytes (caller frees).  Returns 0, or -1
    when the record cannot be made into one (XF_FIX of bytes that are not
    a Signed message): the target skips it. */
int xf_envelope (int how, xc_node_t *from, const char *to,
                 const ProtobufCBinaryData *irt, const uint8_t *rec,
                 size_t len, uint8_t **out, size_t *out_len);

/*  The batch an input's records make (data after byte 0): each record
    made into an envelope from `from` to `to` (xf_envelope: how, irt), or
    taken as it is when from is NULL.  Each item is as a ROUTER receives
    it, [routing id][payload] (ids routing0, routing1, ...), or as a
    dealer does, [payload] (routing NULL); peer is the node ZAP
    authenticated, or NULL.  Free with xc_batch_free (items, *count). */
xc_item_t *xf_items (const uint8_t *data, size_t size, int how,
                     xc_node_t *from, const char *to,
                     const ProtobufCBinaryData *irt, const char *routing,
                     const char *peer, size_t *count);

/*  With XF_VERBOSE set in the environment, prints what became of each
    item (its outcome, or that it was not stored), to see what a seed
    or a crash input does. */
void xf_report (const char *target, const xc_item_t *items, size_t count);

/*  A malloc'd copy of an envelope's signed bytes, for seeds.  Fails
    (xt_fail) unless env opens. */
uint8_t *xf_signed_of (const uint8_t *env, size_t len, size_t *out_len);

#endif
