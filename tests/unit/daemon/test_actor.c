/*  test_actor.c - attribution in the audit log (xiecha/auditentry.h):
    an entry no client request caused is format 1 byte for byte as
    before actors existed, so a stored format-1 log keeps its hashes and
    verifies; an entry with an actor is format 2, the actor after the
    data and under the hash; the export verifier counts actors and the
    listing filters one terminal or one township. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <czmq.h>

#include <xiecha/auditentry.h>
#include <xiecha/auditfile.h>
#include <xiecha/bytes.h>
#include <xiecha/crypto.h>
#include <xiecha/error.h>

#include "office/export_page.h"
#include "store/audit.h"
#include "store/store.h"
#include "xt_local.h"

#define T0 1780000000000ULL
#define ACTOR "cw-1\t469021100\tLi Ming"

typedef struct {
    char dir[64];
    xc_store_t *store;
} fixture_t;

typedef struct {
    fixture_t *f;
    const char *actor;     /* NULL: none */
    const char *note;
    uint64_t time;
} s_add_t;

static int
s_add_write (MDB_txn *txn, void *arg)
{
    s_add_t *a = arg;
    xc_audit_actor_set (a->actor);
    int rc = xc_audit_append (a->f->store, txn, XC_AUDIT_DECISION, NULL,
                              a->time, a->note, NULL, 0, NULL);
    xc_audit_actor_set (NULL);
    return rc;
}

static void
s_add (fixture_t *f, const char *actor, const char *note, uint64_t t)
{
    s_add_t a = {f, actor, note, t};
    assert_int_equal (xc_store_write (f->store, s_add_write, &a), 0);
}

/*  Entry seq's stored bytes, copied into out (at most max). */
static size_t
s_raw (fixture_t *f, uint64_t seq, uint8_t *out, size_t max)
{
    MDB_txn *txn;
    xc_audit_entry_t e;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    assert_int_equal (xc_audit_get (f->store, txn, seq, &e), 0);
    assert_true (e.len <= max);
    memcpy (out, e.raw, e.len);
    size_t len = e.len;
    mdb_txn_abort (txn);
    return len;
}

static void
s_check (fixture_t *f)
{
    MDB_txn *txn;
    uint64_t bad = 0;
    char why[200] = "";
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    int rc = xc_audit_check (f->store, txn, &bad, why, sizeof why);
    mdb_txn_abort (txn);
    if (rc)
        fail_msg ("log check: %s", why);
}

static void
s_export (fixture_t *f, xc_auditfile_t *out)
{
    MDB_txn *txn;
    uint64_t next = 0;
    xc_export_page_t page = {0};
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    assert_int_equal (xc_export_page_read (f->store, txn, &page, out, &next),
                      0);
    mdb_txn_abort (txn);
    assert_int_equal (next, 0);
}

static int
s_setup (void **state)
{
    fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->store = xt_store_new (f->dir, sizeof f->dir, "actor", 0);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *f = *state;
    xt_store_destroy (&f->store, f->dir);
    free (f);
    return 0;
}

/*  The entry a node wrote before actors existed, built here from the
    format 1 layout, not by the writer under test. */
static size_t
s_format1 (uint8_t *p, uint64_t t, const uint8_t prev[32], const char *note)
{
    size_t n = strlen (note);
    memset (p, 0, XC_AUDIT_HEADER);
    p[0] = 1;
    p[1] = XC_AUDIT_DECISION;
    xc_put_u16 (p + 2, (uint16_t) n);
    xc_put_u32 (p + 4, 0);
    xc_put_u64 (p + 8, t);
    memcpy (p + 16, prev, 32);
    memcpy (p + XC_AUDIT_HEADER, note, n);
    return XC_AUDIT_HEADER + n;
}

static void
test_format1_log_unchanged_and_verifies (void **state)
{
    fixture_t *f = *state;
    s_add (f, NULL, "first", T0);
    s_add (f, NULL, "second", T0 + 1);
    //  Byte for byte what a format-1 node stored, and so the same hashes.
    uint8_t want[128], got[128], prev[32] = {0};
    for (uint64_t seq = 1; seq <= 2; seq++) {
        size_t wl = s_format1 (want, T0 + seq - 1, prev,
                               seq == 1 ? "first" : "second");
        size_t gl = s_raw (f, seq, got, sizeof got);
        assert_int_equal (gl, wl);
        assert_memory_equal (got, want, wl);
        xc_sha256 (want, wl, prev);
    }
    //  A format-2 entry after them: the chain and the export verify.
    s_add (f, ACTOR, "query", T0 + 2);
    s_check (f);
    xc_auditfile_t file;
    s_export (f, &file);
    xc_auditfile_report_t *r = calloc (1, sizeof *r);
    assert_non_null (r);
    /* every check holds; only no checkpoint signs this hand-built log */
    int rc = xc_auditfile_verify (file.data, file.len, NULL, r);
    if (rc != XC_EUNCOVERED)
        fail_msg ("verify: %s", r->why);
    assert_int_equal (r->full, 3);
    assert_int_equal (r->attributed, 1);
    free (r);
    xc_auditfile_free (&file);
}

