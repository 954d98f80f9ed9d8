/*  fixture.c - scratch directories, stores and two-node federations for
    the daemon's unit tests.  See fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

/*  /tmp/xc-<name>-XXXXXX made real; the name shows which test left it
    behind if a run is killed before its teardown. */
static void
s_tmpdir (char *dir, size_t dir_size, const char *name)
{
    int len = snprintf (dir, dir_size, "/tmp/xc-%s-XXXXXX", name);
    assert_true (len > 0 && (size_t) len < dir_size);
    assert_non_null (mkdtemp (dir));
}

xc_store_t *
fixture_store_new (char *dir, size_t dir_size, const char *name,
                   size_t map_size)
{
    s_tmpdir (dir, dir_size, name);
    char why[256] = "";
    xc_store_t *store = xc_store_new (dir, map_size, why, sizeof why);
    if (!store)
        fail_msg ("xc_store_new: %s", why);
    return store;
}

void
fixture_store_destroy (xc_store_t **store_p, const char *dir)
{
    xc_store_destroy (store_p);
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    unlink (path);
    snprintf (path, sizeof path, "%s/lock.mdb", dir);
    unlink (path);
    //  rmdir, not a recursive remove: a stray file is worth a failure.
    assert_int_equal (rmdir (dir), 0);
}

/* --------------------------------------------------------------------------
   Two nodes on disk
   -------------------------------------------------------------------------- */

static void
s_writef (const char *path, const char *fmt, ...)
{
    FILE *f = fopen (path, "w");
    assert_non_null (f);
    va_list ap;
    va_start (ap, fmt);
    vfprintf (f, fmt, ap);
    va_end (ap);
    assert_int_equal (fclose (f), 0);
}

/*  Keys and config of one node; appends its section to the trust list. */
static void
s_node_files (const fixture_fed_t *f, const char *code, int port, FILE *trust)
{
    char dir[PATH_MAX], path[PATH_MAX];
    snprintf (dir, sizeof dir, "%s/%s", f->root, code);
    assert_int_equal (mkdir (dir, 0700), 0);
    xc_key_t *key = xc_key_generate ();
    assert_non_null (key);
    snprintf (path, sizeof path, "%s/sign.key", dir);
    assert_int_equal (xc_key_save (key, path), 0);
    zcert_t *curve = zcert_new ();
    assert_non_null (curve);
    snprintf (path, sizeof path, "%s/curve.cert", dir);
    assert_int_equal (zcert_save (curve, path), 0);

    uint8_t pub[XC_PUBKEY_LEN];
    char hex[2 * XC_PUBKEY_LEN + 1];
    xc_key_public (key, pub);
    xc_hex (pub, sizeof pub, hex);
    fprintf (trust,
             "    node\n        code = \"%s\"\n        name = \"Node %s\"\n"
             "        endpoint = \"tcp://127.0.0.1:%d\"\n"
             "        curve = \"%s\"\n"
             "        key\n            public = \"%s\"\n",
             code, code, port, zcert_public_txt (curve), hex);
    xc_key_destroy (&key);
    zcert_destroy (&curve);

    snprintf (path, sizeof path, "%s/node.zpl", dir);
    s_writef (path,
              "node\n    code = \"%s\"\n    name = \"Node %s\"\n"
              "    data_dir = \"data\"\n"
              "    peer_bind = \"tcp://127.0.0.1:%d\"\n"
              "keys\n    signing = \"sign.key\"\n    curve = \"curve.cert\"\n"
              "trust\n    list = \"%s/trust.zpl\"\n"
              "    salt = \"%s/salt.hex\"\n",
              code, code, port, f->root, f->root);
}

/*  Opened as xiechad would open it: config file first, then the node. */
static xc_node_t *
s_node_open (const fixture_fed_t *f, const char *code)
{
    char path[PATH_MAX], why[512] = "";
    snprintf (path, sizeof path, "%s/%s/node.zpl", f->root, code);
    xc_config_t cfg;
    if (xc_config_load (path, &cfg, why, sizeof why) != 0)
        fail_msg ("config %s: %s", path, why);
    xc_node_t *node = xc_node_new (&cfg, 0, why, sizeof why);
    if (!node)
        fail_msg ("node %s: %s", code, why);
    return node;
}

void
fixture_fed_open (fixture_fed_t *f, const char *name, const char *code_a,
                  const char *code_b, int port)
{
    s_tmpdir (f->root, sizeof f->root, name);

    char path[PATH_MAX], hex[2 * sizeof f->salt + 1];
    xc_random (f->salt, sizeof f->salt);
    xc_hex (f->salt, sizeof f->salt, hex);
    snprintf (path, sizeof path, "%s/salt.hex", f->root);
    s_writef (path, "%s\n", hex);

    snprintf (path, sizeof path, "%s/trust.zpl", f->root);
    FILE *trust = fopen (path, "w");
    assert_non_null (trust);
    fprintf (trust, "trust\n    version = 1\n");
    s_node_files (f, code_a, port, trust);
    s_node_files (f, code_b, port + 1, trust);
    assert_int_equal (fclose (trust), 0);

    f->a = s_node_open (f, code_a);
    f->b = s_node_open (f, code_b);
}

static int
s_rm (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove (path);
}

int
fixture_fed_close (fixture_fed_t *f)
{
    xc_node_destroy (&f->a);
    xc_node_destroy (&f->b);
    return nftw (f->root, s_rm, 16, FTW_DEPTH | FTW_PHYS);
}
