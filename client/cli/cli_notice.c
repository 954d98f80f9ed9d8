/*  cli_notice.c - xiecha enroll, terminate, emergency: report a decision
    made here to the registration county, through our own node.

    The three commands share one parser; each accepts only the options of
    its notice kind.  The node queues the notice durably and delivers it
    until the registration node acks, so "not yet delivered" is still a
    success.  Names go to the own node only; output shows neither names
    nor ID numbers. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_text.h"
#include "xiecha/text.h"

#define CLI_NOTICE_WAIT 5000      /* default --wait, ms */

/*  Which kinds an option belongs to. */
#define K_ENROLL (1u << XIECHA__NOTICE_KIND__ENROLLMENT)
#define K_TERMINATE (1u << XIECHA__NOTICE_KIND__TERMINATION)
#define K_EMERGENCY (1u << XIECHA__NOTICE_KIND__EMERGENCY_AID)
#define K_ALL (K_ENROLL | K_TERMINATE | K_EMERGENCY)

/*  Long-only options. */
enum {
    OPT_SINCE = 256,
    OPT_END,
    OPT_REASON,
    OPT_DATE,
    OPT_BAND,
    OPT_CATEGORY,
    OPT_MEMBER_ONLY
};

typedef struct {
    const char *cmd;    /* as typed: "enroll" */
    int kind;           /* XIECHA__NOTICE_KIND__*; output names it with
                           xc_notice_kind_title */
} s_kind_t;

static const s_kind_t s_enroll = {
    "enroll", XIECHA__NOTICE_KIND__ENROLLMENT
};
static const s_kind_t s_terminate = {
    "terminate", XIECHA__NOTICE_KIND__TERMINATION
};
static const s_kind_t s_emergency = {
    "emergency", XIECHA__NOTICE_KIND__EMERGENCY_AID
};

static const struct {
    struct option opt;
    unsigned kinds;
} s_opts[] = {
    { { "id", required_argument, NULL, 'i' }, K_ALL },
    { { "name", required_argument, NULL, 'n' }, K_ALL },
    { { "home", required_argument, NULL, 'H' }, K_ALL },
    { { "program", required_argument, NULL, 'p' }, K_ENROLL | K_TERMINATE },
    { { "since", required_argument, NULL, OPT_SINCE }, K_ENROLL },
    { { "end", required_argument, NULL, OPT_END }, K_TERMINATE },
    { { "reason", required_argument, NULL, OPT_REASON }, K_TERMINATE },
    { { "member-only", no_argument, NULL, OPT_MEMBER_ONLY }, K_TERMINATE },
    { { "date", required_argument, NULL, OPT_DATE }, K_EMERGENCY },
    { { "band", required_argument, NULL, OPT_BAND }, K_EMERGENCY },
    { { "reason-category", required_argument, NULL, OPT_CATEGORY },
      K_EMERGENCY },
    { { "member", required_argument, NULL, 'm' }, K_ALL },
    { { "wait", required_argument, NULL, 'w' }, K_ALL },
    { { "json", no_argument, NULL, 'j' }, K_ALL },
    { { "socket", required_argument, NULL, 's' }, K_ALL },
    { { "config", required_argument, NULL, 'c' }, K_ALL },
    { { "timeout", required_argument, NULL, 't' }, K_ALL },
    { { "client-config", required_argument, NULL, 'K' }, K_ALL },
    { { "help", no_argument, NULL, 'h' }, K_ALL },
};
#define S_OPT_COUNT (sizeof s_opts / sizeof s_opts[0])

/*  Termination reasons as typed, in enum order from MOVED_AWAY. */
static const char *const s_reasons[] = {
    "moved_away", "recheck_ineligible", "death", "voluntary", "other"
};

