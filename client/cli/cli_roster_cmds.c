/*  cli_roster_cmds.c - a registration node's roster, one person at a time, and
    the conflicts it found or was told of:

      xiecha roster show    one person's enrollments at the own node
      xiecha roster close   the end of one enrollment of the own roster
      xiecha conflicts      two counties paying one person one program

    Output shows masked ID numbers and subject-ref prefixes, never names. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "cli_text.h"
#include "xiecha/text.h"

#define S_REF_SHORT 12   /* hex characters of a subject ref in a table */

/* --------------------------------------------------------------------------
   xiecha roster show | close
   -------------------------------------------------------------------------- */

static void
s_roster_help (void)
{
    printf ("%s", _(
        "Usage: xiecha roster show --id ID [--json]\n"
        "       xiecha roster close --id ID --program P [--until YYYY-MM-DD]\n"
        "                           [--json]\n"
        "                           [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
        "\n"
        "show   lists every enrollment of the person at the own node, of\n"
        "       every paying county, ended ones included, and the date of\n"
        "       the node's last roster snapshot of each program.\n"
        "close  ends the enrollment of the person and program that this\n"
        "       node's own roster pays on --until (default: today), as the\n"
        "       next snapshot would if it left the person out.  Nothing is\n"
        "       deleted; enrollments other counties reported by notice are\n"
        "       theirs to end (xiecha terminate there).  A conflict the\n"
        "       enrollment was in is resolved, and the other county told.\n"
        "To correct an enrollment's dates, import a one-row file with\n"
        "`xiecha import --delta`: a new since replaces the open one.\n"
        "Both are recorded in the audit log.\n"
        "\n"
        "  -i, --id ID            the person's ID number\n"
        "  -p, --program P        close: dibao, tekun, low_income,\n"
        "                         dibao_edge or temp\n"
        "  -u, --until DATE       close: the last day paid\n"
        "  -j, --json             machine-readable output\n"));
    printf ("%s", cli_node_help ());
    printf ("%s", _("  -h, --help             this text\n\n"));
    printf ("%s", cli_exit_help ());
    printf ("%s", _("  (1 also when close finds no enrollment of the roster "
                    "to end)\n"));
}

typedef struct {
    cli_node_args_t node;   /* -s, -c, -t, -j */
    bool close;             /* the subcommand */
    const char *id;         /* -i */
    int program;            /* -p */
    uint32_t until;         /* -u */
} s_roster_args_t;

static int
s_roster_parse (int argc, char **argv, s_roster_args_t *a)
{
    static const struct option opts[] = {
        { "id", required_argument, NULL, 'i' },
        { "program", required_argument, NULL, 'p' },
        { "until", required_argument, NULL, 'u' },
        CLI_NODE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *cmd = a->close ? "roster close" : "roster show";
    int c, status;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":i:p:u:js:c:t:h", opts, NULL))
           != -1) {
        switch (c) {
        case 'i': a->id = optarg; break;
        case 'p':
            if (!a->close || !(a->program = xc_program_parse (optarg)))
                return cli_usage_error (cmd, "--program: %s", a->close
                                        ? _("unknown program (dibao, tekun, "
                                            "low_income, dibao_edge, temp)")
                                        : _("only for close"));
            break;
        case 'u':
            if (!a->close || xc_date_parse (optarg, &a->until) != 0)
                return cli_usage_error (cmd, "--until: %s", a->close
                                        ? _("not a date (YYYY-MM-DD)")
                                        : _("only for close"));
            break;
        case 'h': s_roster_help (); return CLI_EXIT_OK;
        default:
            if ((status = cli_node_option (&a->node, cmd, c, argv)) >= 0)
                return status;
        }
    }
    if (optind < argc)
        return cli_usage_error (cmd, _("unexpected argument '%s'"),
                                argv[optind]);
    if (!a->id)
        return cli_usage_error (cmd, _("--id is required"));
    if (a->close && !a->program)
        return cli_usage_error (cmd, _("--program is required"));
    return cli_zone_next (cmd, a->node.config);
}

