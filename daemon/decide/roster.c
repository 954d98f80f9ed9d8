/*  roster.c - staged roster imports. */
#include <string.h>

#include <xiecha/request.h>

#include "decide/apply.h"
#include "decide/roster.h"
#include "store/audit.h"

/*  One staged row: what the index needs, nothing more. */
typedef struct {
    uint8_t ref[XC_REF_LEN];
    uint8_t program;
    uint32_t since;
    uint32_t until;
} s_row_t;

struct _xc_roster_t {
    s_row_t *rows;       /* staged rows, in file order */
    size_t count;        /* rows used */
    size_t alloc;        /* rows allocated */
    uint64_t touched;    /* last activity, UTC ms */
};

#define S_ROWS_PER_ENTRY 20000        /* ~800 KiB per audit entry */

xc_roster_t *
xc_roster_new (void)
{
    xc_roster_t *self = calloc (1, sizeof *self);
    if (self)
        self->touched = xc_now_ms ();
    return self;
}

void
xc_roster_destroy (xc_roster_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free ((*self_p)->rows);
    free (*self_p);
    *self_p = NULL;
}

/*  The row rules (xiecha/request.h), prefixed with the row's line, then
    the subject ref; the plain ID lives only in this call. */
static int
s_check_row (const xc_node_t *node, const Xiecha__RosterRow *r, s_row_t *out,
             char *why, size_t why_len)
{
    char inner[400], norm[XC_ID_LEN + 1];
    if (xc_request_check_row (r, inner, sizeof inner) != 0)
        return xc_why (why, why_len, XC_EINVAL, "line %u: %s", r->line,
                       inner);
    if (xc_id_normalize (r->id_number, "id_number", norm, inner,
                         sizeof inner) != 0)
        return xc_why (why, why_len, XC_EINVAL, "line %u: %s", r->line,
                       inner);
    xc_subject_ref (node->salt, node->salt_len, norm, out->ref);
    explicit_bzero (norm, sizeof norm);
    out->program = (uint8_t) r->program;
    out->since = r->since;
    out->until = r->until;
    return 0;
}

int
xc_roster_stage (xc_roster_t *self, const xc_node_t *node,
                 Xiecha__RosterRow *const *rows, size_t n, char *why,
                 size_t why_len)
{
    self->touched = xc_now_ms ();
    if (self->count + n > XC_ROSTER_MAX_ROWS)
        return xc_why (why, why_len, XC_ETOOBIG,
                       "roster: more than %d rows in one import",
                       XC_ROSTER_MAX_ROWS);
    if (self->count + n > self->alloc) {
        size_t want = self->alloc ? self->alloc : 4096;
        while (want < self->count + n)
            want *= 2;
        s_row_t *grown = realloc (self->rows, want * sizeof *grown);
        if (!grown)
            return xc_why (why, why_len, XC_ENOMEM, "roster: out of memory");
        self->rows = grown;
        self->alloc = want;
    }
    for (size_t i = 0; i < n; i++) {
        int rc = s_check_row (node, rows[i], &self->rows[self->count + i], why,
                              why_len);
        if (rc)
            return rc;   /* count unchanged: the chunk is not staged */
    }
    self->count += n;
    return 0;
}

size_t
xc_roster_rows (const xc_roster_t *self)
{
    return self->count;
}

uint64_t
xc_roster_touched (const xc_roster_t *self)
{
    return self->touched;
}

/*  Rows are applied the way replay applies them (apply.h): packed as
    they are logged, one audit entry per S_ROWS_PER_ENTRY rows. */
int
xc_roster_commit (xc_roster_t *self, xc_node_t *node, MDB_txn *txn,
                  uint64_t now)
{
    size_t chunk = self->count < S_ROWS_PER_ENTRY ? self->count
                                                  : S_ROWS_PER_ENTRY;
    uint8_t *buf = malloc ((chunk ? chunk : 1) * XC_APPLY_ROW_BYTES);
    if (!buf)
        return XC_ENOMEM;
    int rc = 0;
    for (size_t from = 0; rc == 0 && from < self->count; from += chunk) {
        size_t to = from + chunk < self->count ? from + chunk : self->count;
        for (size_t i = from; i < to; i++) {
            const s_row_t *r = &self->rows[i];
            xc_apply_row_pack (buf + (i - from) * XC_APPLY_ROW_BYTES, r->ref,
                               r->program, r->since, r->until);
        }
        size_t len = (to - from) * XC_APPLY_ROW_BYTES;
        rc = xc_apply_rows (node->store, txn, buf, len, node->config.code);
        char note[128];
        snprintf (note, sizeof note, "roster import rows %zu-%zu of %zu "
                  "(ref32 program8 since32 until32)", from + 1, to,
                  self->count);
        if (rc == 0)
            rc = xc_audit_append (node->store, txn, XC_AUDIT_IMPORT, NULL,
                                  now, note, buf, len, NULL);
    }
    free (buf);
    return rc;
}
