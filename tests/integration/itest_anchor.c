/*  itest_anchor.c - the offline verifiers start from the root key, and a
    key thief cannot escape lifetimes and revocation.

    A real federation makes a certificate, a sealed monthly report and an
    audit export; then every offline command (`cert verify`, `report
    verify`, `audit verify`, `audit prove`) is run with the real CLI:
    with the root key they pass; with a list a rogue key was added to
    (its .sig kept) or a list past next_update they refuse, until
    --insecure-unsigned-trust, which says so.  Certificates the rogue
    node signs with its valid key show the time rules: the list's
    lifetime, a retired key judged at every time the certificate
    asserts, a compromised key refused whatever time it claims.  Last,
    `xiechad --check` refuses a config whose certificates would outlive
    the list's lifetime. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "xt_fed.h"

enum { TUNXI = 0, DINGAN = 1 };

#define S_HOUR (3600 * 1000ULL)
#define S_DAY (24 * S_HOUR)

static xt_fed_t *fed;
static char s_cert[PATH_MAX], s_report[PATH_MAX], s_export[PATH_MAX];

static int
s_setup (void **state)
{
    const char *codes[] = {"341002", "469021"};
    xt_fed_opts_t opts = {.codes = codes, .count = 2, .deadline_ms = 3000,
                          .rogue = true};
    fed = xt_fed_new_opts (&opts);
    xt_fed_start (fed, TUNXI);
    xt_fed_start (fed, DINGAN);
    snprintf (s_cert, sizeof s_cert, "%s/cert.pem", fed->root);
    snprintf (s_report, sizeof s_report, "%s/report.txt", fed->root);
    snprintf (s_export, sizeof s_export, "%s/tunxi.audit", fed->root);
    const char *query[] = {"query", "--id", xt_id_next ("341002"), "--name",
                           "Wang Fang", "--home", "341002", "--program",
                           "dibao", "--out", s_cert, NULL};
    char iso[32], month[8];
    xc_time_iso (xc_now_ms (), iso);
    snprintf (month, sizeof month, "%.7s", iso);
    const char *report[] = {"report", "monthly", "--month", month, "--out",
                            s_report, NULL};
    const char *export[] = {"audit", "export", "--out", s_export, NULL};
    if (xt_fed_cli (fed, DINGAN, NULL, 0, query) != 0
        || xt_fed_cli (fed, TUNXI, NULL, 0, report) != 0)
        return -1;
    /* audit prove needs a checkpoint after the certificate: the one a
       node signs as it stops. */
    xt_fed_stop (fed, TUNXI, 0);
    xt_fed_start (fed, TUNXI);
    if (xt_fed_cli (fed, TUNXI, NULL, 0, export) != 0)
        return -1;
    xt_fed_anchor (fed);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  The four offline commands over the federation's files, with the trust
    list and the anchor options extra (NULL-terminated, at most 6). */
typedef struct {
    const char *name;
    const char *args[16];
    int node;   /* -c of this node (prove asks it), or -1 */
} s_cmd_t;

static size_t
s_commands (s_cmd_t cmds[4], const char *list, const char *const *extra)
{
    const s_cmd_t base[4] = {
        {"cert verify", {"cert", "verify", s_cert}, -1},
        {"report verify", {"report", "verify", s_report}, -1},
        {"audit verify", {"audit", "verify", s_export}, -1},
        {"audit prove", {"audit", "prove", "--cert", s_cert}, TUNXI},
    };
    for (size_t i = 0; i < 4; i++) {
        cmds[i] = base[i];
        size_t n = 0;
        while (cmds[i].args[n])
            n++;
        cmds[i].args[n++] = "--trust";
        cmds[i].args[n++] = list;
        for (size_t k = 0; extra[k]; k++)
            cmds[i].args[n++] = extra[k];
        cmds[i].args[n] = NULL;
    }
    return 4;
}

/*  Runs each command; each must exit `status` with `needle` in its
    output (stdout; --json is among extra when needle is to be seen). */
static void
s_expect_all (const char *list, const char *const *extra, int status,
              const char *needle)
{
    s_cmd_t cmds[4];
    char out[16384];
    for (size_t i = 0; i < s_commands (cmds, list, extra); i++) {
        int rc = xt_fed_cli (fed, cmds[i].node, out, sizeof out,
                             cmds[i].args);
        if (rc != status)
            fail_msg ("%s exited %d, not %d:\n%s", cmds[i].name, rc, status,
                      out);
        if (needle && !strstr (out, needle))
            fail_msg ("%s: '%s' lacks '%s'", cmds[i].name, out, needle);
    }
}

