/*  itest_start.c - a lost or damaged store, at start and while running,
    with real daemons on real stores.

    A node's first start is explicit (xiechad --init, which the harness
    runs at a node's first start as an operator would).  Afterwards a
    missing data directory, an empty, zeroed or truncated data.mdb, a
    store of another node, and a store whose audit tail was altered are
    refused by the start and by --check, with a normal exit naming the
    path and what is wrong (a truncated file killed both with SIGBUS
    before; a missing directory got a fresh store that certified
    NOT_RECEIVING for everyone).  An altered entry before the tail, and an
    index record changed behind the node's back, are found by `xiecha
    audit check` and by the scheduled scrub, whose alarm shows in
    `xiecha status`. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xt_local.h"

enum { TUNXI = 0, DINGAN = 1 };

#define S_INIT_NOTE "store created by xiechad --init for node 341002"

static xt_fed_t *fed;

/*  Tunxi and Ding'an (not started), the rogue to make traffic; every
    node scrubs each second, so a test sees a scheduled scrub soon. */
static int
s_setup (void **state)
{
    const char *codes[] = {"341002", "469021"};
    xt_fed_opts_t o = {.codes = codes, .count = 2, .rogue = true,
                       .limits = "    scrub_interval_s = 1\n"};
    fed = xt_fed_new_opts (&o);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  <node i>/data/name, in a static buffer. */
static const char *
s_path (size_t i, const char *name)
{
    static char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/data%s%s", fed->nodes[i].dir,
              *name ? "/" : "", name);
    return path;
}

/*  Runs xiechad with arg (NULL: a start) on node i; it must exit with
    status 1 (not die by a signal) saying needle. */
static void
s_refused (size_t i, const char *arg, const char *needle)
{
    const char *args[] = {arg, NULL};
    char out[8192];
    int status = xt_fed_xiechad (fed, i, args, out, sizeof out);
    if (!WIFEXITED (status))
        fail_msg ("xiechad %s died by signal %d:\n%s", arg ? arg : "",
                  WTERMSIG (status), out);
    if (WEXITSTATUS (status) != 1)
        fail_msg ("xiechad %s exited %d:\n%s", arg ? arg : "",
                  WEXITSTATUS (status), out);
    xt_assert_has (out, needle);
}

/*  The start and --check both refuse, saying needle. */
static void
s_both_refuse (size_t i, const char *needle)
{
    s_refused (i, NULL, needle);
    s_refused (i, "--check", needle);
}

static off_t
s_size (const char *path)
{
    struct stat st;
    return stat (path, &st) == 0 ? st.st_size : -1;
}

/*  Flips one bit inside every copy of needle in file path (LMDB leaves
    old copies of pages behind, so only all of them surely hit the live
    one).  Returns how many it flipped. */
static int
s_flip (const char *path, const char *needle)
{
    FILE *f = fopen (path, "r+b");
    assert_non_null (f);
    fseek (f, 0, SEEK_END);
    long len = ftell (f);
    char *bytes = malloc ((size_t) len);
    assert_non_null (bytes);
    rewind (f);
    assert_int_equal (fread (bytes, 1, (size_t) len, f), (size_t) len);
    size_t n = strlen (needle);
    int flipped = 0;
    for (long at = 0; at + (long) n <= len; at++) {
        if (memcmp (bytes + at, needle, n) != 0)
            continue;
        long where = at + (long) n / 2;
        fseek (f, where, SEEK_SET);
        fputc (bytes[where] ^ 0x01, f);
        flipped++;
    }
    fclose (f);
    free (bytes);
    return flipped;
}

/*  n rogue queries at node i, each answered: two audit entries each. */
static void
s_traffic (size_t i, int n)
{
    zsock_t *peer = xt_fed_peer (fed, i, 0);
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (fed, "341002198001010015", ref);
    for (int k = 0; k < n; k++) {
        uint8_t *q = NULL;
        size_t len = 0;
        xt_fed_rogue_query (fed, fed->nodes[i].code, ref, 1, 0, NULL, &q,
                            &len);
        zframe_t *answer = xt_exchange (peer, q, len, 10000);
        free (q);
        assert_non_null (answer);
        zframe_destroy (&answer);
    }
    zsock_destroy (&peer);
}

