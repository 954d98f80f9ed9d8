/*  notify.c - sd_notify for the unit; see notify.h. */
#include <czmq.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>

#include "node/notify.h"

/*  Sends head and STATUS= with the text of fmt. */
static void
s_send (const char *head, const char *fmt, va_list ap)
{
    char text[512];
    vsnprintf (text, sizeof text, fmt, ap);
    sd_notifyf (0, "%sSTATUS=%s", head, text);
}

void
xc_notify_ready (const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    s_send ("READY=1\n", fmt, ap);
    va_end (ap);
}

void
xc_notify_status (const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    s_send ("", fmt, ap);
    va_end (ap);
}

void
xc_notify_reloading (void)
{
    sd_notify (0, "RELOADING=1\nSTATUS=reloading the trust list, terminal "
                  "list and policy");
}

void
xc_notify_stopping (const char *status)
{
    sd_notifyf (0, "STOPPING=1\nSTATUS=%s", status);
}

void
xc_notify_watchdog (void)
{
    /*  Asked once: the environment does not change while we run. */
    static bool asked;
    static uint64_t interval_ms, last_ms;
    if (!asked) {
        uint64_t usec = 0;
        if (sd_watchdog_enabled (0, &usec) > 0)
            interval_ms = usec / 2000;   /* half of it, as sd_watchdog_enabled(3)
                                           advises */
        asked = true;
    }
    if (!interval_ms)
        return;
    uint64_t now = (uint64_t) zclock_mono ();
    if (last_ms && now - last_ms < interval_ms)
        return;
    last_ms = now;
    sd_notify (0, "WATCHDOG=1");
}
