/*  strict.h - canonical decoding of what is signed or wraps something
    signed.

    protobuf-c accepts much that has two readings: a singular field that
    occurs twice (it keeps the last, another parser may keep the first),
    unknown fields (kept aside, invisible), any enum value, a string with
    a NUL in it (cut there), non-minimal varints, a packed field sent
    unpacked.  A certificate file whose unsigned Envelope holds a second
    `signed` field verifies with one parser and says something else to
    another.  So every such message is walked here, driven by its
    protobuf-c descriptor, before protobuf-c parses it, and only the one
    canonical encoding passes:

    * fields in strictly ascending field-number order, as protobuf-c and
      every other deterministic serializer writes them; a repeated field
      that is not packed is one run of consecutive occurrences;
    * no unknown field, no singular field twice, at most one field of a
      oneof;
    * the wire type of the field's type; a repeated numeric field packed
      exactly when the descriptor says so, in one non-empty run;
    * varints (tags and lengths too) in their shortest form, within the
      range of the field's type (a uint32 above 2^32 - 1, a bool other
      than 0 or 1, an enum value the enum does not list are refused);
    * a proto3 field without presence is absent when it holds its default
      (0, false, "", empty bytes): protobuf-c never writes it;
    * strings are UTF-8 without NUL bytes;
    * nested messages by the same rules, to a depth of 32.

    Bytes fields that hold serialized messages (Envelope.signed,
    SignedReport.report) are opaque here: the caller checks them with a
    second call, after what it must do first (a digest, a signature). */
#ifndef XIECHA_STRICT_H
#define XIECHA_STRICT_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

/*  Checks that buf[len] is the canonical encoding of one message of desc.
    Returns 0, or XC_EMALFORMED with why naming the message type, the
    field (number and name) and the rule, and where the message sits when
    it is nested: "Envelope: field 1 (signed) occurs twice",
    "SubjectResult: unknown field 15 (in certificate.results[0])".
    len 0 is the empty message, which is canonical. */
int xc_strict_check (const ProtobufCMessageDescriptor *desc,
                     const uint8_t *buf, size_t len, char *why,
                     size_t why_len);

/*  xc_strict_check, then protobuf_c_message_unpack.  Returns the message
    (caller frees with protobuf_c_message_free_unpacked) or NULL with why
    (XC_EMALFORMED in *code when code is not NULL; XC_ENOMEM when the
    canonical bytes did not unpack). */
ProtobufCMessage *xc_strict_unpack (const ProtobufCMessageDescriptor *desc,
                                    const uint8_t *buf, size_t len,
                                    int *code, char *why, size_t why_len);

#endif
