/*  test_reload.c - the trust list reloaded while the node runs
    (node/reload.h), the trust-list mark it is held to (node/trustmark.h),
    and the switch to the next signing key (xc_reload_rotate).

    Each reload test opens two real nodes (tests/lib/xt_local.h) and then rewrites
    their shared trust list, trust.zpl, from the nodes' own keys, the way
    an operator edits it before sending SIGHUP.  The mark tests use a bare
    store and lists parsed from text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zmq.h>

#include "xt_local.h"
#include "node/node.h"
#include "node/reload.h"
#include "node/trustmark.h"
#include "store/audit.h"

#define CODE_A "469021"
#define CODE_B "341002"

/* --------------------------------------------------------------------------
   Writing the trust list
   -------------------------------------------------------------------------- */

/*  How the list differs from the one that names both nodes as they are. */
typedef struct {
    uint64_t serial;            /* 0: no serial line */
    const char *a_name;         /* NULL: "Node 469021" */
    int drop_a;                 /* leave node A out */
    const char *a_key;          /* A's key section(s) instead of its
                                   current signing key (public hex) */
    const char *a_curve;        /* A's CURVE key instead of its own */
    const char *a_more;         /* more key sections for A, verbatim */
    int signed_header;          /* issued and next_update lines */
} s_list_t;

static void
s_pub_hex (xc_key_t *key, char hex[2 * XC_PUBKEY_LEN + 1])
{
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (key, pub);
    xc_hex (pub, sizeof pub, hex);
}

static void
s_path (const xt_pair_t *f, const char *name, char *path, size_t len)
{
    snprintf (path, len, "%s/%s", f->fed->root, name);
}

static void
s_write_file (const char *path, const char *text)
{
    char tmp[PATH_MAX];
    snprintf (tmp, sizeof tmp, "%s.tmp", path);
    FILE *file = fopen (tmp, "w");
    assert_non_null (file);
    assert_int_equal (fputs (text, file) >= 0, 1);
    assert_int_equal (fclose (file), 0);
    assert_int_equal (rename (tmp, path), 0);
}

static void
s_node_text (char *buf, size_t cap, const char *code, const char *name,
             int port, const char *curve, const char *keys)
{
    size_t at = strlen (buf);
    int n = snprintf (buf + at, cap - at,
                      "    node\n        code = \"%s\"\n"
                      "        name = \"%s\"\n"
                      "        endpoint = \"tcp://127.0.0.1:%d\"\n"
                      "        curve = \"%s\"\n%s",
                      code, name, port, curve, keys);
    assert_true (n > 0 && (size_t) n < cap - at);
}

#define S_LIST_MAX 16384

/*  The text of the list l says, from the nodes' own keys. */
static void
s_list_text (const xt_pair_t *f, const s_list_t *l, char *text)
{
    char hex[2 * XC_PUBKEY_LEN + 1], keys[4096];
    size_t cap = S_LIST_MAX;
    snprintf (text, cap, "trust\n    version = 1\n");
    if (l->serial)
        snprintf (text + strlen (text), cap - strlen (text),
                  "    serial = %llu\n", (unsigned long long) l->serial);
    if (l->signed_header)
        snprintf (text + strlen (text), cap - strlen (text),
                  "    issued = \"2026-01-01T00:00:00Z\"\n"
                  "    next_update = \"2099-01-01T00:00:00Z\"\n");
    s_pub_hex (f->b->signers[0].key, hex);
    snprintf (keys, sizeof keys, "        key\n            public = \"%s\"\n",
              hex);
    s_node_text (text, cap, CODE_B, "Node " CODE_B, 7402,
                 zcert_public_txt (f->b->curve), keys);
    if (!l->drop_a) {
        if (l->a_key)
            snprintf (keys, sizeof keys, "%s", l->a_key);
        else {
            s_pub_hex (f->a->signers[0].key, hex);
            snprintf (keys, sizeof keys,
                      "        key\n            public = \"%s\"\n", hex);
        }
        if (l->a_more)
            snprintf (keys + strlen (keys), sizeof keys - strlen (keys), "%s",
                      l->a_more);
        s_node_text (text, cap, CODE_A,
                     l->a_name ? l->a_name : "Node " CODE_A, 7401,
                     l->a_curve ? l->a_curve : zcert_public_txt (f->a->curve),
                     keys);
    }
}

/*  Writes <root>/trust.zpl as l says. */
static void
s_write_list (const xt_pair_t *f, const s_list_t *l)
{
    static char text[S_LIST_MAX];
    s_list_text (f, l, text);
    char path[PATH_MAX];
    s_path (f, "trust.zpl", path, sizeof path);
    s_write_file (path, text);
}

/*  SHA-256 of a file's bytes, as `sha256sum` prints it. */
static void
s_file_digest (const char *path, uint8_t digest[XC_HASH_LEN])
{
    FILE *file = fopen (path, "rb");
    assert_non_null (file);
    static uint8_t buf[65536];
    size_t n = fread (buf, 1, sizeof buf, file);
    assert_true (n < sizeof buf);
    fclose (file);
    xc_sha256 (buf, n, digest);
}