static void
s_roster_print (const s_roster_args_t *a, const Xiecha__RosterReply *r)
{
    char masked[XC_ID_LEN + 1], norm[XC_ID_LEN + 1], ref[2 * XC_REF_LEN + 1];
    cli_mask_id (xc_id_normalize (a->id, NULL, norm, NULL, 0) == 0 ? norm
                                                                   : a->id,
                 masked);
    xc_hex (r->subject.data, r->subject.len == XC_REF_LEN ? XC_REF_LEN : 0,
            ref);
    if (a->node.json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "id_masked", masked);
        cli_json_str (&j, "subject_ref", ref);
        cli_json_enrollments (&j, "enrollments", r->enrollments,
                              r->n_enrollments);
        cli_json_rosters (&j, "rosters", r->rosters, r->n_rosters);
        cli_json_end (&j);
        return;
    }
    cli_label (_("person"));
    printf (_("%s  subject %.*s…\n"), masked, S_REF_SHORT, ref);
    if (!r->n_enrollments) {
        cli_label (_("enrollments"));
        printf ("%s\n", _("none"));
    }
    for (size_t i = 0; i < r->n_enrollments; i++) {
        char text[320];
        cli_enrollment_line (r->enrollments[i], text, sizeof text);
        cli_label (i ? "" : _("enrollments"));
        printf ("%s\n", text);
    }
    for (size_t i = 0; i < r->n_rosters; i++) {
        char text[256];
        cli_roster_line (r->rosters[i], text, sizeof text);
        cli_label (i ? "" : _("roster"));
        printf ("%s\n", text);
    }
}

int
cli_roster_main (int argc, char **argv)
{
    s_roster_args_t a;
    memset (&a, 0, sizeof a);
    if (argc >= 2 && (strcmp (argv[1], "--help") == 0
                      || strcmp (argv[1], "-h") == 0)) {
        s_roster_help ();
        return CLI_EXIT_OK;
    }
    if (argc < 2 || (strcmp (argv[1], "show") && strcmp (argv[1], "close")))
        return cli_usage_error ("roster", _("%s; the commands are 'xiecha "
                                "roster show --id ID' and 'xiecha roster "
                                "close --id ID --program P'"), argc >= 2
                                ? _("unknown subcommand")
                                : _("missing subcommand"));
    a.close = strcmp (argv[1], "close") == 0;
    const char *cmd = a.close ? "roster close" : "roster show";
    int status = s_roster_parse (argc - 1, argv + 1, &a);
    if (status >= 0)
        return status;
    xc_client_t *client = cli_connect (cmd, a.node.socket, a.node.config,
                                       a.node.timeout_ms);
    if (!client)
        return CLI_EXIT_USAGE;
    Xiecha__RosterReply *r = NULL;
    char why[1024];
    int rc = a.close ? xc_client_roster_close (client, a.id, a.program,
                                               a.until, &r, why, sizeof why)
                     : xc_client_roster_show (client, a.id, &r, why,
                                              sizeof why);
    xc_client_destroy (&client);
    if (rc)
        return cli_failed (cmd, a.node.json, rc, why);
    s_roster_print (&a, r);
    xiecha__roster_reply__free_unpacked (r, NULL);
    return CLI_EXIT_OK;
}

/* --------------------------------------------------------------------------
   xiecha conflicts
   -------------------------------------------------------------------------- */

static void
s_conflicts_help (void)
{
    printf ("%s", _(
        "Usage: xiecha conflicts [--id ID [--salt FILE]] [--json]\n"
        "                        [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
        "\n"
        "Lists every conflict the own node found or was told of: one person\n"
        "paid one program by two counties in overlapping periods, the\n"
        "registration county's roster and another county's enrollment\n"
        "notice.  The registration node finds them (when a roster import\n"
        "or a notice makes them) and tells the other county with a signed\n"
        "notice, so both list the same.  A conflict is resolved when one\n"
        "side's enrollment ends (its termination, or a roster that closes\n"
        "it); resolved ones stay listed with the date.  With --id, only\n"
        "the conflicts about that person (matched by subject ref with the\n"
        "network salt; the ID goes nowhere).\n"
        "\n"
        "  -i, --id ID            only conflicts about this ID number\n"
        "  -S, --salt FILE        the network salt (hex), for --id; default\n"
        "                         trust/salt of the node config -c\n"
        "  -j, --json             machine-readable output\n"));
    printf ("%s", cli_node_help ());
    printf ("%s", _("  -h, --help             this text\n\n"));
    printf ("%s", cli_exit_help ());
}

/*  "2024-03-01..open" into out[48]; open is what an open end reads. */
static void
s_period (uint32_t since, uint32_t until, const char *open, char *out)
{
    char a[11], b[11];
    xc_date_text (since, a);
    xc_date_text (until, b);
    snprintf (out, 48, "%s..%s", a, until ? b : open);
}

