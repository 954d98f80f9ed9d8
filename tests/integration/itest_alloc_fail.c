/*  itest_alloc_fail.c - the Nth allocation of a request fails, in a real
    daemon: the node refuses the request cleanly or aborts, and nothing it
    acknowledged is lost either way.

    Ding'an 469021 (residence) and Tunxi 341002 (registration) run with
    the LD_PRELOAD shim of tests/fault (xt_fault.c), which fails the Nth
    allocation of a daemon's main thread once armed.  For each request
    kind and the node it is armed in -- a query (at Ding'an, at Tunxi), an
    enrollment notice (at Ding'an, at Tunxi) and a roster import (at
    Tunxi) -- the test first counts the allocations the request makes
    (K), then, for S_SAMPLES values of N spread evenly over 1..K (the
    same values every run), arms the shim, makes the request and checks:

      * the node either answered (the failure was absorbed), refused the
        request with an error, or aborted -- only by design: CZMQ's
        zmalloc and libzmq abort on an allocation that fails, and so may
        an assert in them; an abort must show no sanitizer report and
        must follow the shim's failure;
      * after a restart (a clean stop when it lived: no leak, exit 0) the
        node answers, everything it acknowledged is there (a queued
        notice is delivered and applied at Tunxi; an import committed is
        there whole, one refused is absent whole), and `audit verify`
        and `audit replay` pass.

    The counts of refused, aborted and absorbed failures are printed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xt_fed.h"
#include "xt_id.h"

enum { DINGAN = 0, TUNXI = 1 };
#define S_SAMPLES 5
#define S_IMPORT_ROWS 20
#define S_CALL_MS 3000

static xt_fed_t *fed;
static size_t s_person;          /* next person of Tunxi to use */
static unsigned s_answered, s_refused, s_aborted;

typedef enum { S_QUERY, S_NOTICE, S_IMPORT } s_kind_t;
static const char *const s_kind_names[] = {"query", "notice", "import"};

/* --------------------------------------------------------------------------
   The shim
   -------------------------------------------------------------------------- */

static const char *
s_arm_path (size_t node)
{
    static char path[PATH_MAX + 16];
    snprintf (path, sizeof path, "%s/fault.arm", fed->nodes[node].dir);
    return path;
}

/*  Starts node with the shim preloaded; its arm file beside its config. */
static void
s_start (size_t node)
{
    const char *lib = getenv ("XT_FAULT_LIB");
    setenv ("LD_PRELOAD", lib, 1);
    setenv ("XT_FAULT_ARM", s_arm_path (node), 1);
    xt_fed_spawn (fed, node);
    unsetenv ("LD_PRELOAD");
    unsetenv ("XT_FAULT_ARM");
    xt_fed_wait (fed, node);
}

/*  Arms node's shim with n (0 disarms) and waits until it took it. */
static void
s_arm (size_t node, long n)
{
    char tmp[PATH_MAX + 32];
    snprintf (tmp, sizeof tmp, "%s.new", s_arm_path (node));
    xt_writef (tmp, "%ld\n", n);
    assert_int_equal (rename (tmp, s_arm_path (node)), 0);
    for (int i = 0; i < 400 && access (s_arm_path (node), F_OK) == 0; i++)
        usleep (5000);
    if (access (s_arm_path (node), F_OK) == 0)
        fail_msg ("node %s: the shim did not take its arm file",
                  fed->nodes[node].code);
}

/*  The number in node's last log line that holds needle, right after it;
    -1 when there is none. */
static long
s_log_last (size_t node, const char *needle)
{
    FILE *f = fopen (fed->nodes[node].log, "r");
    assert_non_null (f);
    char line[4096];
    long n = -1;
    while (fgets (line, sizeof line, f)) {
        char *at = strstr (line, needle);
        if (at)
            n = strtol (at + strlen (needle), NULL, 10);
    }
    fclose (f);
    return n;
}

/* --------------------------------------------------------------------------
   The requests
   -------------------------------------------------------------------------- */

static const char *
s_id (size_t seq)
{
    static char id[XT_ID_SIZE];
    xt_id_make ("341002", seq, id);
    return id;
}

static int
s_query (size_t first)
{
    const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {s_id (first), "Applicant"},
                    .programs = programs,
                    .program_count = 1};
    xc_client_t *c = xt_fed_client_ms (fed, DINGAN, S_CALL_MS);
    xc_answer_t a = {0};
    char why[512];
    int rc = xc_client_query (c, &q, &a, why, sizeof why);
    xc_answer_free (&a);
    xc_client_destroy (&c);
    return rc;
}

/*  An enrollment of person first at Ding'an, returned once queued, or,
    when wait, once Tunxi acknowledged it (or did not within 2 s): so that
    Tunxi has handled it before the shim there is disarmed. */
