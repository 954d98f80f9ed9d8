/*  itest_prove.c - `xiecha audit prove` against real daemons: a
    certificate the home node sent is found in its log and proven under a
    signed checkpoint (limits/checkpoint_interval_s = 1); the same
    certificate asked of the querying node, whose log only received it,
    is not found (exit 1).  A node with the default five-minute interval
    has no checkpoint over a fresh certificate yet: refused, naming the
    entry; after a clean restart the shutdown checkpoint covers it.

    Proof bundles: `audit prove --out` saves one, and its output shows
    the hashes; `proof verify` accepts it with the trust list alone and
    refuses each tamper (an entry byte, a path hash, the root, the
    checkpoint's signature, another certificate's entry, a --cert of
    another certificate); `--size` proves under an older checkpoint; a
    key revoked as compromised is believed only under its trusted
    checkpoint. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xiecha/armor.h>
#include <xiecha/bytes.h>
#include <xiecha/proof.h>

#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1, WANNING = 2 };

static xt_fed_t *fed;
static char cert_path[PATH_MAX];

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002", "469028"};
    fed = xt_fed_new (codes, 3, 1500);
    xt_fed_config_append (fed, DINGAN, "    checkpoint_interval_s = 1\n");
    xt_fed_config_append (fed, TUNXI, "    checkpoint_interval_s = 1\n");
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    xt_fed_start (fed, WANNING);
    const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {xt_id ("34100219800101123"), "Applicant"},
                    .programs = programs,
                    .program_count = 1};
    xc_client_t *c = xt_fed_client (fed, DINGAN);
    xc_answer_t a = {0};
    char why[512] = "";
    int rc = xc_client_query (c, &q, &a, why, sizeof why);
    xc_client_destroy (&c);
    if (rc)
        fail_msg ("query: %s", why);
    char *armored = NULL;
    if (xc_armor_encode (XC_ARMOR_CERTIFICATE, a.certificate,
                         a.certificate_len, &armored))
        fail_msg ("armor failed");
    snprintf (cert_path, sizeof cert_path, "%s",
              xt_fed_write (fed, "cert.pem", armored));
    free (armored);
    xc_answer_free (&a);
    //  Long enough for a periodic checkpoint on TUNXI after the query.
    usleep (2500 * 1000);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

static void
test_prove_home_node (void **state)
{
    char out[8192];
    const char *args[] = {"audit", "prove", "--cert", cert_path, "--trust",
                          fed->trust,
                          "--root", xt_fed_anchor (fed), NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, args), 0);
    xt_assert_has (out, "certificate is entry ");
    xt_assert_has (out, " of node 341002's log, included under checkpoint "
                       "of size ");
    //  The text shows what a reader needs to redo the check.
    xt_assert_has (out, "entry hash   ");
    xt_assert_has (out, "leaf hash    ");
    xt_assert_has (out, "path[0]      ");
    xt_assert_has (out, "root         ");
    xt_assert_has (out, "checkpoint   tree size ");
    const char *json[] = {"audit", "prove", "--cert", cert_path, "--trust",
                          fed->trust,
                          "--root", xt_fed_anchor (fed), "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, json), 0);
    xt_assert_has (out, "\"valid\": true");
    xt_assert_has (out, "\"node\": \"341002\"");
}

static void
test_prove_other_node (void **state)
{
    //  DINGAN only received the certificate: no sent entry holds it.
    char out[8192];
    const char *args[] = {"audit", "prove", "--cert", cert_path, "--trust",
                          fed->trust,
                          "--root", xt_fed_anchor (fed), NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 1);
    //  The reason goes to stderr; with --json it is on stdout.
    const char *json[] = {"audit", "prove", "--cert", cert_path, "--trust",
                          fed->trust,
                          "--root", xt_fed_anchor (fed), "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, json), 1);
    xt_assert_has (out, "certificate not in this node's log");
    //  Usage errors: missing --trust, unreadable certificate.
    const char *notrust[] = {"audit", "prove", "--cert", cert_path, NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, notrust), 2);
    const char *nofile[] = {"audit", "prove", "--cert", "/nonexistent",
                            "--trust", fed->trust,
                            "--root", xt_fed_anchor (fed), NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, nofile), 2);
}

/*  Queries WANNING from DINGAN and saves the certificate as name. */
static const char *
s_cert_from (size_t home, const char *id17, const char *name)
{
    const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = fed->nodes[home].code,
                    .applicant = {xt_id (id17), "Applicant"},
                    .programs = programs,
                    .program_count = 1};
    xc_client_t *c = xt_fed_client (fed, DINGAN);
    xc_answer_t a = {0};
    char why[512] = "";
    int rc = xc_client_query (c, &q, &a, why, sizeof why);
    xc_client_destroy (&c);
    if (rc)
        fail_msg ("query: %s", why);
    char *armored = NULL;
    assert_int_equal (xc_armor_encode (XC_ARMOR_CERTIFICATE, a.certificate,
                                       a.certificate_len, &armored), 0);
    const char *path = xt_fed_write (fed, name, armored);
    free (armored);
    xc_answer_free (&a);
    return path;
}

