/*  itest_observe.c - what an operator sees of a node: the metrics
    endpoint (fetched with curl, checked against the text exposition
    grammar), `xiecha status` (answering, busy, down) and the log (every
    line key=value with a level; no ID number, no name in it).

    Ding'an 469021 asks Tunxi 341002 about people, enrolls a household
    there (a notice), Tunxi imports a roster and exports its audit log;
    both serve metrics on loopback ports of their own. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1 };

static xt_fed_t *fed;
static int s_port[2];
static char s_ids[4][XT_ID_SIZE];
static const char *s_names[] = {"Wang Fang", "张三丰", "李四", "Zhao Lei"};

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 3000);
    for (int i = 0; i < 2; i++) {
        int fd;
        s_port[i] = xt_port_reserve (&fd);
        close (fd);   /* libmicrohttpd binds it; the gap is a moment */
        char text[128];
        snprintf (text, sizeof text, "metrics\n    bind = \"127.0.0.1:%d\"\n",
                  s_port[i]);
        xt_fed_config_append (fed, (size_t) i, text);
    }
    xt_fed_start (fed, TUNXI);
    xt_fed_start (fed, DINGAN);
    for (int i = 0; i < 4; i++)
        snprintf (s_ids[i], sizeof s_ids[i], "%s", xt_id_next ("341002"));
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  curl's output for url at node i's endpoint with extra curl options;
    *code gets the HTTP status.  Returns a malloc'd body. */
static char *
s_curl (int i, const char *path, const char *opts, int *code)
{
    char cmd[512];
    snprintf (cmd, sizeof cmd, "curl -sS --max-time 10 %s -w '\\n%%{http_code}'"
              " http://127.0.0.1:%d%s", opts, s_port[i], path);
    FILE *p = popen (cmd, "r");
    assert_non_null (p);
    size_t cap = 1 << 16, len = 0;
    char *body = malloc (cap);
    size_t n;
    while ((n = fread (body + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (len + 1 >= cap)
            body = realloc (body, cap *= 2);
    }
    body[len] = '\0';
    assert_int_equal (pclose (p), 0);
    char *last = strrchr (body, '\n');
    assert_non_null (last);
    *code = atoi (last + 1);
    *last = '\0';
    return body;
}

/*  The traffic the metrics and logs must show. */
static void
s_traffic (void)
{
    char csv[512], out[8192];
    snprintf (csv, sizeof csv, "id_number,name,program,since\n"
              "%s,%s,dibao,2025-01-01\n", s_ids[0], s_names[0]);
    const char *import[] = {"import", xt_fed_write (fed, "r.csv", csv),
                            "--program", "dibao", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, import), 0);
    for (int i = 0; i < 2; i++) {
        const char *query[] = {"query", "--id", s_ids[i], "--name",
                               s_names[i], "--home", "341002", "--program",
                               "dibao", "--json", NULL};
        assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, query),
                          0);
    }
    char member[64];
    snprintf (member, sizeof member, "%s:%s", s_ids[3], s_names[3]);
    const char *enroll[] = {"enroll", "--id", s_ids[2], "--name",
                            s_names[2], "--member", member, "--home",
                            "341002", "--program", "tekun", "--since",
                            "2025-06-01", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, enroll), 0);
    xt_assert_has (out, "\"delivered\": true");
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/tunxi.audit", fed->root);
    const char *export[] = {"audit", "export", "--out", path, NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, NULL, 0, export), 0);
}

/* ---- the exposition grammar (text format 0.0.4) ------------------------- */

typedef struct {
    char name[128];
    char type[16];
    double last_le, last_count;  /* histograms: the previous bucket */
    bool buckets;
} s_family_t;

static bool
s_name_ok (const char *s, size_t n)
{
    if (!n || !(isalpha ((unsigned char) s[0]) || s[0] == '_' || s[0] == ':'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum ((unsigned char) s[i]) || s[i] == '_' || s[i] == ':'))
            return false;
    return true;
}

