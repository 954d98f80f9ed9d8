/*  id.c - ID numbers (GB 11643-1999 and its kin) and division codes.

    The normal form matters more than the checks: the subject ref is an
    HMAC over it, so two spellings of one ID must give the same bytes or
    the registration node would not find the person. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "xiecha/date.h"
#include "xiecha/division.h"
#include "xiecha/error.h"
#include "xiecha/id.h"
#include "xiecha/text.h"

/* ISO 7064 MOD 11-2 weights for the first 17 digits, and the check
   character for each remainder. */
static const int s_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
                                  3, 7, 9, 10, 5, 8, 4, 2};
static const char s_check_chars[] = "10X98765432";

/*  Value of n ASCII digits at s, or -1 when any is not a digit. */
static int
s_digits (const char *s, int n)
{
    int value = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit ((unsigned char) s[i]))
            return -1;
        value = value * 10 + (s[i] - '0');
    }
    return value;
}

static char
s_check_char (const char *id17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (id17[i] - '0') * s_weights[i];
    return s_check_chars[sum % 11];
}

/*  Copies input without surrounding blanks into buf[cap]; returns the
    trimmed length, which may exceed cap - 1 (then buf is truncated). */
static size_t
s_trim (const char *input, char *buf, size_t cap)
{
    while (*input && isspace ((unsigned char) *input))
        input++;
    size_t len = strlen (input);
    while (len > 0 && isspace ((unsigned char) input[len - 1]))
        len--;
    size_t copy = len < cap - 1 ? len : cap - 1;
    memcpy (buf, input, copy);
    buf[copy] = '\0';
    return len;
}

/*  Checks the characters: 17 digits, then a digit or X (x is folded). */
static int
s_id_chars (char *id, const char *field, char *why, size_t why_len)
{
    for (int i = 0; i < XC_ID_LEN; i++) {
        unsigned char c = (unsigned char) id[i];
        if (i == XC_ID_LEN - 1 && (c == 'x' || c == 'X')) {
            id[i] = 'X';
            continue;
        }
        if (!isdigit (c)) {
            if (isprint (c))
                return xc_why (why, why_len, XC_EINVAL,
                               _("%s: character %d is '%c', must be a digit%s"),
                               field, i + 1, c,
                               i == XC_ID_LEN - 1 ? _(" or 'X'") : "");
            return xc_why (why, why_len, XC_EINVAL,
                           _("%s: character %d (byte 0x%02x) must be a digit%s"),
                           field, i + 1, c,
                           i == XC_ID_LEN - 1 ? _(" or 'X'") : "");
        }
    }
    return 0;
}

static int
s_id_birth (const char *id, const char *field, char *why, size_t why_len)
{
    int year = s_digits (id + 6, 4);
    int month = s_digits (id + 10, 2);
    int day = s_digits (id + 12, 2);
    uint32_t birth = (uint32_t) (year * 10000 + month * 100 + day);
    if (!xc_date_valid (birth))
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: date of birth %08u is not a calendar date"),
                       field, (unsigned) birth);
    if (year < 1900)
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: date of birth %08u is before 1900"), field,
                       (unsigned) birth);
    /* The latest civil date anywhere now (UTC+14): a child born today
       in Beijing before 08:00 was born "tomorrow" by UTC. */
    uint32_t today = xc_date_from_ms (xc_now_ms () + 14 * 3600 * 1000ULL);
    if (birth > today)
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: date of birth %08u is after today (%08u)"),
                       field, (unsigned) birth, (unsigned) today);
    return 0;
}

/*  The area codes of the HK/Macao/Taiwan residence permits, in kind
    order from XC_ID_HK_PERMIT. */
static const char *s_permit_area[] = {"810000", "820000", "830000"};

/*  A foreigner's number: '9', the issuing mainland province, a country
    code (GB/T 2659 numeric, never 000). */
