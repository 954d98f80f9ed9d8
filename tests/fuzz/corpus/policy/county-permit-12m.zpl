#   county-permit-12m.zpl - "another county": a residence permit held 12
#   months by every family member.
#
#   Encodes the county rule of docs/policy-documents/dingan-county-residence-application-pilot.txt, lines 12-13: a household
#   whose residence and registration differ (户居分离) may apply here when
#   every family member has held a residence permit (居住证) for at least
#   12 months.  The rule covers the standing programs 低保 DIBAO, 特困供养
#   TEKUN, 低收入家庭认定 LOW_INCOME and 低保边缘家庭 DIBAO_EDGE; temporary
#   aid 临时救助 TEMP is exempt, since it answers a sudden need.
policy
    name = "county permit 12 months"
    source = "another county: residence permit held 12 months by every family member (dingan-county-residence-application-pilot.txt lines 12-13)"

    residence                       # 居住时间 - minimum months lived here
        # Silent on months of residence apart from the permit: chosen no
        # separate minimum (holding a permit 12 months implies living here).
        temp_months = 0
        dibao_months = 0
        tekun_months = 0
        low_income_months = 0
        dibao_edge_months = 0

    permit                          # 居住证 - residence permit
        required = "dibao,tekun,low_income,dibao_edge"  # TEMP exempt
        months = 12                 # held at least 12 months (满12个月)
        all_members = 1             # by every family member (家庭成员均持有)

    out_of_province                 # 跨省 - household registered in another province
        # Silent: the permit rule applies to every household alike;
        # chosen to let other-province households apply for every program.
        allowed = "all"

    emergency                       # 急难 - emergency at the place of residence
        # 先行救助，事后登记 (national rule): TEMP at the place of an
        # emergency is granted first.  TEMP needs no permit here anyway;
        # the bypass also skips the out-of-province rule.
        temp_bypass = 1
