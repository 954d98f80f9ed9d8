/*  client_import.c - the client API's roster import: rows are checked
    and staged in memory (xc_import_add), then sent to the own node in
    chunks between BEGIN and COMMIT, so the node applies all of them or,
    on any failure before the commit, none. */
#include <stdlib.h>
#include <string.h>

#include "xiecha/request.h"
#include "xiecha/text.h"
#include "xiecha/xiecha.h"
#include "client_call.h"

/* The node answers a COMMIT when the whole import is applied, in slices
   between its other work: about a million rows in ten seconds. */
#define XC_CLIENT_COMMIT_TIMEOUT (30 * 60 * 1000)
#define XC_CLIENT_ABORT_TIMEOUT 1000    /* best effort: do not hang on it */
#define XC_IMPORT_CHUNK 8192            /* rows per ROWS message (~300 KB) */

/*  One roster row as staged in memory: compact, so 100k rows cost a few
    MB, and with no pointers, so the array can grow by realloc. */
typedef struct {
    char id[XC_ID_LEN + 1];  /* normalised ID number */
    uint8_t program;         /* XIECHA__PROGRAM__* */
    uint32_t since;          /* YYYYMMDD */
    uint32_t until;          /* YYYYMMDD, 0 while open */
    uint32_t line;           /* source line, echoed by the node in errors */
} s_row_t;

struct _xc_import_t {
    xc_client_t *client;  /* not owned: must outlive the import */
    s_row_t *rows;        /* rows added so far */
    size_t count;         /* rows used */
    size_t capacity;      /* rows allocated */
    int delta;            /* xc_import_delta */
    uint32_t as_of;       /* xc_import_snapshot; 0: the node's today */
    Xiecha__Program programs[XIECHA__PROGRAM__TEMP];  /* ... covered */
    size_t n_programs;
    size_t unique;        /* rows xc_import_duplicates found unique */
    xc_import_result_t result;  /* of the last commit */
};

xc_import_t *
xc_import_new (xc_client_t *client)
{
    if (!client)
        return NULL;
    xc_import_t *self = (xc_import_t *) calloc (1, sizeof *self);
    if (self)
        self->client = client;
    return self;
}

void
xc_import_destroy (xc_import_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free ((*self_p)->rows);
    free (*self_p);
    *self_p = NULL;
}

int
xc_import_add (xc_import_t *self, const char *id_number, int program,
               uint32_t since, uint32_t until, uint32_t line, char *why,
               size_t why_len)
{
    if (!self)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    Xiecha__RosterRow r = XIECHA__ROSTER_ROW__INIT;
    r.id_number = (char *) id_number;
    r.program = (Xiecha__Program) program;
    r.since = since;
    r.until = until;
    r.line = line;
    int rc = xc_request_check_row (&r, why, why_len);
    if (rc)
        return rc;
    s_row_t row = { .program = (uint8_t) program, .since = since,
                    .until = until, .line = line };
    rc = xc_id_normalize (id_number, "id_number", row.id, why, why_len);
    if (rc)
        return rc;
    if (self->count == self->capacity) {
        size_t cap = self->capacity ? self->capacity * 2 : 1024;
        s_row_t *rows = (s_row_t *) realloc (self->rows, cap * sizeof *rows);
        if (!rows)
            return xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
        self->rows = rows;
        self->capacity = cap;
    }
    self->rows[self->count++] = row;
    return 0;
}

uint64_t
xc_import_rows (xc_import_t *self)
{
    return self ? self->count : 0;
}

int
xc_import_snapshot (xc_import_t *self, uint32_t as_of, const int *programs,
                    size_t n, char *why, size_t why_len)
{
    if (!self || (n && !programs) || n > XIECHA__PROGRAM__TEMP)
        return xc_why (why, why_len, XC_EINVAL, _("programs: at most %d"),
                       XIECHA__PROGRAM__TEMP);
    Xiecha__ImportRequest begin = XIECHA__IMPORT_REQUEST__INIT;
    Xiecha__Program list[XIECHA__PROGRAM__TEMP];
    for (size_t i = 0; i < n; i++)
        list[i] = (Xiecha__Program) programs[i];
    begin.as_of = as_of;
    begin.n_programs = n;
    begin.programs = list;
    int rc = xc_request_check_import (&begin, xc_now_ms (), why, why_len);
    if (rc)
        return rc;
    self->delta = 0;
    self->as_of = as_of;
    memcpy (self->programs, list, n * sizeof *list);
    self->n_programs = n;
    return 0;
}

