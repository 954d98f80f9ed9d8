/*  node.c - assembling a node from its configuration. */
#include <sys/stat.h>

#include "node/identity.h"
#include "node/log.h"
#include "node/node.h"
#include "node/trustmark.h"
#include "store/audit.h"
#include "node/restore.h"
#include "xiecha/text.h"

/*  Loads one signing key and names it by its id. */
static int
s_load_signer (xc_signer_t *s, const char *path, const char *option,
               char *why, size_t why_len)
{
    char inner[256];
    s->key = xc_key_load (path, inner, sizeof inner);
    if (!s->key)
        return xc_why (why, why_len, XC_EKEY, "%s: %s", option, inner);
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (s->key, pub);
    xc_key_id (pub, s->id);
    return 0;
}

static int
s_load_keys (xc_node_t *self, char *why, size_t why_len)
{
    const xc_config_t *c = &self->config;
    int rc = s_load_signer (&self->signers[0], c->signing_key, "keys/signing",
                            why, why_len);
    if (rc == 0 && c->next_signing_key[0])
        rc = s_load_signer (&self->signers[1], c->next_signing_key,
                            "keys/next_signing", why, why_len);
    if (rc)
        return rc;
    if (self->signers[1].key
        && strcmp (self->signers[0].id, self->signers[1].id) == 0)
        return xc_why (why, why_len, XC_ECONFIG, _("keys/next_signing: the "
                         "same key as keys/signing (%s)"), self->signers[0].id);

    self->curve = zcert_load (c->curve_cert);
    if (!self->curve)
        return xc_why (why, why_len, XC_EKEY,
                       _("keys/curve: cannot load CURVE certificate %s "
                         "(and %s_secret)"), c->curve_cert, c->curve_cert);
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
                       _("node/code %s is not in the trust list %s"), c->code,
                       c->trust_list);
    //  A node restarted after its list dropped the old key may start on
    //  the next one straight away.
    if (!xc_node_listed (self, self->trust, 0)) {
        if (!xc_node_listed (self, self->trust, 1))
            return xc_why (why, why_len, XC_ECONFIG,
                           _("keys/signing: key %s is not listed for node %s "
                             "in %s"), self->signers[0].id, c->code,
                           c->trust_list);
        self->active = 1;
    }
    if (strcmp (me->curve, zcert_public_txt (self->curve)) != 0)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("keys/curve: public key %s differs from the trust "
                         "list's %s for node %s"), zcert_public_txt (self->curve),
                       me->curve, c->code);
    int rc = xc_node_check_lifetime (c, self->trust, why, why_len);
    return rc ? rc : xc_node_check_signer (self, xc_now_ms (), why, why_len);
}

int
xc_node_check_lifetime (const xc_config_t *c, const xc_trust_t *trust,
                        char *why, size_t why_len)
{
    unsigned days = xc_trust_max_cert_lifetime (trust);
    if ((uint64_t) c->certificate_valid_s <= (uint64_t) days * 86400)
        return 0;
    return xc_why (why, why_len, XC_ECONFIG, _("%s: limits/certificate_valid_s "
                     "%d s is longer than the trust list's "
                     "max_cert_lifetime_days %u (%u s): every certificate "
                     "this node issued would verify as INVALID"), c->path,
                   c->certificate_valid_s, days, days * 86400);
}

/*  Every bound is one a verifier holds the certificate to (trust.h): the
    node's own lifetime, the list's, and the end of the key that signs,
    so a certificate never outlives what vouches for it. */
uint64_t
xc_node_cert_until (const xc_node_t *self, uint64_t now)
{
    uint64_t until = now + (uint64_t) self->config.certificate_valid_s * 1000;
    uint64_t max = now + (uint64_t) xc_trust_max_cert_lifetime (self->trust)
                             * 86400000ULL;
    const xc_trust_key_t *k =
        xc_trust_key (self->trust, self->signers[self->active].id);
    if (until > max)
        until = max;
    if (k && k->not_after && until > k->not_after)
        until = k->not_after;
    if (k && k->revoked_at && until >= k->revoked_at)
        until = k->revoked_at - 1;
    return until;
}

/*  Whether the next key may take over at now: listed for this node and
    valid then. */
static bool
s_next_due (const xc_node_t *self, uint64_t now)
{
    if (self->active == 1 || !xc_node_listed (self, self->trust, 1))
        return false;
    const xc_trust_key_t *k = xc_trust_key (self->trust, self->signers[1].id);
    return xc_trust_key_check (k, now, NULL, 0) == 0;
}

/*  The key checked is the one the node signs with from now on: the next
    key when it is due (xc_node_rotate switches to it before anything is
    signed, and records the switch). */
