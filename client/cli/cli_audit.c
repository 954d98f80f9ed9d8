/*  cli_audit.c - xiecha audit: export the own node's audit log and verify
    an export offline; replay and check the own node's store.

      xiecha audit export [--from N] [--to M] --out FILE   asks the own node
      xiecha audit verify FILE --trust TRUSTFILE [--json]  offline check
      xiecha audit replay / check                          ask the own node

    The file is the binary export of xiecha/auditfile.h; verification is
    xc_auditfile_verify, the same code any auditor links. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xiecha/auditfile.h>

#include "cli.h"
#include "cli_anchor.h"
#include "cli_files.h"

static void
s_help (void)
{
    printf (
        "%s%s%s%s%s",
        _("Usage: xiecha audit export [--from N] [--to M] --out FILE "
        "[--progress]\n"
        "                           [--json] [-s ENDPOINT | -c CONFIG] "
        "[--timeout MS]\n"
        "       xiecha audit verify FILE --trust TRUSTFILE (--root HEX | "
        "--root-file FILE\n"
        "                           | -c CONFIG) [--threads N] [--progress]\n"
        "                           [--json]\n"
        "       xiecha audit list FILE --trust TRUSTFILE [--terminal ID]\n"
        "                           [--township CODE] [--json]\n"
        "       xiecha audit replay [--json] [-s ENDPOINT | -c CONFIG]\n"
        "       xiecha audit check [--progress] [--json] [-s ENDPOINT | -c "
        "CONFIG]\n"
        "       xiecha audit prove --cert FILE --trust TRUSTFILE --root HEX "
        "[--json]\n"
        "                          [-s ENDPOINT | -c CONFIG]\n"
        "\n"
        "export   saves the own node's audit log: entries N..M in full\n"
        "         (default all), every signed checkpoint in full, and the\n"
        "         hash of every other entry, so the checkpoints still\n"
        "         verify.  The export ends at a signed checkpoint: the\n"
        "         node signs one first when entries of the range come\n"
        "         after its last (an older range ends at the last one).\n"
        "         Fetched in pages of a few MiB (the first pins the size)\n"
        "         and written to FILE only when complete.\n"
        "verify   checks an export offline with the trust list (its root\n"
        "         signature and validity period now first): order and\n"
        "         completeness, the hash chain, each checkpoint's signature\n"
        "         (key of its node valid at its time), its Merkle root over\n"
        "         the entries before it and consistency with the previous\n"
        "         one, every sent/received envelope's signature, and that\n"
        "         the header's range is the entries held in full.  Prints\n"
        "         VALID only when every entry is covered by a signed\n"
        "         checkpoint; NOT COVERED: entries N..M ... when all holds\n"
        "         but the entries after the last checkpoint (or all, with\n"
        "         none) are signed by nobody (exit 7); INVALID: <first bad\n"
        "         entry and why>.  Then a summary, with each actor's\n"
        "         entries per kind (the terminal, its township and\n"
        "         operator that caused them).\n"
        "list     verifies an export as verify does, then lists its full\n"
        "         entries: one terminal's (--terminal) or one township's\n"
        "         (--township) actions, or every entry (see 'xiecha audit\n"
        "         list --help').\n"
        "replay   asks the own node to rebuild its subject index from the\n"
        "         audit log alone and compare it with the live index;\n"
        "         prints the differences (at most 100), exit 1 if any.\n"
        "check    asks the own node to re-verify its whole store now, as\n"
        "         its scheduled scrub does (limits/scrub_interval_s): every\n"
        "         link of the audit chain, every checkpoint (what it covers,\n"
        "         its Merkle root, its signature), the head, and the index\n"
        "         against the one the log rebuilds.  Waits for the result,\n"
        "         showing progress; prints OK or FAILED: <what>, exit 1 if\n"
        "         the store is damaged or the check could not finish.\n"
        "prove    asks the own node for the sent entry holding a\n"
        "         certificate and its inclusion proof under the latest\n"
        "         signed checkpoint, and checks both offline (see\n"
        "         'xiecha audit prove --help').\n"
        "\n"
        "  -f, --from N           first entry exported in full (1-based)\n"
        "  -u, --to M             last entry exported in full\n"
        "  -o, --out FILE         where to save the export\n"
        "verify takes the trust anchor options:\n"),
        cli_anchor_help (),
        _("  -N, --threads N        verify envelope signatures on N threads\n"
        "                         (default: the CPUs online)\n"
        "  -P, --progress         show progress on stderr even when it is\n"
        "                         not a terminal (on a terminal: always)\n"
        "  -j, --json             machine-readable output\n"),
        cli_node_help (),
        _("  -h, --help             this text\n"
        "\n"
        "Exit status:\n"
        "  0  saved / the export is valid / the store is sound\n"
        "  1  failure / the export is invalid / the store is damaged\n"
        "  2  bad input (options, unreadable file, a trust list that\n"
        "     cannot be loaded, is not signed by the root key or has\n"
        "     expired)\n"
        "  7  verify: every check holds, but some entries are covered by\n"
        "     no signed checkpoint\n"));
}

typedef struct {
    const char *cmd;
    uint64_t from, to;
    const char *out, *file, *socket, *config;
    cli_anchor_t anchor;     /* verify: --trust, --root, ...; -c too */
    int timeout_ms;
    unsigned threads;        /* verify: --threads, 0: CPUs online */
    bool json;
    bool progress;           /* --progress: also when not on a terminal */
} s_args_t;

