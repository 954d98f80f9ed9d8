/*  cli_manage.c - dynamic management of households enrolled here whose
    registration place is elsewhere (the rules: daemon/decide/households.h):

      xiecha checkin   a household checked in, or has left (--absent)
      xiecha due       households overdue for their quarterly check-in,
                       or gone for more than 3 months (aid should stop)

    Output shows masked ID numbers and subject-ref prefixes, never names. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

#define S_REF_SHORT 12   /* hex characters of the subject ref in the table */

/*  Parses --date / --as-of: YYYY-MM-DD (or YYYYMMDD). */
static int
s_parse_date (const char *cmd, const char *opt, const char *text,
              uint32_t *out)
{
    if (xc_date_parse (text, out) != 0)
        return cli_usage_error (cmd, "%s: '%s' is not a calendar date "
                                "(YYYY-MM-DD)", opt, text);
    return 0;
}

/* --------------------------------------------------------------------------
   xiecha checkin
   -------------------------------------------------------------------------- */

static void
s_checkin_help (void)
{
    printf (
        "Usage: xiecha checkin --id ID --name NAME [--date YYYY-MM-DD]\n"
        "                      [--absent] [--json]\n"
        "                      [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
        "\n"
        "Records that a household enrolled here (by `xiecha enroll`) checked\n"
        "in on DATE (default: today).  Households registered in another\n"
        "province check in quarterly; `xiecha due` lists those that did not.\n"
        "Any member's ID stands for the whole household.\n"
        "\n"
        "With --absent, records instead that the household has left since\n"
        "DATE; after 3 months away its aid should stop (xiecha terminate\n"
        "--reason moved_away).  A later check-in ends the absence.\n"
        "\n"
        "  -i, --id ID            ID number of a household member\n"
        "  -n, --name NAME        their name (sent to the own node only)\n"
        "  -d, --date DATE        date of the check-in or of leaving\n"
        "  -a, --absent           the household has left since DATE\n"
        "  -j, --json             machine-readable output\n"
        CLI_NODE_HELP
        "  -h, --help             this text\n"
        "\n"
        "Output shows the ID number masked (first 6 and last 4).\n"
        "\n" CLI_EXIT_HELP
        "  (1 also when no household of this person is enrolled here)\n");
}

typedef struct {
    cli_node_args_t common;
    xc_person_t person;   /* -i, -n */
    uint32_t date;        /* -d, 0 = today */
    bool absent;          /* -a */
} s_checkin_args_t;

//  Returns -1 to go on, else the exit status.
static int
s_checkin_parse (int argc, char **argv, s_checkin_args_t *a)
{
    static const struct option opts[] = {
        { "id", required_argument, NULL, 'i' },
        { "name", required_argument, NULL, 'n' },
        { "date", required_argument, NULL, 'd' },
        { "absent", no_argument, NULL, 'a' },
        CLI_NODE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c, status;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":i:n:d:ajs:c:t:h", opts,
                             NULL)) != -1) {
        switch (c) {
        case 'i': a->person.id_number = optarg; break;
        case 'n': a->person.name = optarg; break;
        case 'a': a->absent = true; break;
        case 'd':
            if (s_parse_date ("checkin", "--date", optarg, &a->date))
                return CLI_EXIT_USAGE;
            break;
        case 'h': s_checkin_help (); return CLI_EXIT_OK;
        default:
            status = cli_node_option (&a->common, "checkin", c, argv);
            if (status >= 0)
                return status;
        }
    }
    if (optind < argc)
        return cli_usage_error ("checkin", "unexpected argument '%s'",
                                argv[optind]);
    if (!a->person.id_number)
        return cli_usage_error ("checkin", "--id is required");
    if (!a->person.name)
        return cli_usage_error ("checkin", "--name is required");
    return -1;
}

int
cli_checkin_main (int argc, char **argv)
{
    s_checkin_args_t a;
    memset (&a, 0, sizeof a);
    int status = s_checkin_parse (argc, argv, &a);
    if (status >= 0)
        return status;
    //  No date: the node's today (its node/timezone); the reply says it.
    xc_client_t *client = cli_connect ("checkin", a.common.socket,
                                       a.common.config, a.common.timeout_ms);
    if (!client)
        return CLI_EXIT_USAGE;
    char why[1024], date[11], norm[XC_ID_LEN + 1], masked[XC_ID_LEN + 1];
    int rc = xc_client_checkin (client, &a.person, &a.date, a.absent, why,
                                sizeof why);
    xc_client_destroy (&client);
    if (rc)
        return cli_failed ("checkin", a.common.json, rc, why);
    cli_mask_id (xc_id_normalize (a.person.id_number, NULL, norm, NULL, 0) == 0
                     ? norm : a.person.id_number, masked);
    xc_date_text (a.date, date);
    if (a.common.json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "id_masked", masked);
        cli_json_str (&j, "recorded", a.absent ? "absent" : "checkin");
        cli_json_str (&j, "date", date);
        cli_json_end (&j);
    }
    else if (a.absent)
        printf ("household of %s recorded as absent since %s\n", masked, date);
    else
        printf ("household of %s checked in on %s\n", masked, date);
    return CLI_EXIT_OK;
}

/* --------------------------------------------------------------------------
   xiecha due
   -------------------------------------------------------------------------- */