int
xc_node_check_signer (const xc_node_t *self, uint64_t now, char *why,
                      size_t why_len)
{
    int which = s_next_due (self, now) ? 1 : self->active;
    const xc_signer_t *s = &self->signers[which];
    const xc_trust_key_t *k = xc_trust_key (self->trust, s->id);
    char inner[256];
    if (!k || strcmp (k->node, self->config.code) != 0)
        snprintf (inner, sizeof inner, _("key %s is not listed for node %s"),
                  s->id, self->config.code);
    else if (xc_trust_key_check (k, now, inner, sizeof inner) == 0)
        return 0;
    return xc_why (why, why_len, XC_EKEY,
                   _("%s: %s in the trust list %s: everything this node signs "
                     "would verify as INVALID; put a key the list makes valid "
                     "in place"), which ? "keys/next_signing" : "keys/signing",
                   inner, self->config.trust_list);
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
                       _("%s: trust/root: must be 64 hex characters (the "
                         "root's Ed25519 public key)"), c->path);
    char inner[448];
    self->trust = xc_trust_load_signed (c->trust_list, root, 0, inner,
                                        sizeof inner);
    if (!self->trust)
        return xc_why (why, why_len, XC_ESIG,
                       _("trust list refused (trust/root is set): %s"), inner);
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

int
xc_node_listed (const xc_node_t *self, const xc_trust_t *trust, int which)
{
    const xc_signer_t *s = &self->signers[which];
    const xc_trust_key_t *k = s->key ? xc_trust_key (trust, s->id) : NULL;
    return k && strcmp (k->node, self->config.code) == 0;
}

const xc_signer_t *
xc_node_signer (xc_node_t *self)
{
    return &self->signers[self->active];
}

int
xc_node_rotate (xc_node_t *self, uint64_t now)
{
    if (!s_next_due (self, now))
        return 0;
    self->active = 1;
    return 1;
}

void
xc_node_header (const xc_node_t *self, Xiecha__Header *h,
                uint8_t id[XC_MSGID_LEN], Xiecha__MsgType type,
                const char *recipient,
                const ProtobufCBinaryData *in_reply_to, uint64_t now)
{
    xc_header_init (h, id, type, self->config.code, recipient, now);
    if (in_reply_to)
        h->in_reply_to = *in_reply_to;
}

int
xc_node_sign (xc_node_t *self, const Xiecha__Signed *msg, uint8_t **out,
              size_t *out_len)
{
    const xc_signer_t *s = xc_node_signer (self);
    return xc_envelope_seal (msg, s->key, s->id, out, out_len);
}

/*  The header's id buffer lives on this stack frame only until sealing
    is done. */
int
xc_node_seal (xc_node_t *self, Xiecha__Signed *msg, Xiecha__MsgType type,
              const char *recipient, const ProtobufCBinaryData *in_reply_to,
              uint64_t now, uint8_t **out, size_t *out_len)
{
    Xiecha__Header header = XIECHA__HEADER__INIT;
    uint8_t id[XC_MSGID_LEN];
    xc_node_header (self, &header, id, type, recipient, in_reply_to, now);
    msg->header = &header;
    int rc = xc_node_sign (self, msg, out, out_len);
    msg->header = NULL;
    return rc;
}

/*  Says by how much the clock is off: opaque clock refusals cost
    operators days elsewhere. */
int
xc_node_check_time (const xc_node_t *self, uint64_t created, uint64_t now,
                    char *why, size_t why_len)
{
    /* Unsigned on purpose: created_at comes from a peer and may be any
       64-bit value; signed subtraction could overflow. */
    int behind = created < now;
    uint64_t off = behind ? now - created : created - now;
    uint64_t skew = (uint64_t) self->config.clock_skew_ms;
    if (off <= skew)
        return 0;
    char iso[32];
    xc_time_iso (created, iso);
    return xc_why (why, why_len, behind ? XC_ESTALE : XC_EFUTURE,
                   _("header.created_at %s is %.1f s %s this node's clock "
                     "(tolerance %.0f s)"), iso, (double) off / 1000.0,
                   behind ? _("behind") : _("ahead of"), (double) skew / 1000.0);
}

int
xc_node_check_deadline (const xc_node_t *self, uint64_t deadline,
                        uint64_t created, uint64_t now, char *why,
                        size_t why_len)
{
    if (deadline == 0)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("query.deadline: missing (a query says when its "
                         "asker gives up)"));
    if (deadline <= created)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("query.deadline: not after header.created_at"));
    uint64_t grace = (uint64_t) self->config.deadline_grace_ms;
    if (now <= deadline || now - deadline <= grace)
        return 0;
    char iso[32];
    xc_time_iso (deadline, iso);
    return xc_why (why, why_len, XC_ESTALE,
                   _("query.deadline %s passed %.1f s ago by this node's "
                     "clock (grace %.1f s, limits/deadline_grace_ms): the "
                     "asking node has given up, so it is not answered (or the "
                     "two clocks differ by that much)"), iso,
                   (double) (now - deadline) / 1000.0,
                   (double) grace / 1000.0);
}

