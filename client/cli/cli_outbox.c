/*  cli_outbox.c - xiecha outbox: the notices our node has not yet had
    acknowledged by their registration county, and those it refused. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "cli_text.h"
#include "xiecha/text.h"

#define CMD "outbox"
#define S_ID_SHORT 12   /* hex characters of the notice id in the table */

static void
s_help (void)
{
    printf ("%s", _(
        "Usage: xiecha outbox [--id ID [--salt FILE]] [--json]\n"
        "                     [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
        "\n"
        "Lists the notices (enroll, terminate, emergency) the node still\n"
        "delivers because the registration node has not acked them: id\n"
        "(first 12 hex characters), kind, registration county, age, delivery\n"
        "attempts and time to the next attempt.  A notice the registration\n"
        "node refused shows REJECTED instead.  With --id, only the notices\n"
        "about that person (matched by subject ref with the network salt;\n"
        "the ID goes nowhere).\n"
        "\n"
        "  -i, --id ID            only notices about this ID number\n"
        "  -S, --salt FILE        the network salt (hex), for --id; default\n"
        "                         trust/salt of the node config -c\n"
        "  -j, --json             machine-readable output (an array)\n"));
    printf ("%s", cli_node_help ());
    printf ("%s", _("  -h, --help             this text\n\n"));
    printf ("%s", cli_exit_help ());
}

//  Refused by the registration node: reported with no attempts and no
//  next attempt.
static bool
s_rejected (const Xiecha__OutboxItem *it)
{
    if (it->state && *it->state)
        return strcmp (it->state, "REJECTED") == 0;
    return it->attempts == 0 && it->next_attempt_at == 0;   /* older nodes */
}

//  The notice id as hex into out[33]; empty when it is not 16 bytes long.
static void
s_id_hex (const Xiecha__OutboxItem *it, char *out)
{
    out[0] = '\0';
    if (it->notice_id.len == 16)
        xc_hex (it->notice_id.data, 16, out);
}

//  Whether the notice is about the person of --id (any, without).
static bool
s_about (const Xiecha__OutboxItem *it, const cli_who_t *who)
{
    for (size_t i = 0; who->id && i < it->n_subjects; i++)
        if (cli_who_is (who, &it->subjects[i]))
            return true;
    return !who->id;
}

static void
s_print_json (const Xiecha__OutboxReply *ob, const cli_who_t *who,
              uint64_t now)
{
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_array (&j, NULL);
    for (size_t i = 0; i < ob->n_items; i++) {
        const Xiecha__OutboxItem *it = ob->items[i];
        if (!s_about (it, who))
            continue;
        char hex[33], created[32], next[32];
        s_id_hex (it, hex);
        xc_time_iso (it->created_at, created);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "notice_id", hex);
        cli_json_str (&j, "kind", cli_notice_kind_name (it->kind));
        cli_json_place (&j, "home", it->home);
        cli_json_str (&j, "created_at", created);
        cli_json_uint (&j, "age_s", now > it->created_at
                                        ? (now - it->created_at) / 1000 : 0);
        cli_json_uint (&j, "attempts", it->attempts);
        if (it->next_attempt_at) {
            xc_time_iso (it->next_attempt_at, next);
            cli_json_str (&j, "next_attempt_at", next);
        }
        else
            cli_json_null (&j, "next_attempt_at");
        cli_json_str (&j, "state", s_rejected (it) ? "REJECTED" : "PENDING");
        cli_json_end (&j);
    }
    cli_json_end (&j);
}

/*  The table's columns, in terminal columns (cli_pad): id, kind, home,
    age, attempts. */
static const size_t s_cols[] = {14, 15, 8, 9};

static void
s_print_human (const Xiecha__OutboxReply *ob, const cli_who_t *who,
               uint64_t now)
{
    size_t rejected = 0, shown = 0;
    for (size_t i = 0; i < ob->n_items; i++) {
        const Xiecha__OutboxItem *it = ob->items[i];
        if (!s_about (it, who))
            continue;
        if (shown++ == 0) {
            cli_pad (stdout, _("ID"), s_cols[0]);
            cli_pad (stdout, _("KIND"), s_cols[1]);
            cli_pad (stdout, _("HOME"), s_cols[2]);
            cli_pad (stdout, _("AGE"), s_cols[3]);
            printf ("%s  %s\n", _("ATTEMPTS"), _("NEXT IN"));
        }
        char hex[33], age[32], next[32];
        s_id_hex (it, hex);
        cli_duration (now > it->created_at ? (now - it->created_at) / 1000
                                           : 0, age);
        if (s_rejected (it)) {
            snprintf (next, sizeof next, "%s", _("REJECTED"));
            rejected++;
        }
        else if (it->next_attempt_at > now)
            cli_duration ((it->next_attempt_at - now + 999) / 1000, next);
        else
            snprintf (next, sizeof next, "%s", _("now"));
        printf ("%-12.*s  ", S_ID_SHORT, *hex ? hex : "?");
        cli_pad (stdout, xc_notice_kind_title (it->kind), s_cols[1]);
        cli_pad (stdout, it->home, s_cols[2]);
        cli_pad (stdout, age, s_cols[3]);
        printf ("%8u  %s\n", (unsigned) it->attempts, next);
    }
    size_t pending = shown - rejected;
    //  Two texts, not xc_ntext: po/tools/po-fill.py fills no plural forms.
    printf (pending == 1 ? _("%zu notice pending") : _("%zu notices pending"),
            pending);
    if (rejected)
        printf (_(", %zu rejected by the registration node"), rejected);
    printf ("\n");
}

int
cli_outbox_main (int argc, char **argv)
{
    cli_node_args_t a;
    cli_who_t who;
    memset (&a, 0, sizeof a);
    memset (&who, 0, sizeof who);
    int status = cli_who_parse (CMD, s_help, argc, argv, &a, &who);
    if (status >= 0)
        return status;
    xc_client_t *client = cli_connect (CMD, a.socket, a.config, a.timeout_ms);
    if (!client)
        return CLI_EXIT_USAGE;
    Xiecha__OutboxReply *ob = NULL;
    char why[1024];
    int rc = xc_client_outbox (client, &ob, why, sizeof why);
    xc_client_destroy (&client);
    if (rc)
        return cli_failed (CMD, a.json, rc, why);
    uint64_t now = xc_now_ms ();
    if (a.json)
        s_print_json (ob, &who, now);
    else
        s_print_human (ob, &who, now);
    xiecha__outbox_reply__free_unpacked (ob, NULL);
    return CLI_EXIT_OK;
}
