/*  cli_manage.c - dynamic management of households enrolled here whose
    registration place is elsewhere (the rules: daemon/decide/households.h):

      xiecha checkin   a household checked in, or has left (--absent)
      xiecha due       households overdue for their quarterly check-in,
                       or gone for more than 3 months (aid should stop)

    Output shows masked ID numbers and subject-ref prefixes, never names. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_text.h"
#include "xiecha/text.h"

#define S_REF_SHORT 12   /* hex characters of the subject ref in the table */

/*  Parses --date / --as-of: YYYY-MM-DD (or YYYYMMDD). */
static int
s_parse_date (const char *cmd, const char *opt, const char *text,
              uint32_t *out)
{
    if (xc_date_parse (text, out) != 0)
        return cli_usage_error (cmd, _("%s: '%s' is not a calendar date "
                                  "(YYYY-MM-DD)"), opt, text);
    return 0;
}

/* --------------------------------------------------------------------------
   xiecha checkin
   -------------------------------------------------------------------------- */

static void
s_checkin_help (void)
{
    printf ("%s", _(
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
        "  -j, --json             machine-readable output\n"));
    printf ("%s", cli_node_help ());
    printf ("%s", _("  -h, --help             this text\n"
        "\n"
        "Output shows the ID number masked (first 6 and last 4).\n"
        "\n"));
    printf ("%s", cli_exit_help ());
    printf ("%s", _("  (1 also when no household of this person is enrolled "
                    "here)\n"));
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
        return cli_usage_error ("checkin", _("unexpected argument '%s'"),
                                argv[optind]);
    if (!a->person.id_number)
        return cli_usage_error ("checkin", _("--id is required"));
    if (!a->person.name)
        return cli_usage_error ("checkin", _("--name is required"));
    return cli_zone_next ("checkin", a->common.config);
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
        printf (_("household of %s recorded as absent since %s\n"), masked,
                date);
    else
        printf (_("household of %s checked in on %s\n"), masked, date);
    return CLI_EXIT_OK;
}

/* --------------------------------------------------------------------------
   xiecha due
   -------------------------------------------------------------------------- */

static void
s_due_help (void)
{
    printf ("%s", _(
        "Usage: xiecha due [--as-of YYYY-MM-DD] [--id ID [--salt FILE]]\n"
        "                  [--json]\n"
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
        "With --id, only the household of that person (matched by subject\n"
        "ref with the network salt; the ID goes nowhere).\n"
        "\n"
        "  -a, --as-of DATE       judge as of this date\n"
        "  -i, --id ID            only the household of this ID number\n"
        "  -S, --salt FILE        the network salt (hex), for --id; default\n"
        "                         trust/salt of the node config -c\n"
        "  -j, --json             machine-readable output\n"));
    printf ("%s", cli_node_help ());
    printf ("%s", _("  -h, --help             this text\n\n"));
    printf ("%s", cli_exit_help ());
}

typedef struct {
    cli_node_args_t common;
    uint32_t as_of;   /* -a, 0 = today */
    cli_who_t who;    /* -i, -S */
} s_due_args_t;

static int
s_due_parse (int argc, char **argv, s_due_args_t *a)
{
    static const struct option opts[] = {
        { "as-of", required_argument, NULL, 'a' },
        { "id", required_argument, NULL, 'i' },
        { "salt", required_argument, NULL, 'S' },
        CLI_NODE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c, status;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":a:i:S:js:c:t:h", opts, NULL))
           != -1) {
        switch (c) {
        case 'i': a->who.id = optarg; break;
        case 'S': a->who.salt = optarg; break;
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
        return cli_usage_error ("due", _("unexpected argument '%s'"),
                                argv[optind]);
    if ((status = cli_zone_next ("due", a->common.config)) >= 0)
        return status;
    return cli_who_load ("due", &a->who, a->common.config);
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

/*  The households of the reply that --id asks about (all without),
    into out[d->n_items]; returns how many. */
static size_t
s_due_pick (const Xiecha__DueReply *d, const cli_who_t *who,
            const Xiecha__DueItem **out)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_items; i++)
        if (cli_who_is (who, &d->items[i]->subject))
            out[n++] = d->items[i];
    return n;
}

