/*  integrity.c - the check at start and the scrubs' state; see
    integrity.h. */
#include <stdio.h>
#include <string.h>

#include "node/identity.h"
#include "node/integrity.h"
#include "store/audit.h"
#include "xiecha/text.h"

void
xc_integrity_init (xc_integrity_t *self)
{
    memset (self, 0, sizeof *self);
    pthread_mutex_init (&self->lock, NULL);
}

void
xc_integrity_destroy (xc_integrity_t *self)
{
    pthread_mutex_destroy (&self->lock);
}

void
xc_integrity_get (xc_integrity_t *self, xc_integrity_state_t *out)
{
    pthread_mutex_lock (&self->lock);
    *out = self->s;
    pthread_mutex_unlock (&self->lock);
}

uint64_t
xc_integrity_ask (xc_integrity_t *self, bool *fresh)
{
    pthread_mutex_lock (&self->lock);
    *fresh = !self->s.busy;
    if (*fresh) {
        self->s.busy = true;
        self->s.run++;
        self->s.phase = "queued";
        self->s.done = self->s.total = 0;
    }
    uint64_t run = self->s.run;
    pthread_mutex_unlock (&self->lock);
    return run;
}

void
xc_integrity_progress (xc_integrity_t *self, const char *phase,
                       uint64_t done, uint64_t total)
{
    pthread_mutex_lock (&self->lock);
    self->s.phase = phase;
    self->s.done = done;
    self->s.total = total;
    pthread_mutex_unlock (&self->lock);
}

void
xc_integrity_finish (xc_integrity_t *self, xc_scrub_result_t result,
                     uint64_t started_ms, uint64_t entries,
                     uint64_t subjects, uint64_t bad_entry, const char *what)
{
    pthread_mutex_lock (&self->lock);
    xc_integrity_state_t *s = &self->s;
    s->busy = false;
    s->finished = s->run;
    s->phase = NULL;
    s->result = result;
    s->started_ms = started_ms;
    s->finished_ms = xc_now_ms ();
    s->entries = entries;
    s->subjects = subjects;
    s->bad_entry = bad_entry;
    snprintf (s->what, sizeof s->what, "%s", what ? what : "");
    s->failures += result == XC_SCRUB_FAILED;
    pthread_mutex_unlock (&self->lock);
}

const char *
xc_integrity_result_name (int result)
{
    switch (result) {
    case XC_SCRUB_OK: return "ok";
    case XC_SCRUB_FAILED: return "FAILED";
    case XC_SCRUB_ERROR: return "error";
    default: return "none";
    }
}

/*  The last checkpoint must be this node's, signed by one of its keys
    (any the trust list holds for it: a checkpoint signed before a
    rotation still verifies). */
static int
s_check_sealed (const xc_audit_tail_t *tail, const char *dir,
                const char *code, const xc_trust_t *trust, char *why,
                size_t why_len)
{
    xc_checkpoint_t cp;
    char inner[256] = "";
    int rc = xc_checkpoint_verify (tail->checkpoint, XC_CHECKPOINT_LEN, trust,
                                   &cp, inner, sizeof inner);
    if (rc == 0 && strcmp (cp.node, code) != 0)
        rc = xc_why (inner, sizeof inner, XC_ESIG, _("signed for node %s"),
                     cp.node);
    if (rc)
        return xc_why (why, why_len, rc, _("store %s: audit entry %llu, the "
                         "last checkpoint: %s"), dir,
                       (unsigned long long) tail->sealed, inner);
    return 0;
}

/*  The identity and the tail, in one read transaction. */
static int
s_check (xc_store_t *store, MDB_txn *txn, const char *dir, const char *code,
         const xc_trust_t *trust, xc_audit_tail_t *tail, char *why,
         size_t why_len)
{
    xc_identity_t id;
    int rc = xc_identity_get (store, txn, &id);
    rc = xc_identity_judge (rc, &id, code, dir, why, why_len);
    if (rc)
        return rc;
    if (!xc_store_has (store, XC_DB_AUDIT))
        return xc_why (why, why_len, XC_ESTORE, _("store %s has no audit log"),
                       dir);
    char inner[400] = "";
    uint64_t bad = 0;
    rc = xc_audit_check_tail (store, txn, XC_INTEGRITY_TAIL, tail, &bad,
                              inner, sizeof inner);
    if (rc)
        return xc_why (why, why_len, rc, _("store %s: audit log: %s "
                         "(checked at start: entries %llu..%llu)"), dir,
                       *inner ? inner : xc_strerror (rc),
                       (unsigned long long) tail->from,
                       (unsigned long long) tail->to);
    if (tail->to == 0)
        return xc_why (why, why_len, XC_ESTORE, _("store %s: the audit log is "
                         "empty, though xiechad --init wrote its first entry"),
                       dir);
    return tail->sealed ? s_check_sealed (tail, dir, code, trust, why,
                                          why_len)
                        : 0;
}

int
xc_integrity_check_start (xc_integrity_t *self, xc_store_t *store,
                          const char *dir, const char *code,
                          const xc_trust_t *trust, char *why, size_t why_len)
{
    MDB_txn *txn = NULL;
    if (xc_store_read (store, &txn) != 0)
        return xc_why (why, why_len, XC_ESTORE, _("store %s: cannot read it"),
                       dir);
    xc_audit_tail_t tail;
    int rc = s_check (store, txn, dir, code, trust, &tail, why, why_len);
    mdb_txn_abort (txn);
    if (rc == 0) {
        pthread_mutex_lock (&self->lock);
        self->s.start_from = tail.from;
        self->s.start_to = tail.to;
        self->s.start_checkpoint = tail.sealed;
        pthread_mutex_unlock (&self->lock);
    }
    return rc;
}
