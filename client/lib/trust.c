/*  trust.c - the trust list: nodes, their endpoints, CURVE keys and
    Ed25519 signing keys with validity windows.

    The list is parsed once with zconfig and then frozen.  Nodes and keys
    are kept sorted (by code, by key id) so that the lookup done for every
    incoming envelope is O(log n) even for a national list of ~3,000
    counties.  Every refusal names the file, the node (by position and
    code) and the field, because whoever edits this file needs to find
    the line. */
#include <czmq.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xiecha/error.h"
#include "xiecha/date.h"
#include "xiecha/id.h"
#include "xiecha/text.h"
#include "xiecha/trust.h"

typedef struct {
    xc_trust_node_t pub;   /* what callers see */
    int index;             /* 1-based position in the file, for messages */
} s_node_t;

typedef struct {
    xc_trust_key_t pub;    /* what callers see; pub.key is owned */
    int node_index;        /* 1-based position of the owning node */
    int key_index;         /* 1-based position among the node's keys */
} s_key_t;

struct _xc_trust_t {
    s_node_t *nodes;       /* sorted by code once loaded */
    size_t n_nodes;        /* nodes in use */
    s_key_t *keys;         /* sorted by key id once loaded */
    size_t n_keys;         /* keys in use */
    size_t keys_cap;       /* keys allocated */
    uint64_t serial;       /* trust/serial, 0 = not given */
    uint64_t issued;       /* trust/issued, UTC ms, 0 = not given */
    uint64_t next_update;  /* trust/next_update, UTC ms, 0 = not given */
    unsigned max_roster_age;  /* trust/max_roster_age_days */
    unsigned max_cert_lifetime;  /* trust/max_cert_lifetime_days */
    uint8_t digest[XC_HASH_LEN];  /* SHA-256 of the bytes parsed */
};

/*  Parser state for one load, so messages can name where they are. */
typedef struct {
    const char *path;      /* file name, first in every message */
    char label[32];        /* "node 2 (469028)" */
    int key_index;         /* 1-based key within the node; 0 outside keys */
    char *why;             /* caller's buffer */
    size_t why_len;        /* its size */
} s_ctx_t;

void
xc_trust_destroy (xc_trust_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_trust_t *self = *self_p;
    for (size_t i = 0; i < self->n_keys; i++)
        xc_key_destroy (&self->keys[i].pub.key);
    free (self->keys);
    free (self->nodes);
    free (self);
    *self_p = NULL;
}

/*  Copies value into dst[cap]; fails when it does not fit or holds a
    control character (names end up in logs and terminals). */
static int
s_copy_text (char *dst, size_t cap, const char *value)
{
    size_t len = strlen (value);
    if (len >= cap)
        return -1;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char) value[i] < 0x20 || value[i] == 0x7f)
            return -1;
    memcpy (dst, value, len + 1);
    return 0;
}

/*  Whether an earlier child of section has field's name.  A field given
    twice would have one of its values silently ignored (and a key's
    first public key left allocated), so every field may be given once
    per section.  O(n^2) over a section's handful of children. */
static bool
s_repeated (zconfig_t *section, zconfig_t *field)
{
    for (zconfig_t *c = zconfig_child (section); c && c != field;
         c = zconfig_next (c))
        if (streq (zconfig_name (c), zconfig_name (field)))
            return true;
    return false;
}

static int
s_fail (s_ctx_t *ctx, const char *field, const char *rule)
{
    if (ctx->key_index > 0)
        return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                       _("%s: %s: key %d: %s: %s"), ctx->path, ctx->label,
                       ctx->key_index, field, rule);
    return xc_why (ctx->why, ctx->why_len, XC_ECONFIG, "%s: %s: %s: %s",
                   ctx->path, ctx->label, field, rule);
}

static int
s_key_time (s_ctx_t *ctx, const char *field, const char *value,
            uint64_t *ms)
{
    if (xc_time_parse (value, ms) != 0)
        return s_fail (ctx, field,
                       _("must be a UTC time like 2026-01-01T00:00:00Z"));
    return 0;
}

static int
s_key_reason (s_ctx_t *ctx, s_key_t *key, const char *value)
{
    if (streq (value, "retired"))
        key->pub.revoked_reason = XC_REVOKED_RETIRED;
    else if (streq (value, "compromised"))
        key->pub.revoked_reason = XC_REVOKED_COMPROMISED;
    else
        return s_fail (ctx, "revoked_reason",
                       _("must be \"retired\" or \"compromised\""));
    return 0;
}

