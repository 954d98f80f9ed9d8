/*  itest_trust_edit.c - the xiecha trust commands that make, change and
    sign a list.

    add-key / revoke-key edit the list's text: comments and layout stay,
    the change loads, and a change that would not load leaves the file
    byte for byte as it was.  create / add-node / remove-node build a
    list from nothing that real daemons run on: a query between two
    nodes is answered, and after a node is removed, the list re-signed
    with sign --bump and the other node sent SIGHUP, the removed node's
    queries are refused.  sign --serial / --bump write the header in
    place before signing.  Every refusal leaves the file (and its
    signature) as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <unistd.h>

#include "xt_fed.h"

static xt_fed_t *fed;

static char *
s_slurp (const char *path)
{
    FILE *f = fopen (path, "r");
    assert_non_null (f);
    char *text = calloc (1, 65536);
    assert_non_null (text);
    size_t got = fread (text, 1, 65535, f);
    text[got] = '\0';
    fclose (f);
    return text;
}

static void
test_add_and_revoke_keep_layout (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 1500);
    /* A comment and a blank line that must survive. */
    FILE *f = fopen (fed->trust, "a");
    assert_non_null (f);
    fputs ("\n# keep this comment\n", f);
    fclose (f);

    xc_key_t *key = xc_key_generate ();
    uint8_t pub[XC_PUBKEY_LEN];
    char hex[2 * XC_PUBKEY_LEN + 1], id[XC_KEY_ID_LEN + 1], out[8192];
    xc_key_public (key, pub);
    xc_hex (pub, sizeof pub, hex);
    xc_key_id (pub, id);
    xc_key_destroy (&key);

    char *before = s_slurp (fed->trust);
    const char *add[] = {"trust", "add-key", fed->trust, "--node", "469021",
                         "--public", hex, "--not-before", "2026-01-01",
                         "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, add), 0);
    assert_non_null (strstr (out, "\"resign_needed\": false"));
    char *after = s_slurp (fed->trust);
    assert_non_null (strstr (after, "# keep this comment"));
    /* The new block sits inside 469021's section, before 341002's. */
    char *blk = strstr (after, hex);
    assert_non_null (blk);
    assert_true (blk < strstr (after, "code = \"341002\""));
    assert_non_null (strstr (after,
                             "            not_before = \"2026-01-01T00:00:00Z\""));

    /* The same key again: would not load, file untouched. */
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, add), 1);
    char *again = s_slurp (fed->trust);
    assert_string_equal (again, after);
    free (again);

    /* Revoke, then move the instant: one revoked_at line, replaced. */
    const char *rev1[] = {"trust", "revoke-key", fed->trust, "--key", id,
                          "--at", "2026-03-01T12:00:00Z", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, rev1), 0);
    const char *rev2[] = {"trust", "revoke-key", fed->trust, "--key", id,
                          "--at", "2026-04-01T12:00:00.750Z", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, rev2), 0);
    char *revoked = s_slurp (fed->trust);
    assert_null (strstr (revoked, "2026-03-01T12:00:00Z"));
    char *line = strstr (revoked, "revoked_at = \"2026-04-01T12:00:00Z\"");
    assert_non_null (line);
    assert_null (strstr (line + 1, "revoked_at"));
    char why[256];
    xc_trust_t *t = xc_trust_load (fed->trust, why, sizeof why);
    assert_non_null (t);
    assert_true (xc_trust_key (t, id)->revoked_at > 0);
    /* No --reason: written out as compromised, the safe reading. */
    assert_int_equal (xc_trust_key (t, id)->revoked_reason,
                      XC_REVOKED_COMPROMISED);
    assert_non_null (strstr (revoked, "revoked_reason = \"compromised\""));
    xc_trust_destroy (&t);

    /* A compromised key's trusted checkpoint; a bad one, or one with a
       retired key, is refused and the file untouched. */
    static const char *const cp = "12:0123456789abcdef0123456789abcdef"
                                  "0123456789abcdef0123456789abcdef";
    const char *rev_cp[] = {"trust", "revoke-key", fed->trust, "--key", id,
                            "--at", "2026-04-01T12:00:00Z", "--reason",
                            "compromised", "--trusted-checkpoint", cp,
                            "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, rev_cp), 0);
    assert_non_null (strstr (out, "\"revoked_reason\": \"compromised\""));
    t = xc_trust_load (fed->trust, why, sizeof why);
    assert_non_null (t);
    assert_int_equal (xc_trust_key (t, id)->trusted_size, 12);
    xc_trust_destroy (&t);
    char *with_cp = s_slurp (fed->trust);
    const char *bad_cp[] = {"trust", "revoke-key", fed->trust, "--key", id,
                            "--at", "2026-04-01T12:00:00Z",
                            "--trusted-checkpoint", "12:beef", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, bad_cp), 1);
    const char *retired_cp[] = {"trust", "revoke-key", fed->trust, "--key",
                                id, "--at", "2026-04-01T12:00:00Z",
                                "--reason", "retired",
                                "--trusted-checkpoint", cp, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, retired_cp), 2);
    const char *lost[] = {"trust", "revoke-key", fed->trust, "--key", id,
                          "--at", "2026-04-01T12:00:00Z", "--reason", "lost",
                          NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, lost), 2);
    char *same = s_slurp (fed->trust);
    assert_string_equal (same, with_cp);
    free (same);
    free (with_cp);
    free (revoked);
    revoked = s_slurp (fed->trust);

    /* Revoked before not_before: refused, untouched. */
    const char *early[] = {"trust", "revoke-key", fed->trust, "--key", id,
                           "--at", "2025-01-01", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, early), 1);
    char *still = s_slurp (fed->trust);
    assert_string_equal (still, revoked);
    free (still);

    /* Unknown node or key, bad options: usage errors. */
    const char *nonode[] = {"trust", "add-key", fed->trust, "--node",
                            "111111", "--public", hex, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, nonode), 2);
    const char *nokey[] = {"trust", "revoke-key", fed->trust, "--key",
                           "0000000000000000", "--at", "2026-01-01", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, nokey), 2);
    const char *mixed[] = {"trust", "revoke-key", fed->trust, "--key", id,
                           "--at", "2026-01-01", "--node", "469021", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, mixed), 2);

    /* A signed list: the reminder is in the JSON. */
    xt_fed_write (fed, "trust.zpl.sig", "x\n");
    const char *rev3[] = {"trust", "revoke-key", fed->trust, "--key", id,
                          "--at", "2026-05-01", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, rev3), 0);
    assert_non_null (strstr (out, "\"resign_needed\": true"));

    free (before);
    free (after);
    free (revoked);
    xt_fed_destroy (&fed);
}

