/*  itest_disk_full.c - a full data disk: the node refuses cleanly, loses
    nothing it acknowledged, keeps answering what it can, and takes work
    again by itself once space is freed.

    Ding'an 469021 is a residence node on the ordinary disk.  Two
    registration nodes keep their data directories on small tmpfs mounts
    of this test's own (a private mount namespace, so nothing leaks and
    nothing outlives the test; skipped, exit 77, where that is not
    permitted), each filled up with a filler file while it serves:

      Tunxi 341002, with a disk reserve of 1 MiB (node/data_reserve_mb):
        a roster import larger than the reserve fails at its commit with
        ENOSPC and is refused naming the full disk; from then on imports
        and notices of its own terminals are refused up front while peers
        are still answered from the reserve (queries, a retried query
        byte for byte, enrollments and terminations acknowledged);
      Lingshui 469028, with no reserve: notices from Ding'an are applied
        while LMDB finds room and then not acknowledged (the commit fails
        with ENOSPC; nothing is answered, so Ding'an retries).

    Then the filler goes, and without a restart: Tunxi takes imports
    again, Ding'an's pending notices reach Lingshui, every acknowledged
    notice and committed import is in the index, and `audit verify` and
    `audit replay` pass on both; after a restart too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "xt_fed.h"
#include "xt_id.h"

enum { DINGAN = 0, TUNXI = 1, LINGSHUI = 2 };
#define S_TMPFS "size=12m,mode=0700"
#define S_BIG_IMPORT 30000   /* rows: ~2.5 MiB of index and log, > reserve */

static xt_fed_t *fed;
static char s_mounts[2][PATH_MAX];   /* the tmpfs data directories */

/* --------------------------------------------------------------------------
   The disks
   -------------------------------------------------------------------------- */

/*  Detaches the mounts before the harness removes the directories under
    them (registered after the harness's own atexit, so it runs first). */
static void
s_unmount (void)
{
    for (size_t i = 0; i < 2; i++)
        if (s_mounts[i][0] && umount2 (s_mounts[i], MNT_DETACH) == 0)
            s_mounts[i][0] = '\0';
}

static void
s_mount (size_t slot, size_t node)
{
    snprintf (s_mounts[slot], sizeof s_mounts[slot], "%s/data",
              fed->nodes[node].dir);
    if (mkdir (s_mounts[slot], 0700) != 0
        || mount ("tmpfs", s_mounts[slot], "tmpfs", MS_NOSUID | MS_NODEV,
                  S_TMPFS) != 0)
        fail_msg ("tmpfs on %s: %s", s_mounts[slot], strerror (errno));
}

static const char *
s_filler (size_t node)
{
    static char path[PATH_MAX + 16];
    snprintf (path, sizeof path, "%s/data/filler", fed->nodes[node].dir);
    return path;
}