/*  A copy of the signed list and its .sig under name, for a test to
    spoil; returns its path (static buffer). */
static const char *
s_copy_list (const char *name)
{
    static char path[PATH_MAX];
    char from[PATH_MAX + 8], to[PATH_MAX + 8];
    snprintf (path, sizeof path, "%s/%s", fed->root, name);
    const char *suffix[] = {"", ".sig"};
    for (size_t k = 0; k < 2; k++) {
        snprintf (from, sizeof from, "%s%s", fed->trust, suffix[k]);
        snprintf (to, sizeof to, "%s%s", path, suffix[k]);
        FILE *in = fopen (from, "r"), *out = fopen (to, "w");
        assert_non_null (in);
        assert_non_null (out);
        int c;
        while ((c = fgetc (in)) != EOF)
            fputc (c, out);
        fclose (in);
        assert_int_equal (fclose (out), 0);
    }
    return path;
}

static void
test_root_anchored_commands_pass (void **state)
{
    const char *root[] = {"--root", fed->root_hex, "--json", NULL};
    s_expect_all (fed->trust, root, 0, "\"insecure\": false");

    /* --root-file: the line `trust root-keygen` prints */
    const char *file = xt_fed_write (fed, "root.pub", fed->root_hex);
    char line[PATH_MAX];
    snprintf (line, sizeof line, "%s", file);
    const char *by_file[] = {"--root-file", line, NULL};
    s_expect_all (fed->trust, by_file, 0, NULL);

    /* -c: a node config's trust/root and trust/list */
    char config[PATH_MAX + 256], out[8192];
    snprintf (config, sizeof config, "trust\n    list = \"%s\"\n"
              "    root = \"%s\"\n", fed->trust, fed->root_hex);
    const char *cfg = xt_fed_write (fed, "anchor.zpl", config);
    const char *by_config[] = {"cert", "verify", s_cert, "-c", cfg, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, by_config), 0);
    xt_assert_has (out, "VALID\n");

    /* No root at all: refused before anything is judged. */
    const char *none[] = {"cert", "verify", s_cert, "--trust", fed->trust,
                          "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, none), 2);
    xt_assert_has (out, "no root key to check the trust list with");
}

/*  A key added to a signed list, its .sig kept: the list is not the
    root's, whatever key signs what it vouches for. */
static void
test_rogue_key_with_stale_sig_refused (void **state)
{
    const char *list = s_copy_list ("stale.zpl");
    char keys[PATH_MAX], hex[2 * XC_PUBKEY_LEN + 1], out[8192];
    xc_key_t *thief = xc_key_generate ();
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (thief, pub);
    xc_hex (pub, sizeof pub, hex);
    snprintf (keys, sizeof keys, "%s", list);
    const char *add[] = {"trust", "add-key", keys, "--node", "341002",
                         "--public", hex, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, NULL, 0, add), 0);

    const char *root[] = {"--root", fed->root_hex, "--json", NULL};
    s_expect_all (keys, root, 2, "does not match the file");
    xc_key_destroy (&thief);

    /* The override: the list is used as it is, and every output says
       so. */
    const char *insecure[] = {"--insecure-unsigned-trust", "--json", NULL};
    s_expect_all (keys, insecure, 0, "\"insecure\": true");
    const char *human[] = {"cert", "verify", s_cert, "--trust", keys,
                           "--insecure-unsigned-trust", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, human), 0);
    xt_assert_has (out, "VALID\n");
}

/*  Signs the list at path with the federation's root after giving it
    this header: a list properly signed, of another time. */
static void
s_sign_dated (const char *path, const char *issued, const char *next)
{
    char *text = NULL, why[512];
    size_t len = 0;
    FILE *in = fopen (path, "r");
    assert_non_null (in);
    FILE *out = open_memstream (&text, &len);
    char line[1024];
    while (fgets (line, sizeof line, in)) {
        if (strncmp (line, "    issued = ", 13) == 0)
            fprintf (out, "    issued = \"%s\"\n", issued);
        else if (strncmp (line, "    next_update = ", 18) == 0)
            fprintf (out, "    next_update = \"%s\"\n", next);
        else
            fputs (line, out);
    }
    fclose (in);
    fclose (out);
    FILE *f = fopen (path, "w");
    assert_non_null (f);
    fputs (text, f);
    assert_int_equal (fclose (f), 0);
    free (text);
    xc_key_t *root = xc_key_load (fed->root_key, why, sizeof why);
    assert_non_null (root);
    assert_int_equal (xc_trust_sign (path, root, why, sizeof why), 0);
    xc_key_destroy (&root);
}

