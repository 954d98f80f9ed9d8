/*  cli_status.c - xiecha status: what the own node says about itself. */
#include <string.h>

#include "cli.h"
#include "cli_text.h"
#include "cli_probe.h"
#include "xiecha/text.h"

#define CMD "status"
#define S_PROBE_MS 1000   /* how long status waits by default: "busy" after */

/*  How status tells down from busy (its own exit statuses). */
static void
s_state_help (void)
{
    printf ("%s", _("\n"
        "State (\"state\" in --json): answering (exit 0); busy: the node's\n"
        "socket takes the connection but no answer came within --timeout\n"
        "(1000 ms by default for status; exit 1); down: no socket file, or\n"
        "nobody listening on it (exit 3, at once, without waiting).\n"));
}

static void
s_help (void)
{
    printf ("%s", _(
        "Usage: xiecha status [--json] [-s ENDPOINT | -c CONFIG] "
        "[--timeout MS]\n"
        "\n"
        "Shows the node's code, name, version, uptime, index size, audit\n"
        "log length and head, query counters and peers, and its store's\n"
        "integrity: what was verified at start, and the last scrub of the\n"
        "whole store (result, when, what failed; see 'xiecha audit check');\n"
        "its limits per\n"
        "peer and per terminal (limits/* in its config) with the most\n"
        "the audit log can grow from one peer's refusals in an hour; the\n"
        "peers refused most (throttled: over a rate; unkept: beyond the\n"
        "audit budget, in summary entries only) and the terminals\n"
        "answered busy most.  For each program: the date of its last\n"
        "roster snapshot (\"roster as of\"), its age, and whether the\n"
        "node may still certify NOT_RECEIVING from it (no older than the\n"
        "trust list's max_roster_age_days); and the conflicts still open.\n"
        "\n"
        "  -j, --json             machine-readable output\n"));
    printf ("%s", cli_node_help ());
    printf ("%s", _("  -h, --help             this text\n\n"));
    printf ("%s", cli_exit_help ());
    s_state_help ();
}