void
xc_import_delta (xc_import_t *self)
{
    if (!self)
        return;
    self->delta = 1;
    self->as_of = 0;
    self->n_programs = 0;
}

/*  Person (normal form), program, then line: duplicates side by side,
    the first one first. */
static int
s_row_cmp (const void *a, const void *b)
{
    const s_row_t *x = *(const s_row_t *const *) a;
    const s_row_t *y = *(const s_row_t *const *) b;
    int c = memcmp (x->id, y->id, XC_ID_LEN);
    if (c == 0)
        c = (int) x->program - (int) y->program;
    if (c == 0)
        c = x->line < y->line ? -1 : x->line > y->line;
    return c;
}

size_t
xc_import_duplicates (xc_import_t *self, xc_import_dup_fn *fn, void *arg)
{
    if (!self || self->count < 2)
        return 0;
    const s_row_t **order = (const s_row_t **) malloc (self->count
                                                       * sizeof *order);
    if (!order)
        return 0;   /* the node refuses them as well */
    for (size_t i = 0; i < self->count; i++)
        order[i] = &self->rows[i];
    qsort (order, self->count, sizeof *order, s_row_cmp);
    size_t dups = 0;
    const s_row_t *first = order[0];
    for (size_t i = 1; i < self->count; i++) {
        const s_row_t *r = order[i];
        if (memcmp (r->id, first->id, XC_ID_LEN)
            || r->program != first->program) {
            first = r;
            continue;
        }
        dups++;
        if (fn)
            fn (r->line, first->line, r->program, arg);
    }
    free (order);
    if (!dups)
        self->unique = self->count;   /* the commit need not sort again */
    return dups;
}

const xc_import_result_t *
xc_import_result (const xc_import_t *self)
{
    return self ? &self->result : NULL;
}

/*  The first duplicate, for the refusal. */
typedef struct {
    char *why;
    size_t why_len;
} s_dup_why_t;

static void
s_dup_why (uint32_t line, uint32_t first_line, int program, void *arg)
{
    s_dup_why_t *d = arg;
    if (d->why_len == 0)
        return;
    xc_why (d->why, d->why_len, XC_EINVAL, _("line %u: same person and "
              "program (%s) as line %u; nothing was imported"), line,
            xc_program_name (program), first_line);
    d->why_len = 0;   /* keep the first */
}

//  One import step with the given rows; returns the reply's ImportReply
//  through *reply (caller frees the ClientReply *holder).
static int
s_import_step (xc_import_t *self, Xiecha__ImportRequest__Step step,
               const ProtobufCBinaryData *import_id, size_t first,
               size_t n, int timeout_ms, Xiecha__ClientReply **holder,
               char *why, size_t why_len)
{
    //  On the heap: a chunk is ~128 KB of structs, too much for the
    //  stack of a thread in a program that links us.
    Xiecha__RosterRow *rows = NULL;
    Xiecha__RosterRow **ptrs = NULL;
    if (n) {
        rows = (Xiecha__RosterRow *) malloc (n * sizeof *rows);
        ptrs = (Xiecha__RosterRow **) malloc (n * sizeof *ptrs);
        if (!rows || !ptrs) {
            free (rows);
            free (ptrs);
            return xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
        }
    }
    for (size_t i = 0; i < n; i++) {
        const s_row_t *r = &self->rows[first + i];
        xiecha__roster_row__init (&rows[i]);
        rows[i].id_number = (char *) r->id;
        rows[i].program = (Xiecha__Program) r->program;
        rows[i].since = r->since;
        rows[i].until = r->until;
        rows[i].line = r->line;
        ptrs[i] = &rows[i];
    }
    Xiecha__ImportRequest ir = XIECHA__IMPORT_REQUEST__INIT;
    ir.step = step;
    if (step == XIECHA__IMPORT_REQUEST__STEP__BEGIN) {
        ir.as_of = self->as_of;
        ir.delta = self->delta;
        ir.n_programs = self->n_programs;
        ir.programs = self->n_programs ? self->programs : NULL;
    }
    if (import_id)
        ir.import_id = *import_id;
    ir.n_rows = n;
    ir.rows = n ? ptrs : NULL;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_IMPORT;
    req.import = &ir;
    int rc = xc_client_call_within (self->client, &req, timeout_ms,
                                    XIECHA__CLIENT_REPLY__BODY_IMPORT, holder,
                                    why, why_len);
    free (rows);
    free (ptrs);
    if (rc == 0 && !(*holder)->import) {
        xiecha__client_reply__free_unpacked (*holder, NULL);
        *holder = NULL;
        rc = xc_why (why, why_len, XC_EMALFORMED, _("import reply is empty"));
    }
    return rc;
}