static int
s_number (const s_args_t *a, const char *opt, const char *text,
          uint64_t *out)
{
    char *end = NULL;
    unsigned long long v = strtoull (text, &end, 10);
    if (!*text || *end || *text == '-' || v == 0)
        return cli_usage_error (a->cmd, _("--%s: '%s' is not an entry number "
                                          "(1, 2, ...)"), opt, text);
    *out = v;
    return -1;
}

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 'u' },
        { "out", required_argument, NULL, 'o' },
        { "trust", required_argument, NULL, 'T' },
        CLI_ANCHOR_LONGOPTS,
        { "json", no_argument, NULL, 'j' },
        { "progress", no_argument, NULL, 'P' },
        { "threads", required_argument, NULL, 'N' },
        { "socket", required_argument, NULL, 's' },
        { "config", required_argument, NULL, 'c' },
        { "timeout", required_argument, NULL, 't' },
        { "client-config", required_argument, NULL, 'K' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c, status = -1;
    optind = 1;
    while (status < 0
           && (c = getopt_long (argc, argv, ":f:u:o:T:jPN:s:c:t:h", opts, NULL))
                  != -1) {
        if (cli_anchor_option (&a->anchor, c, optarg))
            continue;
        switch (c) {
        case 'f': status = s_number (a, "from", optarg, &a->from); break;
        case 'u': status = s_number (a, "to", optarg, &a->to); break;
        case 'o': a->out = optarg; break;
        case 'T': a->anchor.trust = optarg; break;
        case 'j': a->json = true; break;
        case 'P': a->progress = true; break;
        case 'N': {
            char *end = NULL;
            unsigned long n = strtoul (optarg, &end, 10);
            if (!*optarg || *end || *optarg == '-' || n < 1 || n > 256)
                return cli_usage_error (a->cmd,
                                        _("--threads: '%s' is not a number of "
                                          "threads (1..256)"), optarg);
            a->threads = (unsigned) n;
            break;
        }
        case 's': a->socket = optarg; break;
        case 'c': a->config = optarg; break;
        case 't':
            if (cli_parse_timeout (optarg, &a->timeout_ms))
                return cli_usage_error (a->cmd,
                                        _("--timeout: '%s' is not a number of "
                                          "ms (1..3600000)"), optarg);
            break;
        case 'K': cli_set_client_config (optarg); break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (a->cmd, c, argv);
        }
    }
    return status;
}

/*  Where the pages of an export go as they arrive. */
typedef struct {
    cli_out_t *out;
    cli_progress_t progress;
    uint64_t bytes, pages, total;
    char *why;
    size_t why_len;
} s_sink_t;

static int
s_sink (const uint8_t *chunk, size_t len, uint64_t done, uint64_t total,
        void *arg)
{
    s_sink_t *k = arg;
    int rc = cli_out_write (k->out, chunk, len, k->why, k->why_len);
    if (rc == 0) {
        k->bytes += len;
        k->pages++;
        k->total = total;
        cli_progress_update (&k->progress, done, total);
    }
    return rc;
}

static void
s_export_done (const s_args_t *a, const s_sink_t *k)
{
    if (!a->json) {
        printf (_("saved %llu entries (%llu bytes, %llu pages) to %s\n"),
                (unsigned long long) k->total, (unsigned long long) k->bytes,
                (unsigned long long) k->pages, a->out);
        return;
    }
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "file", a->out);
    cli_json_uint (&j, "entries", k->total);
    cli_json_uint (&j, "bytes", k->bytes);
    cli_json_uint (&j, "pages", k->pages);
    cli_json_end (&j);
}

