/*  cli_query.c - xiecha query: ask the registration county, through our
    own node, whether an applicant (and household) receives aid there.

    Names go to the own node only; output shows masked ID numbers and
    never names. */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_text.h"
#include "xiecha/text.h"

#define CMD "query"

static void
s_help (void)
{
    printf ("%s", _(
        "Usage: xiecha query --id ID --name NAME --home CODE --program P[,P...]\n"
        "                    [--member ID:NAME[:PERMIT_MONTHS]]...\n"
        "                    [--members FILE]\n"
        "                    [--residence-months N] [--permit-months N]\n"
        "                    [--emergency] [--out FILE] [--json]\n"
        "                    [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
        "\n"
        "Asks the registration county (--home) whether the applicant, and\n"
        "any household members, receive one of the programs there.  The\n"
        "answer is a certificate signed by the registration node.\n"
        "\n"
        "  -i, --id ID            applicant's 18-character ID number\n"
        "  -n, --name NAME        applicant's name (sent to the own node only)\n"
        "  -H, --home CODE        6-digit code of the registration county\n"
        "  -p, --program LIST     dibao, tekun, low_income, dibao_edge, temp;\n"
        "                         comma-separated, may be repeated\n"
        "  -m, --member ID:NAME[:PERMIT_MONTHS]\n"
        "                         a household member; may be repeated; a\n"
        "                         trailing :N says they have held a residence\n"
        "                         permit (居住证) here for N months\n"
        "      --members FILE     members from FILE, one ID:NAME[:N] a line\n"
        "                         (empty lines and # comments skipped): a\n"
        "                         batch re-verification of thousands, all\n"
        "                         answered in one certificate\n"
        "      --residence-months N  months the household has lived here\n"
        "      --permit-months N  the applicant has held a residence permit\n"
        "                         here for N months (omit: holds none)\n"
        "      --emergency        applying at the place of an emergency\n"
        "                         (急难: temporary aid first, 先行救助)\n"
        "  -o, --out FILE         save the certificate (armored) to FILE\n"
        "  -j, --json             machine-readable output\n"));
    printf ("%s", cli_node_help ());
    printf ("%s", _(
        "  -h, --help             this text\n"
        "\n"
        "Output shows ID numbers masked (first 6 and last 4) and no names.\n"
        "A certificate of more than 64 subjects is shown as counts and the\n"
        "subjects receiving aid; --json lists every subject.\n"
        "\n"
        "The own node checks its eligibility policy (months of residence,\n"
        "residence permits, other-province rules) before asking anyone; a\n"
        "query the policy forbids fails with exit 1 and the rule's name.\n"
        "\n"
        "The certificate names, for each program, the date of the roster\n"
        "it rests on (\"roster ... as of\").  A registration node whose\n"
        "roster of a program is missing or older than the trust list\n"
        "allows answers that it cannot say NOT_RECEIVING for it (exit 6).\n"
        "\n"));
    printf ("%s", cli_exit_help ());
}

typedef struct {
    cli_node_args_t node;                /* -s, -c, -t, -j */
    const char *out;                     /* -o */
    xc_person_t applicant;               /* -i, -n */
    const char *home;                    /* -H */
    xc_person_t *members;                /* -m, --members; owned */
    size_t member_count, member_room;
    char *members_file;                  /* --members text; owned, the
                                            members point into it */
    size_t members_file_len;
    int programs[XIECHA__PROGRAM__TEMP]; /* -p, each once */
    size_t program_count;
    uint32_t residence_months;           /* --residence-months */
    bool emergency;                      /* --emergency */
} s_args_t;

/*  Long-only options: eligibility facts for the node's policy. */
enum { S_OPT_RESIDENCE = 256, S_OPT_PERMIT, S_OPT_EMERGENCY, S_OPT_MEMBERS };

/*  Above this many subjects the human output shows counts and only the
    subjects receiving aid: a table of thousands helps no one. */
#define S_LIST_MAX XC_MAX_HOUSEHOLD

/*  A --members file: at most what a request to the node can carry. */
#define S_MEMBERS_FILE_MAX (8 * 1024 * 1024)

#define S_MONTHS_MAX 1200   /* a century: anything more is a typo */

