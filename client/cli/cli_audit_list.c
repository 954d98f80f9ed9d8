/*  cli_audit_list.c - xiecha audit list: who did what, from an export.

      xiecha audit list FILE --trust TRUST [--terminal ID]
                        [--township CODE] [--json]

    The export is verified first, exactly as `audit verify` does
    (xc_auditfile_verify): a listing of a file that does not verify
    would be a listing of claims.  Then its full entries are listed, one
    line each, with the actor that caused them (xiecha/auditentry.h): all
    of them, or those of one terminal or of one township, which is what a
    supervisor asks for (有责可查).  A verb of its own rather than options
    of verify: verify's output is a verdict and a summary, this one's a
    listing as long as the log. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xiecha/auditfile.h>

#include "cli.h"
#include "cli_anchor.h"
#include "cli_files.h"

static void
s_help (void)
{
    printf (
        "%s%s%s",
        _("Usage: xiecha audit list FILE --trust TRUSTFILE (--root HEX |\n"
        "                         --root-file FILE | -c CONFIG)\n"
        "                         [--terminal ID] [--township CODE] "
        "[--json]\n"
        "\n"
        "Verifies the audit export FILE as 'xiecha audit verify' does, then\n"
        "lists its entries exported in full, in order: entry number, local\n"
        "time with its offset, kind, peer, the terminal, township and\n"
        "operator that caused it (\"-\" for entries no client request\n"
        "caused; \"ipc\" for the node's local administrator) and its note.\n"
        "With --terminal only that terminal's entries, with --township only\n"
        "those of terminals of that township; both: entries matching both.\n"
        "Entries exported by hash only (outside --from..--to of the export)\n"
        "are not listed.\n"
        "\n"
        "  -i, --terminal ID      only entries of this terminal\n"
        "  -w, --township CODE    only entries of this township (9 digits)\n"),
        cli_anchor_help (),
        _("  -j, --json             machine-readable output\n"
        "  -c, --config FILE      node config (trust list and root defaults)\n"
        "  -h, --help             this text\n"
        "\n"
        "Exit status:\n"
        "  0  the export is valid (listed, maybe no entry matched)\n"
        "  1  the export is invalid: INVALID: <first bad entry and why>,\n"
        "     nothing listed\n"
        "  2  bad input (options, unreadable file, a trust list that\n"
        "     cannot be loaded, is not signed by the root key or has\n"
        "     expired)\n"));
}

typedef struct {
    const char *terminal, *township;
    bool json;
    cli_json_t j;
    uint64_t listed;
} s_list_t;

static void
s_note (const xc_auditentry_t *e, char *out, size_t len)
{
    size_t n = e->note_len < len - 1 ? e->note_len : len - 1;
    memcpy (out, e->note, n);
    out[n] = '\0';
    for (size_t i = 0; i < n; i++)   /* one line per entry */
        if (out[i] == '\n' || out[i] == '\t')
            out[i] = ' ';
}

/*  Widths of the columns after ENTRY: time, kind, peer, terminal,
    township, operator (terminal columns: operators' names may be
    Chinese, cli_pad). */
static const size_t s_width[] = {28, 12, 8, 14, 11, 18};

/*  The columns after ENTRY of one line, then the note. */
static void
s_row (const char *time, const char *const cells[5], const char *note)
{
    cli_pad (stdout, time, s_width[0]);
    for (size_t i = 0; i < 5; i++)
        cli_pad (stdout, cells[i], s_width[i + 1]);
    printf ("%s\n", note);
}