/*  Node i's public signing key (hex) and CURVE key (Z85), from the files
    the harness made, as an operator would take them from keygen. */
static void
s_node_keys (size_t i, char pub[2 * XC_PUBKEY_LEN + 1], char curve[41])
{
    char path[PATH_MAX], why[256];
    snprintf (path, sizeof path, "%s/sign.key", fed->nodes[i].dir);
    xc_key_t *key = xc_key_load (path, why, sizeof why);
    if (!key)
        fail_msg ("%s", why);
    uint8_t raw[XC_PUBKEY_LEN];
    xc_key_public (key, raw);
    xc_hex (raw, sizeof raw, pub);
    xc_key_destroy (&key);
    snprintf (path, sizeof path, "%s/curve.cert", fed->nodes[i].dir);
    zcert_t *cert = zcert_load (path);
    assert_non_null (cert);
    snprintf (curve, 41, "%s", zcert_public_txt (cert));
    zcert_destroy (&cert);
}

/*  xiecha trust add-node for harness node i; curve_hex gives the CURVE
    key in hex rather than Z85. */
static int
s_add_node (size_t i, int curve_hex, char *out, size_t out_len)
{
    char pub[2 * XC_PUBKEY_LEN + 1], curve[41], name[32], hex[65];
    s_node_keys (i, pub, curve);
    if (curve_hex) {
        uint8_t raw[32];
        assert_non_null (zmq_z85_decode (raw, curve));
        xc_hex (raw, sizeof raw, hex);
    }
    snprintf (name, sizeof name, "County %s", fed->nodes[i].code);
    const char *args[] = {"trust", "add-node", fed->trust, "--code",
                          fed->nodes[i].code, "--name", name, "--endpoint",
                          fed->nodes[i].endpoint, "--curve",
                          curve_hex ? hex : curve, "--public", pub, "--json",
                          NULL};
    return xt_fed_cli (fed, -1, out, out_len, args);
}

