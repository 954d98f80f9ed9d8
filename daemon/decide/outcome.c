/*  outcome.c - see outcome.h. */
#include <stdarg.h>
#include <stdio.h>

#include "decide/outcome.h"

int
xc_outcome_set (xc_outcome_t *out, int code, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    out->code = code;
    out->cause = 0;
    vsnprintf (out->why, sizeof out->why, fmt, ap);
    va_end (ap);
    return 0;
}
