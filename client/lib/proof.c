/*  proof.c - proof bundles (xiecha/proof.h), and the check of the node's
    reply to `audit prove` (xc_proof_verify, client.h), which is a bundle
    made from the reply and verified as any other: one path from bytes
    to verdict.  Nothing here trusts what it was told. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xiecha/auditentry.h"
#include "xiecha/bytes.h"
#include "xiecha/client.h"
#include "xiecha/date.h"
#include "xiecha/merkle.h"
#include "xiecha/proof.h"
#include "xiecha/text.h"

#define S_FIXED (8 + 8 + 4 + XC_CHECKPOINT_LEN + 1)

int
xc_proof_bundle_encode (uint64_t seq, const uint8_t *entry, size_t entry_len,
                        const uint8_t checkpoint[XC_CHECKPOINT_LEN],
                        const uint8_t (*path)[32], size_t path_len,
                        uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (path_len > XC_PROOF_MAX_PATH || entry_len == 0
        || entry_len > XC_PROOF_MAX_ENTRY)
        return XC_EINVAL;
    size_t len = S_FIXED + entry_len + 32 * path_len;
    uint8_t *p = malloc (len);
    if (!p)
        return XC_ENOMEM;
    *out = p;
    *out_len = len;
    memcpy (p, XC_PROOF_MAGIC, 8);
    xc_put_u64 (p + 8, seq);
    xc_put_u32 (p + 16, (uint32_t) entry_len);
    p += 20;
    memcpy (p, entry, entry_len);
    p += entry_len;
    memcpy (p, checkpoint, XC_CHECKPOINT_LEN);
    p += XC_CHECKPOINT_LEN;
    *p++ = (uint8_t) path_len;
    if (path_len)
        memcpy (p, path, 32 * path_len);
    return 0;
}

/*  The entry: an audit entry (auditentry.h, either format), kind SENT;
    cert is its data. */
static int
s_entry (xc_proof_bundle_t *b, char *why, size_t why_len)
{
    xc_auditentry_t a;
    if (xc_auditentry_parse (b->entry, b->entry_len, &a) != 0)
        return xc_why (why, why_len, XC_EMALFORMED, _("proof.entry: not an "
                         "audit entry, or its length does not match its "
                         "header"));
    if (a.kind != XC_AUDIT_SENT)
        return xc_why (why, why_len, XC_EMALFORMED, _("proof.entry: entry "
                         "%llu is not a sent entry (kind %u)"),
                       (unsigned long long) b->seq, a.kind);
    if (a.data_len == 0)
        return xc_why (why, why_len, XC_EMALFORMED, _("proof.entry: holds no "
                         "envelope"));
    b->cert = a.data;
    b->cert_len = a.data_len;
    return 0;
}

int
xc_proof_bundle_decode (const uint8_t *bytes, size_t len,
                        xc_proof_bundle_t *b, char *why, size_t why_len)
{
    memset (b, 0, sizeof *b);
    if (len < S_FIXED || memcmp (bytes, XC_PROOF_MAGIC, 8) != 0)
        return xc_why (why, why_len, XC_EMALFORMED, _("proof: not a proof "
                         "bundle (magic %s)"), XC_PROOF_MAGIC);
    b->seq = xc_get_u64 (bytes + 8);
    b->entry_len = xc_get_u32 (bytes + 16);
    if (b->seq == 0)
        return xc_why (why, why_len, XC_EMALFORMED, _("proof.seq: is 0"));
    if (b->entry_len == 0 || b->entry_len > XC_PROOF_MAX_ENTRY
        || b->entry_len > len - S_FIXED)
        return xc_why (why, why_len, XC_EMALFORMED, _("proof.entry_len: %zu "
                         "does not fit the %zu bytes"), b->entry_len, len);
    b->entry = bytes + 20;
    const uint8_t *p = b->entry + b->entry_len;
    memcpy (b->checkpoint, p, XC_CHECKPOINT_LEN);
    p += XC_CHECKPOINT_LEN;
    b->path_len = *p++;
    size_t want = S_FIXED + b->entry_len + 32 * b->path_len;
    if (b->path_len > XC_PROOF_MAX_PATH || len != want)
        return xc_why (why, why_len, XC_EMALFORMED, _("proof.path: %zu hashes "
                         "need %zu bytes in all, the bundle has %zu"),
                       b->path_len, want, len);
    memcpy (b->path, p, 32 * b->path_len);
    if (xc_checkpoint_decode (b->checkpoint, XC_CHECKPOINT_LEN, &b->cp) != 0)
        return xc_why (why, why_len, XC_EMALFORMED, _("proof.checkpoint: "
                         "malformed"));
    xc_sha256 (b->entry, b->entry_len, b->entry_hash);
    xc_merkle_leaf_hash (b->entry_hash, 32, b->leaf_hash);
    return s_entry (b, why, why_len);
}

