/*  cli_outbox.c - xiecha outbox: the notices our node has not yet had
    acknowledged by their registration county, and those it refused. */
#include <string.h>

#include "cli.h"

#define CMD "outbox"
#define S_ID_SHORT 12   /* hex characters of the notice id in the table */

static void
s_help (void)
{
    printf (
        "Usage: xiecha outbox [--json] [-s ENDPOINT | -c CONFIG] "
        "[--timeout MS]\n"
        "\n"
        "Lists the notices (enroll, terminate, emergency) the node still\n"
        "delivers because the registration node has not acked them: id\n"
        "(first 12 hex characters), kind, registration county, age, delivery\n"
        "attempts and time to the next attempt.  A notice the registration\n"
        "node refused shows REJECTED instead.\n"
        "\n"
        "  -j, --json             machine-readable output (an array)\n"
        CLI_NODE_HELP
        "  -h, --help             this text\n"
        "\n" CLI_EXIT_HELP);
}

//  "45s", "3m12s", "2h05m" or "3d04h" into out[32].
static void
s_duration (uint64_t seconds, char *out)
{
    unsigned long long d = seconds / 86400, h = seconds / 3600 % 24,
                       m = seconds / 60 % 60, s = seconds % 60;
    if (d)
        snprintf (out, 32, "%llud%02lluh", d, h);
    else if (h)
        snprintf (out, 32, "%lluh%02llum", h, m);
    else if (m)
        snprintf (out, 32, "%llum%02llus", m, s);
    else
        snprintf (out, 32, "%llus", s);
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

static void
s_print_json (const Xiecha__OutboxReply *ob, uint64_t now)
{
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_array (&j, NULL);
    for (size_t i = 0; i < ob->n_items; i++) {
        const Xiecha__OutboxItem *it = ob->items[i];
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

static void
s_print_human (const Xiecha__OutboxReply *ob, uint64_t now)
{
    size_t rejected = 0;
    if (ob->n_items)
        printf ("%-12s  %-13s  %-6s  %-7s  %8s  %s\n", "ID", "KIND", "HOME",
                "AGE", "ATTEMPTS", "NEXT IN");
    for (size_t i = 0; i < ob->n_items; i++) {
        const Xiecha__OutboxItem *it = ob->items[i];
        char hex[33], age[32], next[32];
        s_id_hex (it, hex);
        s_duration (now > it->created_at ? (now - it->created_at) / 1000 : 0,
                    age);
        if (s_rejected (it)) {
            snprintf (next, sizeof next, "REJECTED");
            rejected++;
        }
        else if (it->next_attempt_at > now)
            s_duration ((it->next_attempt_at - now + 999) / 1000, next);
        else
            snprintf (next, sizeof next, "now");
        printf ("%-12.*s  %-13s  %-6s  %-7s  %8u  %s\n", S_ID_SHORT,
                *hex ? hex : "?", cli_notice_kind_name (it->kind), it->home,
                age, (unsigned) it->attempts, next);
    }
    size_t pending = ob->n_items - rejected;
    printf ("%zu notice%s pending", pending, pending == 1 ? "" : "s");
    if (rejected)
        printf (", %zu rejected by the registration node", rejected);
    printf ("\n");
}

int
cli_outbox_main (int argc, char **argv)
{
    cli_node_args_t a;
    memset (&a, 0, sizeof a);
    int status = cli_node_parse (CMD, s_help, argc, argv, &a);
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
        s_print_json (ob, now);
    else
        s_print_human (ob, now);
    xiecha__outbox_reply__free_unpacked (ob, NULL);
    return CLI_EXIT_OK;
}