/*  Replaces the first `from` in the list by `to`, as an operator editing
    by hand would (to raise the serial, say). */
static void
s_replace (const char *from, const char *to)
{
    char *text = s_slurp (fed->trust), *at = strstr (text, from);
    assert_non_null (at);
    FILE *f = fopen (fed->trust, "w");
    assert_non_null (f);
    fprintf (f, "%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
    assert_int_equal (fclose (f), 0);
    free (text);
}

static void
s_sign (void)
{
    char key[PATH_MAX];
    snprintf (key, sizeof key, "%s/root.key", fed->root);
    const char *sign[] = {"trust", "sign", fed->trust, "--key", key, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, NULL, 0, sign), 0);
}

static void
s_set_root (size_t i, const char *hex)
{
    zconfig_t *config = zconfig_load (fed->nodes[i].config);
    assert_non_null (config);
    zconfig_put (config, "trust/root", hex);
    assert_int_equal (zconfig_save (config, fed->nodes[i].config), 0);
    zconfig_destroy (&config);
}

/*  A list made only by create and add-node, signed with a new root key;
    both nodes configured to demand that signature.  Returns the root's
    public key in root_hex. */
static void
s_build_signed_list (char root_hex[2 * XC_PUBKEY_LEN + 2])
{
    char out[8192], key[PATH_MAX];
    /* The harness wrote a list; begin again from nothing. */
    assert_int_equal (unlink (fed->trust), 0);
    const char *create[] = {"trust", "create", fed->trust, "--serial", "3",
                            NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, create), 0);
    assert_int_equal (s_add_node (0, 0, out, sizeof out), 0);
    assert_non_null (strstr (out, "\"resign_needed\": true"));
    assert_int_equal (s_add_node (1, 1, out, sizeof out), 0);

    snprintf (key, sizeof key, "%s/root.key", fed->root);
    const char *keygen[] = {"trust", "root-keygen", "--out", key, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, keygen), 0);
    snprintf (root_hex, 2 * XC_PUBKEY_LEN + 1, "%s", out);
    s_sign ();
    const char *verify[] = {"trust", "verify", fed->trust, "--root",
                            root_hex, "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, verify), 0);
    assert_non_null (strstr (out, "\"signature_ok\": true"));
    assert_non_null (strstr (out, "\"serial\": 3"));
    for (size_t i = 0; i < fed->count; i++)
        s_set_root (i, root_hex);
}

/*  The list holds exactly harness nodes first..first+count-1, each with
    its own endpoint, CURVE key and signing key. */
static void
s_expect_nodes (size_t first, size_t count)
{
    char why[512], pub[2 * XC_PUBKEY_LEN + 1], curve[41];
    char id[XC_KEY_ID_LEN + 1];
    xc_trust_t *t = xc_trust_load (fed->trust, why, sizeof why);
    if (!t)
        fail_msg ("%s", why);
    assert_int_equal (xc_trust_size (t), count);
    assert_int_equal (xc_trust_key_count (t), count);
    for (size_t i = first; i < first + count; i++) {
        s_node_keys (i, pub, curve);
        const xc_trust_node_t *n = xc_trust_node (t, fed->nodes[i].code);
        assert_non_null (n);
        assert_string_equal (n->curve, curve);
        assert_string_equal (n->endpoint, fed->nodes[i].endpoint);
        uint8_t raw[XC_PUBKEY_LEN];
        assert_int_equal (xc_unhex (pub, raw, sizeof raw), 0);
        xc_key_id (raw, id);
        const xc_trust_key_t *k = xc_trust_key (t, id);
        assert_non_null (k);
        assert_string_equal (k->node, fed->nodes[i].code);
    }
    xc_trust_destroy (&t);
}

/*  Asks 341002 from 469021 through the CLI; returns the exit status. */
static int
s_query (char *err, size_t err_len)
{
    const char *query[] = {"query", "--id", xt_id ("34100219800101123"),
                           "--name", "Li Lei", "--home", "341002",
                           "--program", "dibao", "--json", NULL};
    return xt_fed_cli (fed, 0, err, err_len, query);
}