int
xc_node_subject (const xc_node_t *self, const Xiecha__Person *p,
                 const char *field, uint8_t ref[XC_REF_LEN], char *why,
                 size_t why_len)
{
    char norm[XC_ID_LEN + 1];
    if (!p || !p->id_number)
        return xc_why (why, why_len, XC_EINVAL, _("%s: missing"), field);
    int rc = xc_id_normalize (p->id_number, field, norm, why, why_len);
    if (rc)
        return rc;
    xc_subject_ref (self->salt, self->salt_len, norm, ref);
    explicit_bzero (norm, sizeof norm);
    return 0;
}

/*  The trust-list mark rule (trustmark.h) at start.  record: raise the
    mark to the loaded list; without (--check: the store opened
    read-only, or none) nothing changes. */
static int
s_judge_mark (xc_node_t *self, bool record, char *why, size_t why_len)
{
    xc_trustmark_t stored;
    if (xc_trustmark_get (self->store, &stored) != 0)
        return xc_why (why, why_len, XC_ESTORE, _("cannot read %s from the "
                         "store"), XC_TRUSTMARK_SERIAL_KEY);
    self->stored_serial = stored.serial;
    bool same;
    int rc = xc_trustmark_judge (&stored, self->trust,
                                 self->config.trust_list, &same, why,
                                 why_len);
    if (rc == 0 && record
        && xc_trustmark_record (self->store, self->trust, &stored) != 0)
        rc = xc_why (why, why_len, XC_ESTORE, _("cannot store %s"),
                     XC_TRUSTMARK_SERIAL_KEY);
    return rc;
}

/* --------------------------------------------------------------------------
   The store: explicit first start, refusal of a lost or damaged one
   -------------------------------------------------------------------------- */

/*  data_dir must exist and hold a data file: a missing one is far more
    often a data disk that is not mounted than a first start. */
static int
s_store_there (const xc_node_t *self, char *why, size_t why_len)
{
    const xc_config_t *c = &self->config;
    struct stat st;
    if (stat (c->data_dir, &st) != 0)
        return xc_why (why, why_len, XC_ESTORE,
                       _("node/data_dir %s: %s (is the data disk mounted?); "
                         "a node's first start is explicit: xiechad --init "
                         "--config %s makes its store"),
                       c->data_dir, strerror (errno), c->path);
    if (!xc_store_exists (c->data_dir))
        return xc_why (why, why_len, XC_ESTORE,
                       _("node/data_dir %s holds no store (no data.mdb; is "
                         "the data disk mounted?); a node's first start is "
                         "explicit: xiechad --init --config %s makes its "
                         "store"), c->data_dir, c->path);
    return 0;
}

/*  A store that fails to open or to pass the start's check. */
static int
s_store_refused (const xc_node_t *self, int rc, const char *inner,
                 char *why, size_t why_len)
{
    return xc_why (why, why_len, rc ? rc : XC_ESTORE,
                   _("%s. The node does not serve from a store it cannot "
                     "trust: restore node/data_dir %s from a backup (for a "
                     "new node: move it away and run xiechad --init --config "
                     "%s)"), inner, self->config.data_dir, self->config.path);
}

/*  Opens the existing store (read-only for --check) and makes the
    start's checks: identity, audit tail, trust-list mark (raised only by
    a real start). */
static int
s_open_store (xc_node_t *self, bool rdonly, char *why, size_t why_len)
{
    const char *dir = self->config.data_dir;
    int rc = s_store_there (self, why, why_len);
    if (rc)
        return rc;
    //  A daemon holds its data directory (lock.h) before it opens the
    //  store, so a second one on it fails here naming the first; --check
    //  only reads, beside a running daemon, and takes no lock.
    if (!rdonly && !(self->lock = xc_lock_new (&self->config, why, why_len)))
        return XC_ESTORE;
    char inner[1024] = "";
    self->store = rdonly ? xc_store_open_rdonly (dir, inner, sizeof inner)
                         : xc_store_open (dir, 0, inner, sizeof inner);
    rc = self->store ? 0 : XC_ESTORE;
    if (rc == 0)
        rc = xc_integrity_check_start (&self->integrity, self->store, dir,
                                       self->config.code, self->trust, inner,
                                       sizeof inner);
    if (rc)
        return s_store_refused (self, rc, inner, why, why_len);
    return s_judge_mark (self, !rdonly, why, why_len);
}

