/*  cli_report.c - xiecha report: the monthly statistics the policy asks
    for by the 20th, under electronic seal.

      xiecha report monthly --month YYYY-MM [--out FILE]   asks the own node
      xiecha report verify FILE --trust TRUSTFILE          offline check

    The node computes and signs; this file only shows, saves and checks.
    Verification is xc_report_verify, the same code any auditor links. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_anchor.h"
#include "cli_text.h"
#include "xiecha/text.h"

#define MAX_REPORT_FILE (1024 * 1024)

static void
s_help (void)
{
    printf ("%s", _(
        "Usage: xiecha report monthly --month YYYY-MM [--out FILE] [--json]\n"
        "                             [-s ENDPOINT | -c CONFIG] "
        "[--timeout MS]\n"
        "       xiecha report verify FILE --trust TRUSTFILE (--root HEX |\n"
        "                            --root-file FILE | -c CONFIG) [--json]\n"
        "\n"
        "monthly  asks the own node for the statistics of a month in its\n"
        "         time zone (node/timezone, Beijing time by default; the\n"
        "         current month gives the counts so far), computed from its\n"
        "         audit log and signed with its key (the electronic seal).\n"
        "         Prints one row per kind, program, relation and township\n"
        "         (the terminal's township that asked or reported; on the\n"
        "         registration side the township a query or notice names),\n"
        "         totals per kind and per township and kind, and the seal's\n"
        "         key id; --out saves the sealed report\n"
        "         armored (-----BEGIN XIECHA REPORT-----).\n"
        "verify   checks a saved report offline with the trust list (its\n"
        "         root signature and validity period now first): the\n"
        "         key belongs to the reporting node and was valid when the\n"
        "         report was generated, and the seal verifies.  Prints VALID\n"
        "         or INVALID: <why>, then the table (only when valid).\n"
        "\n"
        "Row kinds: QUERY_SENT, CERTIFICATE_RECEIVED (residence side);\n"
        "CERTIFICATE_ISSUED, SUBJECT_RECEIVING, SUBJECT_NOT_RECEIVING\n"
        "(registration side); ENROLLMENT_SENT, TERMINATION_SENT,\n"
        "EMERGENCY_AID_SENT (reported to the registration county);\n"
        "ENROLLMENT_APPLIED, TERMINATION_APPLIED, EMERGENCY_AID_APPLIED\n"
        "(reported to this node); REFUSED (peer messages refused).  A\n"
        "message about several programs counts once under each.\n"
        "\n"
        "  -m, --month YYYY-MM    the month (the node's local time)\n"
        "  -o, --out FILE         save the sealed report, armored\n"
        "verify takes the trust anchor options:\n"));
    //  The anchor block is cli_anchor.h's: translated where it is marked.
    printf ("%s", cli_anchor_help ());
    printf ("%s", _("  -j, --json             machine-readable output\n"));
    printf ("%s", cli_node_help ());
    printf ("%s", _(
        "  -h, --help             this text\n"
        "\n"
        "Exit status:\n"
        "  0  report made / the report is valid\n"
        "  1  failure (node error, timeout, file not saved) / the report is\n"
        "     invalid (bad seal, unknown key, key of another node)\n"
        "  2  bad input (options, month, unreadable file, no armor block,\n"
        "     a trust list that cannot be loaded, is not signed by the\n"
        "     root key or has expired)\n"));
}

typedef struct {
    const char *cmd;      /* "report monthly" or "report verify" */
    const char *month;    /* -m */
    const char *out;      /* -o */
    cli_anchor_t anchor;  /* verify: -T, --root, --root-file, ... */
    const char *file;     /* verify: the armored report */
    cli_node_args_t node; /* -s, -c, -t, -j */
} s_args_t;

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "month", required_argument, NULL, 'm' },
        { "out", required_argument, NULL, 'o' },
        { "trust", required_argument, NULL, 'T' },
        CLI_ANCHOR_LONGOPTS,
        CLI_NODE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c, status;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":m:o:T:js:c:t:h", opts, NULL))
           != -1) {
        if (cli_anchor_option (&a->anchor, c, optarg))
            continue;
        switch (c) {
        case 'm': a->month = optarg; break;
        case 'o': a->out = optarg; break;
        case 'T': a->anchor.trust = optarg; break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default:
            if ((status = cli_node_option (&a->node, a->cmd, c, argv)) >= 0)
                return status;
        }
    }
    return -1;
}

