/*  cli_reload.c - xiecha reload: the own node reads its trust list,
    terminal list and policy again (as on SIGHUP, `systemctl reload
    xiechad`), and says what changed or why it kept the old one. */
#include <string.h>

#include "cli.h"
#include "xiecha/text.h"

#define CMD "reload"

static void
s_help (void)
{
    printf ("%s%s%s%s",
            _("Usage: xiecha reload [--json] [-s ENDPOINT | -c CONFIG] "
              "[--timeout MS]\n"
              "\n"
              "Asks the own node to read its trust list (trust/list), its\n"
              "terminal list (node/terminals) and its policy (policy/file)\n"
              "again, as SIGHUP does, and prints what changed: the trust\n"
              "list's serial old and new, the terminals added and removed,\n"
              "the policy's name.  Each part is taken or refused on its own;\n"
              "a refused part keeps the one in use, the reason is printed and\n"
              "the exit status is 1.  Only the local administrator may reload\n"
              "(the IPC socket); a township terminal is refused (exit 8).\n"
              "\n"
              "  -j, --json             machine-readable output\n"),
            cli_node_help (),
            _("  -h, --help             this text\n\n"),
            cli_exit_help ());
}

static bool
s_refused (const Xiecha__ReloadReply *r)
{
    return r->trust->code || r->terminals->code || r->policy->code;
}

//  The fields every part has.
static void
s_json_part (cli_json_t *j, const Xiecha__ReloadPart *p)
{
    cli_json_bool (j, "configured", p->configured);
    cli_json_bool (j, "changed", p->changed);
    cli_json_bool (j, "refused", p->code != 0);
    if (p->code) {
        cli_json_str (j, "code", xc_error_name ((int) p->code));
        cli_json_str (j, "error", p->why);
    }
    else {
        cli_json_null (j, "code");
        cli_json_null (j, "error");
    }
}

static void
s_json_ids (cli_json_t *j, const char *key, char **ids, size_t n)
{
    cli_json_array (j, key);
    for (size_t i = 0; i < n; i++)
        cli_json_str (j, NULL, ids[i]);
    cli_json_end (j);
}

static void
s_print_json (const Xiecha__ReloadReply *r)
{
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_bool (&j, "ok", !s_refused (r));
    cli_json_object (&j, "trust");
    s_json_part (&j, r->trust);
    cli_json_uint (&j, "serial_old", r->serial_old);
    cli_json_uint (&j, "serial_new", r->serial_new);
    cli_json_end (&j);
    cli_json_object (&j, "terminals");
    s_json_part (&j, r->terminals);
    s_json_ids (&j, "added", r->terminals_added, r->n_terminals_added);
    s_json_ids (&j, "removed", r->terminals_removed, r->n_terminals_removed);
    cli_json_end (&j);
    cli_json_object (&j, "policy");
    s_json_part (&j, r->policy);
    cli_json_str (&j, "old", r->policy_old);
    cli_json_str (&j, "new", r->policy_new);
    cli_json_end (&j);
    cli_json_end (&j);
}

//  " a, b, c" after a count.
static void
s_print_ids (char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf ("%s%s", i ? ", " : " (", ids[i]);
    printf ("%s", n ? ")" : "");
}

static void
s_print_trust (const Xiecha__ReloadReply *r)
{
    const Xiecha__ReloadPart *p = r->trust;
    cli_pad (stdout, _("trust list"), 12);
    if (p->code)
        printf (_("REFUSED, keeping serial %llu: %s\n"),
                (unsigned long long) r->serial_old, p->why);
    else if (p->changed)
        printf (_("serial %llu → %llu\n"), (unsigned long long) r->serial_old,
                (unsigned long long) r->serial_new);
    else
        printf (_("unchanged, serial %llu\n"),
                (unsigned long long) r->serial_new);
}

static void
s_print_terminals (const Xiecha__ReloadReply *r)
{
    const Xiecha__ReloadPart *p = r->terminals;
    cli_pad (stdout, _("terminals"), 12);
    if (!p->configured)
        printf ("%s", _("none configured (node/terminals)\n"));
    else if (p->code)
        printf (_("REFUSED, keeping the list in use: %s\n"), p->why);
    else if (!p->changed)
        printf ("%s", _("unchanged\n"));
    else {
        printf (_("%zu added"), r->n_terminals_added);
        s_print_ids (r->terminals_added, r->n_terminals_added);
        printf (_(", %zu removed"), r->n_terminals_removed);
        s_print_ids (r->terminals_removed, r->n_terminals_removed);
        if (!r->n_terminals_added && !r->n_terminals_removed)
            printf ("%s", _("; roles or validity changed"));
        printf ("\n");
    }
}

static void
s_print_policy (const Xiecha__ReloadReply *r)
{
    const Xiecha__ReloadPart *p = r->policy;
    cli_pad (stdout, _("policy"), 12);
    if (!p->configured)
        printf (_("none configured (policy/file): \"%s\"\n"), r->policy_old);
    else if (p->code)
        printf (_("REFUSED, keeping \"%s\": %s\n"), r->policy_old, p->why);
    else if (p->changed)
        printf (_("\"%s\" → \"%s\" (changed)\n"), r->policy_old,
                r->policy_new);
    else
        printf (_("unchanged, \"%s\"\n"), r->policy_new);
}

int
cli_reload_main (int argc, char **argv)
{
    cli_node_args_t a;
    memset (&a, 0, sizeof a);
    int status = cli_node_parse (CMD, s_help, argc, argv, &a);
    if (status >= 0)
        return status;
    xc_client_t *client = cli_connect (CMD, a.socket, a.config, a.timeout_ms);
    if (!client)
        return CLI_EXIT_USAGE;
    Xiecha__ReloadReply *r = NULL;
    char why[1024];
    int rc = xc_client_reload (client, &r, why, sizeof why);
    xc_client_destroy (&client);
    if (rc)
        return cli_failed (CMD, a.json, rc, why);
    if (a.json)
        s_print_json (r);
    else {
        s_print_trust (r);
        s_print_terminals (r);
        s_print_policy (r);
    }
    bool refused = s_refused (r);
    if (refused)
        cli_error (CMD, "%s", _("refused: the node keeps what it had for "
                                "the parts marked REFUSED"));
    xiecha__reload_reply__free_unpacked (r, NULL);
    return refused ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