//  "3d 4h 12m" (or "12m 5s" when short) into out[48].
static void
s_uptime (uint64_t seconds, char *out)
{
    uint64_t d = seconds / 86400, h = seconds / 3600 % 24,
             m = seconds / 60 % 60, s = seconds % 60;
    if (d)
        snprintf (out, 48, _("%llud %lluh %llum"), (unsigned long long) d,
                  (unsigned long long) h, (unsigned long long) m);
    else if (h)
        snprintf (out, 48, _("%lluh %llum"), (unsigned long long) h,
                  (unsigned long long) m);
    else
        snprintf (out, 48, _("%llum %llus"), (unsigned long long) m,
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
        snprintf (out, len, "%s", d->as_of ? "" : _(": cannot certify "
                                                     "NOT_RECEIVING"));
        return;
    }
    snprintf (out, len, age == 1 ? _(", %lld day old%s")
                                 : _(", %lld days old%s"), (long long) age,
              age > (int64_t) st->max_roster_age_days || d->interrupted
                  ? _(": cannot certify NOT_RECEIVING") : "");
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
s_integrity_json (cli_json_t *j, const Xiecha__IntegrityStatus *in)
{
    cli_json_object (j, "integrity");
    cli_json_uint (j, "start_from", in->start_from);
    cli_json_uint (j, "start_to", in->start_to);
    cli_json_uint (j, "start_checkpoint", in->start_checkpoint);
    cli_json_str (j, "result", in->result);
    cli_json_bool (j, "alarm", strcmp (in->result, "FAILED") == 0);
    cli_json_bool (j, "busy", in->busy);
    cli_json_uint (j, "scrubs", in->finished);
    cli_json_uint (j, "failures", in->failures);
    if (in->finished_at) {
        char t[32];
        xc_time_iso (in->finished_at, t);
        cli_json_str (j, "finished_at", t);
    }
    else
        cli_json_null (j, "finished_at");
    cli_json_uint (j, "entries", in->entries);
    cli_json_uint (j, "subjects", in->subjects);
    if (in->bad_entry)
        cli_json_uint (j, "bad_entry", in->bad_entry);
    else
        cli_json_null (j, "bad_entry");
    cli_json_str (j, "what", *in->what ? in->what : NULL);
    cli_json_uint (j, "interval_s", in->interval_s);
    cli_json_end (j);
}

static void
s_json_limits (cli_json_t *j, const Xiecha__LimitsStatus *l)
{
    cli_json_object (j, "limits");
    cli_json_uint (j, "peer_messages_per_s", l->peer_messages_per_s);
    cli_json_uint (j, "peer_messages_burst", l->peer_messages_burst);
    cli_json_uint (j, "peer_subjects_per_s", l->peer_subjects_per_s);
    cli_json_uint (j, "peer_subjects_burst", l->peer_subjects_burst);
    cli_json_uint (j, "audit_refused_per_minute",
                   l->audit_refused_per_minute);
    cli_json_uint (j, "audit_refused_prefix_bytes",
                   l->audit_refused_prefix_bytes);
    cli_json_uint (j, "audit_bound_per_peer_hour",
                   l->audit_bound_per_peer_hour);
    cli_json_uint (j, "client_outstanding", l->client_outstanding);
    cli_json_uint (j, "client_hwm", l->client_hwm);
    cli_json_uint (j, "terminal_queries_per_minute",
                   l->terminal_queries_per_minute);
    cli_json_uint (j, "terminal_queries_burst", l->terminal_queries_burst);
    cli_json_end (j);
}

static void
s_integrity_text (const Xiecha__IntegrityStatus *in)
{
    cli_label (_("integrity"));
    printf (_("at start: audit entries %llu..%llu verified"),
            (unsigned long long) in->start_from,
            (unsigned long long) in->start_to);
    if (in->start_checkpoint)
        printf (_(", checkpoint %llu"),
                (unsigned long long) in->start_checkpoint);
    printf ("\n");
    char t[32] = "";
    if (in->finished_at)
        cli_local_time (in->finished_at, t);
    cli_label ("");
    if (strcmp (in->result, "FAILED") == 0)
        printf (_("ALARM: scrub %llu FAILED at %s: %s\n"),
                (unsigned long long) in->finished, t, in->what);
    else if (strcmp (in->result, "ok") == 0)
        printf (_("scrub %llu ok at %s: %llu entries, %llu subjects\n"),
                (unsigned long long) in->finished, t,
                (unsigned long long) in->entries,
                (unsigned long long) in->subjects);
    else if (strcmp (in->result, "error") == 0)
        printf (_("scrub %llu did not finish at %s: %s\n"),
                (unsigned long long) in->finished, t, in->what);
    else
        printf ("%s", _("no scrub since start\n"));
    if (in->busy) {
        cli_label ("");
        printf (_("scrub %llu running (%s %llu/%llu)\n"),
                (unsigned long long) in->run, in->phase,
                (unsigned long long) in->done,
                (unsigned long long) in->total);
    }
    cli_label ("");
    if (in->interval_s)
        printf (_("scrubbed every %u s\n"), (unsigned) in->interval_s);
    else
        printf ("%s", _("scrubbed on demand only (xiecha audit check)\n"));
}

/*  "terminals": the list's size, refusals, each terminal's counts. */
static void
s_json_terminals (cli_json_t *j, const Xiecha__StatusReply *st)
{
    cli_json_object (j, "terminals");
    cli_json_uint (j, "listed", st->terminals_listed);
    cli_json_uint (j, "throttled", st->terminals_throttled);
    cli_json_uint (j, "denied", st->terminals_denied);
    cli_json_array (j, "top");
    for (size_t i = 0; i < st->n_terminals; i++) {
        const Xiecha__TerminalLoad *t = st->terminals[i];
        cli_json_object (j, NULL);
        cli_json_str (j, "id", t->id);
        cli_json_str (j, "township", t->township);
        cli_json_uint (j, "requests", t->requests);
        cli_json_uint (j, "queries", t->queries);
        cli_json_uint (j, "throttled", t->throttled);
        cli_json_uint (j, "denied", t->denied);
        cli_json_uint (j, "unaudited", t->unaudited);
        cli_json_end (j);
    }
    cli_json_end (j);
    cli_json_end (j);
}

static void
s_json_loads (cli_json_t *j, const Xiecha__StatusReply *st)
{
    if (st->limits)
        s_json_limits (j, st->limits);
    cli_json_uint (j, "throttled", st->throttled);
    cli_json_uint (j, "unkept", st->unkept);
    cli_json_array (j, "top_peers");
    for (size_t i = 0; i < st->n_top_peers; i++) {
        const Xiecha__PeerLoad *p = st->top_peers[i];
        cli_json_object (j, NULL);
        cli_json_str (j, "node", p->node);
        cli_json_uint (j, "refused", p->refused);
        cli_json_uint (j, "throttled", p->throttled);
        cli_json_uint (j, "duplicates", p->duplicates);
        cli_json_uint (j, "unkept", p->unkept);
        cli_json_end (j);
    }
    cli_json_end (j);
    cli_json_object (j, "clients");
    cli_json_uint (j, "open", st->clients_open);
    cli_json_uint (j, "at_limit", st->clients_at_limit);
    cli_json_uint (j, "busy", st->clients_busy);
    cli_json_array (j, "top");
    for (size_t i = 0; i < st->n_top_clients; i++) {
        cli_json_object (j, NULL);
        cli_json_str (j, "terminal", st->top_clients[i]->terminal);
        cli_json_uint (j, "busy", st->top_clients[i]->busy);
        cli_json_end (j);
    }
    cli_json_end (j);
    cli_json_end (j);
    s_json_terminals (j, st);
}

static void
s_print_terminals (const Xiecha__StatusReply *st)
{
    cli_label (_("listed"));
    printf (_("%u terminals; %llu queries over their rate, %llu "
            "requests refused (role, revoked, unlisted)\n"),
            st->terminals_listed,
            (unsigned long long) st->terminals_throttled,
            (unsigned long long) st->terminals_denied);
    for (size_t i = 0; i < st->n_terminals; i++) {
        const Xiecha__TerminalLoad *t = st->terminals[i];
        cli_label (i ? "" : _("by terminal"));
        printf (_("%s (%s) %llu requests, %llu queries, %llu throttled, "
                  "%llu refused\n"), t->id,
                t->township[0] ? t->township : "?",
                (unsigned long long) t->requests,
                (unsigned long long) t->queries,
                (unsigned long long) t->throttled,
                (unsigned long long) t->denied);
    }
}

static void
s_print_loads (const Xiecha__StatusReply *st)
{
    const Xiecha__LimitsStatus *l = st->limits;
    if (l) {
        cli_label (_("limits"));
        printf (_("a peer: %u messages/s (burst %u), %u subject "
                  "lookups/s (burst %u)\n"), l->peer_messages_per_s,
                l->peer_messages_burst, l->peer_subjects_per_s,
                l->peer_subjects_burst);
        cli_label ("");
        printf (_("audit: %u refusals a minute kept, %u-byte "
                "prefix; at most %llu bytes a peer an hour\n"),
                l->audit_refused_per_minute, l->audit_refused_prefix_bytes,
                (unsigned long long) l->audit_bound_per_peer_hour);
        cli_label ("");
        printf (_("a terminal: %u requests outstanding, queues "
                "of %u, %u queries a minute (burst %u)\n"),
                l->client_outstanding, l->client_hwm,
                l->terminal_queries_per_minute, l->terminal_queries_burst);
    }
    cli_label (_("throttled"));
    printf (_("%llu (over a rate), %llu unkept (beyond the audit "
            "budget)\n"), (unsigned long long) st->throttled,
            (unsigned long long) st->unkept);
    for (size_t i = 0; i < st->n_top_peers; i++) {
        const Xiecha__PeerLoad *p = st->top_peers[i];
        cli_label (i ? "" : _("top peers"));
        cli_pad (stdout, p->node, 7);
        printf (_("%llu refused, %llu throttled, %llu repeated, "
                  "%llu unkept\n"),
                (unsigned long long) p->refused,
                (unsigned long long) p->throttled,
                (unsigned long long) p->duplicates,
                (unsigned long long) p->unkept);
    }
    cli_label (_("terminals"));
    printf (_("%llu with requests open, %llu at the limit, "
            "%llu requests answered busy\n"),
            (unsigned long long) st->clients_open,
            (unsigned long long) st->clients_at_limit,
            (unsigned long long) st->clients_busy);
    for (size_t i = 0; i < st->n_top_clients; i++) {
        cli_label (i ? "" : _("top busy"));
        printf (_("%s %llu busy\n"), st->top_clients[i]->terminal,
                (unsigned long long) st->top_clients[i]->busy);
    }
    s_print_terminals (st);
}

/*  A time for JSON (UTC ISO 8601), null when 0. */
static void
s_json_time (cli_json_t *j, const char *key, uint64_t ms)
{
    char iso[32];
    if (!ms) {
        cli_json_null (j, key);
        return;
    }
    xc_time_iso (ms, iso);
    cli_json_str (j, key, iso);
}

/*  What a monitor watches: trust list, key, outbox, checkpoint, import,
    peers; state "answering" (down and busy are s_unanswered's). */
static void
s_json_watch (cli_json_t *j, const Xiecha__StatusReply *st)
{
    cli_json_str (j, "state", "answering");
    cli_json_uint (j, "trust_serial", st->trust_serial);
    s_json_time (j, "trust_next_update", st->trust_next_update);
    cli_json_str (j, "active_key", st->active_key);
    cli_json_uint (j, "outbox_pending", st->outbox_pending);
    s_json_time (j, "outbox_oldest_at", st->outbox_oldest_at);
    s_json_time (j, "checkpoint_at", st->checkpoint_at);
    s_json_time (j, "last_import_at", st->last_import_at);
    cli_json_array (j, "peer_states");
    for (size_t i = 0; i < st->n_peer_states; i++) {
        const Xiecha__PeerState *p = st->peer_states[i];
        cli_json_object (j, NULL);
        cli_json_str (j, "node", p->node);
        cli_json_bool (j, "contacted", p->contacted);
        cli_json_bool (j, "connected", p->connected);
        if (p->offset_known)
            cli_json_int (j, "clock_offset_ms", p->clock_offset_ms);
        else
            cli_json_null (j, "clock_offset_ms");
        cli_json_end (j);
    }
    cli_json_end (j);
}

/*  "2026-12-02 12:00:00 +08:00 (3m 12s ago)", or "none". */
static void
s_when (uint64_t ms, uint64_t now, char *out, size_t len)
{
    char local[32], ago[48];
    if (!ms) {
        snprintf (out, len, "%s", _("none"));
        return;
    }
    s_uptime (now > ms ? (now - ms) / 1000 : 0, ago);
    snprintf (out, len, _("%s (%s ago)"), cli_local_time (ms, local), ago);
}

static void
s_print_peers (const Xiecha__StatusReply *st)
{
    for (size_t i = 0; i < st->n_peer_states; i++) {
        const Xiecha__PeerState *p = st->peer_states[i];
        char place[CLI_PLACE_LEN], clock[64] = "";
        if (p->offset_known)
            snprintf (clock, sizeof clock, _(", clock %+.3f s"),
                      (double) p->clock_offset_ms / 1000.0);
        cli_pad (stdout, i ? "" : _("reach"), 13);
        printf ("%s: %s%s\n", cli_place (p->node, place, sizeof place),
                p->connected ? _("connected")
                : p->contacted ? _("NOT connected") : _("not contacted"),
                clock);
    }
}

static void
s_print_watch (const Xiecha__StatusReply *st)
{
    uint64_t now = xc_now_ms ();
    char when[96];
    s_when (st->trust_next_update, 0, when, sizeof when);
    cli_pad (stdout, _("state"), 13);
    printf ("%s\n", _("answering"));
    cli_pad (stdout, _("trust"), 13);
    printf (_("serial %llu, next update %s\n"),
            (unsigned long long) st->trust_serial,
            st->trust_next_update ? cli_local_time (st->trust_next_update,
                                                    when) : _("none"));
    cli_pad (stdout, _("key"), 13);
    printf ("%s\n", st->active_key);
    s_when (st->outbox_oldest_at, now, when, sizeof when);
    cli_pad (stdout, _("outbox"), 13);
    printf (_("%llu waiting for their ack, oldest %s\n"),
            (unsigned long long) st->outbox_pending, when);
    s_when (st->checkpoint_at, now, when, sizeof when);
    cli_pad (stdout, _("checkpoint"), 13);
    printf (_("last %s (kept in the store)\n"), when);
    s_when (st->last_import_at, now, when, sizeof when);
    cli_pad (stdout, _("import"), 13);
    printf (_("last %s (since this start)\n"), when);
    s_print_peers (st);
}

static void
s_print (const cli_node_args_t *a, const Xiecha__StatusReply *st)
{
    uint64_t now = xc_now_ms ();
    uint64_t up_s = st->started_at && now > st->started_at
                        ? (now - st->started_at) / 1000 : 0;
    char started[32], uptime[48], head[2 * XC_HASH_LEN + 1] = "";
    s_uptime (up_s, uptime);
    if (st->audit_head.len == XC_HASH_LEN)
        xc_hex (st->audit_head.data, XC_HASH_LEN, head);
    if (a->json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_place (&j, "code", st->code);
        cli_json_str (&j, "name", st->name);
        cli_json_str (&j, "version", st->version);
        xc_time_iso (st->started_at, started);
        cli_json_str (&j, "started_at", started);
        cli_json_uint (&j, "uptime_s", up_s);
        cli_json_uint (&j, "subjects", st->subjects);
        cli_json_uint (&j, "audit_entries", st->audit_entries);
        cli_json_str (&j, "audit_head", st->audit_head.len ? head : NULL);
        cli_json_uint (&j, "queries_answered", st->queries_answered);
        cli_json_uint (&j, "queries_sent", st->queries_sent);
        cli_json_uint (&j, "refused", st->refused);
        cli_json_uint (&j, "peers", st->peers);
        cli_json_bool (&j, "disk_full", st->disk_full);
        cli_json_uint (&j, "disk_reserve", st->disk_reserve);
        if (st->integrity)
            s_integrity_json (&j, st->integrity);
        s_json_loads (&j, st);
        cli_json_uint (&j, "conflicts_open", st->conflicts_open);
        cli_json_uint (&j, "max_roster_age_days", st->max_roster_age_days);
        s_json_rosters (&j, st);
        s_json_watch (&j, st);
        cli_json_end (&j);
        return;
    }
    char place[CLI_PLACE_LEN];
    cli_local_time (st->started_at, started);
    cli_label (_("node"));
    printf ("%s%s%s%s\n", cli_place (st->code, place,
            sizeof place), *st->name ? " (" : "", st->name,
            *st->name ? ")" : "");
    cli_label (_("version"));
    printf ("%s\n", st->version);
    cli_label (_("uptime"));
    printf (_("%s (since %s)\n"), uptime, started);
    cli_label (_("subjects"));
    printf ("%llu\n", (unsigned long long) st->subjects);
    cli_label (_("audit"));
    printf (_("%llu entries, head %s\n"),
            (unsigned long long) st->audit_entries, *head ? head : "-");
    cli_label (_("queries"));
    printf (_("%llu answered, %llu sent\n"),
            (unsigned long long) st->queries_answered,
            (unsigned long long) st->queries_sent);
    cli_label (_("refused"));
    printf ("%llu\n", (unsigned long long) st->refused);
    cli_label (_("peers"));
    printf ("%u\n", (unsigned) st->peers);
    cli_label (_("disk"));
    printf (_("%s, %llu MiB reserve\n"),
            st->disk_full ? _("FULL: imports, notices and check-ins refused")
                          : _("ok"),
            (unsigned long long) (st->disk_reserve >> 20));
    if (st->integrity)
        s_integrity_text (st->integrity);
    s_print_loads (st);
    cli_label (_("conflicts"));
    printf (_("%llu open\n"),
            (unsigned long long) st->conflicts_open);
    for (size_t i = 0; i < st->n_rosters; i++) {
        const Xiecha__RosterDate *d = st->rosters[i];
        char text[256], state[80];
        cli_roster_line (d, text, sizeof text);
        s_roster_state (st, d, state, sizeof state);
        cli_label (i ? "" : _("roster"));
        printf ("%s%s\n", text, state);
    }
    s_print_watch (st);
}

/*  Whether the node is down: its endpoint (when -s, -c or
    $XIECHA_SOCKET names it) has no socket file or nobody listening. */
static bool
s_down (const cli_node_args_t *a, int wait_ms, char *why, size_t why_len)
{
    char endpoint[1024], ignored[512];
    if (cli_endpoint (a->socket, a->config, endpoint, sizeof endpoint,
                      ignored, sizeof ignored) != 0)
        return false;   /* a terminal's client config, or none: the call
                           says */
    return cli_probe (endpoint, wait_ms, why, why_len) == CLI_PROBE_DOWN;
}

/*  The node is down or busy: says so (state in --json) and returns
    status. */
static int
s_unanswered (const cli_node_args_t *a, const char *state, const char *why,
              int status)
{
    if (strcmp (state, "down") == 0)
        cli_error (CMD, _("the node is down: %s"), why);
    else
        cli_error (CMD, _("the node is busy: %s"), why);
    if (a->json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "state", state);
        cli_json_str (&j, "why", why);
        cli_json_int (&j, "status", status);
        cli_json_end (&j);
    }
    return status;
}

int
cli_status_main (int argc, char **argv)
{
    cli_node_args_t a;
    memset (&a, 0, sizeof a);
    int status = cli_node_parse (CMD, s_help, argc, argv, &a);
    if (status < 0)
        status = cli_zone_next (CMD, a.config);
    if (status >= 0)
        return status;
    int wait_ms = a.timeout_ms ? a.timeout_ms : S_PROBE_MS;
    char why[1024];
    if (s_down (&a, wait_ms, why, sizeof why))
        return s_unanswered (&a, "down", why, CLI_EXIT_UNREACHABLE);
    xc_client_t *client = cli_connect (CMD, a.socket, a.config, wait_ms);
    if (!client)
        return CLI_EXIT_USAGE;
    Xiecha__StatusReply *st = NULL;
    int rc = xc_client_status (client, &st, why, sizeof why);
    xc_client_destroy (&client);
    if (rc == XC_ETIMEOUT)
        return s_unanswered (&a, "busy", why, CLI_EXIT_FAIL);
    if (rc)
        return cli_failed (CMD, a.json, rc, why);
    s_print (&a, st);
    xiecha__status_reply__free_unpacked (st, NULL);
    return CLI_EXIT_OK;
}
