/*  xf.h - what every fuzz target shares (tests/fuzz/README.md).

    Records.  An input that carries several things (a batch of messages;
    a trust list and the certificate to check against it) is a run of
    records: a u16 big-endian length, then that many bytes.  A length
    that runs past the end takes what is left, so every input splits and
    no mutation is wasted on framing.

    Files.  Targets whose entry point reads a path (node config, policy,
    signed trust list) write the input to a scratch directory made once
    per process (removed at exit, tests/lib/xt_sys.h). */
#ifndef XIECHA_TESTS_XF_H
#define XIECHA_TESTS_XF_H

#include <stddef.h>
#include <stdint.h>

#include <czmq.h>
#include <xiecha/trust.h>

#define XF_MAX_RECORDS 16

/*  The clock of every target: certificates, reports and checkpoints of
    the seeds were made at it, so they are valid at it in every run. */
#define XF_NOW 1768435200000ull   /* 2026-01-15T00:00:00Z */

typedef struct {
    const uint8_t *data;
    size_t len;
} xf_rec_t;

/*  Splits data into at most max records (the last one takes the rest).
    Returns how many. */
size_t xf_records (const uint8_t *data, size_t size, xf_rec_t *recs,
                   size_t max);

/*  Appends one record to chunk (for the seed writer). */
void xf_record_put (zchunk_t *chunk, const void *data, size_t len);

/*  A NUL-terminated copy of len bytes.  Caller frees. */
char *xf_text (const uint8_t *data, size_t len);

/*  The trust list held in rec (ZPL text); NULL when it does not load.
    Caller destroys it. */
xc_trust_t *xf_trust (const xf_rec_t *rec);

/*  For the targets that check signatures offline: data is records
    [trust list] and want more.  Returns 1 with the list in *trust (NULL
    when it does not load: the target goes on without it where it can;
    caller destroys it) and the others in recs[want]; 0 when fewer came
    (nothing to destroy). */
int xf_with_trust (const uint8_t *data, size_t size, xc_trust_t **trust,
                   xf_rec_t *recs, size_t want);

/*  With XF_VERBOSE set in the environment, prints what a step of an
    input came to (rc and why), to see what a seed or a crash input does. */
void xf_say (const char *step, int rc, const char *why);

/*  The first block under label (xiecha/armor.h) of the text in file,
    decoded into *out (caller frees).  Returns 0 or the decoder's code. */
int xf_unarmor (const xf_rec_t *file, const char *label, uint8_t **out,
                size_t *len);

/*  Writes len bytes to <scratch>/name and returns the path (a static
    buffer, valid until the next call). */
const char *xf_file (const char *name, const uint8_t *data, size_t len);

/*  Writes a seed: <dir>/<name> (the seed writer, seeds.c). */
void xf_seed (const char *dir, const char *name, const void *data,
              size_t len);

/*  The libFuzzer entry point every target defines, and the optional
    one-time set-up (replay.c calls both, as libFuzzer does). */
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

#endif