/*  A key section for a fresh key that belongs to no node yet. */
static void
s_stranger_key (char *section, size_t len)
{
    xc_key_t *key = xc_key_generate ();
    assert_non_null (key);
    char hex[2 * XC_PUBKEY_LEN + 1];
    s_pub_hex (key, hex);
    xc_key_destroy (&key);
    snprintf (section, len, "        key\n            public = \"%s\"\n", hex);
}

/* --------------------------------------------------------------------------
   The federation, and reading the node back
   -------------------------------------------------------------------------- */

static int
s_setup (void **state)
{
    *state = xt_pair_new ("reload", CODE_A, CODE_B);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_pair_destroy ((xt_pair_t **) state);
    return 0;
}

/*  What a node holds of its trust list right now. */
typedef struct {
    const xc_trust_t *ptr;
    uint64_t serial;
    uint8_t digest[XC_HASH_LEN];
    xc_trustmark_t mark;        /* as stored */
} s_held_t;

static void
s_held (xc_node_t *node, s_held_t *h)
{
    memset (h, 0, sizeof *h);
    h->ptr = node->trust;
    h->serial = xc_trust_serial (node->trust);
    xc_trust_digest (node->trust, h->digest);
    assert_int_equal (xc_trustmark_get (node->store, &h->mark), 0);
}

static void
s_assert_held (xc_node_t *node, const s_held_t *before)
{
    s_held_t now;
    s_held (node, &now);
    assert_ptr_equal (now.ptr, before->ptr);
    assert_int_equal (now.serial, before->serial);
    assert_memory_equal (now.digest, before->digest, XC_HASH_LEN);
    assert_int_equal (now.mark.serial, before->mark.serial);
    assert_int_equal (now.mark.known, before->mark.known);
    assert_memory_equal (now.mark.digest, before->mark.digest, XC_HASH_LEN);
}

static void
s_assert_mentions (const char *text, const char *needle)
{
    if (!strstr (text, needle))
        fail_msg ("'%s' does not mention '%s'", text, needle);
}

/*  Reloads and expects the new list swapped in; returns nothing. */
static void
s_reload_ok (xc_node_t *node, bool want_changed)
{
    bool changed = !want_changed;
    char why[1024] = "";
    int rc = xc_reload_trust (node, &changed, why, sizeof why);
    if (rc != 0)
        fail_msg ("reload refused: %s", why);
    assert_int_equal (changed, want_changed);
}

/*  Reloads and expects a refusal naming needle, with everything the node
    held left as it was. */
static void
s_reload_refused (xc_node_t *node, int code, const char *needle)
{
    s_held_t before;
    s_held (node, &before);
    bool changed = true;
    char why[1024] = "";
    assert_int_equal (xc_reload_trust (node, &changed, why, sizeof why),
                      code);
    assert_false (changed);
    s_assert_mentions (why, needle);
    s_assert_held (node, &before);
}

/* --------------------------------------------------------------------------
   1. xc_reload_trust
   -------------------------------------------------------------------------- */

static void
test_newer_list_swapped_in (void **state)
{
    xt_pair_t *f = *state;
    char path[PATH_MAX];
    s_path (f, "trust.zpl", path, sizeof path);
    assert_string_equal (xc_trust_node (f->a->trust, CODE_A)->name,
                         "Node " CODE_A);

    s_list_t l = {.serial = 2, .a_name = "Ding'an County"};
    s_write_list (f, &l);
    s_reload_ok (f->a, true);
    assert_int_equal (xc_trust_serial (f->a->trust), 2);
    assert_string_equal (xc_trust_node (f->a->trust, CODE_A)->name,
                         "Ding'an County");
    uint8_t digest[XC_HASH_LEN], held[XC_HASH_LEN];
    s_file_digest (path, digest);
    xc_trust_digest (f->a->trust, held);
    assert_memory_equal (held, digest, XC_HASH_LEN);
    xc_trustmark_t mark;    /* the mark rose with it */
    assert_int_equal (xc_trustmark_get (f->a->store, &mark), 0);
    assert_int_equal (mark.serial, 2);
    assert_true (mark.known);
    assert_memory_equal (mark.digest, digest, XC_HASH_LEN);

    l.serial = 3;
    l.a_name = "Ding'an County Civil Affairs Bureau";
    s_write_list (f, &l);
    s_reload_ok (f->a, true);
    assert_int_equal (xc_trust_serial (f->a->trust), 3);
    assert_string_equal (xc_trust_node (f->a->trust, CODE_A)->name,
                         "Ding'an County Civil Affairs Bureau");
    assert_int_equal (xc_trustmark_get (f->a->store, &mark), 0);
    assert_int_equal (mark.serial, 3);
}

static void
test_same_bytes_kept (void **state)
{
    xt_pair_t *f = *state;
    s_list_t l = {.serial = 2};
    s_write_list (f, &l);
    s_reload_ok (f->a, true);
    s_held_t before;
    s_held (f->a, &before);
    s_reload_ok (f->a, false);
    s_assert_held (f->a, &before);
}