/*  The certificate of a compromised key: believed only under the
    checkpoint the trust list holds from before the compromise, and then
    checked with the key as it was (its revocation set aside): shape,
    type, the key's signature, its own rules. */
static int
s_compromised (xc_proof_bundle_t *b, const xc_trust_key_t *key,
               const xc_trust_t *trust, char *why, size_t why_len)
{
    char have[65], want[65];
    xc_hex (b->cp.root, 32, have);
    xc_hex (key->trusted_root, 32, want);
    if (key->trusted_size == 0)
        return xc_why (why, why_len, XC_EUNKNOWN, _("key %s of node %s was "
                         "revoked as compromised and the trust list holds no "
                         "trusted checkpoint for it"), key->id, key->node);
    if (b->cp.tree_size != key->trusted_size
        || memcmp (b->cp.root, key->trusted_root, 32) != 0)
        return xc_why (why, why_len, XC_EUNKNOWN, _("key %s of node %s was "
                         "revoked as compromised: a proof is accepted only "
                         "under its trusted checkpoint %llu:%s, not %llu:%s"),
                       key->id, key->node,
                       (unsigned long long) key->trusted_size, want,
                       (unsigned long long) b->cp.tree_size, have);
    xc_opened_t o = {0};
    int rc = xc_envelope_open (b->cert, b->cert_len, &o, why, why_len);
    if (rc == 0 && o.msg->body_case != XIECHA__SIGNED__BODY_CERTIFICATE)
        rc = xc_why (why, why_len, XC_EMALFORMED, _("header.type: must be "
                       "CERTIFICATE"));
    else if (rc == 0 && strcmp (key->node, o.msg->header->sender) != 0)
        rc = xc_why (why, why_len, XC_EUNKNOWN, _("key_id %s: belongs to node "
                       "%s, not to sender %s"), key->id, key->node,
                     o.msg->header->sender);
    else if (rc == 0
             && xc_verify (key->key, XC_CTX_ENVELOPE, o.env->signed_.data,
                           o.env->signed_.len, o.env->signature.data,
                           o.env->signature.len) != 0)
        rc = xc_why (why, why_len, XC_ESIG, _("certificate: signature does "
                       "not verify with key %s of node %s"), key->id,
                     key->node);
    else if (rc == 0)
        rc = xc_cert_check (o.msg->header, o.msg->certificate, NULL, trust,
                           why, why_len);
    xc_opened_free (&o);
    b->compromised = rc == 0;
    return rc;
}

/*  The certificate and the checkpoint, on their own signatures. */
static int
s_signed (xc_proof_bundle_t *b, const xc_trust_t *trust, uint64_t now_ms,
          char *why, size_t why_len)
{
    char cwhy[512] = "";
    xc_opened_t o = {0};
    int rc = xc_cert_verify (b->cert, b->cert_len, trust, now_ms, &o, cwhy,
                             sizeof cwhy);
    b->expired = rc == XC_ESTALE;
    if (rc == XC_ESTALE)
        rc = 0;
    int node_ok = rc == 0 && strcmp (o.msg->header->sender, b->cp.node) == 0;
    char sender[7] = "";
    if (rc == 0)
        snprintf (sender, sizeof sender, "%s", o.msg->header->sender);
    xc_opened_free (&o);
    if (rc)
        return xc_why (why, why_len, rc, _("certificate: %s"), cwhy);
    if (!node_ok)
        return xc_why (why, why_len, XC_ESIG, _("proof.checkpoint: signed by "
                         "node %s, the certificate by %s"), b->cp.node, sender);
    rc = xc_checkpoint_verify (b->checkpoint, XC_CHECKPOINT_LEN, trust,
                               &b->cp, cwhy, sizeof cwhy);
    if (rc)
        return xc_why (why, why_len, rc == XC_EMALFORMED ? rc : XC_ESIG,
                       _("proof.checkpoint: %s"), *cwhy ? cwhy : "invalid");
    return 0;
}

/*  The key that signed the certificate, when the list has it. */
static const xc_trust_key_t *
s_issuer_key (const xc_proof_bundle_t *b, const xc_trust_t *trust)
{
    xc_opened_t o = {0};
    char why[300];
    const xc_trust_key_t *key = NULL;
    if (xc_envelope_open (b->cert, b->cert_len, &o, why, sizeof why) == 0)
        key = xc_trust_key (trust, o.env->key_id);
    xc_opened_free (&o);
    return key;
}

