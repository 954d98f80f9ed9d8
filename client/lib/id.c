/*  id.c - resident ID numbers (GB 11643-1999), division codes, dates.

    The normal form matters more than the checks: the subject ref is an
    HMAC over it, so two spellings of one ID must give the same bytes or
    the registration node would not find the person. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xiecha/error.h"
#include "xiecha/id.h"

/* ISO 7064 MOD 11-2 weights for the first 17 digits, and the check
   character for each remainder. */
static const int s_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
                                  3, 7, 9, 10, 5, 8, 4, 2};
static const char s_check_chars[] = "10X98765432";

static int
s_is_leap (int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/*  1 when year/month/day name a day of the proleptic Gregorian calendar. */
static int
s_calendar_date (int year, int month, int day)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    if (year < 1 || month < 1 || month > 12 || day < 1)
        return 0;
    int max = days[month - 1] + (month == 2 && s_is_leap (year));
    return day <= max;
}

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
                               "%s: character %d is '%c', must be a digit%s",
                               field, i + 1, c,
                               i == XC_ID_LEN - 1 ? " or 'X'" : "");
            return xc_why (why, why_len, XC_EINVAL,
                           "%s: character %d (byte 0x%02x) must be a digit%s",
                           field, i + 1, c,
                           i == XC_ID_LEN - 1 ? " or 'X'" : "");
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
    if (!s_calendar_date (year, month, day))
        return xc_why (why, why_len, XC_EINVAL,
                       "%s: date of birth %08u is not a calendar date",
                       field, (unsigned) birth);
    if (year < 1900)
        return xc_why (why, why_len, XC_EINVAL,
                       "%s: date of birth %08u is before 1900", field,
                       (unsigned) birth);
    uint32_t today = xc_date_from_ms (xc_now_ms ());
    if (birth > today)
        return xc_why (why, why_len, XC_EINVAL,
                       "%s: date of birth %08u is after today (%08u)",
                       field, (unsigned) birth, (unsigned) today);
    return 0;
}

int
xc_id_normalize (const char *input, const char *field, char *norm,
                 char *why, size_t why_len)
{
    if (!field)
        field = "id_number";
    if (!input)
        return xc_why (why, why_len, XC_EINVAL, "%s: missing", field);

    char id[XC_ID_LEN + 2];
    size_t len = s_trim (input, id, sizeof id);
    if (len != XC_ID_LEN)
        return xc_why (why, why_len, XC_EINVAL,
                       "%s: must be %d characters, got %zu", field,
                       XC_ID_LEN, len);
    int rc = s_id_chars (id, field, why, why_len);
    if (rc)
        return rc;
    char area[XC_CODE_LEN + 1];
    memcpy (area, id, XC_CODE_LEN);
    area[XC_CODE_LEN] = '\0';
    if (!xc_code_valid (area))
        return xc_why (why, why_len, XC_EINVAL,
                       "%s: area code %s is not a division code "
                       "(province must be 11..82)", field, area);
    rc = s_id_birth (id, field, why, why_len);
    if (rc)
        return rc;
    char expect = s_check_char (id);
    if (id[17] != expect)
        return xc_why (why, why_len, XC_EINVAL,
                       "%s: check character is '%c' but should be '%c'",
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
xc_date_parse (const char *text, uint32_t *yyyymmdd)
{
    if (!text)
        return XC_EINVAL;
    size_t len = strlen (text);
    int year, month, day;
    if (len == 8) {
        year = s_digits (text, 4);
        month = s_digits (text + 4, 2);
        day = s_digits (text + 6, 2);
    }
    else
    if (len == 10 && text[4] == '-' && text[7] == '-') {
        year = s_digits (text, 4);
        month = s_digits (text + 5, 2);
        day = s_digits (text + 8, 2);
    }
    else
        return XC_EINVAL;
    if (!s_calendar_date (year, month, day))
        return XC_EINVAL;
    if (yyyymmdd)
        *yyyymmdd = (uint32_t) (year * 10000 + month * 100 + day);
    return 0;
}

uint32_t
xc_date_from_ms (uint64_t ms)
{
    time_t secs = (time_t) (ms / 1000);
    struct tm tm;
    if (!gmtime_r (&secs, &tm))
        return 0;
    return (uint32_t) ((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100
                       + tm.tm_mday);
}

void
xc_time_iso (uint64_t ms, char *out)
{
    time_t secs = (time_t) (ms / 1000);
    struct tm tm;
    if (!gmtime_r (&secs, &tm) || tm.tm_year + 1900 > 9999) {
        snprintf (out, 32, "?");
        return;
    }
    /* The % bounds let the compiler prove the text fits in 32 bytes. */
    snprintf (out, 32, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ",
              (unsigned) (tm.tm_year + 1900) % 10000u,
              (unsigned) (tm.tm_mon + 1) % 100u, (unsigned) tm.tm_mday % 100u,
              (unsigned) tm.tm_hour % 100u, (unsigned) tm.tm_min % 100u,
              (unsigned) tm.tm_sec % 100u, (unsigned) (ms % 1000));
}

uint64_t
xc_now_ms (void)
{
    /* Read on every call, not cached, so a test can move the clock. */
    const char *fake = getenv ("XIECHA_FAKE_NOW_MS");
    if (fake && *fake) {
        char *end;
        unsigned long long value = strtoull (fake, &end, 10);
        if (*end == '\0')
            return (uint64_t) value;
    }
    struct timespec ts;
    clock_gettime (CLOCK_REALTIME, &ts);
    return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}