static void
test_lower_serial_refused (void **state)
{
    xt_pair_t *f = *state;
    s_list_t l = {.serial = 5};
    s_write_list (f, &l);
    s_reload_ok (f->a, true);
    l.serial = 4;
    s_write_list (f, &l);
    s_reload_refused (f->a, XC_ECONFIG, "serial 4 is older than serial 5");
    /* No serial at all is older than any. */
    l.serial = 0;
    s_write_list (f, &l);
    s_reload_refused (f->a, XC_ECONFIG, "serial 0 is older than serial 5");
}

static void
test_same_serial_other_bytes_refused (void **state)
{
    xt_pair_t *f = *state;
    s_list_t l = {.serial = 5};
    s_write_list (f, &l);
    s_reload_ok (f->a, true);
    char hex[2 * XC_HASH_LEN + 1];
    uint8_t digest[XC_HASH_LEN];
    xc_trust_digest (f->a->trust, digest);
    xc_hex (digest, sizeof digest, hex);
    l.a_name = "Renamed without a new serial";
    s_write_list (f, &l);
    s_reload_refused (f->a, XC_ECONFIG, "differs from the list of serial 5");
    s_reload_refused (f->a, XC_ECONFIG, hex);
}

/*  A list that no longer names this node with the keys it runs with is
    refused, and the refusal does not use up the serial. */
static void
test_list_dropping_this_node_refused (void **state)
{
    xt_pair_t *f = *state;
    s_list_t l = {.serial = 5};
    s_write_list (f, &l);
    s_reload_ok (f->a, true);

    s_list_t drop = {.serial = 6, .drop_a = 1};
    s_write_list (f, &drop);
    s_reload_refused (f->a, XC_ECONFIG, "node " CODE_A " is not in the new "
                                        "list");

    char stranger[256];
    s_stranger_key (stranger, sizeof stranger);
    s_list_t key = {.serial = 6, .a_key = stranger};
    s_write_list (f, &key);
    s_reload_refused (f->a, XC_ECONFIG, "signing key");

    uint8_t raw[32];
    char curve[41];
    xc_random (raw, sizeof raw);
    zmq_z85_encode (curve, raw, sizeof raw);
    s_list_t other = {.serial = 6, .a_curve = curve};
    s_write_list (f, &other);
    s_reload_refused (f->a, XC_ECONFIG, "CURVE key");

    /* Node B, whose entry did not change, takes the list that drops A. */
    s_write_list (f, &drop);
    s_reload_ok (f->b, true);
    assert_null (xc_trust_node (f->b->trust, CODE_A));

    /* Serial 6 is still free for A: a good list of it is taken. */
    s_list_t good = {.serial = 6, .a_name = "Node " CODE_A " (6)"};
    s_write_list (f, &good);
    s_reload_ok (f->a, true);
    assert_int_equal (xc_trust_serial (f->a->trust), 6);
}

static void
test_unreadable_list_refused (void **state)
{
    xt_pair_t *f = *state;
    char path[PATH_MAX];
    s_path (f, "trust.zpl", path, sizeof path);
    s_write_file (path, "trust\n    version = 2\n");
    s_reload_refused (f->a, XC_ECONFIG, "version");
    assert_int_equal (unlink (path), 0);
    s_reload_refused (f->a, XC_ECONFIG, "trust.zpl");
}

/*  Regression (was a bug, fixed with this test):
    a list without a serial (every unsigned list `xiecha keygen` and
    `xiecha trust create` start, and the fixture's) reloaded byte for
    byte unchanged comes back with *changed true and is swapped in, and
    the tick logs "trust list reloaded" instead of "unchanged", contrary
    to reload.h ("when it is byte for byte the list loaded, keeps that
    (*changed false)").  xc_reload_trust learns "same" only from
    xc_trustmark_judge, which returns early for serial 0 (and the merged
    mark of a serial-0 list is never `known`).  Fix: in
    xc_reload_trust, after the judge, also set same when
    xc_trust_digest (node->trust) equals xc_trust_digest (trust). */
static void
test_serialless_same_bytes_kept (void **state)
{
    xt_pair_t *f = *state;
    s_held_t before;
    s_held (f->a, &before);
    assert_int_equal (before.serial, 0);
    s_reload_ok (f->a, false);
    s_assert_held (f->a, &before);
}

/*  The mark outlives the process: a node opened again on a lower serial
    than it used, or on other bytes under that serial, refuses to start. */
static void
test_mark_holds_across_restart (void **state)
{
    xt_pair_t *f = *state;
    static char eight[S_LIST_MAX], nine[S_LIST_MAX], nine_b[S_LIST_MAX];
    s_list_t l = {.serial = 8};
    s_list_text (f, &l, eight);
    l.serial = 9;
    s_list_text (f, &l, nine);
    l.a_name = "other bytes";
    s_list_text (f, &l, nine_b);
    l.a_name = NULL;
    s_write_list (f, &l);
    s_reload_ok (f->a, true);
    xc_node_destroy (&f->a);

    char path[PATH_MAX], list[PATH_MAX], why[512] = "";
    snprintf (path, sizeof path, "%s/%s/node.zpl", f->fed->root, CODE_A);
    s_path (f, "trust.zpl", list, sizeof list);
    xc_config_t cfg;
    assert_int_equal (xc_config_load (path, &cfg, why, sizeof why), 0);
    s_write_file (list, eight);
    assert_null (xc_node_new (&cfg, 0, why, sizeof why));
    s_assert_mentions (why, "serial 8 is older than serial 9");
    s_write_file (list, nine_b);
    assert_null (xc_node_new (&cfg, 0, why, sizeof why));
    s_assert_mentions (why, "differs from the list of serial 9");
    s_write_file (list, nine);
    f->a = xc_node_new (&cfg, 0, why, sizeof why);
    if (!f->a)
        fail_msg ("node refused its own list: %s", why);
    assert_int_equal (f->a->stored_serial, 9);
}

