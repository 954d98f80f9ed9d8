/*  notify.h - telling systemd how the node is (sd_notify, Type=notify).

    The unit (deploy/xiechad.service) waits for READY=1, which main sends
    once the store is open and checked, the sockets are bound and the
    start is in the audit log: a client connecting then is answered.
    STATUS= lines say what the node does; a reload is framed by
    RELOADING=1 and READY=1; STOPPING=1 comes when the loop ends; and
    WATCHDOG=1 from the loop's tick when the unit sets WatchdogSec (the
    manager then passes WATCHDOG_USEC).  Without NOTIFY_SOCKET (run by
    hand, or in tests) every call does nothing.  Debian's libsystemd
    speaks the protocol. */
#ifndef XIECHAD_NOTIFY_H
#define XIECHAD_NOTIFY_H

/*  READY=1 with STATUS=, printf-style. */
void xc_notify_ready (const char *fmt, ...)
    __attribute__ ((format (printf, 1, 2)));

/*  STATUS=, printf-style. */
void xc_notify_status (const char *fmt, ...)
    __attribute__ ((format (printf, 1, 2)));

/*  RELOADING=1 before a reload; xc_notify_ready after it. */
void xc_notify_reloading (void);

/*  STOPPING=1 with STATUS=status. */
void xc_notify_stopping (const char *status);

/*  WATCHDOG=1 when the manager asked for it (sd_watchdog_enabled) and
    half its interval has passed since the last one; call it from a loop
    timer more frequent than that, so a stuck loop stops the pings. */
void xc_notify_watchdog (void);

#endif