static int
s_export (int argc, char **argv)
{
    s_args_t a = {.cmd = "audit export"};
    int status = s_parse (argc, argv, &a);
    if (status >= 0)
        return status;
    if (optind < argc)
        return cli_usage_error (a.cmd, _("unexpected argument '%s'"),
                                argv[optind]);
    if (!a.out)
        return cli_usage_error (a.cmd, "%s", _("--out is required"));
    if (a.anchor.trust || a.anchor.root || a.anchor.root_file
        || a.anchor.insecure)
        return cli_usage_error (a.cmd, "%s",
                                _("--trust, --root, --root-file and "
                                  "--insecure-unsigned-trust are for 'audit "
                                  "verify' and 'audit prove'"));
    if (a.to && a.from > a.to)
        return cli_usage_error (a.cmd, "%s", _("--from is after --to"));
    char why[1024];
    s_sink_t k = {.why = why, .why_len = sizeof why};
    k.out = cli_out_open (a.out, cli_public_mode (), why, sizeof why);
    if (!k.out)
        return cli_usage_error (a.cmd, "%s", why);
    xc_client_t *client = cli_connect (a.cmd, a.socket, a.config,
                                       a.timeout_ms);
    if (!client) {
        cli_out_abort (&k.out);
        return CLI_EXIT_USAGE;
    }
    cli_progress_init (&k.progress,
                       !a.json && (a.progress || isatty (STDERR_FILENO)),
                       _("exported entries"));
    int rc = xc_client_audit_export_to (client, a.from, a.to, s_sink, &k,
                                        why, sizeof why);
    cli_progress_end (&k.progress);
    xc_client_destroy (&client);
    if (rc == 0)
        rc = cli_out_commit (&k.out, true, why, sizeof why);
    else
        cli_out_abort (&k.out);
    if (rc) {
        cli_error (a.cmd, "%s", why);
        return cli_exit_code (rc);
    }
    s_export_done (&a, &k);
    return CLI_EXIT_OK;
}

/*  A line of the summary: its label padded to one column whatever
    the language, so the values line up (cli_pad). */
static void
s_label (const char *label)
{
    cli_pad (stdout, label, 13);
}

static void
s_human (const s_args_t *a, const xc_auditfile_report_t *r, int rc)
{
    if (rc == 0)
        fputs (_("VALID\n"), stdout);
    else if (rc == XC_EUNCOVERED)
        printf (_("NOT COVERED: %s\n"), r->why);
    else
        printf (_("INVALID: %s\n"), r->why);
    char t0[32] = "-", t1[32] = "-";
    if (r->full) {
        cli_local_time (r->first_ms, t0);
        cli_local_time (r->last_ms, t1);
    }
    s_label (_("entries"));
    printf (_("%llu read of %llu, %llu in full\n"),
            (unsigned long long) r->entries, (unsigned long long) r->total,
            (unsigned long long) r->full);
    s_label (_("time range"));
    printf ("%s .. %s\n", t0, t1);
    s_label (_("checkpoints"));
    if (r->node[0])
        printf (_("%llu verified, last covers %llu entries, node %s\n"),
                (unsigned long long) r->checkpoints,
                (unsigned long long) r->covered, r->node);
    else
        printf (_("%llu verified, last covers %llu entries\n"),
                (unsigned long long) r->checkpoints,
                (unsigned long long) r->covered);
    s_label (_("envelopes"));
    printf (_("%llu verified\n"), (unsigned long long) r->envelopes);
    if (r->restored_at) {
        s_label (_("restored"));
        printf (_("%llu time(s), last at entry %llu: the log goes on there "
                  "from a copy of the node's store; what the node wrote "
                  "after entry %llu of the lost store is not in it\n"),
                (unsigned long long) r->restores,
                (unsigned long long) r->restored_at,
                (unsigned long long) r->restored_at - 1);
    }
    if (r->uncovered_from) {
        s_label (_("uncovered"));
        printf (_("entries %llu..%llu: no signed checkpoint covers them\n"),
                (unsigned long long) r->uncovered_from,
                (unsigned long long) r->uncovered_to);
    }
    for (int k = 0; k < XC_AUDITFILE_KINDS; k++)
        if (r->kinds[k]) {
            s_label (_("kind"));
            printf ("%-12s %llu\n", xc_auditentry_kind_name (k),
                    (unsigned long long) r->kinds[k]);
        }
    for (size_t i = 0; i < r->n_peers; i++) {
        s_label (_("peer"));
        printf ("%-12s %llu\n", r->peers[i].code,
                (unsigned long long) r->peers[i].count);
    }
    cli_audit_actors_human (r);
}