/*  Checks what monthly needs; returns -1 to go on or an exit status. */
static int
s_check_monthly (int argc, char **argv, const s_args_t *a)
{
    char why[256];
    if (optind < argc)
        return cli_usage_error (a->cmd, _("unexpected argument '%s'"),
                                argv[optind]);
    if (!a->month)
        return cli_usage_error (a->cmd, _("--month is required (YYYY-MM)"));
    if (xc_report_month (a->month, NULL, NULL, why, sizeof why) != 0)
        return cli_usage_error (a->cmd, "--%s", why);
    if (a->anchor.trust || a->anchor.root || a->anchor.root_file
        || a->anchor.insecure)
        return cli_usage_error (a->cmd, "%s", _("--trust, --root, --root-file "
                                "and --insecure-unsigned-trust are for "
                                "'report verify'"));
    return cli_zone_next (a->cmd, a->node.config);
}

static int
s_check_verify (int argc, char **argv, s_args_t *a)
{
    if (optind >= argc)
        return cli_usage_error (a->cmd, "%s", _("FILE is required"));
    if (optind + 1 < argc)
        return cli_usage_error (a->cmd, _("unexpected argument '%s'"),
                                argv[optind + 1]);
    if (a->month || a->out)
        return cli_usage_error (a->cmd, "%s", _("--month and --out are for "
                                "'report monthly'"));
    a->file = argv[optind];
    a->anchor.config = a->node.config;
    return -1;
}

/* --------------------------------------------------------------------------
   Showing a report
   -------------------------------------------------------------------------- */

/*  "-" for UNSPECIFIED: REFUSED rows carry no program for queries. */
static const char *
s_program (int p)
{
    return p ? xc_program_name (p) : NULL;
}

static const char *
s_relation (int r)
{
    return r ? xc_relation_name (r) : NULL;
}

/*  The same for people: the titles, "-" for none. */
static const char *
s_program_title (int p)
{
    return p ? xc_program_title (p) : "-";
}

static const char *
s_relation_title (int r)
{
    return r ? xc_relation_title (r) : "-";
}

/*  A row kind as people read it: in Chinese its translation; in English
    the kind itself, the word FORMATS.md and the man page explain (and the
    --json key). */
static const char *
s_kind_title (const char *kind)
{
    static const char *const kinds[][2] = {
        {"QUERY_SENT", N_("queries sent")},
        {"CERTIFICATE_RECEIVED", N_("certificates received")},
        {"CERTIFICATE_ISSUED", N_("certificates issued")},
        {"SUBJECT_RECEIVING", N_("people receiving")},
        {"SUBJECT_NOT_RECEIVING", N_("people not receiving")},
        {"ENROLLMENT_SENT", N_("enrollments reported")},
        {"TERMINATION_SENT", N_("terminations reported")},
        {"EMERGENCY_AID_SENT", N_("emergency aid reported")},
        {"ENROLLMENT_APPLIED", N_("enrollments applied")},
        {"TERMINATION_APPLIED", N_("terminations applied")},
        {"EMERGENCY_AID_APPLIED", N_("emergency aid applied")},
        {"REFUSED", N_("refused")},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp (kind, kinds[i][0]) == 0)
            return xc_text_chinese () ? _(kinds[i][1]) : kind;
    return kind;
}

/*  The townships named by rows, each once, in the order first met; at
    most max.  Returns how many. */
static size_t
s_townships (const Xiecha__Report *r, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_rows; i++) {
        const char *t = r->rows[i]->township;
        size_t k = 0;
        while (k < n && strcmp (out[k], t) != 0)
            k++;
        if (k == n && *t && n < max)
            out[n++] = t;
    }
    return n;
}

/*  Township t's count of kind: rows of one kind are adjacent. */
static uint64_t
s_township_sum (const Xiecha__Report *r, const char *t, const char *kind)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < r->n_rows; i++)
        if (strcmp (r->rows[i]->township, t) == 0
            && strcmp (r->rows[i]->kind, kind) == 0)
            sum += r->rows[i]->count;
    return sum;
}

#define S_TOWNSHIPS_MAX 4096