/*  "SIZE:ROOT": a tree size of 1 or more and its root, 64 hex. */
static int
s_key_checkpoint (s_ctx_t *ctx, s_key_t *key, const char *value)
{
    const char *colon = strchr (value, ':');
    char *end = NULL;
    errno = 0;
    unsigned long long size = strtoull (value, &end, 10);
    if (*value < '1' || *value > '9' || errno || !colon || end != colon
        || strlen (colon + 1) != 2 * XC_HASH_LEN
        || xc_unhex (colon + 1, key->pub.trusted_root, XC_HASH_LEN) != 0)
        return s_fail (ctx, "trusted_checkpoint",
                       _("must be \"SIZE:ROOT\", a tree size and its Merkle "
                         "root in 64 hex characters"));
    key->pub.trusted_size = size;
    return 0;
}

/*  Fills one key field from a child of a `key` section. */
static int
s_key_field (s_ctx_t *ctx, s_key_t *key, const char *name, const char *value)
{
    if (streq (name, "public")) {
        if (strlen (value) != 2 * XC_PUBKEY_LEN
            || xc_unhex (value, key->pub.pub, XC_PUBKEY_LEN) != 0)
            return s_fail (ctx, "public",
                           _("must be 64 hex characters (Ed25519 public key)"));
        key->pub.key = xc_key_from_public (key->pub.pub);
        if (!key->pub.key)
            return s_fail (ctx, "public", _("not a usable Ed25519 public key"));
        return 0;
    }
    if (streq (name, "not_before"))
        return s_key_time (ctx, "not_before", value, &key->pub.not_before);
    if (streq (name, "not_after"))
        return s_key_time (ctx, "not_after", value, &key->pub.not_after);
    if (streq (name, "revoked_at"))
        return s_key_time (ctx, "revoked_at", value, &key->pub.revoked_at);
    if (streq (name, "revoked_reason"))
        return s_key_reason (ctx, key, value);
    if (streq (name, "trusted_checkpoint"))
        return s_key_checkpoint (ctx, key, value);
    return s_fail (ctx, name, _("unknown field"));
}

/*  The rules between the revocation fields, once all are read: a reason
    needs an instant, a list that gives none means compromised (the safe
    reading of an old list), and only a compromised key has a checkpoint
    to fall back on. */
static int
s_key_revocation (s_ctx_t *ctx, s_key_t *key)
{
    xc_trust_key_t *k = &key->pub;
    if (!k->revoked_at && k->revoked_reason)
        return s_fail (ctx, "revoked_reason", _("needs revoked_at"));
    if (!k->revoked_at && k->trusted_size)
        return s_fail (ctx, "trusted_checkpoint", _("needs revoked_at"));
    if (k->revoked_at && !k->revoked_reason)
        k->revoked_reason = XC_REVOKED_COMPROMISED;
    if (k->trusted_size && k->revoked_reason != XC_REVOKED_COMPROMISED)
        return s_fail (ctx, "trusted_checkpoint", _("goes with revoked_reason "
                         "\"compromised\" only (a retired key keeps what it "
                         "made before revoked_at)"));
    return 0;
}

static s_key_t *
s_key_add (xc_trust_t *self)
{
    if (self->n_keys == self->keys_cap) {
        size_t cap = self->keys_cap ? 2 * self->keys_cap : 16;
        s_key_t *keys = realloc (self->keys, cap * sizeof *keys);
        if (!keys)
            return NULL;
        self->keys = keys;
        self->keys_cap = cap;
    }
    s_key_t *key = &self->keys[self->n_keys++];
    memset (key, 0, sizeof *key);
    return key;
}

static int
s_parse_key (s_ctx_t *ctx, xc_trust_t *self, s_node_t *node, int key_index,
             zconfig_t *section)
{
    s_key_t *key = s_key_add (self);
    if (!key)
        return xc_why (ctx->why, ctx->why_len, XC_ENOMEM, _("out of memory"));
    key->node_index = node->index;
    key->key_index = key_index;
    s_ctx_t kctx = *ctx;
    kctx.key_index = key_index;
    for (zconfig_t *c = zconfig_child (section); c; c = zconfig_next (c)) {
        if (s_repeated (section, c))
            return s_fail (&kctx, zconfig_name (c), _("given twice in one key"));
        int rc = s_key_field (&kctx, key, zconfig_name (c),
                              zconfig_value (c));
        if (rc)
            return rc;
    }
    if (!key->pub.key)
        return s_fail (&kctx, "public", _("missing"));
    int rc = s_key_revocation (&kctx, key);
    if (rc)
        return rc;
    if (key->pub.not_before && key->pub.not_after
        && key->pub.not_before >= key->pub.not_after)
        return s_fail (&kctx, "not_after", _("must be later than not_before"));
    if (key->pub.not_before && key->pub.revoked_at
        && key->pub.revoked_at < key->pub.not_before)
        return s_fail (&kctx, "revoked_at",
                       _("must not be earlier than not_before"));
    xc_key_id (key->pub.pub, key->pub.id);
    return 0;
}

