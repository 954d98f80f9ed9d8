/*  bytes.h - big-endian integers in byte buffers.

    Every fixed layout xiecha writes (audit entries and keys, index and
    household records, outbox items, checkpoints, export files, Merkle
    frontiers) stores its integers big-endian, so keys sort by number in
    LMDB and files read the same on every machine.  These are the only
    helpers that do it.  p must hold at least 2, 4 or 8 bytes; nothing is
    aligned, nothing is checked. */
#ifndef XIECHA_BYTES_H
#define XIECHA_BYTES_H

#include <stdint.h>

static inline void
xc_put_u16 (uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t) (v >> 8);
    p[1] = (uint8_t) v;
}

static inline void
xc_put_u32 (uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t) (v >> 24);
    p[1] = (uint8_t) (v >> 16);
    p[2] = (uint8_t) (v >> 8);
    p[3] = (uint8_t) v;
}

static inline void
xc_put_u64 (uint8_t *p, uint64_t v)
{
    xc_put_u32 (p, (uint32_t) (v >> 32));
    xc_put_u32 (p + 4, (uint32_t) v);
}

static inline uint16_t
xc_get_u16 (const uint8_t *p)
{
    return (uint16_t) ((uint16_t) p[0] << 8 | p[1]);
}

static inline uint32_t
xc_get_u32 (const uint8_t *p)
{
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16
           | (uint32_t) p[2] << 8 | (uint32_t) p[3];
}

static inline uint64_t
xc_get_u64 (const uint8_t *p)
{
    return (uint64_t) xc_get_u32 (p) << 32 | xc_get_u32 (p + 4);
}

#endif