/*  "townships": {code: {kind: count}}, for the rows that name one. */
static void
s_json_townships (cli_json_t *j, const Xiecha__Report *r)
{
    const char **ts = calloc (S_TOWNSHIPS_MAX, sizeof *ts);
    size_t n = ts ? s_townships (r, ts, S_TOWNSHIPS_MAX) : 0;
    cli_json_object (j, "townships");
    for (size_t t = 0; t < n; t++) {
        cli_json_object (j, ts[t]);
        for (size_t i = 0; i < r->n_rows; i++)
            if (i == 0 || strcmp (r->rows[i]->kind, r->rows[i - 1]->kind))
                if (s_township_sum (r, ts[t], r->rows[i]->kind))
                    cli_json_uint (j, r->rows[i]->kind,
                                   s_township_sum (r, ts[t],
                                                   r->rows[i]->kind));
        cli_json_end (j);
    }
    cli_json_end (j);
    free (ts);
}

static void
s_human_townships (const Xiecha__Report *r)
{
    const char **ts = calloc (S_TOWNSHIPS_MAX, sizeof *ts);
    size_t n = ts ? s_townships (r, ts, S_TOWNSHIPS_MAX) : 0;
    if (n)
        printf ("\n%s\n", _("per township"));
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < r->n_rows; i++) {
            if (i && strcmp (r->rows[i]->kind, r->rows[i - 1]->kind) == 0)
                continue;
            uint64_t sum = s_township_sum (r, ts[t], r->rows[i]->kind);
            if (sum) {
                cli_pad (stdout, ts[t], 11);
                cli_pad (stdout, s_kind_title (r->rows[i]->kind), 24);
                printf ("%12llu\n", (unsigned long long) sum);
            }
        }
    free (ts);
}

static void
s_json_report (cli_json_t *j, const Xiecha__Report *r, const char *key_id)
{
    char iso[32], head[2 * XC_HASH_LEN + 1] = "";
    if (r->audit_head.len == XC_HASH_LEN)
        xc_hex (r->audit_head.data, XC_HASH_LEN, head);
    xc_time_iso (r->generated_at, iso);
    cli_json_str (j, "node", r->node);
    cli_json_str (j, "name", r->name);
    cli_json_str (j, "month", r->month);
    cli_json_str (j, "timezone", *r->timezone ? r->timezone : NULL);
    char from[32], to[32];
    xc_time_iso (r->period_from, from);
    xc_time_iso (r->period_to, to);
    cli_json_str (j, "period_from", r->period_from ? from : NULL);
    cli_json_str (j, "period_to", r->period_to ? to : NULL);
    cli_json_str (j, "generated_at", iso);
    cli_json_uint (j, "audit_entries", r->audit_entries);
    cli_json_str (j, "audit_head", *head ? head : NULL);
    cli_json_str (j, "key_id", key_id);
    cli_json_array (j, "rows");
    for (size_t i = 0; i < r->n_rows; i++) {
        const Xiecha__ReportRow *row = r->rows[i];
        cli_json_object (j, NULL);
        cli_json_str (j, "kind", row->kind);
        cli_json_str (j, "program", s_program (row->program));
        cli_json_str (j, "relation", s_relation (row->relation));
        cli_json_str (j, "township", *row->township ? row->township : NULL);
        cli_json_uint (j, "count", row->count);
        cli_json_end (j);
    }
    cli_json_end (j);
    s_json_townships (j, r);
    /* Rows come grouped by kind, so one pass sums each group. */
    cli_json_object (j, "totals");
    for (size_t i = 0; i < r->n_rows;) {
        uint64_t sum = 0;
        size_t k = i;
        for (; k < r->n_rows && strcmp (r->rows[k]->kind, r->rows[i]->kind)
                                    == 0; k++)
            sum += r->rows[k]->count;
        cli_json_uint (j, r->rows[i]->kind, sum);
        i = k;
    }
    cli_json_end (j);
}