static int
s_notice (size_t first, bool wait)
{
    xc_notice_t n = {.kind = XIECHA__NOTICE_KIND__ENROLLMENT,
                     .home_county = "341002",
                     .applicant = {s_id (first), "Applicant"},
                     .program = XIECHA__PROGRAM__TEKUN,
                     .start_date = 20260101,
                     .wait_ms = wait ? 2000 : 0};
    xc_notice_result_t res = {0};
    char why[512];
    xc_client_t *c = xt_fed_client_ms (fed, DINGAN, S_CALL_MS);
    int rc = xc_client_notice (c, &n, &res, why, sizeof why);
    if (rc && rc != XC_ETIMEOUT)
        fprintf (stderr, "notice of %zu: %s\n", first, why);
    xc_client_destroy (&c);
    return rc;
}

/*  S_IMPORT_ROWS DIBAO rows at Tunxi, people first.. */
static int
s_import (size_t first)
{
    char why[512];
    xc_client_t *c = xt_fed_client_ms (fed, TUNXI, S_CALL_MS);
    xc_import_t *im = xc_import_new (c);
    assert_non_null (im);
    for (size_t i = 0; i < S_IMPORT_ROWS; i++)
        assert_int_equal (xc_import_add (im, s_id (first + i),
                                         XIECHA__PROGRAM__DIBAO, 20250101, 0,
                                         (uint32_t) i + 1, why, sizeof why),
                          0);
    uint64_t subjects;
    int rc = xc_import_commit (im, NULL, NULL, &subjects, why, sizeof why);
    xc_import_destroy (&im);
    xc_client_destroy (&c);
    return rc;
}

/*  Makes the request and returns what its client heard, once node has
    done with it (what follows an answer runs on briefly). */
static int
s_request (s_kind_t kind, size_t node, size_t first)
{
    int rc = kind == S_QUERY ? s_query (first)
           : kind == S_NOTICE ? s_notice (first, node == TUNXI)
                              : s_import (first);
    usleep (200 * 1000);
    return rc;
}

static int
s_status (size_t seq, int program, char payer[7])
{
    return xt_fed_status_of (fed, DINGAN, "341002", s_id (seq), program,
                             payer, NULL);
}

static bool
s_outbox_empty (void)
{
    xc_client_t *c = xt_fed_client (fed, DINGAN);
    Xiecha__StatusReply *st = NULL;
    char why[256];
    assert_int_equal (xc_client_status (c, &st, why, sizeof why), 0);
    bool empty = st->outbox_pending == 0;
    xiecha__status_reply__free_unpacked (st, NULL);
    xc_client_destroy (&c);
    return empty;
}

/*  What the request left behind, after the restart.  rc is what its
    client heard: 0 acknowledged, a refusal, or no answer (a timeout, the
    node gone) when nobody can know whether it was stored. */
static void
s_check_kept (s_kind_t kind, size_t first, int rc)
{
    char payer[7];
    bool unknown = rc == XC_ETIMEOUT || rc == XC_EIO;
    if (kind == S_NOTICE) {
        for (int i = 0; i < 300 && !s_outbox_empty (); i++)
            usleep (100 * 1000);
        assert_true (s_outbox_empty ());
        int st = s_status (first, XIECHA__PROGRAM__TEKUN, payer);
        if (rc == 0 && (st != XIECHA__STATUS__RECEIVING
                        || strcmp (payer, "469021") != 0))
            fail_msg ("acknowledged enrollment of %zu lost", first);
        if (!unknown && rc != 0 && st == XIECHA__STATUS__RECEIVING)
            fail_msg ("refused enrollment of %zu applied", first);
    }
    else if (kind == S_IMPORT) {
        int a = s_status (first, XIECHA__PROGRAM__DIBAO, payer);
        int z = s_status (first + S_IMPORT_ROWS - 1, XIECHA__PROGRAM__DIBAO,
                          payer);
        if (a != z)
            fail_msg ("import of %zu.. half stored", first);
        if (rc == 0 && a != XIECHA__STATUS__RECEIVING)
            fail_msg ("committed import of %zu.. lost", first);
        if (!unknown && rc != 0 && a == XIECHA__STATUS__RECEIVING)
            fail_msg ("refused import of %zu.. stored", first);
    }
    //  And the node answers queries again.
    assert_int_equal (s_query (0), 0);
}

/* --------------------------------------------------------------------------
   One N
   -------------------------------------------------------------------------- */

