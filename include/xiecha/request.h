/*  request.h - the rules a terminal's request to its own node must keep.

    Pure checks over the protobuf request structs a client sends on the
    client socket (xiecha.proto ClientRequest): everything that can be
    decided without the node's state.  The client library runs them before
    anything is sent, so a typo never costs a round trip; the node runs
    the same functions on what arrives, so both refuse the same requests
    with the same words.  What needs the node stays with the node: whether
    home_county is in its trust list, subject refs (the network salt),
    eligibility policy, and anything in its store (enrollments, the
    household a check-in is for).

    Each function checks the fields in the order of the message and
    returns 0, or XC_EINVAL with why naming the field and the rule of the
    first one broken.  Plain ID numbers are validated (xiecha/id.h), never
    kept: the normalised copies made on the way are wiped before the
    function returns.  ID checks and the "in the future" rules read the
    clock: ID birth dates through xc_now_ms, dates through `now`. */
#ifndef XIECHA_REQUEST_H
#define XIECHA_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#define XC_AID_REASON_MAX 64        /* bytes of an emergency's category */
#define XC_AMOUNT_BANDS 5           /* amount_band is 1..XC_AMOUNT_BANDS */
#define XC_NOTICE_WAIT_MAX 3600000  /* ms the node may hold a notice reply */
#define XC_REQUEST_FUTURE_DAYS 1    /* how far ahead a date may lie (clocks,
                                       time zones) */
#define XC_REQUEST_DATE_MIN 19000101  /* aid dates before 1900 are typos */

/*  A query.  Rules, in order:
      home_county   a division code of a unit (not a group row such as
                    469000) in a mainland province (xiecha/division.h):
                    Taiwan, Hong Kong and Macao keep no register here
      applicant     present; id_number a valid ID (xc_id_normalize); name
                    not empty
      members       at most xc_wire_max_subjects () - 1 (wire.h; a
                    notice's: XC_MAX_HOUSEHOLD - 1); each as the
                    applicant, and no person twice (the applicant
                    included)
      applicant     a resident ID: a residence permit's or a foreigner's
                    holder has no registration county to ask
                    (xc_id_kind_has_home)
      programs      at least one; each a known program; none twice */
int xc_request_check_query (const Xiecha__QueryRequest *r, char *why,
                            size_t why_len);

/*  A notice (enrollment, termination, emergency aid).  Rules, in order:
      kind          ENROLLMENT, TERMINATION or EMERGENCY_AID
      applicant, members   as for a query
      home_county   as for a query when the applicant holds a resident
                    ID; empty when it holds a residence permit or a
                    foreigner's ID: no registration county, so the node
                    records the notice itself (the emergency TEMP of
                    dingan-county-residence-application-pilot.txt 三（一）3)
      program       set and known; EMERGENCY_AID: TEMP
      end_date      TERMINATION: a calendar date from 1900 on, at most
                    XC_REQUEST_FUTURE_DAYS after the
                    latest civil date at now (UTC+14)
      reason        TERMINATION: a known termination reason
      member_only   set only on a TERMINATION
      start_date    ENROLLMENT, EMERGENCY_AID: as end_date
      amount_band   EMERGENCY_AID: 1..XC_AMOUNT_BANDS
      aid_reason    EMERGENCY_AID: not empty, at most XC_AID_REASON_MAX
                    bytes
      wait_ms       at most XC_NOTICE_WAIT_MAX
    Other fields that do not apply to the kind are not looked at.  now is
    UTC milliseconds. */
int xc_request_check_notice (const Xiecha__NoticeRequest *r, uint64_t now,
                             char *why, size_t why_len);

/*  A check-in or absence report.  Rules, in order:
      applicant     as for a query
      date          0 (the node's today), or a calendar date at most
                    XC_REQUEST_FUTURE_DAYS after the
                    latest civil date at now (UTC+14)
    (That the date is not before the household's enrollment is the
    node's to check.) */
int xc_request_check_checkin (const Xiecha__CheckinRequest *r, uint64_t now,
                              char *why, size_t why_len);

/*  A due listing: as_of is 0 (the node's today) or a calendar date. */
int xc_request_check_due (const Xiecha__DueRequest *r, char *why,
                          size_t why_len);

/*  The BEGIN of a roster import (its other steps carry rows, checked
    one by one below).  Rules, in order:
      as_of         0 (the node's today), or a calendar date from 1900
                    on, at most XC_REQUEST_FUTURE_DAYS after the
                    latest civil date at now (UTC+14)
      delta         a delta has no date and covers no programs: it
                    changes its rows only
      programs      each a known program, none twice */
int xc_request_check_import (const Xiecha__ImportRequest *r, uint64_t now,
                             char *why, size_t why_len);

/*  A roster show or close.  Rules, in order:
      action        SHOW or CLOSE
      id_number     a valid ID
      program       CLOSE: a known program
      until         CLOSE: 0 (today) or a calendar date from 1900 on, at
                    most XC_REQUEST_FUTURE_DAYS after the
                    latest civil date at now (UTC+14) */
int xc_request_check_roster (const Xiecha__RosterRequest *r, uint64_t now,
                             char *why, size_t why_len);

/*  One roster row of an import.  Rules, in order:
      id_number     a valid ID
      program       a known program
      since         a calendar date from 1900 on
      until         0 (still paid), or a calendar date from 1900 on and
                    not before since
    Messages do not name the row: the caller prefixes its line. */
int xc_request_check_row (const Xiecha__RosterRow *r, char *why,
                          size_t why_len);

#endif
