#   Trust list: every node of the federation, where it listens, its CURVE
#   transport key and its Ed25519 signing keys.  Build it from the output
#   of `xiecha keygen --code ... --dir ...` of each node.
trust
    version = 1
    max_roster_age_days = 45     # no NOT_RECEIVING from an older roster
    max_cert_lifetime_days = 31  # no certificate valid longer (1..366)
    node
        code = "469021"
        name = "Ding'an County"
        endpoint = "tcp://127.0.0.1:7101"
        curve = "<40-character Z85 CURVE public key>"
        key
            public = "<64 hex characters: Ed25519 public key>"
            not_before = "2026-01-01T00:00:00Z"
            not_after = "2028-01-01T00:00:00Z"
