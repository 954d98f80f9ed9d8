/*  make-vectors.c - writes the test vectors of tests/vectors/.

        make-vectors OUTDIR

    Every key comes from a fixed seed (SHA-256 of its label) and every
    time, message id and body is fixed, and Ed25519 signatures are
    deterministic, so two runs write the same bytes: the files are
    committed, reviewed as such, and `meson test vectors-fresh` checks
    that the committed ones are still what this program writes.  The
    verdict expected of each file is in MANIFEST, written by hand, which
    `meson test vectors` checks against every offline verifier.

    Made through libxiecha where it has a writer (envelopes, armor,
    checkpoints, export records, Merkle roots, trust-list signatures);
    audit entries and every deliberately wrong encoding by hand, from
    doc/FORMATS.md, so the vectors also check that the spec says what the
    code does. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zmq.h>

#include <xiecha/armor.h>
#include <xiecha/auditfile.h>
#include <xiecha/bytes.h>
#include <xiecha/checkpoint.h>
#include <xiecha/crypto.h>
#include <xiecha/merkle.h>
#include <xiecha/report.h>
#include <xiecha/wire.h>

static const char *s_out;   /* OUTDIR */
static char s_tmp[64];      /* where the seeded keys' PEM files go */

static void
s_die (const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    fprintf (stderr, "make-vectors: ");
    vfprintf (stderr, fmt, ap);
    fprintf (stderr, "\n");
    va_end (ap);
    exit (1);
}

/* --------------------------------------------------------------------------
   Files, times, keys
   -------------------------------------------------------------------------- */

static void
s_write (const char *name, const void *data, size_t len)
{
    char path[1024];
    snprintf (path, sizeof path, "%s/%s", s_out, name);
    char *slash = strrchr (path, '/');
    *slash = '\0';
    if (mkdir (path, 0755) != 0 && errno != EEXIST)
        s_die ("%s: %s", path, strerror (errno));
    *slash = '/';
    FILE *f = fopen (path, "wb");
    if (!f || fwrite (data, 1, len, f) != len || fclose (f) != 0)
        s_die ("%s: cannot write", path);
}

static void
s_write_text (const char *name, const char *text)
{
    s_write (name, text, strlen (text));
}