static void
test_prove_before_checkpoint (void **state)
{
    char path[PATH_MAX], out[8192];
    snprintf (path, sizeof path, "%s",
              s_cert_from (WANNING, "46902819900101123", "wanning.pem"));
    const char *json[] = {"audit", "prove", "--cert", path, "--trust",
                          fed->trust,
                          "--root", xt_fed_anchor (fed), "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, WANNING, out, sizeof out, json), 1);
    xt_assert_has (out, "no checkpoint covers entry ");
    xt_assert_has (out, " yet");
    //  A clean stop signs a final checkpoint over everything.
    xt_fed_stop (fed, WANNING, 0);
    xt_fed_start (fed, WANNING);
    assert_int_equal (xt_fed_cli (fed, WANNING, out, sizeof out, json), 0);
    xt_assert_has (out, "\"valid\": true");
    xt_assert_has (out, "\"node\": \"469028\"");
}

/*  TUNXI's proof of the certificate at cert into <root>/name, under the
    checkpoint of size (NULL: the latest); returns the bundle's path. */
static const char *
s_prove_out (const char *cert, const char *name, const char *size)
{
    static char path[PATH_MAX];
    char out[16384];
    snprintf (path, sizeof path, "%s/%s", fed->root, name);
    unlink (path);
    const char *args[] = {"audit", "prove", "--cert", cert, "--trust",
                          fed->trust,
                          "--root", xt_fed_anchor (fed),
                          "--out", path, "--json",
                          size ? "--size" : NULL, size, NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, args), 0);
    xt_assert_has (out, "\"valid\": true");
    return path;
}

static int
s_proof_verify (const char *path, const char *cert, char *out, size_t len)
{
    const char *args[] = {"proof", "verify", path, "--trust", fed->trust,
                          "--root", xt_fed_anchor (fed),
                          "--json", cert ? "--cert" : NULL, cert, NULL};
    return xt_fed_cli (fed, -1, out, len, args);
}

/*  The bundle's bytes, from its armor. */
static uint8_t *
s_bundle (const char *path, size_t *len)
{
    FILE *f = fopen (path, "r");
    assert_non_null (f);
    char text[65536];
    size_t n = fread (text, 1, sizeof text, f);
    fclose (f);
    uint8_t *b = NULL;
    char why[256];
    assert_int_equal (xc_armor_decode (text, n, XC_ARMOR_PROOF, &b, len, why,
                                       sizeof why), 0);
    return b;
}

static void
s_write_bundle (const char *path, const uint8_t *b, size_t len)
{
    char *text = NULL;
    assert_int_equal (xc_armor_encode (XC_ARMOR_PROOF, b, len, &text), 0);
    FILE *f = fopen (path, "w");
    assert_non_null (f);
    fputs (text, f);
    fclose (f);
    free (text);
}

/*  A copy of the bundle at path with byte at flipped, saved as tampered:
    proof verify refuses it, saying reason. */
static void
s_expect_tamper (const char *path, size_t at, const char *reason)
{
    size_t len;
    uint8_t *b = s_bundle (path, &len);
    assert_true (at < len);
    b[at] ^= 0x01;
    char bad[PATH_MAX], out[16384];
    snprintf (bad, sizeof bad, "%s/tampered.proof", fed->root);
    s_write_bundle (bad, b, len);
    free (b);
    assert_int_equal (s_proof_verify (bad, NULL, out, sizeof out), 1);
    xt_assert_has (out, "\"valid\": false");
    xt_assert_has (out, reason);
}