/*  How the node took the failure: it lived, or aborted by design. */
static void
s_judge (size_t node, int rc, long fired_before)
{
    if (xt_fed_alive (fed, node)) {
        if (rc == 0)
            s_answered++;
        else
            s_refused++;
        return;
    }
    int st = fed->nodes[node].status;
    if (!WIFSIGNALED (st) || WTERMSIG (st) != SIGABRT)
        fail_msg ("node %s ended (%s %d), not by an abort",
                  fed->nodes[node].code, WIFSIGNALED (st) ? "signal" : "exit",
                  WIFSIGNALED (st) ? WTERMSIG (st) : WEXITSTATUS (st));
    if (xt_fed_log_count (fed, node, "Sanitizer") > 0
        || xt_fed_log_count (fed, node, "runtime error") > 0) {
        xt_fed_log_tail (fed, node, 40);
        fail_msg ("node %s: a sanitizer report", fed->nodes[node].code);
    }
    if (xt_fed_log_count (fed, node, "xt-fault: allocation ") <= fired_before)
        fail_msg ("node %s aborted before the shim failed anything",
                  fed->nodes[node].code);
    s_aborted++;
}

static void
s_one (s_kind_t kind, size_t node, long n)
{
    size_t first = s_person;
    s_person += S_IMPORT_ROWS;
    long fired = xt_fed_log_count (fed, node, "xt-fault: allocation ");
    s_arm (node, n);
    int rc = s_request (kind, node, first);
    if (xt_fed_alive (fed, node))
        s_arm (node, 0);
    s_judge (node, rc, fired);
    //  A clean stop when it lived (exit 0: nothing leaked), and back.
    xt_fed_stop (fed, node, 0);
    s_start (node);
    s_check_kept (kind, first, rc);
    xt_fed_audit_check (fed, node);
}

/*  The allocations the request makes in node, counted by the shim. */
static long
s_count (s_kind_t kind, size_t node)
{
    size_t first = s_person;
    s_person += S_IMPORT_ROWS;
    s_arm (node, 1L << 40);
    assert_int_equal (s_request (kind, node, first), 0);
    s_arm (node, 0);
    long k = s_log_last (node, "xt-fault: disarmed after ");
    assert_true (k > 0);
    return k;
}

static void
s_case (s_kind_t kind, size_t node)
{
    //  XT_SAMPLES=n samples more (or fewer) N for a longer hunt.
    long samples = getenv ("XT_SAMPLES") ? atol (getenv ("XT_SAMPLES"))
                                         : S_SAMPLES;
    if (samples < 2)
        samples = 2;
    long k = s_count (kind, node);
    unsigned a = s_answered, r = s_refused, x = s_aborted;
    for (long j = 0; j < samples; j++)
        s_one (kind, node, 1 + j * (k - 1) / (samples - 1));
    printf ("%s at %s: %ld allocations; N = 1..%ld in %ld steps: %u refused, "
            "%u aborted, %u absorbed\n", s_kind_names[kind],
            fed->nodes[node].code, k, k, samples, s_refused - r,
            s_aborted - x, s_answered - a);
}

static void
test_query_residence (void **state)
{
    s_case (S_QUERY, DINGAN);
}

static void
test_query_registration (void **state)
{
    s_case (S_QUERY, TUNXI);
}

static void
test_notice_residence (void **state)
{
    s_case (S_NOTICE, DINGAN);
}

static void
test_notice_registration (void **state)
{
    s_case (S_NOTICE, TUNXI);
}

static void
test_import (void **state)
{
    s_case (S_IMPORT, TUNXI);
}

static int
s_setup (void **state)
{
    if (!getenv ("XT_FAULT_LIB"))
        fail_msg ("XT_FAULT_LIB: the shim's path is not set");
    //  ASan wants to be the first library; the shim must come before it.
    const char *asan = getenv ("ASAN_OPTIONS");
    char opts[1024];
    snprintf (opts, sizeof opts, "%s%sverify_asan_link_order=0",
              asan ? asan : "", asan && *asan ? ":" : "");
    setenv ("ASAN_OPTIONS", opts, 1);
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 1500);
    for (size_t i = 0; i < 2; i++) {
        xt_fed_config_append (fed, i, "    retry_max_ms = 300\n");
        s_start (i);
    }
    //  Person 0 is on Tunxi's roster: the query every check makes.
    s_person = 0;
    assert_int_equal (s_import (0), 0);
    s_person = S_IMPORT_ROWS;
    return 0;
}

static int
s_teardown (void **state)
{
    printf ("in all: %u refused, %u aborted (by design), %u absorbed\n",
            s_refused, s_aborted, s_answered);
    xt_fed_destroy (&fed);
    return 0;
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_query_residence),
        cmocka_unit_test (test_query_registration),
        cmocka_unit_test (test_notice_residence),
        cmocka_unit_test (test_notice_registration),
        cmocka_unit_test (test_import),
    };
    //  XT_ONLY=test_import runs one case (while hunting a bug).
    if (getenv ("XT_ONLY"))
        cmocka_set_test_filter (getenv ("XT_ONLY"));
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
