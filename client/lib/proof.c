/*  proof.c - a certificate's inclusion proof, checked offline
    (xc_proof_verify, client.h): the node's reply to `audit prove` trusts
    nothing it was told. */
#include <string.h>

#include "xiecha/auditentry.h"
#include "xiecha/bytes.h"
#include "xiecha/client.h"
#include "xiecha/merkle.h"


int
xc_proof_verify (const Xiecha__AuditProveReply *r, const uint8_t *env,
                 size_t len, const xc_trust_t *trust, xc_checkpoint_t *cp,
                 char *why, size_t why_len)
{
    const ProtobufCBinaryData *e = &r->entry;
    if (r->seq == 0)
        return xc_why (why, why_len, XC_EMALFORMED, "entry number is 0");
    xc_auditentry_t a;
    if (xc_auditentry_parse (e->data, e->len, &a) != 0)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "entry is malformed (its format, or its length does "
                       "not match its header)");
    if (a.kind != XC_AUDIT_SENT)
        return xc_why (why, why_len, XC_ESIG,
                       "entry %llu is not a sent entry",
                       (unsigned long long) r->seq);
    if (a.data_len != len || memcmp (a.data, env, len) != 0)
        return xc_why (why, why_len, XC_ESIG,
                       "entry %llu does not contain this certificate",
                       (unsigned long long) r->seq);
    uint8_t hash[XC_HASH_LEN];
    xc_sha256 (e->data, e->len, hash);
    if (r->entry_hash.len != XC_HASH_LEN
        || memcmp (hash, r->entry_hash.data, XC_HASH_LEN) != 0)
        return xc_why (why, why_len, XC_ESIG,
                       "entry hash does not match SHA-256 of the entry");
    char cwhy[512] = "";
    int rc = xc_checkpoint_verify (r->checkpoint.data, r->checkpoint.len,
                                   trust, cp, cwhy, sizeof cwhy);
    if (rc)
        return xc_why (why, why_len, rc == XC_EMALFORMED ? rc : XC_ESIG,
                       "checkpoint: %s", *cwhy ? cwhy : "invalid");
    if (r->seq > cp->tree_size)
        return xc_why (why, why_len, XC_ESIG,
                       "checkpoint of size %llu does not cover entry %llu",
                       (unsigned long long) cp->tree_size,
                       (unsigned long long) r->seq);
    if (r->n_proof > XC_MERKLE_MAX_PROOF)
        return xc_why (why, why_len, XC_EMALFORMED, "proof too long");
    uint8_t proof[XC_MERKLE_MAX_PROOF][32];
    for (size_t i = 0; i < r->n_proof; i++) {
        if (r->proof[i].len != 32)
            return xc_why (why, why_len, XC_EMALFORMED,
                           "proof hash %zu is not 32 bytes", i);
        memcpy (proof[i], r->proof[i].data, 32);
    }
    if (xc_merkle_inclusion_verify (hash, r->seq - 1, cp->tree_size,
                                    (const uint8_t (*)[32]) proof,
                                    r->n_proof, cp->root))
        return xc_why (why, why_len, XC_ESIG,
                       "inclusion proof does not match the checkpoint root");
    return 0;
}

