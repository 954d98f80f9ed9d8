/*  log.h - one line per event on stderr, ISO 8601 UTC time first, so
    journald and a terminal both read it.  The audit log, not this, is the
    record of what happened; this is for the operator. */
#ifndef XIECHAD_LOG_H
#define XIECHAD_LOG_H

typedef enum { XC_LOG_ERR = 0, XC_LOG_WARN, XC_LOG_INFO, XC_LOG_DEBUG } xc_log_level_t;

/*  Sets the node code shown in each line and the most verbose level
    printed. */
void xc_log_init (const char *code, xc_log_level_t level);

void xc_log (xc_log_level_t level, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

#define xc_err(...) xc_log (XC_LOG_ERR, __VA_ARGS__)
#define xc_warn(...) xc_log (XC_LOG_WARN, __VA_ARGS__)
#define xc_info(...) xc_log (XC_LOG_INFO, __VA_ARGS__)
#define xc_debug(...) xc_log (XC_LOG_DEBUG, __VA_ARGS__)

#endif