/*  Fills one scalar field of a node. */
static int
s_node_field (s_ctx_t *ctx, s_node_t *node, const char *name,
              const char *value)
{
    xc_trust_node_t *n = &node->pub;
    if (streq (name, "code")) {
        if (!xc_code_valid (value))
            return s_fail (ctx, "code", _("must be a 6-digit division code "
                                          "with a province 11..82"));
        memcpy (n->code, value, sizeof n->code);
        return 0;
    }
    if (streq (name, "name")) {
        if (s_copy_text (n->name, sizeof n->name, value) != 0)
            return s_fail (ctx, "name", _("must be under 96 bytes of text"));
        return 0;
    }
    if (streq (name, "endpoint")) {
        if (s_copy_text (n->endpoint, sizeof n->endpoint, value) != 0
            || !strstr (value, "://") || strchr (value, ' '))
            return s_fail (ctx, "endpoint",
                           _("must be a ZeroMQ endpoint like "
                             "tcp://host:port, under 256 bytes"));
        return 0;
    }
    if (streq (name, "curve")) {
        uint8_t raw[32];
        if (strlen (value) != 40 || !zmq_z85_decode (raw, value))
            return s_fail (ctx, "curve", _("must be 40 Z85 characters"));
        memcpy (n->curve, value, sizeof n->curve);
        return 0;
    }
    return s_fail (ctx, name, _("unknown field"));
}

static int
s_parse_node (s_ctx_t *ctx, xc_trust_t *self, s_node_t *node,
              zconfig_t *section)
{
    /* The code goes into every message about this node, so read it first
       wherever it sits in the section. */
    const char *code = zconfig_get (section, "code", NULL);
    if (code && xc_code_valid (code))
        snprintf (ctx->label, sizeof ctx->label, "node %d (%s)",
                  node->index, code);
    else
        snprintf (ctx->label, sizeof ctx->label, "node %d", node->index);

    int keys = 0;
    for (zconfig_t *c = zconfig_child (section); c; c = zconfig_next (c)) {
        int key = streq (zconfig_name (c), "key");
        if (!key && s_repeated (section, c))
            return s_fail (ctx, zconfig_name (c), _("given twice in one node"));
        int rc = key ? s_parse_key (ctx, self, node, ++keys, c)
               : s_node_field (ctx, node, zconfig_name (c),
                               zconfig_value (c));
        if (rc)
            return rc;
    }
    if (!node->pub.code[0])
        return s_fail (ctx, "code", _("missing"));
    if (!node->pub.curve[0])
        return s_fail (ctx, "curve", _("missing"));
    if (keys == 0)
        return s_fail (ctx, "key", _("a node needs at least one key"));
    for (size_t i = self->n_keys - (size_t) keys; i < self->n_keys; i++)
        memcpy (self->keys[i].pub.node, node->pub.code, sizeof node->pub.code);
    return 0;
}

static int
s_node_cmp (const void *a, const void *b)
{
    return strcmp (((const s_node_t *) a)->pub.code,
                   ((const s_node_t *) b)->pub.code);
}

static int
s_key_cmp (const void *a, const void *b)
{
    return strcmp (((const s_key_t *) a)->pub.id,
                   ((const s_key_t *) b)->pub.id);
}

static int
s_curve_cmp (const void *a, const void *b)
{
    return strcmp ((*(const s_node_t *const *) a)->pub.curve,
                   (*(const s_node_t *const *) b)->pub.curve);
}

/*  Sorts nodes and keys and refuses any code, key or CURVE key listed
    twice.  O(n log n). */
