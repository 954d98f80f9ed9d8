/*  date.c - calendar dates and UTC times (xiecha/date.h).

    Reading order: the calendar (leap years, month lengths, which
    YYYYMMDD integers are dates), parsing and the clock, then arithmetic
    on whole days.  One calendar for the library, the daemon and the CLI,
    so an ID's date of birth, a notice's start date and a household's
    check-in are valid by the same rule. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xiecha/date.h"
#include "xiecha/error.h"

/* --------------------------------------------------------------------------
   The calendar
   -------------------------------------------------------------------------- */

static int
s_leap (int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
s_month_days (int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    return month == 2 && s_leap (year) ? 29 : days[month - 1];
}

int
xc_date_valid (uint32_t ymd)
{
    int y = (int) (ymd / 10000), m = (int) (ymd / 100 % 100),
        d = (int) (ymd % 100);
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1
           && d <= s_month_days (y, m);
}

/* --------------------------------------------------------------------------
   Parsing, formatting, the clock
   -------------------------------------------------------------------------- */

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
    if (year < 0 || month < 0 || day < 0)
        return XC_EINVAL;
    uint32_t ymd = (uint32_t) (year * 10000 + month * 100 + day);
    if (!xc_date_valid (ymd))
        return XC_EINVAL;
    if (yyyymmdd)
        *yyyymmdd = ymd;
    return 0;
}

void
xc_date_text (uint32_t ymd, char *out)
{
    snprintf (out, 11, "%04u-%02u-%02u", (unsigned) (ymd / 10000 % 10000),
              (unsigned) (ymd / 100 % 100), (unsigned) (ymd % 100));
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

/* --------------------------------------------------------------------------
   Arithmetic on whole days
   -------------------------------------------------------------------------- */

/*  Days from 0001-01-01 to the first of January of year. */
static int64_t
s_year_start (int year)
{
    int64_t y = year - 1;
    return y * 365 + y / 4 - y / 100 + y / 400;
}

/*  Days from 0001-01-01 to y-m-d. */
static int64_t
s_days_from_year_one (int y, int m, int d)
{
    int64_t days = s_year_start (y);
    for (int i = 1; i < m; i++)
        days += s_month_days (y, i);
    return days + d - 1;
}

#define S_EPOCH_DAYS 719162   /* 0001-01-01 to 1970-01-01 */

int64_t
xc_date_days (uint32_t ymd)
{
    return s_days_from_year_one ((int) (ymd / 10000), (int) (ymd / 100 % 100),
                                 (int) (ymd % 100))
           - S_EPOCH_DAYS;
}

uint32_t
xc_date_of_days (int64_t days)
{
    int64_t n = days + S_EPOCH_DAYS;   /* days since 0001-01-01 */
    /* An estimate within a year or two, then walk to the exact year. */
    int year = (int) (n * 400 / 146097) + 1;
    while (year > 1 && s_year_start (year) > n)
        year--;
    while (s_year_start (year + 1) <= n)
        year++;
    int64_t left = n - s_year_start (year);
    int month = 1;
    while (left >= s_month_days (year, month))
        left -= s_month_days (year, month++);
    return (uint32_t) (year * 10000 + month * 100 + (int) left + 1);
}

int64_t
xc_date_diff (uint32_t a, uint32_t b)
{
    return xc_date_days (b) - xc_date_days (a);
}

uint32_t
xc_date_add_months (uint32_t ymd, int months)
{
    int64_t total = (int64_t) (ymd / 10000) * 12 + (ymd / 100 % 100) - 1
                    + months;
    int y = (int) (total / 12), m = (int) (total % 12) + 1;
    int d = (int) (ymd % 100), last = s_month_days (y, m);
    return (uint32_t) (y * 10000 + m * 100 + (d < last ? d : last));
}

int
xc_time_parse (const char *text, uint64_t *ms)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen (text) != sizeof shape - 1)
        return -1;
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? (text[i] < '0' || text[i] > '9')
                            : text[i] != shape[i])
            return -1;
    char date[11];
    memcpy (date, text, 10);
    date[10] = '\0';
    uint32_t ymd;
    if (xc_date_parse (date, &ymd) != 0)
        return -1;
    struct tm tm = {0};
    tm.tm_year = (int) (ymd / 10000) - 1900;
    tm.tm_mon = (int) (ymd / 100 % 100) - 1;
    tm.tm_mday = (int) (ymd % 100);
    tm.tm_hour = atoi (text + 11);
    tm.tm_min = atoi (text + 14);
    tm.tm_sec = atoi (text + 17);
    if (tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
        return -1;
    time_t secs = timegm (&tm);
    if (secs < 0)
        return -1;
    *ms = (uint64_t) secs * 1000;
    return 0;
}
