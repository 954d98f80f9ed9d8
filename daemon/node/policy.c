/*  policy.c - local eligibility rules, checked before any network traffic.

    The file is read into s_file_t through one schema table (schema.c, as
    for the node config), so every key, its default and its bounds
    live in one row; s_file_t is then turned into the per-program arrays
    of xc_policy_t that the checker indexes directly. */
#include <czmq.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node/policy.h"
#include "node/schema.h"
#include "xiecha/text.h"
#include "xiecha/wire.h"

_Static_assert (XIECHA__PROGRAM__TEMP == XC_POLICY_PROGRAMS - 1,
                "policy arrays are indexed by program value");

/*  The ZPL word for each program, as used in residence/<word>_months. */
static const char *s_word[XC_POLICY_PROGRAMS] = {
    NULL, "dibao", "tekun", "low_income", "dibao_edge", "temp"};

/*  The file as written, before it is spread into per-program arrays. */
typedef struct {
    char name[64];
    char source[256];
    int residence[XC_POLICY_PROGRAMS];
    uint32_t permit_required;
    int permit_months;
    int all_members;
    uint32_t oop_allowed;
    uint32_t oop_when_enrolled;
    uint32_t oop_enrolled_in;
    int temp_bypass;
} s_file_t;

/*  Text and integers are the schema's; program lists s_set_programs's. */
enum {
    T_TEXT = XC_SCHEMA_TEXT,
    T_INT = XC_SCHEMA_INT,
    T_PROGRAMS = XC_SCHEMA_OWN
};

#define STR(f) offsetof (s_file_t, f), sizeof (((s_file_t *) 0)->f)
#define VAL(f) offsetof (s_file_t, f), 0
#define MONTHS(prog, word, NAME)                                             \
    {"policy/residence/" word "_months", T_INT, VAL (residence[prog]), "0",  \
     0, XC_POLICY_MAX_MONTHS, "months of residence needed for " NAME}

static const xc_schema_key_t s_schema[] = {
    {"policy/name", T_TEXT, STR (name), NULL, 0, 0,
     "name quoted in every refusal"},
    {"policy/source", T_TEXT, STR (source), "", 0, 0,
     "the document this policy encodes"},
    MONTHS (1, "dibao", "DIBAO"),
    MONTHS (2, "tekun", "TEKUN"),
    MONTHS (3, "low_income", "LOW_INCOME"),
    MONTHS (4, "dibao_edge", "DIBAO_EDGE"),
    MONTHS (5, "temp", "TEMP"),
    {"policy/permit/required", T_PROGRAMS, VAL (permit_required), "", 0, 0,
     "programs that need a residence permit (居住证)"},
    {"policy/permit/months", T_INT, VAL (permit_months), "0", 0,
     XC_POLICY_MAX_MONTHS, "months the permit must have been held"},
    {"policy/permit/all_members", T_INT, VAL (all_members), "0", 0, 1,
     "1 = every household member must hold the permit"},
    {"policy/out_of_province/allowed", T_PROGRAMS, VAL (oop_allowed), "all",
     0, 0, "programs an other-province household may apply for"},
    {"policy/out_of_province/when_enrolled", T_PROGRAMS,
     VAL (oop_when_enrolled), "all", 0, 0, "programs it may apply for "
     "besides once enrolled here in one of out_of_province/enrolled_in"},
    {"policy/out_of_province/enrolled_in", T_PROGRAMS, VAL (oop_enrolled_in),
     "all", 0, 0, "enrollments here that open out_of_province/"
     "when_enrolled"},
    {"policy/emergency/temp_bypass", T_INT, VAL (temp_bypass), "1", 0, 1,
     "1 = TEMP at the place of an emergency skips all other rules"},
};
#define S_KEYS (sizeof s_schema / sizeof s_schema[0])

void
xc_policy_default (xc_policy_t *p)
{
    memset (p, 0, sizeof *p);
    snprintf (p->name, sizeof p->name, "default");
    snprintf (p->source, sizeof p->source,
              "built in: no local preconditions");
    p->out_of_province_programs = XC_POLICY_ALL_PROGRAMS;
    p->out_of_province_when_enrolled = XC_POLICY_ALL_PROGRAMS;
    p->out_of_province_enrolled_in = XC_POLICY_ALL_PROGRAMS;
    p->emergency_temp_bypass = 1;
}

/*  Parses one program name out of [tok, tok+len), trimmed. */
static int
s_program_token (const char *tok, size_t len)
{
    while (len && isspace ((unsigned char) *tok))
        tok++, len--;
    while (len && isspace ((unsigned char) tok[len - 1]))
        len--;
    char word[32];
    if (len == 0 || len >= sizeof word)
        return 0;
    memcpy (word, tok, len);
    word[len] = '\0';
    return xc_program_parse (word);
}

