/*  id.h - resident ID numbers (GB 11643-1999) and division codes (GB/T 2260).

    Plain ID numbers live only in memory between the client and its own
    node; these helpers validate and normalise them so that the same person
    always yields the same subject ref. */
#ifndef XIECHA_ID_H
#define XIECHA_ID_H

#include <stddef.h>
#include <stdint.h>

#define XC_ID_LEN 18
#define XC_CODE_LEN 6

/*  Validates an 18-character ID number and writes its normal form (ASCII
    digits, check character upper-case 'X', surrounding blanks removed)
    into norm[XC_ID_LEN + 1].  Checks, in order: length, characters, area
    code shape (province 11..82, not 000000), date of birth (a real
    calendar date, not after today's UTC date, year >= 1900), and the
    ISO 7064 MOD 11-2 check character.  Returns 0 or XC_EINVAL with `why`
    naming the rule broken.  `field` names the input in messages (e.g.
    "applicant.id_number"); may be NULL. */
int xc_id_normalize (const char *input, const char *field, char *norm,
                     char *why, size_t why_len);

/*  Returns 1 if code is exactly six ASCII digits with a plausible
    province prefix (11..82), else 0. */
int xc_code_valid (const char *code);

#endif