static int
s_check_unique (s_ctx_t *ctx, xc_trust_t *self)
{
    /* keys is NULL in a list of no node; qsort and bsearch may not be
       given NULL even for zero elements. */
    qsort (self->nodes, self->n_nodes, sizeof *self->nodes, s_node_cmp);
    if (self->n_keys)
        qsort (self->keys, self->n_keys, sizeof *self->keys, s_key_cmp);
    for (size_t i = 1; i < self->n_nodes; i++) {
        const s_node_t *a = &self->nodes[i - 1], *b = &self->nodes[i];
        if (streq (a->pub.code, b->pub.code))
            return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                           _("%s: node %d (%s): code: listed twice (also "
                             "node %d)"), ctx->path,
                           a->index > b->index ? a->index : b->index,
                           a->pub.code,
                           a->index > b->index ? b->index : a->index);
    }
    for (size_t i = 1; i < self->n_keys; i++) {
        const s_key_t *a = &self->keys[i - 1], *b = &self->keys[i];
        if (streq (a->pub.id, b->pub.id))
            return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                           _("%s: key %s: listed twice (node %d (%s) key %d "
                             "and node %d (%s) key %d)"), ctx->path, a->pub.id,
                           a->node_index, a->pub.node, a->key_index,
                           b->node_index, b->pub.node, b->key_index);
    }
    const s_node_t **by_curve = malloc ((self->n_nodes + 1) * sizeof *by_curve);
    if (!by_curve)
        return xc_why (ctx->why, ctx->why_len, XC_ENOMEM, _("out of memory"));
    for (size_t i = 0; i < self->n_nodes; i++)
        by_curve[i] = &self->nodes[i];
    qsort (by_curve, self->n_nodes, sizeof *by_curve, s_curve_cmp);
    int rc = 0;
    for (size_t i = 1; i < self->n_nodes && rc == 0; i++)
        if (streq (by_curve[i - 1]->pub.curve, by_curve[i]->pub.curve))
            rc = xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                         _("%s: curve key of node %s also listed for node %s"),
                         ctx->path, by_curve[i - 1]->pub.code,
                         by_curve[i]->pub.code);
    free (by_curve);
    return rc;
}

/*  Counts the `node` sections so the node array never moves while keys
    are being filled in. */
static size_t
s_count_nodes (zconfig_t *trust)
{
    size_t n = 0;
    for (zconfig_t *c = zconfig_child (trust); c; c = zconfig_next (c))
        n += streq (zconfig_name (c), "node");
    return n;
}

/*  Reads serial, issued and next_update: the header of a signed list.
    Optional here; xc_trust_load_signed insists on them. */
static int
s_header_field (s_ctx_t *ctx, xc_trust_t *self, zconfig_t *c)
{
    const char *name = zconfig_name (c), *value = zconfig_value (c);
    if (streq (name, "serial")) {
        char *end = NULL;
        errno = 0;
        unsigned long long n = strtoull (value, &end, 10);
        if (*value < '1' || *value > '9' || *end || errno)
            return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                           _("%s: trust: serial: must be a positive integer"),
                           ctx->path);
        self->serial = n;
        return 0;
    }
    uint64_t *ms = streq (name, "issued") ? &self->issued : &self->next_update;
    if (xc_time_parse (value, ms) != 0)
        return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                       _("%s: trust: %s: must be a UTC time like "
                         "2026-01-01T00:00:00Z"), ctx->path, name);
    return 0;
}

/*  max_roster_age_days and max_cert_lifetime_days: the network's rules
    for how old a roster may be behind a NOT_RECEIVING and how long a
    certificate may be valid (1..366 days each). */
static int
s_days_field (s_ctx_t *ctx, const char *name, const char *value,
              unsigned *out)
{
    char *end = NULL;
    unsigned long n = strtoul (value, &end, 10);
    if (*value < '1' || *value > '9' || *end || n > 366)
        return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                       _("%s: trust: %s: must be 1..366 days, got '%s'"),
                       ctx->path, name, value);
    *out = (unsigned) n;
    return 0;
}

