/*  itest_peer_limits.c - what one trusted peer may cost another node,
    against real daemons: the rogue node (460000) holds valid keys and
    floods Tunxi with refused messages, then enumerates subjects, while
    Ding'an, a well-behaved peer, goes on asking.

    Tunxi keeps 5 refusals of a peer a minute (audit_refused_per_minute),
    lets a peer look up 1 subject a second with a burst of 256 (four full
    queries), and lets messages through freely, so each refusal below is
    of the kind the test sends. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xiecha/bytes.h"
#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1 };

#define S_BUDGET 5
#define S_FLOOD 100            /* messages of each kind */
#define S_JUNK (200 * 1024)    /* bytes of each junk message */
#define S_QUERY 64             /* limits/query_subjects: a full query */

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    /* The deadline is long: Ding'an must be answered, however slowly a
       loaded test machine lets the flood through. */
    xt_fed_opts_t o = {.codes = codes, .count = 2, .rogue = true,
                       .deadline_ms = 30000,
                       .limits = "    audit_refused_per_minute = 5\n"
                                 "    peer_messages_per_s = 100000\n"
                                 "    peer_messages_burst = 100000\n"
                                 "    peer_subjects_per_s = 1\n"
                                 "    peer_subjects_burst = 256\n"
                                 "    query_subjects = 64\n"};
    fed = xt_fed_new_opts (&o);
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/* --------------------------------------------------------------------------
   Helpers
   -------------------------------------------------------------------------- */

/*  The rogue's counters in node's status (zeros when not listed). */
static Xiecha__PeerLoad
s_rogue_load (size_t node)
{
    Xiecha__StatusReply *st = xt_fed_status (fed, node);
    Xiecha__PeerLoad load = XIECHA__PEER_LOAD__INIT;
    for (size_t i = 0; i < st->n_top_peers; i++)
        if (strcmp (st->top_peers[i]->node, XT_ROGUE) == 0)
            load = *st->top_peers[i];
    load.node = NULL;
    xiecha__status_reply__free_unpacked (st, NULL);
    return load;
}

/*  Waits until node has refused `want` messages of the rogue: the flood
    is sent, not yet necessarily read. */
static void
s_wait_refused (size_t node, uint64_t want)
{
    for (int i = 0; i < 600; i++) {
        if (s_rogue_load (node).refused >= want)
            return;
        zclock_sleep (100);
    }
    fail_msg ("node never refused %llu messages of the rogue",
              (unsigned long long) want);
}

/*  Ding'an asks Tunxi about someone: answered NOT_RECEIVING; how long
    it took is said, not judged. */
static void
s_dingan_asks (void)
{
    int64_t t0 = zclock_mono ();
    static const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {xt_id_next ("341002"), "Applicant"},
                    .programs = programs,
                    .program_count = 1};
    xc_answer_t a = {0};
    char why[512] = "";
    xc_client_t *c = xt_fed_client_ms (fed, DINGAN, 40000);
    int rc = xc_client_query (c, &q, &a, why, sizeof why);
    xc_client_destroy (&c);
    if (rc)
        fail_msg ("Ding'an's query was not answered: %s", why);
    assert_int_equal (a.cert->results[0]->status,
                      XIECHA__STATUS__NOT_RECEIVING);
    xc_answer_free (&a);
    fprintf (stderr, "Ding'an's query answered in %lld ms\n",
             (long long) (zclock_mono () - t0));
}

/*  A rogue query about n random subjects; caller frees. */
static uint8_t *
s_rogue_query (size_t n, uint64_t created_at, const uint8_t *msg_id,
               size_t *len)
{
    uint8_t *refs = malloc (n * XC_REF_LEN);
    assert_non_null (refs);
    xc_random (refs, n * XC_REF_LEN);
    uint8_t *bytes = NULL;
    xt_fed_rogue_query (fed, "341002", refs, n, created_at, msg_id, &bytes,
                        len);
    free (refs);
    return bytes;
}

/*  What the audit log holds from one peer, read from an export. */
typedef struct {
    uint64_t entries;          /* in the log */
    uint64_t bytes;            /* of entries after `after` from the peer:
                                  refused, repeated, summaries, errors */
    uint64_t refused_entries;  /* REFUSED entries among them */
    uint64_t summarised;       /* refusals the SUMMARY entries count */
} s_log_t;

/*  Exports node's log with the real CLI and sums, over entries after
    seq `after` whose peer is peer, what its refusals cost. */
