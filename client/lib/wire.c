/*  wire.c - envelopes: seal, open (shape), verify (signature and key).

    Every message from outside enters the program through
    xc_envelope_open and xc_envelope_verify, so the checks here are the
    only thing between a hostile peer and the handlers.  Open never trusts
    a length or an enum: protobuf-c accepts any value for a proto3 enum
    and any length for bytes, so each is checked before use. */
#include <ctype.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "xiecha/error.h"
#include "xiecha/date.h"
#include "xiecha/division.h"
#include "xiecha/id.h"
#include "xiecha/strict.h"
#include "xiecha/text.h"
#include "xiecha/wire.h"

/*  Copies at most 16 characters of untrusted text for a message, with
    anything unprintable replaced, so a why string never carries control
    bytes into a log. */
static const char *
s_printable (const char *text, char buf[24])
{
    size_t i = 0;
    if (text)
        for (; text[i] && i < 16; i++)
            buf[i] = (text[i] >= 0x20 && text[i] < 0x7f) ? text[i] : '?';
    if (text && text[i])
        buf[i++] = '~';
    buf[i] = '\0';
    return buf;
}

int
xc_envelope_seal (const Xiecha__Signed *msg, xc_key_t *key,
                  const char *key_id, uint8_t **out, size_t *out_len)
{
    if (!msg || !key || !key_id || !out || !out_len)
        return XC_EINVAL;
    size_t signed_len = xiecha__signed__get_packed_size (msg);
    uint8_t *signed_buf = malloc (signed_len ? signed_len : 1);
    if (!signed_buf)
        return XC_ENOMEM;
    xiecha__signed__pack (msg, signed_buf);

    uint8_t sig[XC_SIG_LEN];
    int rc = xc_sign (key, XC_CTX_ENVELOPE, signed_buf, signed_len, sig);
    if (rc)
        goto cleanup;

    Xiecha__Envelope env = XIECHA__ENVELOPE__INIT;
    env.signed_.data = signed_buf;
    env.signed_.len = signed_len;
    env.signature.data = sig;
    env.signature.len = XC_SIG_LEN;
    env.key_id = (char *) key_id;
    *out_len = xiecha__envelope__get_packed_size (&env);
    *out = malloc (*out_len ? *out_len : 1);
    if (!*out) {
        rc = XC_ENOMEM;
        goto cleanup;
    }
    xiecha__envelope__pack (&env, *out);
cleanup:
    free (signed_buf);
    return rc;
}

/*  The node's limits/query_subjects once it set it (wire.h). */
static atomic_size_t s_max_subjects = XC_SUBJECTS_CEILING;

size_t
xc_wire_message_max (size_t subjects)
{
    if (subjects > XC_SUBJECTS_CEILING)
        subjects = XC_SUBJECTS_CEILING;
    return XC_MAX_MESSAGE + subjects * XC_RESULT_BUDGET;
}

void
xc_wire_set_max_subjects (size_t max)
{
    atomic_store (&s_max_subjects, max < 1 ? 1
                  : max > XC_SUBJECTS_CEILING ? XC_SUBJECTS_CEILING : max);
}

size_t
xc_wire_max_subjects (void)
{
    return atomic_load (&s_max_subjects);
}

static int
s_key_id_valid (const char *id)
{
    if (!id || strlen (id) != XC_KEY_ID_LEN)
        return 0;
    for (size_t i = 0; i < XC_KEY_ID_LEN; i++)
        if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
            return 0;
    return 1;
}

static int
s_program_valid (int program)
{
    return program >= XIECHA__PROGRAM__DIBAO
        && program <= XIECHA__PROGRAM__TEMP;
}

static int
s_relation_valid (int relation)
{
    return relation >= XIECHA__RELATION__RELATION_UNSPECIFIED
        && relation <= XIECHA__RELATION__OTHER_PROVINCE;
}