/*  "dibao, tekun" -> mask; "" -> 0; "all" -> every program.  An empty
    item ("dibao,,tekun") is an error too: it is most likely a typo. */
static int
s_set_programs (const xc_schema_key_t *k, const char *v, const char *file,
                void *dst, char *why, size_t why_len)
{
    uint32_t *mask = (uint32_t *) ((char *) dst + k->offset);
    *mask = 0;
    if (strcasecmp (v, "all") == 0) {
        *mask = XC_POLICY_ALL_PROGRAMS;
        return 0;
    }
    if (*v == '\0')
        return 0;
    for (const char *p = v;; p++) {
        size_t len = strcspn (p, ",");
        int prog = s_program_token (p, len);
        if (!prog)
            return xc_why (why, why_len, XC_ECONFIG,
                           _("%s: %s: unknown program '%.*s' (use DIBAO, "
                             "TEKUN, LOW_INCOME, DIBAO_EDGE, TEMP, \"all\" or "
                             "\"\")"), file, k->key, (int) len, p);
        *mask |= 1u << prog;
        p += len;
        if (*p == '\0')
            return 0;
    }
}

static const xc_schema_t s_policy_schema = {s_schema, S_KEYS, NULL,
                                            s_set_programs};

/*  Spreads the file's view into the per-program arrays the checker uses. */
static void
s_apply (const s_file_t *f, xc_policy_t *p)
{
    memset (p, 0, sizeof *p);
    snprintf (p->name, sizeof p->name, "%s", f->name);
    snprintf (p->source, sizeof p->source, "%s", f->source);
    for (int prog = 1; prog < XC_POLICY_PROGRAMS; prog++) {
        p->min_residence_months[prog] = f->residence[prog];
        p->permit_required[prog] = (f->permit_required >> prog) & 1u;
        p->permit_months[prog] =
            p->permit_required[prog] ? f->permit_months : 0;
    }
    p->permit_all_members = f->all_members;
    p->out_of_province_programs = f->oop_allowed;
    p->out_of_province_when_enrolled = f->oop_when_enrolled;
    p->out_of_province_enrolled_in = f->oop_enrolled_in;
    p->emergency_temp_bypass = f->temp_bypass;
}

int
xc_policy_load (const char *path, xc_policy_t *p, char *why, size_t why_len)
{
    zconfig_t *root;
    int rc = xc_schema_load (path, &root, why, why_len);
    if (rc)
        return rc;
    s_file_t f;
    memset (&f, 0, sizeof f);
    rc = xc_schema_read (&s_policy_schema, root, path, &f, why, why_len);
    zconfig_destroy (&root);
    if (rc == 0)
        s_apply (&f, p);     /* only now: a bad file leaves *p as it was */
    return rc;
}

/*  "DIBAO, TEMP" for a mask, "none" for 0. */
static void
s_mask_text (uint32_t mask, char *out, size_t out_len)
{
    size_t used = 0;
    out[0] = '\0';
    for (int prog = 1; prog < XC_POLICY_PROGRAMS && used < out_len; prog++)
        if (mask & (1u << prog))
            used += snprintf (out + used, out_len - used, "%s%s",
                              used ? ", " : "", xc_program_name (prog));
    if (mask == 0)
        snprintf (out, out_len, "none");
}

static int
s_case_valid (const xc_policy_case_t *c, char *why, size_t why_len)
{
    if (c->program < 1 || c->program >= XC_POLICY_PROGRAMS)
        return xc_why (why, why_len, XC_EINVAL,
                       _("case: program %d is not a Xiecha program (1..5)"),
                       c->program);
    if (c->relation < XIECHA__RELATION__SAME_COUNTY
        || c->relation > XIECHA__RELATION__OTHER_PROVINCE)
        return xc_why (why, why_len, XC_EINVAL,
                       _("case: relation %d is not SAME_COUNTY..OTHER_PROVINCE"),
                       c->relation);
    if (c->residence_months < 0)
        return xc_why (why, why_len, XC_EINVAL,
                       _("case: residence_months %d is negative"),
                       c->residence_months);
    if (c->permit_months < -1 || c->members_permit_months < -1)
        return xc_why (why, why_len, XC_EINVAL,
                       _("case: permit months below -1 (-1 means no permit)"));
    return 0;
}

/*  Rule 3: an other-province household may apply for the programs the
    policy allows, and for those it allows once enrolled here only while
    this node pays it one of the programs that open them. */
