/*  date.h - calendar dates and UTC times.

    Dates are YYYYMMDD integers (20260115), as on the wire and in the
    stores: whole days, no time zones, no struct tm.  Times are UTC
    milliseconds; human output is ISO 8601.  Calendar arithmetic is the
    proleptic Gregorian calendar from year 1 to 9999. */
#ifndef XIECHA_DATE_H
#define XIECHA_DATE_H

#include <stdint.h>

/* ---- Dates ------------------------------------------------------------- */

/*  1 if ymd is a real Gregorian date from year 1 to 9999, else 0. */
int xc_date_valid (uint32_t ymd);

/*  Parses "YYYY-MM-DD" or "YYYYMMDD" into a YYYYMMDD integer after
    checking it is a real calendar date.  Returns 0 or XC_EINVAL. */
int xc_date_parse (const char *text, uint32_t *yyyymmdd);

/*  Formats ymd as ISO 8601 "YYYY-MM-DD" into out[11] (for messages and
    human output; any value gives 10 characters). */
void xc_date_text (uint32_t ymd, char *out);

/*  Today's UTC date as YYYYMMDD for the given UTC milliseconds. */
uint32_t xc_date_from_ms (uint64_t ms);

/*  Days since 1970-01-01 (negative before); ymd must be valid. */
int64_t xc_date_days (uint32_t ymd);

/*  The date `days` days after 1970-01-01. */
uint32_t xc_date_of_days (int64_t days);

/*  Whole days from a to b (negative when b is earlier). */
int64_t xc_date_diff (uint32_t a, uint32_t b);

/*  ymd plus months calendar months; a day past the end of the target month
    becomes its last day (Nov 30 + 3 months = Feb 28, or 29 in leap
    years).  months may be negative. */
uint32_t xc_date_add_months (uint32_t ymd, int months);

/* ---- Times ------------------------------------------------------------- */

/*  Formats UTC milliseconds as ISO 8601 "2026-11-23T08:15:30.123Z" into
    out[32]. */
void xc_time_iso (uint64_t ms, char *out);

/*  Parses "YYYY-MM-DDTHH:MM:SSZ" (the form of trust and terminal lists)
    into UTC milliseconds.  Returns 0, or -1 when text has another shape
    or names no such time. */
int xc_time_parse (const char *text, uint64_t *ms);

/*  Current UTC time in milliseconds.  Tests may override it through the
    XIECHA_FAKE_NOW_MS environment variable (the clock is outside the
    system, so it is the one thing tests may fake). */
uint64_t xc_now_ms (void);

#endif
