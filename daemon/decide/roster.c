/*  roster.c - staged roster imports. */
#include <string.h>

#include <xiecha/bytes.h>

#include "store/audit.h"
#include "store/index.h"
#include "decide/roster.h"

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

#define S_ROW_BYTES (XC_REF_LEN + 9)  /* packed form kept in the audit log */
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

static int
s_check_row (const xc_node_t *node, const Xiecha__RosterRow *r, s_row_t *out,
             char *why, size_t why_len)
{
    char field[48], norm[XC_ID_LEN + 1];
    snprintf (field, sizeof field, "line %u: id_number", r->line);
    int rc = xc_id_normalize (r->id_number, field, norm, why, why_len);
    if (rc)
        return rc;
    if (r->program < XIECHA__PROGRAM__DIBAO || r->program > XIECHA__PROGRAM__TEMP)
        return xc_why (why, why_len, XC_EINVAL,
                       "line %u: program: unknown program %d", r->line,
                       (int) r->program);
    char since[16], until[16];
    snprintf (since, sizeof since, "%u", r->since);
    snprintf (until, sizeof until, "%u", r->until);
    uint32_t d;
    if (xc_date_parse (since, &d))
        return xc_why (why, why_len, XC_EINVAL,
                       "line %u: since: %u is not a calendar date", r->line,
                       r->since);
    if (r->until && (xc_date_parse (until, &d) || r->until < r->since))
        return xc_why (why, why_len, XC_EINVAL,
                       "line %u: until: %u is not a date on or after since",
                       r->line, r->until);
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

static void
s_pack (const s_row_t *r, uint8_t *p)
{
    memcpy (p, r->ref, XC_REF_LEN);
    p[32] = r->program;
    xc_put_u32 (p + 33, r->since);
    xc_put_u32 (p + 37, r->until);
}

/*  Logs rows [from, to) as one audit entry of packed rows. */
static int
s_audit_rows (xc_roster_t *self, xc_node_t *node, MDB_txn *txn, size_t from,
              size_t to, uint64_t now)
{
    uint8_t *buf = malloc ((to - from) * S_ROW_BYTES);
    if (!buf)
        return XC_ENOMEM;
    for (size_t i = from; i < to; i++)
        s_pack (&self->rows[i], buf + (i - from) * S_ROW_BYTES);
    char note[128];
    snprintf (note, sizeof note, "roster import rows %zu-%zu of %zu "
              "(ref32 program8 since32 until32)", from + 1, to, self->count);
    int rc = xc_audit_append (node->store, txn, XC_AUDIT_IMPORT, NULL, now,
                              note, buf, (to - from) * S_ROW_BYTES, NULL);
    free (buf);
    return rc;
}

int
xc_roster_commit (xc_roster_t *self, xc_node_t *node, MDB_txn *txn,
                  uint64_t now)
{
    for (size_t i = 0; i < self->count; i++) {
        xc_enrollment_t e = {.program = self->rows[i].program,
                             .since = self->rows[i].since,
                             .until = self->rows[i].until};
        memcpy (e.node, node->config.code, sizeof e.node);
        int rc = xc_index_add (node->store, txn, self->rows[i].ref, &e);
        if (rc)
            return rc;
        if ((i + 1) % S_ROWS_PER_ENTRY == 0 || i + 1 == self->count) {
            size_t from = i - i % S_ROWS_PER_ENTRY;
            rc = s_audit_rows (self, node, txn, from, i + 1, now);
            if (rc)
                return rc;
        }
    }
    return 0;
}
