/*  titles.c - what people call programs, statuses, relations, notice
    kinds and termination reasons, in Chinese and English (text.h).

    The Chinese names are the policy documents' and are not a matter of
    translation, so both languages sit in one table here rather than in
    the catalogue: the printed certificate needs the Chinese name under
    any locale, and the documents' wording must not drift in a .po file. */
#include "xiecha/text.h"

typedef struct {
    const char *en;
    const char *zh;
} s_title_t;

#define S_PICK(table, i)                                                  \
    ((i) > 0 && (size_t) (i) < sizeof table / sizeof table[0]            \
         ? table[i] : s_unknown)

static const s_title_t s_unknown = {"?", "?"};

//  Indexed by Xiecha__Program (xiecha.proto).
static const s_title_t s_programs[] = {
    {NULL, NULL},
    {"minimum living allowance (dibao)", "最低生活保障"},
    {"extreme-poverty support", "特困人员救助供养"},
    {"low-income family", "低收入家庭"},
    {"marginal-dibao family", "低保边缘家庭"},
    {"temporary aid", "临时救助"},
};

//  Indexed by Xiecha__Status.
static const s_title_t s_statuses[] = {
    {NULL, NULL},
    {"not receiving", "未享受"},
    {"receiving", "正在享受"},
};

//  Indexed by Xiecha__Relation: where the registration place lies seen
//  from the residence place.
static const s_title_t s_relations[] = {
    {NULL, NULL},
    {"same county", "同县"},
    {"same city", "同市"},
    {"same province", "同省"},
    {"other province", "跨省"},
};

//  Indexed by Xiecha__NoticeKind.
static const s_title_t s_kinds[] = {
    {NULL, NULL},
    {"enrollment", "纳入救助"},
    {"termination", "终止救助"},
    {"emergency aid", "急难先行救助"},
    {"conflict", "重复享受"},
};

//  Indexed by Xiecha__TerminationReason.
static const s_title_t s_reasons[] = {
    {NULL, NULL},
    {"moved away over 3 months", "离开居住地超过3个月"},
    {"found ineligible at re-check", "复核不再符合条件"},
    {"death", "死亡"},
    {"voluntary withdrawal", "主动退出"},
    {"other", "其他"},
};

static const char *
s_say (s_title_t t)
{
    return xc_text_chinese () ? t.zh : t.en;
}

const char *
xc_program_title (int program)
{
    return s_say (S_PICK (s_programs, program));
}

const char *
xc_program_title_zh (int program)
{
    return S_PICK (s_programs, program).zh;
}

const char *
xc_status_title (int status)
{
    return s_say (S_PICK (s_statuses, status));
}

const char *
xc_relation_title (int relation)
{
    return s_say (S_PICK (s_relations, relation));
}

const char *
xc_relation_title_zh (int relation)
{
    return S_PICK (s_relations, relation).zh;
}

const char *
xc_notice_kind_title (int kind)
{
    return s_say (S_PICK (s_kinds, kind));
}

const char *
xc_reason_title (int reason)
{
    return s_say (S_PICK (s_reasons, reason));
}