/*  The end of every notice command's --help, around the node options. */
static void
s_help_common (void)
{
    printf ("%s", _(
        "  -m, --member ID:NAME   a household member; may be repeated\n"
        "  -w, --wait MS          wait up to MS ms for the registration node's\n"
        "                         ack (default 5000; 0: return once queued);\n"
        "                         the node is given at least MS + 5000 ms\n"
        "  -j, --json             machine-readable output\n"));
    printf ("%s", cli_node_help ());
    printf ("%s", _(
        "  -h, --help             this text\n"
        "\n"
        "The node stores the notice in its outbox before answering and keeps\n"
        "delivering it until the registration node acks; see 'xiecha outbox'.\n"
        "Output shows neither names nor ID numbers.\n"
        "\n"
        "Exit status:\n"
        "  0  queued (delivered or not yet: an undelivered notice stays queued)\n"
        "  1  refused by the registration node (already receiving the program\n"
        "     there, no such enrollment to terminate), or another failure\n"
        "     (node error, timeout)\n"
        "  2  bad input (options, fields); nothing was sent\n"
        "  5  refused by the registration node with another signed error\n"));
}

static void
s_help (const s_kind_t *k)
{
    switch (k->kind) {
    case XIECHA__NOTICE_KIND__ENROLLMENT:
        printf ("%s", _(
            "Usage: xiecha enroll --id ID --name NAME --home CODE --program P\n"
            "                     --since YYYY-MM-DD [--member ID:NAME]...\n"
            "                     [--wait MS] [--json] [-s ENDPOINT | -c CONFIG]\n"
            "                     [--timeout MS]\n"
            "\n"
            "Reports to the registration county (--home) that the applicant's\n"
            "household was enrolled in a program here.  The registration node\n"
            "refuses it when the household already receives the program there.\n"
            "\n"
            "  -i, --id ID            applicant's 18-character ID number\n"
            "  -n, --name NAME        applicant's name (sent to the own node only)\n"
            "  -H, --home CODE        6-digit code of the registration county\n"
            "  -p, --program P        dibao, tekun, low_income, dibao_edge, temp\n"
            "      --since DATE       first day of the enrollment (YYYY-MM-DD)\n"));
        break;
    case XIECHA__NOTICE_KIND__TERMINATION:
        printf ("%s", _(
            "Usage: xiecha terminate --id ID --name NAME --home CODE --program P\n"
            "                        --end YYYY-MM-DD --reason REASON\n"
            "                        [--member-only] [--member ID:NAME]...\n"
            "                        [--wait MS] [--json]\n"
            "                        [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
            "\n"
            "Reports to the registration county (--home) that an enrollment made\n"
            "here has ended.  Only enrollments this node reported can end.\n"
            "A household is ended as one: when the person named (applicant or\n"
            "member) was enrolled here with a household in the program, every\n"
            "member's enrollment ends with it, as a check-in by any member is\n"
            "the household's.  --member-only ends only the people named.\n"
            "\n"
            "  -i, --id ID            applicant's 18-character ID number\n"
            "  -n, --name NAME        applicant's name (sent to the own node only)\n"
            "  -H, --home CODE        6-digit code of the registration county\n"
            "  -p, --program P        dibao, tekun, low_income, dibao_edge, temp\n"
            "      --end DATE         last day of the enrollment (YYYY-MM-DD)\n"
            "      --reason REASON    moved_away, recheck_ineligible, death,\n"
            "                         voluntary, other\n"
            "      --member-only      end only --id (and any --member), not the\n"
            "                         rest of their household\n"));
        break;
    default:
        printf ("%s", _(
            "Usage: xiecha emergency --id ID --name NAME [--home CODE]\n"
            "                        --date YYYY-MM-DD --band 1..5\n"
            "                        --reason-category TEXT [--member ID:NAME]...\n"
            "                        [--wait MS] [--json] [-s ENDPOINT | -c CONFIG]\n"
            "                        [--timeout MS]\n"
            "\n"
            "Reports to the registration county (--home) temporary aid (TEMP)\n"
            "granted here first, to be registered there afterwards.  A person\n"
            "without a mainland resident ID, who holds a residence permit for\n"
            "Hong Kong, Macao or Taiwan residents (810000/820000/830000...) or\n"
            "a foreigner's permanent residence ID (9...), has no registration\n"
            "county: give no --home, and the aid is recorded at the own node.\n"
            "\n"
            "  -i, --id ID            applicant's 18-character ID number\n"
            "  -n, --name NAME        applicant's name (sent to the own node only)\n"
            "  -H, --home CODE        6-digit code of the registration county;\n"
            "                         required for a resident ID\n"
            "      --date DATE        day the aid was granted (YYYY-MM-DD)\n"
            "      --band N           amount band, 1..5 as the policy defines\n"
            "      --reason-category TEXT\n"
            "                         why, e.g. illness, accident, disaster\n"));
        break;
    }
    s_help_common ();
}

