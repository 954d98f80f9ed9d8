/*  cli_status.c - xiecha status: what the own node says about itself. */
#include <string.h>

#include "cli.h"

#define CMD "status"

static void
s_help (void)
{
    printf (
        "Usage: xiecha status [--json] [-s ENDPOINT | -c CONFIG] "
        "[--timeout MS]\n"
        "\n"
        "Shows the node's code, name, version, uptime, index size, audit\n"
        "log length and head, query counters and peers, and for each\n"
        "program the date of its last roster snapshot (\"roster as of\"),\n"
        "its age, and whether the node may still certify NOT_RECEIVING\n"
        "from it (no older than the trust list's max_roster_age_days).\n"
        "\n"
        "  -j, --json             machine-readable output\n"
        CLI_NODE_HELP
        "  -h, --help             this text\n"
        "\n" CLI_EXIT_HELP);
}

//  "3d 4h 12m" (or "12m 5s" when short) into out[48].
static void
s_uptime (uint64_t seconds, char *out)
{
    uint64_t d = seconds / 86400, h = seconds / 3600 % 24,
             m = seconds / 60 % 60, s = seconds % 60;
    if (d)
        snprintf (out, 48, "%llud %lluh %llum", (unsigned long long) d,
                  (unsigned long long) h, (unsigned long long) m);
    else if (h)
        snprintf (out, 48, "%lluh %llum", (unsigned long long) h,
                  (unsigned long long) m);
    else
        snprintf (out, 48, "%llum %llus", (unsigned long long) m,
                  (unsigned long long) s);
}

/*  How old a roster is at the node's today, and whether it still lets
    the node certify NOT_RECEIVING: ", 12 days old" or ", 54 days old:
    too old to certify NOT_RECEIVING (max 45)". */
static int64_t
s_roster_age (const Xiecha__StatusReply *st, const Xiecha__RosterDate *d)
{
    return d->as_of && xc_date_valid (st->today)
               ? xc_date_diff (d->as_of, st->today) : -1;
}

static void
s_roster_state (const Xiecha__StatusReply *st, const Xiecha__RosterDate *d,
                char *out, size_t len)
{
    int64_t age = s_roster_age (st, d);
    if (age < 0) {
        snprintf (out, len, "%s", d->as_of ? "" : ": cannot certify "
                  "NOT_RECEIVING");
        return;
    }
    snprintf (out, len, ", %lld day%s old%s", (long long) age,
              age == 1 ? "" : "s",
              age > (int64_t) st->max_roster_age_days || d->interrupted
                  ? ": cannot certify NOT_RECEIVING" : "");
}

static void
s_json_rosters (cli_json_t *j, const Xiecha__StatusReply *st)
{
    cli_json_array (j, "rosters");
    for (size_t i = 0; i < st->n_rosters; i++) {
        const Xiecha__RosterDate *d = st->rosters[i];
        char date[11];
        int64_t age = s_roster_age (st, d);
        xc_date_text (d->as_of, date);
        cli_json_object (j, NULL);
        cli_json_str (j, "program", xc_program_name (d->program));
        cli_json_str (j, "as_of", d->as_of ? date : NULL);
        if (age >= 0)
            cli_json_int (j, "age_days", age);
        else
            cli_json_null (j, "age_days");
        cli_json_bool (j, "interrupted", d->interrupted);
        cli_json_bool (j, "certifies_not_receiving",
                       age >= 0 && age <= (int64_t) st->max_roster_age_days
                           && !d->interrupted);
        cli_json_end (j);
    }
    cli_json_end (j);
}

static void
s_print (const cli_node_args_t *a, const Xiecha__StatusReply *st)
{
    uint64_t now = xc_now_ms ();
    uint64_t up_s = st->started_at && now > st->started_at
                        ? (now - st->started_at) / 1000 : 0;
    char started[32], uptime[48], head[2 * XC_HASH_LEN + 1] = "";
    xc_time_iso (st->started_at, started);
    s_uptime (up_s, uptime);
    if (st->audit_head.len == XC_HASH_LEN)
        xc_hex (st->audit_head.data, XC_HASH_LEN, head);
    if (a->json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "code", st->code);
        cli_json_str (&j, "name", st->name);
        cli_json_str (&j, "version", st->version);
        cli_json_str (&j, "started_at", started);
        cli_json_uint (&j, "uptime_s", up_s);
        cli_json_uint (&j, "subjects", st->subjects);
        cli_json_uint (&j, "audit_entries", st->audit_entries);
        cli_json_str (&j, "audit_head", st->audit_head.len ? head : NULL);
        cli_json_uint (&j, "queries_answered", st->queries_answered);
        cli_json_uint (&j, "queries_sent", st->queries_sent);
        cli_json_uint (&j, "refused", st->refused);
        cli_json_uint (&j, "peers", st->peers);
        cli_json_uint (&j, "conflicts_open", st->conflicts_open);
        cli_json_uint (&j, "max_roster_age_days", st->max_roster_age_days);
        s_json_rosters (&j, st);
        cli_json_end (&j);
        return;
    }
    printf ("node         %s%s%s%s\n", st->code, *st->name ? " (" : "",
            st->name, *st->name ? ")" : "");
    printf ("version      %s\n", st->version);
    printf ("uptime       %s (since %s)\n", uptime, started);
    printf ("subjects     %llu\n", (unsigned long long) st->subjects);
    printf ("audit        %llu entries, head %s\n",
            (unsigned long long) st->audit_entries, *head ? head : "-");
    printf ("queries      %llu answered, %llu sent\n",
            (unsigned long long) st->queries_answered,
            (unsigned long long) st->queries_sent);
    printf ("refused      %llu\n", (unsigned long long) st->refused);
    printf ("peers        %u\n", (unsigned) st->peers);
    printf ("conflicts    %llu open\n",
            (unsigned long long) st->conflicts_open);
    for (size_t i = 0; i < st->n_rosters; i++) {
        const Xiecha__RosterDate *d = st->rosters[i];
        char text[120], state[80];
        cli_roster_text (d, text, sizeof text);
        s_roster_state (st, d, state, sizeof state);
        printf ("%-12s %s%s\n", i ? "" : "roster", text, state);
    }
}

int
cli_status_main (int argc, char **argv)
{
    cli_node_args_t a;
    memset (&a, 0, sizeof a);
    int status = cli_node_parse (CMD, s_help, argc, argv, &a);
    if (status >= 0)
        return status;
    xc_client_t *client = cli_connect (CMD, a.socket, a.config, a.timeout_ms);
    if (!client)
        return CLI_EXIT_USAGE;
    Xiecha__StatusReply *st = NULL;
    char why[1024];
    int rc = xc_client_status (client, &st, why, sizeof why);
    xc_client_destroy (&client);
    if (rc)
        return cli_failed (CMD, a.json, rc, why);
    s_print (&a, st);
    xiecha__status_reply__free_unpacked (st, NULL);
    return CLI_EXIT_OK;
}
