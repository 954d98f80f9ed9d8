/*  auditentry.c - the one reading of an audit entry's layout
    (xiecha/auditentry.h), shared by the node's log, the export verifier
    and the proof check. */
#include <string.h>

#include "xiecha/auditentry.h"
#include "xiecha/bytes.h"
#include "xiecha/error.h"

int
xc_auditentry_parse (const uint8_t *e, size_t len, xc_auditentry_t *out)
{
    memset (out, 0, sizeof *out);
    if (len < XC_AUDIT_HEADER
        || (e[0] != XC_AUDIT_FORMAT && e[0] != XC_AUDIT_FORMAT_ACTOR))
        return XC_EMALFORMED;
    size_t note_len = xc_get_u16 (e + 2);
    size_t data_len = xc_get_u32 (e + 4);
    size_t actor_len = xc_get_u16 (e + 54);
    //  Format 1 keeps its reserved bytes zero; format 2 exists only to
    //  carry an actor, so an empty one would be a second encoding of a
    //  format 1 entry.
    if (e[0] == XC_AUDIT_FORMAT ? actor_len != 0
                                : actor_len == 0
                                      || actor_len > XC_AUDIT_ACTOR_MAX)
        return XC_EMALFORMED;
    if (len != XC_AUDIT_HEADER + note_len + data_len + actor_len)
        return XC_EMALFORMED;
    out->format = e[0];
    out->kind = e[1];
    out->time_ms = xc_get_u64 (e + 8);
    out->prev_hash = e + 16;
    memcpy (out->peer, e + 48, 6);
    out->note = (const char *) e + XC_AUDIT_HEADER;
    out->note_len = note_len;
    out->data = e + XC_AUDIT_HEADER + note_len;
    out->data_len = data_len;
    if (actor_len) {
        out->actor = (const char *) out->data + data_len;
        out->actor_len = actor_len;
    }
    out->len = len;
    return 0;
}

/*  Copies part[len] into out[size], cut to fit. */
static void
s_part (const char *part, size_t len, char *out, size_t size)
{
    if (len >= size)
        len = size - 1;
    memcpy (out, part, len);
    out[len] = '\0';
}

int
xc_actor_split (const char *actor, size_t len, xc_actor_t *out)
{
    memset (out, 0, sizeof *out);
    const char *end = actor ? actor + len : NULL;
    const char *t1 = actor ? memchr (actor, '\t', len) : NULL;
    const char *t2 = t1 ? memchr (t1 + 1, '\t', (size_t) (end - t1 - 1))
                        : NULL;
    if (!t2 || memchr (t2 + 1, '\t', (size_t) (end - t2 - 1)))
        return XC_EMALFORMED;
    s_part (actor, (size_t) (t1 - actor), out->terminal,
            sizeof out->terminal);
    s_part (t1 + 1, (size_t) (t2 - t1 - 1), out->township,
            sizeof out->township);
    s_part (t2 + 1, (size_t) (end - t2 - 1), out->operator_name,
            sizeof out->operator_name);
    return 0;
}

const char *
xc_auditentry_kind_name (int kind)
{
    static const char *const names[] = {
        "unknown", "start", "received", "sent", "refused", "decision",
        "import", "duplicate", "stop", "checkpoint", "summary", "restore"
    };
    return kind > 0 && kind < (int) (sizeof names / sizeof names[0])
               ? names[kind]
               : "unknown";
}
