/*  log.h - one line per event on stderr, ISO 8601 UTC time first, then
    key=value pairs (log.c says the grammar), so journald, a terminal and
    a log shipper all read it:

      2026-12-02T04:00:00.123Z level=warn node=469021 event=refused
          peer=460100 reason=ERR_BAD_SIGNATURE msg="refused ..."

    (one line).  The audit log, not this, is the record of what happened;
    this is for the operator.  Nothing personal goes in: no ID number,
    no name; subjects are named by ref or not at all. */
#ifndef XIECHAD_LOG_H
#define XIECHAD_LOG_H

#include <stdbool.h>

typedef enum { XC_LOG_ERR = 0, XC_LOG_WARN, XC_LOG_INFO, XC_LOG_DEBUG } xc_log_level_t;

/*  Sets the node code shown in each line and the most verbose level
    printed. */
void xc_log_init (const char *code, xc_log_level_t level);

/*  Whether a line of level would be printed. */
bool xc_log_enabled (xc_log_level_t level);

/*  One event: event names what happened (refused, peer_connect,
    peer_disconnect, reload, key_switch, checkpoint, export, import,
    start, stop, ...); fields are key, value pairs ending in NULL
    (XC_KV) or NULL; fmt (may be NULL) the English text, as msg=. */
void xc_log_event (xc_log_level_t level, const char *event,
                   const char *const *fields, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));
#define XC_KV(...) ((const char *const[]) {__VA_ARGS__, NULL})

/*  A line of event "note" with fmt as its msg. */
void xc_log (xc_log_level_t level, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

/*  The line fmt makes, then ": " and what rc means with, for a failure
    of the store, its errno and step (xc_store_describe): "peer batch of
    3 not stored: the node's data disk is full: No space left on device
    (ENOSPC) committing in /var/lib/xiecha/data". */
void xc_log_rc (xc_log_level_t level, int rc, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

#define xc_err(...) xc_log (XC_LOG_ERR, __VA_ARGS__)
#define xc_err_rc(rc, ...) xc_log_rc (XC_LOG_ERR, (rc), __VA_ARGS__)
#define xc_warn(...) xc_log (XC_LOG_WARN, __VA_ARGS__)
#define xc_info(...) xc_log (XC_LOG_INFO, __VA_ARGS__)
#define xc_debug(...) xc_log (XC_LOG_DEBUG, __VA_ARGS__)

#endif
