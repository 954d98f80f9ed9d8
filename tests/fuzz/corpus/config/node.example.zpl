#   xiechad node configuration (ZPL: 4-space indents, key = value).
#   Relative paths are taken from this file's directory.
#   `xiechad --help` lists every key with its default and bounds;
#   `xiechad --check --config FILE` validates a file and its keys.
node
    code = "469021"                      # GB/T 2260 division code of this county
    name = "Ding'an County"
    timezone = "Asia/Shanghai"           # local days and report months (tzdata)
    data_dir = "/var/lib/xiecha"         # LMDB environment, created mode 0700
    data_reserve_mb = 64                 # kept for a full disk (peers still answered)
    peer_bind = "tcp://0.0.0.0:7101"     # CURVE-encrypted peer socket
    client_bind = "ipc:///run/xiecha/client.sock"   # local admin (never tcp://)
#   client_ipc_group = "xiecha-admin"    # group of the IPC socket ...
#   client_ipc_mode = 0660               # ... and its mode (default 0600)
#   terminal_bind = "tcp://0.0.0.0:7311" # township terminals: CURVE, listed keys
#   terminals = "/etc/xiecha/terminals.zpl"   # xiecha terminal add|revoke|list
keys
    signing = "/etc/xiecha/keys/sign.key"     # Ed25519, from xiecha keygen
#   next_signing = "/etc/xiecha/keys/next.key" # rotation: used from its not_before
    curve = "/etc/xiecha/keys/curve.cert"     # secret half in curve.cert_secret
trust
    list = "/etc/xiecha/trust.zpl"
    salt = "/etc/xiecha/salt.hex"             # the network's subject-ref salt
limits
    query_deadline_ms = 3000         # how long to wait for the registration node
    clock_skew_ms = 300000           # peers' clocks may differ by 5 minutes
    deadline_grace_ms = 10000        # answer a query at most 10 s past its deadline
    certificate_valid_s = 86400      # certificates are valid for one day
    query_subjects = 10000           # subjects a query may carry (batch re-checks)
    max_message_bytes = 0            # larger are dropped; 0: for query_subjects
    batch_max = 256                  # messages per write transaction
    checkpoint_interval_s = 300      # sign an audit checkpoint this often
    export_page_entries = 32768      # audit export page: entries (and <= 4 MiB)
    scrub_interval_s = 86400         # re-verify the whole store (0: on demand)
    peer_messages_per_s = 50         # per peer: messages a second ...
    peer_messages_burst = 200        # ... and at once
    terminal_queries_per_minute = 30 # per terminal on terminal_bind: queries ...
    terminal_queries_burst = 10      # ... and at once
    peer_subjects_per_s = 100        # per peer: subject lookups a second ...
    peer_subjects_burst = 10000      # ... and at once (at least query_subjects)
    audit_refused_per_minute = 20    # a peer's refusals logged one by one
    audit_refused_prefix_bytes = 4096   # kept of each, beside its SHA-256
    client_outstanding = 64          # per terminal: requests unanswered
    client_hwm = 1000                # per terminal: queued each way
    date_past_days = 3660            # a notice's dates: at most this far back
    date_future_days = 7             # ... and this far ahead (rosters too)
