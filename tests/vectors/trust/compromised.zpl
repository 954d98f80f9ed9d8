#   xiecha test vectors (tests/vectors/make-vectors.c)
trust
    version = 1
    serial = 7
    issued = "2026-11-21T00:00:00Z"
    next_update = "2026-12-21T00:00:00Z"
    node
        code = "341002"
        name = "Tunxi District"
        endpoint = "tcp://127.0.0.1:7103"
        curve = "r^eN8g0-dx]=Tc>>>mW?5@S=W^ZDAyW7OX<FBe8X"
        key
            public = "a03e5eb907e5391092e8b90761168300d01f18729f8242b315014ae823d7afb5"
            not_before = "2026-01-01T00:00:00Z"
            revoked_at = "2026-11-20T00:00:00Z"
            revoked_reason = "compromised"
            trusted_checkpoint = "5:0000000000000000000000000000000000000000000000000000000000000000"
        key
            public = "be794a31c5cfac069fcc161d0eac8a783f30f87cad2e9e90a6ed370973cc5dfc"
        key
            public = "ee74386b5e814d991aa062b69c108db13992eb50193095f74cfd864a0480ca14"
            not_before = "2027-01-01T00:00:00Z"
    node
        code = "469021"
        name = "Ding'an County"
        endpoint = "tcp://127.0.0.1:7101"
        curve = "+WrIos4)$7Y=ni9}2]b8]EEJ7TNvn9uefh2=yX+s"
        key
            public = "6589f30b88436132f9ac87d37585d5396c65d5b4b5d82f14ae3add4f3dda18d3"
            not_before = "2026-01-01T00:00:00Z"
