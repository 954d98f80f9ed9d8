/*  zone.c - the node's local time (xiecha/zone.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xiecha/error.h"
#include "xiecha/text.h"
#include "xiecha/zone.h"

static char s_zone[XC_ZONE_MAX];

/*  An IANA name is ASCII letters, digits and "_+-", in parts joined by
    '/'; no part is empty or starts with '.', so the name cannot leave
    the zone directory. */
static int
s_name_ok (const char *zone)
{
    size_t len = strlen (zone);
    if (len == 0 || len >= XC_ZONE_MAX || zone[0] == '/'
        || zone[len - 1] == '/')
        return 0;
    for (const char *p = zone; *p; p++) {
        int part_start = p == zone || p[-1] == '/';
        if ((*p == '/' && part_start) || (*p == '.' && part_start))
            return 0;
        if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z')
            && !(*p >= '0' && *p <= '9') && !strchr ("_+-/.", *p))
            return 0;
    }
    return 1;
}

int
xc_zone_check (const char *zone, char *why, size_t why_len)
{
    if (!zone || !s_name_ok (zone))
        return xc_why (why, why_len, XC_EINVAL, _("node/timezone: '%s' is not "
                         "a time zone name (e.g. %s)"), zone ? zone : "",
                       XC_ZONE_DEFAULT);
    const char *dir = getenv ("TZDIR");
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    char path[512];
    snprintf (path, sizeof path, "%s/%s", dir, zone);
    FILE *f = fopen (path, "rb");
    if (!f)
        return xc_why (why, why_len, XC_EINVAL, _("node/timezone: no zone %s "
                         "(%s not found; is the tzdata package installed?)"),
                       zone, path);
    char magic[4] = {0};
    size_t got = fread (magic, 1, sizeof magic, f);
    fclose (f);
    if (got != sizeof magic || memcmp (magic, "TZif", 4) != 0)
        return xc_why (why, why_len, XC_EINVAL, _("node/timezone: %s is not "
                         "time zone data"), path);
    return 0;
}

int
xc_zone_use (const char *zone, char *why, size_t why_len)
{
    int rc = xc_zone_check (zone, why, why_len);
    if (rc)
        return rc;
    /* A leading ':' makes glibc read the file and never parse the name
       as a POSIX TZ rule ("UTC" would otherwise be read as a rule). */
    char tz[XC_ZONE_MAX + 1];
    snprintf (tz, sizeof tz, ":%s", zone);
    if (setenv ("TZ", tz, 1) != 0)
        return xc_why (why, why_len, XC_ENOMEM, _("node/timezone: cannot set"));
    tzset ();
    snprintf (s_zone, sizeof s_zone, "%s", zone);
    return 0;
}

const char *
xc_zone_name (void)
{
    return s_zone;
}

uint32_t
xc_zone_date (uint64_t ms)
{
    time_t secs = (time_t) (ms / 1000);
    struct tm tm;
    if (!localtime_r (&secs, &tm))
        return 0;
    return (uint32_t) ((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100
                       + tm.tm_mday);
}

uint64_t
xc_zone_day_start (uint32_t ymd)
{
    struct tm tm = {0};
    tm.tm_year = (int) (ymd / 10000) - 1900;
    tm.tm_mon = (int) (ymd / 100 % 100) - 1;
    tm.tm_mday = (int) (ymd % 100);
    tm.tm_isdst = -1;   /* the zone's rule decides, not the caller */
    time_t secs = mktime (&tm);
    return secs < 0 ? 0 : (uint64_t) secs * 1000;
}

void
xc_zone_time (uint64_t ms, char *out)
{
    time_t secs = (time_t) (ms / 1000);
    struct tm tm;
    if (!localtime_r (&secs, &tm) || tm.tm_year + 1900 > 9999) {
        snprintf (out, 32, "?");
        return;
    }
    long off = tm.tm_gmtoff / 60;
    char sign = off < 0 ? '-' : '+';
    off = off < 0 ? -off : off;
    /* The % bounds let the compiler prove the text fits in 32 bytes. */
    snprintf (out, 32, "%04u-%02u-%02u %02u:%02u:%02u %c%02ld:%02ld",
              (unsigned) (tm.tm_year + 1900) % 10000u,
              (unsigned) (tm.tm_mon + 1) % 100u, (unsigned) tm.tm_mday % 100u,
              (unsigned) tm.tm_hour % 100u, (unsigned) tm.tm_min % 100u,
              (unsigned) tm.tm_sec % 100u, sign, off / 60 % 100, off % 60);
}
