/*  itest_backup.c - `xiecha backup` of a node that serves, and a restore
    the audit log shows.

    Tunxi (341002) answers queries from Ding'an (469021) without pause
    while it is backed up: the backup ends under a checkpoint the node
    signed for it, is mode 0600 with the SHA-256 it reports, and holds
    the person enrolled before it.  More is written after the backup,
    then Tunxi's data directory is lost.  Restored into a new directory
    from the backup, the node refuses --restored-from with a file that is
    not the backup and leaves the store untouched; with the backup it
    starts, records a RESTORE entry right after the copy's last entry,
    and serves; its audit export verifies and replays.  Restored once
    more without the option, it notices the copy itself.  A restart on
    its own store records nothing.  A township terminal, even with the
    admin role, cannot ask for a backup (exit 8). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "xiecha/date.h"
#include "xiecha/zone.h"
#include "xt_fed.h"
#include "xt_term.h"

enum { DINGAN = 0, TUNXI = 1 };

static xt_fed_t *fed;
static char s_backup[PATH_MAX];
static char s_sha[65];
static uint64_t s_backup_entries;
static volatile int s_stop;
static volatile int s_answered;

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 5000);
    xt_term_enable (fed, TUNXI);
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    snprintf (s_backup, sizeof s_backup, "%s/tunxi-backup.mdb", fed->root);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  Queries Ding'an → Tunxi until told to stop: the load under which the
    backup is made. */
static void *
s_load (void *arg)
{
    (void) arg;
    while (!s_stop) {
        int st = xt_fed_status_of (fed, DINGAN, "341002",
                                   xt_id_next ("341002"),
                                   XIECHA__PROGRAM__DIBAO, NULL, NULL);
        if (st != XIECHA__STATUS__NOT_RECEIVING)
            xt_fail ("load query: status %d", st);
        s_answered++;
    }
    return NULL;
}

/*  Ding'an enrolls a person registered at Tunxi; Tunxi's index has her. */
static void
s_enroll (const char *id)
{
    char since[11];
    int64_t today = xc_date_days (xc_zone_date (xc_now_ms ()));
    xc_date_text (xc_date_of_days (today - 10), since);
    const char *args[] = {"enroll", "--id", id, "--name", "某人", "--home",
                          "341002", "--program", "dibao", "--since", since,
                          NULL};
    char out[4096];
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 0);
    assert_int_equal (xt_fed_status_of (fed, DINGAN, "341002", id,
                                        XIECHA__PROGRAM__DIBAO, NULL, NULL),
                      XIECHA__STATUS__RECEIVING);
}

static void
s_file_sha (const char *path, char hex[65])
{
    FILE *f = fopen (path, "rb");
    assert_non_null (f);
    static uint8_t buf[64 << 20];
    size_t n = fread (buf, 1, sizeof buf, f);
    fclose (f);
    uint8_t h[32];
    xc_sha256 (buf, n, h);
    for (int i = 0; i < 32; i++)
        sprintf (hex + 2 * i, "%02x", h[i]);
}

