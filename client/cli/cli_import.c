/*  cli_import.c - xiecha import: load a county roster into the node.

    The whole file is read and checked before anything is sent, so a bad
    row never leaves half a roster behind: either every row is valid (and
    no person and program appears twice) and the node applies them all,
    or nothing is sent.  The file is a snapshot of what the county pays
    as of a date, or with --delta a list of changes.  The name column is
    checked for presence and then dropped; the node keeps only subject
    refs. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <czmq.h>

#include "xiecha/text.h"
#include "cli.h"
#include "cli_text.h"
#include "cli_roster.h"

#define CMD "import"

static void
s_help (void)
{
    printf ("%s", _(
        "Usage: xiecha import FILE [--as-of DATE] [--program P[,P...]]\n"
        "                    [--delta] [--encoding E] [--json] [--progress]\n"
        "                    [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
        "\n"
        "Loads this county's roster (CSV, as a spreadsheet saves it) into\n"
        "the node's index.  Columns, found by the header row in any order\n"
        "(other columns are ignored), or in this order without one:\n"
        "  身份证号码 id_number   the ID number (also 身份证号, 公民身份号码)\n"
        "  姓名 name              checked, never sent\n"
        "  救助类别 program       最低生活保障 (低保), 特困人员救助供养 (特困),\n"
        "                         低收入家庭, 低保边缘家庭, 临时救助; or dibao,\n"
        "                         tekun, low_income, dibao_edge, temp\n"
        "  开始日期 since         first day\n"
        "  结束日期 until         last day, empty while open\n"
        "Dates as 2018-12-04, 2018/12/4, 2018.12.4, 20181204 or 2018年12月4日;\n"
        "full-width digits and Ｘ are read as digits and X.  The file is\n"
        "UTF-8 (with or without BOM) or GB18030/GBK, told apart by its\n"
        "bytes.  Blank lines and lines starting with '#' are skipped.  An ID\n"
        "number a spreadsheet turned into a number (4.69021E+17, or 17\n"
        "digits without the final X) is refused: its digits are lost.\n"
        "Every row is checked before anything is sent; one bad row, or two\n"
        "rows of the same person and program (both lines are named), and\n"
        "nothing is imported (exit 2).\n"
        "\n"
        "The file is a snapshot: everything this county pays in its\n"
        "programs as of a date.  Each row sets the county's enrollment of\n"
        "that person and program (a corrected since replaces the open\n"
        "one); an enrollment of the node's own roster that the snapshot\n"
        "misses is closed on its date (until = the date), never deleted.\n"
        "Enrollments other counties reported by notice are untouched; one\n"
        "that overlaps a row is a conflict, shown by `xiecha conflicts` on\n"
        "both nodes.  A snapshot older than the last one of a program is\n"
        "refused.  The date becomes the program's \"roster as of\", which\n"
        "every certificate carries: a node does not certify NOT_RECEIVING\n"
        "from a roster older than the trust list's max_roster_age_days.\n"
        "\n"
        "  -a, --as-of DATE       the snapshot's date, YYYY-MM-DD (default:\n"
        "                         the node's today)\n"
        "  -p, --program LIST     the programs it covers, comma-separated\n"
        "                         (default: those of its rows); a program\n"
        "                         with no rows says nobody is paid it\n"
        "  -D, --delta            the rows only: add, correct (a new since),\n"
        "                         or close (a row with until); no date\n"
        "  -e, --encoding E       auto (default), utf-8, gb18030 or gbk\n"
        "  -j, --json             machine-readable output, no progress line\n"
        "  -P, --progress         progress line even when stderr is no tty\n"));
    printf ("%s", cli_node_help ());
    printf ("%s", _("  -h, --help             this text\n\n"));
    printf ("%s", cli_exit_help ());
}

typedef struct {
    cli_node_args_t node; /* -s, -c, -t, -j */
    bool progress;        /* -P */
    bool delta;           /* -D */
    const char *encoding; /* -e; NULL: told by the bytes */
    uint32_t as_of;       /* -a; 0: the node's today */
    int programs[XIECHA__PROGRAM__TEMP];  /* -p */
    size_t program_count;
    const char *file;     /* the roster */
} s_args_t;