static int
s_id_foreigner (const char *id, const char *field, char *why, size_t why_len)
{
    char province[XC_CODE_LEN + 1];
    snprintf (province, sizeof province, "%.2s0000", id + 1);
    if (!xc_division_mainland (province))
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: a foreigner's permanent residence ID (9...) "
                         "names the mainland province that issued it in "
                         "characters 2-3; %.2s is none"), field, id + 1);
    if (memcmp (id + 3, "000", 3) == 0)
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: a foreigner's permanent residence ID (9...) "
                         "holds a country code in characters 4-6; 000 is "
                         "none"), field);
    return 0;
}

/*  The first six characters: a mainland area code, a permit's area code
    or a foreigner's prefix. */
static int
s_id_prefix (const char *id, const char *field, char *why, size_t why_len)
{
    if (id[0] == '9')
        return s_id_foreigner (id, field, why, why_len);
    char area[XC_CODE_LEN + 1];
    memcpy (area, id, XC_CODE_LEN);
    area[XC_CODE_LEN] = '\0';
    for (size_t i = 0; i < 3; i++)
        if (memcmp (area, s_permit_area[i], 2) == 0) {
            if (strcmp (area, s_permit_area[i]) == 0)
                return 0;
            return xc_why (why, why_len, XC_EINVAL,
                           _("%s: area code %s: a %s number starts %s"),
                           field, area,
                           xc_id_kind_name (XC_ID_HK_PERMIT + (int) i),
                           s_permit_area[i]);
        }
    if (!xc_code_valid (area))
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: area code %s is not a division code "
                         "(province must be 11..82)"), field, area);
    if (!xc_division_mainland (area))
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: area code %s is not in a province of the "
                         "mainland; Hong Kong, Macao and Taiwan residents' "
                         "permits start 810000, 820000 or 830000"), field,
                       area);
    return 0;
}

int
xc_id_normalize (const char *input, const char *field, char *norm,
                 char *why, size_t why_len)
{
    if (!field)
        field = "id_number";
    if (!input)
        return xc_why (why, why_len, XC_EINVAL, _("%s: missing"), field);

    char id[XC_ID_LEN + 2];
    size_t len = s_trim (input, id, sizeof id);
    if (len != XC_ID_LEN)
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: must be %d characters, got %zu"), field,
                       XC_ID_LEN, len);
    int rc = s_id_chars (id, field, why, why_len);
    if (rc)
        return rc;
    rc = s_id_prefix (id, field, why, why_len);
    if (rc)
        return rc;
    rc = s_id_birth (id, field, why, why_len);
    if (rc)
        return rc;
    char expect = s_check_char (id);
    if (id[17] != expect)
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: check character is '%c' but should be '%c'"),
                       field, id[17], expect);
    memcpy (norm, id, XC_ID_LEN + 1);
    return 0;
}

int
xc_code_valid (const char *code)
{
    if (!code || strlen (code) != XC_CODE_LEN)
        return 0;
    if (s_digits (code, XC_CODE_LEN) < 0)
        return 0;
    int province = s_digits (code, 2);
    return province >= 11 && province <= 82;
}

int
xc_id_kind (const char *norm)
{
    if (!norm || strlen (norm) != XC_ID_LEN)
        return 0;
    if (norm[0] == '9')
        return XC_ID_FOREIGNER;
    for (size_t i = 0; i < 3; i++)
        if (memcmp (norm, s_permit_area[i], XC_CODE_LEN) == 0)
            return XC_ID_HK_PERMIT + (int) i;
    char area[XC_CODE_LEN + 1];
    snprintf (area, sizeof area, "%.6s", norm);
    return xc_division_mainland (area) ? XC_ID_RESIDENT : 0;
}

const char *
xc_id_kind_name (int kind)
{
    switch (kind) {
    case XC_ID_RESIDENT: return _("resident ID");
    case XC_ID_HK_PERMIT: return _("Hong Kong residence permit");
    case XC_ID_MO_PERMIT: return _("Macao residence permit");
    case XC_ID_TW_PERMIT: return _("Taiwan residence permit");
    case XC_ID_FOREIGNER: return _("foreigner's permanent residence ID");
    default: return "?";
    }
}

int
xc_id_kind_has_home (int kind)
{
    return kind == XC_ID_RESIDENT;
}