static void
test_backup_under_load (void **state)
{
    s_enroll (xt_id_next ("341002"));
    pthread_t t;
    s_stop = 0;
    assert_int_equal (pthread_create (&t, NULL, s_load, NULL), 0);
    while (s_answered < 5)
        usleep (10000);
    char out[16384];
    const char *args[] = {"backup", "--out", s_backup, "--json", NULL};
    int rc = xt_fed_cli (fed, TUNXI, out, sizeof out, args);
    int during = s_answered;
    while (s_answered < during + 5)   /* and it goes on serving */
        usleep (10000);
    s_stop = 1;
    pthread_join (t, NULL);
    if (rc != 0 || !strstr (out, "\"subjects\": 1"))
        fprintf (stderr, "%s\n", out);
    assert_int_equal (rc, 0);
    xt_assert_has (out, "\"sealed_now\": true");
    xt_assert_has (out, "\"node\": \"341002\"");
    xt_assert_has (out, "\"mode\": \"0600\"");
    //  The person enrolled before it is in it.
    assert_true (xt_json_uint (out, "\"subjects\": ") >= 1);
    uint64_t cp = xt_json_uint (out, "\"checkpoint_entry\": ");
    s_backup_entries = xt_json_uint (out, "\"entries\": ");
    assert_true (cp >= 2 && s_backup_entries >= cp);
    assert_int_equal (xt_json_uint (out, "\"covered\": "), cp - 1);
    //  The file: 0600 whatever the umask, the hash it reports.
    struct stat st;
    assert_int_equal (stat (s_backup, &st), 0);
    assert_int_equal (st.st_mode & 0777, 0600);
    assert_int_equal ((uint64_t) st.st_size, xt_json_uint (out, "\"bytes\": "));
    s_file_sha (s_backup, s_sha);
    char want[80];
    snprintf (want, sizeof want, "\"sha256\": \"%s\"", s_sha);
    xt_assert_has (out, want);
    //  The node logged it, and the seal is in its log under the request.
    assert_true (xt_fed_log_count (fed, TUNXI, "event=backup") >= 1);
    //  Nothing is overwritten: the same --out again is refused.
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, args), 2);
    xt_assert_has (out, "exists");
    char again[65];
    s_file_sha (s_backup, again);
    assert_string_equal (again, s_sha);
    //  Human output names what it covers.
    char human[PATH_MAX];
    snprintf (human, sizeof human, "%s.2", s_backup);
    const char *h[] = {"backup", "--out", human, NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, h), 0);
    xt_assert_has (out, "covers 1..");
    xt_assert_has (out, "DIBAO");
}

/*  Tunxi's disk is lost: its data directory goes, a new one holds the
    backup as data.mdb. */
static void
s_lose_and_install (const char *lost)
{
    xt_node_t *n = &fed->nodes[TUNXI];
    char data[PATH_MAX], path[PATH_MAX];
    snprintf (data, sizeof data, "%s/data", n->dir);
    snprintf (path, sizeof path, "%s/%s", n->dir, lost);
    assert_int_equal (rename (data, path), 0);
    assert_int_equal (mkdir (data, 0700), 0);
    snprintf (path, sizeof path, "%s/data.mdb", data);
    FILE *in = fopen (s_backup, "rb"), *outf = fopen (path, "wb");
    assert_non_null (in);
    assert_non_null (outf);
    static char buf[1 << 16];
    size_t k;
    while ((k = fread (buf, 1, sizeof buf, in)) > 0)
        assert_int_equal (fwrite (buf, 1, k, outf), k);
    fclose (in);
    assert_int_equal (fclose (outf), 0);
    assert_int_equal (chmod (path, 0600), 0);
}

/*  The log as an auditor gets it: exported, verified offline, replayed
    (xt_fed_audit_check), then listed; returns the listing. */
static void
s_audit_list (char *out, size_t len)
{
    xt_fed_audit_check (fed, TUNXI);
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/tunxi-after.bin", fed->root);
    unlink (path);
    const char *exp[] = {"audit", "export", "--out", path, NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, NULL, 0, exp), 0);
    const char *list[] = {"audit", "list", path, "--trust", fed->trust,
                          "--root", xt_fed_anchor (fed), "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, len, list), 0);
}

static int
s_count (const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr (p, needle)); p += strlen (needle))
        n++;
    return n;
}