static s_log_t
s_read_log (size_t node, uint64_t after, const char *peer)
{
    char path[PATH_MAX + 32];
    snprintf (path, sizeof path, "%s/export-%llu.xca", fed->root,
              (unsigned long long) after);
    const char *args[] = {"audit", "export", "--out", path, NULL};
    assert_int_equal (xt_fed_cli (fed, (int) node, NULL, 0, args), 0);
    FILE *f = fopen (path, "rb");
    assert_non_null (f);
    fseek (f, 0, SEEK_END);
    long size = ftell (f);
    rewind (f);
    uint8_t *buf = malloc ((size_t) size);
    assert_true (fread (buf, 1, (size_t) size, f) == (size_t) size);
    fclose (f);
    s_log_t log = {xc_get_u64 (buf + 8), 0, 0, 0};
    for (size_t at = 32; at + 9 <= (size_t) size;) {
        uint64_t seq = xc_get_u64 (buf + at);
        if (!buf[at + 8]) {
            at += 9 + 32;
            continue;
        }
        uint32_t len = xc_get_u32 (buf + at + 9);
        const uint8_t *e = buf + at + 13;
        at += 13 + len;
        uint8_t kind = e[1];
        size_t note_len = xc_get_u16 (e + 2);
        int refusal = kind == 4 || kind == 7 || kind == 10
                      || (kind == 3 && note_len == 5
                          && memcmp (e + 56, "error", 5) == 0);
        if (seq <= after || !refusal || strncmp ((const char *) e + 48, peer,
                                                 6) != 0)
            continue;
        log.bytes += len;
        log.refused_entries += kind == 4;
        if (kind == 10)
            log.summarised += xc_get_u64 (e + 56 + note_len);
    }
    free (buf);
    unlink (path);
    return log;
}

static uint64_t
s_file_size (const char *path)
{
    struct stat st;
    return stat (path, &st) == 0 ? (uint64_t) st.st_size : 0;
}

/* --------------------------------------------------------------------------
   The flood
   -------------------------------------------------------------------------- */

/*  Sends S_FLOOD each of: queries with a broken signature, replays of a
    used id with other bytes, and 200 KiB of junk; halfway, Ding'an asks
    and is answered. */
static void
s_flood (zsock_t *peer)
{
    size_t len;
    uint8_t id[XC_MSGID_LEN];
    xc_random (id, sizeof id);
    uint8_t *first = s_rogue_query (1, 0, id, &len);
    zframe_t *f = xt_exchange (peer, first, len, 5000);
    assert_non_null (f);   /* answered: the id is now used */
    zframe_destroy (&f);
    free (first);
    uint8_t *junk = malloc (S_JUNK);
    assert_non_null (junk);
    xc_random (junk, S_JUNK);
    for (int i = 0; i < S_FLOOD; i++) {
        uint8_t *bytes = s_rogue_query (1, 0, NULL, &len);
        bytes[len - 20] ^= 0x01;   /* inside the signature */
        zsock_send (peer, "b", bytes, len);
        free (bytes);
        bytes = s_rogue_query (1, xc_now_ms () + (uint64_t) i + 1, id, &len);
        zsock_send (peer, "b", bytes, len);
        free (bytes);
        zsock_send (peer, "b", junk, (size_t) S_JUNK);
        if (i == S_FLOOD / 2)
            s_dingan_asks ();
    }
    free (junk);
}

/*  Before, each of these was an audit entry with the message whole: 100
    junk messages alone were 20 MiB.  Now the log keeps S_BUDGET of the
    rogue's refusals a minute, each with a bounded prefix, counts the
    rest, and names them all in a summary at the latest on shutdown;
    Ding'an is answered throughout; the log verifies. */
static void
test_refusal_flood_is_bounded (void **state)
{
    char mdb[PATH_MAX + 16];
    snprintf (mdb, sizeof mdb, "%s/data/data.mdb", fed->nodes[TUNXI].dir);
    uint64_t mdb_before = s_file_size (mdb);
    Xiecha__StatusReply *st = xt_fed_status (fed, TUNXI);
    uint64_t before = st->audit_entries;
    uint64_t bound = st->limits->audit_bound_per_peer_hour;
    xiecha__status_reply__free_unpacked (st, NULL);
    uint64_t refused_before = s_rogue_load (TUNXI).refused;

    int64_t t0 = zclock_mono ();
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    s_flood (peer);
    s_wait_refused (TUNXI, refused_before + 3 * S_FLOOD);
    s_dingan_asks ();
    int64_t elapsed_ms = zclock_mono () - t0;

    Xiecha__PeerLoad load = s_rogue_load (TUNXI);
    s_log_t log = s_read_log (TUNXI, before, XT_ROGUE);
    /* The bound is an hour's 61 minutes; this ran in fewer. */
    uint64_t minutes = (uint64_t) elapsed_ms / 60000 + 1;
    uint64_t allowed = bound / 61 * (minutes + 1);
    fprintf (stderr, "flood of %d messages (%d of them %d KiB) in %lld ms: "
             "the rogue's refusals added %llu bytes of audit entries "
             "(%llu refused entries, bound %llu a minute, %llu an hour); "
             "data.mdb %llu -> %llu bytes\n", 3 * S_FLOOD, S_FLOOD,
             S_JUNK / 1024, (long long) elapsed_ms,
             (unsigned long long) log.bytes,
             (unsigned long long) log.refused_entries,
             (unsigned long long) bound / 61, (unsigned long long) bound,
             (unsigned long long) mdb_before,
             (unsigned long long) s_file_size (mdb));
    assert_true (log.bytes <= allowed);
    /* The file, pages and all, not just the entries: 20 MiB before. */
    assert_true (s_file_size (mdb) - mdb_before < 1024 * 1024);
    assert_true (log.refused_entries <= S_BUDGET * minutes);
    assert_true (load.unkept >= 3 * S_FLOOD - S_BUDGET * minutes);
    assert_true (xt_fed_log_count (fed, TUNXI, "refused message from 460000")
                 <= (int) (S_BUDGET * minutes));
    zsock_destroy (&peer);

    /* Status says who costs Tunxi most, for people and machines. */
    char out[8192];
    const char *text[] = {"status", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, text), 0);
    xt_assert_has (out, "top peers    460000 300 refused, 0 throttled");
    xt_assert_has (out, "audit: 5 refusals a minute kept, 4096-byte prefix");
    const char *json[] = {"status", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, json), 0);
    xt_assert_has (out, "\"node\": \"460000\"");
    xt_assert_has (out, "\"audit_refused_per_minute\": 5");

    /* On shutdown the counts are written: every refusal is in the log,
       one by one or in a summary. */
    xt_fed_stop (fed, TUNXI, 0);
    xt_fed_start (fed, TUNXI);
    log = s_read_log (TUNXI, before, XT_ROGUE);
    assert_int_equal (log.refused_entries + log.summarised, 3 * S_FLOOD);
    assert_true (xt_fed_log_count (fed, TUNXI, "beyond the budget") >= 1);

    char path[PATH_MAX + 32];
    snprintf (path, sizeof path, "%s/after-flood.xca", fed->root);
    const char *exp[] = {"audit", "export", "--out", path, NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, NULL, 0, exp), 0);
    const char *verify[] = {"audit", "verify", path, "--trust", fed->trust,
                            "--root", xt_fed_anchor (fed),
                            NULL};
    assert_int_equal (xt_fed_cli (fed, -1, NULL, 0, verify), 0);
    const char *replay[] = {"audit", "replay", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, NULL, 0, replay), 0);
    s_dingan_asks ();
}