static int
s_check_query (const Xiecha__Query *q, char *why, size_t why_len)
{
    size_t max = xc_wire_max_subjects ();
    if (q->n_subjects < 1)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("query.subjects: must hold 1..%zu subjects, got %zu"),
                       max, q->n_subjects);
    /* Too many is a size, not a shape: the asker may split its query. */
    if (q->n_subjects > max)
        return xc_why (why, why_len, XC_ETOOBIG,
                       _("query.subjects: %zu subjects, over the maximum of "
                         "%zu a query may carry here (limits/query_subjects)"),
                       q->n_subjects, max);
    for (size_t i = 0; i < q->n_subjects; i++)
        if (q->subjects[i].len != XC_REF_LEN)
            return xc_why (why, why_len, XC_EMALFORMED,
                           _("query.subjects[%zu]: must be %d bytes, got %zu"),
                           i, XC_REF_LEN, q->subjects[i].len);
    if (q->n_programs < 1)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("query.programs: must name at least one program"));
    int rc = xc_programs_check (q->programs, q->n_programs, "query.programs",
                                _("listed"), XC_EMALFORMED, why, why_len);
    if (rc)
        return rc;
    if (!s_relation_valid (q->relation))
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("query.relation: unknown relation %d"),
                       (int) q->relation);
    return 0;
}

static int
s_check_certificate (const Xiecha__Certificate *c, char *why,
                     size_t why_len)
{
    if (c->query_id.len != XC_MSGID_LEN)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("certificate.query_id: must be %d bytes, got %zu"),
                       XC_MSGID_LEN, c->query_id.len);
    if (c->query_digest.len != XC_HASH_LEN)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("certificate.query_digest: must be %d bytes, got %zu"),
                       XC_HASH_LEN, c->query_digest.len);
    if (c->n_results > xc_wire_max_subjects ())
        return xc_why (why, why_len, XC_ETOOBIG,
                       _("certificate.results: %zu, over the maximum of %zu "
                         "subjects a query may carry here"), c->n_results,
                       xc_wire_max_subjects ());
    for (size_t i = 0; i < c->n_results; i++) {
        const Xiecha__SubjectResult *r = c->results[i];
        if (r->subject.len != XC_REF_LEN)
            return xc_why (why, why_len, XC_EMALFORMED,
                           _("certificate.results[%zu].subject: must be %d "
                             "bytes, got %zu"), i, XC_REF_LEN, r->subject.len);
    }
    if (!s_relation_valid (c->relation))
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("certificate.relation: unknown relation %d"),
                       (int) c->relation);
    return 0;
}

static int
s_check_error (const Xiecha__Error *e, char *why, size_t why_len)
{
    if (e->request_digest.len != 0 && e->request_digest.len != XC_HASH_LEN)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("error.request_digest: must be empty or %d bytes, "
                         "got %zu"), XC_HASH_LEN, e->request_digest.len);
    return 0;
}

static int
s_check_date (uint32_t date, const char *field, char *why, size_t why_len)
{
    char text[16];
    uint32_t parsed;
    snprintf (text, sizeof text, "%u", date);
    if (xc_date_parse (text, &parsed) != 0)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("%s: %u is not a calendar date"), field, date);
    return 0;
}

/*  A conflict's dates: found a date, the periods' starts dates, their
    ends and the resolution 0 or dates. */
static int
s_check_conflict (const Xiecha__Conflict *c, char *why, size_t why_len)
{
    if (!c)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("notice.conflict: missing from a CONFLICT notice"));
    const struct {
        uint32_t date;
        const char *field;
        int may_be_0;
    } dates[] = {
        {c->found, "notice.conflict.found", 0},
        {c->roster_since, "notice.conflict.roster_since", 0},
        {c->roster_until, "notice.conflict.roster_until", 1},
        {c->other_since, "notice.conflict.other_since", 0},
        {c->other_until, "notice.conflict.other_until", 1},
        {c->resolved, "notice.conflict.resolved", 1},
    };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        if (dates[i].may_be_0 && dates[i].date == 0)
            continue;
        int rc = s_check_date (dates[i].date, dates[i].field, why, why_len);
        if (rc)
            return rc;
    }
    return 0;
}

