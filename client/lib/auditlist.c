/*  auditlist.c - the full entries of a verified audit export, one by
    one, and who caused them (xiecha/auditfile.h): what `xiecha audit
    list` shows of one terminal or one township. */
#include <string.h>

#include "xiecha/auditfile.h"
#include "xiecha/bytes.h"
#include "xiecha/error.h"

int
xc_auditfile_each (const uint8_t *buf, size_t len, xc_auditfile_each_fn *fn,
                   void *arg)
{
    if (len < XC_AUDITFILE_HEADER
        || memcmp (buf, XC_AUDITFILE_MAGIC, 8) != 0)
        return XC_EMALFORMED;
    //  The record layout of auditfile.h: u64 seq, u8 full, then u32 len
    //  and the entry, or its 32-byte hash.
    for (size_t pos = XC_AUDITFILE_HEADER; pos < len;) {
        const uint8_t *p = buf + pos;
        size_t left = len - pos;
        if (left < 9 || p[8] > 1)
            return XC_EMALFORMED;
        if (p[8] == 0) {
            if (left < 41)
                return XC_EMALFORMED;
            pos += 41;
            continue;
        }
        if (left < 13 || left - 13 < xc_get_u32 (p + 9))
            return XC_EMALFORMED;
        xc_auditfile_item_t item = {.seq = xc_get_u64 (p)};
        size_t elen = xc_get_u32 (p + 9);
        if (xc_auditentry_parse (p + 13, elen, &item.e) != 0)
            return XC_EMALFORMED;
        int rc = fn (&item, arg);
        if (rc)
            return rc;
        pos += 13 + elen;
    }
    return 0;
}

int
xc_auditfile_actor_is (const xc_auditentry_t *e, const char *terminal,
                       const char *township)
{
    xc_actor_t who;
    if (!e->actor || xc_actor_split (e->actor, e->actor_len, &who) != 0)
        return 0;
    return (!terminal || strcmp (who.terminal, terminal) == 0)
           && (!township || strcmp (who.township, township) == 0);
}
