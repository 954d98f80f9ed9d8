#   default.zpl - the permissive policy: no local preconditions.
#
#   For a county whose documents add nothing to the national rules of
#   applying where one lives (户居分离): anyone living here may apply for
#   every program, whatever the relation to their registration county.
#   The registration-side check (does the applicant already receive aid at
#   the registration place?) still runs for every case: this file only
#   decides whether a case may be sent at all.
#
#   Identical to xc_policy_default () apart from name and source.  The
#   national aim it keeps is ministry-pilot-notice-2020.txt 二（四）
#   ("积极探索推进持有居住证人员在居住地申办低保等社会救助"), restated in
#   tunxi-district-reform-opinions.txt （四）; neither sets a precondition.
#   Tunxi 341002 and Lingshui 469028 (lingshui-county-township-approval.txt:
#   township approval, deadlines, confidentiality) set none either, so
#   this is their preset.
policy
    name = "default"
    source = "national rules only; no local preconditions"

    residence                       # 居住时间 - minimum months lived here
        # Silent in the national texts: no minimum, no permit.
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
        allowed = "all"             # may apply for every program
        when_enrolled = "all"       # (nothing is held back for those
        enrolled_in = "all"         #  already enrolled here)

    emergency                       # 急难 - emergency at the place of residence
        # 先行救助，事后登记 (national rule, as
        # tunxi-district-reform-opinions.txt （十三） writes it: "对急难型
        # 临时救助…可采取'小金额先行救助'，事后补充说明"): the place where the
        # emergency happens grants temporary aid first and registers it
        # afterwards.  TEMP applied for there skips every other rule.
        temp_bypass = 1