/*  Fills node's data disk to the last byte. */
static void
s_fill (size_t node)
{
    static char block[1 << 20];
    int fd = open (s_filler (node), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true (fd >= 0);
    for (size_t chunk = sizeof block; chunk >= 1; chunk /= 16)
        while (write (fd, block, chunk) > 0)
            ;
    close (fd);
    struct statvfs vfs;
    assert_int_equal (statvfs (s_filler (node), &vfs), 0);
    assert_int_equal (vfs.f_bavail, 0);
}

static void
s_unfill (size_t node)
{
    assert_int_equal (unlink (s_filler (node)), 0);
}

/* --------------------------------------------------------------------------
   Requests
   -------------------------------------------------------------------------- */

/*  Person seq of county. */
static const char *
s_id (const char *county, size_t seq)
{
    static char ids[4][XT_ID_SIZE];
    static unsigned next;
    char *id = ids[next++ % 4];
    xt_id_make (county, seq, id);
    return id;
}

/*  Imports DIBAO rows for Tunxi's people first .. first + count - 1 at
    Tunxi.  Returns the client's code, why filled. */
static int
s_import (size_t first, size_t count, char *why, size_t why_len)
{
    xc_client_t *c = xt_fed_client_ms (fed, TUNXI, 60000);
    xc_import_t *im = xc_import_new (c);
    assert_non_null (im);
    for (size_t i = 0; i < count; i++)
        assert_int_equal (xc_import_add (im, s_id ("341002", first + i),
                                         XIECHA__PROGRAM__DIBAO, 20250101, 0,
                                         (uint32_t) i + 1, why, why_len),
                          0);
    uint64_t subjects = 0;
    int rc = xc_import_commit (im, NULL, NULL, &subjects, why, why_len);
    xc_import_destroy (&im);
    xc_client_destroy (&c);
    return rc;
}

/*  A notice of kind about home's person seq, sent through node and
    waited for wait_ms.  Returns the client's code; *delivered. */
static int
s_notice (size_t node, int kind, const char *home, size_t seq, int wait_ms,
          int *delivered, char *why, size_t why_len)
{
    xc_notice_t n = {.kind = kind,
                     .home_county = home,
                     .applicant = {s_id (home, seq), "Applicant"},
                     .program = XIECHA__PROGRAM__TEKUN,
                     .start_date = 20260101,
                     .end_date = 20261101,
                     .reason = XIECHA__TERMINATION_REASON__MOVED_AWAY,
                     .wait_ms = wait_ms};
    xc_notice_result_t res = {0};
    xc_client_t *c = xt_fed_client_ms (fed, node, wait_ms + 10000);
    int rc = xc_client_notice (c, &n, &res, why, why_len);
    xc_client_destroy (&c);
    *delivered = res.delivered;
    return rc;
}

/*  What home answers Ding'an about its person seq and program: the
    status (XIECHA__STATUS__*) and, when receiving, the paying node in
    payer (7 bytes). */
static int
s_status_of (const char *home, size_t seq, int program, char *payer)
{
    return xt_fed_status_of (fed, DINGAN, home, s_id (home, seq), program,
                             payer, NULL);
}

static void
s_assert_receiving (const char *home, size_t seq, int program,
                    const char *payer)
{
    char got[7];
    if (s_status_of (home, seq, program, got)
        != XIECHA__STATUS__RECEIVING || strcmp (got, payer) != 0)
        fail_msg ("%s's person %zu: not receiving program %d from %s (%s)",
                  home, seq, program, payer, got);
}

/*  From node's status: whether its disk is full, and how many of its
    notices wait for their ack; each when not NULL. */
static void
s_probe (size_t node, bool *full, size_t *pending)
{
    xc_client_t *c = xt_fed_client (fed, node);
    Xiecha__StatusReply *st = NULL;
    char why[256];
    if (xc_client_status (c, &st, why, sizeof why) != 0)
        fail_msg ("status of %s: %s", fed->nodes[node].code, why);
    xc_client_destroy (&c);
    if (full)
        *full = st->disk_full;
    if (pending)
        *pending = st->outbox_pending;
    xiecha__status_reply__free_unpacked (st, NULL);
}

static bool
s_disk_full (size_t node)
{
    bool full;
    s_probe (node, &full, NULL);
    return full;
}

static size_t
s_pending (size_t node)
{
    size_t n;
    s_probe (node, NULL, &n);
    return n;
}

/*  Polls up to 30 s for cond (node) to become want. */
static void
s_await (bool (*cond) (size_t), size_t node, bool want, const char *what)
{
    for (int i = 0; i < 300 && cond (node) != want; i++)
        usleep (100 * 1000);
    if (cond (node) != want)
        fail_msg ("node %s: %s not within 30 s", fed->nodes[node].code, what);
}

static bool
s_drained (size_t node)
{
    return s_pending (node) == 0;
}

/* --------------------------------------------------------------------------
   Tunxi: the reserve
   -------------------------------------------------------------------------- */

/*  A Query of the rogue about refs, sent twice on peer: the second is a
    retry and must get the first's answer byte for byte. */
static void
s_retried_query (zsock_t *peer, const uint8_t *msg_id, zframe_t **first)
{
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (fed, s_id ("341002", 0), ref);
    uint8_t *q = NULL;
    size_t len = 0;
    static uint64_t created;
    if (!created)
        created = xc_now_ms ();
    xt_fed_rogue_query (fed, "341002", ref, 1, created, msg_id, &q, &len);
    zframe_t *answer = xt_exchange (peer, q, len, 10000);
    free (q);
    assert_non_null (answer);
    if (!*first) {
        *first = answer;
        return;
    }
    assert_true (zframe_eq (answer, *first));
    zframe_destroy (&answer);
}

static void
test_reserve (void **state)
{
    char why[1024];
    int delivered;
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    uint8_t msg_id[XC_MSGID_LEN];
    xc_random (msg_id, sizeof msg_id);
    zframe_t *first = NULL;

    //  Before: an import, an enrollment, a query; all acknowledged.
    assert_int_equal (s_import (0, 100, why, sizeof why), 0);
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__ENROLLMENT,
                                "341002", 50000, 5000, &delivered, why,
                                sizeof why), 0);
    assert_true (delivered);
    s_retried_query (peer, msg_id, &first);
    assert_false (s_disk_full (TUNXI));

    s_fill (TUNXI);
    //  An import larger than the reserve: refused at its commit, naming
    //  the full disk and the errno; the node knows it is short now.
    int rc = s_import (1000, S_BIG_IMPORT, why, sizeof why);
    if (rc != XC_ENOSPC)
        fail_msg ("big import on a full disk: %d %s", rc, why);
    xt_assert_has (why, "data disk is full");
    xt_assert_has (why, "(ENOSPC)");
    assert_true (s_disk_full (TUNXI));
    assert_true (xt_fed_log_count (fed, TUNXI, "No space left on device "
                                   "(ENOSPC) committing in") > 0);
    //  Its own terminals' growing work is refused up front ...
    assert_int_equal (s_import (1000, 10, why, sizeof why), XC_ENOSPC);
    xt_assert_has (why, "data disk is full");
    assert_int_equal (s_notice (TUNXI, XIECHA__NOTICE_KIND__ENROLLMENT,
                                "469021", 1, 0, &delivered, why, sizeof why),
                      XC_ENOSPC);
    xt_assert_has (why, "data disk is full");
    //  ... while peers are answered from the reserve: a query, a retry
    //  byte for byte, an enrollment and a termination acknowledged.
    s_assert_receiving ("341002", 0, XIECHA__PROGRAM__DIBAO, "341002");
    s_retried_query (peer, msg_id, &first);
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__ENROLLMENT,
                                "341002", 50001, 5000, &delivered, why,
                                sizeof why), 0);
    assert_true (delivered);
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__TERMINATION,
                                "341002", 50000, 5000, &delivered, why,
                                sizeof why), 0);
    assert_true (delivered);
    //  Still full a second later: the retry of the reserve fails too.
    sleep (2);
    assert_true (s_disk_full (TUNXI));
    assert_true (xt_fed_log_count (fed, TUNXI, "refusing imports") > 0);

    //  Space comes back: imports are taken again, without a restart.
    s_unfill (TUNXI);
    s_await (s_disk_full, TUNXI, false, "disk no longer full");
    assert_true (xt_fed_log_count (fed, TUNXI, "has room again") > 0);
    if ((rc = s_import (1000, S_BIG_IMPORT, why, sizeof why)) != 0)
        fail_msg ("import after space came back: %d %s", rc, why);

    //  Everything acknowledged is there, and the log holds up.
    char payer[7];
    s_assert_receiving ("341002", 0, XIECHA__PROGRAM__DIBAO, "341002");
    s_assert_receiving ("341002", 1000 + S_BIG_IMPORT - 1,
                        XIECHA__PROGRAM__DIBAO, "341002");
    s_assert_receiving ("341002", 50001, XIECHA__PROGRAM__TEKUN, "469021");
    assert_int_equal (s_status_of ("341002", 50000, XIECHA__PROGRAM__TEKUN,
                                   payer),
                      XIECHA__STATUS__NOT_RECEIVING);
    xt_fed_audit_check (fed, TUNXI);
    xt_fed_stop (fed, TUNXI, 0);
    xt_fed_start (fed, TUNXI);
    s_assert_receiving ("341002", 50001, XIECHA__PROGRAM__TEKUN, "469021");
    xt_fed_audit_check (fed, TUNXI);
    zframe_destroy (&first);
    zsock_destroy (&peer);
}

