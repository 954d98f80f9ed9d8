#   city-residence-months.zpl - "one city": minimum months of residence.
#
#   Encodes the city rule of docs/policy-documents/city-residence-application-scheme.txt, line 5 (一): an applicant whose
#   residence and registration differ (户居分离) must have lived here at
#   least 3 months for temporary aid, 6 for the minimum living allowance
#   and 12 for extreme-poverty support.
#
#   Where the document is silent, this preset adds no rule of its own (a
#   preset must not refuse what the document allows); a city that applies
#   the DIBAO minimum to related programs sets it below.
policy
    name = "city residence months"
    source = "one city: residence >= 3 months TEMP, 6 DIBAO, 12 TEKUN (city-residence-application-scheme.txt line 5)"

    residence                       # 居住时间 - minimum months lived here
        temp_months = 3             # 临时救助 TEMP: at least 3 months
        dibao_months = 6            # 低保 DIBAO: at least 6 months
        tekun_months = 12           # 特困供养 TEKUN: at least 12 months
        # Silent on 低收入家庭认定 LOW_INCOME and 低保边缘家庭 DIBAO_EDGE:
        # chosen no minimum rather than guessing DIBAO's 6.
        low_income_months = 0
        dibao_edge_months = 0

    permit                          # 居住证 - residence permit
        # Silent: the city rule asks for months of residence, not a permit.
        required = ""
        months = 0
        all_members = 0

    out_of_province                 # 跨省 - household registered in another province
        # Silent: other-province households follow the same residence
        # rule; chosen to let them apply for every program.
        allowed = "all"

    emergency                       # 急难 - emergency at the place of residence
        # 先行救助，事后登记 (national rule): TEMP at the place of an
        # emergency is granted first, so the 3-month minimum does not
        # apply to it.
        temp_bypass = 1
