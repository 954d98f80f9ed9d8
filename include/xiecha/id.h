/*  id.h - ID numbers (GB 11643-1999 and the numbers built like them) and
    division codes (GB/T 2260).

    Plain ID numbers live only in memory between the client and its own
    node; these helpers validate and normalise them so that the same person
    always yields the same subject ref.

    Three kinds of 18-character number share the layout and the ISO 7064
    MOD 11-2 check character of GB 11643 (17 digits, then '0'..'9' or
    'X'), and differ in their first six:

      resident ID (居民身份证)        the area code of a mainland county
                                      (province part one of the 31 of the
                                      mainland), birth date, order, check
      HK/Macao/Taiwan residence       810000 (Hong Kong), 820000 (Macao)
      permit (港澳台居民居住证)       or 830000 (Taiwan), then as above
      foreigner's permanent           '9', the 2-digit mainland province
      residence ID card (外国人永久   that issued it, a 3-digit country
      居留身份证, 2023)               code (GB/T 2659), then as above

    Only a resident ID names a registration county (户籍地): the holders
    of the other two have no household register on the mainland, so no
    registration node can be asked about them (xiecha/request.h). */
#ifndef XIECHA_ID_H
#define XIECHA_ID_H

#include <stddef.h>
#include <stdint.h>

#define XC_ID_LEN 18
#define XC_CODE_LEN 6

/*  Kinds of ID number (xc_id_kind). */
typedef enum {
    XC_ID_RESIDENT = 1,     /* mainland resident ID */
    XC_ID_HK_PERMIT = 2,    /* Hong Kong residents' residence permit */
    XC_ID_MO_PERMIT = 3,    /* Macao residents' residence permit */
    XC_ID_TW_PERMIT = 4,    /* Taiwan residents' residence permit */
    XC_ID_FOREIGNER = 5     /* foreigner's permanent residence ID card */
} xc_id_kind_t;

/*  Validates an 18-character ID number of any of the three kinds and
    writes its normal form (ASCII digits, check character upper-case 'X',
    surrounding blanks removed) into norm[XC_ID_LEN + 1].  Checks, in
    order: length, characters, the first six (a mainland area code, a
    permit's 810000/820000/830000, or '9', a mainland province and a
    country code other than 000), date of birth (a real calendar date,
    not after today's UTC date, year >= 1900), and the ISO 7064 MOD 11-2
    check character.  Returns 0 or XC_EINVAL with `why` naming the rule
    broken.  `field` names the input in messages (e.g.
    "applicant.id_number"); may be NULL. */
int xc_id_normalize (const char *input, const char *field, char *norm,
                     char *why, size_t why_len);

/*  The kind of a number in normal form (as xc_id_normalize wrote it);
    0 when norm is not one. */
int xc_id_kind (const char *norm);

/*  "resident ID", "Hong Kong residence permit", "Macao residence
    permit", "Taiwan residence permit", "foreigner's permanent residence
    ID", or "?"; in the active language (text.h), for people. */
const char *xc_id_kind_name (int kind);

/*  1 when kind names a registration county (a resident ID), 0 for the
    permits and the foreigner's ID, whose holders have none. */
int xc_id_kind_has_home (int kind);

/*  Returns 1 if code is exactly six ASCII digits with a plausible
    province prefix (11..82), else 0. */
int xc_code_valid (const char *code);

#endif