static void
s_due_help (void)
{
    printf (
        "Usage: xiecha due [--as-of YYYY-MM-DD] [--json]\n"
        "                  [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
        "\n"
        "Lists the households enrolled here that need action as of DATE\n"
        "(default: today):\n"
        "  check-in overdue   registered in another province, and no check-in\n"
        "                     for more than 92 days (they check in quarterly)\n"
        "  absent over 3 months: aid should stop\n"
        "                     any household recorded absent (xiecha checkin\n"
        "                     --absent) more than 3 calendar months ago\n"
        "One row per household: subject ref (first 12 hex characters of the\n"
        "applicant's), registration county, program, enrollment date, last\n"
        "check-in, absent since, reason; absences first, oldest first.\n"
        "\n"
        "  -a, --as-of DATE       judge as of this date\n"
        "  -j, --json             machine-readable output\n"
        CLI_NODE_HELP
        "  -h, --help             this text\n"
        "\n" CLI_EXIT_HELP);
}

typedef struct {
    cli_node_args_t common;
    uint32_t as_of;   /* -a, 0 = today */
} s_due_args_t;

static int
s_due_parse (int argc, char **argv, s_due_args_t *a)
{
    static const struct option opts[] = {
        { "as-of", required_argument, NULL, 'a' },
        CLI_NODE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c, status;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":a:js:c:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (s_parse_date ("due", "--as-of", optarg, &a->as_of))
                return CLI_EXIT_USAGE;
            break;
        case 'h': s_due_help (); return CLI_EXIT_OK;
        default:
            if ((status = cli_node_option (&a->common, "due", c, argv)) >= 0)
                return status;
        }
    }
    if (optind < argc)
        return cli_usage_error ("due", "unexpected argument '%s'",
                                argv[optind]);
    return -1;
}

static void
s_ref_hex (const Xiecha__DueItem *it, char *out)
{
    out[0] = '\0';
    if (it->subject.len == XC_REF_LEN)
        xc_hex (it->subject.data, XC_REF_LEN, out);
}

/*  A date for the table: "-" when unset. */
static void
s_cell_date (uint32_t ymd, char *out)
{
    if (ymd)
        xc_date_text (ymd, out);
    else
        snprintf (out, 11, "-");
}

static void
s_due_json (const Xiecha__DueReply *d, uint32_t as_of)
{
    cli_json_t j;
    char date[11], ref[2 * XC_REF_LEN + 1];
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    xc_date_text (as_of, date);
    cli_json_str (&j, "as_of", date);
    cli_json_uint (&j, "total", d->n_items);
    cli_json_array (&j, "households");
    for (size_t i = 0; i < d->n_items; i++) {
        const Xiecha__DueItem *it = d->items[i];
        s_ref_hex (it, ref);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "subject_ref", ref);
        cli_json_place (&j, "home", it->home);
        cli_json_str (&j, "program", xc_program_name (it->program));
        xc_date_text (it->since, date);
        cli_json_str (&j, "since", date);
        xc_date_text (it->last_checkin, date);
        cli_json_str (&j, "last_checkin", it->last_checkin ? date : NULL);
        xc_date_text (it->absent_since, date);
        cli_json_str (&j, "absent_since", it->absent_since ? date : NULL);
        cli_json_str (&j, "reason", it->reason);
        cli_json_end (&j);
    }
    cli_json_end (&j);
    cli_json_end (&j);
}

static void
s_due_human (const Xiecha__DueReply *d, uint32_t as_of)
{
    size_t absent = 0;
    char date[11];
    if (d->n_items)
        printf ("%-12s  %-6s  %-10s  %-10s  %-10s  %-10s  %s\n", "SUBJECT",
                "HOME", "PROGRAM", "SINCE", "CHECK-IN", "ABSENT", "REASON");
    for (size_t i = 0; i < d->n_items; i++) {
        const Xiecha__DueItem *it = d->items[i];
        char ref[2 * XC_REF_LEN + 1], since[11], last[11], away[11];
        s_ref_hex (it, ref);
        s_cell_date (it->since, since);
        s_cell_date (it->last_checkin, last);
        s_cell_date (it->absent_since, away);
        absent += it->absent_since != 0
                  && it->reason && strncmp (it->reason, "absent", 6) == 0;
        printf ("%-12.*s  %-6s  %-10s  %-10s  %-10s  %-10s  %s\n",
                S_REF_SHORT, *ref ? ref : "?", it->home,
                xc_program_name (it->program), since, last, away,
                it->reason);
    }
    xc_date_text (as_of, date);
    printf ("%zu household%s due as of %s (%zu absent over 3 months, %zu "
            "check-in overdue)\n", d->n_items, d->n_items == 1 ? "" : "s",
            date, absent, d->n_items - absent);
}

int
cli_due_main (int argc, char **argv)
{
    s_due_args_t a;
    memset (&a, 0, sizeof a);
    int status = s_due_parse (argc, argv, &a);
    if (status >= 0)
        return status;
    xc_client_t *client = cli_connect ("due", a.common.socket,
                                       a.common.config, a.common.timeout_ms);
    if (!client)
        return CLI_EXIT_USAGE;
    Xiecha__DueReply *d = NULL;
    char why[1024];
    int rc = xc_client_due (client, a.as_of, &d, why, sizeof why);
    xc_client_destroy (&client);
    if (rc)
        return cli_failed ("due", a.common.json, rc, why);
    if (a.common.json)
        s_due_json (d, d->as_of ? d->as_of : a.as_of);
    else
        s_due_human (d, d->as_of ? d->as_of : a.as_of);
    xiecha__due_reply__free_unpacked (d, NULL);
    return CLI_EXIT_OK;
}