/*  `xiecha audit check --json` on node i; its exit status. */
static int
s_audit_check (size_t i, char *out, size_t out_len)
{
    const char *args[] = {"audit", "check", "--json", NULL};
    return xt_fed_cli (fed, (int) i, out, out_len, args);
}

/*  Status of node i once a scheduled scrub has finished.  Caller frees. */
static Xiecha__StatusReply *
s_status_after_scrub (size_t i)
{
    xc_client_t *c = xt_fed_client (fed, i);
    Xiecha__StatusReply *st = NULL;
    //  A guard against a scrub that never comes, not a timed assertion.
    for (int tries = 0; tries < 600; tries++) {
        char why[512] = "";
        if (xc_client_status (c, &st, why, sizeof why) != 0)
            fail_msg ("status: %s", why);
        if (st->integrity && st->integrity->finished > 0)
            break;
        xiecha__status_reply__free_unpacked (st, NULL);
        st = NULL;
        usleep (100 * 1000);
    }
    xc_client_destroy (&c);
    if (!st)
        fail_msg ("node %s: no scheduled scrub finished",
                  fed->nodes[i].code);
    return st;
}

/* --------------------------------------------------------------------------
   A first start is explicit
   -------------------------------------------------------------------------- */

static void
test_init_once (void **state)
{
    const char *init[] = {"--init", NULL};
    char out[4096];
    int status = xt_fed_xiechad (fed, TUNXI, init, out, sizeof out);
    assert_true (WIFEXITED (status));
    assert_int_equal (WEXITSTATUS (status), 0);
    xt_assert_has (out, "store created in ");
    struct stat st;
    assert_int_equal (stat (s_path (TUNXI, ""), &st), 0);
    assert_int_equal (st.st_mode & 0777, 0700);
    off_t size = s_size (s_path (TUNXI, "data.mdb"));
    //  Twice is refused, and the store is left as it was.
    s_refused (TUNXI, "--init", "already holds a store");
    assert_int_equal (s_size (s_path (TUNXI, "data.mdb")), size);
    //  The node starts on it and --check passes it.
    xt_fed_start (fed, TUNXI);
    const char *check[] = {"--check", NULL};
    status = xt_fed_xiechad (fed, TUNXI, check, out, sizeof out);
    assert_true (WIFEXITED (status));
    assert_int_equal (WEXITSTATUS (status), 0);
    xt_assert_has (out, "audit entries 1..");
}

/*  The data disk is not mounted: nothing is created, nothing served. */
static void
test_missing_data_dir (void **state)
{
    xt_fed_start (fed, TUNXI);
    xt_fed_stop (fed, TUNXI, 0);
    char moved[PATH_MAX + 8];
    snprintf (moved, sizeof moved, "%s.away", s_path (TUNXI, ""));
    assert_int_equal (rename (s_path (TUNXI, ""), moved), 0);
    s_both_refuse (TUNXI, "is the data disk mounted?");
    s_refused (TUNXI, NULL, "xiechad --init --config");
    assert_int_not_equal (access (s_path (TUNXI, ""), F_OK), 0);
    //  A directory without a store (an empty mount point) likewise.
    assert_int_equal (mkdir (s_path (TUNXI, ""), 0700), 0);
    s_both_refuse (TUNXI, "holds no store");
    assert_int_not_equal (access (s_path (TUNXI, "data.mdb"), F_OK), 0);
    assert_int_equal (rmdir (s_path (TUNXI, "")), 0);
    assert_int_equal (rename (moved, s_path (TUNXI, "")), 0);
    xt_fed_start (fed, TUNXI);
}

/*  Empty, zeroed and truncated data files: refused with a message, the
    file left as it is. */
