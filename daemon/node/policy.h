/*  policy.h - the residence node's local eligibility policy.

    Applying for aid where one lives (户居分离) comes with local
    preconditions that differ from place to place: months of residence per
    program, a residence permit (居住证) held for some time, perhaps by
    every household member, and which programs a household from another
    province may apply for before it is enrolled here.  The residence node
    checks them BEFORE it sends anything to the registration county, so a
    case the local rules refuse never leaves the building.

    A policy is read from ZPL (see config/policy/ for presets):

        policy
            name = "Example City"
            source = "which document this encodes"
            residence                   # minimum months of residence
                temp_months = 3
                dibao_months = 6
                tekun_months = 12
                low_income_months = 0
                dibao_edge_months = 0
            permit                      # residence permit (居住证)
                required = "dibao,tekun"    # "" = none, "all" = every program
                months = 12
                all_members = 1
            out_of_province
                allowed = "temp"        # "" = none, "all" = every program
                when_enrolled = "all"   # and these once enrolled here...
                enrolled_in = "all"     # ...in one of these
            emergency
                temp_bypass = 1

    Every preset cites, per rule, the document file and paragraph it
    encodes (a comment line).  Only policy/name is required; every other
    key has the permissive default of xc_policy_default.  Unknown keys are errors, so a typo never
    silently drops a rule.  Program lists name programs as the protocol
    does (DIBAO, TEKUN, LOW_INCOME, DIBAO_EDGE, TEMP), case-blind, '-' for
    '_' accepted, separated by commas. */
#ifndef XIECHAD_POLICY_H
#define XIECHAD_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "xiecha/error.h"

/*  "The policy forbids this case" reuses the refusal code. */
#define XC_EPOLICY_CODE XC_EPOLICY

/*  Highest Xiecha program value (TEMP); arrays are indexed by program. */
#define XC_POLICY_PROGRAMS 6

/*  Mask of all five programs, bits 1..5. */
#define XC_POLICY_ALL_PROGRAMS 0x3Eu

/*  Upper bound of every month count in a policy file: ten years. */
#define XC_POLICY_MAX_MONTHS 120

typedef struct {
    char name[64];                 /* policy/name */
    char source[256];              /* policy/source: which document it encodes */
    int min_residence_months[XC_POLICY_PROGRAMS];
                                   /* index = Xiecha program value 1..5; 0 = no minimum */
    int permit_required[XC_POLICY_PROGRAMS];
                                   /* 1 = residence permit required for that program */
    int permit_months[XC_POLICY_PROGRAMS];
                                   /* how long the permit must have been held */
    int permit_all_members;        /* 1 = every household member must hold it */
    uint32_t out_of_province_programs;
                                   /* bitmask (1u << program) an OTHER_PROVINCE
                                      household may apply for */
    uint32_t out_of_province_when_enrolled;
                                   /* bitmask of the programs it may apply
                                      for besides, once enrolled here in
                                      one of out_of_province_enrolled_in */
    uint32_t out_of_province_enrolled_in;
                                   /* bitmask: enrollments here that open
                                      out_of_province_when_enrolled */
    int emergency_temp_bypass;     /* 1 = TEMP during an emergency skips
                                      residence/permit/registration rules */
} xc_policy_t;

typedef struct {
    int program;                 /* Xiecha program 1..5 */
    int relation;                /* XIECHA__RELATION__* between residence node
                                    and registration county */
    int residence_months;        /* months the household has lived here */
    int permit_months;           /* months the applicant has held a residence
                                    permit; -1 = no permit */
    int members_permit_months;   /* shortest permit holding among the other
                                    members; -1 = some member has none;
                                    INT_MAX when there are no other members */
    int emergency;               /* 1 = applied at the place of an emergency (急难) */
    uint32_t enrolled_programs;  /* bitmask (1u << program) of what this
                                    node pays the household today */
} xc_policy_case_t;

/*  Fills *p with the permissive policy "default": no residence minimum, no
    permit, every program open to other-province households (and, once
    enrolled here in anything, every program again), and the emergency
    bypass for TEMP on (先行救助，事后登记 is national policy). */
void xc_policy_default (xc_policy_t *p);

/*  Loads and checks the ZPL policy file path into *p.  Returns 0, or
    XC_ECONFIG with why naming the file, the key and the rule (unknown key,
    month count outside 0..120, flag not 0 or 1, unknown program name,
    missing policy/name, unreadable file or not ZPL), or XC_ENOMEM.  On
    error *p is left untouched. */
int xc_policy_load (const char *path, xc_policy_t *p, char *why,
                    size_t why_len);

/*  Decides case c under policy p.  Rules, in order:
      1. emergency/temp_bypass: TEMP applied for at the place of an
         emergency is allowed at once;
      2. SAME_COUNTY: the applicant is registered here, local residence
         and permit rules do not apply: allowed;
      3. out_of_province: an OTHER_PROVINCE household may apply for the
         programs of allowed, and for those of when_enrolled only while
         this node pays it one of enrolled_in;
      4. residence/<program>_months: months of residence;
      5. permit/required, permit/months: the applicant's residence permit;
         then permit/all_members: every other member's.
    Returns 0 when allowed, with why (if given) naming the rule that let
    the case through, for the audit log; XC_EPOLICY_CODE when refused, with
    why naming the policy, the rule and the numbers, e.g.
    "policy 'X city': rule residence/dibao_months: DIBAO needs 6 months of
    residence, household has 4"; XC_EINVAL for a bad case (unknown
    program or relation, negative months). */
int xc_policy_check (const xc_policy_t *p, const xc_policy_case_t *c,
                     char *why, size_t why_len);

#endif
