/*  division.h - administrative divisions (GB/T 2260): how two places
    relate, and what they are called.

    A division code PPCCDD has a province part PP, a city part CC and a
    county part DD.  The rule, over the code alone:

      PP0000            a provincial-level division (省, 自治区, 直辖市,
                        特别行政区; 34 of them)
      PPCC00, CC != 00  a prefecture-level division (地级市, 地区, 自治州,
                        盟), except two kinds of rows the official list
                        carries that are no unit at all (XC_DIVISION_GROUP):
                        CC = 90, the county-level units a province
                        administers directly (省直辖县级行政区划, e.g.
                        469000), and in a municipality (11, 12, 31, 50)
                        its 市辖区 and 县 rows (110100, 500200)
      PPCCDD, DD != 00  a county-level division (区, 县, 县级市, 旗, 林区)

    The city a unit belongs to: in a municipality, the municipality
    itself (all its districts and counties are one city, Chongqing's
    5002xx counties too); where CC is 90, none (定安县 469021 belongs to
    Hainan and to no city); a province, none; otherwise PPCC00.

    The relation is a rule over the codes and never over a table: every
    node must derive the same relation from the same two codes whatever
    table it holds, since the registration node checks the relation a
    query states (decide/intake.c).  The table (below) gives names and
    says whether a code is listed; a table that disagrees with the rule
    about a code's level or parent does not load.

    The table is a UTF-8 text file, one division a line:

        # comment; blank lines are skipped
        469021<TAB>定安县<TAB>county<TAB>460000
        469021  定安县

    that is, the code, then the name, then optionally the level
    (province, prefecture, county, group) and the parent code ("-" for a
    province), separated by tabs or runs of spaces.  The two-column form
    is the official list as the Ministry of Civil Affairs publishes it
    (代码 名称), so a county replaces the shipped, partial table with the
    full official one by converting that list to lines of code and name.
    Every parent a code has by the rule must be listed too (a group is
    no parent, and need not be). */
#ifndef XIECHA_DIVISION_H
#define XIECHA_DIVISION_H

#include <stddef.h>

/*  Levels, by the rule (xc_division_level). */
enum {
    XC_DIVISION_NONE = 0,        /* not a division code */
    XC_DIVISION_PROVINCE = 1,    /* PP0000 */
    XC_DIVISION_PREFECTURE = 2,  /* PPCC00 */
    XC_DIVISION_COUNTY = 3,      /* PPCCDD */
    XC_DIVISION_GROUP = 4        /* 469000, 110100: a row, not a unit */
};

/*  Bytes of a name, with its NUL: 32 Chinese characters in UTF-8. */
#define XC_DIVISION_NAME_MAX 97

/* ---- the rule ----------------------------------------------------------- */

/*  The level of code (a valid code, xiecha/id.h xc_code_valid), or
    XC_DIVISION_NONE when it is not one. */
int xc_division_level (const char *code);

/*  Writes into parent[7] the unit code belongs to: a county's
    prefecture, or its province where CC is 90 or in a municipality; a
    prefecture's or a group's province.  Returns 0, XC_ENOTFOUND for a
    province (no parent), XC_EINVAL when code is not a division code. */
int xc_division_parent (const char *code, char parent[7]);

/*  Writes into city[7] the city code belongs to (see above).  Returns 0,
    XC_ENOTFOUND when it belongs to no city, XC_EINVAL when code is not a
    division code. */
int xc_division_city (const char *code, char city[7]);

/*  1 when code lies in Beijing, Tianjin, Shanghai or Chongqing. */
int xc_division_municipality (const char *code);

/*  1 when code's province part is one of the 31 provinces of the
    mainland, which keep household registers (户籍); 0 for Taiwan 71,
    Hong Kong 81, Macao 82 and anything that is not a code. */
int xc_division_mainland (const char *code);

/*  Relation between a residence node code and a registration county
    code (XIECHA__RELATION__*): SAME_COUNTY for the same code;
    OTHER_PROVINCE for another province part; SAME_CITY when both belong
    to the same city; else SAME_PROVINCE (two counties a province
    administers directly are SAME_PROVINCE).  RELATION_UNSPECIFIED when
    either is not a division code. */
int xc_relation_of (const char *residence, const char *home);

/*  "province", "prefecture", "county", "group", or "?" . */
const char *xc_division_level_name (int level);

/* ---- the table ---------------------------------------------------------- */

typedef struct _xc_divisions_t xc_divisions_t;

typedef struct {
    char code[7];                      /* division code */
    char name[XC_DIVISION_NAME_MAX];   /* Chinese name, UTF-8 */
    int level;                         /* XC_DIVISION_* by the rule */
} xc_division_t;

/*  Reads and checks the table at path.  Returns NULL with why naming the
    file, the line and the rule when a line is not "code name [level
    parent]", a code is not a division code or is listed twice (both
    lines), a name is empty, too long or holds a control character, a level or parent
    differs from the rule, or a parent is not listed.  Caller owns it. */
xc_divisions_t *xc_divisions_load (const char *path, char *why,
                                   size_t why_len);

/*  The same over text[len]; name stands for the file in messages. */
xc_divisions_t *xc_divisions_parse (const char *text, size_t len,
                                    const char *name, char *why,
                                    size_t why_len);

/*  Frees the table and sets *self_p to NULL; safe on NULL. */
void xc_divisions_destroy (xc_divisions_t **self_p);

/*  Number of divisions listed. */
size_t xc_divisions_size (const xc_divisions_t *self);

/*  The row of code, or NULL when it is not listed.  O(log n).  Valid as
    long as the table. */
const xc_division_t *xc_divisions_find (const xc_divisions_t *self,
                                        const char *code);

/*  Checks code against the rule and the table: a division code, a unit
    (not a group row), and, when self is not NULL, listed.  Returns 0,
    XC_EINVAL (not a code, or a group) or XC_ENOTFOUND (not listed), with
    why naming the code and the rule. */
int xc_divisions_check (const xc_divisions_t *self, const char *code,
                        char *why, size_t why_len);

/*  Where the process's table is read from: $XIECHA_DIVISIONS when set
    and not empty, else the installed data file
    (<datadir>/xiecha/divisions.tsv). */
const char *xc_divisions_default_path (void);

/*  The process's table, read once (thread-safe) from
    xc_divisions_default_path.  NULL when it cannot be read, with why
    (copied each call, may be NULL) saying why; names are then unknown,
    while relations, which need no table, are unchanged. */
const xc_divisions_t *xc_divisions_default (char *why, size_t why_len);

/*  The name of code in the process's table, or NULL when unknown. */
const char *xc_division_name (const char *code);

/*  1 when code is a township (乡镇/街道) code of county: 9 digits, the
    first six county's; else 0.  The one rule for terminals' townships
    (terminal.h) and the township a query or notice carries (wire.h). */
int xc_township_in (const char *code, const char *county);

#endif