//  Parses a number of months (0..S_MONTHS_MAX).  Returns 0 or -1.
static int
s_parse_months (const char *text, uint32_t *months)
{
    char *end = NULL;
    if (!text || *text < '0' || *text > '9')
        return -1;
    unsigned long v = strtoul (text, &end, 10);
    if (*end || v > S_MONTHS_MAX)
        return -1;
    *months = (uint32_t) v;
    return 0;
}

/*  Adds one ID:NAME[:N]; where names it in a message ("--member 3",
    "FILE line 7").  Returns 0 or the exit status. */
static int
s_add_member (s_args_t *a, char *arg, const char *where)
{
    //  Split at the first ':': ID numbers never hold one, names might.
    char *colon = strchr (arg, ':');
    if (!colon)
        //  Do not echo the argument: it may hold a name.
        return cli_usage_error (CMD, _("%s: expected ID:NAME"), where);
    if (a->member_count == a->member_room) {
        size_t room = a->member_room ? 2 * a->member_room : 16;
        xc_person_t *more = realloc (a->members, room * sizeof *more);
        if (!more)
            return cli_usage_error (CMD, "%s", _("out of memory"));
        a->members = more;
        a->member_room = room;
    }
    *colon = '\0';
    xc_person_t *m = &a->members[a->member_count];
    memset (m, 0, sizeof *m);
    m->id_number = arg;
    m->name = colon + 1;
    //  A trailing ":N" of digits is the permit; a name is never all digits.
    char *last = strrchr (m->name, ':');
    if (last && last[1] >= '0' && last[1] <= '9') {
        if (s_parse_months (last + 1, &m->permit_months))
            return cli_usage_error (CMD, _("%s: permit months must be 0..%d"),
                                    where, S_MONTHS_MAX);
        m->has_permit = 1;
        *last = '\0';
    }
    a->member_count++;
    return 0;
}

//  --member's text, numbered as given.
static int
s_add_option (s_args_t *a, char *arg)
{
    char where[32];
    snprintf (where, sizeof where, "--member %zu", a->member_count + 1);
    return s_add_member (a, arg, where);
}

//  --members FILE: each line a member, as --member takes it.
static int
s_add_file (s_args_t *a, const char *path)
{
    if (a->members_file)
        return cli_usage_error (CMD, "%s", _("--members: given twice"));
    char why[512];
    size_t len = 0;
    if (cli_read_file (path, S_MEMBERS_FILE_MAX, &a->members_file, &len, why,
                       sizeof why) != 0)
        return cli_usage_error (CMD, "%s", why);
    a->members_file_len = len;
    char *line = a->members_file;
    for (unsigned no = 1; line && *line; no++) {
        char *next = strchr (line, '\n');
        if (next)
            *next++ = '\0';
        size_t n = strlen (line);
        if (n && line[n - 1] == '\r')
            line[--n] = '\0';
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line && *line != '#') {
            char where[PATH_MAX + 32];
            snprintf (where, sizeof where, _("%s line %u"), path, no);
            int rc = s_add_member (a, line, where);
            if (rc)
                return rc;
        }
        line = next;
    }
    return 0;
}

//  The file's bytes are wiped: names and ID numbers.  Its length is
//  kept, since lines were cut with NULs.
static void
s_args_free (s_args_t *a)
{
    free (a->members);
    if (a->members_file)
        explicit_bzero (a->members_file, a->members_file_len);
    free (a->members_file);
    a->members = NULL;
    a->members_file = NULL;
}

