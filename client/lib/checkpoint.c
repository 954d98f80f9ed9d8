/*  checkpoint.c - encoding, signing and checking audit checkpoints; the
    layout is in xiecha/checkpoint.h. */
#include <xiecha/checkpoint.h>

#include <string.h>

#include <xiecha/bytes.h>
#include <xiecha/error.h>
#include <xiecha/text.h>

/*  Writes the signed part (bytes 0..70). */
static int
s_encode (const xc_checkpoint_t *cp, uint8_t *out)
{
    size_t node_len = strnlen (cp->node, sizeof cp->node);
    if (node_len == 0 || node_len > 6
        || strnlen (cp->key_id, sizeof cp->key_id) != XC_KEY_ID_LEN)
        return XC_EINVAL;
    memset (out, 0, XC_CHECKPOINT_SIGNED);
    out[0] = XC_CHECKPOINT_FORMAT;
    xc_put_u64 (out + 1, cp->tree_size);
    memcpy (out + 9, cp->root, XC_HASH_LEN);
    xc_put_u64 (out + 41, cp->time_ms);
    memcpy (out + 49, cp->node, node_len);
    memcpy (out + 55, cp->key_id, XC_KEY_ID_LEN);
    return 0;
}

int
xc_checkpoint_sign (xc_checkpoint_t *cp, xc_key_t *key,
                    uint8_t out[XC_CHECKPOINT_LEN])
{
    int rc = s_encode (cp, out);
    if (rc == 0)
        rc = xc_sign (key, XC_CTX_CHECKPOINT, out, XC_CHECKPOINT_SIGNED,
                      cp->sig);
    if (rc == 0)
        memcpy (out + XC_CHECKPOINT_SIGNED, cp->sig, XC_SIG_LEN);
    return rc;
}

int
xc_checkpoint_decode (const uint8_t *data, size_t len, xc_checkpoint_t *cp)
{
    memset (cp, 0, sizeof *cp);
    if (len != XC_CHECKPOINT_LEN || data[0] != XC_CHECKPOINT_FORMAT)
        return XC_EMALFORMED;
    cp->tree_size = xc_get_u64 (data + 1);
    memcpy (cp->root, data + 9, XC_HASH_LEN);
    cp->time_ms = xc_get_u64 (data + 41);
    memcpy (cp->node, data + 49, 6);
    memcpy (cp->key_id, data + 55, XC_KEY_ID_LEN);
    memcpy (cp->sig, data + XC_CHECKPOINT_SIGNED, XC_SIG_LEN);
    //  Re-encoding must give back the same bytes: rejects padding that is
    //  not NUL, a key id with a NUL in it, and so on.
    uint8_t again[XC_CHECKPOINT_SIGNED];
    if (s_encode (cp, again) != 0
        || memcmp (again, data, XC_CHECKPOINT_SIGNED) != 0)
        return XC_EMALFORMED;
    return 0;
}

int
xc_checkpoint_verify (const uint8_t *data, size_t len,
                      const xc_trust_t *trust, xc_checkpoint_t *cp,
                      char *why, size_t why_len)
{
    if (xc_checkpoint_decode (data, len, cp) != 0)
        return xc_why (why, why_len, XC_EMALFORMED, _("checkpoint malformed"));
    const xc_trust_key_t *k = xc_trust_key (trust, cp->key_id);
    if (!k)
        return xc_why (why, why_len, XC_EUNKNOWN,
                       _("checkpoint key %s not in the trust list"),
                       cp->key_id);
    if (strcmp (k->node, cp->node) != 0)
        return xc_why (why, why_len, XC_EUNKNOWN,
                       _("checkpoint key %s belongs to %s, not %s"), cp->key_id,
                       k->node, cp->node);
    char why_key[256];
    if (xc_trust_key_check (k, cp->time_ms, why_key, sizeof why_key) != 0)
        return xc_why (why, why_len, XC_EUNKNOWN, _("checkpoint %s"), why_key);
    if (xc_verify (k->key, XC_CTX_CHECKPOINT, data, XC_CHECKPOINT_SIGNED,
                   cp->sig, XC_SIG_LEN)
        != 0)
        return xc_why (why, why_len, XC_ESIG,
                       _("checkpoint signature does not verify"));
    return 0;
}
