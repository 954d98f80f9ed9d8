/*  xt_id.h - valid ID numbers (GB 11643-1999) for tests and benchmarks.

    An ID is 18 characters: a 6-digit division code (the county that
    registered the person), a birth date YYYYMMDD, a 3-digit order code
    and a check character over the first 17, ISO 7064 MOD 11-2 ('0'..'9'
    or 'X').  The check is computed here independently of libxiecha, so
    tests of the library's validation do not check it against itself. */
#ifndef XIECHA_TESTS_XT_ID_H
#define XIECHA_TESTS_XT_ID_H

#include <stddef.h>

#define XT_ID_SIZE 19          /* 18 characters and the NUL */
#define XT_IDS 20160000        /* distinct IDs per county from xt_id_make */

/*  The check character of the first 17 characters, which must be
    digits. */
char xt_id_check (const char *first17);

/*  first17 with its check character appended.  Returns one of 16 static
    buffers, reused in turn. */
const char *xt_id (const char *first17);

/*  A valid ID registered in county (6 digits) made from seq: a real
    birth date (1940-01-01 on) and an order code, distinct for every
    seq < XT_IDS.  Writes XT_ID_SIZE bytes to id. */
void xt_id_make (const char *county, size_t seq, char id[XT_ID_SIZE]);

/*  xt_id_make with the next seq of this process (0, 1, 2, ...): a fresh
    person for every call.  Returns one of 64 static buffers, reused in
    turn. */
const char *xt_id_next (const char *county);

#endif