static void
test_bundle_verifies (void **state)
{
    char out[16384];
    const char *path = s_prove_out (cert_path, "a.proof", NULL);
    assert_int_equal (s_proof_verify (path, NULL, out, sizeof out), 0);
    xt_assert_has (out, "\"valid\": true");
    xt_assert_has (out, "\"node\": \"341002\"");
    xt_assert_has (out, "\"leaf_hash\": \"");
    xt_assert_has (out, "\"path\": [");
    xt_assert_has (out, "\"checkpoint\": \"");
    assert_int_equal (s_proof_verify (path, cert_path, out, sizeof out), 0);
    const char *human[] = {"proof", "verify", path, "--trust", fed->trust,
                           "--root", xt_fed_anchor (fed),
                           NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, human), 0);
    xt_assert_has (out, "VALID: the certificate is entry ");
    //  --out never overwrites.
    const char *again[] = {"audit", "prove", "--cert", cert_path, "--trust",
                           fed->trust,
                           "--root", xt_fed_anchor (fed), "--out", path, NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, again), 1);
}

static void
test_bundle_tampered (void **state)
{
    const char *path = s_prove_out (cert_path, "t.proof", NULL);
    char keep[PATH_MAX];
    snprintf (keep, sizeof keep, "%s", path);
    size_t len;
    uint8_t *b = s_bundle (keep, &len);
    size_t entry_len = xc_get_u32 (b + 16);
    size_t cp = 20 + entry_len;
    free (b);
    //  A byte of the entry's header (its time): another leaf.
    s_expect_tamper (keep, 20 + 15, "proof.path: does not lead from entry ");
    //  A byte of the certificate inside the entry: its signature.
    s_expect_tamper (keep, 20 + entry_len - 1, "certificate: ");
    //  A hash of the path.
    s_expect_tamper (keep, cp + XC_CHECKPOINT_LEN + 1 + 3,
                     "proof.path: does not lead");
    //  The checkpoint's root, and its signature.
    s_expect_tamper (keep, cp + 9 + 4, "proof.checkpoint: ");
    s_expect_tamper (keep, cp + XC_CHECKPOINT_SIGNED + 4,
                     "proof.checkpoint: ");
    //  Bytes after the path.
    b = s_bundle (keep, &len);
    uint8_t *longer = malloc (len + 1);
    memcpy (longer, b, len);
    longer[len] = 0;
    char bad[PATH_MAX], out[16384];
    snprintf (bad, sizeof bad, "%s/longer.proof", fed->root);
    s_write_bundle (bad, longer, len + 1);
    free (longer);
    assert_int_equal (s_proof_verify (bad, NULL, out, sizeof out), 1);
    xt_assert_has (out, "proof.path: ");
    free (b);

    //  Another certificate of the same node: a --cert of it is refused,
    //  and so is its entry put in this bundle's place.
    const char *other = s_cert_from (TUNXI, "34100219850101123", "b.pem");
    char other_path[PATH_MAX];
    snprintf (other_path, sizeof other_path, "%s", other);
    assert_int_equal (s_proof_verify (keep, other_path, out, sizeof out), 1);
    xt_assert_has (out, "the bundle is about another certificate");
    usleep (2500 * 1000);   /* a checkpoint over it */
    size_t olen;
    uint8_t *o = s_bundle (s_prove_out (other_path, "b.proof", NULL), &olen);
    b = s_bundle (keep, &len);
    size_t oentry = xc_get_u32 (o + 16);
    size_t mixed_len = 20 + oentry + (len - 20 - entry_len);
    uint8_t *mixed = malloc (mixed_len);
    memcpy (mixed, o, 20 + oentry);
    xc_put_u64 (mixed + 8, xc_get_u64 (b + 8));
    memcpy (mixed + 20 + oentry, b + 20 + entry_len, len - 20 - entry_len);
    s_write_bundle (bad, mixed, mixed_len);
    assert_int_equal (s_proof_verify (bad, NULL, out, sizeof out), 1);
    xt_assert_has (out, "proof.path: does not lead");
    free (mixed);
    free (o);
    free (b);
}

