/*  reload.c - reloading the trust list on SIGHUP; see reload.h. */
#include <signal.h>

#include "audit.h"
#include "log.h"
#include "reload.h"

#define S_MARK_KEY "trust.serial"

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

static MDB_val
s_mark_key (void)
{
    MDB_val key = {sizeof S_MARK_KEY - 1, (void *) S_MARK_KEY};
    return key;
}

/*  The stored mark, 0 when none (or no store: --check). */
static int
s_mark_get (xc_node_t *node, uint64_t *mark)
{
    *mark = 0;
    if (!node->store)
        return 0;
    MDB_txn *txn;
    if (xc_store_read (node->store, &txn) != 0)
        return XC_ESTORE;
    MDB_val key = s_mark_key (), val;
    int rc = mdb_get (txn, xc_store_dbi (node->store, XC_DB_META), &key,
                      &val);
    if (rc == MDB_SUCCESS && val.mv_size == 8) {
        const uint8_t *p = val.mv_data;
        for (int i = 0; i < 8; i++)
            *mark = *mark << 8 | p[i];
    }
    else if (rc == MDB_SUCCESS)
        rc = MDB_CORRUPTED;
    mdb_txn_abort (txn);
    return rc == MDB_SUCCESS || rc == MDB_NOTFOUND ? 0 : XC_ESTORE;
}

static int
s_mark_write (MDB_txn *txn, void *arg)
{
    xc_node_t *node = arg;
    uint64_t serial = xc_trust_serial (node->trust);
    uint8_t buf[8];
    for (int i = 0; i < 8; i++)
        buf[i] = (uint8_t) (serial >> (56 - 8 * i));
    MDB_val key = s_mark_key (), val = {sizeof buf, buf};
    return xc_store_rc (mdb_put (txn, xc_store_dbi (node->store, XC_DB_META),
                                 &key, &val, 0));
}

/*  Raises the stored mark to the loaded serial; no-op when not higher. */
static int
s_mark_raise (xc_node_t *node, uint64_t stored)
{
    if (!node->store || xc_trust_serial (node->trust) <= stored)
        return 0;
    return xc_store_write (node->store, s_mark_write, node);
}

int
xc_reload_check_mark (xc_node_t *node, char *why, size_t why_len)
{
    uint64_t stored;
    if (s_mark_get (node, &stored) != 0)
        return xc_why (why, why_len, XC_ESTORE,
                       "cannot read %s from the store", S_MARK_KEY);
    uint64_t serial = xc_trust_serial (node->trust);
    if (serial < stored)
        return xc_why (why, why_len, XC_ECONFIG,
                       "trust list %s: serial %llu is older than serial "
                       "%llu this node has already used (a replayed list?)",
                       node->config.trust_list,
                       (unsigned long long) serial,
                       (unsigned long long) stored);
    if (s_mark_raise (node, stored) != 0)
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

int
xc_reload_trust (xc_node_t *node, char *why, size_t why_len)
{
    uint64_t stored;
    if (s_mark_get (node, &stored) != 0)
        return xc_why (why, why_len, XC_ESTORE,
                       "cannot read %s from the store", S_MARK_KEY);
    uint64_t mark = xc_trust_serial (node->trust);
    if (stored > mark)
        mark = stored;
    xc_trust_t *trust = s_load (node, mark, why, why_len);
    if (!trust)
        return XC_ECONFIG;
    /* An unsigned list is not checked by xc_trust_load_signed; its
       serial, when given, still may not go back. */
    if (xc_trust_serial (trust) < mark) {
        int rc = xc_why (why, why_len, XC_ECONFIG,
                         "%s: serial %llu is lower than the loaded %llu",
                         node->config.trust_list,
                         (unsigned long long) xc_trust_serial (trust),
                         (unsigned long long) mark);
        xc_trust_destroy (&trust);
        return rc;
    }
    int rc = s_check_self (node, trust, why, why_len);
    if (rc) {
        xc_trust_destroy (&trust);
        return rc;
    }
    /* The loop is single-threaded and this runs between events, so no
       handler holds a pointer into the old list. */
    xc_trust_t *old = node->trust;
    node->trust = trust;
    xc_trust_destroy (&old);
    if (s_mark_raise (node, stored) != 0)
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
    char why[512];
    if (xc_reload_trust (node, why, sizeof why) != 0)
        xc_err ("trust list not reloaded, keeping serial %llu: %s",
                (unsigned long long) xc_trust_serial (node->trust), why);
    else
        xc_info ("trust list reloaded: serial %llu, %zu nodes",
                 (unsigned long long) xc_trust_serial (node->trust),
                 xc_trust_size (node->trust));
    return 0;
}