typedef struct {
    const s_kind_t *k;                     /* which command */
    cli_node_args_t node;                  /* -s, -c, -t, -j */
    xc_person_t applicant;                 /* -i, -n */
    const char *home;                      /* -H */
    xc_person_t members[XC_MAX_HOUSEHOLD];  /* -m */
    size_t member_count;
    int program;                           /* -p */
    uint32_t date;                         /* --since, --end or --date */
    int reason;                            /* --reason */
    uint32_t band;                         /* --band */
    const char *category;                  /* --reason-category */
    int wait_ms;                           /* -w */
    bool member_only;                      /* --member-only */
} s_args_t;

const char *
cli_notice_kind_name (int kind)
{
    const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value (
        &xiecha__notice_kind__descriptor, kind);
    return v && kind != XIECHA__NOTICE_KIND__NOTICE_UNSPECIFIED ? v->name
                                                                : "?";
}

/*  Whether id names a registration county, so --home is needed: only
    a resident ID does (an ID that does not validate is the library's to
    refuse, with the reason). */
static bool
s_has_home (const char *id)
{
    char norm[XC_ID_LEN + 1];
    if (xc_id_normalize (id, NULL, norm, NULL, 0) != 0)
        return true;
    bool home = xc_id_kind_has_home (xc_id_kind (norm));
    explicit_bzero (norm, sizeof norm);
    return home;
}

static int
s_add_member (s_args_t *a, char *arg)
{
    const char *cmd = a->k->cmd;
    //  Split at the first ':': ID numbers never hold one, names might.
    char *colon = strchr (arg, ':');
    if (!colon)
        //  Do not echo the argument: it may hold a name.
        return cli_usage_error (cmd, _("--member %zu: expected ID:NAME"),
                                a->member_count + 1);
    if (a->member_count + 1 >= XC_MAX_HOUSEHOLD)
        return cli_usage_error (cmd, _("--member: at most %d household members"),
                                XC_MAX_HOUSEHOLD - 1);
    *colon = '\0';
    a->members[a->member_count].id_number = arg;
    a->members[a->member_count].name = colon + 1;
    a->member_count++;
    return 0;
}

//  A termination reason, case-blind, '-' for '_'; 0 if unknown.
static int
s_reason_parse (const char *text)
{
    for (size_t r = 0; r < sizeof s_reasons / sizeof s_reasons[0]; r++) {
        const char *known = s_reasons[r];
        size_t i = 0;
        for (; known[i] && text[i]; i++) {
            char c = text[i] == '-' ? '_' : text[i];
            if (c >= 'A' && c <= 'Z')
                c = (char) (c - 'A' + 'a');
            if (c != known[i])
                break;
        }
        if (!known[i] && !text[i])
            return XIECHA__TERMINATION_REASON__MOVED_AWAY + (int) r;
    }
    return 0;
}