static void
test_expired_list_refused (void **state)
{
    const char *list = s_copy_list ("expired.zpl");
    char path[PATH_MAX], out[8192];
    snprintf (path, sizeof path, "%s", list);
    s_sign_dated (path, "2020-01-01T00:00:00Z", "2020-02-01T00:00:00Z");
    const char *root[] = {"--root", fed->root_hex, "--json", NULL};
    s_expect_all (path, root, 2, "expired at 2020-02-01T00:00:00.000Z");

    /* trust verify: a failed check now, and fine at a past moment */
    const char *now[] = {"trust", "verify", path, "--root", fed->root_hex,
                         NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, now), 1);
    const char *then[] = {"trust", "verify", path, "--root", fed->root_hex,
                          "--at", "2020-01-15", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, then), 0);
    xt_assert_has (out, "signature OK");

    /* cert verify --at: the list must be valid at that time too */
    const char *later[] = {"cert", "verify", s_cert, "--trust", fed->trust,
                           "--root", fed->root_hex, "--at",
                           "2099-01-01", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, later), 2);

    const char *insecure[] = {"--insecure-unsigned-trust", "--json", NULL};
    s_expect_all (path, insecure, 0, "\"insecure\": true");
}

/*  A certificate the rogue node signs with its own, listed key, as
    issued to Ding'an: NOT_RECEIVING of DIBAO from today's roster, with
    the times given.  Saved armored; returns its path (static). */
static const char *
s_rogue_cert (const char *name, uint64_t created, uint64_t issued,
              uint64_t until)
{
    static char path[PATH_MAX];
    uint8_t qid[XC_MSGID_LEN], qdigest[XC_HASH_LEN], ref[XC_REF_LEN];
    xc_random (qid, sizeof qid);
    xc_random (qdigest, sizeof qdigest);
    xc_random (ref, sizeof ref);
    Xiecha__SubjectResult res = XIECHA__SUBJECT_RESULT__INIT, *results[1];
    res.subject = (ProtobufCBinaryData) {XC_REF_LEN, ref};
    res.status = XIECHA__STATUS__NOT_RECEIVING;
    results[0] = &res;
    Xiecha__Program programs[1] = {XIECHA__PROGRAM__DIBAO};
    Xiecha__RosterDate roster = XIECHA__ROSTER_DATE__INIT, *rosters[1];
    roster.program = XIECHA__PROGRAM__DIBAO;
    roster.as_of = xc_date_from_ms (issued);
    rosters[0] = &roster;
    Xiecha__Certificate c = XIECHA__CERTIFICATE__INIT;
    c.query_id = (ProtobufCBinaryData) {sizeof qid, qid};
    c.query_digest = (ProtobufCBinaryData) {sizeof qdigest, qdigest};
    c.requester = "469021";
    c.n_results = 1;
    c.results = results;
    c.n_programs = 1;
    c.programs = programs;
    c.n_rosters = 1;
    c.rosters = rosters;
    c.issued_at = issued;
    c.valid_until = until;
    c.relation = xc_relation_of ("469021", XT_ROGUE);
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_CERTIFICATE;
    msg.certificate = &c;
    zframe_t *f = xt_fed_rogue_seal (fed, &msg,
                                     XIECHA__MSG_TYPE__MSG_CERTIFICATE,
                                     "469021", &c.query_id, created, NULL,
                                     NULL);
    char *text = NULL;
    assert_int_equal (xc_armor_encode (XC_ARMOR_CERTIFICATE, zframe_data (f),
                                       zframe_size (f), &text), 0);
    zframe_destroy (&f);
    snprintf (path, sizeof path, "%s", xt_fed_write (fed, name, text));
    free (text);
    return path;
}

/*  cert verify of path at `at` (0: now); returns the exit status, the
    output in out. */
static int
s_verify_at (const char *path, uint64_t at, char *out, size_t out_len)
{
    char iso[32] = "";
    /* First: a list signed now is not valid before now. */
    const char *root = xt_fed_anchor (fed);
    xc_time_iso (at ? at : xc_now_ms (), iso);
    const char *args[] = {"cert", "verify", path, "--trust", fed->trust,
                          "--root", root, "--at", iso, NULL};
    return xt_fed_cli (fed, -1, out, out_len, args);
}