/*  Checks {k="v",...} at *p, storing le's value; moves *p past it. */
static void
s_labels (const char **p, const char *line, double *le)
{
    const char *s = *p + 1;
    while (*s != '}') {
        const char *eq = strchr (s, '=');
        if (!eq || !s_name_ok (s, (size_t) (eq - s)) || eq[1] != '"')
            fail_msg ("bad label in: %s", line);
        bool is_le = eq - s == 2 && strncmp (s, "le", 2) == 0;
        s = eq + 2;
        const char *v = s;
        while (*s && *s != '"')
            s += *s == '\\' && s[1] ? 2 : 1;
        if (*s != '"')
            fail_msg ("unterminated label value in: %s", line);
        if (is_le)
            *le = strncmp (v, "+Inf", 4) == 0 ? INFINITY : strtod (v, NULL);
        s++;
        if (*s == ',')
            s++;
        else if (*s != '}')
            fail_msg ("bad label list in: %s", line);
    }
    *p = s + 1;
}

static double
s_value (const char *v, const char *line)
{
    if (strcmp (v, "+Inf") == 0 || strcmp (v, "-Inf") == 0
        || strcmp (v, "NaN") == 0)
        return strcmp (v, "-Inf") == 0 ? -INFINITY : INFINITY;
    char *end = NULL;
    double d = strtod (v, &end);
    if (end == v || *end)
        fail_msg ("bad sample value in: %s", line);
    return d;
}

/*  One sample of family f (declared before it by TYPE). */
static void
s_sample (s_family_t *f, const char *line, size_t *histograms)
{
    const char *p = line;
    while (*p && *p != '{' && *p != ' ')
        p++;
    size_t n = (size_t) (p - line);
    if (!s_name_ok (line, n))
        fail_msg ("bad metric name: %s", line);
    double le = NAN;
    if (*p == '{')
        s_labels (&p, line, &le);
    if (*p != ' ')
        fail_msg ("no value: %s", line);
    double v = s_value (p + 1, line);
    size_t fl = strlen (f->name);
    if (strncmp (line, f->name, fl) != 0)
        fail_msg ("sample %s outside its family %s", line, f->name);
    const char *suffix = line + fl;
    if (strcmp (f->type, "histogram") != 0) {
        if (suffix != p && *suffix != '{')
            fail_msg ("sample %s is not of family %s", line, f->name);
        if (strcmp (f->type, "counter") == 0 && v < 0)
            fail_msg ("negative counter: %s", line);
        return;
    }
    if (strncmp (suffix, "_bucket{", 8) == 0) {
        if (f->buckets && (le <= f->last_le || v < f->last_count))
            fail_msg ("buckets not monotone at: %s", line);
        f->buckets = true;
        f->last_le = le;
        f->last_count = v;
    }
    else if (strncmp (suffix, "_count ", 7) == 0) {
        if (!f->buckets || !isinf (f->last_le) || f->last_count != v)
            fail_msg ("+Inf bucket is not _count at: %s", line);
        (*histograms)++;
    }
    else if (strncmp (suffix, "_sum ", 5) != 0)
        fail_msg ("not a histogram sample: %s", line);
}

/*  Checks text line by line; returns how many histograms it holds. */
static size_t
s_check_exposition (char *text)
{
    s_family_t f = {0};
    size_t histograms = 0;
    zhashx_t *seen = zhashx_new ();
    for (char *save = NULL, *line = strtok_r (text, "\n", &save); line;
         line = strtok_r (NULL, "\n", &save)) {
        char name[128], type[16];
        if (strncmp (line, "# HELP ", 7) == 0)
            continue;
        if (sscanf (line, "# TYPE %127s %15s", name, type) == 2) {
            if (zhashx_lookup (seen, name))
                fail_msg ("TYPE twice for %s", name);
            zhashx_insert (seen, name, (void *) 1);
            if (strcmp (type, "counter") && strcmp (type, "gauge")
                && strcmp (type, "histogram"))
                fail_msg ("unknown type: %s", line);
            if (!strcmp (type, "counter") && !strstr (name, "_total"))
                fail_msg ("counter without _total: %s", name);
            memset (&f, 0, sizeof f);
            snprintf (f.name, sizeof f.name, "%s", name);
            snprintf (f.type, sizeof f.type, "%s", type);
            continue;
        }
        if (line[0] == '#' || !f.name[0])
            fail_msg ("line outside a family: %s", line);
        s_sample (&f, line, &histograms);
    }
    zhashx_destroy (&seen);
    return histograms;
}

/* ---- tests ------------------------------------------------------------- */

/*  A series (name{labels} prefix) in the body, with its value. */
static const char *
s_find (const char *body, const char *series)
{
    char line[256];
    snprintf (line, sizeof line, "\n%s ", series);
    const char *at = strstr (body, line);
    return at ? at + strlen (line) : NULL;
}

