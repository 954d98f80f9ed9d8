#   default.zpl - the permissive policy: no local preconditions.
#
#   For a county whose documents add nothing to the national rules of
#   applying where one lives (户居分离): anyone living here may apply for
#   every program, whatever the relation to their registration county.
#   The registration-side check (does the applicant already receive aid at
#   the registration place?) still runs for every case: this file only
#   decides whether a case may be sent at all.
#
#   Identical to xc_policy_default () apart from name and source.
policy
    name = "default"
    source = "national rules only; no local preconditions"

    residence                       # 居住时间 - minimum months lived here
        temp_months = 0             # 临时救助 TEMP: no minimum
        dibao_months = 0            # 低保 DIBAO: no minimum
        tekun_months = 0            # 特困供养 TEKUN: no minimum
        low_income_months = 0       # 低收入家庭认定 LOW_INCOME: no minimum
        dibao_edge_months = 0       # 低保边缘家庭 DIBAO_EDGE: no minimum

    permit                          # 居住证 - residence permit
        required = ""               # no program needs one
        months = 0
        all_members = 0

    out_of_province                 # 跨省 - household registered in another province
        allowed = "all"             # may apply for every program before enrolment here

    emergency                       # 急难 - emergency at the place of residence
        # 先行救助，事后登记: the place where the emergency happens grants
        # temporary aid first and registers it afterwards.  TEMP applied
        # for there skips every other rule.
        temp_bypass = 1
