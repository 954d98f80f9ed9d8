/*  outcome.h - what became of one message, and the one convention for
    "refused" versus "failed" that every decision follows.

    A decision function returns 0 when it has decided, whatever it
    decided: a refusal is an outcome, written to *out (code and a reason
    naming the field and the rule), audited, and answered.  A non-zero
    return is a failure of the store (or memory) only: the caller's batch
    then aborts for that message (xc_store_nest) or whole (XC_EFULL,
    XC_ESTORE: xc_store_failed) and nothing of it is answered as done.
    Pure checks that cannot fail that way return XC_E* with why through
    xc_why(); the decision that calls them turns that into an outcome. */
#ifndef XIECHAD_OUTCOME_H
#define XIECHAD_OUTCOME_H

typedef struct {
    int code;          /* 0 done, or the XC_E* of the refusal */
    int cause;         /* code XC_EANSWER: the XC_E* the answer was
                          refused for (ESTALE, ESIG, EBINDING, ...); else 0 */
    char why[512];     /* what was done, or why it was refused */
} xc_outcome_t;

/*  Sets *out to code (cause 0) and the formatted reason.  Returns 0, so
    that a decision can `return xc_outcome_set (out, XC_EINVAL, "...")`. */
int xc_outcome_set (xc_outcome_t *out, int code, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

#endif