/*  "2026-11-23T07:30:00Z" in UTC ms. */
static uint64_t
s_ms (const char *iso)
{
    struct tm tm = {0};
    if (sscanf (iso, "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon,
                &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        s_die ("bad time %s", iso);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (uint64_t) timegm (&tm) * 1000;
}

typedef struct {
    xc_key_t *key;
    uint8_t pub[XC_PUBKEY_LEN];
    char id[XC_KEY_ID_LEN + 1];
    char hex[2 * XC_PUBKEY_LEN + 1];
} s_key_t;

/*  The key whose Ed25519 seed is SHA-256("xiecha test vectors: " label),
    loaded through a PKCS#8 PEM file, the form xc_key_load reads: the
    16-byte PKCS#8 prefix of RFC 8410 followed by the seed. */
static void
s_key (s_key_t *k, const char *label)
{
    static const uint8_t prefix[16] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30,
                                       0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
                                       0x04, 0x22, 0x04, 0x20};
    char text[128], path[128], why[256];
    uint8_t der[48];
    snprintf (text, sizeof text, "xiecha test vectors: %s", label);
    memcpy (der, prefix, sizeof prefix);
    xc_sha256 (text, strlen (text), der + 16);
    char *pem = NULL;
    if (xc_armor_encode ("PRIVATE KEY", der, sizeof der, &pem) != 0)
        s_die ("out of memory");
    snprintf (path, sizeof path, "%s/key.pem", s_tmp);
    FILE *f = fopen (path, "w");
    if (!f || fputs (pem, f) < 0 || fclose (f) != 0)
        s_die ("%s: cannot write", path);
    free (pem);
    k->key = xc_key_load (path, why, sizeof why);
    unlink (path);
    if (!k->key)
        s_die ("%s", why);
    xc_key_public (k->key, k->pub);
    xc_key_id (k->pub, k->id);
    xc_hex (k->pub, XC_PUBKEY_LEN, k->hex);
}

/*  A CURVE public key's Z85 text for a label (any 32 bytes will do: the
    verifiers only check its shape). */
static void
s_curve (const char *label, char z85[41])
{
    uint8_t raw[32];
    xc_sha256 (label, strlen (label), raw);
    if (!zmq_z85_encode (z85, raw, sizeof raw))
        s_die ("z85");
}

/*  16 bytes of message id for a label. */
static void
s_msg_id (const char *label, uint8_t id[XC_MSGID_LEN])
{
    uint8_t h[XC_HASH_LEN];
    xc_sha256 (label, strlen (label), h);
    memcpy (id, h, XC_MSGID_LEN);
}

/* --------------------------------------------------------------------------
   Protobuf by hand, for the encodings libprotobuf-c would never write
   -------------------------------------------------------------------------- */

typedef struct {
    uint8_t data[8192];
    size_t len;
} s_buf_t;

static void
s_put (s_buf_t *b, const void *data, size_t len)
{
    if (b->len + len > sizeof b->data)
        s_die ("buffer full");
    memcpy (b->data + b->len, data, len);
    b->len += len;
}

static void
s_varint (s_buf_t *b, uint64_t v)
{
    do {
        uint8_t byte = (uint8_t) (v & 0x7f);
        v >>= 7;
        if (v)
            byte |= 0x80;
        s_put (b, &byte, 1);
    } while (v);
}

/*  A length-delimited field (wire type 2). */
static void
s_field_bytes (s_buf_t *b, unsigned field, const void *data, size_t len)
{
    s_varint (b, (uint64_t) field << 3 | 2);
    s_varint (b, len);
    s_put (b, data, len);
}

static void
s_field_varint (s_buf_t *b, unsigned field, uint64_t v)
{
    s_varint (b, (uint64_t) field << 3);
    s_varint (b, v);
}

/*  Envelope bytes from its three fields, in field order. */
static void
s_envelope (s_buf_t *env, const uint8_t *signed_, size_t len,
            const uint8_t sig[XC_SIG_LEN], const char *key_id)
{
    env->len = 0;
    s_field_bytes (env, 1, signed_, len);
    s_field_bytes (env, 2, sig, XC_SIG_LEN);
    s_field_bytes (env, 3, key_id, strlen (key_id));
}

/*  Signs signed_[len] under context with k and writes the envelope. */
static void
s_seal (s_buf_t *env, const uint8_t *signed_, size_t len, const s_key_t *k,
        const char *context)
{
    uint8_t sig[XC_SIG_LEN];
    if (xc_sign (k->key, context, signed_, len, sig) != 0)
        s_die ("sign");
    s_envelope (env, signed_, len, sig, k->id);
}

static void
s_write_armored (const char *name, const char *label, const uint8_t *data,
                 size_t len)
{
    char *text = NULL;
    if (xc_armor_encode (label, data, len, &text) != 0)
        s_die ("out of memory");
    s_write_text (name, text);
    free (text);
}

/* --------------------------------------------------------------------------
   The network: a root, two nodes, their keys and the trust lists
   -------------------------------------------------------------------------- */

static s_key_t s_root, s_other_root;
static s_key_t s_tunxi0;   /* 341002, revoked at REVOKED (no reason given) */
static s_key_t s_tunxi1;   /* 341002, the key in use, no window */
static s_key_t s_tunxi2;   /* 341002, valid from 2027-01-01 */
static s_key_t s_dingan;   /* 469021 */
static s_key_t s_rogue;    /* in no list but rogue.zpl */

#define TUNXI "341002"
#define DINGAN "469021"
#define NOW "2026-11-23T08:00:00Z"         /* the vectors' "now" (--at) */
#define REVOKED "2026-11-20T00:00:00Z"     /* tunxi key 0 revoked */

/*  The text of a trust list: header lines, then the two nodes with
    extra lines inside Tunxi's key 0 and an extra key section. */
static void
s_trust_text (char *out, size_t cap, const char *header, const char *key0,
              const char *extra_key)
{
    char c1[41], c2[41];
    s_curve ("curve 341002", c1);
    s_curve ("curve 469021", c2);
    snprintf (out, cap,
              "#   xiecha test vectors (tests/vectors/make-vectors.c)\n"
              "trust\n"
              "    version = 1\n"
              "%s"
              "    node\n"
              "        code = \"341002\"\n"
              "        name = \"Tunxi District\"\n"
              "        endpoint = \"tcp://127.0.0.1:7103\"\n"
              "        curve = \"%s\"\n"
              "        key\n"
              "            public = \"%s\"\n"
              "            not_before = \"2026-01-01T00:00:00Z\"\n"
              "            revoked_at = \"" REVOKED "\"\n"
              "%s"
              "        key\n"
              "            public = \"%s\"\n"
              "        key\n"
              "            public = \"%s\"\n"
              "            not_before = \"2027-01-01T00:00:00Z\"\n"
              "%s"
              "    node\n"
              "        code = \"469021\"\n"
              "        name = \"Ding'an County\"\n"
              "        endpoint = \"tcp://127.0.0.1:7101\"\n"
              "        curve = \"%s\"\n"
              "        key\n"
              "            public = \"%s\"\n"
              "            not_before = \"2026-01-01T00:00:00Z\"\n",
              header, c1, s_tunxi0.hex, key0, s_tunxi1.hex, s_tunxi2.hex,
              extra_key, c2, s_dingan.hex);
}

#define HEADER                                                               \
    "    serial = 7\n"                                                       \
    "    issued = \"2026-11-21T00:00:00Z\"\n"                                \
    "    next_update = \"2026-12-21T00:00:00Z\"\n"

/*  Writes trust/NAME and, with signer, trust/NAME.sig. */
static void
s_trust_file (const char *name, const char *text, const s_key_t *signer)
{
    char file[128], path[1024], why[512];
    snprintf (file, sizeof file, "trust/%s", name);
    s_write_text (file, text);
    snprintf (path, sizeof path, "%s/%s", s_out, file);
    if (signer && xc_trust_sign (path, signer->key, why, sizeof why) != 0)
        s_die ("%s", why);
}

static void
s_trust_lists (void)
{
    static char text[8192], more[8192];
    char line[256];
    s_trust_text (text, sizeof text, HEADER, "", "");
    s_trust_file ("trust.zpl", text, &s_root);
    snprintf (line, sizeof line, "%s\n", s_root.hex);
    s_write_text ("trust/root.pub", line);
    snprintf (line, sizeof line, "%s\n", s_other_root.hex);
    s_write_text ("trust/other-root.pub", line);

    //  The same list unsigned, and signed by another root.
    s_trust_file ("unsigned.zpl", text, NULL);
    s_trust_file ("other-root.zpl", text, &s_other_root);

    //  A rogue key added to Tunxi after signing; the old .sig kept.
    char rogue[256], sig[1024], sig_text[256] = "";
    snprintf (rogue, sizeof rogue, "        key\n            public = \"%s\"\n",
              s_rogue.hex);
    s_trust_text (more, sizeof more, HEADER, "", rogue);
    s_trust_file ("rogue.zpl", more, NULL);
    snprintf (sig, sizeof sig, "%s/trust/trust.zpl.sig", s_out);
    FILE *f = fopen (sig, "r");
    if (!f || !fgets (sig_text, sizeof sig_text, f))
        s_die ("%s: cannot read", sig);
    fclose (f);
    s_write_text ("trust/rogue.zpl.sig", sig_text);

    //  A .sig that is not one line of key id and signature.
    s_trust_file ("bad-sig-line.zpl", text, NULL);
    snprintf (line, sizeof line, "%s\n", s_root.id);
    s_write_text ("trust/bad-sig-line.zpl.sig", line);

    //  Signed by the root, each changing the list in one place: the
    //  header, Tunxi's key 0, or a key added to Tunxi.
#define TRUSTED_CP "            trusted_checkpoint = \"5:" \
    "0000000000000000000000000000000000000000000000000000000000000000\"\n"
    char twice[256];
    snprintf (twice, sizeof twice,
              "        key\n            public = \"%s\"\n", s_tunxi1.hex);
    const struct {
        const char *name, *header, *key0, *extra_key;
    } lists[] = {
        //  Not valid signed lists today.
        {"no-serial.zpl", "    issued = \"2026-11-21T00:00:00Z\"\n"
                          "    next_update = \"2026-12-21T00:00:00Z\"\n",
         "", ""},
        {"unknown-field.zpl", HEADER "    colour = \"red\"\n", "", ""},
        {"key-twice.zpl", HEADER, "", twice},
        //  The shared decisions of issue 11 (lands-with=anchor): reasons,
        //  the trusted checkpoint of a compromised key, the lifetime.
        {"retired.zpl", HEADER "    max_cert_lifetime_days = 31\n",
         "            revoked_reason = \"retired\"\n", ""},
        {"compromised.zpl", HEADER,
         "            revoked_reason = \"compromised\"\n" TRUSTED_CP, ""},
        {"bad-reason.zpl", HEADER, "            revoked_reason = \"lost\"\n",
         ""},
        {"retired-checkpoint.zpl", HEADER,
         "            revoked_reason = \"retired\"\n" TRUSTED_CP, ""},
        {"lifetime-400.zpl", HEADER "    max_cert_lifetime_days = 400\n", "",
         ""},
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        s_trust_text (more, sizeof more, lists[i].header, lists[i].key0,
                      lists[i].extra_key);
        s_trust_file (lists[i].name, more, &s_root);
    }
}

/* --------------------------------------------------------------------------
   Messages
   -------------------------------------------------------------------------- */

/*  A header with fixed fields. */
static void
s_header (Xiecha__Header *h, uint8_t id[XC_MSGID_LEN], const char *label,
          Xiecha__MsgType type, const char *sender, const char *recipient,
          uint64_t created_at)
{
    xiecha__header__init (h);
    s_msg_id (label, id);
    h->version = XC_PROTOCOL_VERSION;
    h->type = type;
    h->msg_id = (ProtobufCBinaryData) {XC_MSGID_LEN, id};
    h->sender = (char *) sender;
    h->recipient = (char *) recipient;
    h->created_at = created_at;
    h->hop_limit = 8;
}

static void
s_pack_signed (const Xiecha__Signed *msg, s_buf_t *out)
{
    out->len = xiecha__signed__get_packed_size (msg);
    if (out->len > sizeof out->data)
        s_die ("message too big");
    xiecha__signed__pack (msg, out->data);
}

/*  The subjects of the vectors: HMAC refs of made-up IDs under a made-up
    salt would do, but any 32 bytes are a subject ref to a verifier. */
static void
s_subject (int i, uint8_t ref[XC_REF_LEN])
{
    char label[32];
    snprintf (label, sizeof label, "subject %d", i);
    xc_sha256 (label, strlen (label), ref);
}

/*  Ding'an's query for subjects 0..n-1 and DIBAO, its envelope in *env. */
static void
s_query (s_buf_t *signed_out, s_buf_t *env, uint8_t id[XC_MSGID_LEN])
{
    static uint8_t refs[2][XC_REF_LEN];
    ProtobufCBinaryData subjects[2];
    for (int i = 0; i < 2; i++) {
        s_subject (i, refs[i]);
        subjects[i] = (ProtobufCBinaryData) {XC_REF_LEN, refs[i]};
    }
    Xiecha__Program programs[] = {XIECHA__PROGRAM__DIBAO};
    Xiecha__Query q = XIECHA__QUERY__INIT;
    q.n_subjects = 2;
    q.subjects = subjects;
    q.n_programs = 1;
    q.programs = programs;
    q.relation = XIECHA__RELATION__OTHER_PROVINCE;
    q.deadline = s_ms ("2026-11-23T07:30:05Z");
    Xiecha__Header h;
    s_header (&h, id, "query 1", XIECHA__MSG_TYPE__MSG_QUERY, DINGAN, TUNXI,
              s_ms ("2026-11-23T07:30:00Z"));
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.header = &h;
    msg.body_case = XIECHA__SIGNED__BODY_QUERY;
    msg.query = &q;
    s_pack_signed (&msg, signed_out);
    s_seal (env, signed_out->data, signed_out->len, &s_dingan,
            XC_CTX_ENVELOPE);
}

/*  What a certificate vector varies from the valid one. */
typedef struct {
    const char *created, *issued, *valid_until;   /* ISO; NULL: default */
    uint64_t created_ms;       /* with zero_created: 0 */
    int zero_created;
    int status[2];             /* per subject; 0: NOT_RECEIVING */
    int enroll[2];             /* 1: subject i enrolled in enroll_program */
    int enroll_program;        /* 0: DIBAO */
    size_t n_results;          /* 0: 2; SIZE_MAX: none */
    int no_programs;
    uint32_t roster_as_of;     /* 0: 20261115; UINT32_MAX: none */
    const char *requester;     /* NULL: 469021 */
    const char *recipient;     /* NULL: 469021 */
    int bad_reply;             /* in_reply_to not the query id */
} s_cert_opts_t;

/*  The packed Signed of a certificate from Tunxi to Ding'an answering
    s_query, as the node writes it (daemon/decide/query.c). */
static void
s_cert_signed (const s_cert_opts_t *o, s_buf_t *out)
{
    s_buf_t qs, qenv;
    uint8_t qid[XC_MSGID_LEN], qdigest[XC_HASH_LEN];
    s_query (&qs, &qenv, qid);
    xc_sha256 (qs.data, qs.len, qdigest);

    static uint8_t refs[2][XC_REF_LEN];
    Xiecha__SubjectResult res[2], *res_ptrs[2];
    Xiecha__Enrollment enr[2], *enr_ptrs[2][1];
    for (int i = 0; i < 2; i++) {
        s_subject (i, refs[i]);
        xiecha__subject_result__init (&res[i]);
        res[i].subject = (ProtobufCBinaryData) {XC_REF_LEN, refs[i]};
        //  -1: status left out, which proto3 reads as 0 (unspecified)
        res[i].status = o->status[i] < 0 ? 0 : o->status[i] ? o->status[i]
                        : XIECHA__STATUS__NOT_RECEIVING;
        if (o->enroll[i]) {
            xiecha__enrollment__init (&enr[i]);
            enr[i].program = o->enroll_program ? o->enroll_program
                                               : XIECHA__PROGRAM__DIBAO;
            enr[i].since = 20250301;
            enr[i].node = TUNXI;
            enr_ptrs[i][0] = &enr[i];
            res[i].n_enrollments = 1;
            res[i].enrollments = enr_ptrs[i];
        }
        res_ptrs[i] = &res[i];
    }
    Xiecha__Program programs[] = {XIECHA__PROGRAM__DIBAO};
    Xiecha__RosterDate roster = XIECHA__ROSTER_DATE__INIT, *rosters[] = {&roster};
    roster.program = XIECHA__PROGRAM__DIBAO;
    roster.as_of = o->roster_as_of ? o->roster_as_of : 20261115;

    Xiecha__Certificate c = XIECHA__CERTIFICATE__INIT;
    c.query_id = (ProtobufCBinaryData) {XC_MSGID_LEN, qid};
    c.query_digest = (ProtobufCBinaryData) {XC_HASH_LEN, qdigest};
    c.requester = (char *) (o->requester ? o->requester : DINGAN);
    c.n_results = o->n_results == SIZE_MAX ? 0 : o->n_results ? o->n_results : 2;
    c.results = res_ptrs;
    c.n_programs = o->no_programs ? 0 : 1;
    c.programs = programs;
    c.issued_at = s_ms (o->issued ? o->issued : "2026-11-23T07:30:00Z");
    c.valid_until = s_ms (o->valid_until ? o->valid_until
                                         : "2026-11-24T07:30:00Z");
    c.relation = XIECHA__RELATION__OTHER_PROVINCE;
    c.n_rosters = o->roster_as_of == UINT32_MAX || o->no_programs ? 0 : 1;
    c.rosters = rosters;

    Xiecha__Header h;
    uint8_t id[XC_MSGID_LEN], other[XC_MSGID_LEN];
    uint64_t created = o->zero_created ? 0
                       : s_ms (o->created ? o->created : o->issued ? o->issued
                               : "2026-11-23T07:30:00Z");
    s_header (&h, id, "certificate 1", XIECHA__MSG_TYPE__MSG_CERTIFICATE,
              TUNXI, o->recipient ? o->recipient : DINGAN, created);
    s_msg_id ("another query", other);
    h.in_reply_to = (ProtobufCBinaryData) {XC_MSGID_LEN,
                                           o->bad_reply ? other : qid};
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.header = &h;
    msg.body_case = XIECHA__SIGNED__BODY_CERTIFICATE;
    msg.certificate = &c;
    s_pack_signed (&msg, out);
}

/*  A certificate vector: options, signing key, armored into cert/NAME. */
static void
s_cert (const char *name, const s_cert_opts_t *o, const s_key_t *k)
{
    s_buf_t signed_, env;
    char file[128];
    s_cert_signed (o, &signed_);
    s_seal (&env, signed_.data, signed_.len, k, XC_CTX_ENVELOPE);
    snprintf (file, sizeof file, "cert/%s", name);
    s_write_armored (file, XC_ARMOR_CERTIFICATE, env.data, env.len);
}

/*  The valid certificate's envelope, for variants made from its bytes. */
static void
s_cert_valid (s_buf_t *signed_, s_buf_t *env)
{
    s_cert_opts_t o = {.status = {XIECHA__STATUS__RECEIVING, 0},
                       .enroll = {1, 0}};
    s_cert_signed (&o, signed_);
    s_seal (env, signed_->data, signed_->len, &s_tunxi1, XC_CTX_ENVELOPE);
}

static void
s_certificates (void)
{
    s_buf_t signed_, env, shadow, bad;
    char file[128];
    s_cert_valid (&signed_, &env);
    s_write_armored ("cert/valid.pem", XC_ARMOR_CERTIFICATE, env.data,
                     env.len);
    s_cert ("not-receiving.pem", &(s_cert_opts_t) {0}, &s_tunxi1);

    //  Today's checks.
    bad = env;
    bad.data[bad.len - XC_KEY_ID_LEN - 3] ^= 0x01;   /* in the signature */
    s_write_armored ("cert/bad-signature.pem", XC_ARMOR_CERTIFICATE, bad.data,
                     bad.len);
    //  A signed byte changed, in the first subject ref (so it still
    //  parses): the signature no longer covers it.
    s_buf_t changed = signed_;
    uint8_t ref0[XC_REF_LEN];
    s_subject (0, ref0);
    uint8_t *at = memmem (changed.data, changed.len, ref0, XC_REF_LEN);
    if (!at)
        s_die ("subject 0 not in the certificate");
    at[5] ^= 0x01;
    s_buf_t changed_env;
    uint8_t sig[XC_SIG_LEN];
    xc_sign (s_tunxi1.key, XC_CTX_ENVELOPE, signed_.data, signed_.len, sig);
    s_envelope (&changed_env, changed.data, changed.len, sig, s_tunxi1.id);
    s_write_armored ("cert/changed-signed.pem", XC_ARMOR_CERTIFICATE,
                     changed_env.data, changed_env.len);
    s_cert ("unknown-key.pem", &(s_cert_opts_t) {0}, &s_rogue);
    s_cert ("other-node-key.pem", &(s_cert_opts_t) {0}, &s_dingan);
    s_cert ("key-not-yet-valid.pem", &(s_cert_opts_t) {0}, &s_tunxi2);
    s_cert ("revoked-key.pem", &(s_cert_opts_t) {
                .issued = "2026-11-21T09:00:00Z",
                .valid_until = "2026-11-24T09:00:00Z"}, &s_tunxi0);
    s_cert ("future.pem", &(s_cert_opts_t) {
                .issued = "2026-11-23T08:10:00Z",
                .valid_until = "2026-11-24T08:10:00Z"}, &s_tunxi1);
    s_cert ("stale-roster.pem", &(s_cert_opts_t) {.roster_as_of = 20260930},
            &s_tunxi1);
    s_cert ("no-roster.pem", &(s_cert_opts_t) {.roster_as_of = UINT32_MAX},
            &s_tunxi1);
    //  Domain separation: the right key, the report context.
    s_seal (&bad, signed_.data, signed_.len, &s_tunxi1, XC_CTX_REPORT);
    s_write_armored ("cert/report-context.pem", XC_ARMOR_CERTIFICATE,
                     bad.data, bad.len);
    //  A signed query is no certificate.
    s_buf_t qs;
    uint8_t qid[XC_MSGID_LEN];
    s_query (&qs, &bad, qid);
    s_write_armored ("cert/query.pem", XC_ARMOR_CERTIFICATE, bad.data,
                     bad.len);

    //  Shadow fields in the unsigned wrapper (lands-with=strict): an
    //  unsigned NOT_RECEIVING body before the real one, an unknown
    //  field, a second key_id.
    s_buf_t fake;
    s_cert_signed (&(s_cert_opts_t) {0}, &fake);
    shadow.len = 0;
    s_field_bytes (&shadow, 1, fake.data, fake.len);
    s_put (&shadow, env.data, env.len);
    s_write_armored ("cert/shadow-signed.pem", XC_ARMOR_CERTIFICATE,
                     shadow.data, shadow.len);
    shadow = env;
    s_field_bytes (&shadow, 4, "shadow", 6);
    s_write_armored ("cert/shadow-unknown-field.pem", XC_ARMOR_CERTIFICATE,
                     shadow.data, shadow.len);
    //  Before the real fields: protobuf-c keeps the last of a repeated
    //  field, which is why it passes today; another parser takes the
    //  first.
    shadow.len = 0;
    s_field_bytes (&shadow, 3, s_tunxi0.id, XC_KEY_ID_LEN);
    s_put (&shadow, env.data, env.len);
    s_write_armored ("cert/shadow-key-id.pem", XC_ARMOR_CERTIFICATE,
                     shadow.data, shadow.len);
    //  ... and inside the signed bytes, signed by the issuer: an unknown
    //  field, and header.version as a two-byte varint.
    changed = signed_;
    s_field_varint (&changed, 99, 1);
    s_seal (&bad, changed.data, changed.len, &s_tunxi1, XC_CTX_ENVELOPE);
    s_write_armored ("cert/signed-unknown-field.pem", XC_ARMOR_CERTIFICATE,
                     bad.data, bad.len);
    //  Signed = field 1 (header, length-delimited), header field 1 is
    //  version: bytes 0 0x0a, 1 len, 2 0x08, 3 0x01.
    if (signed_.data[0] != 0x0a || signed_.data[2] != 0x08
        || signed_.data[3] != 0x01 || signed_.data[1] > 0x7e)
        s_die ("unexpected certificate encoding");
    changed.len = 0;
    uint8_t head[5] = {0x0a, (uint8_t) (signed_.data[1] + 1), 0x08, 0x81,
                       0x00};
    s_put (&changed, head, sizeof head);
    s_put (&changed, signed_.data + 4, signed_.len - 4);
    s_seal (&bad, changed.data, changed.len, &s_tunxi1, XC_CTX_ENVELOPE);
    s_write_armored ("cert/non-canonical-varint.pem", XC_ARMOR_CERTIFICATE,
                     bad.data, bad.len);

    //  Weak certificates signed by the real key (lands-with=strict).
    s_cert ("weak-no-results.pem", &(s_cert_opts_t) {.n_results = SIZE_MAX},
            &s_tunxi1);
    s_cert ("weak-no-programs.pem", &(s_cert_opts_t) {.no_programs = 1},
            &s_tunxi1);
    s_cert ("weak-status-0.pem", &(s_cert_opts_t) {.status = {-1, 0}},
            &s_tunxi1);
    s_cert ("weak-status-7.pem", &(s_cert_opts_t) {.status = {7, 0}},
            &s_tunxi1);
    s_cert ("weak-receiving-no-enrollment.pem",
            &(s_cert_opts_t) {.status = {XIECHA__STATUS__RECEIVING, 0}},
            &s_tunxi1);
    s_cert ("weak-not-receiving-enrolled.pem",
            &(s_cert_opts_t) {.enroll = {0, 1}}, &s_tunxi1);
    s_cert ("weak-enrollment-unchecked-program.pem",
            &(s_cert_opts_t) {.status = {XIECHA__STATUS__RECEIVING, 0},
                              .enroll = {1, 0},
                              .enroll_program = XIECHA__PROGRAM__TEKUN},
            &s_tunxi1);
    s_cert ("weak-requester.pem", &(s_cert_opts_t) {.requester = "469028"},
            &s_tunxi1);
    s_cert ("weak-in-reply-to.pem", &(s_cert_opts_t) {.bad_reply = 1},
            &s_tunxi1);
    s_cert ("weak-created-at-0.pem", &(s_cert_opts_t) {.zero_created = 1},
            &s_tunxi1);

    //  Lifetimes and revocation (lands-with=anchor).
    s_cert ("lifetime-10-years.pem", &(s_cert_opts_t) {
                .valid_until = "2036-11-23T07:30:00Z"}, &s_tunxi1);
    s_cert ("lifetime-31-days.pem", &(s_cert_opts_t) {
                .valid_until = "2026-12-24T07:30:00Z"}, &s_tunxi1);
    s_cert ("lifetime-32-days.pem", &(s_cert_opts_t) {
                .valid_until = "2026-12-25T07:30:00Z"}, &s_tunxi1);
    s_cert ("backdated-revoked.pem", &(s_cert_opts_t) {
                .issued = "2026-11-19T09:00:00Z",
                .valid_until = "2026-11-30T09:00:00Z"}, &s_tunxi0);
    s_cert ("issued-after-revocation.pem", &(s_cert_opts_t) {
                .created = "2026-11-19T09:00:00Z",
                .issued = "2026-11-21T09:00:00Z",
                .valid_until = "2026-11-24T09:00:00Z"}, &s_tunxi0);
    s_cert ("expired-list.pem", &(s_cert_opts_t) {
                .issued = "2026-12-22T07:30:00Z",
                .valid_until = "2026-12-23T07:30:00Z"}, &s_tunxi1);

    //  Armor: the grammar's edges, on the valid certificate.
    char *text = NULL, crlf[8192], *p = crlf;
    xc_armor_encode (XC_ARMOR_CERTIFICATE, env.data, env.len, &text);
    p += sprintf (p, "Dear auditor,\r\nthe certificate:\r\n\r\n");
    for (const char *t = text; *t; t++)
        p += *t == '\n' ? sprintf (p, "\r\n") : sprintf (p, "%c", *t);
    sprintf (p, "\r\nRegards\r\n");
    s_write_text ("armor/crlf-in-mail.txt", crlf);
    const char *nl = strchr (text, '\n') + 1;     /* first body line */
    snprintf (crlf, sizeof crlf, "%.*s%.20s*%s", (int) (nl - text), text, nl,
              nl + 21);
    s_write_text ("armor/bad-character.pem", crlf);
    snprintf (crlf, sizeof crlf, "%.*s%.20s==%s", (int) (nl - text), text, nl,
              nl + 22);
    s_write_text ("armor/inner-padding.pem", crlf);
    snprintf (crlf, sizeof crlf, "%.*s%.20s%s", (int) (nl - text), text, nl,
              nl + 21);
    s_write_text ("armor/bad-length.pem", crlf);
    snprintf (crlf, sizeof crlf, "%.*s", (int) (strstr (text, "-----END")
                                                - text), text);
    s_write_text ("armor/no-end.pem", crlf);
    s_write_text ("armor/no-block.txt", "no certificate here\n");
    free (text);
    snprintf (file, sizeof file, "armor/%s", "wrong-label.pem");
    s_write_armored (file, XC_ARMOR_REPORT, env.data, env.len);
}

/* --------------------------------------------------------------------------
   Reports
   -------------------------------------------------------------------------- */

typedef struct {
    const char *node, *month, *generated;
    int shadow;           /* 1: a second report field; 2: an unknown field */
    const char *context;  /* NULL: XC_CTX_REPORT */
    int bad_sig;
} s_report_opts_t;

static void
s_report (const char *name, const s_report_opts_t *o, const s_key_t *k)
{
    Xiecha__ReportRow rows[2], *row_ptrs[2];
    static const char *kinds[] = {"CERTIFICATE_ISSUED",
                                  "SUBJECT_NOT_RECEIVING"};
    for (int i = 0; i < 2; i++) {
        xiecha__report_row__init (&rows[i]);
        rows[i].kind = (char *) kinds[i];
        rows[i].program = XIECHA__PROGRAM__DIBAO;
        rows[i].relation = XIECHA__RELATION__OTHER_PROVINCE;
        rows[i].count = 3 + (uint64_t) i;
        row_ptrs[i] = &rows[i];
    }
    uint8_t head[XC_HASH_LEN];
    xc_sha256 ("audit head", 10, head);
    Xiecha__Report r = XIECHA__REPORT__INIT;
    r.node = (char *) (o->node ? o->node : TUNXI);
    r.name = "Tunxi District";
    r.month = (char *) (o->month ? o->month : "2026-10");
    r.generated_at = s_ms (o->generated ? o->generated
                                        : "2026-11-02T01:00:00Z");
    r.audit_entries = 10;
    r.audit_head = (ProtobufCBinaryData) {XC_HASH_LEN, head};
    r.n_rows = 2;
    r.rows = row_ptrs;
    s_buf_t rb, sr;
    rb.len = xiecha__report__get_packed_size (&r);
    xiecha__report__pack (&r, rb.data);
    uint8_t sig[XC_SIG_LEN];
    if (xc_sign (k->key, o->context ? o->context : XC_CTX_REPORT, rb.data,
                 rb.len, sig) != 0)
        s_die ("sign");
    sig[7] ^= o->bad_sig ? 0x40 : 0;
    sr.len = 0;
    if (o->shadow == 1) {
        Xiecha__Report fake = r;
        fake.n_rows = 1;   /* a report showing less than was signed */
        s_buf_t fb;
        fb.len = xiecha__report__get_packed_size (&fake);
        xiecha__report__pack (&fake, fb.data);
        s_field_bytes (&sr, 1, fb.data, fb.len);
    }
    s_field_bytes (&sr, 1, rb.data, rb.len);
    s_field_bytes (&sr, 2, sig, XC_SIG_LEN);
    s_field_bytes (&sr, 3, k->id, XC_KEY_ID_LEN);
    if (o->shadow == 2)
        s_field_bytes (&sr, 4, "shadow", 6);
    char file[128];
    snprintf (file, sizeof file, "report/%s", name);
    s_write_armored (file, XC_ARMOR_REPORT, sr.data, sr.len);
}

static void
s_reports (void)
{
    s_report ("valid.pem", &(s_report_opts_t) {0}, &s_tunxi1);
    s_report ("bad-signature.pem", &(s_report_opts_t) {.bad_sig = 1},
              &s_tunxi1);
    s_report ("unknown-key.pem", &(s_report_opts_t) {0}, &s_rogue);
    s_report ("other-node-key.pem", &(s_report_opts_t) {0}, &s_dingan);
    s_report ("revoked-key.pem",
              &(s_report_opts_t) {.generated = "2026-11-21T01:00:00Z"},
              &s_tunxi0);
    s_report ("bad-month.pem", &(s_report_opts_t) {.month = "2026-13"},
              &s_tunxi1);
    s_report ("envelope-context.pem",
              &(s_report_opts_t) {.context = XC_CTX_ENVELOPE}, &s_tunxi1);
    s_report ("shadow-report.pem", &(s_report_opts_t) {.shadow = 1},
              &s_tunxi1);
    s_report ("shadow-unknown-field.pem", &(s_report_opts_t) {.shadow = 2},
              &s_tunxi1);
    s_report ("before-compromise.pem", &(s_report_opts_t) {0}, &s_tunxi0);
}

/* --------------------------------------------------------------------------
   Audit logs and exports
   -------------------------------------------------------------------------- */

#define S_ENTRIES 16

typedef struct {
    uint8_t *bytes[S_ENTRIES];
    size_t len[S_ENTRIES];
    uint8_t hash[S_ENTRIES][XC_HASH_LEN];
    uint8_t kind[S_ENTRIES];
    size_t n;
} s_log_t;

/*  What a log vector varies. */
typedef enum {
    LOG_VALID, LOG_GENESIS, LOG_CHAIN, LOG_CP_SIG, LOG_CP_ROOT, LOG_CP_SIZE,
    LOG_CP_OTHER_NODE, LOG_CP_UNKNOWN_KEY, LOG_CP_REVOKED, LOG_ENV_SIG,
    LOG_NO_CHECKPOINT, LOG_ACTOR, LOG_ACTOR_EMPTY
} s_variant_t;

/*  The actor of the next entry s_entry appends (format 2), or NULL
    (format 1); s_entry clears it.  With LOG_ACTOR_EMPTY the entry says
    format 2 and carries none, which no node writes. */
static const char *s_actor;

/*  Appends an entry (layout: doc/FORMATS.md, daemon/store/audit.h). */
static void
s_entry (s_log_t *log, uint8_t kind, const char *peer, const char *time,
         const char *note, const uint8_t *data, size_t data_len,
         s_variant_t v)
{
    size_t note_len = note ? strlen (note) : 0;
    size_t actor_len = s_actor && v != LOG_ACTOR_EMPTY ? strlen (s_actor) : 0;
    size_t len = 56 + note_len + data_len + actor_len;
    uint8_t *e = calloc (1, len);
    e[0] = s_actor ? 2 : 1;
    e[1] = kind;
    xc_put_u16 (e + 54, (uint16_t) actor_len);
    if (actor_len)
        memcpy (e + 56 + note_len + data_len, s_actor, actor_len);
    s_actor = NULL;
    xc_put_u16 (e + 2, (uint16_t) note_len);
    xc_put_u32 (e + 4, (uint32_t) data_len);
    xc_put_u64 (e + 8, s_ms (time));
    if (log->n)
        memcpy (e + 16, log->hash[log->n - 1], 32);
    else if (v == LOG_GENESIS)
        memset (e + 16, 0x11, 32);
    if (peer)
        memcpy (e + 48, peer, strlen (peer));
    if (note_len)
        memcpy (e + 56, note, note_len);
    if (data_len)
        memcpy (e + 56 + note_len, data, data_len);
    log->bytes[log->n] = e;
    log->len[log->n] = len;
    log->kind[log->n] = kind;
    xc_sha256 (e, len, log->hash[log->n]);
    log->n++;
}

/*  Appends a checkpoint over every entry so far, signed by k for node. */
static void
s_checkpoint (s_log_t *log, const char *time, const s_key_t *k,
              const char *node, s_variant_t v)
{
    xc_checkpoint_t cp = {0};
    cp.tree_size = log->n;
    if (v == LOG_CP_SIZE)
        cp.tree_size--;
    xc_merkle_root ((const uint8_t (*)[32]) log->hash, cp.tree_size,
                    cp.root);
    if (v == LOG_CP_ROOT)
        cp.root[0] ^= 0x01;
    cp.time_ms = s_ms (time);
    snprintf (cp.node, sizeof cp.node, "%s", node);
    memcpy (cp.key_id, k->id, sizeof cp.key_id);
    uint8_t data[XC_CHECKPOINT_LEN];
    if (xc_checkpoint_sign (&cp, k->key, data) != 0)
        s_die ("checkpoint");
    if (v == LOG_CP_SIG)
        data[XC_CHECKPOINT_LEN - 1] ^= 0x01;
    s_entry (log, 9, NULL, time, NULL, data, sizeof data, v);
}

/*  A registration node's day: it starts, answers a query, applies a
    notice, seals, stops.  Ten entries, checkpoints at 5, 8 and 10. */
static void
s_log (s_log_t *log, s_variant_t v)
{
    memset (log, 0, sizeof *log);
    s_buf_t qs, qenv, cs, cenv, ns, nenv, as, aenv;
    uint8_t qid[XC_MSGID_LEN];
    s_query (&qs, &qenv, qid);
    s_cert_valid (&cs, &cenv);
    if (v == LOG_ENV_SIG)
        cenv.data[cenv.len - XC_KEY_ID_LEN - 3] ^= 0x01;

    //  Ding'an's enrollment notice and Tunxi's ack of it.
    static uint8_t ref[XC_REF_LEN], nid[XC_MSGID_LEN], aid[XC_MSGID_LEN];
    uint8_t ndigest[XC_HASH_LEN];
    s_subject (1, ref);
    ProtobufCBinaryData subjects[] = {{XC_REF_LEN, ref}};
    Xiecha__Notice n = XIECHA__NOTICE__INIT;
    n.kind = XIECHA__NOTICE_KIND__ENROLLMENT;
    n.n_subjects = 1;
    n.subjects = subjects;
    n.program = XIECHA__PROGRAM__DIBAO;
    n.start_date = 20261201;
    Xiecha__Header h;
    s_header (&h, nid, "notice 1", XIECHA__MSG_TYPE__MSG_NOTICE, DINGAN, TUNXI,
              s_ms ("2026-11-23T07:40:00Z"));
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.header = &h;
    msg.body_case = XIECHA__SIGNED__BODY_NOTICE;
    msg.notice = &n;
    s_pack_signed (&msg, &ns);
    s_seal (&nenv, ns.data, ns.len, &s_dingan, XC_CTX_ENVELOPE);
    xc_sha256 (ns.data, ns.len, ndigest);
    Xiecha__Ack a = XIECHA__ACK__INIT;
    a.notice_digest = (ProtobufCBinaryData) {XC_HASH_LEN, ndigest};
    a.outcome = "applied";
    Xiecha__Header ah;
    s_header (&ah, aid, "ack 1", XIECHA__MSG_TYPE__MSG_ACK, TUNXI, DINGAN,
              s_ms ("2026-11-23T07:40:01Z"));
    ah.in_reply_to = (ProtobufCBinaryData) {XC_MSGID_LEN, nid};
    Xiecha__Signed amsg = XIECHA__SIGNED__INIT;
    amsg.header = &ah;
    amsg.body_case = XIECHA__SIGNED__BODY_ACK;
    amsg.ack = &a;
    s_pack_signed (&amsg, &as);
    s_seal (&aenv, as.data, as.len, &s_tunxi1, XC_CTX_ENVELOPE);

    const s_key_t *cpk = v == LOG_CP_UNKNOWN_KEY ? &s_rogue
                         : v == LOG_CP_REVOKED ? &s_tunxi0 : &s_tunxi1;
    s_entry (log, 1, NULL, "2026-11-23T07:00:00Z", "xiechad 0.1", NULL, 0, v);
    s_entry (log, 2, DINGAN, "2026-11-23T07:30:00Z", "query", qenv.data,
             qenv.len, v);
    s_entry (log, 3, DINGAN, "2026-11-23T07:30:00Z", "certificate", cenv.data,
             cenv.len, v);
    //  The roster decision of a terminal of Tunxi's Xinjie township.
    if (v == LOG_ACTOR || v == LOG_ACTOR_EMPTY)
        s_actor = "roster-1\t341002100\tZhang Wei";
    s_entry (log, 5, NULL, "2026-11-23T07:35:00Z",
             "roster DIBAO as of 2026-11-15", NULL, 0, v);
    if (v != LOG_NO_CHECKPOINT)
        s_checkpoint (log, "2026-11-23T07:36:00Z", cpk, TUNXI, v);
    s_entry (log, 2, DINGAN, "2026-11-23T07:40:00Z", "notice", nenv.data,
             nenv.len, v);
    s_entry (log, 3, DINGAN, "2026-11-23T07:40:01Z", "ack", aenv.data,
             aenv.len, v);
    if (v != LOG_NO_CHECKPOINT)
        s_checkpoint (log, "2026-11-23T07:45:00Z",
                      v == LOG_CP_OTHER_NODE ? &s_dingan : &s_tunxi1,
                      v == LOG_CP_OTHER_NODE ? DINGAN : TUNXI, v);
    s_entry (log, 8, NULL, "2026-11-23T07:59:00Z", NULL, NULL, 0, v);
    if (v != LOG_NO_CHECKPOINT)
        s_checkpoint (log, "2026-11-23T07:59:00Z", &s_tunxi1, TUNXI, v);
    if (v == LOG_CHAIN) {
        //  Entry 6's bytes changed after the log was written: the link
        //  6 -> 7 breaks (the chain cannot say which side changed).
        log->bytes[5][56] ^= 0x20;
    }
}

static void
s_log_free (s_log_t *log)
{
    for (size_t i = 0; i < log->n; i++)
        free (log->bytes[i]);
}

/*  Writes entries 1..total of log with from..to and every checkpoint in
    full; the header says hfrom..hto (0: from, to). */
static void
s_export (const char *name, const s_log_t *log, uint64_t total,
          uint64_t from, uint64_t to, uint64_t hfrom, uint64_t hto,
          xc_auditfile_t *f)
{
    if (xc_auditfile_init (f, total, hfrom ? hfrom : from,
                           hto ? hto : to) != 0)
        s_die ("out of memory");
    for (uint64_t seq = 1; seq <= total; seq++) {
        int full = (seq >= from && seq <= to) || log->kind[seq - 1] == 9;
        if (xc_auditfile_add (f, seq, log->bytes[seq - 1], log->len[seq - 1],
                              full) != 0)
            s_die ("out of memory");
    }
    if (name) {
        char file[128];
        snprintf (file, sizeof file, "audit/%s", name);
        s_write (file, f->data, f->len);
        xc_auditfile_free (f);
    }
}

static void
s_log_vector (const char *name, s_variant_t v)
{
    s_log_t log;
    xc_auditfile_t f;
    s_log (&log, v);
    s_export (name, &log, log.n, 1, log.n, 0, 0, &f);
    s_log_free (&log);
}

/*  The whole valid export, then a change to its bytes. */
static void
s_file_vector (const char *name, void (*change) (xc_auditfile_t *f))
{
    s_log_t log;
    xc_auditfile_t f;
    s_log (&log, LOG_VALID);
    s_export (NULL, &log, log.n, 1, log.n, 0, 0, &f);
    change (&f);
    char file[128];
    snprintf (file, sizeof file, "audit/%s", name);
    s_write (file, f.data, f.len);
    xc_auditfile_free (&f);
    s_log_free (&log);
}

/*  Offset of record seq in a full export of the valid log. */
static size_t
s_record_at (const xc_auditfile_t *f, uint64_t seq)
{
    size_t pos = XC_AUDITFILE_HEADER;
    for (uint64_t s = 1; s < seq; s++)
        pos += 13 + xc_get_u32 (f->data + pos + 9);
    return pos;
}

static void
s_swap_6_7 (xc_auditfile_t *f)
{
    size_t a = s_record_at (f, 6), b = s_record_at (f, 7),
           c = s_record_at (f, 8);
    uint8_t tmp[4096];
    memcpy (tmp, f->data + a, c - a);
    memcpy (f->data + a, tmp + (b - a), c - b);
    memcpy (f->data + a + (c - b), tmp, b - a);
}

static void
s_drop_6 (xc_auditfile_t *f)
{
    size_t a = s_record_at (f, 6), b = s_record_at (f, 7);
    memmove (f->data + a, f->data + b, f->len - b);
    f->len -= b - a;
}

static void
s_truncate (xc_auditfile_t *f)
{
    f->len = s_record_at (f, 7) + 20;
}

static void
s_trailing (xc_auditfile_t *f)
{
    f->data[f->len++] = 0;
}

static void
s_bad_magic (xc_auditfile_t *f)
{
    f->data[7] = '2';
}

static void
s_exports (void)
{
    s_log_vector ("valid.xcaudit", LOG_VALID);
    s_log_t log;
    xc_auditfile_t f;
    s_log (&log, LOG_VALID);
    s_export ("partial.xcaudit", &log, log.n, 6, 7, 0, 0, &f);
    //  The holes of issue 11 about an export's length (lands-with=export).
    s_export ("cut-after-checkpoint.xcaudit", &log, 7, 1, 7, 0, 0, &f);
    s_export ("cut-before-checkpoint.xcaudit", &log, 4, 1, 4, 0, 0, &f);
    s_export ("to-beyond-total.xcaudit", &log, log.n, 1, log.n, 0, 12, &f);
    s_export ("range-not-full.xcaudit", &log, log.n, 7, log.n, 6, 0, &f);
    xc_auditfile_init (&f, 0, 0, 0);
    s_write ("audit/empty.xcaudit", f.data, f.len);
    xc_auditfile_free (&f);
    s_log_free (&log);
    s_log_vector ("no-checkpoint.xcaudit", LOG_NO_CHECKPOINT);
    s_log_vector ("attributed.xcaudit", LOG_ACTOR);
    s_log_vector ("actor-empty.xcaudit", LOG_ACTOR_EMPTY);

    s_log_vector ("genesis-not-zero.xcaudit", LOG_GENESIS);
    s_log_vector ("chain-broken.xcaudit", LOG_CHAIN);
    s_log_vector ("checkpoint-bad-signature.xcaudit", LOG_CP_SIG);
    s_log_vector ("checkpoint-wrong-root.xcaudit", LOG_CP_ROOT);
    s_log_vector ("checkpoint-wrong-size.xcaudit", LOG_CP_SIZE);
    s_log_vector ("checkpoint-other-node.xcaudit", LOG_CP_OTHER_NODE);
    s_log_vector ("checkpoint-unknown-key.xcaudit", LOG_CP_UNKNOWN_KEY);
    s_log_vector ("checkpoint-revoked-key.xcaudit", LOG_CP_REVOKED);
    s_log_vector ("envelope-bad-signature.xcaudit", LOG_ENV_SIG);
    s_file_vector ("out-of-order.xcaudit", s_swap_6_7);
    s_file_vector ("missing-entry.xcaudit", s_drop_6);
    s_file_vector ("truncated.xcaudit", s_truncate);
    s_file_vector ("trailing-bytes.xcaudit", s_trailing);
    s_file_vector ("bad-magic.xcaudit", s_bad_magic);
}

int
main (int argc, char **argv)
{
    if (argc != 2) {
        fprintf (stderr, "usage: make-vectors OUTDIR\n");
        return 2;
    }
    s_out = argv[1];
    if (mkdir (s_out, 0755) != 0 && errno != EEXIST)
        s_die ("%s: %s", s_out, strerror (errno));
    snprintf (s_tmp, sizeof s_tmp, "/tmp/make-vectors.XXXXXX");
    if (!mkdtemp (s_tmp))
        s_die ("mkdtemp: %s", strerror (errno));
    s_key (&s_root, "root");
    s_key (&s_other_root, "another root");
    s_key (&s_tunxi0, "341002 key 0");
    s_key (&s_tunxi1, "341002 key 1");
    s_key (&s_tunxi2, "341002 key 2");
    s_key (&s_dingan, "469021 key 1");
    s_key (&s_rogue, "rogue");
    rmdir (s_tmp);

    s_trust_lists ();
    s_certificates ();
    s_reports ();
    s_exports ();

    s_key_t *keys[] = {&s_root, &s_other_root, &s_tunxi0, &s_tunxi1,
                       &s_tunxi2, &s_dingan, &s_rogue};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        xc_key_destroy (&keys[i]->key);
    return 0;
}
