/*  strict.c - the canonical-encoding walker (xiecha/strict.h).

    One pass over the wire bytes, driven by the protobuf-c descriptor of
    the message they claim to be: every rule of strict.h is checked here
    and nowhere else, so the node's door (xc_envelope_open) and every
    offline verifier refuse exactly the same bytes.  It allocates
    nothing; its cost is one look at each byte, O(fields) per message
    for the oneof check. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xiecha/error.h"
#include "xiecha/strict.h"
#include "xiecha/text.h"

#define S_MAX_DEPTH 32
#define S_MAX_FIELDS 128      /* a message type of more is refused */
#define S_MAX_NUMBER 536870911u   /* 2^29 - 1, the largest field number */

enum { S_VARINT = 0, S_I64 = 1, S_LEN = 2, S_I32 = 5 };

/*  Where the walk is: the caller's why buffer and the path of field
    names from the top message down to the one being walked. */
typedef struct {
    char *why;
    size_t why_len;
    char path[192];
    int depth;
} s_walk_t;

/*  Formats "Type: problem" and, below the top message, " (in path)". */
static int
s_fail (const s_walk_t *w, const ProtobufCMessageDescriptor *d,
        const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));

static int
s_fail (const s_walk_t *w, const ProtobufCMessageDescriptor *d,
        const char *fmt, ...)
{
    char problem[200];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (problem, sizeof problem, fmt, ap);
    va_end (ap);
    if (w->path[0])
        return xc_why (w->why, w->why_len, XC_EMALFORMED, _("%s: %s (in %s)"),
                       d->short_name, problem, w->path);
    return xc_why (w->why, w->why_len, XC_EMALFORMED, "%s: %s",
                   d->short_name, problem);
}

/*  Reads a varint at p[left] into *v, its length into *n.  Returns 0, or
    one of these, which say what is wrong with it. */
enum { S_SHORT = -1, S_LONG = -2, S_PADDED = -3 };

static int
s_varint (const uint8_t *p, size_t left, uint64_t *v, size_t *n)
{
    uint64_t x = 0;
    for (size_t i = 0; i < 10; i++) {
        if (i >= left)
            return S_SHORT;
        if (i == 9 && p[i] > 1)
            return S_LONG;    /* above 2^64 - 1 */
        x |= (uint64_t) (p[i] & 0x7f) << (7 * i);
        if (!(p[i] & 0x80)) {
            //  A last byte of 0 after others only pads the number.
            if (i > 0 && p[i] == 0)
                return S_PADDED;
            *v = x;
            *n = i + 1;
            return 0;
        }
    }
    return S_LONG;
}

static const char *
s_varint_problem (int rc)
{
    return rc == S_SHORT ? _("is cut off")
           : rc == S_LONG ? _("is longer than 10 bytes or above 2^64 - 1")
                          : _("is not in its shortest form");
}

/*  The wire type a field of type t takes when not packed. */
static int
s_wire_type (ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_BOOL: case PROTOBUF_C_TYPE_ENUM:
        return S_VARINT;
    case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_DOUBLE:
        return S_I64;
    case PROTOBUF_C_TYPE_FIXED32: case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_FLOAT:
        return S_I32;
    default:
        return S_LEN;
    }
}

/*  Whether v fits the field's type; protobuf-c would cut it silently. */
static int
s_in_range (const ProtobufCFieldDescriptor *f, uint64_t v)
{
    int64_t s = (int64_t) v;
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
        return s >= INT32_MIN && s <= INT32_MAX;
    case PROTOBUF_C_TYPE_ENUM:
        return s >= INT32_MIN && s <= INT32_MAX
               && protobuf_c_enum_descriptor_get_value (f->descriptor,
                                                        (int) s) != NULL;
    case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_SINT32:
        return v <= UINT32_MAX;
    case PROTOBUF_C_TYPE_BOOL:
        return v <= 1;
    default:
        return 1;
    }
}