static int
s_check_notice (const Xiecha__Notice *n, char *why, size_t why_len)
{
    if (n->kind < XIECHA__NOTICE_KIND__ENROLLMENT
        || n->kind > XIECHA__NOTICE_KIND__CONFLICT)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("notice.kind: unknown kind %d"), (int) n->kind);
    if (n->n_subjects < 1 || n->n_subjects > XC_MAX_HOUSEHOLD)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("notice.subjects: must hold 1..%d subjects, got %zu"),
                       XC_MAX_HOUSEHOLD, n->n_subjects);
    for (size_t i = 0; i < n->n_subjects; i++)
        if (n->subjects[i].len != XC_REF_LEN)
            return xc_why (why, why_len, XC_EMALFORMED,
                           _("notice.subjects[%zu]: must be %d bytes, got %zu"),
                           i, XC_REF_LEN, n->subjects[i].len);
    if (!s_program_valid (n->program))
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("notice.program: unknown program %d"), (int) n->program);
    if (n->kind == XIECHA__NOTICE_KIND__EMERGENCY_AID
        && n->program != XIECHA__PROGRAM__TEMP)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("notice.program: emergency aid is TEMP, got %s"),
                       xc_program_name (n->program));
    if (n->conflict && n->kind != XIECHA__NOTICE_KIND__CONFLICT)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("notice.conflict: only in a CONFLICT notice"));
    if (n->kind == XIECHA__NOTICE_KIND__TERMINATION) {
        if (n->reason < XIECHA__TERMINATION_REASON__MOVED_AWAY
            || n->reason > XIECHA__TERMINATION_REASON__OTHER)
            return xc_why (why, why_len, XC_EMALFORMED,
                           _("notice.reason: unknown reason %d"), (int) n->reason);
        return s_check_date (n->end_date, "notice.end_date", why, why_len);
    }
    if (n->kind == XIECHA__NOTICE_KIND__CONFLICT) {
        if (n->n_subjects != 1)
            return xc_why (why, why_len, XC_EMALFORMED, _("notice.subjects: a "
                             "CONFLICT notice is about one subject, got %zu"),
                           n->n_subjects);
        return s_check_conflict (n->conflict, why, why_len);
    }
    return s_check_date (n->start_date, "notice.start_date", why, why_len);
}

static int
s_check_ack (const Xiecha__Ack *a, char *why, size_t why_len)
{
    if (a->notice_digest.len != XC_HASH_LEN)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("ack.notice_digest: must be %d bytes, got %zu"),
                       XC_HASH_LEN, a->notice_digest.len);
    return 0;
}

/*  A query's or notice's township: none, or one of the sender's county
    (division.h xc_township_in). */
static int
s_check_township (const char *township, const char *what,
                  const char *sender, char *why, size_t why_len)
{
    char buf[24];
    if (!township || !*township || xc_township_in (township, sender))
        return 0;
    return xc_why (why, why_len, XC_EMALFORMED,
                   _("%s.township: must be empty or a 9-digit township code "
                     "of the sender's county %s, got \"%s\""), what, sender,
                   s_printable (township, buf));
}

static int
s_check_header (const Xiecha__Header *h, char *why, size_t why_len)
{
    char buf[24];
    if (!h)
        return xc_why (why, why_len, XC_EMALFORMED, _("header: missing"));
    if (h->version != XC_PROTOCOL_VERSION)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("header.version: must be %d, got %u"),
                       XC_PROTOCOL_VERSION, (unsigned) h->version);
    if (h->msg_id.len != XC_MSGID_LEN)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("header.msg_id: must be %d bytes, got %zu"),
                       XC_MSGID_LEN, h->msg_id.len);
    if (!xc_code_valid (h->sender))
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("header.sender: must be a 6-digit division code, "
                         "got \"%s\""), s_printable (h->sender, buf));
    if (!xc_code_valid (h->recipient))
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("header.recipient: must be a 6-digit division code, "
                         "got \"%s\""), s_printable (h->recipient, buf));
    if (h->in_reply_to.len != 0 && h->in_reply_to.len != XC_MSGID_LEN)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("header.in_reply_to: must be empty or %d bytes, "
                         "got %zu"), XC_MSGID_LEN, h->in_reply_to.len);
    return 0;
}

static const char *
s_body_name (int body_case)
{
    switch (body_case) {
    case XIECHA__SIGNED__BODY_QUERY: return "a query";
    case XIECHA__SIGNED__BODY_CERTIFICATE: return "a certificate";
    case XIECHA__SIGNED__BODY_ERROR: return "an error";
    case XIECHA__SIGNED__BODY_NOTICE: return "a notice";
    case XIECHA__SIGNED__BODY_ACK: return "an ack";
    default: return "missing";
    }
}

/*  Checks that the one body present matches the header type, then the
    body itself. */