static void
test_bundle_older_checkpoint (void **state)
{
    char out[16384], size[32];
    assert_int_equal (s_proof_verify (s_prove_out (cert_path, "old.proof",
                                                   NULL),
                                      NULL, out, sizeof out), 0);
    unsigned long long first = xt_json_uint (out, "\"tree_size\": ");
    //  The log grows, an export signs a newer checkpoint; the latest
    //  proof is under it, and --size still proves under the first.
    s_cert_from (TUNXI, "34100219870101123", "c.pem");
    char exp[PATH_MAX];
    snprintf (exp, sizeof exp, "%s/tunxi.audit", fed->root);
    const char *args[] = {"audit", "export", "--out", exp, NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, args), 0);
    assert_int_equal (s_proof_verify (s_prove_out (cert_path, "new.proof",
                                                   NULL),
                                      NULL, out, sizeof out), 0);
    assert_true (xt_json_uint (out, "\"tree_size\": ") > first);
    snprintf (size, sizeof size, "%llu", first);
    assert_int_equal (s_proof_verify (s_prove_out (cert_path, "old2.proof",
                                                   size),
                                      NULL, out, sizeof out), 0);
    assert_int_equal (xt_json_uint (out, "\"tree_size\": "), first);
    //  A size no checkpoint has.
    const char *bad[] = {"audit", "prove", "--cert", cert_path, "--trust",
                         fed->trust,
                         "--root", xt_fed_anchor (fed),
                         "--size", "1", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, bad), 1);
    xt_assert_has (out, "no checkpoint of size 1 covering entry ");
}

/*  The gate for a compromised key, on the trust list as part anchor's
    loader will fill it (revoked_reason, trusted_size, trusted_root of the
    certificate's key; set here on the loaded list). */
static void
test_bundle_compromised_key (void **state)
{
    size_t len;
    uint8_t *bytes = s_bundle (s_prove_out (cert_path, "c.proof", NULL),
                               &len);
    char why[512] = "";
    xc_trust_t *trust = xc_trust_load (fed->trust, why, sizeof why);
    assert_non_null (trust);
    xc_proof_bundle_t *b = calloc (1, sizeof *b);
    assert_int_equal (xc_proof_bundle_verify (bytes, len, trust, xc_now_ms (),
                                              b, why, sizeof why), 0);
    assert_int_equal (b->compromised, 0);
    xc_trust_key_t *key = NULL;
    for (size_t i = 0; i < xc_trust_key_count (trust); i++)
        if (strcmp (xc_trust_key_at (trust, i)->node, "341002") == 0)
            key = (xc_trust_key_t *) xc_trust_key_at (trust, i);
    assert_non_null (key);
    key->revoked_reason = XC_REVOKED_COMPROMISED;
    //  No trusted checkpoint: nothing it signed is believed.
    assert_int_equal (xc_proof_bundle_verify (bytes, len, trust, xc_now_ms (),
                                              b, why, sizeof why),
                      XC_EUNKNOWN);
    xt_assert_has (why, "holds no trusted checkpoint");
    //  Another checkpoint than the trusted one.
    key->trusted_size = b->cp.tree_size + 1;
    memcpy (key->trusted_root, b->cp.root, 32);
    assert_int_equal (xc_proof_bundle_verify (bytes, len, trust, xc_now_ms (),
                                              b, why, sizeof why),
                      XC_EUNKNOWN);
    xt_assert_has (why, "a proof is accepted only under its trusted "
                   "checkpoint");
    key->trusted_size = b->cp.tree_size;
    key->trusted_root[5] ^= 1;
    assert_int_equal (xc_proof_bundle_verify (bytes, len, trust, xc_now_ms (),
                                              b, why, sizeof why),
                      XC_EUNKNOWN);
    //  Exactly the trusted checkpoint: accepted, and said so.
    key->trusted_root[5] ^= 1;
    assert_int_equal (xc_proof_bundle_verify (bytes, len, trust, xc_now_ms (),
                                              b, why, sizeof why), 0);
    assert_int_equal (b->compromised, 1);
    //  The certificate's own signature still counts.
    bytes[20 + xc_get_u32 (bytes + 16) - 1] ^= 1;
    assert_int_not_equal (xc_proof_bundle_verify (bytes, len, trust,
                                                  xc_now_ms (), b, why,
                                                  sizeof why), 0);
    free (b);
    free (bytes);
    xc_trust_destroy (&trust);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_prove_home_node),
        cmocka_unit_test (test_prove_other_node),
        cmocka_unit_test (test_prove_before_checkpoint),
        cmocka_unit_test (test_bundle_verifies),
        cmocka_unit_test (test_bundle_tampered),
        cmocka_unit_test (test_bundle_older_checkpoint),
        cmocka_unit_test (test_bundle_compromised_key),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
