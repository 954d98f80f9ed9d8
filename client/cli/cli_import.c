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

#include "cli.h"
#include "cli_roster.h"

#define CMD "import"

static void
s_help (void)
{
    printf (
        "Usage: xiecha import FILE [--as-of YYYY-MM-DD] [--program P[,P...]]\n"
        "                    [--delta] [--json] [--progress]\n"
        "                    [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
        "\n"
        "Loads this county's roster (CSV, UTF-8) into the node's index.\n"
        "Columns: id_number,name,program,since[,until]\n"
        "  program   dibao, tekun, low_income, dibao_edge or temp\n"
        "  since     first day, YYYY-MM-DD\n"
        "  until     last day, YYYY-MM-DD, empty while open\n"
        "A first line starting with \"id_number\" is a header and skipped;\n"
        "blank lines and lines starting with '#' are skipped.  The name is\n"
        "checked but never sent.  Every row is checked before anything is\n"
        "sent; one bad row, or two rows of the same person and program\n"
        "(both lines are named), and nothing is imported (exit 2).\n"
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
        "  -a, --as-of DATE       the snapshot's date (default: the node's today)\n"
        "  -p, --program LIST     the programs it covers, comma-separated\n"
        "                         (default: those of its rows); a program\n"
        "                         with no rows says nobody is paid it\n"
        "  -D, --delta            the rows only: add, correct (a new since),\n"
        "                         or close (a row with until); no date\n"
        "  -j, --json             machine-readable output, no progress line\n"
        "  -P, --progress         progress line even when stderr is no tty\n"
        CLI_NODE_HELP
        "  -h, --help             this text\n"
        "\n" CLI_EXIT_HELP);
}

typedef struct {
    cli_node_args_t node; /* -s, -c, -t, -j */
    bool progress;        /* -P */
    bool delta;           /* -D */
    uint32_t as_of;       /* -a; 0: the node's today */
    int programs[XIECHA__PROGRAM__TEMP];  /* -p */
    size_t program_count;
    const char *file;     /* the roster */
} s_args_t;

//  Reads and checks the whole roster.  Returns 0, or an exit status when
//  the file could not be read.
static int
s_read (xc_import_t *imp, cli_roster_t *r)
{
    FILE *f = strcmp (r->file, "-") ? fopen (r->file, "r") : stdin;
    if (!f)
        return cli_usage_error (CMD, "%s: %s", r->file, strerror (errno));
    int err = cli_roster_read (f, imp, r);
    if (f != stdin)
        fclose (f);
    if (err)
        return cli_usage_error (CMD, "%s: %s", r->file, strerror (err));
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
        CLI_NODE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c, status;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":jPa:p:Ds:c:t:h", opts, NULL))
           != -1) {
        switch (c) {
        case 'P': a->progress = true; break;
        case 'D': a->delta = true; break;
        case 'a':
            if (xc_date_parse (optarg, &a->as_of) != 0)
                return cli_usage_error (CMD, "--as-of: '%s' is not a date "
                                        "(YYYY-MM-DD)", optarg);
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
        return cli_usage_error (CMD, "--delta changes its rows only; "
                                "--as-of and --program are a snapshot's");
    if (optind >= argc)
        return cli_usage_error (CMD, "FILE is required");
    if (optind + 1 < argc)
        return cli_usage_error (CMD, "unexpected argument '%s'",
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
        cli_error (CMD, "... and %zu more", r->bad - CLI_ROSTER_SHOWN);
    cli_error (CMD, "%s: %zu bad row%s; nothing was imported", a->file,
               r->bad, r->bad == 1 ? "" : "s");
    if (a->node.json) {
        char why[256];
        snprintf (why, sizeof why, "%s: %zu bad row%s; nothing was imported",
                  a->file, r->bad, r->bad == 1 ? "" : "s");
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
    printf ("imported %llu rows from %s", (unsigned long long) r->rows,
            a->file);
    if (r->as_of)
        printf (" as a snapshot as of %s", date);
    printf (": %llu added, %llu changed, %llu closed, %llu unchanged; index "
            "holds %llu subjects\n", (unsigned long long) r->added,
            (unsigned long long) r->changed, (unsigned long long) r->closed,
            (unsigned long long) r->unchanged,
            (unsigned long long) r->subjects);
    if (r->conflicts)
        printf ("%llu conflict%s with other paying counties: see `xiecha "
                "conflicts`\n", (unsigned long long) r->conflicts,
                r->conflicts == 1 ? "" : "s");
    if (r->not_applied)
        printf ("%llu row%s not applied: the person's index record holds "
                "32 enrollments already (see the node's log)\n",
                (unsigned long long) r->not_applied,
                r->not_applied == 1 ? "" : "s");
}

/*  A row of a person and program seen before, with both lines. */
static void
s_duplicate (uint32_t line, uint32_t first_line, int program, void *arg)
{
    cli_roster_bad ((cli_roster_t *) arg, line, "same person and program "
                    "(%s) as line %u", xc_program_name (program),
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
        cli_error (CMD, "out of memory");
        status = CLI_EXIT_FAIL;
        goto done;
    }
    if ((status = s_read (imp, &r)) != 0)
        goto done;
    if (!r.bad)
        xc_import_duplicates (imp, s_duplicate, &r);
    if (r.bad) {
        status = s_report_bad (&a, &r);
        goto done;
    }
    if (xc_import_rows (imp) == 0 && (a.delta || !a.program_count)) {
        status = cli_usage_error (CMD, "%s: no rows to import%s", a.file,
                                  a.delta ? "" : " (a snapshot of nobody "
                                  "paid names its programs: --program)");
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
                       "sending rows");
    uint64_t subjects = 0;
    int rc = xc_import_commit (imp, s_progress, &progress, &subjects, why,
                               sizeof why);
    cli_progress_end (&progress);
    if (rc) {
        status = cli_exit_code (rc);
        cli_error (CMD, "%s: import failed: %s", a.file, why);
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