static int
s_check_body (const Xiecha__Signed *msg, char *why, size_t why_len)
{
    static const Xiecha__Signed__BodyCase expect[] = {
        [XIECHA__MSG_TYPE__MSG_QUERY] = XIECHA__SIGNED__BODY_QUERY,
        [XIECHA__MSG_TYPE__MSG_CERTIFICATE] = XIECHA__SIGNED__BODY_CERTIFICATE,
        [XIECHA__MSG_TYPE__MSG_ERROR] = XIECHA__SIGNED__BODY_ERROR,
        [XIECHA__MSG_TYPE__MSG_NOTICE] = XIECHA__SIGNED__BODY_NOTICE,
        [XIECHA__MSG_TYPE__MSG_ACK] = XIECHA__SIGNED__BODY_ACK,
    };
    int type = msg->header->type;
    if (type < XIECHA__MSG_TYPE__MSG_QUERY || type > XIECHA__MSG_TYPE__MSG_ACK)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("header.type: unknown message type %d"), type);
    static const char *const type_names[] = {
        "?", "QUERY", "CERTIFICATE", "ERROR", "NOTICE", "ACK"};
    if (msg->body_case != expect[type])
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("body: header.type is %s but the body is %s"),
                       type_names[type], s_body_name (msg->body_case));
    int rc;
    switch (msg->body_case) {
    case XIECHA__SIGNED__BODY_QUERY:
        rc = s_check_query (msg->query, why, why_len);
        return rc ? rc : s_check_township (msg->query->township, "query",
                                           msg->header->sender, why,
                                           why_len);
    case XIECHA__SIGNED__BODY_CERTIFICATE:
        return s_check_certificate (msg->certificate, why, why_len);
    case XIECHA__SIGNED__BODY_NOTICE:
        rc = s_check_notice (msg->notice, why, why_len);
        return rc ? rc : s_check_township (msg->notice->township, "notice",
                                           msg->header->sender, why,
                                           why_len);
    case XIECHA__SIGNED__BODY_ACK:
        return s_check_ack (msg->ack, why, why_len);
    default:
        return s_check_error (msg->error, why, why_len);
    }
}

/*  Checks the outer envelope fields that need no parsing of signed_. */
static int
s_check_envelope (const Xiecha__Envelope *env, char *why, size_t why_len)
{
    char buf[24];
    if (env->signature.len != XC_SIG_LEN)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("envelope.signature: must be %d bytes, got %zu"),
                       XC_SIG_LEN, env->signature.len);
    if (!s_key_id_valid (env->key_id))
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("envelope.key_id: must be %d lower-case hex "
                         "characters, got \"%s\""), XC_KEY_ID_LEN,
                       s_printable (env->key_id, buf));
    if (env->signed_.len == 0)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("envelope.signed: empty"));
    return 0;
}

int
xc_envelope_open (const uint8_t *buf, size_t len, xc_opened_t *opened,
                  char *why, size_t why_len)
{
    memset (opened, 0, sizeof *opened);
    if (!buf || len == 0)
        return xc_why (why, why_len, XC_EMALFORMED, _("envelope: empty"));
    size_t most = xc_wire_message_max (xc_wire_max_subjects ());
    if (len > most)
        return xc_why (why, why_len, XC_ETOOBIG,
                       _("envelope: %zu bytes, over the limit of %zu"), len,
                       most);
    /* A wrapper with two readings (a second `signed`, say) has no
       signed part we could name in an answer: refused as bytes that do
       not parse. */
    int rc = xc_strict_check (&xiecha__envelope__descriptor, buf, len, why,
                              why_len);
    if (rc)
        return rc;
    opened->env = xiecha__envelope__unpack (NULL, len, buf);
    if (!opened->env)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("envelope: does not parse as an Envelope"));
    rc = s_check_envelope (opened->env, why, why_len);
    if (rc)
        return rc;
    /* The digest names the refused bytes in an Error answer, so it is
       computed before anything inside them is trusted. */
    xc_sha256 (opened->env->signed_.data, opened->env->signed_.len,
               opened->digest);
    int strict = xc_strict_check (&xiecha__signed__descriptor,
                                  opened->env->signed_.data,
                                  opened->env->signed_.len, why, why_len);
    /* Parsed even when not canonical, for the header an answer needs. */
    opened->msg = xiecha__signed__unpack (NULL, opened->env->signed_.len,
                                          opened->env->signed_.data);
    if (strict)
        return strict;
    if (!opened->msg)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("envelope.signed: does not parse as a Signed message"));
    rc = s_check_header (opened->msg->header, why, why_len);
    if (rc)
        return rc;
    return s_check_body (opened->msg, why, why_len);
}