static void
test_damaged_data_file (void **state)
{
    xt_fed_start (fed, TUNXI);
    s_traffic (TUNXI, 20);
    xt_fed_stop (fed, TUNXI, 0);
    const char *data = s_path (TUNXI, "data.mdb");
    char saved[PATH_MAX + 8];
    snprintf (saved, sizeof saved, "%s.saved", data);
    off_t size = s_size (data);
    assert_true (size > 4 * 4096);
    //  Truncated: the size the meta promises is not there (SIGBUS before).
    char cmd[3 * PATH_MAX];
    snprintf (cmd, sizeof cmd, "cp '%s' '%s'", data, saved);
    assert_int_equal (system (cmd), 0);
    assert_int_equal (truncate (data, size / 2), 0);
    s_both_refuse (TUNXI, "data.mdb is truncated");
    s_refused (TUNXI, NULL, "restore node/data_dir");
    assert_int_equal (s_size (data), size / 2);
    //  Zeroed: no LMDB meta page left.
    int fd = open (data, O_WRONLY | O_TRUNC);
    assert_true (fd >= 0);
    char zeros[4096] = {0};
    for (off_t at = 0; at < size; at += (off_t) sizeof zeros)
        assert_int_equal (write (fd, zeros, sizeof zeros), sizeof zeros);
    close (fd);
    s_both_refuse (TUNXI, "is not an LMDB environment");
    //  Zero bytes: LMDB would have taken it for a new environment.
    assert_int_equal (truncate (data, 0), 0);
    s_both_refuse (TUNXI, "is empty (0 bytes)");
    assert_int_equal (s_size (data), 0);
    assert_int_equal (rename (saved, data), 0);
    xt_fed_start (fed, TUNXI);
}

/*  Ding'an's data directory holding Tunxi's store. */
static void
test_store_of_another_node (void **state)
{
    xt_fed_start (fed, TUNXI);
    xt_fed_start (fed, DINGAN);
    xt_fed_stop (fed, TUNXI, 0);
    xt_fed_stop (fed, DINGAN, 0);
    char cmd[3 * PATH_MAX], mine[PATH_MAX + 8];
    snprintf (mine, sizeof mine, "%s.mine", s_path (DINGAN, "data.mdb"));
    assert_int_equal (rename (s_path (DINGAN, "data.mdb"), mine), 0);
    char theirs[PATH_MAX];
    snprintf (theirs, sizeof theirs, "%s", s_path (TUNXI, "data.mdb"));
    snprintf (cmd, sizeof cmd, "cp '%s' '%s'", theirs,
              s_path (DINGAN, "data.mdb"));
    assert_int_equal (system (cmd), 0);
    s_both_refuse (DINGAN, "belongs to node 341002");
    s_refused (DINGAN, NULL, "not to node 469021");
    assert_int_equal (rename (mine, s_path (DINGAN, "data.mdb")), 0);
    xt_fed_start (fed, DINGAN);
}

/* --------------------------------------------------------------------------
   The audit log's tail at start, the whole store in the scrub
   -------------------------------------------------------------------------- */

/*  A few entries: the first is in the tail the start walks. */
static void
test_altered_tail_refused (void **state)
{
    xt_fed_start (fed, TUNXI);
    xt_fed_stop (fed, TUNXI, 0);
    assert_true (s_flip (s_path (TUNXI, "data.mdb"), S_INIT_NOTE) > 0);
    s_both_refuse (TUNXI, "entry 2: prev_hash does not match hash of entry 1");
    s_refused (TUNXI, NULL, "checked at start: entries 1..");
}

/*  Enough entries that the first is long before the tail: the start
    passes, the scrub finds it. */