static int
s_one (const xc_auditfile_item_t *item, void *arg)
{
    s_list_t *l = arg;
    const xc_auditentry_t *e = &item->e;
    if ((l->terminal || l->township)
        && !xc_auditfile_actor_is (e, l->terminal, l->township))
        return 0;
    xc_actor_t who = {{0}};
    bool has = e->actor && xc_actor_split (e->actor, e->actor_len, &who) == 0;
    char t[32], note[512];
    xc_time_iso (e->time_ms, t);
    s_note (e, note, sizeof note);
    l->listed++;
    if (l->json) {
        cli_json_object (&l->j, NULL);
        cli_json_uint (&l->j, "seq", item->seq);
        cli_json_str (&l->j, "time", t);
        cli_json_str (&l->j, "kind", xc_auditentry_kind_name (e->kind));
        cli_json_str (&l->j, "peer", e->peer[0] ? e->peer : NULL);
        cli_json_str (&l->j, "terminal", has ? who.terminal : NULL);
        cli_json_str (&l->j, "township",
                      has && who.township[0] ? who.township : NULL);
        cli_json_str (&l->j, "operator",
                      has && who.operator_name[0] ? who.operator_name : NULL);
        cli_json_str (&l->j, "note", note);
        cli_json_end (&l->j);
    }
    else {
        const char *cells[] = {
            xc_auditentry_kind_name (e->kind), e->peer[0] ? e->peer : "-",
            has ? who.terminal : "-",
            has && who.township[0] ? who.township : "-",
            has && who.operator_name[0] ? who.operator_name : "-"};
        char local[32];
        printf ("%8llu  ", (unsigned long long) item->seq);
        s_row (cli_local_time (e->time_ms, local), cells, note);
    }
    return 0;
}

/*  Lists the entries of a verified export. */
static void
s_list (const uint8_t *bytes, size_t len, const char *file, s_list_t *l)
{
    if (l->json) {
        cli_json_init (&l->j, stdout);
        cli_json_object (&l->j, NULL);
        cli_json_str (&l->j, "file", file);
        cli_json_bool (&l->j, "valid", true);
        cli_json_str (&l->j, "terminal", l->terminal);
        cli_json_str (&l->j, "township", l->township);
        cli_json_array (&l->j, "entries");
    }
    else
    {
        const char *cells[] = {_("KIND"), _("PEER"), _("TERMINAL"),
                               _("TOWNSHIP"), _("OPERATOR")};
        const char *entry = _("ENTRY");
        size_t w = xc_text_width (entry);
        printf ("%*s%s  ", w < 8 ? (int) (8 - w) : 0, "", entry);
        s_row (_("TIME"), cells, _("NOTE"));
    }
    xc_auditfile_each (bytes, len, s_one, l);
    if (l->json) {
        cli_json_end (&l->j);
        cli_json_uint (&l->j, "listed", l->listed);
        cli_json_end (&l->j);
    }
    else
        printf (l->listed == 1 ? _("%llu entry listed\n")
                               : _("%llu entries listed\n"),
                (unsigned long long) l->listed);
}

static int
s_invalid (const char *file, bool json, const xc_auditfile_report_t *r)
{
    if (!json) {
        printf (_("INVALID: %s\n"), r->why);
        return CLI_EXIT_FAIL;
    }
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "file", file);
    cli_json_bool (&j, "valid", false);
    cli_json_uint (&j, "bad_entry", r->bad_seq);
    cli_json_str (&j, "reason", r->why);
    cli_json_end (&j);
    return CLI_EXIT_FAIL;
}