//  Returns -1 to go on, else the exit status.
static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "id", required_argument, NULL, 'i' },
        { "name", required_argument, NULL, 'n' },
        { "home", required_argument, NULL, 'H' },
        { "program", required_argument, NULL, 'p' },
        { "member", required_argument, NULL, 'm' },
        { "out", required_argument, NULL, 'o' },
        CLI_NODE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { "residence-months", required_argument, NULL, S_OPT_RESIDENCE },
        { "permit-months", required_argument, NULL, S_OPT_PERMIT },
        { "emergency", no_argument, NULL, S_OPT_EMERGENCY },
        { "members", required_argument, NULL, S_OPT_MEMBERS },
        { NULL, 0, NULL, 0 }
    };
    int c, rc;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":i:n:H:p:m:o:js:c:t:h", opts,
                             NULL)) != -1) {
        switch (c) {
        case 'i': a->applicant.id_number = optarg; break;
        case 'n': a->applicant.name = optarg; break;
        case 'H': a->home = optarg; break;
        case 'o': a->out = optarg; break;
        case 'p':
            if ((rc = cli_parse_programs (CMD, "--program", optarg,
                                          a->programs, &a->program_count)))
                return rc;
            break;
        case 'm':
            if ((rc = s_add_option (a, optarg)))
                return rc;
            break;
        case S_OPT_MEMBERS:
            if ((rc = s_add_file (a, optarg)))
                return rc;
            break;
        case 'h': s_help (); return CLI_EXIT_OK;
        case S_OPT_RESIDENCE:
            if (s_parse_months (optarg, &a->residence_months))
                return cli_usage_error (CMD, _("--residence-months: '%s' is "
                                        "not 0..%d"), optarg, S_MONTHS_MAX);
            break;
        case S_OPT_PERMIT:
            if (s_parse_months (optarg, &a->applicant.permit_months))
                return cli_usage_error (CMD, _("--permit-months: '%s' is not "
                                        "0..%d"), optarg, S_MONTHS_MAX);
            a->applicant.has_permit = 1;
            break;
        case S_OPT_EMERGENCY: a->emergency = true; break;
        default:
            if ((rc = cli_node_option (&a->node, CMD, c, argv)) >= 0)
                return rc;
        }
    }
    if (optind < argc)
        return cli_usage_error (CMD, _("unexpected argument '%s'"), argv[optind]);
    if (!a->applicant.id_number)
        return cli_usage_error (CMD, "%s", _("--id is required"));
    if (!a->applicant.name)
        return cli_usage_error (CMD, "%s", _("--name is required"));
    if (!a->home)
        return cli_usage_error (CMD, "%s", _("--home is required"));
    if (a->program_count == 0)
        return cli_usage_error (CMD, "%s", _("--program is required"));
    return cli_zone_next (CMD, a->node.config);
}

//  The masked, normalised ID of person i (0 = applicant).
static void
s_masked (const s_args_t *a, size_t i, char *out)
{
    const char *id = i ? a->members[i - 1].id_number : a->applicant.id_number;
    char norm[XC_ID_LEN + 1];
    cli_mask_id (xc_id_normalize (id, NULL, norm, NULL, 0) == 0 ? norm : id,
                 out);
}

static int
s_relation (const xc_answer_t *ans)
{
    //  The signed copy wins; the node's note is a fallback.
    return ans->cert->relation ? (int) ans->cert->relation : ans->relation;
}

static void
s_print_human (const s_args_t *a, const xc_answer_t *ans, const char *saved)
{
    const Xiecha__Certificate *cert = ans->cert;
    char hex[129] = "", when[32];
    size_t qlen = cert->query_id.len < 64 ? cert->query_id.len : 64;
    xc_hex (cert->query_id.data, qlen, hex);
    char from[CLI_PLACE_LEN], to[CLI_PLACE_LEN];
    cli_label (_("certificate"));
    printf (_("from %s to %s (%s)\n"),
            cli_place (ans->opened.msg->header->sender, from, sizeof from),
            cli_place (cert->requester, to, sizeof to),
            xc_relation_title (s_relation (ans)));
    cli_label (_("query id"));
    printf ("%s\n", hex);
    cli_label (_("issued"));
    printf ("%s\n", cli_local_time (cert->issued_at, when));
    cli_label (_("valid until"));
    printf ("%s\n", cli_local_time (cert->valid_until, when));
    cli_label (_("programs"));
    for (size_t i = 0; i < cert->n_programs; i++)
        printf ("%s%s", i ? _(", ") : "",
                xc_program_title (cert->programs[i]));
    printf ("\n");
    for (size_t i = 0; i < cert->n_rosters; i++) {
        char text[256];
        cli_roster_line (cert->rosters[i], text, sizeof text);
        cli_label (i ? "" : _("roster"));
        printf ("%s\n", text);
    }
    //  Thousands (a batch): counts, then only those receiving aid.
    bool summary = cli_results_summary (cert, S_LIST_MAX);
    for (size_t i = 0; i < cert->n_results; i++) {
        const Xiecha__SubjectResult *r = cert->results[i];
        if (summary && r->status != XIECHA__STATUS__RECEIVING)
            continue;
        char role[64], masked[XC_ID_LEN + 1];
        if (i)
            snprintf (role, sizeof role, _("member %zu"), i);
        else
            snprintf (role, sizeof role, "%s", _("applicant"));
        s_masked (a, i, masked);
        cli_label (role);
        printf ("%s  %s\n", masked, xc_status_title (r->status));
        for (size_t k = 0; k < r->n_enrollments; k++) {
            char text[320];
            cli_enrollment_line (r->enrollments[k], text, sizeof text);
            cli_label ("");
            printf ("  %s\n", text);
        }
    }
    printf (_("answered in %u ms\n"), (unsigned) ans->elapsed_ms);
    if (saved)
        printf (_("certificate saved to %s\n"), saved);
}