static void
test_altered_entry_found_by_scrub (void **state)
{
    xt_fed_start (fed, TUNXI);
    s_traffic (TUNXI, 60);
    xt_fed_stop (fed, TUNXI, 0);
    assert_true (s_flip (s_path (TUNXI, "data.mdb"), S_INIT_NOTE) > 0);
    xt_fed_start (fed, TUNXI);
    //  On demand.
    char out[8192];
    assert_int_equal (s_audit_check (TUNXI, out, sizeof out), 1);
    xt_assert_has (out, "\"sound\": false");
    xt_assert_has (out, "\"result\": \"FAILED\"");
    xt_assert_has (out, "\"bad_entry\": 2");
    xt_assert_has (out, "entry 2: prev_hash does not match hash of entry 1");
    const char *human[] = {"audit", "check", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, human), 1);
    xt_assert_has (out, "FAILED: entry 2: prev_hash");
    //  On schedule: the alarm in status and in the log.
    Xiecha__StatusReply *st = s_status_after_scrub (TUNXI);
    assert_string_equal (st->integrity->result, "FAILED");
    assert_int_equal (st->integrity->bad_entry, 2);
    assert_true (st->integrity->failures >= 1);
    xiecha__status_reply__free_unpacked (st, NULL);
    const char *status[] = {"status", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, status), 0);
    xt_assert_has (out, "ALARM: scrub ");
    const char *status_json[] = {"status", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, status_json),
                      0);
    xt_assert_has (out, "\"alarm\": true");
    assert_true (xt_fed_log_count (fed, TUNXI, "integrity ALARM") >= 1);
    //  The node keeps serving meanwhile.
    s_traffic (TUNXI, 1);
}

/*  An index record written behind the node's back. */
static void
test_altered_index_found_by_scrub (void **state)
{
    xt_fed_start (fed, TUNXI);
    s_traffic (TUNXI, 2);
    xt_fed_stop (fed, TUNXI, 0);
    char why[512] = "";
    xc_store_t *store = xc_store_open (s_path (TUNXI, ""), 0, why,
                                       sizeof why);
    if (!store)
        fail_msg ("%s", why);
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (fed, "341002198001010015", ref);
    xc_enrollment_t e = {.program = XIECHA__PROGRAM__DIBAO,
                         .since = 20240101, .node = "341002"};
    xt_index_forge (store, ref, &e);
    xc_store_destroy (&store);
    xt_fed_start (fed, TUNXI);
    char out[8192];
    assert_int_equal (s_audit_check (TUNXI, out, sizeof out), 1);
    xt_assert_has (out, "index differs from the log: 1 subject(s)");
    xt_assert_has (out, "'DIBAO 20240101-open 341002' in the index");
    Xiecha__StatusReply *st = s_status_after_scrub (TUNXI);
    assert_string_equal (st->integrity->result, "FAILED");
    xiecha__status_reply__free_unpacked (st, NULL);
}

/*  A sound store: the check says so, with what it read. */
static void
test_sound_store (void **state)
{
    xt_fed_start (fed, TUNXI);
    s_traffic (TUNXI, 5);
    char out[8192];
    assert_int_equal (s_audit_check (TUNXI, out, sizeof out), 0);
    xt_assert_has (out, "\"sound\": true");
    xt_assert_has (out, "\"bad_entry\": null");
    const char *human[] = {"audit", "check", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, human), 0);
    xt_assert_has (out, "OK: ");
    Xiecha__StatusReply *st = s_status_after_scrub (TUNXI);
    assert_string_equal (st->integrity->result, "ok");
    assert_true (st->integrity->entries >= 10);
    assert_int_equal (st->integrity->start_from, 1);
    xiecha__status_reply__free_unpacked (st, NULL);
    xt_fed_stop (fed, TUNXI, 0);
    //  Restarted after a clean stop, it verifies from its last checkpoint.
    xt_fed_start (fed, TUNXI);
    st = s_status_after_scrub (TUNXI);
    assert_true (st->integrity->start_checkpoint > 0);
    assert_string_equal (st->integrity->result, "ok");
    xiecha__status_reply__free_unpacked (st, NULL);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_init_once, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_missing_data_dir, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_damaged_data_file, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_store_of_another_node, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_altered_tail_refused, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_altered_entry_found_by_scrub,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_altered_index_found_by_scrub,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_sound_store, s_setup,
                                         s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