static double
s_series (const char *body, const char *series)
{
    const char *at = s_find (body, series);
    if (!at)
        fail_msg ("no %s in:\n%s", series, body);
    return strtod (at, NULL);
}

/*  Node i's metrics once series has reached at least min (the snapshot
    is published once a second); fails after 10 s. */
static char *
s_wait (int i, const char *series, double min)
{
    for (int t = 0; t < 100; t++) {
        int code;
        char *body = s_curl (i, "/metrics", "", &code);
        assert_int_equal (code, 200);
        const char *at = s_find (body, series);
        if (at && strtod (at, NULL) >= min)
            return body;
        free (body);
        usleep (100 * 1000);
    }
    fail_msg ("%s did not reach %g at node %d", series, min, i);
    return NULL;
}

static void
test_metrics_after_traffic (void **state)
{
    s_traffic ();
    int code;
    char *body = NULL;
    /* the snapshot is published once a second: wait for this traffic */
    body = s_wait (TUNXI, "xiecha_queries_answered_total{peer=\"469021\"}",
                   3);
    assert_true (s_series (body, "xiecha_queries_answered_total{peer=\"469021\"}")
                 >= 3);   /* two queries and the notice */
    assert_true (s_series (body, "xiecha_audit_entries") > 0);
    assert_true (s_series (body, "xiecha_last_import_seconds") > 0);
    assert_true (s_series (body, "xiecha_roster_age_days{program=\"DIBAO\"}")
                 >= 0);
    s_series (body, "xiecha_peer_clock_offset_seconds{peer=\"469021\"}");
    s_series (body, "xiecha_terminal_requests_total{role=\"roster\","
              "outcome=\"taken\"}");
    assert_true (s_series (body, "xiecha_commit_seconds_count") > 0);
    assert_int_equal (s_check_exposition (body), 2);
    free (body);

    body = s_wait (DINGAN, "xiecha_notices_delivered_total{peer=\"341002\"}",
                   1);
    assert_int_equal (s_series (body, "xiecha_peer_connected{peer=\"341002\"}"),
                      1);
    assert_int_equal (s_series (body, "xiecha_queries_sent_total{peer=\"341002\"}"),
                      2);
    assert_int_equal (s_series (body, "xiecha_notices_queued_total{peer="
                                "\"341002\"}"), 1);
    assert_true (s_series (body, "xiecha_trust_next_update_seconds") >= 0);
    assert_int_equal (s_check_exposition (body), 2);
    free (body);

    body = s_curl (DINGAN, "/other", "", &code);
    assert_int_equal (code, 404);
    free (body);
    body = s_curl (DINGAN, "/metrics", "-X POST -d x=1", &code);
    assert_int_equal (code, 405);
    free (body);
}

static void
test_status_shows_the_watch (void **state)
{
    char out[16384];
    const char *json[] = {"status", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, json), 0);
    xt_assert_has (out, "\"state\": \"answering\"");
    xt_assert_has (out, "\"trust_serial\": ");
    xt_assert_has (out, "\"active_key\": \"");
    xt_assert_has (out, "\"checkpoint_at\": ");
    xt_assert_has (out, "\"node\": \"341002\"");
    xt_assert_has (out, "\"connected\": true");
    xt_assert_has (out, "\"clock_offset_ms\": ");
    const char *text[] = {"status", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, text), 0);
    xt_assert_has (out, "state        answering");
    xt_assert_has (out, "341002");
    xt_assert_has (out, ": connected, clock ");
}

/*  A socket file with nobody listening (bound, never listen(2)), and one
    that listens but never speaks ZMTP: down and busy. */
