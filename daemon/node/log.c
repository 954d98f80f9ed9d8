/*  log.c - operator log lines on stderr: the one place they are made.

    Every line is "TIME level=L node=CODE event=E [key=value ...]
    [msg=\"...\"]": TIME ISO 8601 UTC with milliseconds, then key=value
    pairs only, a value quoted (\" and \\ escaped, control bytes as
    \xNN) when it holds a space, '=', '"' or anything not printable, so
    a line splits on spaces outside quotes.  Texts stay English in every
    locale (never _()): the operator greps them and so do the tests. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "node/log.h"
#include "store/store.h"
#include "xiecha/date.h"
#include "xiecha/error.h"

static char s_code[7] = "------";
static xc_log_level_t s_level = XC_LOG_INFO;

void
xc_log_init (const char *code, xc_log_level_t level)
{
    snprintf (s_code, sizeof s_code, "%s", code);
    s_level = level;
}

bool
xc_log_enabled (xc_log_level_t level)
{
    return level <= s_level;
}

/*  Appends " key=value" to line at *len, value quoted when it must be. */
static void
s_pair (char *line, size_t size, size_t *len, const char *key,
        const char *value)
{
    bool quote = !*value;
    for (const char *p = value; *p && !quote; p++)
        quote = *p == ' ' || *p == '=' || *p == '"' || *p == '\\'
                || (unsigned char) *p < 0x21 || *p == 0x7f;
    size_t n = *len;
    n += (size_t) snprintf (line + n, n < size ? size - n : 0, " %s=%s", key,
                            quote ? "\"" : "");
    for (const char *p = value; *p && n + 6 < size; p++) {
        unsigned char c = (unsigned char) *p;
        if (quote && (c == '"' || c == '\\'))
            line[n++] = '\\';
        if (c < 0x20 || c == 0x7f)
            n += (size_t) snprintf (line + n, size - n, "\\x%02x", c);
        else
            line[n++] = (char) c;
    }
    if (quote && n + 1 < size)
        line[n++] = '"';
    line[n < size ? n : size - 1] = '\0';
    *len = n < size ? n : size - 1;
}

static void
s_write (xc_log_level_t level, const char *event, const char *const *fields,
         const char *msg)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    char line[2048], when[32];
    xc_time_iso (xc_now_ms (), when);
    size_t len = (size_t) snprintf (line, sizeof line, "%s level=%s node=%s",
                                    when, names[level], s_code);
    s_pair (line, sizeof line, &len, "event", event);
    for (size_t i = 0; fields && fields[i] && fields[i + 1]; i += 2)
        s_pair (line, sizeof line, &len, fields[i], fields[i + 1]);
    if (msg && *msg)
        s_pair (line, sizeof line, &len, "msg", msg);
    /* One fprintf per line so lines from a crash are never interleaved. */
    fprintf (stderr, "%s\n", line);
}

void
xc_log_event (xc_log_level_t level, const char *event,
              const char *const *fields, const char *fmt, ...)
{
    if (level > s_level)
        return;
    char msg[1024] = "";
    if (fmt) {
        va_list ap;
        va_start (ap, fmt);
        vsnprintf (msg, sizeof msg, fmt, ap);
        va_end (ap);
    }
    s_write (level, event, fields, msg);
}

void
xc_log (xc_log_level_t level, const char *fmt, ...)
{
    if (level > s_level)
        return;
    char msg[1024];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (msg, sizeof msg, fmt, ap);
    va_end (ap);
    s_write (level, "note", NULL, msg);
}

void
xc_log_rc (xc_log_level_t level, int rc, const char *fmt, ...)
{
    if (level > s_level)
        return;
    char msg[1024], what[512];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (msg, sizeof msg, fmt, ap);
    va_end (ap);
    xc_store_describe (rc, what, sizeof what);
    size_t n = strlen (msg);
    snprintf (msg + n, sizeof msg - n, ": %s", what);
    const char *name = xc_error_name (rc);
    s_write (level, "failure", XC_KV ("rc", name ? name : "?"), msg);
}