//  Sends the staged rows in chunks after BEGIN.  *staged follows the node.
static int
s_import_rows (xc_import_t *self, const ProtobufCBinaryData *import_id,
               xc_progress_fn *progress, void *arg, char *why,
               size_t why_len)
{
    for (size_t sent = 0; sent < self->count;) {
        size_t n = self->count - sent;
        if (n > XC_IMPORT_CHUNK)
            n = XC_IMPORT_CHUNK;
        Xiecha__ClientReply *reply = NULL;
        int rc = s_import_step (self, XIECHA__IMPORT_REQUEST__STEP__ROWS,
                                import_id, sent, n,
                                xc_client_timeout (self->client), &reply,
                                why, why_len);
        if (rc)
            return rc;
        uint64_t staged = reply->import->rows;
        xiecha__client_reply__free_unpacked (reply, NULL);
        sent += n;
        //  A node that lost rows must not get to commit the rest.
        if (staged != sent)
            return xc_why (why, why_len, XC_EMALFORMED,
                           _("node staged %llu rows, %zu were sent"),
                           (unsigned long long) staged, sent);
        if (progress)
            progress (sent, self->count, arg);
    }
    return 0;
}

int
xc_import_commit (xc_import_t *self, xc_progress_fn *progress, void *arg,
                  uint64_t *subjects, char *why, size_t why_len)
{
    if (!self)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    xc_client_t *client = self->client;
    Xiecha__ClientReply *reply = NULL;
    ProtobufCBinaryData import_id = { 0, NULL };
    s_dup_why_t dup = {why, why_len};
    if (self->unique != self->count
        && xc_import_duplicates (self, s_dup_why, &dup))
        return XC_EINVAL;   /* nothing sent */

    int rc = s_import_step (self, XIECHA__IMPORT_REQUEST__STEP__BEGIN, NULL, 0,
                            0, xc_client_timeout (client), &reply, why,
                            why_len);
    if (rc)
        return rc;   // nothing staged: nothing to abort
    import_id.len = reply->import->import_id.len;
    import_id.data = (uint8_t *) malloc (import_id.len ? import_id.len : 1);
    if (import_id.data)
        memcpy (import_id.data, reply->import->import_id.data, import_id.len);
    xiecha__client_reply__free_unpacked (reply, NULL);
    reply = NULL;
    if (!import_id.data) {
        rc = xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
        goto abort;
    }
    if (import_id.len == 0) {
        rc = xc_why (why, why_len, XC_EMALFORMED,
                     _("node answered BEGIN without an import id"));
        goto abort;
    }
    rc = s_import_rows (self, &import_id, progress, arg, why, why_len);
    if (rc)
        goto abort;

    int commit_timeout = xc_client_timeout (client) > XC_CLIENT_COMMIT_TIMEOUT
                             ? xc_client_timeout (client)
                             : XC_CLIENT_COMMIT_TIMEOUT;
    rc = s_import_step (self, XIECHA__IMPORT_REQUEST__STEP__COMMIT, &import_id,
                        0, 0, commit_timeout, &reply, why, why_len);
    if (rc)
        goto abort;
    if (reply->import->rows != self->count)
        //  Committed already: report, but there is nothing left to abort.
        rc = xc_why (why, why_len, XC_EMALFORMED,
                     _("node committed %llu rows, %zu were sent"),
                     (unsigned long long) reply->import->rows, self->count);
    const Xiecha__ImportReply *ir = reply->import;
    self->result = (xc_import_result_t) {
        .rows = ir->rows, .subjects = ir->subjects, .added = ir->added,
        .changed = ir->changed, .closed = ir->closed,
        .unchanged = ir->unchanged, .conflicts = ir->conflicts,
        .not_applied = ir->not_applied, .as_of = ir->as_of};
    if (subjects)
        *subjects = ir->subjects;
    xiecha__client_reply__free_unpacked (reply, NULL);
    free (import_id.data);
    return rc;

abort:
    //  Best effort, with our own why buffer so the first failure's
    //  message survives; the node also drops stale staged imports.
    if (import_id.data && import_id.len) {
        char ignored[64];
        Xiecha__ClientReply *r = NULL;
        if (s_import_step (self, XIECHA__IMPORT_REQUEST__STEP__ABORT,
                           &import_id, 0, 0, XC_CLIENT_ABORT_TIMEOUT, &r,
                           ignored, sizeof ignored) == 0)
            xiecha__client_reply__free_unpacked (r, NULL);
    }
    free (import_id.data);
    return rc;
}