static void
s_due_json (const Xiecha__DueItem **items, size_t n, uint32_t as_of)
{
    cli_json_t j;
    char date[11], ref[2 * XC_REF_LEN + 1];
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    xc_date_text (as_of, date);
    cli_json_str (&j, "as_of", date);
    cli_json_uint (&j, "total", n);
    cli_json_array (&j, "households");
    for (size_t i = 0; i < n; i++) {
        const Xiecha__DueItem *it = items[i];
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

/*  The reason as people read it; the node's English text when it says
    something new. */
static const char *
s_due_reason (const char *reason)
{
    if (strcmp (reason, "check-in overdue") == 0)
        return _("check-in overdue");
    if (strcmp (reason, "absent over 3 months: aid should stop") == 0)
        return _("absent over 3 months: aid should stop");
    return reason;
}

static void
s_due_human (const Xiecha__DueItem **items, size_t n, uint32_t as_of)
{
    //  Columns (cli_pad): subject, home, program (as wide as its widest
    //  name), since, check-in, absent.
    size_t cols[] = {14, 8, xc_text_width (_("PROGRAM")), 12, 12, 12};
    for (size_t i = 0; i < n; i++) {
        size_t w = xc_text_width (xc_program_title (items[i]->program));
        cols[2] = w > cols[2] ? w : cols[2];
    }
    cols[2] += 2;
    size_t absent = 0;
    char date[11];
    if (n) {
        const char *head[] = {_("SUBJECT"), _("HOME"), _("PROGRAM"),
                              _("SINCE"), _("CHECK-IN"), _("ABSENT")};
        for (size_t c = 0; c < 6; c++)
            cli_pad (stdout, head[c], cols[c]);
        printf ("%s\n", _("REASON"));
    }
    for (size_t i = 0; i < n; i++) {
        const Xiecha__DueItem *it = items[i];
        char ref[2 * XC_REF_LEN + 1], since[11], last[11], away[11];
        s_ref_hex (it, ref);
        s_cell_date (it->since, since);
        s_cell_date (it->last_checkin, last);
        s_cell_date (it->absent_since, away);
        absent += it->absent_since != 0
                  && it->reason && strncmp (it->reason, "absent", 6) == 0;
        printf ("%-12.*s  ", S_REF_SHORT, *ref ? ref : "?");
        const char *cell[] = {it->home, xc_program_title (it->program),
                              since, last, away};
        for (size_t c = 0; c < 5; c++)
            cli_pad (stdout, cell[c], cols[c + 1]);
        printf ("%s\n", s_due_reason (it->reason));
    }
    xc_date_text (as_of, date);
    printf (n == 1 ? _("%zu household due as of %s (%zu absent over 3 "
                       "months, %zu check-in overdue)\n")
                   : _("%zu households due as of %s (%zu absent over 3 "
                       "months, %zu check-in overdue)\n"),
            n, date, absent, n - absent);
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
    const Xiecha__DueItem **items = calloc (d->n_items ? d->n_items : 1,
                                            sizeof *items);
    if (!items) {
        xiecha__due_reply__free_unpacked (d, NULL);
        return cli_failed ("due", a.common.json, XC_ENOMEM, "out of memory");
    }
    size_t n = s_due_pick (d, &a.who, items);
    if (a.common.json)
        s_due_json (items, n, d->as_of ? d->as_of : a.as_of);
    else
        s_due_human (items, n, d->as_of ? d->as_of : a.as_of);
    free (items);
    xiecha__due_reply__free_unpacked (d, NULL);
    return CLI_EXIT_OK;
}