/* --------------------------------------------------------------------------
   2. A signed list (trust/root set)
   -------------------------------------------------------------------------- */

/*  Reopens node A with trust/root set to root's public key, over the
    same store. */
static void
s_open_rooted (xt_pair_t *f, xc_key_t *root)
{
    char path[PATH_MAX], cfgpath[PATH_MAX], why[512] = "", hex[65];
    s_pub_hex (root, hex);
    snprintf (path, sizeof path, "%s/%s/node.zpl", f->fed->root, CODE_A);
    snprintf (cfgpath, sizeof cfgpath, "%s/%s/rooted.zpl", f->fed->root, CODE_A);
    FILE *in = fopen (path, "r");
    assert_non_null (in);
    static char text[4096];
    size_t n = fread (text, 1, sizeof text - 1, in);
    fclose (in);
    snprintf (text + n, sizeof text - n, "    root = \"%s\"\n", hex);
    s_write_file (cfgpath, text);   /* trust is the last section */
    xc_config_t cfg;
    if (xc_config_load (cfgpath, &cfg, why, sizeof why) != 0)
        fail_msg ("%s", why);
    xc_node_destroy (&f->a);
    f->a = xc_node_new (&cfg, 0, why, sizeof why);
    if (!f->a)
        fail_msg ("node: %s", why);
}

static void
s_sign_list (const xt_pair_t *f, xc_key_t *key)
{
    char path[PATH_MAX], why[512] = "";
    s_path (f, "trust.zpl", path, sizeof path);
    if (xc_trust_sign (path, key, why, sizeof why) != 0)
        fail_msg ("%s", why);
}

static void
test_signed_list_reload (void **state)
{
    xt_pair_t *f = *state;
    xc_key_t *root = xc_key_generate (), *other = xc_key_generate ();
    assert_non_null (root);
    assert_non_null (other);
    s_list_t l = {.serial = 3, .signed_header = 1};
    s_write_list (f, &l);
    s_sign_list (f, root);
    s_open_rooted (f, root);
    assert_int_equal (xc_trust_serial (f->a->trust), 3);

    l.serial = 4;   /* signed by the root: taken */
    s_write_list (f, &l);
    s_sign_list (f, root);
    s_reload_ok (f->a, true);
    assert_int_equal (xc_trust_serial (f->a->trust), 4);

    l.serial = 5;   /* the same list signed by another key */
    s_write_list (f, &l);
    s_sign_list (f, other);
    s_reload_refused (f->a, XC_ECONFIG, "trust list refused");

    l.a_name = "changed after signing";   /* bytes the signature misses */
    s_sign_list (f, root);
    s_write_list (f, &l);
    s_reload_refused (f->a, XC_ECONFIG, "trust list refused");

    l.serial = 3;   /* an older list, properly signed */
    l.a_name = NULL;
    s_write_list (f, &l);
    s_sign_list (f, root);
    s_reload_refused (f->a, XC_ECONFIG, "trust list refused");
    xc_key_destroy (&root);
    xc_key_destroy (&other);
}

/* --------------------------------------------------------------------------
   3. The mark itself, through a real store
   -------------------------------------------------------------------------- */

typedef struct {
    char dir[64];
    xc_store_t *store;
    char pub[2][2 * XC_PUBKEY_LEN + 1];
    char curve[2][41];
} s_mark_fx_t;

static int
s_mark_setup (void **state)
{
    s_mark_fx_t *m = calloc (1, sizeof *m);
    assert_non_null (m);
    m->store = xt_store_new (m->dir, sizeof m->dir, "mark", 0);
    for (int i = 0; i < 2; i++) {
        xc_key_t *key = xc_key_generate ();
        assert_non_null (key);
        s_pub_hex (key, m->pub[i]);
        xc_key_destroy (&key);
        uint8_t raw[32];
        xc_random (raw, sizeof raw);
        zmq_z85_encode (m->curve[i], raw, sizeof raw);
    }
    *state = m;
    return 0;
}

static int
s_mark_teardown (void **state)
{
    s_mark_fx_t *m = *state;
    xt_store_destroy (&m->store, m->dir);
    free (m);
    return 0;
}

/*  A one-node list of this serial (0: none); which picks the name, so
    lists of one serial can differ in their bytes. */