int
xc_proof_bundle_verify (const uint8_t *bytes, size_t len,
                        const xc_trust_t *trust, uint64_t now_ms,
                        xc_proof_bundle_t *b, char *why, size_t why_len)
{
    int rc = xc_proof_bundle_decode (bytes, len, b, why, why_len);
    if (rc)
        return rc;
    const xc_trust_key_t *key = s_issuer_key (b, trust);
    if (key && key->revoked_reason == XC_REVOKED_COMPROMISED) {
        rc = s_compromised (b, key, trust, why, why_len);
        if (rc == 0 && strcmp (key->node, b->cp.node) != 0)
            rc = xc_why (why, why_len, XC_ESIG, _("proof.checkpoint: of node "
                           "%s, the certificate is by %s"), b->cp.node,
                         key->node);
    }
    else
        rc = s_signed (b, trust, now_ms, why, why_len);
    if (rc)
        return rc;
    if (b->seq > b->cp.tree_size)
        return xc_why (why, why_len, XC_ESIG, _("proof.checkpoint: of size "
                         "%llu does not cover entry %llu"),
                       (unsigned long long) b->cp.tree_size,
                       (unsigned long long) b->seq);
    if (xc_merkle_inclusion_verify (b->entry_hash, b->seq - 1,
                                    b->cp.tree_size,
                                    (const uint8_t (*)[32]) b->path,
                                    b->path_len, b->cp.root))
        return xc_why (why, why_len, XC_ESIG, _("proof.path: does not lead "
                         "from entry %llu to the checkpoint's root"),
                       (unsigned long long) b->seq);
    return 0;
}

int
xc_proof_bundle_from_reply (const Xiecha__AuditProveReply *r,
                            uint8_t **out, size_t *out_len, char *why,
                            size_t why_len)
{
    *out = NULL;
    *out_len = 0;
    if (r->n_proof > XC_PROOF_MAX_PATH)
        return xc_why (why, why_len, XC_EMALFORMED, _("proof too long"));
    if (r->checkpoint.len != XC_CHECKPOINT_LEN)
        return xc_why (why, why_len, XC_EMALFORMED, _("checkpoint: %zu bytes, "
                         "not %d"), r->checkpoint.len, XC_CHECKPOINT_LEN);
    uint8_t path[XC_PROOF_MAX_PATH][32];
    for (size_t i = 0; i < r->n_proof; i++) {
        if (r->proof[i].len != 32)
            return xc_why (why, why_len, XC_EMALFORMED,
                           _("proof hash %zu is not 32 bytes"), i);
        memcpy (path[i], r->proof[i].data, 32);
    }
    int rc = xc_proof_bundle_encode (r->seq, r->entry.data, r->entry.len,
                                     r->checkpoint.data,
                                     (const uint8_t (*)[32]) path,
                                     r->n_proof, out, out_len);
    if (rc)
        return xc_why (why, why_len, rc == XC_EINVAL ? XC_EMALFORMED : rc,
                       _("entry is malformed"));
    return 0;
}

int
xc_proof_reply_verify (const Xiecha__AuditProveReply *r, const uint8_t *env,
                       size_t len, const xc_trust_t *trust,
                       xc_proof_bundle_t *b, uint8_t **bundle,
                       size_t *bundle_len, char *why, size_t why_len)
{
    int rc = xc_proof_bundle_from_reply (r, bundle, bundle_len, why,
                                         why_len);
    if (rc == 0)
        rc = xc_proof_bundle_verify (*bundle, *bundle_len, trust,
                                     xc_now_ms (), b, why, why_len);
    if (rc == 0 && (b->cert_len != len || memcmp (b->cert, env, len) != 0))
        rc = xc_why (why, why_len, XC_ESIG, _("entry %llu does not contain "
                       "this certificate"), (unsigned long long) r->seq);
    if (rc == 0 && (r->entry_hash.len != XC_HASH_LEN
                    || memcmp (b->entry_hash, r->entry_hash.data, 32) != 0))
        rc = xc_why (why, why_len, XC_ESIG,
                     _("entry hash does not match SHA-256 of the entry"));
    return rc;
}

int
xc_proof_verify (const Xiecha__AuditProveReply *r, const uint8_t *env,
                 size_t len, const xc_trust_t *trust, xc_checkpoint_t *cp,
                 char *why, size_t why_len)
{
    uint8_t *bytes = NULL;
    size_t blen = 0;
    xc_proof_bundle_t *b = malloc (sizeof *b);
    int rc = b ? xc_proof_reply_verify (r, env, len, trust, b, &bytes, &blen,
                                        why, why_len)
               : XC_ENOMEM;
    if (rc == 0)
        *cp = b->cp;
    free (b);
    free (bytes);
    return rc;
}