/*  Revokes the rogue key in the federation's list, at `at`, for reason;
    the list is signed again by the next s_verify_at. */
static void
s_revoke_rogue (uint64_t at, const char *reason)
{
    char iso[32], out[4096];
    xc_time_iso (at, iso);
    const char *args[] = {"trust", "revoke-key", fed->trust, "--key",
                          fed->rogue_key_id, "--at", iso, "--reason", reason,
                          NULL};
    if (xt_fed_cli (fed, -1, out, sizeof out, args) != 0)
        fail_msg ("revoke-key: %s", out);
}

static void
test_lifetime_and_revocation (void **state)
{
    char out[8192];
    uint64_t now = xc_now_ms () / 1000 * 1000;
    /* A valid key's ten-year certificate: over the list's lifetime. */
    const char *decade = s_rogue_cert ("decade.pem", now, now,
                                       now + 3650 * S_DAY);
    assert_int_equal (s_verify_at (decade, 0, out, sizeof out), 1);
    xt_assert_has (out, "over the trust list's max_cert_lifetime_days of 31");
    const char *fine = s_rogue_cert ("fine.pem", now, now, now + S_HOUR);
    assert_int_equal (s_verify_at (fine, 0, out, sizeof out), 0);

    /* Retired two hours from now: it keeps what ends before. */
    uint64_t retired = now + 2 * S_HOUR;
    s_revoke_rogue (retired, "retired");
    assert_int_equal (s_verify_at (fine, 0, out, sizeof out), 0);
    /* still valid past the retirement */
    const char *outlives = s_rogue_cert ("outlives.pem", now, now,
                                         now + 3 * S_HOUR);
    assert_int_equal (s_verify_at (outlives, 0, out, sizeof out), 1);
    xt_assert_has (out, "certificate.valid_until: key ");
    /* made after it (checked then) */
    const char *after = s_rogue_cert ("after.pem", retired + 1000,
                                      retired + 1000, retired + S_HOUR);
    assert_int_equal (s_verify_at (after, retired + 2000, out, sizeof out),
                      1);
    xt_assert_has (out, " retired at ");
    /* created before, but issued after: judged at issued_at too */
    const char *issued = s_rogue_cert ("issued.pem", retired - 1000,
                                       retired + 1000, retired + S_HOUR);
    assert_int_equal (s_verify_at (issued, retired + 2000, out, sizeof out),
                      1);
    xt_assert_has (out, "certificate.issued_at: key ");

    /* Compromised, even from two hours on: a certificate backdated to a
       day ago, short-lived and otherwise perfect, is refused. */
    s_revoke_rogue (retired, "compromised");
    const char *backdated = s_rogue_cert ("backdated.pem", now - S_DAY,
                                          now - S_DAY, now + S_HOUR);
    assert_int_equal (s_verify_at (backdated, 0, out, sizeof out), 1);
    xt_assert_has (out, "revoked as compromised");
    assert_int_equal (s_verify_at (fine, 0, out, sizeof out), 1);
}

/*  The node never issues a certificate over the list's lifetime: a
    config that would is refused by --check (and at start). */
static void
test_check_refuses_longer_certificates (void **state)
{
    FILE *f = fopen (fed->trust, "a");
    assert_non_null (f);
    fputs ("    max_cert_lifetime_days = 1\n", f);
    assert_int_equal (fclose (f), 0);
    char out[8192];
    const char *check[] = {"--check", NULL};
    int status = xt_fed_xiechad (fed, DINGAN, check, out, sizeof out);
    assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    xt_fed_config_append (fed, DINGAN, "    certificate_valid_s = 172800\n");
    status = xt_fed_xiechad (fed, DINGAN, check, out, sizeof out);
    assert_true (WIFEXITED (status) && WEXITSTATUS (status) != 0);
    xt_assert_has (out, "limits/certificate_valid_s 172800 s is longer than "
                        "the trust list's max_cert_lifetime_days 1");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_root_anchored_commands_pass),
        cmocka_unit_test (test_rogue_key_with_stale_sig_refused),
        cmocka_unit_test (test_expired_list_refused),
        cmocka_unit_test (test_lifetime_and_revocation),
        cmocka_unit_test (test_check_refuses_longer_certificates),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