static xc_trust_t *
s_text_list (const s_mark_fx_t *m, uint64_t serial, int which)
{
    char text[2048], why[512] = "";
    snprintf (text, sizeof text, "trust\n    version = 1\n");
    if (serial)
        snprintf (text + strlen (text), sizeof text - strlen (text),
                  "    serial = %llu\n", (unsigned long long) serial);
    snprintf (text + strlen (text), sizeof text - strlen (text),
              "    node\n        code = \"%s\"\n        name = \"List %d\"\n"
              "        endpoint = \"tcp://127.0.0.1:7401\"\n"
              "        curve = \"%s\"\n"
              "        key\n            public = \"%s\"\n",
              CODE_A, which, m->curve[0], m->pub[0]);
    xc_trust_t *t = xc_trust_load_text (text, "list", why, sizeof why);
    if (!t)
        fail_msg ("%s", why);
    return t;
}

static void
s_assert_mark (xc_store_t *store, uint64_t serial, bool known,
               const xc_trust_t *of)
{
    xc_trustmark_t mark;
    assert_int_equal (xc_trustmark_get (store, &mark), 0);
    assert_int_equal (mark.serial, serial);
    assert_int_equal (mark.known, known);
    if (of) {
        uint8_t digest[XC_HASH_LEN];
        xc_trust_digest (of, digest);
        assert_memory_equal (mark.digest, digest, XC_HASH_LEN);
    }
}

/*  Puts raw values under the mark's keys, as an older xiechad (or a
    damaged store) would have left them. */
typedef struct {
    xc_store_t *store;
    const char *name;
    const uint8_t *val;
    size_t len;
} s_meta_t;

static int
s_meta_fn (MDB_txn *txn, void *arg)
{
    s_meta_t *w = arg;
    MDB_val key = {strlen (w->name), (void *) w->name};
    MDB_val val = {w->len, (void *) w->val};
    return xc_store_rc (mdb_put (txn, xc_store_dbi (w->store, XC_DB_META),
                                 &key, &val, 0));
}

static void
s_meta_put (xc_store_t *store, const char *name, const uint8_t *val,
            size_t len)
{
    s_meta_t w = {store, name, val, len};
    assert_int_equal (xc_store_write (store, s_meta_fn, &w), 0);
}

static void
s_be64 (uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t) (v >> (56 - 8 * i));
}

/*  The list in memory counts as much as the stored mark: a mark that
    lags behind it (its write failed, or an older node rewrote it) does
    not let a reload go back. */
static void
test_reload_holds_list_in_memory (void **state)
{
    xt_pair_t *f = *state;
    s_list_t l = {.serial = 5};
    s_write_list (f, &l);
    s_reload_ok (f->a, true);

    uint8_t serial[8];
    s_be64 (serial, 3);
    s_meta_put (f->a->store, XC_TRUSTMARK_SERIAL_KEY, serial, sizeof serial);
    l.serial = 4;
    s_write_list (f, &l);
    s_reload_refused (f->a, XC_ECONFIG, "serial 4 is older than serial 5");

    /* The stored serial is right, its digest of another serial. */
    s_be64 (serial, 5);
    s_meta_put (f->a->store, XC_TRUSTMARK_SERIAL_KEY, serial, sizeof serial);
    uint8_t digest[8 + XC_HASH_LEN] = {0};
    s_be64 (digest, 4);
    s_meta_put (f->a->store, XC_TRUSTMARK_DIGEST_KEY, digest, sizeof digest);
    l.serial = 5;
    l.a_name = "other bytes";
    s_write_list (f, &l);
    s_reload_refused (f->a, XC_ECONFIG, "differs from the list of serial 5");
}

static void
test_mark_absent (void **state)
{
    s_mark_fx_t *m = *state;
    s_assert_mark (m->store, 0, false, NULL);
    xc_trustmark_t mark;
    memset (&mark, 0xff, sizeof mark);
    assert_int_equal (xc_trustmark_get (NULL, &mark), 0);
    assert_int_equal (mark.serial, 0);
    assert_false (mark.known);
    /* A list without a serial leaves no mark. */
    xc_trust_t *plain = s_text_list (m, 0, 0);
    assert_int_equal (xc_trustmark_record (m->store, plain, &mark), 0);
    s_assert_mark (m->store, 0, false, NULL);
    xc_trust_destroy (&plain);
}

static void
test_mark_record_survives_reopen (void **state)
{
    s_mark_fx_t *m = *state;
    xc_trust_t *five = s_text_list (m, 5, 0);
    xc_trustmark_t stored;
    assert_int_equal (xc_trustmark_get (m->store, &stored), 0);
    assert_int_equal (xc_trustmark_record (m->store, five, &stored), 0);
    s_assert_mark (m->store, 5, true, five);

    xc_store_destroy (&m->store);
    char why[256] = "";
    m->store = xc_store_new (m->dir, 0, why, sizeof why);
    if (!m->store)
        fail_msg ("%s", why);
    s_assert_mark (m->store, 5, true, five);

    /* Never lowered, never rewritten under the same serial. */
    assert_int_equal (xc_trustmark_get (m->store, &stored), 0);
    xc_trust_t *four = s_text_list (m, 4, 0);
    xc_trust_t *five_b = s_text_list (m, 5, 1);
    assert_int_equal (xc_trustmark_record (m->store, four, &stored), 0);
    assert_int_equal (xc_trustmark_record (m->store, five_b, &stored), 0);
    s_assert_mark (m->store, 5, true, five);
    xc_trust_t *six = s_text_list (m, 6, 0);
    assert_int_equal (xc_trustmark_record (m->store, six, &stored), 0);
    s_assert_mark (m->store, 6, true, six);
    xc_trust_destroy (&four);
    xc_trust_destroy (&five);
    xc_trust_destroy (&five_b);
    xc_trust_destroy (&six);
}