static int
s_parse (s_ctx_t *ctx, xc_trust_t *self, zconfig_t *root)
{
    self->max_roster_age = XC_TRUST_MAX_ROSTER_AGE;
    self->max_cert_lifetime = XC_TRUST_MAX_CERT_LIFETIME;
    zconfig_t *trust = zconfig_locate (root, "trust");
    if (!trust)
        return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                       _("%s: no `trust` section"), ctx->path);
    const char *version = zconfig_get (trust, "version", NULL);
    if (!version || !streq (version, "1"))
        return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                       _("%s: trust: version: must be 1"), ctx->path);
    size_t count = s_count_nodes (trust);
    self->nodes = calloc (count ? count : 1, sizeof *self->nodes);
    if (!self->nodes)
        return xc_why (ctx->why, ctx->why_len, XC_ENOMEM, _("out of memory"));
    for (zconfig_t *c = zconfig_child (trust); c; c = zconfig_next (c)) {
        const char *name = zconfig_name (c);
        if (!streq (name, "node") && s_repeated (trust, c))
            return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                           _("%s: trust: %s: given twice"), ctx->path, name);
        if (streq (name, "version"))
            continue;
        if (streq (name, "max_roster_age_days")
            || streq (name, "max_cert_lifetime_days")) {
            int rc = s_days_field (ctx, name, zconfig_value (c),
                                   streq (name, "max_roster_age_days")
                                       ? &self->max_roster_age
                                       : &self->max_cert_lifetime);
            if (rc)
                return rc;
            continue;
        }
        if (streq (name, "serial") || streq (name, "issued")
            || streq (name, "next_update")) {
            int rc = s_header_field (ctx, self, c);
            if (rc)
                return rc;
            continue;
        }
        if (!streq (name, "node"))
            return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                           _("%s: trust: %s: unknown field"), ctx->path, name);
        s_node_t *node = &self->nodes[self->n_nodes++];
        node->index = (int) self->n_nodes;
        int rc = s_parse_node (ctx, self, node, c);
        if (rc)
            return rc;
    }
    /* No node at all is allowed: `xiecha trust create` begins a list
       that way.  Nobody can use it: a node is refused at start and on
       reload when the list does not name it, and `trust sign` refuses
       it. */
    return s_check_unique (ctx, self);
}

/*  Parses and checks an already-read tree; takes ownership of root.
    digest is the SHA-256 of the bytes root was read from. */
static xc_trust_t *
s_load_root (s_ctx_t *ctx, zconfig_t *root, const uint8_t *digest)
{
    if (!root) {
        xc_why (ctx->why, ctx->why_len, XC_ECONFIG, _("%s: not valid ZPL"),
                ctx->path);
        return NULL;
    }
    xc_trust_t *self = calloc (1, sizeof *self);
    int rc = self ? s_parse (ctx, self, root)
                  : xc_why (ctx->why, ctx->why_len, XC_ENOMEM,
                            _("out of memory"));
    zconfig_destroy (&root);
    if (rc)
        xc_trust_destroy (&self);
    else
        memcpy (self->digest, digest, XC_HASH_LEN);
    return self;
}

xc_trust_t *
xc_trust_load (const char *path, char *why, size_t why_len)
{
    s_ctx_t ctx = {.path = path, .why = why, .why_len = why_len};
    /* zconfig cannot say why a file failed, so ask the file system
       first to tell "missing" from "does not parse". */
    FILE *file = fopen (path, "r");
    if (!file) {
        xc_why (why, why_len, XC_EIO, "%s: %s", path, strerror (errno));
        return NULL;
    }
    fclose (file);
    /* Read once and parse those bytes, so the digest is of what was
       parsed (zconfig_load would read the file itself). */
    zchunk_t *chunk = zchunk_slurp (path, 0);
    if (!chunk) {
        xc_why (why, why_len, XC_EIO, _("%s: cannot read"), path);
        return NULL;
    }
    uint8_t digest[XC_HASH_LEN];
    xc_sha256 (zchunk_data (chunk), zchunk_size (chunk), digest);
    xc_trust_t *self = s_load_root (&ctx, zconfig_chunk_load (chunk), digest);
    zchunk_destroy (&chunk);
    return self;
}

xc_trust_t *
xc_trust_load_text (const char *text, const char *name, char *why,
                    size_t why_len)
{
    s_ctx_t ctx = {.path = name, .why = why, .why_len = why_len};
    uint8_t digest[XC_HASH_LEN] = {0};
    if (text)
        xc_sha256 (text, strlen (text), digest);
    return s_load_root (&ctx, text ? zconfig_str_load (text) : NULL, digest);
}

void
xc_trust_digest (const xc_trust_t *self, uint8_t digest[XC_HASH_LEN])
{
    if (self)
        memcpy (digest, self->digest, XC_HASH_LEN);
    else
        memset (digest, 0, XC_HASH_LEN);
}

