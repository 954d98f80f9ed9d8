/*  reload.c - reloading the trust list on SIGHUP; see reload.h. */
#include <signal.h>

#include <xiecha/bytes.h>

#include "store/audit.h"
#include "node/log.h"
#include "node/notify.h"
#include "node/reload.h"
#include "node/trustmark.h"

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
    if (strcmp (me->curve, zcert_public_txt (node->curve)) != 0)
        return xc_why (why, why_len, XC_ECONFIG,
                       "CURVE key %s differs from the new list's %s",
                       zcert_public_txt (node->curve), me->curve);
    /* A list that revokes (or ends) the key we sign with is still taken:
       it is the network's word, its peers hold it already, and refusing
       it would keep trusting every other key it revokes.  The tick then
       stops the node (xc_reload_tick).  A shorter certificate lifetime
       is taken the same way: certificates are cut to it at issue. */
    char inner[400];
    if (xc_node_check_lifetime (c, trust, inner, sizeof inner) != 0)
        xc_warn ("new trust list: %s; they are cut to its lifetime", inner);
    return 0;
}

int
xc_reload_trust (xc_node_t *node, bool *changed, char *why, size_t why_len)
{
    *changed = false;
    xc_trustmark_t stored, mark;
    if (xc_trustmark_get (node->store, &stored) != 0)
        return xc_why (why, why_len, XC_ESTORE, "cannot read %s from the "
                       "store", XC_TRUSTMARK_SERIAL_KEY);
    mark = stored;
    xc_trustmark_merge (&mark, node->trust);
    xc_trust_t *trust = s_load (node, mark.serial, why, why_len);
    if (!trust)
        return XC_ECONFIG;
    /* The signed loader refused an older serial already; an unsigned
       list's serial, when given, is held to the same rules here. */
    bool same;
    int rc = xc_trustmark_judge (&mark, trust, node->config.trust_list, &same,
                                 why, why_len);
    if (rc == 0 && !same) {
        /* A list without a serial has no mark to say it is the same. */
        uint8_t now_in[XC_HASH_LEN], loaded[XC_HASH_LEN];
        xc_trust_digest (node->trust, now_in);
        xc_trust_digest (trust, loaded);
        same = memcmp (now_in, loaded, XC_HASH_LEN) == 0;
    }
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
    if (xc_trustmark_record (node->store, node->trust, &stored) != 0)
        xc_warn ("trust list reloaded but %s not stored",
                 XC_TRUSTMARK_SERIAL_KEY);
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
    xc_log_event (XC_LOG_INFO, "key_switch",
                  XC_KV ("from", node->signers[0].id, "to",
                         node->signers[1].id),
                  "signing key switched from %s to %s (its not_before has "
                  "come)", node->signers[0].id, node->signers[1].id);
    int rc = xc_store_write (node->store, s_rotated_write, node);
    if (rc)
        xc_err_rc (rc, "key switch not recorded in the audit log");
}

/*  The key the node signs with became invalid (revoked, expired, by the
    clock or by a reloaded list): the node stops, rather than go on
    signing what every verifier calls INVALID.  A restart then fails at
    once, naming the key, until a valid key is in place. */
static int
s_check_signer (xc_node_t *node)
{
    char why[sizeof node->stopped - 16];
    if (xc_node_check_signer (node, xc_now_ms (), why, sizeof why) == 0)
        return 0;
    snprintf (node->stopped, sizeof node->stopped, "stopping: %s", why);
    xc_err ("%s", node->stopped);
    return -1;   /* ends the loop */
}

/*  The terminals of list, copied (they go with the list on reload);
    *n of them, NULL when none.  Caller frees. */
static xc_terminal_t *
s_terminals_copy (const xc_terminals_t *list, size_t *n)
{
    *n = xc_terminals_size (list);
    xc_terminal_t *copy = *n ? calloc (*n, sizeof *copy) : NULL;
    if (!copy)
        *n = 0;
    for (size_t i = 0; i < *n; i++)
        copy[i] = *xc_terminals_at (list, i);
    return copy;
}

/*  The terminal of ts[n] with id, or NULL. */
static const xc_terminal_t *
s_terminal_in (const xc_terminal_t *ts, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp (ts[i].id, id) == 0)
            return &ts[i];
    return NULL;
}

/*  Fills r->added and r->removed from the old terminals and the list
    now; returns whether anything differs (a changed role or validity
    too). */
static bool
s_terminals_diff (const xc_terminal_t *old, size_t n,
                  const xc_terminals_t *now, xc_reload_report_t *r)
{
    bool changed = false;
    for (size_t i = 0; i < xc_terminals_size (now); i++) {
        const xc_terminal_t *t = xc_terminals_at (now, i);
        const xc_terminal_t *o = s_terminal_in (old, n, t->id);
        if (!o)
            zlist_append (r->added, (char *) t->id);   /* copied: autofree */
        changed |= !o || memcmp (o, t, sizeof *t) != 0;
    }
    for (size_t i = 0; i < n; i++)
        if (!xc_terminals_find (now, old[i].id)) {
            zlist_append (r->removed, (char *) old[i].id);
            changed = true;
        }
    return changed;
}

/*  The terminal list, apart from the trust list: a revocation must take
    effect even when the trust list cannot be reloaded. */