static void
test_mark_judge (void **state)
{
    s_mark_fx_t *m = *state;
    xc_trust_t *five = s_text_list (m, 5, 0);
    xc_trustmark_t mark = {0};
    assert_int_equal (xc_trustmark_record (m->store, five, &mark), 0);
    assert_int_equal (xc_trustmark_get (m->store, &mark), 0);

    bool same = true;
    char why[1024] = "";
    xc_trust_t *t = s_text_list (m, 4, 0);
    assert_int_equal (xc_trustmark_judge (&mark, t, "trust.zpl", &same, why,
                                          sizeof why), XC_ECONFIG);
    assert_false (same);
    s_assert_mentions (why, "trust list trust.zpl: serial 4 is older than "
                            "serial 5");
    xc_trust_destroy (&t);

    t = s_text_list (m, 0, 0);
    assert_int_equal (xc_trustmark_judge (&mark, t, "trust.zpl", &same, why,
                                          sizeof why), XC_ECONFIG);
    xc_trust_destroy (&t);

    assert_int_equal (xc_trustmark_judge (&mark, five, "trust.zpl", &same,
                                          why, sizeof why), 0);
    assert_true (same);

    t = s_text_list (m, 5, 1);
    char hex_new[2 * XC_HASH_LEN + 1], hex_used[2 * XC_HASH_LEN + 1];
    uint8_t digest[XC_HASH_LEN];
    xc_trust_digest (t, digest);
    xc_hex (digest, sizeof digest, hex_new);
    xc_hex (mark.digest, sizeof mark.digest, hex_used);
    assert_int_equal (xc_trustmark_judge (&mark, t, "trust.zpl", &same, why,
                                          sizeof why), XC_ECONFIG);
    assert_false (same);
    s_assert_mentions (why, hex_new);
    s_assert_mentions (why, hex_used);
    xc_trust_destroy (&t);

    t = s_text_list (m, 6, 1);
    same = true;
    assert_int_equal (xc_trustmark_judge (&mark, t, "trust.zpl", &same, why,
                                          sizeof why), 0);
    assert_false (same);
    xc_trust_destroy (&t);

    /* No mark yet: anything goes, nothing is "the same". */
    xc_trustmark_t none = {0};
    same = true;
    assert_int_equal (xc_trustmark_judge (&none, five, "trust.zpl", &same,
                                          why, sizeof why), 0);
    assert_false (same);
    xc_trust_destroy (&five);
}

/*  A store written by a node from before trust.digest: the serial alone
    is known, any list of it may follow once, and its digest is then
    recorded. */
static void
test_mark_without_digest (void **state)
{
    s_mark_fx_t *m = *state;
    uint8_t serial[8];
    s_be64 (serial, 7);
    s_meta_put (m->store, XC_TRUSTMARK_SERIAL_KEY, serial, sizeof serial);
    s_assert_mark (m->store, 7, false, NULL);

    xc_trustmark_t stored;
    assert_int_equal (xc_trustmark_get (m->store, &stored), 0);
    xc_trust_t *seven = s_text_list (m, 7, 0), *seven_b = s_text_list (m, 7, 1);
    bool same = true;
    char why[1024] = "";
    assert_int_equal (xc_trustmark_judge (&stored, seven_b, "t", &same, why,
                                          sizeof why), 0);
    assert_false (same);
    assert_int_equal (xc_trustmark_record (m->store, seven, &stored), 0);
    s_assert_mark (m->store, 7, true, seven);
    assert_int_equal (xc_trustmark_get (m->store, &stored), 0);
    assert_int_equal (xc_trustmark_judge (&stored, seven_b, "t", &same, why,
                                          sizeof why), XC_ECONFIG);

    /* The serial raised alone, by an older node: the digest left is of
       another serial and counts as unknown. */
    s_be64 (serial, 8);
    s_meta_put (m->store, XC_TRUSTMARK_SERIAL_KEY, serial, sizeof serial);
    s_assert_mark (m->store, 8, false, NULL);

    /* A value of the wrong size is a damaged store. */
    s_meta_put (m->store, XC_TRUSTMARK_SERIAL_KEY, serial, 4);
    assert_int_equal (xc_trustmark_get (m->store, &stored), XC_ESTORE);
    xc_trust_destroy (&seven);
    xc_trust_destroy (&seven_b);
}