static void
test_built_list_serves_then_drops_a_node (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 1500);
    char root_hex[2 * XC_PUBKEY_LEN + 2], out[8192];
    s_build_signed_list (root_hex);
    s_expect_nodes (0, 2);

    for (size_t i = 0; i < fed->count; i++)
        xt_fed_start (fed, i);
    if (s_query (out, sizeof out) != 0)
        fail_msg ("query on the built list: %s", out);
    assert_non_null (strstr (out, "341002"));

    /* 469021 leaves the federation: removed, serial raised, signed. */
    const char *remove[] = {"trust", "remove-node", fed->trust, "--code",
                            "469021", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, remove), 0);
    assert_non_null (strstr (out, "\"keys_removed\": 1"));
    assert_non_null (strstr (out, "\"resign_needed\": true"));
    const char *bump[] = {"trust", "sign", fed->trust, "--key", NULL,
                          "--bump", NULL};
    char key[PATH_MAX];
    snprintf (key, sizeof key, "%s/root.key", fed->root);
    bump[4] = key;  /* raises the serial, then signs */
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, bump), 0);
    assert_non_null (strstr (out, "serial 3 -> 4"));
    s_expect_nodes (1, 1);

    assert_int_equal (kill (fed->nodes[1].pid, SIGHUP), 0);
    for (int t = 0; t < 50 && !xt_fed_log_count (fed, 1, "trust list reloaded");
         t++)
        zclock_sleep (100);
    if (xt_fed_log_count (fed, 1, "trust list reloaded: serial 4, 1 nodes")
        != 1)
        fail_msg ("341002 did not reload; see %s", fed->nodes[1].log);

    /* 469021 still runs on its old list, but 341002 no longer knows it:
       the query comes over the connection 469021 already has (a reload
       drops none), and is refused for its unknown signing key.  A new
       connection would already fail the CURVE handshake.  A signed
       refusal by the registration node is exit 5. */
    int rc = s_query (out, sizeof out);
    if (rc != 5)
        fail_msg ("query from the removed node: exit %d: %s", rc, out);
    assert_non_null (strstr (out, "not in the trust list"));
    assert_true (xt_fed_log_count (fed, 1, "refused message from 469021") >= 1);
    xt_fed_destroy (&fed);
}

/*  Runs args and expects status; the list must not have changed. */
static void
s_refused (const char *const *args, int status, const char *before)
{
    char out[4096];
    int rc = xt_fed_cli (fed, -1, out, sizeof out, args);
    if (rc != status)
        fail_msg ("%s %s: exit %d, expected %d: %s", args[1], args[3], rc,
                  status, out);
    char *now = s_slurp (fed->trust);
    assert_string_equal (now, before);
    free (now);
}

