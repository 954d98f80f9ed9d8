/*  main.c - xiechad, the xiecha node daemon.

    Reads top to bottom: parse options, read the configuration, load
    keys and trust list, open and check the store (--check and --init
    stop here), bind sockets, record the start in the audit log, serve
    until SIGINT/SIGTERM, record the stop, close everything. */
#include <czmq.h>
#include <getopt.h>
#include <sys/stat.h>

#include "store/audit.h"
#include "decide/audit_seal.h"
#include "decide/refusal.h"
#include "node/config.h"
#include "node/log.h"
#include "node/node.h"
#include "node/notify.h"
#include "node/reload.h"
#include "node/restore.h"
#include "net/transport.h"
#include "xiecha/division.h"
#include "xiecha/text.h"

static void
s_usage (FILE *to)
{
    fputs (_("Usage: xiechad --config FILE [--check | --init | --restored-from "
        "BACKUP] [--verbose]\n"
        "\n"
        "xiechad is the xiecha node daemon of one county civil-affairs bureau.\n"
        "It answers signed cross-jurisdiction queries from other nodes and\n"
        "asks them on behalf of its township terminals. It runs in the\n"
        "foreground and logs to stderr; stop it with SIGTERM or SIGINT.\n"
        "\n"
        "Options:\n"
        "  -c, --config FILE   node configuration (ZPL)\n"
        "  -n, --check         check the configuration, keys and trust list\n"
        "                      and, read-only, the store in node/data_dir\n"
        "                      as a start would (its owner, size, audit\n"
        "                      log tail and last checkpoint, the trust\n"
        "                      list's serial and digest), then exit: 0 if\n"
        "                      good, 1 naming what is wrong\n"
        "  -i, --init          first start: create node/data_dir (mode 0700)\n"
        "                      if missing and a new store in it recording\n"
        "                      this node's code, key and creation time,\n"
        "                      then exit.  Refused when a store is there.\n"
        "                      Without it the node refuses a missing, empty\n"
        "                      or damaged store instead of starting afresh\n"
        "  -r, --restored-from BACKUP\n"
        "                      node/data_dir/data.mdb was installed from\n"
        "                      BACKUP (xiecha backup): the node checks that\n"
        "                      it is that file and records the restore in\n"
        "                      its audit log, then serves.  A store copied\n"
        "                      to a new file is noticed and recorded without\n"
        "                      it\n"
        "  -v, --verbose       log debug lines too\n"
        "  -h, --help          this text\n"
        "  -V, --version       print the version\n"
        "\n"
        "Configuration keys (ZPL, 4-space indent):\n"), to);
    xc_config_print_schema (to);
    fputs (_("\nSee xiechad(8).\n"), to);
}

typedef struct {
    xc_node_t *node;
    uint64_t now;
    const char *note;
    xc_audit_kind_t kind;
} s_mark_t;

static int
s_mark_write (MDB_txn *txn, void *arg)
{
    s_mark_t *m = arg;
    return xc_audit_append (m->node->store, txn, m->kind, NULL, m->now,
                            m->note, NULL, 0, NULL);
}

/*  Start and stop are audit entries too, so a gap in service shows in
    the log an auditor reads. */
static int
s_mark (xc_node_t *node, xc_audit_kind_t kind, const char *note)
{
    s_mark_t m = {node, xc_now_ms (), note, kind};
    return xc_store_write (node->store, s_mark_write, &m);
}

/*  Before the start entry: a store that is a copy (restored from a
    backup) says so in the log (node/restore.h).  Returns 0, or 1 after
    saying why the node does not start. */
static int
s_restore (xc_node_t *node, const char *restored_from)
{
    char why[1024];
    int recorded = 0;
    if (xc_restore_start (node->store, node->config.data_dir, restored_from,
                          xc_now_ms (), &recorded, why, sizeof why) != 0) {
        fprintf (stderr, "xiechad: %s\n", why);
        return 1;
    }
    if (recorded)
        xc_log_event (XC_LOG_WARN, "restore",
                      XC_KV ("how", restored_from ? "said" : "noticed"),
                      "store restored: the audit log goes on from the "
                      "copy's last entry, and says so");
    return 0;
}

/*  --check: the division table.  It gives names only (relations are a
    rule over the codes, xiecha/division.h), so a table that is missing
    or partial is said, never fatal. */
