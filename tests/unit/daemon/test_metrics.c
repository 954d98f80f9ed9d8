/*  test_metrics.c - the metrics' text: HELP and TYPE of every family,
    label values escaped, histogram buckets cumulative with +Inf equal to
    the count, unknown families ignored, a snapshot only once published;
    and metrics/bind parsing (a bare port is loopback). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "node/metrics.h"

static char *
s_text (xc_metrics_t *m)
{
    xc_metrics_publish (m);
    size_t len = 0;
    char *text = xc_metrics_snapshot (m, &len);
    assert_non_null (text);
    assert_int_equal (strlen (text), len);
    return text;
}

static void
test_counters_and_labels (void **state)
{
    xc_metrics_t *m = xc_metrics_new ();
    size_t len;
    assert_null (xc_metrics_snapshot (m, &len));   /* none published */
    xc_metrics_count (m, "xiecha_peer_refused_total", 2, "peer", "341002",
                      "reason", "ERR_STALE", NULL);
    xc_metrics_count (m, "xiecha_peer_refused_total", 1, "peer", "341002",
                      "reason", "ERR_STALE", NULL);
    xc_metrics_count (m, "xiecha_no_such_total", 1, NULL);
    xc_metrics_gauge (m, "xiecha_roster_age_days", -1, "program",
                      "a\"b\\c\nd", NULL);
    double v = 0;
    assert_int_equal (xc_metrics_get (m, "xiecha_peer_refused_total", &v,
                                      "peer", "341002", "reason",
                                      "ERR_STALE", NULL), 0);
    assert_true (v == 3);
    assert_int_equal (xc_metrics_get (m, "xiecha_peer_refused_total", &v,
                                      "peer", "469021", "reason",
                                      "ERR_STALE", NULL), -1);
    char *text = s_text (m);
    assert_non_null (strstr (text, "# TYPE xiecha_peer_refused_total counter\n"));
    assert_non_null (strstr (text, "\nxiecha_peer_refused_total{peer=\"341002\","
                                   "reason=\"ERR_STALE\"} 3\n"));
    assert_non_null (strstr (text, "xiecha_roster_age_days{program="
                                   "\"a\\\"b\\\\c\\nd\"} -1\n"));
    assert_null (strstr (text, "xiecha_no_such_total"));
    assert_non_null (strstr (text, "# HELP xiecha_trust_serial "));
    free (text);
    xc_metrics_destroy (&m);
    xc_metrics_destroy (&m);
    assert_null (m);
}

static void
test_histogram (void **state)
{
    xc_metrics_t *m = xc_metrics_new ();
    xc_metrics_observe (m, "xiecha_batch_size", 1);
    xc_metrics_observe (m, "xiecha_batch_size", 3);
    xc_metrics_observe (m, "xiecha_batch_size", 100000);
    char *text = s_text (m);
    assert_non_null (strstr (text, "\nxiecha_batch_size_bucket{le=\"1\"} 1\n"));
    assert_non_null (strstr (text, "\nxiecha_batch_size_bucket{le=\"2\"} 1\n"));
    assert_non_null (strstr (text, "\nxiecha_batch_size_bucket{le=\"4\"} 2\n"));
    assert_non_null (strstr (text, "\nxiecha_batch_size_bucket{le=\"4096\"} 2\n"));
    assert_non_null (strstr (text, "\nxiecha_batch_size_bucket{le=\"+Inf\"} 3\n"
                                   "xiecha_batch_size_sum 100004\n"
                                   "xiecha_batch_size_count 3\n"));
    free (text);
    xc_metrics_destroy (&m);
}

static void
test_bind (void **state)
{
    struct sockaddr_in sa;
    char host[32];
    assert_int_equal (xc_metrics_bind ("9464", &sa), 0);
    inet_ntop (AF_INET, &sa.sin_addr, host, sizeof host);
    assert_string_equal (host, "127.0.0.1");
    assert_int_equal (ntohs (sa.sin_port), 9464);
    assert_int_equal (xc_metrics_bind ("10.1.2.3:80", &sa), 0);
    inet_ntop (AF_INET, &sa.sin_addr, host, sizeof host);
    assert_string_equal (host, "10.1.2.3");
    assert_int_equal (xc_metrics_bind ("localhost:80", &sa), -1);
    assert_int_equal (xc_metrics_bind ("1.2.3.4:", &sa), -1);
    assert_int_equal (xc_metrics_bind (":80", &sa), -1);
    assert_int_equal (xc_metrics_bind ("70000", &sa), -1);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_counters_and_labels),
        cmocka_unit_test (test_histogram),
        cmocka_unit_test (test_bind),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
