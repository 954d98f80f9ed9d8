/*  cli_backup.c - xiecha backup: a consistent copy of the own node's
    store, ending under a checkpoint the node signed just before.

    Two steps: the node seals its log (BackupRequest: a checkpoint over
    all of it, recorded with the request; requests.c) and names its data
    directory; then this process copies the store from there with the
    daemon's own store code (daemon/store/backup.h), beside the running
    node.  The copy needs read access to node/data_dir: root or the
    node's user, on the node's host -- which is also why only the local
    administrator (the IPC socket) may ask for the seal. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "cli_text.h"
#include "store/backup.h"
#include "xiecha/date.h"
#include "xiecha/text.h"

#define CMD "backup"

typedef struct {
    cli_node_args_t node;
    const char *out;        /* --out */
    const char *data_dir;   /* --data-dir, with --stopped */
    bool stopped;           /* --stopped: no seal, the node is down */
} s_args_t;

static void
s_help (void)
{
    printf ("%s%s%s%s",
            _("Usage: xiecha backup --out FILE [--json] [-s ENDPOINT | -c "
              "CONFIG]\n"
              "       xiecha backup --out FILE --stopped --data-dir DIR "
              "[--json]\n"
              "\n"
              "Copies the own node's store while it serves: the node first\n"
              "appends a signed checkpoint over its whole audit log (and\n"
              "records the request), then the store is copied from one LMDB\n"
              "read transaction, compacted, into FILE: mode 0600, synced,\n"
              "and only under its name once whole.  Prints what the copy\n"
              "holds: audit entries and the checkpoint that covers them,\n"
              "people, households, notices awaiting their ack, rosters.\n"
              "Run it as root or as the node's user, on the node's host:\n"
              "the copy reads node/data_dir.  To restore, see xiechad(8),\n"
              "BACKUP AND RESTORE.\n"
              "\n"
              "  -o, --out FILE         the backup file; never overwritten\n"
              "      --stopped          the node is not running: copy its\n"
              "                         store without a new checkpoint\n"
              "      --data-dir DIR     with --stopped: node/data_dir\n"
              "  -j, --json             machine-readable output\n"),
            cli_node_help (),
            _("  -h, --help             this text\n\n"),
            cli_exit_help ());
}

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "out", required_argument, NULL, 'o' },
        { "stopped", no_argument, NULL, 'S' },
        { "data-dir", required_argument, NULL, 'D' },
        CLI_NODE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c, status;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":o:js:c:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': a->out = optarg; break;
        case 'S': a->stopped = true; break;
        case 'D': a->data_dir = optarg; break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default:
            if ((status = cli_node_option (&a->node, CMD, c, argv)) >= 0)
                return status;
        }
    }
    if (optind < argc)
        return cli_usage_error (CMD, _("unexpected argument '%s'"),
                                argv[optind]);
    if (!a->out)
        return cli_usage_error (CMD, "%s", _("--out FILE is required"));
    if (a->stopped != (a->data_dir != NULL))
        return cli_usage_error (CMD, "%s", _("--stopped and --data-dir DIR "
                                "go together: a running node names its "
                                "data directory itself"));
    if (a->stopped && (a->node.socket || a->node.config))
        return cli_usage_error (CMD, "%s", _("--stopped copies without the "
                                "node: -s and -c do not apply"));
    return -1;
}

/*  The node seals its log and names its data directory. */
static int
s_seal (const s_args_t *a, Xiecha__BackupReply **reply)
{
    xc_client_t *client = cli_connect (CMD, a->node.socket, a->node.config,
                                       a->node.timeout_ms);
    if (!client)
        return CLI_EXIT_USAGE;
    char why[1024];
    int rc = xc_client_backup (client, reply, why, sizeof why);
    xc_client_destroy (&client);
    if (rc == XC_EUNREACHABLE || rc == XC_ETIMEOUT) {
        char more[1400];
        snprintf (more, sizeof more, _("%s; to copy the store of a stopped "
                  "node, give --stopped --data-dir DIR"), why);
        return cli_failed (CMD, a->node.json, rc, more);
    }
    return rc ? cli_failed (CMD, a->node.json, rc, why) : -1;
}

