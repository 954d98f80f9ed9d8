/*  cli_import.c - xiecha import: load a county roster into the node.

    The whole file is read and checked before anything is sent, so a bad
    row never leaves half a roster behind: either every row is valid and
    the node commits them in one transaction, or nothing is sent.  The
    name column is checked for presence and then dropped; the node keeps
    only subject refs. */
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
        "Usage: xiecha import FILE [--json] [--progress]\n"
        "                    [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
        "\n"
        "Loads a roster of enrollments (CSV, UTF-8) into the node's index.\n"
        "Columns: id_number,name,program,since[,until]\n"
        "  program   dibao, tekun, low_income, dibao_edge or temp\n"
        "  since     first day, YYYY-MM-DD\n"
        "  until     last day, YYYY-MM-DD, empty while open\n"
        "A first line starting with \"id_number\" is a header and skipped;\n"
        "blank lines and lines starting with '#' are skipped.  The name is\n"
        "checked but never sent.  Every row is checked before anything is\n"
        "sent; one bad row and nothing is imported (exit 2).\n"
        "\n"
        "  -j, --json             machine-readable output, no progress line\n"
        "  -P, --progress         progress line even when stderr is no tty\n"
        CLI_NODE_HELP
        "  -h, --help             this text\n"
        "\n" CLI_EXIT_HELP);
}

typedef struct {
    cli_node_args_t node; /* -s, -c, -t, -j */
    bool progress;        /* -P */
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
        CLI_NODE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c, status;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":jPs:c:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'P': a->progress = true; break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default:
            if ((status = cli_node_option (&a->node, CMD, c, argv)) >= 0)
                return status;
        }
    }
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
        snprintf (why, sizeof why, "%s: %zu bad rows", a->file, r->bad);
        cli_json_error (XC_EINVAL, why, CLI_EXIT_USAGE);
    }
    return CLI_EXIT_USAGE;
}

static void
s_print (const s_args_t *a, uint64_t rows, uint64_t subjects)
{
    if (a->node.json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "file", a->file);
        cli_json_uint (&j, "rows", rows);
        cli_json_uint (&j, "subjects", subjects);
        cli_json_end (&j);
    }
    else
        printf ("imported %llu rows from %s; index holds %llu subjects\n",
                (unsigned long long) rows, a->file,
                (unsigned long long) subjects);
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
    if (r.bad) {
        status = s_report_bad (&a, &r);
        goto done;
    }
    if (xc_import_rows (imp) == 0) {
        status = cli_usage_error (CMD, "%s: no rows to import", a.file);
        goto done;
    }
    cli_progress_t progress;
    cli_progress_init (&progress,
                       !a.node.json && (a.progress || isatty (STDERR_FILENO)),
                       "sending rows");
    uint64_t subjects = 0;
    char why[1024];
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
    s_print (&a, xc_import_rows (imp), subjects);
    status = CLI_EXIT_OK;
done:
    cli_roster_free (&r);
    xc_import_destroy (&imp);
    xc_client_destroy (&client);
    return status;
}
