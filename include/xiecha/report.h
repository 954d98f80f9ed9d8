/*  report.h - monthly statistics under the node's electronic seal.

    The policy asks each bureau for monthly statistics by the 20th, under
    electronic seal.  A node computes them from its own audit log and
    signs the serialized Report under XC_CTX_REPORT ("xiecha/v1 report\0"),
    so a report signature can never pass for an envelope, a checkpoint or
    a trust list, nor the other way round.  The SignedReport is saved in
    armor:

        -----BEGIN XIECHA REPORT-----
        <base64 of the SignedReport bytes>
        -----END XIECHA REPORT-----

    and verified offline with the trust list alone.

    Row kinds (ReportRow.kind), each counted per program and relation:
      QUERY_SENT             residence side: a query left this node, once
                             per program asked
      CERTIFICATE_RECEIVED   residence side: a certificate came back, once
                             per program checked
      CERTIFICATE_ISSUED     registration side: a certificate was signed
                             (for a peer or, same county, locally), once
                             per program checked
      SUBJECT_RECEIVING      registration side: per issued certificate,
      SUBJECT_NOT_RECEIVING  program and subject, whether that subject
                             was found receiving that program
      ENROLLMENT_SENT, TERMINATION_SENT, EMERGENCY_AID_SENT
                             residence side: notices queued for (or, same
                             county, applied at) the registration county
      ENROLLMENT_APPLIED, TERMINATION_APPLIED, EMERGENCY_AID_APPLIED
                             registration side: notices applied to the
                             index
      REFUSED                messages from peers that were refused; the
                             program is set for notices only
      CONFLICT_FOUND         both sides: a person paid the program by two
      CONFLICT_RESOLVED      counties in overlapping periods was found
                             (registration side, its roster against the
                             other's notice) or told of (the other side);
                             resolved when one side's enrollment ended.
                             One found already ended counts as resolved
    A message about several programs counts once under each, so summing a
    kind over programs counts program checks, not messages. */
#ifndef XIECHA_REPORT_H
#define XIECHA_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <xiecha/xiecha.pb-c.h>  /* generated from proto/xiecha.proto */
#include "trust.h"

#define XC_ARMOR_REPORT "XIECHA REPORT"
#define XC_MONTH_LEN 7   /* "YYYY-MM" */

/*  Parses a month "YYYY-MM" (year 1970..9999, month 01..12) into the UTC
    milliseconds of its first local instant (*from_ms) and of the first
    local instant of the next month (*to_ms), local being the process's
    zone (zone.h: a node's node/timezone).  Either pointer may be NULL.  Returns 0 or
    XC_EINVAL with why naming the field "month". */
int xc_report_month (const char *month, uint64_t *from_ms, uint64_t *to_ms,
                     char *why, size_t why_len);

/*  Verifies a serialized SignedReport offline: it parses, its key_id is in
    the trust list and belongs to Report.node, the key was valid at
    Report.generated_at, and the signature covers "xiecha/v1 report\0" and
    the report bytes.  Returns 0 with *out set (caller frees with
    xiecha__report__free_unpacked (*out, NULL)); XC_EMALFORMED,
    XC_EUNKNOWN or XC_ESIG with why and *out NULL.  Nothing from an
    unverified report is handed out, so nothing unverified can be shown. */
int xc_report_verify (const uint8_t *signed_report, size_t len,
                      const xc_trust_t *trust, Xiecha__Report **out,
                      char *why, size_t why_len);

#endif
