/*  cli_cert_print.c - xiecha cert print: the certificate on paper.

    Verifies the certificate first (nothing unverified is printed), then
    matches the people the case worker names to its subjects by subject
    ref, and writes the page (cli_paper.h). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_anchor.h"
#include "cli_paper.h"
#include "cli_ref.h"
#include "xiecha/text.h"

#define CMD "cert print"

static void
s_help (void)
{
    printf ("%s", _(
        "Usage: xiecha cert print FILE --out OUT.pdf|OUT.html --trust TRUSTFILE\n"
        "                         (--root HEX | --root-file FILE | -c CONFIG)\n"
        "                         [--person ID[:NAME]]... [--township NAME]\n"
        "                         [--salt FILE] [--json]\n"
        "\n"
        "Prints a certificate saved with `xiecha query --out` on one A4\n"
        "page for the case file, the paper 未享受社会救助证明: issuing and\n"
        "requesting county, township, the time of the check (local time),\n"
        "each person's name and masked ID number with the result for every\n"
        "program checked, the roster dates, the signing key and the\n"
        "certificate's fingerprint, and a QR code that holds the whole\n"
        "certificate, so a scan of the paper verifies offline\n"
        "(`xiecha cert verify --qr IMAGE`).  The certificate is verified\n"
        "first; an invalid or expired one is not printed.\n"
        "Names and ID numbers come from --person only (they are never sent\n"
        "to any node): each ID is matched to its subject with the network\n"
        "salt (--salt, or trust/salt of the node config -c), so a wrong ID\n"
        "is refused; subjects no --person names print as （未填写）.\n"
        "\n"
        "  -o, --out FILE         the page: .pdf (A4) or .html\n"));
    printf ("%s", cli_anchor_help ());
    printf ("%s", _(
        "  -p, --person ID[:NAME] a person of the household (repeatable)\n"
        "  -w, --township NAME    the requesting township (乡镇/街道)\n"
        "  -S, --salt FILE        the network salt (hex), for --person\n"
        "  -c, --config FILE      the own node's config: its trust/root,\n"
        "                         trust/list, trust/salt and node/timezone\n"
        "  -j, --json             machine-readable output\n"
        "  -h, --help             this text\n"
        "\n"
        "Exit status:\n"
        "  0  printed\n"
        "  1  the certificate is invalid or expired (nothing printed)\n"
        "  2  bad input (options, files, an ID that is not a subject)\n"));
}

typedef struct {
    const char *file, *out, *township, *salt;
    cli_anchor_t anchor;
    const char *person[XC_MAX_HOUSEHOLD];
    size_t n_person;
    bool json, html;
} s_args_t;

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "out", required_argument, NULL, 'o' },
        { "trust", required_argument, NULL, 'T' },
        { "person", required_argument, NULL, 'p' },
        { "township", required_argument, NULL, 'w' },
        { "salt", required_argument, NULL, 'S' },
        { "config", required_argument, NULL, 'c' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        CLI_ANCHOR_LONGOPTS,
        { NULL, 0, NULL, 0 }
    };
    int c;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":o:T:p:w:S:c:jh", opts, NULL))
           != -1) {
        if (cli_anchor_option (&a->anchor, c, optarg))
            continue;
        switch (c) {
        case 'o': a->out = optarg; break;
        case 'T': a->anchor.trust = optarg; break;
        case 'w': a->township = optarg; break;
        case 'S': a->salt = optarg; break;
        case 'c': a->anchor.config = optarg; break;
        case 'j': a->json = true; break;
        case 'p':
            if (a->n_person == XC_MAX_HOUSEHOLD)
                return cli_usage_error (CMD, _("--person: at most %d"),
                                        XC_MAX_HOUSEHOLD);
            a->person[a->n_person++] = optarg;
            break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (CMD, c, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error (CMD, "%s", _("FILE is required"));
    if (optind + 1 < argc)
        return cli_usage_error (CMD, _("unexpected argument '%s'"),
                                argv[optind + 1]);
    a->file = argv[optind];
    if (!a->out)
        return cli_usage_error (CMD, "%s",
                                _("--out is required (.pdf or .html)"));
    size_t n = strlen (a->out);
    a->html = n > 5 && strcmp (a->out + n - 5, ".html") == 0;
    if (!a->html && !(n > 4 && strcmp (a->out + n - 4, ".pdf") == 0))
        return cli_usage_error (CMD, _("--out %s: name a .pdf or .html file"),
                                a->out);
    return -1;
}

/*  Each --person ID[:NAME] on the subject its ID's ref is. */
static int
s_people (const s_args_t *a, const Xiecha__Certificate *c,
          cli_paper_person_t *people)
{
    if (a->n_person == 0)
        return 0;
    cli_salt_t salt;
    char why[512];
    if (cli_salt_load (a->salt, a->anchor.config, &salt, why, sizeof why) != 0)
        return cli_usage_error (CMD, "--person: %s", why);
    for (size_t i = 0; i < a->n_person; i++) {
        char id[64], norm[XC_ID_LEN + 1];
        const char *comma = strchr (a->person[i], ':');
        size_t id_len = comma ? (size_t) (comma - a->person[i])
                              : strlen (a->person[i]);
        snprintf (id, sizeof id, "%.*s", (int) (id_len < 63 ? id_len : 63),
                  a->person[i]);
        uint8_t ref[XC_REF_LEN];
        if (cli_ref_of (&salt, id, "--person", ref, why, sizeof why) != 0)
            return cli_usage_error (CMD, "%s", why);
        size_t k = 0;
        while (k < c->n_results
               && (c->results[k]->subject.len != XC_REF_LEN
                   || memcmp (c->results[k]->subject.data, ref, XC_REF_LEN)))
            k++;
        xc_id_normalize (id, NULL, norm, NULL, 0);
        char masked[19];
        cli_mask_id (norm, masked);
        if (k == c->n_results)
            return cli_usage_error (CMD, _("--person %s: not a person this "
                                    "certificate is about"), masked);
        snprintf (people[k].masked, sizeof people[k].masked, "%s", masked);
        snprintf (people[k].name, sizeof people[k].name, "%s",
                  comma ? comma + 1 : "");
        explicit_bzero (norm, sizeof norm);
    }
    return 0;
}