static void
s_json (const s_args_t *a, const char *dir, const xc_backup_info_t *i,
        const Xiecha__BackupReply *r)
{
    char sha[65], at[40];
    xc_hex (i->sha256, sizeof i->sha256, sha);
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "file", a->out);
    cli_json_str (&j, "data_dir", dir);
    cli_json_uint (&j, "bytes", i->bytes);
    cli_json_str (&j, "sha256", sha);
    cli_json_str (&j, "mode", "0600");
    cli_json_str (&j, "node", i->node[0] ? i->node : NULL);
    cli_json_bool (&j, "sealed_now", r != NULL);
    cli_json_uint (&j, "entries", i->entries);
    if (i->sealed) {
        xc_time_iso (i->sealed_ms, at);
        cli_json_uint (&j, "checkpoint_entry", i->sealed);
        cli_json_str (&j, "checkpoint_at", at);
    }
    else {
        cli_json_null (&j, "checkpoint_entry");
        cli_json_null (&j, "checkpoint_at");
    }
    cli_json_uint (&j, "covered", i->sealed ? i->sealed - 1 : 0);
    cli_json_uint (&j, "after_checkpoint", i->entries - i->sealed);
    cli_json_uint (&j, "subjects", i->subjects);
    cli_json_uint (&j, "households", i->households);
    cli_json_uint (&j, "outbox", i->outbox);
    cli_json_uint (&j, "conflicts", i->conflicts);
    cli_json_array (&j, "rosters");
    for (int p = 1; p <= XC_BACKUP_PROGRAMS; p++) {
        char date[11];
        xc_date_text (i->rosters[p - 1], date);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "program", xc_program_name (p));
        cli_json_str (&j, "as_of", i->rosters[p - 1] ? date : NULL);
        cli_json_end (&j);
    }
    cli_json_end (&j);
    cli_json_end (&j);
}

static void
s_print_log (const xc_backup_info_t *i)
{
    char at[32];
    cli_label (_("audit log"));
    if (!i->sealed) {
        printf (_("%llu entries, none under a signed checkpoint\n"),
                (unsigned long long) i->entries);
        return;
    }
    printf (_("%llu entries; the checkpoint at entry %llu (%s) covers "
              "1..%llu\n"), (unsigned long long) i->entries,
            (unsigned long long) i->sealed,
            cli_local_time (i->sealed_ms, at),
            (unsigned long long) i->sealed - 1);
    if (i->entries > i->sealed) {
        cli_label ("");
        printf (_("%llu entries written after it are in the copy too, "
                  "under the node's next checkpoint\n"),
                (unsigned long long) (i->entries - i->sealed));
    }
}

static void
s_print (const s_args_t *a, const char *dir, const xc_backup_info_t *i)
{
    char sha[65], place[CLI_PLACE_LEN];
    xc_hex (i->sha256, sizeof i->sha256, sha);
    cli_label (_("backup"));
    printf (_("%s (mode 0600, %llu bytes, synced)\n"), a->out,
            (unsigned long long) i->bytes);
    cli_label ("SHA-256");
    printf ("%s\n", sha);
    cli_label (_("node"));
    printf ("%s\n", i->node[0] ? cli_place (i->node, place, sizeof place)
                               : "-");
    s_print_log (i);
    cli_label (_("people"));
    printf (_("%llu in the index, %llu households checked in, %llu notices "
              "awaiting their ack, %llu conflicts\n"),
            (unsigned long long) i->subjects,
            (unsigned long long) i->households,
            (unsigned long long) i->outbox,
            (unsigned long long) i->conflicts);
    cli_label (_("rosters"));
    for (int p = 1; p <= XC_BACKUP_PROGRAMS; p++) {
        char date[11];
        xc_date_text (i->rosters[p - 1], date);
        printf ("%s%s %s", p > 1 ? ", " : "", cli_program_text (p),
                i->rosters[p - 1] ? date : _("never imported"));
    }
    printf ("\n");
    cli_label (_("restore"));
    printf (_("stop the node, move the old store away, install -m 0600 -o "
              "xiecha -g xiecha %s %s/data.mdb (the node's user), start the "
              "node: it records the restore in its audit log. See "
              "xiechad(8).\n"),
            a->out, dir);
}

int
cli_backup_main (int argc, char **argv)
{
    s_args_t a;
    memset (&a, 0, sizeof a);
    int status = s_parse (argc, argv, &a);
    if (status >= 0)
        return status;
    Xiecha__BackupReply *r = NULL;
    if (!a.stopped && (status = s_seal (&a, &r)) >= 0)
        return status;
    const char *dir = r ? r->data_dir : a.data_dir;
    if (!a.node.json)
        fprintf (stderr, _("xiecha backup: copying the store in %s ...\n"),
                 dir);
    xc_backup_info_t info;
    char why[1400];
    int rc = xc_backup_make (dir, a.out, &info, why, sizeof why);
    //  The copy must hold the checkpoint the node just made: it was
    //  committed before the copy's read transaction began.
    if (rc == 0 && r && info.sealed < r->checkpoint_entry)
        rc = xc_why (why, sizeof why, XC_EINTERNAL, _("the copy ends before "
                     "the checkpoint the node made (entry %llu)"),
                     (unsigned long long) r->checkpoint_entry);
    if (rc == 0 && a.node.json)
        s_json (&a, dir, &info, r);
    else if (rc == 0)
        s_print (&a, dir, &info);
    xiecha__backup_reply__free_unpacked (r, NULL);
    return rc ? cli_failed (CMD, a.node.json, rc, why) : CLI_EXIT_OK;
}