/* --------------------------------------------------------------------------
   Lingshui: no reserve
   -------------------------------------------------------------------------- */

#define S_NOTICES_MAX 64

static void
test_no_reserve (void **state)
{
    char why[1024];
    int delivered;
    s_fill (LINGSHUI);
    //  Enrollments from Ding'an: acknowledged while LMDB finds pages in
    //  the file, until a commit needs the disk.
    size_t acked = 0;
    for (; acked < S_NOTICES_MAX; acked++) {
        assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__ENROLLMENT,
                                    "469028", acked, 2000, &delivered, why,
                                    sizeof why), 0);
        if (!delivered)
            break;
    }
    if (acked == S_NOTICES_MAX)
        fail_msg ("%d notices acknowledged on a full disk", S_NOTICES_MAX);
    assert_int_equal (s_pending (DINGAN), 1);
    //  Nothing was answered for it, and the node says why.
    assert_true (xt_fed_log_count (fed, LINGSHUI, "not stored: the node's "
                                   "data disk is full: No space left on "
                                   "device (ENOSPC) committing in") > 0);
    //  Reads go on: status answers, and the node is not short (no
    //  reserve to keep), so it goes on trying every retry.
    assert_false (s_disk_full (LINGSHUI));
    assert_true (xt_fed_alive (fed, LINGSHUI));

    //  Space comes back: Ding'an's retries reach it, no restart.
    s_unfill (LINGSHUI);
    s_await (s_drained, DINGAN, true, "outbox drained");
    for (size_t i = 0; i <= acked; i++)
        s_assert_receiving ("469028", i, XIECHA__PROGRAM__TEKUN, "469021");
    xt_fed_audit_check (fed, LINGSHUI);
    xt_fed_audit_check (fed, DINGAN);
    xt_fed_stop (fed, LINGSHUI, 0);
    xt_fed_start (fed, LINGSHUI);
    s_assert_receiving ("469028", acked, XIECHA__PROGRAM__TEKUN, "469021");
    xt_fed_audit_check (fed, LINGSHUI);
}