static void
s_human_report (const Xiecha__Report *r, const char *key_id,
                const char *saved)
{
    char when[32], head[2 * XC_HASH_LEN + 1] = "-";
    if (r->audit_head.len == XC_HASH_LEN)
        xc_hex (r->audit_head.data, XC_HASH_LEN, head);
    char place[CLI_PLACE_LEN];
    cli_label (_("node"));
    printf ("%s%s%s%s\n", cli_place (r->node, place, sizeof place),
            *r->name ? " (" : "", r->name, *r->name ? ")" : "");
    cli_label (_("month"));
    printf ("%s\n", r->month);
    if (r->period_from) {   /* as signed: the zone's midnights */
        char from[32], to[32];
        cli_local_time (r->period_from, from);
        cli_local_time (r->period_to, to);
        cli_label (_("period"));
        printf ("%s .. %s (%s)\n", from, to,
                *r->timezone ? r->timezone : "?");
    }
    cli_label (_("generated"));
    printf ("%s\n", cli_local_time (r->generated_at, when));
    cli_label (_("audit log"));
    printf (_("%llu entries, head %s\n"),
            (unsigned long long) r->audit_entries, head);
    cli_label (_("seal"));
    printf (_("key %s\n"), key_id ? key_id : "?");
    if (saved) {
        cli_label (_("saved"));
        printf ("%s\n", saved);
    }
    printf ("\n");
    if (r->n_rows == 0) {
        printf (_("no activity in %s\n"), r->month);
        return;
    }
    //  Columns (cli_pad): kind, program and relation as wide as their
    //  widest names, township; the count right-aligned.
    size_t cols[] = {24, xc_text_width (_("PROGRAM")),
                     xc_text_width (_("RELATION")), 11};
    for (size_t i = 0; i < r->n_rows; i++) {
        size_t p = xc_text_width (s_program_title (r->rows[i]->program));
        size_t q = xc_text_width (s_relation_title (r->rows[i]->relation));
        cols[1] = p > cols[1] ? p : cols[1];
        cols[2] = q > cols[2] ? q : cols[2];
    }
    cols[1] += 2;
    cols[2] += 2;
    const char *heads[] = {_("KIND"), _("PROGRAM"), _("RELATION"),
                           _("TOWNSHIP")};
    for (size_t c = 0; c < 4; c++)
        cli_pad (stdout, heads[c], cols[c]);
    printf ("%8s\n", _("COUNT"));
    for (size_t i = 0; i < r->n_rows; i++) {
        const Xiecha__ReportRow *row = r->rows[i];
        const char *cells[] = {s_kind_title (row->kind),
                               s_program_title (row->program),
                               s_relation_title (row->relation),
                               *row->township ? row->township : "-"};
        for (size_t c = 0; c < 4; c++)
            cli_pad (stdout, cells[c], cols[c]);
        printf ("%8llu\n", (unsigned long long) row->count);
    }
    printf ("\n%s\n", _("totals (a message about several programs counts "
                         "once under each)"));
    for (size_t i = 0; i < r->n_rows;) {
        uint64_t sum = 0;
        size_t k = i;
        for (; k < r->n_rows && strcmp (r->rows[k]->kind, r->rows[i]->kind)
                                    == 0; k++)
            sum += r->rows[k]->count;
        cli_pad (stdout, s_kind_title (r->rows[i]->kind), 24);
        printf ("%12llu\n", (unsigned long long) sum);
        i = k;
    }
    s_human_townships (r);
}

/* --------------------------------------------------------------------------
   report monthly
   -------------------------------------------------------------------------- */

//  Saves the sealed bytes armored, atomically.  Returns 0 or XC_E*.
static int
s_save (const char *path, const uint8_t *bytes, size_t len, char *why,
        size_t why_len)
{
    return cli_write_armored (path, XC_ARMOR_REPORT, bytes, len, true, why,
                              why_len);
}

/*  Shows the sealed report the own node sent.  It came over the local,
    protected hop, so it is parsed for display without the trust list;
    `report verify` is the check for anyone else. */
static int
s_show_sealed (const s_args_t *a, const uint8_t *bytes, size_t len,
               const char *saved)
{
    Xiecha__SignedReport *sr = xiecha__signed_report__unpack (NULL, len,
                                                              bytes);
    Xiecha__Report *r = sr ? xiecha__report__unpack (NULL, sr->report.len,
                                                     sr->report.data)
                           : NULL;
    int status = CLI_EXIT_OK;
    if (!r)
        status = cli_failed (a->cmd, a->node.json, XC_EMALFORMED,
                             _("the node's report does not parse"));
    else if (a->node.json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        s_json_report (&j, r, sr->key_id);
        cli_json_str (&j, "file", saved);
        cli_json_end (&j);
    }
    else
        s_human_report (r, sr->key_id, saved);
    if (r)
        xiecha__report__free_unpacked (r, NULL);
    if (sr)
        xiecha__signed_report__free_unpacked (sr, NULL);
    return status;
}

