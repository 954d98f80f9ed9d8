/*  xt_id.c - valid ID numbers (xt_id.h). */
#include "xt_id.h"

#include <stdio.h>
#include <string.h>

#include "xt_sys.h"

char
xt_id_check (const char *first17)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
                                   3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (first17[i] < '0' || first17[i] > '9')
            xt_fail ("ID '%.17s': character %d is not a digit", first17,
                     i + 1);
        sum += (first17[i] - '0') * weight[i];
    }
    return "10X98765432"[sum % 11];
}

const char *
xt_id (const char *first17)
{
    static char ids[16][XT_ID_SIZE];
    static unsigned next;
    char *id = ids[next++ % 16];
    snprintf (id, XT_ID_SIZE, "%.17s%c", first17, xt_id_check (first17));
    return id;
}

/*  Day, month and year from seq, then the order code: 28 * 12 * 60
    dates times 1000 order codes. */
void
xt_id_make (const char *county, size_t seq, char id[XT_ID_SIZE])
{
    if (strlen (county) != 6 || strspn (county, "0123456789") != 6)
        xt_fail ("'%s' is not a 6-digit division code", county);
    if (seq >= XT_IDS)
        xt_fail ("ID number %zu: only %d distinct ones per county", seq,
                 XT_IDS);
    int day = (int) (seq % 28) + 1;
    int month = (int) (seq / 28 % 12) + 1;
    int year = 1940 + (int) (seq / 336 % 60);
    int order = (int) (seq / 20160 % 1000);
    char first[18];
    snprintf (first, sizeof first, "%s%04d%02d%02d%03d", county, year, month,
              day, order);
    snprintf (id, XT_ID_SIZE, "%s%c", first, xt_id_check (first));
}

const char *
xt_id_next (const char *county)
{
    static char ids[64][XT_ID_SIZE];
    static size_t seq;
    char *id = ids[seq % 64];
    xt_id_make (county, seq++, id);
    return id;
}