/*  The first audit entry of a store says whom it was made for. */
static int
s_init_write (MDB_txn *txn, void *arg)
{
    xc_node_t *self = arg;
    xc_identity_t id = {.created_ms = self->started_at};
    snprintf (id.code, sizeof id.code, "%s", self->config.code);
    snprintf (id.key_id, sizeof id.key_id, "%s", xc_node_signer (self)->id);
    int rc = xc_identity_put (self->store, txn, &id);
    char note[256];
    snprintf (note, sizeof note, "store created by xiechad --init for node "
              "%s (%s), signing key %s", id.code, self->config.name,
              id.key_id);
    if (rc == 0)
        rc = xc_audit_append (self->store, txn, XC_AUDIT_DECISION, NULL,
                              id.created_ms, note, NULL, 0, NULL);
    //  The data file is this store's own, so that a copy is told apart.
    if (rc == 0)
        rc = xc_restore_home (self->store, txn, self->config.data_dir);
    return rc;
}

/*  --init: data_dir (created 0700 if missing) must hold no store; any
    data file there, even an empty one, is left alone and refused. */
static int
s_init_store (xc_node_t *self, char *why, size_t why_len)
{
    const char *dir = self->config.data_dir;
    if (mkdir (dir, 0700) != 0 && errno != EEXIST)
        return xc_why (why, why_len, XC_EIO, _("node/data_dir: cannot create "
                         "%s: %s"), dir, strerror (errno));
    if (!(self->lock = xc_lock_new (&self->config, why, why_len)))
        return XC_ESTORE;
    if (xc_store_exists (dir))
        return xc_why (why, why_len, XC_ESTORE, _("node/data_dir %s already "
                         "holds a store (data.mdb): --init makes a new store "
                         "only, it never replaces one; start the node "
                         "without --init, or move the store away first"), dir);
    self->store = xc_store_new (dir, 0, why, why_len);
    if (!self->store)
        return XC_ESTORE;
    int rc = xc_store_write (self->store, s_init_write, self);
    if (rc)
        return xc_why (why, why_len, rc, _("store %s: cannot record the node's "
                         "identity: %s"), dir, xc_strerror (rc));
    return s_judge_mark (self, true, why, why_len);
}

xc_node_t *
xc_node_new (const xc_config_t *config, xc_node_mode_t mode, char *why,
             size_t why_len)
{
    xc_node_t *self = calloc (1, sizeof *self);
    if (!self) {
        xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
        return NULL;
    }
    self->config = *config;
    self->started_at = xc_now_ms ();
    //  The one wire rule (wire.h) knows this node's maximum; a config
    //  made without xc_config_load (a test's) keeps the default.
    xc_wire_set_max_subjects (config->query_subjects > 0
                                  ? (size_t) config->query_subjects
                                  : XC_SUBJECTS_DEFAULT);
    //  Before any thread: the zone is process state (zone.h).
    if (xc_zone_use (config->timezone, why, why_len) != 0)
        goto fail;
    xc_integrity_init (&self->integrity);
    if (s_load_keys (self, why, why_len))
        goto fail;
    if (s_load_trust (self, why, why_len) || s_check_self (self, why, why_len))
        goto fail;
    if (!(self->access = xc_access_new (config, why, why_len)))
        goto fail;
    self->limits = xc_limits_new (config);
    self->metrics = xc_metrics_new ();
    if (!self->limits || !self->metrics) {
        xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
        goto fail;
    }
    xc_policy_default (&self->policy);
    if (config->policy[0]
        && xc_policy_load (config->policy, &self->policy, why, why_len) != 0)
        goto fail;
    int rc = mode == XC_NODE_INIT
                 ? s_init_store (self, why, why_len)
                 : s_open_store (self, mode == XC_NODE_CHECK, why, why_len);
    if (rc)
        goto fail;
    //  --check must not hold the store while a daemon may run on it.
    if (mode == XC_NODE_CHECK)
        xc_store_destroy (&self->store);
    else
        xc_store_set_reserve (self->store,
                              (size_t) config->data_reserve_mb << 20);
    return self;
fail:
    xc_node_destroy (&self);
    return NULL;
}

uint32_t
xc_node_today (const xc_node_t *self, uint64_t now)
{
    (void) self;   /* the zone is the process's, set by xc_node_new */
    return xc_zone_date (now);
}

void
xc_node_destroy (xc_node_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_node_t *self = *self_p;
    xc_store_destroy (&self->store);
    xc_integrity_destroy (&self->integrity);
    xc_limits_destroy (&self->limits);
    xc_metrics_destroy (&self->metrics);
    xc_access_destroy (&self->access);
    xc_lock_destroy (&self->lock);   /* after the store is closed */
    xc_trust_destroy (&self->trust);
    zcert_destroy (&self->curve);
    xc_key_destroy (&self->signers[0].key);
    xc_key_destroy (&self->signers[1].key);
    explicit_bzero (self->salt, sizeof self->salt);
    free (self);
    *self_p = NULL;
}
