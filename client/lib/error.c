/*  error.c - error codes and the `why` buffer helper.

    Errors travel as negative integers so every function can return one
    directly; the human text lives here, in one table, so the CLI, the
    daemon log and the audit log all describe a code the same way. */
#include <stdarg.h>
#include <stdio.h>

#include "xiecha/error.h"

const char *
xc_strerror (int code)
{
    switch (code) {
    case XC_OK:           return "success";
    case XC_EINVAL:       return "invalid input";
    case XC_ECONFLICT:    return "already receiving this program elsewhere";
    case XC_ENOTENROLLED: return "no such enrollment";
    case XC_EPOLICY:      return "refused by the local eligibility policy";
    case XC_ENOMEM:       return "out of memory";
    case XC_EIO:          return "input/output error";
    case XC_EMALFORMED:   return "malformed message";
    case XC_ESIG:         return "signature does not verify";
    case XC_EUNKNOWN:     return "sender or key not in the trust list";
    case XC_ERECIPIENT:   return "addressed to another node";
    case XC_ESTALE:       return "message or certificate too old";
    case XC_EFUTURE:      return "created too far in the future";
    case XC_EREPLAY:      return "message id reused with other content";
    case XC_ETOOBIG:      return "over a size limit";
    case XC_ETIMEOUT:     return "timed out";
    case XC_ESTORE:       return "storage failure";
    case XC_EKEY:         return "key missing, unreadable or of the wrong kind";
    case XC_ECONFIG:      return "configuration error";
    case XC_ENOTFOUND:    return "not found";
    case XC_EREFUSED:     return "refused by the peer";
    case XC_EBINDING:     return "answer not bound to the request";
    case XC_EUNREACHABLE: return "registration node unreachable";
    case XC_EINTERNAL:    return "internal error";
    case XC_EFULL:        return "storage map full";
    default:              return "unknown error";
    }
}

int
xc_why (char *why, size_t why_len, int code, const char *fmt, ...)
{
    if (why && why_len > 0) {
        va_list ap;
        va_start (ap, fmt);
        vsnprintf (why, why_len, fmt, ap);
        va_end (ap);
    }
    return code;
}