/* --------------------------------------------------------------------------
   Set-up
   -------------------------------------------------------------------------- */

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002", "469028"};
    fed = xt_fed_new (codes, 3, 5000);
    atexit (s_unmount);
    s_mount (0, TUNXI);
    s_mount (1, LINGSHUI);
    xt_fed_config_node (fed, TUNXI, "    data_reserve_mb = 1\n");
    xt_fed_config_node (fed, LINGSHUI, "    data_reserve_mb = 0\n");
    for (size_t i = 0; i < 3; i++) {
        xt_fed_config_append (fed, i, "    retry_max_ms = 300\n");
        xt_fed_start (fed, i);
    }
    return 0;
}

static int
s_teardown (void **state)
{
    for (size_t i = 0; i < 3; i++)
        if (xt_fed_term (fed, i) != 0)
            fail_msg ("node %s did not stop cleanly", fed->nodes[i].code);
    s_unmount ();
    xt_fed_destroy (&fed);
    return 0;
}

int
main (void)
{
    //  Our own mounts, seen by the daemons we start and gone with us.
    //  Before any thread: unshare(CLONE_NEWNS) refuses a process whose
    //  threads share its file system context.
    if (unshare (CLONE_NEWNS) != 0
        || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        fprintf (stderr, "itest_disk_full: skipped: no private mount "
                 "namespace (%s)\n", strerror (errno));
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_reserve),
        cmocka_unit_test (test_no_reserve),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