//  Reads and checks the whole roster.  Returns 0, or an exit status when
//  the file could not be read.
static int
s_read (const s_args_t *a, xc_import_t *imp, cli_roster_t *r)
{
    char why[640];
    cli_csv_t *csv = cli_csv_new (a->file, a->encoding, cli_roster_columns,
                                  CLI_ROSTER_COLUMNS, why, sizeof why);
    if (!csv)
        return cli_usage_error (CMD, "%s", why);
    cli_roster_read (csv, imp, r);
    cli_csv_destroy (&csv);
    return 0;
}

static void
s_progress (uint64_t done, uint64_t total, void *arg)
{
    cli_progress_update ((cli_progress_t *) arg, done, total);
}

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "progress", no_argument, NULL, 'P' },
        { "as-of", required_argument, NULL, 'a' },
        { "program", required_argument, NULL, 'p' },
        { "delta", no_argument, NULL, 'D' },
        { "encoding", required_argument, NULL, 'e' },
        CLI_NODE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c, status;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":jPa:p:De:s:c:t:h", opts, NULL))
           != -1) {
        switch (c) {
        case 'P': a->progress = true; break;
        case 'D': a->delta = true; break;
        case 'e':
            if ((status = cli_csv_encoding_option (CMD, optarg,
                                              &a->encoding)) >= 0)
                return status;
            break;
        case 'a':
            if (xc_date_parse (optarg, &a->as_of) != 0)
                return cli_usage_error (CMD, _("--as-of: '%s' is not a "
                                        "date (YYYY-MM-DD)"), optarg);
            break;
        case 'p':
            if ((status = cli_parse_programs (CMD, "--program", optarg,
                                              a->programs,
                                              &a->program_count)))
                return status;
            break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default:
            if ((status = cli_node_option (&a->node, CMD, c, argv)) >= 0)
                return status;
        }
    }
    if (a->delta && (a->as_of || a->program_count))
        return cli_usage_error (CMD, _("--delta changes its rows only; "
                                "--as-of and --program are a snapshot's"));
    if (optind >= argc)
        return cli_usage_error (CMD, _("FILE is required"));
    if (optind + 1 < argc)
        return cli_usage_error (CMD, _("unexpected argument '%s'"),
                                argv[optind + 1]);
    a->file = argv[optind];
    return -1;
}

//  Prints what was wrong with the file; returns CLI_EXIT_USAGE.
static int
s_report_bad (const s_args_t *a, cli_roster_t *r)
{
    for (size_t i = 0; i < r->bad && i < CLI_ROSTER_SHOWN; i++)
        cli_error (CMD, "%s", r->shown[i]);
    if (r->bad > CLI_ROSTER_SHOWN)
        cli_error (CMD, _("... and %zu more"), r->bad - CLI_ROSTER_SHOWN);
    char why[256];
    //  Two texts, not xc_ntext: the catalogue tools here fill no plurals.
    snprintf (why, sizeof why, r->bad == 1 ? _("%s: %zu bad row; nothing "
              "was imported") : _("%s: %zu bad rows; nothing was imported"),
              a->file, r->bad);
    cli_error (CMD, "%s", why);
    if (a->node.json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "error", why);
        cli_json_str (&j, "code", xc_error_name (XC_EINVAL));
        cli_json_int (&j, "exit", CLI_EXIT_USAGE);
        cli_json_array (&j, "rows");   /* the first CLI_ROSTER_SHOWN */
        for (size_t i = 0; i < r->bad && i < CLI_ROSTER_SHOWN; i++)
            cli_json_str (&j, NULL, r->shown[i]);
        cli_json_end (&j);
        cli_json_end (&j);
    }
    return CLI_EXIT_USAGE;
}