static void
s_print_json (const s_args_t *a, const xc_answer_t *ans, const char *saved)
{
    const Xiecha__Certificate *cert = ans->cert;
    char hex[129] = "", iso[32];
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_place (&j, "issuer", ans->opened.msg->header->sender);
    cli_json_place (&j, "requester", cert->requester);
    cli_json_str (&j, "relation", xc_relation_name (s_relation (ans)));
    size_t qlen = cert->query_id.len < 64 ? cert->query_id.len : 64;
    xc_hex (cert->query_id.data, qlen, hex);
    cli_json_str (&j, "query_id", hex);
    xc_time_iso (cert->issued_at, iso);
    cli_json_str (&j, "issued_at", iso);
    xc_time_iso (cert->valid_until, iso);
    cli_json_str (&j, "valid_until", iso);
    cli_json_uint (&j, "elapsed_ms", ans->elapsed_ms);
    cli_json_rosters (&j, "rosters", cert->rosters, cert->n_rosters);
    cli_json_array (&j, "subjects");
    for (size_t i = 0; i < cert->n_results; i++) {
        const Xiecha__SubjectResult *r = cert->results[i];
        char masked[XC_ID_LEN + 1], ref[2 * XC_REF_LEN + 1] = "";
        s_masked (a, i, masked);
        if (r->subject.len == XC_REF_LEN)
            xc_hex (r->subject.data, XC_REF_LEN, ref);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "role", i ? "member" : "applicant");
        cli_json_str (&j, "id_masked", masked);
        cli_json_str (&j, "subject_ref", ref);
        cli_json_str (&j, "status", xc_status_name (r->status));
        cli_json_enrollments (&j, "enrollments", r->enrollments,
                              r->n_enrollments);
        cli_json_end (&j);
    }
    cli_json_end (&j);
    cli_json_str (&j, "certificate_file", saved);
    cli_json_end (&j);
}

//  Saves the certificate armored, atomically.  Returns 0 or XC_E*.
static int
s_save (const char *path, const xc_answer_t *ans, char *why, size_t why_len)
{
    return cli_write_armored (path, XC_ARMOR_CERTIFICATE, ans->certificate,
                              ans->certificate_len, true, why, why_len);
}

int
cli_query_main (int argc, char **argv)
{
    for (int i = 1; i < argc; i++)   // a spreadsheet of households
        if (!strcmp (argv[i], "--batch") || !strncmp (argv[i], "--batch=", 8))
            return cli_batch_main (argc, argv);
    s_args_t a;
    memset (&a, 0, sizeof a);
    int status = s_parse (argc, argv, &a);
    if (status >= 0) {
        s_args_free (&a);
        return status;
    }

    xc_client_t *client = cli_connect (CMD, a.node.socket, a.node.config,
                                       a.node.timeout_ms);
    if (!client) {
        s_args_free (&a);
        return CLI_EXIT_USAGE;
    }
    xc_query_t q = {
        .home_county = a.home,
        .applicant = a.applicant,
        .members = a.member_count ? a.members : NULL,
        .member_count = a.member_count,
        .programs = a.programs,
        .program_count = a.program_count,
        .residence_months = a.residence_months,
        .emergency = a.emergency,
    };
    xc_answer_t ans;
    char why[1024];
    int rc = xc_client_query (client, &q, &ans, why, sizeof why);
    int cause = xc_client_cause (client);
    xc_client_destroy (&client);
    if (rc) {
        s_args_free (&a);
        return cli_failed_cause (CMD, a.node.json, rc, cause, why);
    }
    //  The answer stands even when saving fails: print it, then report.
    int save_rc = a.out ? s_save (a.out, &ans, why, sizeof why) : 0;
    const char *saved = a.out && save_rc == 0 ? a.out : NULL;
    if (a.node.json)
        s_print_json (&a, &ans, saved);
    else
        s_print_human (&a, &ans, saved);
    xc_answer_free (&ans);
    s_args_free (&a);
    if (save_rc) {
        cli_error (CMD, "%s", why);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}