static void
s_conflicts_json (const Xiecha__ConflictsReply *c, const cli_who_t *who)
{
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_array (&j, "conflicts");
    for (size_t i = 0; i < c->n_items; i++) {
        const Xiecha__ConflictItem *it = c->items[i];
        const Xiecha__Conflict *k = it->conflict;
        char ref[2 * XC_REF_LEN + 1] = "", date[11], period[48];
        if (!cli_who_is (who, &it->subject))
            continue;
        if (it->subject.len == XC_REF_LEN)
            xc_hex (it->subject.data, XC_REF_LEN, ref);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "subject_ref", ref);
        cli_json_str (&j, "program", xc_program_name (it->program));
        cli_json_str (&j, "registration", it->registration);
        s_period (k->roster_since, k->roster_until, "open", period);
        cli_json_str (&j, "roster_period", period);
        cli_json_str (&j, "other", it->other);
        s_period (k->other_since, k->other_until, "open", period);
        cli_json_str (&j, "other_period", period);
        xc_date_text (k->found, date);
        cli_json_str (&j, "found", date);
        xc_date_text (k->resolved, date);
        cli_json_str (&j, "resolved", k->resolved ? date : NULL);
        cli_json_end (&j);
    }
    cli_json_end (&j);
    cli_json_end (&j);
}

static void
s_conflicts_print (const Xiecha__ConflictsReply *c, const cli_who_t *who)
{
    size_t shown = 0;
    //  Columns (cli_pad): subject, program (its widest name), roster,
    //  period, notice, period, found.
    size_t cols[] = {14, xc_text_width (_("program")), 8, 24, 8, 24, 12};
    for (size_t i = 0; i < c->n_items; i++) {
        size_t w = xc_text_width (xc_program_title (c->items[i]->program));
        cols[1] = w > cols[1] ? w : cols[1];
    }
    cols[1] += 2;
    for (size_t i = 0; i < c->n_items; i++) {
        const Xiecha__ConflictItem *it = c->items[i];
        const Xiecha__Conflict *k = it->conflict;
        if (!cli_who_is (who, &it->subject))
            continue;
        if (shown++ == 0) {
            const char *head[] = {_("subject"), _("program"), _("roster"),
                                  _("period"), _("notice"), _("period"),
                                  _("found")};
            for (size_t h = 0; h < 7; h++)
                cli_pad (stdout, head[h], cols[h]);
            printf ("%s\n", _("resolved"));
        }
        char ref[2 * XC_REF_LEN + 1] = "", found[11], resolved[11];
        char mine[48], theirs[48], cut[32];
        if (it->subject.len == XC_REF_LEN)
            xc_hex (it->subject.data, XC_REF_LEN, ref);
        s_period (k->roster_since, k->roster_until, _("open"), mine);
        s_period (k->other_since, k->other_until, _("open"), theirs);
        xc_date_text (k->found, found);
        xc_date_text (k->resolved, resolved);
        snprintf (cut, sizeof cut, "%.*s…", S_REF_SHORT, ref);
        const char *cell[] = {cut, xc_program_title (it->program),
                              it->registration, mine, it->other, theirs,
                              found};
        for (size_t h = 0; h < 7; h++)
            cli_pad (stdout, cell[h], cols[h]);
        printf ("%s\n", k->resolved ? resolved : _("open"));
    }
    if (!shown)
        printf ("%s\n", _("no conflicts"));
}

int
cli_conflicts_main (int argc, char **argv)
{
    cli_node_args_t a;
    cli_who_t who;
    memset (&a, 0, sizeof a);
    memset (&who, 0, sizeof who);
    int status = cli_who_parse ("conflicts", s_conflicts_help, argc, argv,
                                &a, &who);
    if (status >= 0)
        return status;
    xc_client_t *client = cli_connect ("conflicts", a.socket, a.config,
                                       a.timeout_ms);
    if (!client)
        return CLI_EXIT_USAGE;
    Xiecha__ConflictsReply *c = NULL;
    char why[1024];
    int rc = xc_client_conflicts (client, &c, why, sizeof why);
    xc_client_destroy (&client);
    if (rc)
        return cli_failed ("conflicts", a.json, rc, why);
    if (a.json)
        s_conflicts_json (c, &who);
    else
        s_conflicts_print (c, &who);
    xiecha__conflicts_reply__free_unpacked (c, NULL);
    return CLI_EXIT_OK;
}