static void
test_mark_merge (void **state)
{
    s_mark_fx_t *m = *state;
    xc_trust_t *four = s_text_list (m, 4, 0), *five = s_text_list (m, 5, 0);
    xc_trust_t *plain = s_text_list (m, 0, 0);
    uint8_t d4[XC_HASH_LEN], d5[XC_HASH_LEN];
    xc_trust_digest (four, d4);
    xc_trust_digest (five, d5);

    xc_trustmark_t mark = {.serial = 4, .known = true};
    memcpy (mark.digest, d4, XC_HASH_LEN);
    xc_trustmark_merge (&mark, five);     /* newer in memory: raised */
    assert_int_equal (mark.serial, 5);
    assert_true (mark.known);
    assert_memory_equal (mark.digest, d5, XC_HASH_LEN);
    xc_trustmark_merge (&mark, four);     /* older: kept */
    assert_int_equal (mark.serial, 5);
    assert_memory_equal (mark.digest, d5, XC_HASH_LEN);

    xc_trustmark_t bare = {.serial = 5};  /* digest unknown: filled in */
    xc_trustmark_merge (&bare, five);
    assert_true (bare.known);
    assert_memory_equal (bare.digest, d5, XC_HASH_LEN);

    xc_trustmark_t none = {0};
    xc_trustmark_merge (&none, plain);    /* no serial: nothing known */
    assert_int_equal (none.serial, 0);
    assert_false (none.known);
    xc_trust_destroy (&four);
    xc_trust_destroy (&five);
    xc_trust_destroy (&plain);
}

/* --------------------------------------------------------------------------
   4. The next signing key
   -------------------------------------------------------------------------- */

/*  Reopens node A with keys/next_signing = next.key (a fresh key, whose
    public hex goes to next_hex), over the same store. */
static void
s_open_with_next (xt_pair_t *f, char next_hex[2 * XC_PUBKEY_LEN + 1])
{
    char path[PATH_MAX], cfgpath[PATH_MAX], why[512] = "";
    xc_key_t *next = xc_key_generate ();
    assert_non_null (next);
    s_pub_hex (next, next_hex);
    snprintf (path, sizeof path, "%s/%s/next.key", f->fed->root, CODE_A);
    assert_int_equal (xc_key_save (next, path), 0);
    xc_key_destroy (&next);

    snprintf (path, sizeof path, "%s/%s/node.zpl", f->fed->root, CODE_A);
    snprintf (cfgpath, sizeof cfgpath, "%s/%s/next.zpl", f->fed->root, CODE_A);
    FILE *in = fopen (path, "r");
    assert_non_null (in);
    static char text[4096], out[4200];
    size_t n = fread (text, 1, sizeof text - 1, in);
    text[n] = '\0';
    fclose (in);
    const char *at = strstr (text, "    curve = \"curve.cert\"\n");
    assert_non_null (at);
    at += strlen ("    curve = \"curve.cert\"\n");
    snprintf (out, sizeof out, "%.*s    next_signing = \"next.key\"\n%s",
              (int) (at - text), text, at);
    s_write_file (cfgpath, out);
    xc_config_t cfg;
    if (xc_config_load (cfgpath, &cfg, why, sizeof why) != 0)
        fail_msg ("%s", why);
    xc_node_destroy (&f->a);
    f->a = xc_node_new (&cfg, 0, why, sizeof why);
    if (!f->a)
        fail_msg ("node: %s", why);
    assert_non_null (f->a->signers[1].key);
    assert_int_equal (f->a->active, 0);
}

/*  A key section for the next key with these extra lines. */
static void
s_next_section (char *buf, size_t len, const char *hex, const char *extra)
{
    snprintf (buf, len, "        key\n            public = \"%s\"\n%s", hex,
              extra);
}

/*  Expects xc_reload_rotate to leave the current key in use, writing
    nothing. */
static void
s_expect_no_switch (xc_node_t *node)
{
    uint64_t count = xt_audit_count (node);
    xc_reload_rotate (node);
    assert_int_equal (node->active, 0);
    assert_ptr_equal (xc_node_signer (node), &node->signers[0]);
    assert_int_equal (xt_audit_count (node), count);
}