/* --------------------------------------------------------------------------
   Enumeration
   -------------------------------------------------------------------------- */

/*  The rogue asks about 64 subjects a query, as fast as it is answered.
    Tunxi answers its burst (256 lookups: four queries) and then, until
    the bucket refills at one lookup a second, a signed ERR_RATE_LIMITED
    saying when to retry, without a lookup.  Ding'an, with a bucket of
    its own, is answered meanwhile.  A throttled query sent again is
    throttled again, not taken for a replay: it was never marked seen.
    Counted, not timed: answered <= burst + what the rate refilled. */
static void
test_enumeration_is_throttled (void **state)
{
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    int answered = 0, throttled = 0;
    uint8_t *last = NULL;
    size_t last_len = 0;
    int64_t t0 = zclock_mono ();
    for (int i = 0; i < 40; i++) {
        size_t len;
        uint8_t *bytes = s_rogue_query (S_QUERY, 0, NULL, &len);
        zframe_t *f = xt_exchange (peer, bytes, len, 5000);
        assert_non_null (f);
        xc_opened_t op = {0};
        char why[256];
        assert_int_equal (xc_envelope_open (zframe_data (f), zframe_size (f),
                                            &op, why, sizeof why), 0);
        if (op.msg->header->type == XIECHA__MSG_TYPE__MSG_CERTIFICATE)
            answered++;
        else {
            assert_int_equal (op.msg->header->type,
                              XIECHA__MSG_TYPE__MSG_ERROR);
            assert_int_equal (op.msg->error->code,
                              XIECHA__ERROR_CODE__ERR_RATE_LIMITED);
            xt_assert_has (op.msg->error->message, "subject lookups");
            xt_assert_has (op.msg->error->message, "retry in");
            throttled++;
            free (last);
            last = bytes;
            last_len = len;
            bytes = NULL;
        }
        xc_opened_free (&op);
        zframe_destroy (&f);
        free (bytes);
        if (i == 20)
            s_dingan_asks ();
    }
    int64_t elapsed_s = (zclock_mono () - t0) / 1000;
    fprintf (stderr, "enumeration: %d queries of 64 answered, %d throttled "
             "in %lld s\n", answered, throttled, (long long) elapsed_s);
    assert_true (answered >= 4);
    assert_true (answered <= 4 + (int) (elapsed_s / S_QUERY) + 1);
    assert_int_equal (answered + throttled, 40);

    assert_non_null (last);
    zframe_t *f = xt_exchange (peer, last, last_len, 5000);
    assert_non_null (f);
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (zframe_data (f), zframe_size (f), &op,
                                        NULL, 0), 0);
    assert_int_equal (op.msg->header->type, XIECHA__MSG_TYPE__MSG_ERROR);
    assert_int_equal (op.msg->error->code,
                      XIECHA__ERROR_CODE__ERR_RATE_LIMITED);
    xc_opened_free (&op);
    zframe_destroy (&f);
    free (last);
    zsock_destroy (&peer);

    Xiecha__PeerLoad load = s_rogue_load (TUNXI);
    assert_true (load.throttled >= (uint64_t) throttled + 1);
    s_dingan_asks ();
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_refusal_flood_is_bounded),
        cmocka_unit_test (test_enumeration_is_throttled),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
