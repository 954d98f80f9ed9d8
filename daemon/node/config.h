/*  config.h - the node's configuration, read from ZPL with CZMQ zconfig.

        node
            code = "469021"
            name = "Ding'an County"
            data_dir = "data"                    # relative to this file
            peer_bind = "tcp://127.0.0.1:7101"
            client_bind = "ipc://client.sock"    # relative ipc paths too
            terminal_bind = "tcp://0.0.0.0:7311" # CURVE; needs terminals
            terminals = "terminals.zpl"          # xiecha/terminal.h
        keys
            signing = "keys/sign.key"
            curve = "keys/curve.cert"
        trust
            list = "trust.zpl"
            salt = "salt.hex"
            root = "<64 hex>"                    # optional: list must be signed
        limits
            query_deadline_ms = 3000
            clock_skew_ms = 300000
            deadline_grace_ms = 10000
            certificate_valid_s = 86400
            query_subjects = 10000               # wire.h
            max_message_bytes = 0                # 0: for query_subjects
            batch_max = 256
            peer_subjects_per_s = 100            # per peer (node/limits.h)
            client_outstanding = 64              # per terminal

    Every key is declared once in a schema table (type, default, bounds,
    meaning) in config.c; unknown keys are errors, so a typo never
    silently falls back to a default. */
#ifndef XIECHAD_CONFIG_H
#define XIECHAD_CONFIG_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <xiecha/zone.h>

typedef struct {
    char path[PATH_MAX];          /* the file this came from */
    char code[7];                 /* node/code: this node's division code */
    char name[96];                /* node/name: display name */
    char timezone[XC_ZONE_MAX];   /* node/timezone: IANA zone of "today" */
    char data_dir[PATH_MAX];      /* node/data_dir: LMDB environment */
    int data_reserve_mb;          /* node/data_reserve_mb: kept for a full disk */
    char peer_bind[256];          /* node/peer_bind: ROUTER for peers */
    char client_bind[PATH_MAX];   /* node/client_bind: ROUTER for clients */
    char client_ipc_group[64];    /* node/client_ipc_group, or "" */
    int client_ipc_mode;          /* node/client_ipc_mode, e.g. 0600 */
    char terminal_bind[256];      /* node/terminal_bind: CURVE, or "" */
    char terminals[PATH_MAX];     /* node/terminals: the list, or "" */
    char metrics_bind[64];        /* metrics/bind: HOST:PORT, or "" (off) */
    char signing_key[PATH_MAX];   /* keys/signing: Ed25519 PEM */
    char next_signing_key[PATH_MAX];  /* keys/next_signing, or "" */
    char curve_cert[PATH_MAX];    /* keys/curve: zcert file (and _secret) */
    char trust_list[PATH_MAX];    /* trust/list */
    char salt[PATH_MAX];          /* trust/salt: network salt, hex */
    char trust_root[65];          /* trust/root: root Ed25519 key, hex, or "" */
    char policy[PATH_MAX];        /* policy/file: eligibility preset, or "" */
    int query_deadline_ms;        /* limits/query_deadline_ms */
    int clock_skew_ms;            /* limits/clock_skew_ms */
    int certificate_valid_s;      /* limits/certificate_valid_s */
    int query_subjects;           /* limits/query_subjects (wire.h) */
    int max_message_bytes;        /* limits/max_message_bytes; 0 in the
                                     file: derived, never 0 once loaded */
    int batch_max;                /* limits/batch_max */
    int retry_max_ms;             /* limits/retry_max_ms */
    int checkpoint_interval_s;    /* limits/checkpoint_interval_s */
    int export_page_entries;      /* limits/export_page_entries */
    int scrub_interval_s;         /* limits/scrub_interval_s; 0: off */
    /* What one peer or terminal may cost this node (node/limits.h). */
    int peer_messages_per_s;      /* limits/peer_messages_per_s */
    int peer_messages_burst;      /* limits/peer_messages_burst */
    int peer_subjects_per_s;      /* limits/peer_subjects_per_s */
    int peer_subjects_burst;      /* limits/peer_subjects_burst */
    int audit_refused_per_minute; /* limits/audit_refused_per_minute */
    int audit_refused_prefix_bytes;  /* limits/audit_refused_prefix_bytes */
    int client_outstanding;       /* limits/client_outstanding */
    int client_hwm;               /* limits/client_hwm */
    int terminal_queries_per_minute;  /* limits/terminal_queries_per_minute */
    int terminal_queries_burst;   /* limits/terminal_queries_burst */
    int date_past_days;           /* limits/date_past_days */
    int date_future_days;         /* limits/date_future_days */
    int deadline_grace_ms;        /* limits/deadline_grace_ms */
} xc_config_t;

/*  Loads and checks path into *cfg.  Relative file paths (and relative
    ipc:// endpoints) are resolved against the config file's directory.
    Returns 0, or XC_ECONFIG with why naming the file, the key and the
    rule. */
int xc_config_load (const char *path, xc_config_t *cfg, char *why,
                    size_t why_len);

/*  Resolves a relative ipc:// endpoint or file path against dir into
    out[out_len].  Absolute paths, "ipc://@abstract" and tcp:// endpoints
    are copied unchanged. */
void xc_config_resolve (const char *dir, const char *value, char *out,
                        size_t out_len);

/*  Prints the schema (key, default, bounds, meaning) for --help to `to`,
    in the active language. */
void xc_config_print_schema (FILE *to);

#endif
