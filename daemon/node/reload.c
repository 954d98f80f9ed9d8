/*  reload.c - reloading the trust list on SIGHUP; see reload.h. */
#include <signal.h>

#include <xiecha/bytes.h>

#include "store/audit.h"
#include "node/log.h"
#include "node/reload.h"

#define S_MARK_KEY "trust.serial"
#define S_DIGEST_KEY "trust.digest"

/*  What this node has accepted: the highest serial, and the digest of
    the list that carried it.  The digest sits under its own key, as
    serial (8) + SHA-256 (32), rather than widening trust.serial, so a
    store keeps working with an older xiechad; one that raised
    trust.serial alone leaves a digest of another serial, which counts
    as unknown and is recorded afresh. */
typedef struct {
    uint64_t serial;                /* trust.serial, 0 = none */
    bool known;                     /* digest is that serial's */
    uint8_t digest[XC_HASH_LEN];    /* SHA-256 of that list's bytes */
} s_mark_t;

static volatile sig_atomic_t s_hup;
static volatile sig_atomic_t s_hups;

static void
s_on_hup (int sig)
{
    (void) sig;
    s_hup = 1;
    s_hups++;
}

unsigned
xc_reload_hups (void)
{
    return (unsigned) s_hups;
}

void
xc_reload_install (void)
{
    struct sigaction sa;
    memset (&sa, 0, sizeof sa);
    sa.sa_handler = s_on_hup;
    sigemptyset (&sa.sa_mask);
    /* SA_RESTART: a HUP must not make zmq_poll or LMDB calls fail. */
    sa.sa_flags = SA_RESTART;
    sigaction (SIGHUP, &sa, NULL);
}

/*  Reads meta[name] into val, which must then be exactly size bytes.
    Returns 0 (found), 1 (absent) or an LMDB error. */
static int
s_meta_get (xc_node_t *node, MDB_txn *txn, const char *name, size_t size,
            MDB_val *val)
{
    MDB_val key = {strlen (name), (void *) name};
    int rc = mdb_get (txn, xc_store_dbi (node->store, XC_DB_META), &key, val);
    if (rc == MDB_NOTFOUND)
        return 1;
    if (rc == MDB_SUCCESS && val->mv_size != size)
        return MDB_CORRUPTED;
    return rc;
}

/*  The stored mark; none when there is no store (or, read-only, no meta
    database yet). */
static int
s_mark_get (xc_node_t *node, s_mark_t *mark)
{
    memset (mark, 0, sizeof *mark);
    if (!node->store || !xc_store_has (node->store, XC_DB_META))
        return 0;
    MDB_txn *txn;
    if (xc_store_read (node->store, &txn) != 0)
        return XC_ESTORE;
    MDB_val val;
    int rc = s_meta_get (node, txn, S_MARK_KEY, 8, &val);
    if (rc == 0)
        mark->serial = xc_get_u64 (val.mv_data);
    if (rc == 0 || rc == 1)
        rc = s_meta_get (node, txn, S_DIGEST_KEY, 8 + XC_HASH_LEN, &val);
    if (rc == 0 && mark->serial
        && xc_get_u64 (val.mv_data) == mark->serial) {
        mark->known = true;
        memcpy (mark->digest, (uint8_t *) val.mv_data + 8, XC_HASH_LEN);
    }
    mdb_txn_abort (txn);
    return rc == 0 || rc == 1 ? 0 : XC_ESTORE;
}

/*  Write fn: the loaded list's serial and digest, in one transaction. */
static int
s_mark_write (MDB_txn *txn, void *arg)
{
    xc_node_t *node = arg;
    MDB_dbi meta = xc_store_dbi (node->store, XC_DB_META);
    uint8_t serial[8], digest[8 + XC_HASH_LEN];
    xc_put_u64 (serial, xc_trust_serial (node->trust));
    memcpy (digest, serial, 8);
    xc_trust_digest (node->trust, digest + 8);
    MDB_val skey = {sizeof S_MARK_KEY - 1, (void *) S_MARK_KEY};
    MDB_val dkey = {sizeof S_DIGEST_KEY - 1, (void *) S_DIGEST_KEY};
    MDB_val sval = {sizeof serial, serial}, dval = {sizeof digest, digest};
    int rc = mdb_put (txn, meta, &skey, &sval, 0);
    if (rc == MDB_SUCCESS)
        rc = mdb_put (txn, meta, &dkey, &dval, 0);
    return xc_store_rc (rc);
}

/*  Records the loaded list as the mark when it is newer than stored, or
    of the same serial in a store made before digests were kept (the
    list it holds is the best witness left of what that serial was).
    A list without a serial leaves no mark. */
