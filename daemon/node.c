/*  node.c - assembling a node from its configuration. */
#include <sys/stat.h>

#include "log.h"
#include "node.h"
#include "reload.h"

static int
s_load_keys (xc_node_t *self, char *why, size_t why_len)
{
    const xc_config_t *c = &self->config;
    self->sign_key = xc_key_load (c->signing_key, why, why_len);
    if (!self->sign_key)
        return XC_EKEY;
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (self->sign_key, pub);
    xc_key_id (pub, self->key_id);

    self->curve = zcert_load (c->curve_cert);
    if (!self->curve)
        return xc_why (why, why_len, XC_EKEY,
                       "keys/curve: cannot load CURVE certificate %s "
                       "(and %s_secret)", c->curve_cert, c->curve_cert);
    return xc_salt_load (c->salt, self->salt, &self->salt_len, why, why_len);
}

/*  A node whose own keys are not in the trust list would start, then be
    refused by every peer; fail here instead, where the cause is clear. */
static int
s_check_self (xc_node_t *self, char *why, size_t why_len)
{
    const xc_config_t *c = &self->config;
    const xc_trust_node_t *me = xc_trust_node (self->trust, c->code);
    if (!me)
        return xc_why (why, why_len, XC_ECONFIG,
                       "node/code %s is not in the trust list %s", c->code,
                       c->trust_list);
    const xc_trust_key_t *k = xc_trust_key (self->trust, self->key_id);
    if (!k || strcmp (k->node, c->code) != 0)
        return xc_why (why, why_len, XC_ECONFIG,
                       "keys/signing: key %s is not listed for node %s in %s",
                       self->key_id, c->code, c->trust_list);
    if (strcmp (me->curve, zcert_public_txt (self->curve)) != 0)
        return xc_why (why, why_len, XC_ECONFIG,
                       "keys/curve: public key %s differs from the trust "
                       "list's %s for node %s", zcert_public_txt (self->curve),
                       me->curve, c->code);
    return 0;
}

/*  With trust/root set, an unsigned or wrongly signed list is refused:
    a node must not start trusting keys the network never vouched for. */
static int
s_load_trust (xc_node_t *self, char *why, size_t why_len)
{
    const xc_config_t *c = &self->config;
    if (!c->trust_root[0]) {
        self->trust = xc_trust_load (c->trust_list, why, why_len);
        return self->trust ? 0 : XC_ECONFIG;
    }
    uint8_t root[XC_PUBKEY_LEN];
    if (strlen (c->trust_root) != 2 * XC_PUBKEY_LEN
        || xc_unhex (c->trust_root, root, sizeof root) != 0)
        return xc_why (why, why_len, XC_ECONFIG,
                       "%s: trust/root: must be 64 hex characters (the "
                       "root's Ed25519 public key)", c->path);
    char inner[448];
    self->trust = xc_trust_load_signed (c->trust_list, root, 0, inner,
                                        sizeof inner);
    if (!self->trust)
        return xc_why (why, why_len, XC_ESIG,
                       "trust list refused (trust/root is set): %s", inner);
    /* An overdue list still names the right keys more often than not;
       refusing it would take the whole network down at once, so warn. */
    uint64_t next = xc_trust_next_update (self->trust);
    if (xc_now_ms () > next) {
        char iso[32];
        xc_time_iso (next, iso);
        xc_warn ("trust list %s (serial %llu) was due for replacement at %s",
                 c->trust_list,
                 (unsigned long long) xc_trust_serial (self->trust), iso);
    }
    return 0;
}

xc_node_t *
xc_node_new (const xc_config_t *config, int check_only, char *why,
             size_t why_len)
{
    xc_node_t *self = calloc (1, sizeof *self);
    if (!self) {
        xc_why (why, why_len, XC_ENOMEM, "out of memory");
        return NULL;
    }
    self->config = *config;
    self->started_at = xc_now_ms ();
    if (s_load_keys (self, why, why_len))
        goto fail;
    if (s_load_trust (self, why, why_len) || s_check_self (self, why, why_len))
        goto fail;
    xc_policy_default (&self->policy);
    if (config->policy[0]
        && xc_policy_load (config->policy, &self->policy, why, why_len) != 0)
        goto fail;
    if (check_only)
        return self;
    if (mkdir (config->data_dir, 0700) != 0 && errno != EEXIST) {
        xc_why (why, why_len, XC_EIO, "node/data_dir: cannot create %s: %s",
                config->data_dir, strerror (errno));
        goto fail;
    }
    self->store = xc_store_new (config->data_dir, 0, why, why_len);
    if (!self->store)
        goto fail;
    if (xc_reload_check_mark (self, why, why_len) != 0)
        goto fail;
    return self;
fail:
    xc_node_destroy (&self);
    return NULL;
}

void
xc_node_destroy (xc_node_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_node_t *self = *self_p;
    xc_store_destroy (&self->store);
    xc_trust_destroy (&self->trust);
    zcert_destroy (&self->curve);
    xc_key_destroy (&self->sign_key);
    explicit_bzero (self->salt, sizeof self->salt);
    free (self);
    *self_p = NULL;
}