static void
test_actor_is_format2_under_the_hash (void **state)
{
    fixture_t *f = *state;
    s_add (f, ACTOR, "query", T0);
    s_add (f, NULL, "after", T0 + 1);
    uint8_t e[256];
    size_t len = s_raw (f, 1, e, sizeof e);
    size_t alen = strlen (ACTOR);
    assert_int_equal (e[0], XC_AUDIT_FORMAT_ACTOR);
    assert_int_equal (xc_get_u16 (e + 54), alen);
    assert_int_equal (len, XC_AUDIT_HEADER + strlen ("query") + alen);
    assert_memory_equal (e + len - alen, ACTOR, alen);
    xc_auditentry_t a;
    assert_int_equal (xc_auditentry_parse (e, len, &a), 0);
    xc_actor_t who;
    assert_int_equal (xc_actor_split (a.actor, a.actor_len, &who), 0);
    assert_string_equal (who.terminal, "cw-1");
    assert_string_equal (who.township, "469021100");
    assert_string_equal (who.operator_name, "Li Ming");
    //  The next entry links to the hash over the actor too.
    uint8_t h[32], next[256];
    xc_sha256 (e, len, h);
    s_raw (f, 2, next, sizeof next);
    assert_int_equal (next[0], XC_AUDIT_FORMAT);
    assert_memory_equal (next + 16, h, 32);

    //  An actor changed in an export is caught at the link after it.
    xc_auditfile_t file;
    s_export (f, &file);
    uint8_t *m = memmem (file.data, file.len, "Li Ming", 7);
    assert_non_null (m);
    m[0] = 'X';
    xc_auditfile_report_t *r = calloc (1, sizeof *r);
    assert_non_null (r);
    assert_int_not_equal (xc_auditfile_verify (file.data, file.len, NULL, r),
                          0);
    assert_int_equal (r->bad_seq, 2);
    free (r);
    xc_auditfile_free (&file);
}

static void
test_parse_refuses_other_encodings (void **state)
{
    uint8_t e[128];
    uint8_t zero[32] = {0};
    size_t len = s_format1 (e, T0, zero, "x");
    xc_auditentry_t a;
    assert_int_equal (xc_auditentry_parse (e, len, &a), 0);
    assert_null (a.actor);
    e[0] = 2;   /* format 2 without an actor: a second encoding */
    assert_int_equal (xc_auditentry_parse (e, len, &a), XC_EMALFORMED);
    e[0] = 1;
    xc_put_u16 (e + 54, 1);   /* format 1 with the reserved bytes set */
    assert_int_equal (xc_auditentry_parse (e, len + 1, &a), XC_EMALFORMED);
    e[0] = 3;
    xc_put_u16 (e + 54, 0);
    assert_int_equal (xc_auditentry_parse (e, len, &a), XC_EMALFORMED);
    xc_actor_t who;
    assert_int_equal (xc_actor_split ("a\tb", 3, &who), XC_EMALFORMED);
    assert_int_equal (xc_actor_split ("a\tb\tc\td", 7, &who), XC_EMALFORMED);
    assert_int_equal (xc_actor_split ("ipc\t\tlocal", 10, &who), 0);
    assert_string_equal (who.township, "");
}

typedef struct {
    const char *terminal, *township;
    int n;
} s_count_t;

static int
s_count (const xc_auditfile_item_t *item, void *arg)
{
    s_count_t *c = arg;
    c->n += xc_auditfile_actor_is (&item->e, c->terminal, c->township);
    return 0;
}

static int
s_matching (const xc_auditfile_t *file, const char *terminal,
            const char *township)
{
    s_count_t c = {terminal, township, 0};
    assert_int_equal (xc_auditfile_each (file->data, file->len, s_count, &c),
                      0);
    return c.n;
}

static void
test_listing_filters_terminal_and_township (void **state)
{
    fixture_t *f = *state;
    s_add (f, NULL, "started", T0);
    s_add (f, ACTOR, "query", T0 + 1);
    s_add (f, "cw-2\t469021100\tWang", "notice", T0 + 2);
    s_add (f, "cw-9\t469021200\tZhao", "query", T0 + 3);
    s_add (f, "ipc\t\tlocal administrator", "import", T0 + 4);
    xc_auditfile_t file;
    s_export (f, &file);
    assert_int_equal (s_matching (&file, "cw-1", NULL), 1);
    assert_int_equal (s_matching (&file, NULL, "469021100"), 2);
    assert_int_equal (s_matching (&file, NULL, "469021200"), 1);
    assert_int_equal (s_matching (&file, "cw-9", "469021100"), 0);
    assert_int_equal (s_matching (&file, "ipc", NULL), 1);
    assert_int_equal (s_matching (&file, NULL, NULL), 4);
    xc_auditfile_report_t *r = calloc (1, sizeof *r);
    assert_non_null (r);
    assert_int_equal (xc_auditfile_verify (file.data, file.len, NULL, r),
                      XC_EUNCOVERED);   /* a log no checkpoint signs */
    assert_int_equal (r->attributed, 4);
    assert_int_equal (r->n_actors, 4);
    assert_string_equal (r->actors[1].who.terminal, "cw-2");
    assert_int_equal (r->actors[1].kinds[XC_AUDIT_DECISION], 1);
    free (r);
    xc_auditfile_free (&file);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (
            test_format1_log_unchanged_and_verifies, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_actor_is_format2_under_the_hash,
                                         s_setup, s_teardown),
        cmocka_unit_test (test_parse_refuses_other_encodings),
        cmocka_unit_test_setup_teardown (
            test_listing_filters_terminal_and_township, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