static void
s_json (const s_args_t *a, const xc_auditfile_report_t *r, int rc)
{
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "file", a->file);
    cli_json_bool (&j, "valid", rc == 0);
    cli_anchor_json (&j, &a->anchor);
    cli_json_bool (&j, "covered_all", rc != XC_EUNCOVERED);
    if (rc && rc != XC_EUNCOVERED)
        cli_json_uint (&j, "bad_entry", r->bad_seq);
    else
        cli_json_null (&j, "bad_entry");
    cli_json_str (&j, "reason", rc ? r->why : NULL);
    cli_json_uint (&j, "total", r->total);
    cli_json_uint (&j, "entries", r->entries);
    cli_json_uint (&j, "full", r->full);
    cli_json_uint (&j, "first_ms", r->first_ms);
    cli_json_uint (&j, "last_ms", r->last_ms);
    cli_json_uint (&j, "checkpoints", r->checkpoints);
    cli_json_uint (&j, "covered", r->covered);
    cli_json_uint (&j, "uncovered", r->uncovered_from
                                        ? r->uncovered_to - r->uncovered_from
                                              + 1
                                        : 0);
    if (r->uncovered_from) {
        cli_json_uint (&j, "uncovered_from", r->uncovered_from);
        cli_json_uint (&j, "uncovered_to", r->uncovered_to);
    }
    else {
        cli_json_null (&j, "uncovered_from");
        cli_json_null (&j, "uncovered_to");
    }
    cli_json_str (&j, "node", r->node[0] ? r->node : NULL);
    cli_json_uint (&j, "envelopes", r->envelopes);
    cli_json_uint (&j, "restores", r->restores);
    if (r->restored_at)
        cli_json_uint (&j, "restored_at", r->restored_at);
    else
        cli_json_null (&j, "restored_at");
    cli_json_object (&j, "kinds");
    for (int k = 0; k < XC_AUDITFILE_KINDS; k++)
        if (r->kinds[k])
            cli_json_uint (&j, xc_auditentry_kind_name (k), r->kinds[k]);
    cli_json_end (&j);
    cli_json_object (&j, "peers");
    for (size_t i = 0; i < r->n_peers; i++)
        cli_json_uint (&j, r->peers[i].code, r->peers[i].count);
    cli_json_end (&j);
    cli_audit_actors_json (&j, r);
    cli_json_end (&j);
}

static void
s_verify_progress (uint64_t done, uint64_t total, void *arg)
{
    cli_progress_update (arg, done, total);
}

static int
s_verify (int argc, char **argv)
{
    s_args_t a = {.cmd = "audit verify"};
    int status = s_parse (argc, argv, &a);
    if (status >= 0)
        return status;
    if (optind >= argc)
        return cli_usage_error (a.cmd, "%s", _("FILE is required"));
    if (optind + 1 < argc)
        return cli_usage_error (a.cmd, _("unexpected argument '%s'"),
                                argv[optind + 1]);
    a.file = argv[optind];
    a.anchor.config = a.config;
    if ((status = cli_zone_use (a.cmd, a.config)) != 0)
        return status;
    char why[1024];
    const uint8_t *bytes = NULL;
    size_t len = 0;
    //  Mapped, not read: an export of millions of entries is large, and
    //  the verifier walks it once from front to back.
    if (cli_map_file (a.file, &bytes, &len, why, sizeof why))
        return cli_usage_error (a.cmd, "%s", why);
    xc_trust_t *trust = cli_anchor_load (a.cmd, &a.anchor, xc_now_ms (),
                                         a.json, &status);
    if (!trust) {
        cli_unmap_file (bytes, len);
        return status;
    }
    //  Heap, not stack: the report holds a peer table.
    xc_auditfile_report_t *r = calloc (1, sizeof *r);
    cli_progress_t progress;
    cli_progress_init (&progress,
                       !a.json && (a.progress || isatty (STDERR_FILENO)),
                       _("verified entries"));
    int rc = r ? xc_auditfile_verify_threads (bytes, len, trust, r,
                                              a.threads, s_verify_progress,
                                              &progress)
               : XC_ENOMEM;
    cli_progress_end (&progress);
    if (r && a.json)
        s_json (&a, r, rc);
    else if (r)
        s_human (&a, r, rc);
    free (r);
    xc_trust_destroy (&trust);
    cli_unmap_file (bytes, len);
    return rc == 0 || rc == XC_EUNCOVERED ? cli_exit_code (rc)
                                          : CLI_EXIT_FAIL;
}

