/*  flushcount.h - the counters bench/flushcount.c keeps in a file. */
#ifndef XIECHA_BENCH_FLUSHCOUNT_H
#define XIECHA_BENCH_FLUSHCOUNT_H

#include <stdint.h>

#define XB_FLUSH_COUNTS_ENV "XC_FLUSH_COUNTS"
#define XB_FLUSH_COUNTS_MAGIC 0x786366636e747331ULL   /* "xcfcnts1" */

typedef struct {
    uint64_t magic;          /* set once the daemon attached */
    uint64_t fdatasync;
    uint64_t fsync;
    uint64_t msync;          /* MS_SYNC only */
    uint64_t dsync_writes;   /* writes to O_DSYNC/O_SYNC descriptors */
} xb_flush_counts_t;

#endif