int
cli_audit_list (int argc, char **argv)
{
    static const struct option opts[] = {
        { "terminal", required_argument, NULL, 'i' },
        { "township", required_argument, NULL, 'w' },
        { "trust", required_argument, NULL, 'T' },
        CLI_ANCHOR_LONGOPTS,
        { "json", no_argument, NULL, 'j' },
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *cmd = "audit list";
    cli_anchor_t anchor = {0};
    s_list_t l = {0};
    int c;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":i:w:T:jc:h", opts, NULL)) != -1) {
        if (cli_anchor_option (&anchor, c, optarg))
            continue;
        switch (c) {
        case 'i': l.terminal = optarg; break;
        case 'w': l.township = optarg; break;
        case 'T': anchor.trust = optarg; break;
        case 'j': l.json = true; break;
        case 'c': anchor.config = optarg; break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (cmd, c, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error (cmd, "%s", _("FILE is required"));
    if (optind + 1 < argc)
        return cli_usage_error (cmd, _("unexpected argument '%s'"),
                                argv[optind + 1]);
    if (l.terminal && !xc_terminal_id_valid (l.terminal))
        return cli_usage_error (cmd, _("--terminal: '%s' is not a "
                                       "terminal id (a-z 0-9 . _ -, at "
                                       "most %d)"), l.terminal,
                                XC_TERMINAL_ID_MAX);
    if (l.township && (strlen (l.township) != 9
                       || strspn (l.township, "0123456789") != 9))
        return cli_usage_error (cmd, _("--township: '%s' is not a 9-digit "
                                       "township code"), l.township);
    int status = cli_zone_use (cmd, anchor.config);
    if (status != 0)
        return status;
    const char *file = argv[optind];
    char why[1024];
    const uint8_t *bytes = NULL;
    size_t len = 0;
    if (cli_map_file (file, &bytes, &len, why, sizeof why))
        return cli_usage_error (cmd, "%s", why);
    xc_trust_t *trust = cli_anchor_load (cmd, &anchor, xc_now_ms (), l.json,
                                         &status);
    if (!trust) {
        cli_unmap_file (bytes, len);
        return status;
    }
    xc_auditfile_report_t *r = calloc (1, sizeof *r);
    int rc = r ? xc_auditfile_verify (bytes, len, trust, r) : XC_ENOMEM;
    if (!r)
        status = cli_failed (cmd, l.json, rc, _("out of memory"));
    else if (rc)
        status = s_invalid (file, l.json, r);
    else {
        s_list (bytes, len, file, &l);
        status = CLI_EXIT_OK;
    }
    free (r);
    xc_trust_destroy (&trust);
    cli_unmap_file (bytes, len);
    return status;
}

/* ---- the actors of audit verify's summary -------------------------------- */

void
cli_audit_actors_human (const xc_auditfile_report_t *r)
{
    for (size_t i = 0; i < r->n_actors; i++) {
        const xc_auditfile_actor_t *a = &r->actors[i];
        cli_pad (stdout, _("actor"), 13);
        printf (_("%s (township %s, %s) %llu:"), a->who.terminal,
                a->who.township[0] ? a->who.township : "-",
                a->who.operator_name[0] ? a->who.operator_name : "-",
                (unsigned long long) a->count);
        for (int k = 0; k < XC_AUDITFILE_KINDS; k++)
            if (a->kinds[k])
                printf (" %s %llu", xc_auditentry_kind_name (k),
                        (unsigned long long) a->kinds[k]);
        printf ("\n");
    }
    if (r->attributed) {
        cli_pad (stdout, _("attributed"), 13);
        printf (_("%llu entries name who caused them\n"),
                (unsigned long long) r->attributed);
    }
}

void
cli_audit_actors_json (cli_json_t *j, const xc_auditfile_report_t *r)
{
    cli_json_uint (j, "attributed", r->attributed);
    cli_json_array (j, "actors");
    for (size_t i = 0; i < r->n_actors; i++) {
        const xc_auditfile_actor_t *a = &r->actors[i];
        cli_json_object (j, NULL);
        cli_json_str (j, "terminal", a->who.terminal);
        cli_json_str (j, "township",
                      a->who.township[0] ? a->who.township : NULL);
        cli_json_str (j, "operator",
                      a->who.operator_name[0] ? a->who.operator_name : NULL);
        cli_json_uint (j, "entries", a->count);
        cli_json_object (j, "kinds");
        for (int k = 0; k < XC_AUDITFILE_KINDS; k++)
            if (a->kinds[k])
                cli_json_uint (j, xc_auditentry_kind_name (k), a->kinds[k]);
        cli_json_end (j);
        cli_json_end (j);
    }
    cli_json_end (j);
}