static void
test_node_edits_refused (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 1500);
    char out[4096], pub[2 * XC_PUBKEY_LEN + 1], curve[41];
    assert_int_equal (unlink (fed->trust), 0);
    const char *create[] = {"trust", "create", fed->trust, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, create), 0);
    /* A fresh list loads, names nobody, and is not signed yet. */
    char *fresh = s_slurp (fed->trust);
    s_refused (create, 2, fresh);
    char key[PATH_MAX];
    snprintf (key, sizeof key, "%s/root.key", fed->root);
    const char *keygen[] = {"trust", "root-keygen", "--out", key, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, keygen), 0);
    const char *sign[] = {"trust", "sign", fed->trust, "--key", key, NULL};
    s_refused (sign, 1, fresh);
    free (fresh);

    assert_int_equal (s_add_node (0, 0, out, sizeof out), 0);
    assert_int_equal (s_add_node (1, 0, out, sizeof out), 0);
    /* Comments an operator wrote between the nodes and at the end. */
    s_replace ("    node\n        code = \"341002\"",
                    "# between the nodes\n"
                    "    node\n        code = \"341002\"");
    FILE *f = fopen (fed->trust, "a");
    fputs ("# at the end\n", f);
    fclose (f);
    char *before = s_slurp (fed->trust);

    /* Duplicate code, bad fields, an unknown code: each refused. */
    assert_int_equal (s_add_node (1, 0, out, sizeof out), 1);
    assert_non_null (strstr (out, "already listed"));
    s_node_keys (1, pub, curve);
    const char *base[] = {"trust", "add-node", fed->trust, "--code", "469028",
                          "--name", "Lingshui", "--endpoint",
                          "tcp://127.0.0.1:7103", "--curve", curve,
                          "--public", pub, NULL};
    s_refused (base, 1, before);   /* its keys belong to 341002 */
    const char *endpoint[] = {"trust", "add-node", fed->trust, "--code",
                              "469028", "--name", "Lingshui", "--endpoint",
                              "tcp://127.0.0.1", "--curve", curve,
                              "--public", pub, NULL};
    s_refused (endpoint, 2, before);
    const char *code[] = {"trust", "add-node", fed->trust, "--code", "990000",
                          "--name", "Nowhere", "--endpoint", "tcp://h:1",
                          "--curve", curve, "--public", pub, NULL};
    s_refused (code, 2, before);
    const char *curve_bad[] = {"trust", "add-node", fed->trust, "--code",
                               "469028", "--name", "Lingshui", "--endpoint",
                               "tcp://h:1", "--curve", "short", "--public",
                               pub, NULL};
    s_refused (curve_bad, 2, before);
    const char *unknown[] = {"trust", "remove-node", fed->trust, "--code",
                             "469028", NULL};
    s_refused (unknown, 2, before);

    /* Removing the first node keeps the comments outside its section. */
    const char *remove[] = {"trust", "remove-node", fed->trust, "--code",
                            "469021", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, remove), 0);
    assert_non_null (strstr (out, "node 469021 (County 469021) removed"));
    char *after = s_slurp (fed->trust);
    assert_non_null (strstr (after, "# between the nodes\n    node\n"));
    assert_non_null (strstr (after, "# at the end\n"));
    assert_non_null (strstr (after, "# Trust list begun with"));
    assert_null (strstr (after, "469021"));
    free (after);
    s_expect_nodes (1, 1);
    free (before);
    xt_fed_destroy (&fed);
}

/*  Replaces the whole line that begins with start by line. */
static void
s_replace_line (const char *start, const char *line)
{
    char *text = s_slurp (fed->trust), *at = strstr (text, start);
    assert_non_null (at);
    size_t len = strcspn (at, "\n");
    char old[256];
    assert_true (len < sizeof old);
    memcpy (old, at, len);
    old[len] = '\0';
    free (text);
    s_replace (old, line);
}

/*  Runs `trust sign LIST --key ROOT` plus args; returns the exit status,
    stdout in out. */
static int
s_sign_with (char *out, size_t out_len, const char *a1, const char *a2,
             const char *a3, const char *a4)
{
    char key[PATH_MAX];
    snprintf (key, sizeof key, "%s/root.key", fed->root);
    const char *args[] = {"trust", "sign", fed->trust, "--key", key, a1, a2,
                          a3, a4, NULL};
    return xt_fed_cli (fed, -1, out, out_len, args);
}

/*  The list's header as loaded: serial, issued and next_update. */
static void
s_header (uint64_t *serial, uint64_t *issued, uint64_t *next)
{
    char why[512];
    xc_trust_t *t = xc_trust_load (fed->trust, why, sizeof why);
    if (!t)
        fail_msg ("%s", why);
    *serial = xc_trust_serial (t);
    *issued = xc_trust_issued (t);
    *next = xc_trust_next_update (t);
    xc_trust_destroy (&t);
}

/*  sign --serial / --bump: the header written in place (comments stay),
    issued now, next_update as asked or kept; the result verifies; a
    serial not above the list's, or a next_update not ahead, is refused
    with list and signature left as they were. */
