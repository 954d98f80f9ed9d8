#   county-permit-12m.zpl - "another county": a residence permit held 12
#   months by every family member.
#
#   Encodes docs/policy-documents/dingan-county-residence-application-pilot.txt
#   (定安县居住地申办最低生活保障等社会救助试点工作实施方案), section
#   三（一）明确居住地申办资格条件:
#     1. a household registered in this province (户籍为本省户籍) whose
#        members all hold this county's residence permit (居住证) for at
#        least a year and live here may apply here, with the permit, for
#        低保 DIBAO, 特困供养 TEKUN, 低收入家庭认定 LOW_INCOME and 临时救助
#        TEMP;
#     2. a household registered in another province, on the same permit
#        condition, may apply for DIBAO, TEKUN and LOW_INCOME, and its
#        members who receive 低保, 特困供养 or 低收入 support may apply for
#        TEMP;
#     3. foreign nationals and Hong Kong, Macao and Taiwan residents
#        (外籍人员（含港澳台同胞）) with a residence permit may get TEMP in
#        an emergency where it happens.  They have no registration county,
#        so they are never queried: their emergency aid is a notice without
#        a home county, recorded at this node (xiecha emergency, no --home).
#
#   Each rule below names the paragraph it encodes; "silent" marks a
#   choice where the document says nothing.
policy
    name = "county permit 12 months"
    source = "dingan-county-residence-application-pilot.txt 三（一）1-3: residence permit held 1 year by every member; other-province households TEMP only as DIBAO/TEKUN/LOW_INCOME recipients"

    residence                       # 居住时间 - minimum months lived here
        # Silent on months of residence apart from the permit ("实际居住在
        # 本县" is what the permit attests): no separate minimum.
        temp_months = 0
        dibao_months = 0
        tekun_months = 0
        low_income_months = 0
        dibao_edge_months = 0

    permit                          # 居住证 - residence permit
        # 三（一）1 and 2: every program applied for here is applied for
        # "凭居住证", TEMP included (it was exempt here before).
        # 低保边缘家庭 DIBAO_EDGE is not named; silent: treated as part of
        # 低收入家庭认定, as Hainan's scheme counts it among 低收入家庭.
        required = "all"
        # 三（一）1 and 2: "取得本县居住证满1年以上".
        months = 12
        # 三（一）1 and 2: "家庭所有成员均取得".
        all_members = 1

    out_of_province                 # 跨省 - household registered in another province
        # 三（一）2: "可…申请低保、特困供养及低收入家庭认定" (DIBAO_EDGE as
        # LOW_INCOME, see above).
        allowed = "dibao,tekun,low_income,dibao_edge"
        # 三（一）2: "低保对象、特困供养及低收入家庭人员可凭居住证在居住地
        # 乡镇人民政府申请临时救助": TEMP only for a household this node
        # already pays one of those.
        when_enrolled = "temp"
        enrolled_in = "dibao,tekun,low_income,dibao_edge"

    emergency                       # 急难 - emergency at the place of residence
        # Silent for mainland households.  The national rule of emergency
        # aid first where it happens (先行救助，事后登记) is kept, as
        # city-residence-application-scheme.txt 二（二） and
        # tunxi-district-reform-opinions.txt （十三） ("小金额先行救助，事后
        # 补充说明") write it down: TEMP in an emergency skips the permit
        # and out-of-province rules.  (三（一）3 gives the same to foreign
        # nationals, who are recorded here without any query.)
        temp_bypass = 1