/*  Checks that the key was valid when the message says it was made. */
static int
s_check_window (const xc_trust_key_t *key, uint64_t at, char *why,
                size_t why_len)
{
    return xc_trust_key_check (key, at, why, why_len);
}

int
xc_envelope_verify (const xc_opened_t *opened, const xc_trust_t *trust,
                    char *why, size_t why_len)
{
    if (!opened || !opened->env || !opened->msg || !opened->msg->header)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("envelope: not opened"));
    const Xiecha__Envelope *env = opened->env;
    const Xiecha__Header *h = opened->msg->header;
    const xc_trust_key_t *key = trust ? xc_trust_key (trust, env->key_id)
                                      : NULL;
    if (!key)
        return xc_why (why, why_len, XC_EUNKNOWN,
                       _("key_id %s: not in the trust list"), env->key_id);
    if (strcmp (key->node, h->sender) != 0)
        return xc_why (why, why_len, XC_EUNKNOWN,
                       _("key_id %s: belongs to node %s, not to sender %s"),
                       key->id, key->node, h->sender);
    int rc = s_check_window (key, h->created_at, why, why_len);
    if (rc)
        return rc;
    if (xc_verify (key->key, XC_CTX_ENVELOPE, env->signed_.data,
                   env->signed_.len, env->signature.data,
                   env->signature.len) != 0)
        return xc_why (why, why_len, XC_ESIG,
                       _("signature does not verify with key %s of node %s"),
                       key->id, key->node);
    return 0;
}

void
xc_opened_free (xc_opened_t *opened)
{
    if (!opened)
        return;
    if (opened->msg)
        xiecha__signed__free_unpacked (opened->msg, NULL);
    if (opened->env)
        xiecha__envelope__free_unpacked (opened->env, NULL);
    memset (opened, 0, sizeof *opened);
}

void
xc_header_init (Xiecha__Header *h, uint8_t *id_buf, Xiecha__MsgType type,
                const char *sender, const char *recipient, uint64_t now_ms)
{
    xiecha__header__init (h);
    xc_random (id_buf, XC_MSGID_LEN);
    h->version = XC_PROTOCOL_VERSION;
    h->type = type;
    h->msg_id.data = id_buf;
    h->msg_id.len = XC_MSGID_LEN;
    h->sender = (char *) sender;
    h->recipient = (char *) recipient;
    h->created_at = now_ms;
    h->hop_limit = 8;
}

/*  The enum value's name from the generated descriptor, so names can
    never drift from the .proto; "?" for values it does not list. */
static const char *
s_enum_name (const ProtobufCEnumDescriptor *desc, int value)
{
    const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value (desc,
                                                                        value);
    return v ? v->name : "?";
}

int
xc_programs_check (const Xiecha__Program *programs, size_t n,
                   const char *field, const char *twice, int code,
                   char *why, size_t why_len)
{
    for (size_t i = 0; i < n; i++) {
        if (!s_program_valid (programs[i]))
            return xc_why (why, why_len, code, _("%s[%zu]: unknown program %d"),
                           field, i, (int) programs[i]);
        for (size_t k = 0; k < i; k++)
            if (programs[k] == programs[i])
                return xc_why (why, why_len, code, _("%s[%zu]: %s %s twice"),
                               field, i, xc_program_name (programs[i]),
                               twice);
    }
    return 0;
}

const char *
xc_program_name (int program)
{
    if (!s_program_valid (program))
        return "?";
    return s_enum_name (&xiecha__program__descriptor, program);
}

int
xc_program_parse (const char *name)
{
    if (!name)
        return XIECHA__PROGRAM__PROGRAM_UNSPECIFIED;
    for (int p = XIECHA__PROGRAM__DIBAO; p <= XIECHA__PROGRAM__TEMP; p++) {
        const char *known = xc_program_name (p);
        size_t i = 0;
        /* case-blind, and '-' accepted for '_' ("low-income") */
        for (; known[i] && name[i]; i++) {
            char c = name[i] == '-' ? '_' : name[i];
            if (toupper ((unsigned char) c) != known[i])
                break;
        }
        if (!known[i] && !name[i])
            return p;
    }
    return XIECHA__PROGRAM__PROGRAM_UNSPECIFIED;
}

const char *
xc_relation_name (int relation)
{
    return s_enum_name (&xiecha__relation__descriptor, relation);
}

const char *
xc_status_name (int status)
{
    return s_enum_name (&xiecha__status__descriptor, status);
}