static int
s_mark_record (xc_node_t *node, const s_mark_t *stored)
{
    uint64_t serial = xc_trust_serial (node->trust);
    if (!node->store || !serial || serial < stored->serial
        || (serial == stored->serial && stored->known))
        return 0;
    int rc = xc_store_write (node->store, s_mark_write, node);
    if (rc == 0 && serial == stored->serial)
        xc_info ("trust list serial %llu: digest recorded beside %s (the "
                 "store predates %s)", (unsigned long long) serial,
                 S_MARK_KEY, S_DIGEST_KEY);
    return rc;
}

/*  Whether trust may follow mark: not older, and, at the same serial,
    the same bytes (*same then set).  A list re-signed with other
    content under a serial already used (one from before a revocation,
    say) would otherwise be taken for the list it replays. */
static int
s_mark_judge (xc_node_t *node, const xc_trust_t *trust,
              const s_mark_t *mark, bool *same, char *why, size_t why_len)
{
    uint64_t serial = xc_trust_serial (trust);
    *same = false;
    if (serial < mark->serial)
        return xc_why (why, why_len, XC_ECONFIG,
                       "trust list %s: serial %llu is older than serial "
                       "%llu this node has already used (a replayed list?)",
                       node->config.trust_list,
                       (unsigned long long) serial,
                       (unsigned long long) mark->serial);
    if (!serial || serial > mark->serial || !mark->known)
        return 0;
    uint8_t digest[XC_HASH_LEN];
    xc_trust_digest (trust, digest);
    if (memcmp (digest, mark->digest, XC_HASH_LEN) == 0) {
        *same = true;
        return 0;
    }
    char hex[2 * XC_HASH_LEN + 1], used[2 * XC_HASH_LEN + 1];
    xc_hex (digest, XC_HASH_LEN, hex);
    xc_hex (mark->digest, XC_HASH_LEN, used);
    return xc_why (why, why_len, XC_ECONFIG,
                   "trust list %s: serial %llu (sha256 %s) differs from the "
                   "list of serial %llu this node has already used (sha256 "
                   "%s): a changed list needs a higher serial (a replayed "
                   "or re-signed list?)", node->config.trust_list,
                   (unsigned long long) serial, hex,
                   (unsigned long long) mark->serial, used);
}

int
xc_reload_check_mark (xc_node_t *node, bool record, char *why,
                      size_t why_len)
{
    s_mark_t stored;
    if (s_mark_get (node, &stored) != 0)
        return xc_why (why, why_len, XC_ESTORE,
                       "cannot read %s from the store", S_MARK_KEY);
    node->stored_serial = stored.serial;
    bool same;
    int rc = s_mark_judge (node, node->trust, &stored, &same, why, why_len);
    if (rc)
        return rc;
    if (record && s_mark_record (node, &stored) != 0)
        return xc_why (why, why_len, XC_ESTORE,
                       "cannot store %s", S_MARK_KEY);
    return 0;
}

/*  Loads the list as node.c does at start; min is the lowest serial a
    signed list may carry. */
static xc_trust_t *
s_load (xc_node_t *node, uint64_t min, char *why, size_t why_len)
{
    const xc_config_t *c = &node->config;
    if (!c->trust_root[0])
        return xc_trust_load (c->trust_list, why, why_len);
    uint8_t root[XC_PUBKEY_LEN];
    if (strlen (c->trust_root) != 2 * XC_PUBKEY_LEN
        || xc_unhex (c->trust_root, root, sizeof root) != 0) {
        xc_why (why, why_len, XC_ECONFIG, "trust/root: must be 64 hex "
                                          "characters");
        return NULL;
    }
    char inner[448];
    xc_trust_t *trust = xc_trust_load_signed (c->trust_list, root, min,
                                              inner, sizeof inner);
    if (!trust)
        xc_why (why, why_len, XC_ESIG,
                "trust list refused (trust/root is set): %s", inner);
    return trust;
}

/*  The new list must still name this node with the keys it runs with,
    or every peer holding the same list would refuse it. */
