#   city-residence-months.zpl - "one city": minimum months of residence.
#
#   Encodes docs/policy-documents/city-residence-application-scheme.txt
#   (a Shaanxi city's scheme for applying where one lives), section
#   二、申办条件:
#     （一） an applicant whose residence and registration differ
#            (户居分离) and who owns or rents a home here must have lived
#            here at least 3 months for temporary aid, 6 for the minimum
#            living allowance and 1 year for extreme-poverty support;
#     （二） in an emergency (急难) the place where it happens grants
#            temporary aid first and registers it afterwards, lifting the
#            registration and residence limits.
#   Section 四 (the flows by distance) and 五 (stopping aid after 3 months
#   away) are the registration check itself and the households' due list,
#   not preconditions of this file.
#
#   Each rule below names the paragraph it encodes; "silent" marks a
#   choice where the document says nothing.  A preset must not refuse
#   what the document allows.
policy
    name = "city residence months"
    source = "city-residence-application-scheme.txt 二（一）: residence >= 3 months TEMP, 6 DIBAO, 12 TEKUN; 二（二）: emergency TEMP first"

    residence                       # 居住时间 - minimum months lived here
        # 二（一）: "申请临时救助的困难群众，在本地居住时间不低于3个月".
        temp_months = 3
        # 二（一）: "申请最低生活保障的困难群众，在本地居住时间不低于6个月".
        dibao_months = 6
        # 二（一）: "申请特困人员救助供养的困难群众，在本地居住时间不低于1年".
        tekun_months = 12
        # Silent on 低收入家庭认定 LOW_INCOME and 低保边缘家庭 DIBAO_EDGE:
        # no minimum rather than guessing DIBAO's 6.
        low_income_months = 0
        dibao_edge_months = 0
        # 二（一）also applies to a household registered in another
        # township of this county (户籍跨镇, 四（一）); a node knows
        # counties, not townships, so same-county cases pass this file
        # (daemon/node/policy.h, rule 2) and the township checks them.
        # "原则上按原户籍的性质办理农村低保…或城市低保" chooses the urban
        # or rural variant, not whether one may apply: not encoded.

    permit                          # 居住证 - residence permit
        # Silent: 二（一）asks for months of residence and a home owned or
        # rented here, not for a permit.
        required = ""
        months = 0
        all_members = 0

    out_of_province                 # 跨省 - household registered in another province
        # 四（三）: households from another city or province apply by the
        # same conditions (户籍跨市跨省对象申办流程): every program.
        allowed = "all"
        when_enrolled = "all"
        enrolled_in = "all"

    emergency                       # 急难 - emergency at the place of residence
        # 二（二）: "先行给予救助，紧急情况缓解后，登记…" and, for people
        # stranded by an epidemic, "取消户籍地、居住地申请限制": TEMP at
        # the place of an emergency skips the 3-month minimum.
        temp_bypass = 1