static int
s_monthly (int argc, char **argv)
{
    s_args_t a = {.cmd = "report monthly"};
    int status = s_parse (argc, argv, &a);
    if (status < 0)
        status = s_check_monthly (argc, argv, &a);
    if (status >= 0)
        return status;
    xc_client_t *client = cli_connect (a.cmd, a.node.socket, a.node.config,
                                       a.node.timeout_ms);
    if (!client)
        return CLI_EXIT_USAGE;
    uint8_t *bytes = NULL;
    size_t len = 0;
    char why[1024];
    int rc = xc_client_report (client, a.month, &bytes, &len, why,
                               sizeof why);
    xc_client_destroy (&client);
    if (rc)
        return cli_failed (a.cmd, a.node.json, rc, why);
    //  The report stands even when saving fails: show it, then say so.
    int save_rc = a.out ? s_save (a.out, bytes, len, why, sizeof why) : 0;
    status = s_show_sealed (&a, bytes, len, a.out && !save_rc ? a.out : NULL);
    free (bytes);
    if (save_rc) {
        cli_error (a.cmd, "%s", why);
        return CLI_EXIT_FAIL;
    }
    return status;
}

/* --------------------------------------------------------------------------
   report verify
   -------------------------------------------------------------------------- */

//  Reads the file and takes the report out of its armor.  Returns 0 or
//  an exit status (bad input).
static int
s_load (const s_args_t *a, uint8_t **bytes, size_t *len)
{
    char *text = NULL, why[512];
    size_t text_len = 0;
    int rc = cli_read_file (a->file, MAX_REPORT_FILE, &text, &text_len, why,
                            sizeof why);
    if (rc)
        return cli_usage_error (a->cmd, "%s", why);
    rc = xc_armor_decode (text, text_len, XC_ARMOR_REPORT, bytes, len, why,
                          sizeof why);
    free (text);
    if (rc)
        return cli_usage_error (a->cmd, "%s: %s", a->file, why);
    return 0;
}

static void
s_print_verdict (const s_args_t *a, const Xiecha__Report *r,
                 const char *key_id, int rc, const char *why)
{
    if (!a->node.json) {
        cli_verdict (rc, why);
        if (r)
            s_human_report (r, key_id, NULL);
        return;
    }
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "file", a->file);
    cli_json_bool (&j, "valid", rc == 0);
    cli_anchor_json (&j, &a->anchor);
    cli_json_str (&j, "reason", rc ? why : NULL);
    if (r)
        s_json_report (&j, r, key_id);
    cli_json_end (&j);
}

static int
s_verify (int argc, char **argv)
{
    s_args_t a = {.cmd = "report verify"};
    int status = s_parse (argc, argv, &a);
    if (status < 0)
        status = s_check_verify (argc, argv, &a);
    if (status >= 0)
        return status;
    uint8_t *bytes = NULL;
    size_t len = 0;
    char why[1024];
    if ((status = s_load (&a, &bytes, &len)) != 0)
        return status;
    xc_trust_t *trust = cli_anchor_load (a.cmd, &a.anchor, xc_now_ms (),
                                         a.node.json, &status);
    if (!trust) {
        free (bytes);
        return status;
    }
    Xiecha__Report *r = NULL;
    int rc = xc_report_verify (bytes, len, trust, &r, why, sizeof why);
    //  The key id is shown only for a verified report, where it is the
    //  key the seal was checked with.
    Xiecha__SignedReport *sr = rc == 0
        ? xiecha__signed_report__unpack (NULL, len, bytes) : NULL;
    s_print_verdict (&a, r, sr ? sr->key_id : NULL, rc, why);
    if (sr)
        xiecha__signed_report__free_unpacked (sr, NULL);
    if (r)
        xiecha__report__free_unpacked (r, NULL);
    xc_trust_destroy (&trust);
    free (bytes);
    return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

int
cli_report_main (int argc, char **argv)
{
    if (argc >= 2 && strcmp (argv[1], "monthly") == 0)
        return s_monthly (argc - 1, argv + 1);
    if (argc >= 2 && strcmp (argv[1], "verify") == 0)
        return s_verify (argc - 1, argv + 1);
    if (argc >= 2
        && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)) {
        s_help ();
        return CLI_EXIT_OK;
    }
    return cli_usage_error ("report", _("%s; the commands are 'xiecha report "
                            "monthly --month YYYY-MM' and 'xiecha report "
                            "verify FILE --trust TRUSTFILE --root HEX'"),
                            argc >= 2 ? _("unknown subcommand")
                                      : _("missing subcommand"));
}