uint64_t
xc_trust_serial (const xc_trust_t *self)
{
    return self ? self->serial : 0;
}

uint64_t
xc_trust_issued (const xc_trust_t *self)
{
    return self ? self->issued : 0;
}

unsigned
xc_trust_max_roster_age (const xc_trust_t *self)
{
    return self ? self->max_roster_age : XC_TRUST_MAX_ROSTER_AGE;
}

unsigned
xc_trust_max_cert_lifetime (const xc_trust_t *self)
{
    return self ? self->max_cert_lifetime : XC_TRUST_MAX_CERT_LIFETIME;
}

uint64_t
xc_trust_next_update (const xc_trust_t *self)
{
    return self ? self->next_update : 0;
}

size_t
xc_trust_size (const xc_trust_t *self)
{
    return self ? self->n_nodes : 0;
}

const xc_trust_node_t *
xc_trust_at (const xc_trust_t *self, size_t i)
{
    return self && i < self->n_nodes ? &self->nodes[i].pub : NULL;
}

const xc_trust_node_t *
xc_trust_node (const xc_trust_t *self, const char *code)
{
    if (!self || !code)
        return NULL;
    s_node_t probe;
    if (s_copy_text (probe.pub.code, sizeof probe.pub.code, code) != 0)
        return NULL;
    s_node_t *hit = bsearch (&probe, self->nodes, self->n_nodes,
                             sizeof *self->nodes, s_node_cmp);
    return hit ? &hit->pub : NULL;
}

const xc_trust_key_t *
xc_trust_key (const xc_trust_t *self, const char *id)
{
    if (!self || !id || !self->n_keys)
        return NULL;
    s_key_t probe;
    if (s_copy_text (probe.pub.id, sizeof probe.pub.id, id) != 0)
        return NULL;
    s_key_t *hit = bsearch (&probe, self->keys, self->n_keys,
                            sizeof *self->keys, s_key_cmp);
    return hit ? &hit->pub : NULL;
}

int
xc_trust_has_curve (const xc_trust_t *self, const char *z85)
{
    /* O(n): called once per CURVE handshake, not per message. */
    if (!self || !z85)
        return 0;
    for (size_t i = 0; i < self->n_nodes; i++)
        if (streq (self->nodes[i].pub.curve, z85))
            return 1;
    return 0;
}

size_t
xc_trust_key_count (const xc_trust_t *self)
{
    return self ? self->n_keys : 0;
}

const xc_trust_key_t *
xc_trust_key_at (const xc_trust_t *self, size_t i)
{
    return self && i < self->n_keys ? &self->keys[i].pub : NULL;
}

int
xc_trust_key_check (const xc_trust_key_t *key, uint64_t at, char *why,
                    size_t why_len)
{
    if (!key)
        return xc_why (why, why_len, XC_EUNKNOWN, _("no key"));
    char when[32], bound[32];
    xc_time_iso (at, when);
    if (key->not_before && at < key->not_before) {
        xc_time_iso (key->not_before, bound);
        return xc_why (why, why_len, XC_EUNKNOWN,
                       _("key %s of node %s not valid at %s (valid from %s)"),
                       key->id, key->node, when, bound);
    }
    if (key->not_after && at > key->not_after) {
        xc_time_iso (key->not_after, bound);
        return xc_why (why, why_len, XC_EUNKNOWN,
                       _("key %s of node %s not valid at %s (expired %s)"),
                       key->id, key->node, when, bound);
    }
    /* Checked last: a revoked key that had also expired is reported by
       its window, which is the more ordinary case. */
    if (!key->revoked_at)
        return 0;
    xc_time_iso (key->revoked_at, bound);
    /* Whoever holds a compromised key writes the time it claims, so no
       claimed time can save what it signed. */
    if (key->revoked_reason != XC_REVOKED_RETIRED)
        return xc_why (why, why_len, XC_EUNKNOWN,
                       _("key %s of node %s revoked as compromised at %s: "
                         "nothing it signed is trusted (claims %s)"), key->id,
                       key->node, bound, when);
    if (at >= key->revoked_at)
        return xc_why (why, why_len, XC_EUNKNOWN,
                       _("key %s of node %s retired at %s (made at %s)"),
                       key->id, key->node, bound, when);
    return 0;
}

const char *
xc_trust_reason_name (int reason)
{
    return reason == XC_REVOKED_RETIRED       ? "retired"
           : reason == XC_REVOKED_COMPROMISED ? "compromised"
                                              : "";
}