static void
s_check_divisions (const char *path, const char *code)
{
    char why[512] = "";
    const xc_divisions_t *t = xc_divisions_default (why, sizeof why);
    if (!t) {
        printf (_("%s: division table not loaded (%s): names unknown, "
                  "relations unaffected\n"), path, why);
        return;
    }
    const xc_division_t *d = xc_divisions_find (t, code);
    printf (_("%s: division table %s: %zu divisions; node %s %s\n"), path,
            xc_divisions_default_path (), xc_divisions_size (t), code,
            d ? d->name : _("is not listed in it"));
    if (xc_divisions_check (NULL, code, why, sizeof why) != 0)
        printf (_("%s: warning: node/code: %s\n"), path, why);
}

/*  --check: what was checked, for the operator. */
/*  --init: what was made. */
static void
s_init_report (const char *path, const xc_config_t *config, xc_node_t *node)
{
    printf (_("%s: store created in %s for node %s (%s), key %s; start the "
              "node with: xiechad --config %s\n"), path, config->data_dir,
            config->code, config->name, xc_node_signer (node)->id, path);
}

static void
s_check_report (const char *path, const xc_config_t *config,
                xc_node_t *node)
{
    printf (_("%s: configuration OK: node %s (%s), key %s, trust list "
              "of %zu nodes\n"), path, config->code, config->name,
            xc_node_signer (node)->id, xc_trust_size (node->trust));
    if (node->signers[1].key)
        printf (_("%s: next signing key %s%s\n"), path, node->signers[1].id,
                xc_node_listed (node, node->trust, 1)
                    ? _(" (in the trust list)")
                    : _(" (not in the trust list yet)"));
    if (config->trust_root[0])
        printf (_("%s: trust list %s signed by the root key, serial %llu\n"),
                path, config->trust_list,
                (unsigned long long) xc_trust_serial (node->trust));
    else
        printf (_("%s: trust list %s not checked for a signature "
                  "(trust/root not set)\n"), path, config->trust_list);
    printf (_("%s: limits: a peer %d messages/s (burst %d) and %d subject "
              "lookups/s (burst %d); its refusals add at most %llu bytes of "
              "audit entries an hour; a terminal %d requests outstanding\n"),
            path, config->peer_messages_per_s, config->peer_messages_burst,
            config->peer_subjects_per_s, config->peer_subjects_burst,
            (unsigned long long) xc_refusal_bound (config),
            config->client_outstanding);
    if (config->terminal_bind[0])
        printf (_("%s: terminals on %s (CURVE): %zu terminals in %s; a "
                  "terminal %d queries a minute (burst %d)\n"), path,
                config->terminal_bind,
                xc_terminals_size (xc_access_list (node->access)),
                config->terminals, config->terminal_queries_per_minute,
                config->terminal_queries_burst);
    else
        printf (_("%s: no terminal endpoint (node/terminal_bind): local "
                  "administration over %s only\n"), path, config->client_bind);
    if (node->stored_serial)
        printf (_("%s: trust list serial %llu may follow serial %llu, the "
                  "last this node used (store %s)\n"), path,
                (unsigned long long) xc_trust_serial (node->trust),
                (unsigned long long) node->stored_serial,
                config->data_dir);
    else
        printf (_("%s: no trust list serial stored in %s yet\n"), path,
                config->data_dir);
    s_check_divisions (path, config->code);
    xc_integrity_state_t st;
    xc_integrity_get (&node->integrity, &st);
    printf (_("%s: store %s: audit entries %llu..%llu verified%s"), path,
            config->data_dir, (unsigned long long) st.start_from,
            (unsigned long long) st.start_to,
            st.start_checkpoint ? _(", last checkpoint ")
                                : _(" (no checkpoint yet)"));
    if (st.start_checkpoint)
        printf (_("%llu signed"), (unsigned long long) st.start_checkpoint);
    printf ("\n");
    char holder[1024];
    int held = xc_lock_holder (config->data_dir, holder, sizeof holder);
    if (held > 0)
        printf (_("%s: %s is in use by %s\n"), path, config->data_dir, holder);
    else if (held == 0)
        printf (_("%s: no daemon runs on %s\n"), path, config->data_dir);
    else
        printf ("%s: %s: %s\n", path, config->data_dir, holder);
}