static void
test_sign_raises_serial (void **state)
{
    const char *codes[] = {"469021"};
    fed = xt_fed_new (codes, 1, 1500);
    char out[4096], root_hex[2 * XC_PUBKEY_LEN + 2], key[PATH_MAX];
    snprintf (key, sizeof key, "%s/root.key", fed->root);
    const char *keygen[] = {"trust", "root-keygen", "--out", key, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, keygen), 0);
    snprintf (root_hex, 2 * XC_PUBKEY_LEN + 1, "%s", out);

    /* The harness's list has no header: plain sign refuses, --serial
       writes one, after `version`. */
    assert_int_equal (s_sign_with (out, sizeof out, NULL, NULL, NULL, NULL),
                      1);
    uint64_t t0 = xc_now_ms () / 1000 * 1000, serial, issued, next;
    assert_int_equal (s_sign_with (out, sizeof out, "--serial", "7",
                                   "--valid-days", "10"), 0);
    assert_non_null (strstr (out, "serial 0 -> 7"));
    s_header (&serial, &issued, &next);
    assert_int_equal (serial, 7);
    assert_true (issued >= t0 && issued <= xc_now_ms ());
    assert_int_equal (next - issued, 10ULL * 24 * 3600 * 1000);
    char *text = s_slurp (fed->trust);
    assert_non_null (strstr (text, "    version = 1\n    serial = 7\n"
                                   "    issued = \""));
    free (text);

    /* --bump keeps comments, the one on the serial line too, and the
       next_update still ahead. */
    s_replace ("serial = 7", "serial = 7   # raised by sign");
    s_replace ("trust\n", "trust\n# the federation's list\n");
    assert_int_equal (s_sign_with (out, sizeof out, "--bump", "--json", NULL,
                                   NULL), 0);
    assert_non_null (strstr (out, "\"serial\": 8"));
    assert_non_null (strstr (out, "\"previous_serial\": 7"));
    text = s_slurp (fed->trust);
    assert_non_null (strstr (text, "    serial = 8   # raised by sign\n"));
    assert_non_null (strstr (text, "# the federation's list\n"));
    uint8_t digest[XC_HASH_LEN];
    char hex[2 * XC_HASH_LEN + 1], field[128];
    xc_sha256 (text, strlen (text), digest);
    xc_hex (digest, sizeof digest, hex);
    snprintf (field, sizeof field, "\"sha256\": \"%s\"", hex);
    assert_non_null (strstr (out, field));
    free (text);
    uint64_t next8;
    s_header (&serial, &issued, &next8);
    assert_int_equal (next8, next);
    const char *verify[] = {"trust", "verify", fed->trust, "--root",
                            root_hex, "--min-serial", "8", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, verify), 0);

    /* Refused, list and signature untouched. */
    char sig[PATH_MAX];
    snprintf (sig, sizeof sig, "%s.sig", fed->trust);
    char *before = s_slurp (fed->trust), *sig_before = s_slurp (sig);
    const char *bad[][4] = {
        {"--serial", "8", NULL, NULL},           /* not above 8 */
        {"--serial", "3", NULL, NULL},
        {"--bump", "--serial", "9", NULL},       /* one or the other */
        {"--valid-days", "5", NULL, NULL},       /* needs a new serial */
        {"--bump", "--next-update", "2020-01-01", NULL},
        {"--bump", "--valid-days", "0", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = s_sign_with (out, sizeof out, bad[i][0], bad[i][1],
                              bad[i][2], bad[i][3]);
        if (rc != 2)
            fail_msg ("sign %s %s: exit %d, expected 2", bad[i][0],
                      bad[i][1], rc);
        char *now = s_slurp (fed->trust), *sig_now = s_slurp (sig);
        assert_string_equal (now, before);
        assert_string_equal (sig_now, sig_before);
        free (now);
        free (sig_now);
    }
    free (before);
    free (sig_before);

    /* A next_update that has passed is not carried into a new list. */
    s_replace_line ("    issued = ", "    issued = \"2020-01-01T00:00:00Z\"");
    s_replace_line ("    next_update = ",
                    "    next_update = \"2020-01-02T00:00:00Z\"");
    before = s_slurp (fed->trust);
    assert_int_equal (s_sign_with (out, sizeof out, "--bump", NULL, NULL,
                                   NULL), 2);
    text = s_slurp (fed->trust);
    assert_string_equal (text, before);
    free (text);
    assert_int_equal (s_sign_with (out, sizeof out, "--bump", "--next-update",
                                   "2036-01-01", NULL), 0);
    s_header (&serial, &issued, &next);
    assert_int_equal (serial, 9);
    assert_int_equal (next, 2082758400000ULL);
    free (before);
    xt_fed_destroy (&fed);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_add_and_revoke_keep_layout),
        cmocka_unit_test (test_node_edits_refused),
        cmocka_unit_test (test_built_list_serves_then_drops_a_node),
        cmocka_unit_test (test_sign_raises_serial),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