/*  The start of a subcommand that asks the own node and takes no
    operand: its options and a connection.  NULL, with *status the exit
    status, when there is nothing more to do (--help, bad input). */
static xc_client_t *
s_ask_node (int argc, char **argv, s_args_t *a, int *status)
{
    *status = s_parse (argc, argv, a);
    if (*status >= 0)
        return NULL;
    if (optind < argc) {
        *status = cli_usage_error (a->cmd, _("unexpected argument '%s'"),
                                   argv[optind]);
        return NULL;
    }
    xc_client_t *client = cli_connect (a->cmd, a->socket, a->config,
                                       a->timeout_ms);
    if (!client)
        *status = CLI_EXIT_USAGE;
    return client;
}

static int
s_replay (int argc, char **argv)
{
    s_args_t a = {.cmd = "audit replay"};
    int status;
    xc_client_t *client = s_ask_node (argc, argv, &a, &status);
    if (!client)
        return status;
    Xiecha__AuditReplayReply *r = NULL;
    char why[1024];
    int rc = xc_client_audit_replay (client, &r, why, sizeof why);
    xc_client_destroy (&client);
    if (rc) {
        cli_error (a.cmd, "%s", why);
        return cli_exit_code (rc);
    }
    if (a.json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_bool (&j, "matches", r->differences == 0);
        cli_json_uint (&j, "entries", r->entries);
        cli_json_uint (&j, "replayed", r->replayed);
        cli_json_uint (&j, "live_subjects", r->live_subjects);
        cli_json_uint (&j, "rebuilt_subjects", r->rebuilt_subjects);
        cli_json_uint (&j, "differences", r->differences);
        cli_json_array (&j, "diffs");
        for (size_t i = 0; i < r->n_diffs; i++) {
            char hex[65] = "";
            if (r->diffs[i]->subject.len == 32)
                xc_hex (r->diffs[i]->subject.data, 32, hex);
            cli_json_object (&j, NULL);
            cli_json_str (&j, "subject", hex);
            cli_json_str (&j, "live", r->diffs[i]->live);
            cli_json_str (&j, "rebuilt", r->diffs[i]->rebuilt);
            cli_json_end (&j);
        }
        cli_json_end (&j);
        cli_json_end (&j);
    }
    else if (r->differences == 0)
        printf (_("index matches the log (%llu subjects)\n"),
                (unsigned long long) r->live_subjects);
    else {
        printf (_("index differs from the log: %llu subject(s) (live %llu, "
                  "rebuilt %llu)\n"),
                (unsigned long long) r->differences,
                (unsigned long long) r->live_subjects,
                (unsigned long long) r->rebuilt_subjects);
        for (size_t i = 0; i < r->n_diffs; i++) {
            char hex[65] = "";
            if (r->diffs[i]->subject.len == 32)
                xc_hex (r->diffs[i]->subject.data, 32, hex);
            printf (_("%s\n  live     %s\n  rebuilt  %s\n"), hex,
                    r->diffs[i]->live[0] ? r->diffs[i]->live : _("(none)"),
                    r->diffs[i]->rebuilt[0] ? r->diffs[i]->rebuilt
                                            : _("(none)"));
        }
    }
    int differ = r->differences != 0;
    xiecha__audit_replay_reply__free_unpacked (r, NULL);
    return differ ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

/* ---- audit check ----------------------------------------------------------- */

/*  How often a waiting `audit check` asks again. */
#define S_CHECK_POLL_US (100 * 1000)

static void
s_check_json (const Xiecha__IntegrityStatus *st)
{
    char t0[32], t1[32];
    xc_time_iso (st->started_at, t0);
    xc_time_iso (st->finished_at, t1);
    bool failed = strcmp (st->result, "FAILED") == 0;
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_bool (&j, "sound", strcmp (st->result, "ok") == 0);
    cli_json_str (&j, "result", st->result);
    cli_json_uint (&j, "run", st->finished);
    cli_json_uint (&j, "entries", st->entries);
    cli_json_uint (&j, "subjects", st->subjects);
    if (failed && st->bad_entry)
        cli_json_uint (&j, "bad_entry", st->bad_entry);
    else
        cli_json_null (&j, "bad_entry");
    cli_json_str (&j, "what", *st->what ? st->what : NULL);
    cli_json_str (&j, "started_at", t0);
    cli_json_str (&j, "finished_at", t1);
    cli_json_end (&j);
}

static void
s_check_human (const Xiecha__IntegrityStatus *st)
{
    double s = st->finished_at > st->started_at
                   ? (double) (st->finished_at - st->started_at) / 1000.0
                   : 0.0;
    if (strcmp (st->result, "ok") == 0)
        printf (_("OK: %llu audit entries and %llu subjects checked (scrub "
                  "%llu, %.1f s)\n"), (unsigned long long) st->entries,
                (unsigned long long) st->subjects,
                (unsigned long long) st->finished, s);
    else if (strcmp (st->result, "FAILED") == 0)
        printf (_("FAILED: %s\n"), st->what);
    else
        printf (_("the check did not finish (%s): "
                  "%s\n"), st->result, st->what);
}

/*  Polls until scrub run has finished, drawing its progress; *last is
    the final state (the caller's).  Returns 0 or a code with why. */
static int
s_check_wait (xc_client_t *client, uint64_t run, bool progress,
              Xiecha__IntegrityStatus **last, char *why, size_t why_len)
{
    cli_progress_t p;
    char phase[16] = "";
    bool drawing = false;
    int rc = 0;
    while (rc == 0 && (*last)->finished < run) {
        if ((*last)->run < run) {
            rc = xc_why (why, why_len, XC_EINTERNAL, "%s",
                         _("the node restarted during the check; run it "
                           "again"));
            break;
        }
        if (progress && strcmp (phase, (*last)->phase) != 0) {
            if (drawing)
                cli_progress_end (&p);
            snprintf (phase, sizeof phase, "%s", (*last)->phase);
            drawing = strcmp (phase, "log") == 0 || strcmp (phase, "index") == 0;
            if (drawing)
                cli_progress_init (&p, true, strcmp (phase, "log") == 0
                                                 ? _("checked audit entries")
                                                 : _("compared subjects"));
        }
        if (drawing && (*last)->total)
            cli_progress_update (&p, (*last)->done, (*last)->total);
        usleep (S_CHECK_POLL_US);
        xiecha__integrity_status__free_unpacked (*last, NULL);
        *last = NULL;
        rc = xc_client_audit_check (client, false, last, why, why_len);
    }
    if (drawing)
        cli_progress_end (&p);
    return rc;
}

static int
s_check (int argc, char **argv)
{
    s_args_t a = {.cmd = "audit check"};
    int status;
    xc_client_t *client = s_ask_node (argc, argv, &a, &status);
    if (!client)
        return status;
    Xiecha__IntegrityStatus *st = NULL;
    char why[1024];
    int rc = xc_client_audit_check (client, true, &st, why, sizeof why);
    if (rc == 0)
        rc = s_check_wait (client, st->run,
                           !a.json && (a.progress || isatty (STDERR_FILENO)),
                           &st, why, sizeof why);
    xc_client_destroy (&client);
    if (rc) {
        if (st)
            xiecha__integrity_status__free_unpacked (st, NULL);
        return cli_failed (a.cmd, a.json, rc, why);
    }
    if (a.json)
        s_check_json (st);
    else
        s_check_human (st);
    int sound = strcmp (st->result, "ok") == 0;
    xiecha__integrity_status__free_unpacked (st, NULL);
    return sound ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

int
cli_audit_main (int argc, char **argv)
{
    if (argc < 2 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "--help") == 0) {
        s_help ();
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp (argv[1], "export") == 0)
        return s_export (argc - 1, argv + 1);
    if (strcmp (argv[1], "verify") == 0)
        return s_verify (argc - 1, argv + 1);
    if (strcmp (argv[1], "replay") == 0)
        return s_replay (argc - 1, argv + 1);
    if (strcmp (argv[1], "prove") == 0)
        return cli_audit_prove (argc - 1, argv + 1);
    if (strcmp (argv[1], "list") == 0)
        return cli_audit_list (argc - 1, argv + 1);
    if (strcmp (argv[1], "check") == 0)
        return s_check (argc - 1, argv + 1);
    return cli_usage_error ("audit", _("unknown subcommand '%s' (export, "
                                       "verify, list, replay, prove, "
                                       "check)"), argv[1]);
}