/*  Checks one varint value of field f at p[left]; *n its length. */
static int
s_varint_value (const s_walk_t *w, const ProtobufCMessageDescriptor *d,
                const ProtobufCFieldDescriptor *f, const uint8_t *p,
                size_t left, uint64_t *v, size_t *n)
{
    int rc = s_varint (p, left, v, n);
    if (rc)
        return s_fail (w, d, _("field %u (%s): value %s"), f->id, f->name,
                       s_varint_problem (rc));
    if (!s_in_range (f, *v)) {
        if (f->type == PROTOBUF_C_TYPE_ENUM)
            return s_fail (w, d, _("field %u (%s): %lld is not a value of %s"),
                           f->id, f->name, (long long) (int64_t) *v,
                           ((const ProtobufCEnumDescriptor *) f->descriptor)
                               ->short_name);
        return s_fail (w, d, _("field %u (%s): %llu is out of range for its "
                         "type"), f->id, f->name, (unsigned long long) *v);
    }
    return 0;
}

/*  Valid UTF-8 (no overlong forms, surrogates or values above U+10FFFF)
    without NUL: protobuf-c would cut a C string at the first NUL, and
    another reader would not. */
static const char *
s_text_problem (const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint8_t b = p[i];
        if (b == 0)
            return "holds a NUL byte";
        if (b < 0x80) {
            i++;
            continue;
        }
        size_t n = b >= 0xf5 ? 0 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3
                   : b >= 0xc2 ? 2 : 0;
        if (n == 0 || i + n > len)
            return "is not UTF-8";
        uint32_t c = b & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return "is not UTF-8";
            c = (c << 6) | (p[i + k] & 0x3f);
        }
        if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff
            || (c >= 0xd800 && c <= 0xdfff))
            return "is not UTF-8";
        i += n;
    }
    return NULL;
}

static int s_message (s_walk_t *w, const ProtobufCMessageDescriptor *d,
                      const uint8_t *buf, size_t len);

/*  A nested message: walked with the path extended by its field name
    (and index, for a repeated field). */
static int
s_nested (s_walk_t *w, const ProtobufCMessageDescriptor *d,
          const ProtobufCFieldDescriptor *f, unsigned index,
          const uint8_t *p, size_t len)
{
    if (w->depth >= S_MAX_DEPTH)
        return s_fail (w, d, _("field %u (%s): nested deeper than %d"), f->id,
                       f->name, S_MAX_DEPTH);
    size_t mark = strlen (w->path);
    char step[80];
    if (f->label == PROTOBUF_C_LABEL_REPEATED)
        snprintf (step, sizeof step, "%s%s[%u]", mark ? "." : "", f->name,
                  index);
    else
        snprintf (step, sizeof step, "%s%s", mark ? "." : "", f->name);
    snprintf (w->path + mark, sizeof w->path - mark, "%s", step);
    w->depth++;
    int rc = s_message (w, f->descriptor, p, len);
    w->depth--;
    w->path[mark] = '\0';
    return rc;
}

/*  A proto3 field without presence: protobuf-c writes it only when it
    differs from its default, so an explicit default is a second
    encoding of the same message. */
