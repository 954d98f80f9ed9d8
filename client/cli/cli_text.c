/*  cli_text.c - labelled lines, verdicts, durations and --id (cli_text.h). */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "cli_csv.h"
#include "cli_ref.h"
#include "cli_text.h"
#include "xiecha/text.h"

void
cli_label (const char *label)
{
    cli_pad (stdout, label, CLI_LABEL_WIDTH);
}

void
cli_verdict (int rc, const char *why)
{
    if (rc == 0)
        printf ("%s\n", _("VALID"));
    else
        printf (_("INVALID: %s\n"), why);
}

const char *
cli_duration (uint64_t seconds, char *out)
{
    unsigned long long d = seconds / 86400, h = seconds / 3600 % 24,
                       m = seconds / 60 % 60, s = seconds % 60;
    //  TRANSLATORS: days and hours, minutes and seconds; keep them short.
    if (d)
        snprintf (out, 32, _("%llud%02lluh"), d, h);
    else if (h)
        snprintf (out, 32, _("%lluh%02llum"), h, m);
    else if (m)
        snprintf (out, 32, _("%llum%02llus"), m, s);
    else
        snprintf (out, 32, _("%llus"), s);
    return out;
}

void
cli_enrollment_line (const Xiecha__Enrollment *e, char *out, size_t len)
{
    char since[11], until[11], place[CLI_PLACE_LEN];
    xc_date_text (e->since, since);
    xc_date_text (e->until, until);
    cli_place (e->node, place, sizeof place);
    if (e->until)
        snprintf (out, len, _("%s since %s until %s at %s"),
                  xc_program_title (e->program), since, until, place);
    else
        snprintf (out, len, _("%s since %s at %s"),
                  xc_program_title (e->program), since, place);
}

bool
cli_results_summary (const Xiecha__Certificate *cert, size_t list_max)
{
    if (cert->n_results <= list_max)
        return false;
    size_t receiving = 0;
    for (size_t i = 0; i < cert->n_results; i++)
        receiving += cert->results[i]->status == XIECHA__STATUS__RECEIVING;
    cli_label (_("subjects"));
    printf (_("%zu answered: %zu %s, %zu %s\n"), cert->n_results, receiving,
            xc_status_title (XIECHA__STATUS__RECEIVING),
            cert->n_results - receiving,
            xc_status_title (XIECHA__STATUS__NOT_RECEIVING));
    return true;
}

void
cli_roster_line (const Xiecha__RosterDate *d, char *out, size_t len)
{
    char date[11];
    const char *cut = d->interrupted ? _(" (a newer snapshot was "
                                         "interrupted: import again)") : "";
    xc_date_text (d->as_of, date);
    if (d->as_of)
        snprintf (out, len, _("%s as of %s%s"), xc_program_title (d->program),
                  date, cut);
    else
        snprintf (out, len, _("%s no roster%s"),
                  xc_program_title (d->program), cut);
}

int
cli_zone_next (const char *cmd, const char *config)
{
    int status = cli_zone_use (cmd, config);
    return status ? status : -1;
}

int
cli_who_load (const char *cmd, cli_who_t *who, const char *config)
{
    if (!who->id)
        return -1;
    cli_salt_t salt;
    char why[512];
    if (cli_salt_load (who->salt, config, &salt, why, sizeof why) != 0
        || cli_ref_of (&salt, who->id, "--id", who->ref, why, sizeof why))
        return cli_usage_error (cmd, "--id: %s", why);
    explicit_bzero (&salt, sizeof salt);
    return -1;
}

bool
cli_who_is (const cli_who_t *who, const ProtobufCBinaryData *subject)
{
    return !who->id
           || (subject->len == XC_REF_LEN
               && memcmp (subject->data, who->ref, XC_REF_LEN) == 0);
}

int
cli_who_parse (const char *cmd, void (*help) (void), int argc, char **argv,
               cli_node_args_t *a, cli_who_t *who)
{
    static const struct option opts[] = {
        { "id", required_argument, NULL, 'i' },
        { "salt", required_argument, NULL, 'S' },
        CLI_NODE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c, status;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":i:S:js:c:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': who->id = optarg; break;
        case 'S': who->salt = optarg; break;
        case 'h': help (); return CLI_EXIT_OK;
        default:
            if ((status = cli_node_option (a, cmd, c, argv)) >= 0)
                return status;
        }
    }
    if (optind < argc)
        return cli_usage_error (cmd, _("unexpected argument '%s'"),
                                argv[optind]);
    if ((status = cli_zone_next (cmd, a->config)) >= 0)
        return status;
    return cli_who_load (cmd, who, a->config);
}

int
cli_csv_encoding_option (const char *cmd, const char *arg, const char **out)
{
    if (cli_csv_encoding_check (arg))
        return cli_usage_error (cmd, _("--encoding: '%s' is not auto, "
                                       "utf-8, gb18030 or gbk"), arg);
    *out = arg;
    return -1;
}