static int
s_check_self (xc_node_t *node, const xc_trust_t *trust, char *why,
              size_t why_len)
{
    const xc_config_t *c = &node->config;
    const xc_trust_node_t *me = xc_trust_node (trust, c->code);
    if (!me)
        return xc_why (why, why_len, XC_ECONFIG,
                       "node %s is not in the new list", c->code);
    //  The key in use, or the next one (the switch follows at once).
    const xc_signer_t *s = xc_node_signer (node);
    if (!xc_node_listed (node, trust, node->active)
        && !(node->active == 0 && xc_node_listed (node, trust, 1)))
        return xc_why (why, why_len, XC_ECONFIG,
                       "signing key %s is not listed for node %s in the "
                       "new list", s->id, c->code);
    const xc_trust_key_t *k = xc_trust_key (trust, s->id);
    if (!k)
        return 0;
    if (strcmp (me->curve, zcert_public_txt (node->curve)) != 0)
        return xc_why (why, why_len, XC_ECONFIG,
                       "CURVE key %s differs from the new list's %s",
                       zcert_public_txt (node->curve), me->curve);
    char inner[256];
    if (xc_trust_key_check (k, xc_now_ms (), inner, sizeof inner) != 0)
        xc_warn ("new trust list: own signing key: %s", inner);
    return 0;
}

/*  The mark a reload must not go below: the stored one, or the list
    in memory when that is newer or the store lacks its digest (its
    write failed, or the store predates digests). */
static void
s_mark_merge (xc_node_t *node, s_mark_t *mark)
{
    uint64_t serial = xc_trust_serial (node->trust);
    if (serial > mark->serial || (serial == mark->serial && !mark->known)) {
        mark->serial = serial;
        mark->known = serial != 0;
        xc_trust_digest (node->trust, mark->digest);
    }
}

int
xc_reload_trust (xc_node_t *node, bool *changed, char *why, size_t why_len)
{
    *changed = false;
    s_mark_t stored, mark;
    if (s_mark_get (node, &stored) != 0)
        return xc_why (why, why_len, XC_ESTORE,
                       "cannot read %s from the store", S_MARK_KEY);
    mark = stored;
    s_mark_merge (node, &mark);
    xc_trust_t *trust = s_load (node, mark.serial, why, why_len);
    if (!trust)
        return XC_ECONFIG;
    /* The signed loader refused an older serial already; an unsigned
       list's serial, when given, is held to the same rules here. */
    bool same;
    int rc = s_mark_judge (node, trust, &mark, &same, why, why_len);
    if (rc == 0 && !same)
        rc = s_check_self (node, trust, why, why_len);
    if (rc || same) {
        xc_trust_destroy (&trust);
        return rc;
    }
    /* The loop is single-threaded and this runs between events, so no
       handler holds a pointer into the old list. */
    xc_trust_t *old = node->trust;
    node->trust = trust;
    xc_trust_destroy (&old);
    *changed = true;
    if (s_mark_record (node, &stored) != 0)
        xc_warn ("trust list reloaded but %s not stored", S_MARK_KEY);
    return 0;
}

/*  Audit entry for a key switch, in its own transaction. */
static int
s_rotated_write (MDB_txn *txn, void *arg)
{
    xc_node_t *node = arg;
    char note[128];
    snprintf (note, sizeof note, "signing key switched from %s to %s",
              node->signers[0].id, node->signers[1].id);
    return xc_audit_append (node->store, txn, XC_AUDIT_DECISION, NULL,
                            xc_now_ms (), note, NULL, 0, NULL);
}

void
xc_reload_rotate (xc_node_t *node)
{
    if (!xc_node_rotate (node, xc_now_ms ()))
        return;
    xc_info ("signing key switched from %s to %s (its not_before has come)",
             node->signers[0].id, node->signers[1].id);
    if (xc_store_write (node->store, s_rotated_write, node) != 0)
        xc_err ("key switch not recorded in the audit log");
}

int
xc_reload_tick (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    xc_node_t *node = arg;
    //  A pending next key starts signing as soon as the list allows it.
    xc_reload_rotate (node);
    if (!s_hup)
        return 0;
    s_hup = 0;
    char why[1024], hex[2 * XC_HASH_LEN + 1];
    uint8_t digest[XC_HASH_LEN];
    bool changed;
    if (xc_reload_trust (node, &changed, why, sizeof why) != 0) {
        xc_err ("trust list not reloaded, keeping serial %llu: %s",
                (unsigned long long) xc_trust_serial (node->trust), why);
        return 0;
    }
    xc_trust_digest (node->trust, digest);
    xc_hex (digest, sizeof digest, hex);
    if (changed)
        xc_info ("trust list reloaded: serial %llu, %zu nodes, sha256 %s",
                 (unsigned long long) xc_trust_serial (node->trust),
                 xc_trust_size (node->trust), hex);
    else
        xc_info ("trust list unchanged: serial %llu, the same bytes as "
                 "loaded (sha256 %s)",
                 (unsigned long long) xc_trust_serial (node->trust), hex);
    return 0;
}