static void
test_status_down_and_busy (void **state)
{
    char dead[PATH_MAX], mute[PATH_MAX], arg[PATH_MAX + 8], out[4096];
    snprintf (dead, sizeof dead, "%s/dead.sock", fed->root);
    snprintf (mute, sizeof mute, "%s/mute.sock", fed->root);
    int fds[2];
    const char *paths[] = {dead, mute};
    for (int i = 0; i < 2; i++) {
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        snprintf (sa.sun_path, sizeof sa.sun_path, "%s", paths[i]);
        fds[i] = socket (AF_UNIX, SOCK_STREAM, 0);
        assert_int_equal (bind (fds[i], (struct sockaddr *) &sa, sizeof sa), 0);
    }
    close (fds[0]);
    assert_int_equal (listen (fds[1], 4), 0);

    snprintf (arg, sizeof arg, "ipc://%s", dead);
    const char *down[] = {"status", "--json", "-s", arg, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, down), 3);
    xt_assert_has (out, "\"state\": \"down\"");
    xt_assert_has (out, "nobody listens");

    snprintf (arg, sizeof arg, "ipc://%s/none.sock", fed->root);
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, down), 3);
    xt_assert_has (out, "no socket file");

    snprintf (arg, sizeof arg, "ipc://%s", mute);
    const char *busy[] = {"status", "--json", "--timeout", "300", "-s", arg,
                          NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, busy), 1);
    xt_assert_has (out, "\"state\": \"busy\"");
    close (fds[1]);

    /* a stopped node, with the longest --timeout: down, not a wait */
    xt_fed_stop (fed, TUNXI, 0);
    const char *stopped[] = {"status", "--json", "--timeout", "3600000",
                             NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, stopped), 3);
    xt_assert_has (out, "\"state\": \"down\"");
    xt_fed_start (fed, TUNXI);
}

/*  "TIME level=L node=CODE event=E k=v ...": each pair k=v, v bare or
    quoted with \" and \\ escaped. */
static void
s_check_line (const char *line)
{
    const char *p = strchr (line, ' ');
    if (!p || p - line < 20 || line[p - line - 1] != 'Z')
        fail_msg ("log line without its time: %s", line);
    if (strncmp (p, " level=", 7) != 0
        || (strncmp (p + 7, "error ", 6) && strncmp (p + 7, "warn ", 5)
            && strncmp (p + 7, "info ", 5) && strncmp (p + 7, "debug ", 6)))
        fail_msg ("log line without its level: %s", line);
    if (!strstr (line, " node=") || !strstr (line, " event="))
        fail_msg ("log line without node or event: %s", line);
    while (*p == ' ') {
        const char *k = ++p;
        while (*p && *p != '=' && *p != ' ')
            p++;
        if (*p != '=' || p == k)
            fail_msg ("not key=value at \"%.20s\": %s", k, line);
        p++;
        if (*p == '"') {
            for (p++; *p && *p != '"'; p += *p == '\\' && p[1] ? 2 : 1)
                ;
            if (*p++ != '"')
                fail_msg ("unterminated value: %s", line);
        }
        else
            while (*p && *p != ' ')
                p++;
    }
    if (*p && *p != '\n')
        fail_msg ("trailing text in: %s", line);
}

static void
test_logs_parse_and_hold_nothing_personal (void **state)
{
    for (size_t i = 0; i < 2; i++) {
        for (int k = 0; k < 4; k++) {
            assert_int_equal (xt_fed_log_count (fed, i, s_ids[k]), 0);
            assert_int_equal (xt_fed_log_count (fed, i, s_names[k]), 0);
            char first17[18];
            snprintf (first17, sizeof first17, "%.17s", s_ids[k]);
            assert_int_equal (xt_fed_log_count (fed, i, first17), 0);
        }
        FILE *f = fopen (fed->nodes[i].log, "r");
        assert_non_null (f);
        char line[4096];
        size_t n = 0;
        while (fgets (line, sizeof line, f)) {
            /* ASan and the harness write here too; theirs are not ours */
            if (!isdigit ((unsigned char) line[0]))
                continue;
            s_check_line (line);
            n++;
        }
        fclose (f);
        assert_true (n > 3);
    }
    /* the events the operator looks for */
    assert_true (xt_fed_log_count (fed, TUNXI, "event=import ") >= 1);
    assert_true (xt_fed_log_count (fed, TUNXI, "event=export ") >= 1);
    assert_true (xt_fed_log_count (fed, TUNXI, "event=checkpoint ") >= 1);
    assert_true (xt_fed_log_count (fed, DINGAN,
                                   "event=peer_connect peer=341002") >= 1);
    assert_true (xt_fed_log_count (fed, DINGAN,
                                   "event=peer_disconnect peer=341002") >= 1);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_metrics_after_traffic),
        cmocka_unit_test (test_status_shows_the_watch),
        cmocka_unit_test (test_status_down_and_busy),
        cmocka_unit_test (test_logs_parse_and_hold_nothing_personal),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
