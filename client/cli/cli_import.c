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
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <czmq.h>

#include "cli.h"

#define CMD "import"
#define MAX_SHOWN 20      /* bad rows printed before "... and N more" */
#define MAX_COLUMNS 8     /* more than 5 is an error; stop counting here */

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

//  What reading the file found.
typedef struct {
    const char *file;                 /* for messages */
    char *shown[MAX_SHOWN];           /* first bad-row messages, owned */
    size_t bad;                       /* bad rows in all */
    bool header_checked;              /* first data line looked at */
} s_report_t;

static void
s_bad (s_report_t *r, uint32_t line, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

static void
s_bad (s_report_t *r, uint32_t line, const char *fmt, ...)
{
    if (r->bad < MAX_SHOWN) {
        char text[512];
        va_list ap;
        va_start (ap, fmt);
        vsnprintf (text, sizeof text, fmt, ap);
        va_end (ap);
        r->shown[r->bad] = zsys_sprintf ("%s:%u: %s", r->file,
                                         (unsigned) line, text);
    }
    r->bad++;
}

//  Splits one CSV line in place into fields (RFC 4180 quoting, without
//  line breaks inside quotes).  Returns the number of fields, or -1 for
//  an unterminated quote.
static int
s_split (char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    while (true) {
        char *out = p, *start = p;
        if (*p == '"') {
            //  Quoted: "" stands for one quote; copy down over the quotes.
            p++;
            while (true) {
                if (*p == '\0')
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                }
                else if (*p == '"') {
                    p++;
                    break;
                }
                else
                    *out++ = *p++;
            }
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p != ',' && *p != '\0')
                return -1;
        }
        else {
            while (*p != ',' && *p != '\0')
                p++;
            out = p;
        }
        char end = *p;
        *out = '\0';
        if (n < max)
            fields[n] = start;
        n++;
        if (end == '\0')
            return n;
        p++;
    }
}

//  Trims blanks at both ends, in place.
static char *
s_trim (char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen (s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        s[--len] = '\0';
    return s;
}

//  Checks one data line and adds it to the import.
static void
s_row (xc_import_t *imp, s_report_t *r, char *text, uint32_t line)
{
    char *f[MAX_COLUMNS];
    int n = s_split (text, f, MAX_COLUMNS);
    if (n < 0) {
        s_bad (r, line, "a quoted field is not closed");
        return;
    }
    if (n < 4 || n > 5) {
        s_bad (r, line, "expected 4 or 5 columns "
               "(id_number,name,program,since[,until]), found %d", n);
        return;
    }
    for (int i = 0; i < n; i++)
        f[i] = s_trim (f[i]);
    if (!*f[1]) {
        s_bad (r, line, "name: missing");
        return;
    }
    int program = xc_program_parse (f[2]);
    if (program == 0) {
        s_bad (r, line, "program: unknown program '%s' (dibao, tekun, "
               "low_income, dibao_edge, temp)", f[2]);
        return;
    }
    uint32_t since = 0, until = 0;
    if (xc_date_parse (f[3], &since) != 0) {
        s_bad (r, line, "since: '%s' is not a date (YYYY-MM-DD)", f[3]);
        return;
    }
    if (n == 5 && *f[4] && xc_date_parse (f[4], &until) != 0) {
        s_bad (r, line, "until: '%s' is not a date (YYYY-MM-DD)", f[4]);
        return;
    }
    char why[256];
    if (xc_import_add (imp, f[0], program, since, until, line, why,
                       sizeof why) != 0)
        s_bad (r, line, "%s", why);
}

//  Reads and checks the whole roster.  Returns 0, or an exit status when
//  the file could not be read.
static int
s_read (xc_import_t *imp, s_report_t *r)
{
    FILE *f = strcmp (r->file, "-") ? fopen (r->file, "r") : stdin;
    if (!f)
        return cli_usage_error (CMD, "%s: %s", r->file, strerror (errno));
    char *text = NULL;
    size_t cap = 0;
    ssize_t len;
    uint32_t line = 0;
    while ((len = getline (&text, &cap, f)) >= 0) {
        line++;
        while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
            text[--len] = '\0';
        char *p = text;
        if (line == 1 && strncmp (p, "\xef\xbb\xbf", 3) == 0)
            p += 3;   // a BOM, as spreadsheets write it
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        bool first = !r->header_checked;
        r->header_checked = true;
        if (first && strncmp (p, "id_number", 9) == 0)
            continue;
        s_row (imp, r, p, line);
    }
    int err = ferror (f) ? errno : 0;
    free (text);
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
s_report_bad (const s_args_t *a, s_report_t *r)
{
    for (size_t i = 0; i < r->bad && i < MAX_SHOWN; i++)
        cli_error (CMD, "%s", r->shown[i]);
    if (r->bad > MAX_SHOWN)
        cli_error (CMD, "... and %zu more", r->bad - MAX_SHOWN);
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
        cli_json_array (&j, "rows");   /* the first MAX_SHOWN */
        for (size_t i = 0; i < r->bad && i < MAX_SHOWN; i++)
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
}

/*  A row of a person and program seen before, with both lines. */
static void
s_duplicate (uint32_t line, uint32_t first_line, int program, void *arg)
{
    s_bad ((s_report_t *) arg, line, "same person and program (%s) as line "
           "%u", xc_program_name (program), (unsigned) first_line);
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
    s_report_t r;
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
    for (size_t i = 0; i < MAX_SHOWN; i++)
        zstr_free (&r.shown[i]);
    xc_import_destroy (&imp);
    xc_client_destroy (&client);
    return status;
}