static void
s_reload_terminals (xc_node_t *node, xc_reload_report_t *r)
{
    xc_reload_part_t *p = &r->terminals;
    p->configured = node->config.terminals[0] != '\0';
    if (!p->configured)
        return;
    size_t n, count;
    xc_terminal_t *old = s_terminals_copy (xc_access_list (node->access), &n);
    p->rc = xc_access_reload (node->access, &count, p->why, sizeof p->why);
    if (p->rc)
        xc_log_event (XC_LOG_ERR, "reload", XC_KV ("what", "terminals", "ok", "false"),
                      "terminal list not reloaded, keeping the one in use: %s",
                p->why);
    else {
        p->changed = s_terminals_diff (old, n, xc_access_list (node->access),
                                       r);
        xc_log_event (XC_LOG_INFO, "reload", XC_KV ("what", "terminals", "ok", "true"),
                      "terminal list reloaded: %zu terminals (%s), %zu added, "
                 "%zu removed%s", count, node->config.terminals,
                 zlist_size (r->added), zlist_size (r->removed),
                 p->changed ? "" : ", unchanged");
    }
    free (old);
}

/*  The policy file, read again; the one in use stays when it fails.
    Policies are compared whole: xc_policy_default zeroes the struct
    first, so equal files give equal bytes. */
static void
s_reload_policy (xc_node_t *node, xc_reload_report_t *r)
{
    xc_reload_part_t *p = &r->policy;
    snprintf (r->policy_old, sizeof r->policy_old, "%s", node->policy.name);
    snprintf (r->policy_new, sizeof r->policy_new, "%s", node->policy.name);
    p->configured = node->config.policy[0] != '\0';
    if (!p->configured)
        return;
    xc_policy_t policy;
    xc_policy_default (&policy);
    p->rc = xc_policy_load (node->config.policy, &policy, p->why,
                            sizeof p->why);
    if (p->rc) {
        xc_log_event (XC_LOG_ERR, "reload", XC_KV ("what", "policy", "ok", "false"),
                      "policy not reloaded, keeping \"%s\": %s", node->policy.name,
                p->why);
        return;
    }
    p->changed = memcmp (&policy, &node->policy, sizeof policy) != 0;
    node->policy = policy;
    snprintf (r->policy_new, sizeof r->policy_new, "%s", policy.name);
    xc_log_event (XC_LOG_INFO, "reload", XC_KV ("what", "policy", "ok", "true"),
                      "policy reloaded: \"%s\" (%s)%s", policy.name,
             node->config.policy, p->changed ? "" : ", unchanged");
}

static void
s_reload_trust_part (xc_node_t *node, xc_reload_report_t *r)
{
    xc_reload_part_t *p = &r->trust;
    p->configured = true;
    r->serial_old = xc_trust_serial (node->trust);
    p->rc = xc_reload_trust (node, &p->changed, p->why, sizeof p->why);
    r->serial_new = xc_trust_serial (node->trust);
    if (p->rc) {
        xc_log_event (XC_LOG_ERR, "reload", XC_KV ("what", "trust", "ok", "false"),
                      "trust list not reloaded, keeping serial %llu: %s",
                (unsigned long long) r->serial_old, p->why);
        return;
    }
    char hex[2 * XC_HASH_LEN + 1];
    uint8_t digest[XC_HASH_LEN];
    xc_trust_digest (node->trust, digest);
    xc_hex (digest, sizeof digest, hex);
    if (p->changed)
        xc_log_event (XC_LOG_INFO, "reload", XC_KV ("what", "trust", "ok", "true"),
                      "trust list reloaded: serial %llu, %zu nodes, sha256 %s",
                 (unsigned long long) r->serial_new,
                 xc_trust_size (node->trust), hex);
    else
        xc_log_event (XC_LOG_INFO, "reload", XC_KV ("what", "trust", "ok", "true"),
                      "trust list unchanged: serial %llu, the same bytes as "
                 "loaded (sha256 %s)", (unsigned long long) r->serial_new,
                 hex);
}

void
xc_reload_all (xc_node_t *node, xc_reload_report_t *report)
{
    memset (report, 0, sizeof *report);
    report->added = zlist_new ();
    report->removed = zlist_new ();
    zlist_autofree (report->added);
    zlist_autofree (report->removed);
    xc_notify_reloading ();
    s_reload_terminals (node, report);
    s_reload_trust_part (node, report);
    s_reload_policy (node, report);
    bool refused = report->terminals.rc || report->trust.rc
                   || report->policy.rc;
    xc_notify_ready ("serving; reloaded: trust list serial %llu%s",
                     (unsigned long long) report->serial_new,
                     refused ? ", a part refused (see the log)" : "");
}

void
xc_reload_clear (xc_reload_report_t *report)
{
    zlist_destroy (&report->added);
    zlist_destroy (&report->removed);
}

int
xc_reload_tick (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    xc_node_t *node = arg;
    xc_notify_watchdog ();
    //  A pending next key starts signing as soon as the list allows it.
    xc_reload_rotate (node);
    if (s_hup) {
        s_hup = 0;
        xc_reload_report_t report;
        xc_reload_all (node, &report);
        xc_reload_clear (&report);
    }
    return s_check_signer (node);
}
