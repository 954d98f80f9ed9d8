/*  cli_status.c - xiecha status: what the own node says about itself. */
#include <getopt.h>
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
        "log length and head, query counters and peers.\n"
        "\n"
        "  -j, --json             machine-readable output\n"
        CLI_NODE_HELP
        "  -h, --help             this text\n"
        "\n" CLI_EXIT_HELP);
}

typedef struct {
    const char *socket;   /* -s */
    const char *config;   /* -c */
    int timeout_ms;       /* -t */
    bool json;            /* -j */
} s_args_t;

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "socket", required_argument, NULL, 's' },
        { "config", required_argument, NULL, 'c' },
        { "timeout", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":js:c:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': a->json = true; break;
        case 's': a->socket = optarg; break;
        case 'c': a->config = optarg; break;
        case 't':
            if (cli_parse_timeout (optarg, &a->timeout_ms))
                return cli_usage_error (CMD, "--timeout: '%s' is not a "
                                        "number of ms (1..3600000)", optarg);
            break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (CMD, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error (CMD, "unexpected argument '%s'", argv[optind]);
    return -1;
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

static void
s_print (const s_args_t *a, const Xiecha__StatusReply *st)
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
}

int
cli_status_main (int argc, char **argv)
{
    s_args_t a;
    memset (&a, 0, sizeof a);
    int status = s_parse (argc, argv, &a);
    if (status >= 0)
        return status;
    xc_client_t *client = cli_connect (CMD, a.socket, a.config, a.timeout_ms);
    if (!client)
        return CLI_EXIT_USAGE;
    Xiecha__StatusReply *st = NULL;
    char why[1024];
    int rc = xc_client_status (client, &st, why, sizeof why);
    xc_client_destroy (&client);
    if (rc) {
        status = cli_exit_code (rc);
        cli_error (CMD, "%s", why);
        if (a.json)
            cli_json_error (rc, why, status);
        return status;
    }
    s_print (&a, st);
    xiecha__status_reply__free_unpacked (st, NULL);
    return CLI_EXIT_OK;
}