int
main (int argc, char **argv)
{
    xc_text_init ();
    static const struct option opts[] = {
        {"config", required_argument, 0, 'c'},
        {"check", no_argument, 0, 'n'},
        {"init", no_argument, 0, 'i'},
        {"restored-from", required_argument, 0, 'r'},
        {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    const char *path = NULL, *restored_from = NULL;
    int check = 0, init = 0, verbose = 0, c;
    while ((c = getopt_long (argc, argv, "c:nivhV", opts, NULL)) != -1) {
        switch (c) {
        case 'c': path = optarg; break;
        case 'n': check = 1; break;
        case 'i': init = 1; break;
        case 'r': restored_from = optarg; break;
        case 'v': verbose = 1; break;
        case 'h': s_usage (stdout); return 0;
        case 'V': printf ("xiechad %s\n", XIECHA_VERSION); return 0;
        default: s_usage (stderr); return 2;
        }
    }
    if (!path || optind < argc || (check && init)
        || (restored_from && (check || init))) {
        fprintf (stderr, "xiechad: %s\n", !path ? _("--config FILE is required")
                 : check && init ? _("--check and --init exclude each other")
                 : restored_from ? _("--restored-from starts the node: not "
                                     "with --check or --init")
                 : _("unexpected argument"));
        s_usage (stderr);
        return 2;
    }
    /* Files and IPC sockets we create are ours alone. */
    umask (0077);

    xc_config_t config;
    char why[1024] = "";
    if (xc_config_load (path, &config, why, sizeof why) != 0) {
        fprintf (stderr, "xiechad: %s\n", why);
        return 1;
    }
    xc_log_init (config.code, verbose ? XC_LOG_DEBUG : XC_LOG_INFO);
    //  A serving node writes for machines from here on: its log lines,
    //  audit entries and signed refusals read the same in every locale
    //  (text.h).  --check and --init report to the person who ran them.
    if (!check && !init)
        xc_text_machine ();
    xc_node_mode_t mode = check  ? XC_NODE_CHECK
                          : init ? XC_NODE_INIT
                                 : XC_NODE_RUN;
    xc_node_t *node = xc_node_new (&config, mode, why, sizeof why);
    if (!node) {
        fprintf (stderr, "xiechad: %s\n", why);
        return 1;
    }
    if (check || init) {
        if (check)
            s_check_report (path, &config, node);
        else
            s_init_report (path, &config, node);
        xc_node_destroy (&node);
        return 0;
    }
    xc_integrity_state_t st;
    xc_integrity_get (&node->integrity, &st);
    xc_info ("store %s: audit entries %llu..%llu verified at start%s",
             config.data_dir, (unsigned long long) st.start_from,
             (unsigned long long) st.start_to,
             st.start_checkpoint ? ", with the last checkpoint" : "");
    //  Nothing is written to a store refused here: the operator can start
    //  again on it as it is.
    if (s_restore (node, restored_from) != 0) {
        xc_node_destroy (&node);
        return 1;
    }
    zsys_init ();
    zsys_set_logstream (NULL);
    xc_reload_install ();
    xc_transport_t *transport = xc_transport_new (node, why, sizeof why);
    if (!transport) {
        fprintf (stderr, "xiechad: %s\n", why);
        xc_node_destroy (&node);
        return 1;
    }
    int rc = s_mark (node, XC_AUDIT_START, "xiechad " XIECHA_VERSION " started");
    if (rc)
        xc_err_rc (rc, "start not recorded in the audit log; not serving");
    else {
        xc_reload_rotate (node);
        //  Store open, sockets bound, start recorded: clients are served.
        xc_notify_ready ("serving peers on %s, clients on %s; trust list "
                         "serial %llu", config.peer_bind, config.client_bind,
                         (unsigned long long) xc_trust_serial (node->trust));
        rc = xc_transport_run (transport);
    }
    xc_notify_stopping ("shutting down: final checkpoint, stop recorded");
    xc_info ("shutting down");
    xc_transport_destroy (&transport);
    //  Refusals only counted so far get their summary, under the seal.
    if (xc_store_write (node->store, xc_refusal_flush_final, node) != 0)
        xc_err ("refusal summaries not written");
    //  A final checkpoint so the log an auditor exports ends signed; not
    //  with a key the list no longer makes valid (node->stopped).
    int wrc = 0;
    if (!node->stopped[0]
        && (wrc = xc_store_write (node->store, xc_audit_seal_final, node))
               != 0)
        xc_err_rc (wrc, "final audit checkpoint not written");
    if ((wrc = s_mark (node, XC_AUDIT_STOP,
                       node->stopped[0] ? node->stopped : "xiechad stopped"))
        != 0)
        xc_err_rc (wrc, "stop not recorded in the audit log");
    if (node->stopped[0]) {
        fprintf (stderr, "xiechad: %s\n", node->stopped);
        rc = 1;
    }
    xc_node_destroy (&node);
    return rc ? 1 : 0;
}