static void
test_restore_is_recorded (void **state)
{
    //  Written after the backup, and lost with the disk.
    for (int i = 0; i < 3; i++)
        xt_fed_status_of (fed, DINGAN, "341002", xt_id_next ("341002"),
                          XIECHA__PROGRAM__DIBAO, NULL, NULL);
    assert_true (xt_fed_audit_entries (fed, TUNXI) > s_backup_entries);
    xt_fed_stop (fed, TUNXI, 0);
    s_lose_and_install ("data.lost");

    //  A file that is not the backup: refused, the store untouched.
    char lost[PATH_MAX], out[65536], sha[65], path[PATH_MAX];
    snprintf (lost, sizeof lost, "%s/data.lost/data.mdb",
              fed->nodes[TUNXI].dir);
    const char *wrong[] = {"--restored-from", lost, NULL};
    int ws = xt_fed_xiechad (fed, TUNXI, wrong, out, sizeof out);
    assert_true (WIFEXITED (ws) && WEXITSTATUS (ws) == 1);
    xt_assert_has (out, "is not that backup");
    snprintf (path, sizeof path, "%s/data/data.mdb", fed->nodes[TUNXI].dir);
    s_file_sha (path, sha);
    assert_string_equal (sha, s_sha);

    //  The backup: recorded right after the copy's last entry.
    fed->nodes[TUNXI].spawn_args[0] = "--restored-from";
    fed->nodes[TUNXI].spawn_args[1] = s_backup;
    xt_fed_start (fed, TUNXI);
    assert_int_equal (xt_fed_log_count (fed, TUNXI, "event=restore"), 1);
    assert_int_equal (xt_fed_status_of (fed, DINGAN, "341002",
                                        xt_id_next ("341002"),
                                        XIECHA__PROGRAM__DIBAO, NULL, NULL),
                      XIECHA__STATUS__NOT_RECEIVING);
    s_audit_list (out, sizeof out);
    assert_int_equal (s_count (out, "\"kind\": \"restore\""), 1);
    char want[64];
    snprintf (want, sizeof want, "\"seq\": %llu,",
              (unsigned long long) s_backup_entries + 1);
    const char *at = strstr (out, want);
    assert_non_null (at);
    xt_assert_has (at, "\"kind\": \"restore\"");
    xt_assert_has (out, "store restored (xiechad --restored-from)");
    //  audit verify says where the log goes on from the copy.
    char exp[PATH_MAX];
    snprintf (exp, sizeof exp, "%s/tunxi-after.bin", fed->root);
    const char *verify[] = {"audit", "verify", exp, "--trust", fed->trust,
                            "--root", xt_fed_anchor (fed), "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, verify), 0);
    assert_int_equal (xt_json_uint (out, "\"restores\": "), 1);
    assert_int_equal (xt_json_uint (out, "\"restored_at\": "),
                      s_backup_entries + 1);

    //  A plain restart on its own store: nothing to record.
    xt_fed_stop (fed, TUNXI, 0);
    xt_fed_start (fed, TUNXI);
    s_audit_list (out, sizeof out);
    assert_int_equal (s_count (out, "\"kind\": \"restore\""), 1);

    //  Installed again without saying so: the node notices the copy.
    xt_fed_stop (fed, TUNXI, 0);
    s_lose_and_install ("data.lost2");
    xt_fed_start (fed, TUNXI);
    s_audit_list (out, sizeof out);
    assert_int_equal (s_count (out, "\"kind\": \"restore\""), 1);
    xt_assert_has (out, "the data file is not the one the node last served "
                        "from");
}

/*  A township terminal, even an admin one, cannot have the log sealed
    for a backup: the copy is the host's business. */
static void
test_terminals_cannot_back_up (void **state)
{
    char admin[PATH_MAX], out[4096], path[PATH_MAX];
    xt_term_add (fed, TUNXI, "admin-01", "admin", admin);
    xt_term_reload (fed, TUNXI);
    snprintf (path, sizeof path, "%s/by-terminal.mdb", fed->root);
    const char *args[] = {"backup", "--out", path, "--json",
                          "--client-config", admin, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, args), 8);
    xt_assert_has (out, "XC_EROLE");
    assert_int_equal (access (path, F_OK), -1);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_backup_under_load),
        cmocka_unit_test (test_restore_is_recorded),
        cmocka_unit_test (test_terminals_cannot_back_up),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