static int
s_check_province (const xc_policy_t *p, const xc_policy_case_t *c, char *why,
                  size_t why_len)
{
    uint32_t bit = 1u << c->program;
    if (c->relation != XIECHA__RELATION__OTHER_PROVINCE
        || (p->out_of_province_programs & bit))
        return 0;
    const char *prog = xc_program_name (c->program);
    char list[96];
    if (!(p->out_of_province_when_enrolled & bit)) {
        s_mask_text (p->out_of_province_programs, list, sizeof list);
        return xc_why (why, why_len, XC_EPOLICY_CODE,
                       _("policy '%s': rule out_of_province/allowed: a "
                         "household registered in another province may "
                         "apply for %s; %s is not among them"), p->name, list,
                       prog);
    }
    if (c->enrolled_programs & p->out_of_province_enrolled_in)
        return 0;
    if (p->out_of_province_enrolled_in == XC_POLICY_ALL_PROGRAMS)
        snprintf (list, sizeof list, "any program");
    else
        s_mask_text (p->out_of_province_enrolled_in, list, sizeof list);
    return xc_why (why, why_len, XC_EPOLICY_CODE,
                   _("policy '%s': rule out_of_province/when_enrolled: a "
                     "household registered in another province may apply for "
                     "%s only while it receives %s here; it receives none"),
                   p->name, prog, list);
}

/*  Rule 4: months of residence. */
static int
s_check_residence (const xc_policy_t *p, const xc_policy_case_t *c,
                   char *why, size_t why_len)
{
    int need = p->min_residence_months[c->program];
    if (c->residence_months >= need)
        return 0;
    return xc_why (why, why_len, XC_EPOLICY_CODE,
                   _("policy '%s': rule residence/%s_months: %s needs %d months "
                     "of residence, household has %d"), p->name,
                   s_word[c->program], xc_program_name (c->program), need,
                   c->residence_months);
}

/*  Rule 5: the residence permit, first the applicant's, then (when the
    policy says so) every other member's; -1 means "holds none". */
static int
s_check_permit (const xc_policy_t *p, const xc_policy_case_t *c, char *why,
                size_t why_len)
{
    if (!p->permit_required[c->program])
        return 0;
    const char *prog = xc_program_name (c->program);
    int need = p->permit_months[c->program];
    if (c->permit_months < 0)
        return xc_why (why, why_len, XC_EPOLICY_CODE,
                       _("policy '%s': rule permit/required: %s needs a "
                         "residence permit (居住证), the applicant has none"),
                       p->name, prog);
    if (c->permit_months < need)
        return xc_why (why, why_len, XC_EPOLICY_CODE,
                       _("policy '%s': rule permit/months: %s needs a residence "
                         "permit held %d months, the applicant has held it %d"),
                       p->name, prog, need, c->permit_months);
    if (!p->permit_all_members)
        return 0;
    if (c->members_permit_months < 0)
        return xc_why (why, why_len, XC_EPOLICY_CODE,
                       _("policy '%s': rule permit/all_members: %s needs a "
                         "residence permit for every household member, a "
                         "member has none"), p->name, prog);
    if (c->members_permit_months < need)
        return xc_why (why, why_len, XC_EPOLICY_CODE,
                       _("policy '%s': rule permit/all_members: %s needs every "
                         "household member to have held a residence permit %d "
                         "months, one has held it %d"), p->name, prog, need,
                       c->members_permit_months);
    return 0;
}

int
xc_policy_check (const xc_policy_t *p, const xc_policy_case_t *c, char *why,
                 size_t why_len)
{
    if (!p || !c)
        return xc_why (why, why_len, XC_EINVAL, _("case: no policy or case"));
    int rc = s_case_valid (c, why, why_len);
    if (rc)
        return rc;
    /* 先行救助，事后登记: the place of the emergency helps first, so no
       local precondition may delay temporary aid there. */
    if (c->program == XIECHA__PROGRAM__TEMP && c->emergency
        && p->emergency_temp_bypass)
        return xc_why (why, why_len, 0,
                       _("policy '%s': rule emergency/temp_bypass: TEMP at the "
                         "place of an emergency (急难) is granted first and "
                         "registered afterwards"), p->name);
    /* Registered here: the residence conditions exist only for people who
       live away from their registration place (户居分离). */
    if (c->relation == XIECHA__RELATION__SAME_COUNTY)
        return xc_why (why, why_len, 0,
                       _("policy '%s': registered in this county, residence "
                         "and permit rules do not apply"), p->name);
    if ((rc = s_check_province (p, c, why, why_len))
        || (rc = s_check_residence (p, c, why, why_len))
        || (rc = s_check_permit (p, c, why, why_len)))
        return rc;
    return xc_why (why, why_len, 0,
                   _("policy '%s': %s meets the residence, permit and "
                     "out-of-province rules"), p->name,
                   xc_program_name (c->program));
}