static void
test_rotate_only_when_valid (void **state)
{
    xt_pair_t *f = *state;
    char next[2 * XC_PUBKEY_LEN + 1], more[512];
    s_open_with_next (f, next);
    s_expect_no_switch (f->a);          /* not listed at all */

    s_next_section (more, sizeof more, next,
                    "            not_before = \"2099-01-01T00:00:00Z\"\n");
    s_list_t l = {.serial = 2, .a_more = more};
    s_write_list (f, &l);
    s_reload_ok (f->a, true);
    s_expect_no_switch (f->a);          /* not yet */

    s_next_section (more, sizeof more, next,
                    "            not_before = \"2020-01-01T00:00:00Z\"\n"
                    "            not_after = \"2021-01-01T00:00:00Z\"\n");
    l.serial = 3;
    s_write_list (f, &l);
    s_reload_ok (f->a, true);
    s_expect_no_switch (f->a);          /* expired */

    s_next_section (more, sizeof more, next,
                    "            not_before = \"2020-01-01T00:00:00Z\"\n"
                    "            revoked_at = \"2021-01-01T00:00:00Z\"\n");
    l.serial = 4;
    s_write_list (f, &l);
    s_reload_ok (f->a, true);
    s_expect_no_switch (f->a);          /* revoked */

    s_next_section (more, sizeof more, next,
                    "            not_before = \"2020-01-01T00:00:00Z\"\n");
    l.serial = 5;
    s_write_list (f, &l);
    s_reload_ok (f->a, true);
    uint64_t count = xt_audit_count (f->a);
    xc_reload_rotate (f->a);
    assert_int_equal (f->a->active, 1);
    assert_ptr_equal (xc_node_signer (f->a), &f->a->signers[1]);
    assert_int_equal (xt_audit_count (f->a), count + 1);
    xt_audit_entry_t e;
    char want[256];
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_DECISION);
    snprintf (want, sizeof want, "signing key switched from %s to %s",
              f->a->signers[0].id, f->a->signers[1].id);
    assert_string_equal (e.note, want);

    /* Once: a second tick changes nothing. */
    xc_reload_rotate (f->a);
    assert_int_equal (f->a->active, 1);
    assert_int_equal (xt_audit_count (f->a), count + 1);

    /* What A seals now carries the new key, and B verifies it. */
    Xiecha__Ack ack = XIECHA__ACK__INIT;
    uint8_t digest[XC_HASH_LEN] = {1};
    ack.notice_digest = (ProtobufCBinaryData) {XC_HASH_LEN, digest};
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_ACK;
    msg.ack = &ack;
    uint8_t *env = NULL;
    size_t len = 0;
    assert_int_equal (xc_node_seal (f->a, &msg, XIECHA__MSG_TYPE__MSG_ACK,
                                    CODE_B, NULL, xc_now_ms (), &env, &len),
                      0);
    s_write_list (f, &l);               /* B learns the next key */
    s_reload_ok (f->b, true);
    xc_opened_t op = {0};
    char why[256] = "";
    assert_int_equal (xc_envelope_open (env, len, &op, why, sizeof why), 0);
    assert_string_equal (op.env->key_id, f->a->signers[1].id);
    if (xc_envelope_verify (&op, f->b->trust, why, sizeof why) != 0)
        fail_msg ("B does not verify A's new key: %s", why);
    xc_opened_free (&op);
    free (env);

    /* Having switched, A refuses a list with only the old key. */
    l.serial = 6;
    l.a_more = NULL;
    s_write_list (f, &l);
    s_reload_refused (f->a, XC_ECONFIG, f->a->signers[1].id);
}

/*  Before the switch, a list that already dropped the current key but
    lists the next one is taken, and the switch follows. */
static void
test_rotate_list_with_next_key_only (void **state)
{
    xt_pair_t *f = *state;
    char next[2 * XC_PUBKEY_LEN + 1], only[512];
    s_open_with_next (f, next);
    s_next_section (only, sizeof only, next, "");
    s_list_t l = {.serial = 2, .a_key = only};
    s_write_list (f, &l);
    s_reload_ok (f->a, true);
    assert_int_equal (f->a->active, 0);
    xc_reload_rotate (f->a);
    assert_int_equal (f->a->active, 1);
}

/*  Regression (was a bug, fixed with this test):
    before the switch (active 0), a new list that lists only the next
    key for this node is taken without comparing this node's CURVE key
    with the list's: s_check_self in reload.c returns 0 as soon as the
    key in use is not in the new list (`if (!k) return 0;`), before the
    CURVE comparison.  So a list that changes this node's CURVE key
    together with the key rotation is swapped in; every peer holding it
    then admits only the new CURVE key (ZAP) and refuses this node's
    handshakes, while a restart would refuse the same list ("keys/curve:
    public key ... differs", node.c).  Fix: in reload.c s_check_self,
    compare me->curve with zcert_public_txt (node->curve) before looking
    up k and returning when it is NULL. */
static void
test_next_key_only_list_checks_curve (void **state)
{
    xt_pair_t *f = *state;
    char next[2 * XC_PUBKEY_LEN + 1], only[512], curve[41];
    s_open_with_next (f, next);
    s_next_section (only, sizeof only, next, "");
    uint8_t raw[32];
    xc_random (raw, sizeof raw);
    zmq_z85_encode (curve, raw, sizeof raw);
    s_list_t l = {.serial = 2, .a_key = only, .a_curve = curve};
    s_write_list (f, &l);
    s_reload_refused (f->a, XC_ECONFIG, "CURVE key");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_newer_list_swapped_in, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_same_bytes_kept, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_lower_serial_refused, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_same_serial_other_bytes_refused,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_list_dropping_this_node_refused,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_unreadable_list_refused,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_serialless_same_bytes_kept,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_mark_holds_across_restart,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_signed_list_reload, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_reload_holds_list_in_memory,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_mark_absent, s_mark_setup,
                                         s_mark_teardown),
        cmocka_unit_test_setup_teardown (test_mark_record_survives_reopen,
                                         s_mark_setup, s_mark_teardown),
        cmocka_unit_test_setup_teardown (test_mark_judge, s_mark_setup,
                                         s_mark_teardown),
        cmocka_unit_test_setup_teardown (test_mark_without_digest,
                                         s_mark_setup, s_mark_teardown),
        cmocka_unit_test_setup_teardown (test_mark_merge, s_mark_setup,
                                         s_mark_teardown),
        cmocka_unit_test_setup_teardown (test_rotate_only_when_valid, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_rotate_list_with_next_key_only,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_next_key_only_list_checks_curve,
                                         s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