//  A whole number in lo..hi.  Returns 0 or -1.
static int
s_parse_long (const char *text, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol (text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

//  The date option's name for this kind, for messages.
static const char *
s_date_option (const s_kind_t *k)
{
    return k->kind == XIECHA__NOTICE_KIND__ENROLLMENT    ? "--since"
           : k->kind == XIECHA__NOTICE_KIND__TERMINATION ? "--end"
                                                         : "--date";
}

//  Returns -1 to go on, else the exit status.
static int
s_parse (int argc, char **argv, s_args_t *a)
{
    const char *cmd = a->k->cmd;
    unsigned mine = 1u << a->k->kind;
    struct option opts[S_OPT_COUNT + 1];
    size_t n = 0;
    for (size_t i = 0; i < S_OPT_COUNT; i++)
        if (s_opts[i].kinds & mine)
            opts[n++] = s_opts[i].opt;
    memset (&opts[n], 0, sizeof opts[n]);
    const char *shortopts = mine & (K_ENROLL | K_TERMINATE)
                                ? ":i:n:H:p:m:w:js:c:t:h"
                                : ":i:n:H:m:w:js:c:t:h";
    a->wait_ms = CLI_NOTICE_WAIT;

    int c, rc;
    long v;
    optind = 1;
    while ((c = getopt_long (argc, argv, shortopts, opts, NULL)) != -1) {
        switch (c) {
        case 'i': a->applicant.id_number = optarg; break;
        case 'n': a->applicant.name = optarg; break;
        case 'H': a->home = optarg; break;
        case OPT_CATEGORY: a->category = optarg; break;
        case OPT_MEMBER_ONLY: a->member_only = true; break;
        case 'p':
            a->program = xc_program_parse (optarg);
            if (a->program == 0)
                return cli_usage_error (cmd,
                                        _("--program: unknown program '%s' "
                                          "(dibao, tekun, low_income, "
                                          "dibao_edge, temp)"), optarg);
            break;
        case OPT_SINCE:
        case OPT_END:
        case OPT_DATE:
            if (xc_date_parse (optarg, &a->date) != 0)
                return cli_usage_error (cmd, _("%s: '%s' is not a date "
                                        "(YYYY-MM-DD)"), s_date_option (a->k),
                                        optarg);
            break;
        case OPT_REASON:
            a->reason = s_reason_parse (optarg);
            if (a->reason == 0)
                return cli_usage_error (cmd,
                                        _("--reason: unknown reason '%s' "
                                          "(moved_away, recheck_ineligible, "
                                          "death, voluntary, other)"),
                                        optarg);
            break;
        case OPT_BAND:
            if (s_parse_long (optarg, 1, XC_AMOUNT_BANDS, &v))
                return cli_usage_error (cmd, _("--band: '%s' is not a band "
                                        "(1..%d)"), optarg, XC_AMOUNT_BANDS);
            a->band = (uint32_t) v;
            break;
        case 'm':
            if ((rc = s_add_member (a, optarg)))
                return rc;
            break;
        case 'w':
            if (s_parse_long (optarg, 0, XC_NOTICE_WAIT_MAX, &v))
                return cli_usage_error (cmd, _("--wait: '%s' is not a number "
                                        "of ms (0..%d)"), optarg,
                                        XC_NOTICE_WAIT_MAX);
            a->wait_ms = (int) v;
            break;
        case 'h': s_help (a->k); return CLI_EXIT_OK;
        default:
            if ((rc = cli_node_option (&a->node, cmd, c, argv)) >= 0)
                return rc;
        }
    }
    if (optind < argc)
        return cli_usage_error (cmd, _("unexpected argument '%s'"),
                                argv[optind]);
    if (!a->applicant.id_number)
        return cli_usage_error (cmd, "%s", _("--id is required"));
    if (!a->applicant.name)
        return cli_usage_error (cmd, "%s", _("--name is required"));
    if (!a->home && s_has_home (a->applicant.id_number))
        return cli_usage_error (cmd, "%s", _("--home is required"));
    if ((mine & (K_ENROLL | K_TERMINATE)) && !a->program)
        return cli_usage_error (cmd, "%s", _("--program is required"));
    if (!a->date)
        return cli_usage_error (cmd, _("%s is required"),
                                s_date_option (a->k));
    if ((mine & K_TERMINATE) && !a->reason)
        return cli_usage_error (cmd, "%s", _("--reason is required"));
    if ((mine & K_EMERGENCY) && !a->band)
        return cli_usage_error (cmd, "%s", _("--band is required"));
    if ((mine & K_EMERGENCY) && !a->category)
        return cli_usage_error (cmd, "%s", _("--reason-category is required"));
    return -1;
}

static void
s_print (const s_args_t *a, const xc_notice_result_t *res)
{
    char hex[2 * sizeof res->notice_id + 1];
    xc_hex (res->notice_id, sizeof res->notice_id, hex);
    if (a->node.json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "notice_id", hex);
        cli_json_place (&j, "home", a->home);
        cli_json_str (&j, "kind", cli_notice_kind_name (a->k->kind));
        cli_json_bool (&j, "delivered", res->delivered != 0);
        cli_json_uint (&j, "subjects", res->subjects);
        cli_json_end (&j);
        return;
    }
    char place[CLI_PLACE_LEN];
    const char *what = xc_notice_kind_title (a->k->kind);
    if (!a->home)
        printf (_("%s %s of %u person(s) recorded at this node (no "
                  "registration county)\n"), what, hex,
                (unsigned) res->subjects);
    else if (res->delivered)
        printf (_("%s %s of %u person(s) queued for %s; delivered: "
                  "acknowledged by %s\n"), what, hex,
                (unsigned) res->subjects,
                cli_place (a->home, place, sizeof place), a->home);
    else
        printf (_("%s %s of %u person(s) queued for %s; not yet delivered "
                  "(queued; see xiecha outbox)\n"), what, hex,
                (unsigned) res->subjects,
                cli_place (a->home, place, sizeof place));
}

static int
s_notice_main (const s_kind_t *k, int argc, char **argv)
{
    s_args_t a;
    memset (&a, 0, sizeof a);
    a.k = k;
    int status = s_parse (argc, argv, &a);
    if (status >= 0)
        return status;

    xc_client_t *client = cli_connect (k->cmd, a.node.socket, a.node.config,
                                       a.node.timeout_ms);
    if (!client)
        return CLI_EXIT_USAGE;
    xc_notice_t n = {
        .kind = k->kind,
        .home_county = a.home,
        .applicant = a.applicant,
        .members = a.member_count ? a.members : NULL,
        .member_count = a.member_count,
        .program = k->kind == XIECHA__NOTICE_KIND__EMERGENCY_AID
                       ? XIECHA__PROGRAM__TEMP
                       : a.program,
        .start_date = k->kind == XIECHA__NOTICE_KIND__TERMINATION ? 0 : a.date,
        .end_date = k->kind == XIECHA__NOTICE_KIND__TERMINATION ? a.date : 0,
        .reason = a.reason,
        .amount_band = a.band,
        .aid_reason = a.category,
        .wait_ms = a.wait_ms,
        .member_only = a.member_only,
    };
    xc_notice_result_t res;
    char why[1024];
    int rc = xc_client_notice (client, &n, &res, why, sizeof why);
    xc_client_destroy (&client);
    if (rc)
        return cli_failed (k->cmd, a.node.json, rc, why);
    s_print (&a, &res);
    return CLI_EXIT_OK;
}

int
cli_enroll_main (int argc, char **argv)
{
    return s_notice_main (&s_enroll, argc, argv);
}

int
cli_terminate_main (int argc, char **argv)
{
    return s_notice_main (&s_terminate, argc, argv);
}

int
cli_emergency_main (int argc, char **argv)
{
    return s_notice_main (&s_emergency, argc, argv);
}