static int
s_implicit (const ProtobufCFieldDescriptor *f)
{
    return f->label == PROTOBUF_C_LABEL_NONE
           && !(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
           && f->type != PROTOBUF_C_TYPE_MESSAGE;
}

static int
s_all_zero (const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/*  The elements of a packed run p[len]. */
static int
s_packed (const s_walk_t *w, const ProtobufCMessageDescriptor *d,
          const ProtobufCFieldDescriptor *f, const uint8_t *p, size_t len)
{
    if (len == 0)
        return s_fail (w, d, _("field %u (%s): empty packed run (an empty "
                         "repeated field is absent)"), f->id, f->name);
    int wt = s_wire_type (f->type);
    if (wt != S_VARINT) {
        size_t size = wt == S_I64 ? 8 : 4;
        if (len % size)
            return s_fail (w, d, _("field %u (%s): packed run of %zu bytes is "
                             "not a multiple of %zu"), f->id, f->name, len,
                           size);
        return 0;
    }
    for (size_t at = 0; at < len;) {
        uint64_t v;
        size_t n;
        int rc = s_varint_value (w, d, f, p + at, len - at, &v, &n);
        if (rc)
            return rc;
        at += n;
    }
    return 0;
}

/*  One length-delimited field's contents p[len]; index counts earlier
    occurrences of a repeated field. */
static int
s_length_delimited (s_walk_t *w, const ProtobufCMessageDescriptor *d,
                    const ProtobufCFieldDescriptor *f, unsigned index,
                    const uint8_t *p, size_t len)
{
    if (s_wire_type (f->type) != S_LEN)
        return s_packed (w, d, f, p, len);
    if (len == 0 && s_implicit (f))
        return s_fail (w, d, _("field %u (%s): holds its default (empty) and "
                         "must be absent"), f->id, f->name);
    if (f->type == PROTOBUF_C_TYPE_MESSAGE)
        return s_nested (w, d, f, index, p, len);
    const char *problem = f->type == PROTOBUF_C_TYPE_STRING
                              ? s_text_problem (p, len) : NULL;
    if (problem)
        return s_fail (w, d, _("field %u (%s): %s"), f->id, f->name, problem);
    return 0;
}

/*  The wire type this occurrence must have: packed repeated numeric
    fields are length-delimited, everything else as its type says. */
static int
s_expected_wire_type (const ProtobufCFieldDescriptor *f)
{
    int wt = s_wire_type (f->type);
    if (f->label == PROTOBUF_C_LABEL_REPEATED && wt != S_LEN
        && (f->flags & PROTOBUF_C_FIELD_FLAG_PACKED))
        return S_LEN;
    return wt;
}

static int
s_wrong_wire_type (const s_walk_t *w, const ProtobufCMessageDescriptor *d,
                   const ProtobufCFieldDescriptor *f, int got)
{
    int want = s_expected_wire_type (f);
    if (f->label == PROTOBUF_C_LABEL_REPEATED
        && s_wire_type (f->type) != S_LEN
        && (got == S_LEN || got == s_wire_type (f->type)))
        return s_fail (w, d, _("field %u (%s): %s, its canonical form is %s"),
                       f->id, f->name, got == S_LEN ? _("packed") : _("not packed"),
                       want == S_LEN ? _("packed") : _("unpacked"));
    return s_fail (w, d, _("field %u (%s): wire type %d, its type takes %d"),
                   f->id, f->name, got, want);
}

/*  Order, repetition and oneof rules for the occurrence of f (index i in
    d->fields) after field prev; seen[] marks the fields met so far. */
static int
s_placement (const s_walk_t *w, const ProtobufCMessageDescriptor *d,
             const ProtobufCFieldDescriptor *f, size_t i, uint32_t prev,
             const uint8_t *seen)
{
    int several = f->label == PROTOBUF_C_LABEL_REPEATED
                  && s_expected_wire_type (f) == s_wire_type (f->type);
    if (seen[i] && !several)
        return s_fail (w, d, _("field %u (%s) occurs twice"), f->id, f->name);
    if (f->id < prev || (f->id == prev && !several))
        return s_fail (w, d, _("field %u (%s) after field %u: fields must be "
                         "in ascending order"), f->id, f->name, prev);
    if (f->id == prev || !(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
        return 0;
    for (size_t k = 0; k < d->n_fields; k++) {
        const ProtobufCFieldDescriptor *o = &d->fields[k];
        if (k != i && seen[k] && (o->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
            && o->quantifier_offset == f->quantifier_offset)
            return s_fail (w, d, _("fields %u (%s) and %u (%s) of one oneof "
                             "are both present"), o->id, o->name, f->id,
                           f->name);
    }
    return 0;
}

/*  One field occurrence at buf[pos]: *pos is moved past it. */
static int
s_field (s_walk_t *w, const ProtobufCMessageDescriptor *d,
         const uint8_t *buf, size_t len, size_t *pos, uint32_t *prev,
         uint8_t *seen, unsigned *count)
{
    uint64_t tag, v;
    size_t n;
    int rc = s_varint (buf + *pos, len - *pos, &tag, &n);
    if (rc)
        return s_fail (w, d, _("a field tag at byte %zu %s"), *pos,
                       s_varint_problem (rc));
    uint64_t number = tag >> 3;
    int wt = (int) (tag & 7);
    if (number == 0 || number > S_MAX_NUMBER)
        return s_fail (w, d, _("field number %llu at byte %zu is not a field "
                         "number"), (unsigned long long) number, *pos);
    *pos += n;
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field (d, (unsigned) number);
    if (!f)
        return s_fail (w, d, _("unknown field %llu"), (unsigned long long) number);
    size_t i = (size_t) (f - d->fields);
    rc = s_placement (w, d, f, i, *prev, seen);
    if (rc)
        return rc;
    if (wt != s_expected_wire_type (f))
        return s_wrong_wire_type (w, d, f, wt);
    seen[i] = 1;
    *prev = f->id;
    unsigned index = count[i]++;
    const uint8_t *p = buf + *pos;
    size_t left = len - *pos;
    if (wt == S_VARINT) {
        rc = s_varint_value (w, d, f, p, left, &v, &n);
        if (rc == 0 && v == 0 && s_implicit (f))
            rc = s_fail (w, d, _("field %u (%s): holds its default (0) and "
                           "must be absent"), f->id, f->name);
        *pos += n;
        return rc;
    }
    if (wt == S_I64 || wt == S_I32) {
        n = wt == S_I64 ? 8 : 4;
        if (left < n)
            return s_fail (w, d, _("field %u (%s): value is cut off"), f->id,
                           f->name);
        *pos += n;
        if (s_all_zero (p, n) && s_implicit (f))
            return s_fail (w, d, _("field %u (%s): holds its default (0) and "
                             "must be absent"), f->id, f->name);
        return 0;
    }
    rc = s_varint (p, left, &v, &n);
    if (rc)
        return s_fail (w, d, _("field %u (%s): length %s"), f->id, f->name,
                       s_varint_problem (rc));
    if (v > left - n)
        return s_fail (w, d, _("field %u (%s): %llu bytes announced, %zu left"),
                       f->id, f->name, (unsigned long long) v, left - n);
    *pos += n + (size_t) v;
    return s_length_delimited (w, d, f, index, p + n, (size_t) v);
}

static int
s_message (s_walk_t *w, const ProtobufCMessageDescriptor *d,
           const uint8_t *buf, size_t len)
{
    if (d->n_fields > S_MAX_FIELDS)
        return s_fail (w, d, _("has %u fields, more than the walker handles"),
                       d->n_fields);
    uint8_t seen[S_MAX_FIELDS] = {0};
    unsigned count[S_MAX_FIELDS] = {0};
    uint32_t prev = 0;
    size_t pos = 0;
    while (pos < len) {
        int rc = s_field (w, d, buf, len, &pos, &prev, seen, count);
        if (rc)
            return rc;
    }
    return 0;
}

int
xc_strict_check (const ProtobufCMessageDescriptor *desc, const uint8_t *buf,
                 size_t len, char *why, size_t why_len)
{
    if (!desc || (!buf && len))
        return xc_why (why, why_len, XC_EINVAL, _("strict check: no message"));
    s_walk_t w = {.why = why, .why_len = why_len};
    return s_message (&w, desc, buf, len);
}

ProtobufCMessage *
xc_strict_unpack (const ProtobufCMessageDescriptor *desc, const uint8_t *buf,
                  size_t len, int *code, char *why, size_t why_len)
{
    int rc = xc_strict_check (desc, buf, len, why, why_len);
    ProtobufCMessage *m = rc ? NULL
                             : protobuf_c_message_unpack (desc, NULL, len,
                                                          buf);
    if (!rc && !m)
        rc = xc_why (why, why_len, XC_ENOMEM, _("%s: cannot unpack"),
                     desc->short_name);
    if (code)
        *code = rc;
    return m;
}
