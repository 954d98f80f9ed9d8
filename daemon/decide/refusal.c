/*  refusal.c - refused and repeated peer messages in the audit log; see
    refusal.h. */
#include <stdio.h>
#include <string.h>

#include "decide/refusal.h"
#include "node/log.h"
#include "store/audit.h"

void
xc_refusal_tags (const xc_opened_t *op, uint8_t *relation, uint8_t *program)
{
    *relation = *program = 0;
    if (!op || !op->msg)
        return;
    *relation = (uint8_t) xc_relation_of (op->msg->header->sender,
                                          op->msg->header->recipient);
    if (op->msg->body_case == XIECHA__SIGNED__BODY_NOTICE)
        *program = (uint8_t) op->msg->notice->program;
}

/*  The entry itself: the kept record of bytes under a note cut to
    XC_REFUSAL_NOTE_MAX, so the bound holds whatever the caller wrote. */
static int
s_keep (xc_node_t *node, MDB_txn *txn, xc_audit_kind_t kind,
        const char *peer, uint64_t now, const char *note,
        const uint8_t *bytes, size_t len, const xc_opened_t *op)
{
    char cut[XC_REFUSAL_NOTE_MAX];
    snprintf (cut, sizeof cut, "%s", note);
    uint8_t relation, program;
    xc_refusal_tags (op, &relation, &program);
    return xc_audit_keep (node->store, txn, kind, peer && *peer ? peer : NULL,
                          now, cut, bytes, len,
                          (size_t) node->config.audit_refused_prefix_bytes,
                          relation, program);
}

int
xc_refusal_audit (xc_node_t *node, MDB_txn *txn, const char *peer,
                  uint64_t now, int code, const char *what, const char *note,
                  const uint8_t *bytes, size_t len, const xc_opened_t *op,
                  int *kept)
{
    int keep = xc_limits_keep (node->limits, peer, code, now);
    if (kept)
        *kept = keep;
    if (!keep)
        return 0;
    const char *from = peer && *peer ? peer : "?";
    xc_log_event (XC_LOG_WARN, "refused",
                  XC_KV ("door", "peer", "peer", from, "reason",
                         xc_errcode_name (xc_errcode_from_xc (code))),
                  "refused %s from %s: %s", what, from, note);
    return s_keep (node, txn, XC_AUDIT_REFUSED, peer, now, note, bytes, len,
                   op);
}

int
xc_refusal_duplicate (xc_node_t *node, MDB_txn *txn, const char *peer,
                      uint64_t now, const uint8_t *bytes, size_t len,
                      const xc_opened_t *op)
{
    if (!xc_limits_keep (node->limits, peer, 0, now))
        return 0;
    return s_keep (node, txn, XC_AUDIT_DUPLICATE, peer, now,
                   "repeated message answered from cache", bytes, len, op);
}

int
xc_refusal_decided (xc_node_t *node, MDB_txn *txn, const char *peer,
                    uint64_t now, const char *note, const uint8_t *bytes,
                    size_t len, const xc_opened_t *op)
{
    return s_keep (node, txn, XC_AUDIT_REFUSED, peer, now, note, bytes, len,
                   op);
}

typedef struct {
    xc_node_t *node;
    MDB_txn *txn;
    uint64_t now;
} s_flush_t;

/*  "XC_ESIG 12000, XC_ERATE 345, repeated 3" into out. */
static void
s_codes (const xc_limits_over_t *o, char *out, size_t out_len)
{
    size_t at = 0;
    out[0] = '\0';
    for (int i = 0; i < XC_LIMITS_CODES && at < out_len; i++) {
        if (!o->codes[i])
            continue;
        const char *name = i ? xc_error_name (-i) : "repeated";
        int n = snprintf (out + at, out_len - at, "%s%s %llu",
                          at ? ", " : "", name ? name : "other",
                          (unsigned long long) o->codes[i]);
        at += n > 0 ? (size_t) n : 0;
    }
}

static int
s_summary (const xc_limits_over_t *o, void *arg)
{
    s_flush_t *f = arg;
    char codes[256], note[XC_REFUSAL_NOTE_MAX];
    s_codes (o, codes, sizeof codes);
    snprintf (note, sizeof note, "%llu refused and %llu repeated messages "
              "from %s in %llu s beyond the budget of %d a minute, counted "
              "only (%s)", (unsigned long long) o->refused,
              (unsigned long long) o->duplicates,
              o->peer[0] ? o->peer : "unknown senders",
              (unsigned long long) ((o->until - o->since) / 1000),
              f->node->config.audit_refused_per_minute, codes);
    int rc = xc_audit_summary (f->node->store, f->txn,
                               o->peer[0] ? o->peer : NULL, f->now, note,
                               o->refused, o->duplicates, o->since);
    if (rc == 0)
        xc_warn ("%s", note);
    return rc;
}

int
xc_refusal_flush (xc_node_t *node, MDB_txn *txn, uint64_t now, int all)
{
    s_flush_t f = {node, txn, now};
    return xc_limits_flush (node->limits, now, all, s_summary, &f);
}

int
xc_refusal_flush_tick (MDB_txn *txn, void *arg)
{
    return xc_refusal_flush (arg, txn, xc_now_ms (), 0);
}

int
xc_refusal_flush_final (MDB_txn *txn, void *arg)
{
    return xc_refusal_flush (arg, txn, xc_now_ms (), 1);
}

uint64_t
xc_refusal_bound (const xc_config_t *c)
{
    uint64_t refused = XC_AUDIT_HEADER + XC_REFUSAL_NOTE_MAX
                       + XC_AUDIT_KEPT_HEADER
                       + (uint64_t) c->audit_refused_prefix_bytes;
    uint64_t summary = XC_AUDIT_HEADER + XC_REFUSAL_NOTE_MAX
                       + XC_AUDIT_SUMMARY_LEN;
    uint64_t minute = (uint64_t) c->audit_refused_per_minute
                          * (refused + XC_REFUSAL_ANSWER_MAX)
                      + summary;
    return 61 * minute;
}
