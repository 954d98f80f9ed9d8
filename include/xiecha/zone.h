/*  zone.h - the node's local time: which day it is, and when a day or a
    month begins, where the county is.

    Case workers, check-ins, due dates, roster snapshots and monthly
    reports all count in local days (Beijing time for every county in
    China), while the wire and the stores keep UTC milliseconds.  A node
    names its zone once (node/timezone, an IANA name, default
    XC_ZONE_DEFAULT) and every local date goes through this module.

    The C library keeps the zone as process state (TZ, read by
    localtime_r and mktime), so a process has one zone, set with
    xc_zone_use before it starts any thread; until then the zone is
    whatever TZ says (UTC when unset on a Debian machine without
    /etc/localtime).  Zone data is the system's (Debian package tzdata,
    /usr/share/zoneinfo, or $TZDIR). */
#ifndef XIECHA_ZONE_H
#define XIECHA_ZONE_H

#include <stddef.h>
#include <stdint.h>

#define XC_ZONE_DEFAULT "Asia/Shanghai"
#define XC_ZONE_MAX 64              /* bytes of a zone name, with its NUL */

/*  Checks that zone is an IANA zone name this machine has data for
    ("Asia/Shanghai", "UTC").  Returns 0, or XC_EINVAL with why naming
    the zone and what is wrong (not a zone name; no such file under the
    zone directory; not zone data). */
int xc_zone_check (const char *zone, char *why, size_t why_len);

/*  Makes zone the process's local time (after xc_zone_check).  Not
    thread-safe: call it before starting threads, or in a single-threaded
    tool.  Returns 0 or the error of xc_zone_check. */
int xc_zone_use (const char *zone, char *why, size_t why_len);

/*  The zone set by xc_zone_use, or "" when none was. */
const char *xc_zone_name (void);

/*  The local date (YYYYMMDD) at UTC milliseconds ms. */
uint32_t xc_zone_date (uint64_t ms);

/*  UTC milliseconds of the first local instant of ymd (its 00:00; the
    first instant after a gap, on a day a clock change skips it).
    ymd must be valid. */
uint64_t xc_zone_day_start (uint32_t ymd);

/*  Formats ms as local time with its offset, "2026-12-02 04:00:00 +08:00",
    into out[32]. */
void xc_zone_time (uint64_t ms, char *out);

#endif