static void
s_print (const s_args_t *a, const xc_import_result_t *r)
{
    char date[11];
    xc_date_text (r->as_of, date);
    if (a->node.json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "file", a->file);
        cli_json_str (&j, "kind", a->delta ? "delta" : "snapshot");
        cli_json_str (&j, "as_of", r->as_of ? date : NULL);
        cli_json_uint (&j, "rows", r->rows);
        cli_json_uint (&j, "subjects", r->subjects);
        cli_json_uint (&j, "added", r->added);
        cli_json_uint (&j, "changed", r->changed);
        cli_json_uint (&j, "closed", r->closed);
        cli_json_uint (&j, "unchanged", r->unchanged);
        cli_json_uint (&j, "conflicts", r->conflicts);
        cli_json_uint (&j, "not_applied", r->not_applied);
        cli_json_end (&j);
        return;
    }
    printf (_("imported %llu rows from %s"), (unsigned long long) r->rows,
            a->file);
    if (r->as_of)
        printf (_(" as a snapshot as of %s"), date);
    printf (_(": %llu added, %llu changed, %llu closed, %llu unchanged; "
            "index holds %llu subjects\n"), (unsigned long long) r->added,
            (unsigned long long) r->changed, (unsigned long long) r->closed,
            (unsigned long long) r->unchanged,
            (unsigned long long) r->subjects);
    if (r->conflicts)
        printf (r->conflicts == 1 ? _("%llu conflict with other paying "
                "counties: see `xiecha conflicts`\n") : _("%llu conflicts "
                "with other paying counties: see `xiecha conflicts`\n"),
                (unsigned long long) r->conflicts);
    if (r->not_applied)
        printf (r->not_applied == 1 ? _("%llu row not applied: the "
                "person's index record holds 32 enrollments already (see "
                "the node's log)\n") : _("%llu rows not applied: the "
                "person's index record holds 32 enrollments already (see "
                "the node's log)\n"),
                (unsigned long long) r->not_applied);
}

/*  A row of a person and program seen before, with both lines. */
static void
s_duplicate (uint32_t line, uint32_t first_line, int program, void *arg)
{
    cli_roster_bad ((cli_roster_t *) arg, line, _("same person and "
                    "program (%s) as line %u"), xc_program_name (program),
                    (unsigned) first_line);
}

int
cli_import_main (int argc, char **argv)
{
    s_args_t a;
    memset (&a, 0, sizeof a);
    int status = s_parse (argc, argv, &a);
    if (status >= 0)
        return status;

    //  Connecting sends nothing: the rows are checked before any request.
    xc_client_t *client = cli_connect (CMD, a.node.socket, a.node.config,
                                       a.node.timeout_ms);
    if (!client)
        return CLI_EXIT_USAGE;
    xc_import_t *imp = xc_import_new (client);
    cli_roster_t r;
    memset (&r, 0, sizeof r);
    r.file = a.file;
    if (!imp) {
        cli_error (CMD, "%s", _("out of memory"));
        status = CLI_EXIT_FAIL;
        goto done;
    }
    if ((status = s_read (&a, imp, &r)) != 0)
        goto done;
    if (!r.bad)
        xc_import_duplicates (imp, s_duplicate, &r);
    if (r.bad) {
        status = s_report_bad (&a, &r);
        goto done;
    }
    if (xc_import_rows (imp) == 0 && (a.delta || !a.program_count)) {
        status = cli_usage_error (CMD, a.delta ? _("%s: no rows to import")
                                  : _("%s: no rows to import (a snapshot of "
                                  "nobody paid names its programs: "
                                  "--program)"), a.file);
        goto done;
    }
    char why[1024];
    if (a.delta)
        xc_import_delta (imp);
    else if (xc_import_snapshot (imp, a.as_of, a.programs, a.program_count,
                                 why, sizeof why) != 0) {
        status = cli_usage_error (CMD, "%s", why);
        goto done;
    }
    cli_progress_t progress;
    cli_progress_init (&progress,
                       !a.node.json && (a.progress || isatty (STDERR_FILENO)),
                       _("sending rows"));
    uint64_t subjects = 0;
    int rc = xc_import_commit (imp, s_progress, &progress, &subjects, why,
                               sizeof why);
    cli_progress_end (&progress);
    if (rc) {
        status = cli_exit_code (rc);
        cli_error (CMD, _("%s: import failed: %s"), a.file, why);
        if (a.node.json)
            cli_json_error (rc, why, status);
        goto done;
    }
    s_print (&a, xc_import_result (imp));
    status = CLI_EXIT_OK;
done:
    cli_roster_free (&r);
    xc_import_destroy (&imp);
    xc_client_destroy (&client);
    return status;
}
