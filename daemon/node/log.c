/*  log.c - operator log lines on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "node/log.h"
#include "store/store.h"
#include "xiecha/date.h"

static char s_code[7] = "------";
static xc_log_level_t s_level = XC_LOG_INFO;

void
xc_log_init (const char *code, xc_log_level_t level)
{
    snprintf (s_code, sizeof s_code, "%s", code);
    s_level = level;
}

static void
s_write (xc_log_level_t level, const char *line, const char *tail)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    char when[32];
    xc_time_iso (xc_now_ms (), when);
    /* One fprintf per line so lines from a crash are never interleaved. */
    fprintf (stderr, "%s xiechad[%s] %s: %s%s\n", when, s_code, names[level],
             line, tail);
}

void
xc_log (xc_log_level_t level, const char *fmt, ...)
{
    if (level > s_level)
        return;
    char line[1024];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (line, sizeof line, fmt, ap);
    va_end (ap);
    s_write (level, line, "");
}

void
xc_log_rc (xc_log_level_t level, int rc, const char *fmt, ...)
{
    if (level > s_level)
        return;
    char line[1024], what[512] = ": ";
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (line, sizeof line, fmt, ap);
    va_end (ap);
    xc_store_describe (rc, what + 2, sizeof what - 2);
    s_write (level, line, what);
}