static void
s_report (const s_args_t *a, const Xiecha__Certificate *c,
          const cli_paper_info_t *info)
{
    if (!a->json) {
        printf (_("printed %s (%zu subject(s), %zu named); QR code version "
                  "%d, %zu bytes, level Q\n"), a->out, c->n_results, a->n_person,
                info->qr_version, info->qr_bytes);
        return;
    }
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "out", a->out);
    cli_json_str (&j, "format", a->html ? "html" : "pdf");
    cli_json_uint (&j, "subjects", c->n_results);
    cli_json_uint (&j, "named", a->n_person);
    cli_json_uint (&j, "qr_version", (uint64_t) info->qr_version);
    cli_json_uint (&j, "qr_bytes", info->qr_bytes);
    cli_json_end (&j);
}

int
cli_cert_print_main (int argc, char **argv)
{
    s_args_t a;
    memset (&a, 0, sizeof a);
    int status = s_parse (argc, argv, &a);
    if (status >= 0)
        return status;
    if ((status = cli_zone_use (CMD, a.anchor.config)) != 0)
        return status;
    char why[1024];
    size_t len = 0;
    uint8_t *bytes = NULL;
    if (cli_read_armored (a.file, XC_ARMOR_CERTIFICATE, &bytes, &len, why,
                          sizeof why) != 0)
        return cli_usage_error (CMD, "%s", why);
    uint64_t now = xc_now_ms ();
    xc_trust_t *trust = cli_anchor_load (CMD, &a.anchor, now, a.json,
                                         &status);
    if (!trust) {
        free (bytes);
        return status;
    }
    xc_opened_t op;
    memset (&op, 0, sizeof op);
    int rc = xc_cert_verify (bytes, len, trust, now, &op, why,
                             sizeof why);
    xc_trust_destroy (&trust);
    cli_paper_person_t people[XC_MAX_HOUSEHOLD];
    memset (people, 0, sizeof people);
    if (rc)
        status = cli_failed (CMD, a.json, rc, why);
    /* Paper is a household's (one row a person); a batch's certificate
       is read with cert verify --json. */
    else if (op.msg->certificate->n_results > XC_MAX_HOUSEHOLD)
        status = cli_usage_error (CMD, _("%s: answers %zu subjects; a paper "
                                  "certificate is for a household of at most "
                                  "%d (cert verify --json lists them all)"),
                                  a.file, op.msg->certificate->n_results,
                                  XC_MAX_HOUSEHOLD);
    else if ((status = s_people (&a, op.msg->certificate, people)) == 0) {
        cli_paper_t p = {&op, bytes, len, people, a.township};
        cli_paper_info_t info = {0};
        rc = cli_paper_write (&p, a.out, a.html, &info, why, sizeof why);
        if (rc)
            status = cli_failed (CMD, a.json, rc, why);
        else
            s_report (&a, op.msg->certificate, &info);
    }
    xc_opened_free (&op);
    free (bytes);
    return status;
}
