# Chinese texts of the case workers' commands (branch i18na): query, cert
# verify/print, status, outbox, notices, checkin/due, ref, report, roster
# show/close, conflicts, and the helpers they print through.
# po/tools/po-fill.py po/zh_CN.po po/parts/i18na.py applies them.
T = {}

# ---- Shared by xiecha.c and cli.c (the exit-status and node-option
# blocks every --help ends with), needed for the Chinese --help.
T["Exit status:\n"
  "  0  answered / ok\n"
  "  1  failure (node error, timeout of the own node, policy refusal,\n"
  "     invalid certificate)\n"
  "  2  bad input (options, fields, files)\n"
  "  3  no answer of the registration node arrived within the deadline\n"
  "     (it is down, not connected, or slow)\n"
  "  4  the registration node answered but the own node refused the\n"
  "     answer: its clock is off (by how much is said), its signature\n"
  "     or key is bad, unknown or revoked, or it does not answer this\n"
  "     query\n"
  "  5  the registration node refused the query with a signed error\n"
  "  6  registration node cannot answer for a program: its roster is\n"
  "     missing or older than the trust list allows\n"
  "  7  audit verify: every signature holds, but some entries are\n"
  "     under no signed checkpoint\n"
  "  8  the own node refused this terminal: it lacks the role the\n"
  "     request needs, or is revoked, expired or not listed\n"] = (
  "退出状态：\n"
  "  0  已答复／成功\n"
  "  1  失败（节点错误、本节点超时、政策拒绝、证明无效）\n"
  "  2  输入有误（选项、字段、文件）\n"
  "  3  超时前未收到户籍地节点的答复（节点停机、未连接或过慢）\n"
  "  4  户籍地节点已答复，但本节点拒绝该答复：对方时钟偏差（会注明\n"
  "     偏差多少），签名或密钥有误、未知或已吊销，或答复与本次查询不符\n"
  "  5  户籍地节点以签名错误拒绝了查询\n"
  "  6  户籍地节点无法就某救助类别作答：名册缺失或早于信任列表允许的期限\n"
  "  7  审计核验：所有签名成立，但部分条目不在任何已签名检查点之下\n"
  "  8  本节点拒绝该终端：缺少请求所需的角色，或已吊销、过期或不在列表中\n")
T["  -s, --socket ENDPOINT  node client endpoint (e.g. ipc:///run/x.sock)\n"
  "  -c, --config FILE      take node/client_bind from a node config\n"
  "      --client-config FILE  a terminal's endpoint and CURVE keys\n"
  "  -t, --timeout MS       wait at most MS ms for the node (10000)\n"
  "                         endpoint order: -s, -c, --client-config,\n"
  "                         $XIECHA_SOCKET, ~/.config/xiecha/client.zpl,\n"
  "                         /etc/xiecha/client.zpl\n"] = (
  "  -s, --socket ENDPOINT  节点的客户端端点（如 ipc:///run/x.sock）\n"
  "  -c, --config FILE      从节点配置中取 node/client_bind\n"
  "      --client-config FILE  终端的端点和 CURVE 密钥\n"
  "  -t, --timeout MS       最多等待节点 MS 毫秒（10000）\n"
  "                         端点的查找顺序：-s、-c、--client-config、\n"
  "                         $XIECHA_SOCKET、~/.config/xiecha/client.zpl、\n"
  "                         /etc/xiecha/client.zpl\n")
T["Usage: xiecha COMMAND [options]\n"
  "       xiecha COMMAND --help\n"
  "\n"
  "Cross-jurisdiction verification of social-assistance enrollment (xiecha %s).\n"
  "\n"
  "Commands:\n"] = (
  "用法：xiecha 命令 [选项]\n"
  "      xiecha 命令 --help\n"
  "\n"
  "社会救助跨地区协查核对（xiecha %s）。\n"
  "\n"
  "命令：\n")
T["\nEvery command takes --json for machine-readable output.\n"] = (
  "\n每个命令都接受 --json，输出供程序读取的结果。\n")
T["\nSee xiecha(1).\n"] = "\n详见 xiecha(1)。\n"

# ---- Help
T["  -h, --help             this text\n\n"] = "  -h, --help             显示本说明\n\n"
T["  -j, --json             machine-readable output\n"] = "  -j, --json             输出供程序读取的结果\n"

T["Usage: xiecha query --id ID --name NAME --home CODE --program P[,P...]\n"
  "                    [--member ID:NAME[:PERMIT_MONTHS]]...\n"
  "                    [--residence-months N] [--permit-months N]\n"
  "                    [--emergency] [--out FILE] [--json]\n"
  "                    [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "Asks the registration county (--home) whether the applicant, and\n"
  "any household members, receive one of the programs there.  The\n"
  "answer is a certificate signed by the registration node.\n"
  "\n"
  "  -i, --id ID            applicant's 18-character ID number\n"
  "  -n, --name NAME        applicant's name (sent to the own node only)\n"
  "  -H, --home CODE        6-digit code of the registration county\n"
  "  -p, --program LIST     dibao, tekun, low_income, dibao_edge, temp;\n"
  "                         comma-separated, may be repeated\n"
  "  -m, --member ID:NAME[:PERMIT_MONTHS]\n"
  "                         a household member; may be repeated; a\n"
  "                         trailing :N says they have held a residence\n"
  "                         permit (居住证) here for N months\n"
  "      --residence-months N  months the household has lived here\n"
  "      --permit-months N  the applicant has held a residence permit\n"
  "                         here for N months (omit: holds none)\n"
  "      --emergency        applying at the place of an emergency\n"
  "                         (急难: temporary aid first, 先行救助)\n"
  "  -o, --out FILE         save the certificate (armored) to FILE\n"
  "  -j, --json             machine-readable output\n"] = (
  "用法：xiecha query --id ID --name NAME --home CODE --program P[,P...]\n"
  "                    [--member ID:NAME[:PERMIT_MONTHS]]...\n"
  "                    [--residence-months N] [--permit-months N]\n"
  "                    [--emergency] [--out FILE] [--json]\n"
  "                    [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "向户籍地县（--home）查询申请人及其家庭成员是否在当地享受所列救助类别。\n"
  "答复是户籍地节点签名的证明。\n"
  "\n"
  "  -i, --id ID            申请人的18位身份证号码\n"
  "  -n, --name NAME        申请人姓名（只发给本节点）\n"
  "  -H, --home CODE        户籍地县的6位区划代码\n"
  "  -p, --program LIST     dibao、tekun、low_income、dibao_edge、temp；\n"
  "                         以逗号分隔，可重复\n"
  "  -m, --member ID:NAME[:PERMIT_MONTHS]\n"
  "                         家庭成员，可重复；末尾的 :N 表示其在本地\n"
  "                         持居住证已满 N 个月\n"
  "      --residence-months N  家庭在本地居住的月数\n"
  "      --permit-months N  申请人在本地持居住证的月数（省略：未持有）\n"
  "      --emergency        在急难发生地申请（急难：先行救助临时救助）\n"
  "  -o, --out FILE         将证明（封装文本）保存到 FILE\n"
  "  -j, --json             输出供程序读取的结果\n")
T["  -h, --help             this text\n"
  "\n"
  "Output shows ID numbers masked (first 6 and last 4) and no names.\n"
  "\n"
  "The own node checks its eligibility policy (months of residence,\n"
  "residence permits, other-province rules) before asking anyone; a\n"
  "query the policy forbids fails with exit 1 and the rule's name.\n"
  "\n"
  "The certificate names, for each program, the date of the roster\n"
  "it rests on (\"roster ... as of\").  A registration node whose\n"
  "roster of a program is missing or older than the trust list\n"
  "allows answers that it cannot say NOT_RECEIVING for it (exit 6).\n"
  "\n"] = (
  "  -h, --help             显示本说明\n"
  "\n"
  "输出中的身份证号码经过遮盖（保留前6位和后4位），不显示姓名。\n"
  "\n"
  "本节点先核对本地的申请条件政策（居住月数、居住证、跨省规则），再向外查询；\n"
  "政策不允许的查询以退出状态1失败，并给出规则名称。\n"
  "\n"
  "证明为每个救助类别注明所依据名册的日期（“名册 … 截至”）。户籍地节点\n"
  "某类别的名册缺失或早于信任列表允许的期限时，会答复无法就此出具未享受\n"
  "结论（退出状态6）。\n"
  "\n")

T["Usage: xiecha cert verify FILE|--qr IMAGE --trust TRUSTFILE\n"
  "                          (--root HEX | --root-file FILE | -c CONFIG)\n"
  "                          [--id ID [--salt FILE]] [--at TIME] [--json]\n"
  "\n"
  "Verifies a certificate saved with `xiecha query --out` offline,\n"
  "starting from the network's root key: the trust list's signature\n"
  "and validity period at TIME, then the envelope, the signature by\n"
  "a key of the issuing node, that key at every time the certificate\n"
  "asserts (created, issued, valid until: inside its window, before\n"
  "its retirement, never a key revoked as compromised), a lifetime\n"
  "within the list's max_cert_lifetime_days, the roster date behind\n"
  "each program checked (present, and no older than the list's\n"
  "max_roster_age_days where a subject is NOT_RECEIVING), and the\n"
  "validity window at TIME (default now).\n"
  "Prints VALID or INVALID: <why>, then what the certificate says.\n"
  "With --qr the certificate is read from the QR code of a printed\n"
  "one (`xiecha cert print`), scanned or photographed (PNG, PGM or\n"
  "PPM); with --id it must also be about that ID number (matched by\n"
  "subject ref with the network salt; the ID goes nowhere).\n"
  "\n"] = (
  "用法：xiecha cert verify FILE|--qr IMAGE --trust TRUSTFILE\n"
  "                          (--root HEX | --root-file FILE | -c CONFIG)\n"
  "                          [--id ID [--salt FILE]] [--at TIME] [--json]\n"
  "\n"
  "离线核验用 `xiecha query --out` 保存的证明，从全网根密钥开始：信任列表\n"
  "在 TIME 时的签名和有效期，然后是信封、出具节点密钥的签名、该密钥在证明\n"
  "所述每个时间（生成、签发、有效期至）的状态（在其有效期内、停用之前、\n"
  "从未因泄露被吊销），证明期限不超过列表的 max_cert_lifetime_days，每个\n"
  "所查救助类别所依据的名册日期（须存在，且对象为未享受时不早于列表的\n"
  "max_roster_age_days），以及在 TIME（默认现在）的有效期。\n"
  "先输出“有效”或“无效：<原因>”，再输出证明的内容。\n"
  "使用 --qr 时，从打印证明（`xiecha cert print`）的二维码扫描件或照片\n"
  "（PNG、PGM 或 PPM）读取证明；使用 --id 时，证明还必须与该身份证号码\n"
  "相符（用全网盐值按对象编号比对，身份证号码不外传）。\n"
  "\n")
T["  -c, --config FILE      a node config: its trust/root and\n"
  "                         trust/list are the defaults, its\n"
  "                         trust/salt the salt for --id\n"
  "  -q, --qr IMAGE         read the certificate from a scan\n"
  "  -i, --id ID            the certificate must be about this person\n"
  "  -S, --salt FILE        the network salt (hex), for --id\n"
  "  -a, --at TIME          check validity at this ISO 8601 time,\n"
  "                         e.g. 2026-11-23T08:00:00Z or 2026-11-23\n"
  "  -j, --json             machine-readable output\n"
  "  -h, --help             this text\n"
  "\n"
  "Exit status:\n"
  "  0  the certificate is valid\n"
  "  1  the certificate is invalid (bad signature, unknown key,\n"
  "     expired, a NOT_RECEIVING without a fresh roster), or not\n"
  "     about the --id given\n"
  "  2  bad input (unreadable file or image, no armor block, no QR\n"
  "     code, a trust list that cannot be loaded, is not signed by\n"
  "     the root key or is not valid at TIME)\n"] = (
  "  -c, --config FILE      节点配置：其 trust/root 和 trust/list 为默认值，\n"
  "                         其 trust/salt 为 --id 所用的盐值\n"
  "  -q, --qr IMAGE         从扫描件读取证明\n"
  "  -i, --id ID            证明必须与此人相符\n"
  "  -S, --salt FILE        全网盐值（十六进制），供 --id 使用\n"
  "  -a, --at TIME          按此 ISO 8601 时间核验有效性，\n"
  "                         如 2026-11-23T08:00:00Z 或 2026-11-23\n"
  "  -j, --json             输出供程序读取的结果\n"
  "  -h, --help             显示本说明\n"
  "\n"
  "退出状态：\n"
  "  0  证明有效\n"
  "  1  证明无效（签名错误、密钥未知、已过期、未享受结论缺少新近名册），\n"
  "     或与所给 --id 不符\n"
  "  2  输入有误（文件或图片无法读取、无封装块、无二维码、信任列表无法\n"
  "     加载、未经根密钥签名或在 TIME 时无效）\n")

T["Usage: xiecha cert print FILE --out OUT.pdf|OUT.html --trust TRUSTFILE\n"
  "                         (--root HEX | --root-file FILE | -c CONFIG)\n"
  "                         [--person ID[:NAME]]... [--township NAME]\n"
  "                         [--salt FILE] [--json]\n"
  "\n"
  "Prints a certificate saved with `xiecha query --out` on one A4\n"
  "page for the case file, the paper 未享受社会救助证明: issuing and\n"
  "requesting county, township, the time of the check (local time),\n"
  "each person's name and masked ID number with the result for every\n"
  "program checked, the roster dates, the signing key and the\n"
  "certificate's fingerprint, and a QR code that holds the whole\n"
  "certificate, so a scan of the paper verifies offline\n"
  "(`xiecha cert verify --qr IMAGE`).  The certificate is verified\n"
  "first; an invalid or expired one is not printed.\n"
  "Names and ID numbers come from --person only (they are never sent\n"
  "to any node): each ID is matched to its subject with the network\n"
  "salt (--salt, or trust/salt of the node config -c), so a wrong ID\n"
  "is refused; subjects no --person names print as （未填写）.\n"
  "\n"
  "  -o, --out FILE         the page: .pdf (A4) or .html\n"] = (
  "用法：xiecha cert print FILE --out OUT.pdf|OUT.html --trust TRUSTFILE\n"
  "                         (--root HEX | --root-file FILE | -c CONFIG)\n"
  "                         [--person ID[:NAME]]... [--township NAME]\n"
  "                         [--salt FILE] [--json]\n"
  "\n"
  "将用 `xiecha query --out` 保存的证明打印在一页 A4 纸上归档，即纸质的\n"
  "未享受社会救助证明：出具县和申请县、乡镇（街道）、核对时间（当地时间）、\n"
  "每人的姓名和遮盖后的身份证号码及各救助类别的结果、名册日期、签名密钥和\n"
  "证明指纹，以及包含整份证明的二维码，扫描纸件即可离线核验\n"
  "（`xiecha cert verify --qr IMAGE`）。打印前先核验证明，无效或过期的不打印。\n"
  "姓名和身份证号码只来自 --person（从不发给任何节点）：每个身份证号码用\n"
  "全网盐值（--salt，或节点配置 -c 的 trust/salt）与对象比对，号码不符即\n"
  "拒绝；没有 --person 对应的对象打印为（未填写）。\n"
  "\n"
  "  -o, --out FILE         输出页面：.pdf（A4）或 .html\n")
T["  -p, --person ID[:NAME] a person of the household (repeatable)\n"
  "  -w, --township NAME    the requesting township (乡镇/街道)\n"
  "  -S, --salt FILE        the network salt (hex), for --person\n"
  "  -c, --config FILE      the own node's config: its trust/root,\n"
  "                         trust/list, trust/salt and node/timezone\n"
  "  -j, --json             machine-readable output\n"
  "  -h, --help             this text\n"
  "\n"
  "Exit status:\n"
  "  0  printed\n"
  "  1  the certificate is invalid or expired (nothing printed)\n"
  "  2  bad input (options, files, an ID that is not a subject)\n"] = (
  "  -p, --person ID[:NAME] 家庭中的一人（可重复）\n"
  "  -w, --township NAME    申请地乡镇（街道）\n"
  "  -S, --salt FILE        全网盐值（十六进制），供 --person 使用\n"
  "  -c, --config FILE      本节点配置：其 trust/root、trust/list、\n"
  "                         trust/salt 和 node/timezone\n"
  "  -j, --json             输出供程序读取的结果\n"
  "  -h, --help             显示本说明\n"
  "\n"
  "退出状态：\n"
  "  0  已打印\n"
  "  1  证明无效或已过期（未打印）\n"
  "  2  输入有误（选项、文件、身份证号码不是证明中的对象）\n")

T["Usage: xiecha checkin --id ID --name NAME [--date YYYY-MM-DD]\n"
  "                      [--absent] [--json]\n"
  "                      [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "Records that a household enrolled here (by `xiecha enroll`) checked\n"
  "in on DATE (default: today).  Households registered in another\n"
  "province check in quarterly; `xiecha due` lists those that did not.\n"
  "Any member's ID stands for the whole household.\n"
  "\n"
  "With --absent, records instead that the household has left since\n"
  "DATE; after 3 months away its aid should stop (xiecha terminate\n"
  "--reason moved_away).  A later check-in ends the absence.\n"
  "\n"
  "  -i, --id ID            ID number of a household member\n"
  "  -n, --name NAME        their name (sent to the own node only)\n"
  "  -d, --date DATE        date of the check-in or of leaving\n"
  "  -a, --absent           the household has left since DATE\n"
  "  -j, --json             machine-readable output\n"] = (
  "用法：xiecha checkin --id ID --name NAME [--date YYYY-MM-DD]\n"
  "                      [--absent] [--json]\n"
  "                      [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "登记在本地纳入救助（`xiecha enroll`）的家庭于 DATE（默认今天）报到。\n"
  "户籍在外省的家庭按季度报到；`xiecha due` 列出未按期报到的家庭。\n"
  "任一家庭成员的身份证号码即代表整个家庭。\n"
  "\n"
  "使用 --absent 时，改为登记该家庭自 DATE 起已离开；离开满3个月应停止救助\n"
  "（xiecha terminate --reason moved_away）。此后再报到即结束离开状态。\n"
  "\n"
  "  -i, --id ID            家庭成员的身份证号码\n"
  "  -n, --name NAME        其姓名（只发给本节点）\n"
  "  -d, --date DATE        报到或离开的日期\n"
  "  -a, --absent           该家庭自 DATE 起已离开\n"
  "  -j, --json             输出供程序读取的结果\n")
T["  -h, --help             this text\n"
  "\n"
  "Output shows the ID number masked (first 6 and last 4).\n"
  "\n"] = (
  "  -h, --help             显示本说明\n"
  "\n"
  "输出中的身份证号码经过遮盖（保留前6位和后4位）。\n"
  "\n")
T["  (1 also when no household of this person is enrolled here)\n"] = (
  "  （本地没有此人所在家庭的救助记录时也为1）\n")
T["Usage: xiecha due [--as-of YYYY-MM-DD] [--id ID [--salt FILE]]\n"
  "                  [--json]\n"
  "                  [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "Lists the households enrolled here that need action as of DATE\n"
  "(default: today):\n"
  "  check-in overdue   registered in another province, and no check-in\n"
  "                     for more than 92 days (they check in quarterly)\n"
  "  absent over 3 months: aid should stop\n"
  "                     any household recorded absent (xiecha checkin\n"
  "                     --absent) more than 3 calendar months ago\n"
  "One row per household: subject ref (first 12 hex characters of the\n"
  "applicant's), registration county, program, enrollment date, last\n"
  "check-in, absent since, reason; absences first, oldest first.\n"
  "With --id, only the household of that person (matched by subject\n"
  "ref with the network salt; the ID goes nowhere).\n"
  "\n"
  "  -a, --as-of DATE       judge as of this date\n"
  "  -i, --id ID            only the household of this ID number\n"
  "  -S, --salt FILE        the network salt (hex), for --id; default\n"
  "                         trust/salt of the node config -c\n"
  "  -j, --json             machine-readable output\n"] = (
  "用法：xiecha due [--as-of YYYY-MM-DD] [--id ID [--salt FILE]]\n"
  "                  [--json]\n"
  "                  [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "列出截至 DATE（默认今天）需要处理的本地纳入救助的家庭：\n"
  "  逾期未报到         户籍在外省，且超过92天未报到（按季度报到）\n"
  "  离开超过3个月，应停止救助\n"
  "                     登记为离开（xiecha checkin --absent）已超过\n"
  "                     3个自然月的家庭\n"
  "每个家庭一行：对象编号（申请人编号的前12个十六进制字符）、户籍地县、\n"
  "救助类别、纳入日期、最近报到、离开日期、原因；离开的在前，最早的在前。\n"
  "使用 --id 时只列出此人所在的家庭（用全网盐值按对象编号比对，身份证号码\n"
  "不外传）。\n"
  "\n"
  "  -a, --as-of DATE       按此日期判断\n"
  "  -i, --id ID            只列出此身份证号码所在的家庭\n"
  "  -S, --salt FILE        全网盐值（十六进制），供 --id 使用；默认为\n"
  "                         节点配置 -c 的 trust/salt\n"
  "  -j, --json             输出供程序读取的结果\n")

T["  -m, --member ID:NAME   a household member; may be repeated\n"
  "  -w, --wait MS          wait up to MS ms for the registration node's\n"
  "                         ack (default 5000; 0: return once queued);\n"
  "                         the node is given at least MS + 5000 ms\n"
  "  -j, --json             machine-readable output\n"] = (
  "  -m, --member ID:NAME   家庭成员，可重复\n"
  "  -w, --wait MS          最多等待户籍地节点确认 MS 毫秒（默认5000；\n"
  "                         0：入队即返回）；给节点的时限至少为\n"
  "                         MS + 5000 毫秒\n"
  "  -j, --json             输出供程序读取的结果\n")
T["  -h, --help             this text\n"
  "\n"
  "The node stores the notice in its outbox before answering and keeps\n"
  "delivering it until the registration node acks; see 'xiecha outbox'.\n"
  "Output shows neither names nor ID numbers.\n"
  "\n"
  "Exit status:\n"
  "  0  queued (delivered or not yet: an undelivered notice stays queued)\n"
  "  1  refused by the registration node (already receiving the program\n"
  "     there, no such enrollment to terminate), or another failure\n"
  "     (node error, timeout)\n"
  "  2  bad input (options, fields); nothing was sent\n"
  "  5  refused by the registration node with another signed error\n"] = (
  "  -h, --help             显示本说明\n"
  "\n"
  "节点在答复前将告知存入待确认告知，并持续投递直到户籍地节点确认；\n"
  "见 'xiecha outbox'。输出不显示姓名和身份证号码。\n"
  "\n"
  "退出状态：\n"
  "  0  已入队（已投递或尚未投递：未投递的告知留在队列中）\n"
  "  1  被户籍地节点拒绝（已在当地享受该救助类别、没有可终止的救助记录），\n"
  "     或其他失败（节点错误、超时）\n"
  "  2  输入有误（选项、字段）；未发送任何内容\n"
  "  5  被户籍地节点以其他签名错误拒绝\n")
T["Usage: xiecha enroll --id ID --name NAME --home CODE --program P\n"
  "                     --since YYYY-MM-DD [--member ID:NAME]...\n"
  "                     [--wait MS] [--json] [-s ENDPOINT | -c CONFIG]\n"
  "                     [--timeout MS]\n"
  "\n"
  "Reports to the registration county (--home) that the applicant's\n"
  "household was enrolled in a program here.  The registration node\n"
  "refuses it when the household already receives the program there.\n"
  "\n"
  "  -i, --id ID            applicant's 18-character ID number\n"
  "  -n, --name NAME        applicant's name (sent to the own node only)\n"
  "  -H, --home CODE        6-digit code of the registration county\n"
  "  -p, --program P        dibao, tekun, low_income, dibao_edge, temp\n"
  "      --since DATE       first day of the enrollment (YYYY-MM-DD)\n"] = (
  "用法：xiecha enroll --id ID --name NAME --home CODE --program P\n"
  "                     --since YYYY-MM-DD [--member ID:NAME]...\n"
  "                     [--wait MS] [--json] [-s ENDPOINT | -c CONFIG]\n"
  "                     [--timeout MS]\n"
  "\n"
  "告知户籍地县（--home）申请人家庭已在本地纳入某救助类别。该家庭已在\n"
  "户籍地享受该类别时，户籍地节点予以拒绝。\n"
  "\n"
  "  -i, --id ID            申请人的18位身份证号码\n"
  "  -n, --name NAME        申请人姓名（只发给本节点）\n"
  "  -H, --home CODE        户籍地县的6位区划代码\n"
  "  -p, --program P        dibao、tekun、low_income、dibao_edge、temp\n"
  "      --since DATE       救助开始日期（YYYY-MM-DD）\n")
T["Usage: xiecha terminate --id ID --name NAME --home CODE --program P\n"
  "                        --end YYYY-MM-DD --reason REASON\n"
  "                        [--member-only] [--member ID:NAME]...\n"
  "                        [--wait MS] [--json]\n"
  "                        [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "Reports to the registration county (--home) that an enrollment made\n"
  "here has ended.  Only enrollments this node reported can end.\n"
  "A household is ended as one: when the person named (applicant or\n"
  "member) was enrolled here with a household in the program, every\n"
  "member's enrollment ends with it, as a check-in by any member is\n"
  "the household's.  --member-only ends only the people named.\n"
  "\n"
  "  -i, --id ID            applicant's 18-character ID number\n"
  "  -n, --name NAME        applicant's name (sent to the own node only)\n"
  "  -H, --home CODE        6-digit code of the registration county\n"
  "  -p, --program P        dibao, tekun, low_income, dibao_edge, temp\n"
  "      --end DATE         last day of the enrollment (YYYY-MM-DD)\n"
  "      --reason REASON    moved_away, recheck_ineligible, death,\n"
  "                         voluntary, other\n"
  "      --member-only      end only --id (and any --member), not the\n"
  "                         rest of their household\n"] = (
  "用法：xiecha terminate --id ID --name NAME --home CODE --program P\n"
  "                        --end YYYY-MM-DD --reason REASON\n"
  "                        [--member-only] [--member ID:NAME]...\n"
  "                        [--wait MS] [--json]\n"
  "                        [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "告知户籍地县（--home）在本地的一项救助已终止。只能终止本节点告知过的\n"
  "救助记录。家庭整体终止：所指的人（申请人或家庭成员）随家庭在本地纳入\n"
  "该类别时，每个家庭成员的救助随之终止，正如任一成员报到即代表全家。\n"
  "--member-only 只终止所指的人。\n"
  "\n"
  "  -i, --id ID            申请人的18位身份证号码\n"
  "  -n, --name NAME        申请人姓名（只发给本节点）\n"
  "  -H, --home CODE        户籍地县的6位区划代码\n"
  "  -p, --program P        dibao、tekun、low_income、dibao_edge、temp\n"
  "      --end DATE         救助最后一天（YYYY-MM-DD）\n"
  "      --reason REASON    moved_away、recheck_ineligible、death、\n"
  "                         voluntary、other\n"
  "      --member-only      只终止 --id（及各 --member），不终止家庭其他成员\n")
T["Usage: xiecha emergency --id ID --name NAME [--home CODE]\n"
  "                        --date YYYY-MM-DD --band 1..5\n"
  "                        --reason-category TEXT [--member ID:NAME]...\n"
  "                        [--wait MS] [--json] [-s ENDPOINT | -c CONFIG]\n"
  "                        [--timeout MS]\n"
  "\n"
  "Reports to the registration county (--home) temporary aid (TEMP)\n"
  "granted here first, to be registered there afterwards.  A person\n"
  "without a mainland resident ID, who holds a residence permit for\n"
  "Hong Kong, Macao or Taiwan residents (810000/820000/830000...) or\n"
  "a foreigner's permanent residence ID (9...), has no registration\n"
  "county: give no --home, and the aid is recorded at the own node.\n"
  "\n"
  "  -i, --id ID            applicant's 18-character ID number\n"
  "  -n, --name NAME        applicant's name (sent to the own node only)\n"
  "  -H, --home CODE        6-digit code of the registration county;\n"
  "                         required for a resident ID\n"
  "      --date DATE        day the aid was granted (YYYY-MM-DD)\n"
  "      --band N           amount band, 1..5 as the policy defines\n"
  "      --reason-category TEXT\n"
  "                         why, e.g. illness, accident, disaster\n"] = (
  "用法：xiecha emergency --id ID --name NAME [--home CODE]\n"
  "                        --date YYYY-MM-DD --band 1..5\n"
  "                        --reason-category TEXT [--member ID:NAME]...\n"
  "                        [--wait MS] [--json] [-s ENDPOINT | -c CONFIG]\n"
  "                        [--timeout MS]\n"
  "\n"
  "告知户籍地县（--home）在本地先行给予的临时救助（TEMP），事后在户籍地\n"
  "登记。没有内地居民身份证、持港澳台居民居住证（810000/820000/830000…）\n"
  "或外国人永久居留身份证（9…）的人没有户籍地县：不给 --home，救助记录\n"
  "在本节点。\n"
  "\n"
  "  -i, --id ID            申请人的18位身份证号码\n"
  "  -n, --name NAME        申请人姓名（只发给本节点）\n"
  "  -H, --home CODE        户籍地县的6位区划代码；居民身份证必填\n"
  "      --date DATE        给予救助的日期（YYYY-MM-DD）\n"
  "      --band N           金额档次，1..5，按政策规定\n"
  "      --reason-category TEXT\n"
  "                         原因，如疾病、事故、灾害\n")

T["Usage: xiecha outbox [--id ID [--salt FILE]] [--json]\n"
  "                     [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "Lists the notices (enroll, terminate, emergency) the node still\n"
  "delivers because the registration node has not acked them: id\n"
  "(first 12 hex characters), kind, registration county, age, delivery\n"
  "attempts and time to the next attempt.  A notice the registration\n"
  "node refused shows REJECTED instead.  With --id, only the notices\n"
  "about that person (matched by subject ref with the network salt;\n"
  "the ID goes nowhere).\n"
  "\n"
  "  -i, --id ID            only notices about this ID number\n"
  "  -S, --salt FILE        the network salt (hex), for --id; default\n"
  "                         trust/salt of the node config -c\n"
  "  -j, --json             machine-readable output (an array)\n"] = (
  "用法：xiecha outbox [--id ID [--salt FILE]] [--json]\n"
  "                     [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "列出户籍地节点尚未确认、本节点仍在投递的告知（纳入、终止、急难）：编号\n"
  "（前12个十六进制字符）、种类、户籍地县、已过时间、投递次数和距下次投递\n"
  "的时间。被户籍地节点拒绝的告知显示为“已拒绝”。使用 --id 时只列出关于\n"
  "此人的告知（用全网盐值按对象编号比对，身份证号码不外传）。\n"
  "\n"
  "  -i, --id ID            只列出关于此身份证号码的告知\n"
  "  -S, --salt FILE        全网盐值（十六进制），供 --id 使用；默认为\n"
  "                         节点配置 -c 的 trust/salt\n"
  "  -j, --json             输出供程序读取的结果（数组）\n")

T["Usage: xiecha ref --id ID [--id ID]... (-c CONFIG | --salt FILE)\n"
  "                  [--json]\n"
  "\n"
  "Prints the subject reference of each ID number: HMAC-SHA256 of the\n"
  "ID under the network salt, the only name nodes, certificates and\n"
  "audit logs give a person.  Computed here, with the salt of the own\n"
  "node's config (trust/salt) or --salt; the ID is sent nowhere and\n"
  "stored nowhere.  Tables show the first 12 hex characters.\n"
  "\n"
  "  -i, --id ID            an ID number (repeatable)\n"
  "  -c, --config FILE      the own node's config (its trust/salt)\n"
  "  -S, --salt FILE        the network salt (hex)\n"
  "  -j, --json             machine-readable output\n"
  "  -h, --help             this text\n"
  "\n"
  "Exit status:\n"
  "  0  printed\n"
  "  2  bad input (options, an ID number that is not one, no salt)\n"] = (
  "用法：xiecha ref --id ID [--id ID]... (-c CONFIG | --salt FILE)\n"
  "                  [--json]\n"
  "\n"
  "输出每个身份证号码的对象编号：以全网盐值对身份证号码计算的 HMAC-SHA256，\n"
  "是节点、证明和审计日志中对一个人的唯一称呼。在本机用本节点配置的盐值\n"
  "（trust/salt）或 --salt 计算；身份证号码既不外传也不存储。表格中显示\n"
  "前12个十六进制字符。\n"
  "\n"
  "  -i, --id ID            身份证号码（可重复）\n"
  "  -c, --config FILE      本节点配置（其 trust/salt）\n"
  "  -S, --salt FILE        全网盐值（十六进制）\n"
  "  -j, --json             输出供程序读取的结果\n"
  "  -h, --help             显示本说明\n"
  "\n"
  "退出状态：\n"
  "  0  已输出\n"
  "  2  输入有误（选项、不是身份证号码、没有盐值）\n")

T["Usage: xiecha report monthly --month YYYY-MM [--out FILE] [--json]\n"
  "                             [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "       xiecha report verify FILE --trust TRUSTFILE (--root HEX |\n"
  "                            --root-file FILE | -c CONFIG) [--json]\n"
  "\n"
  "monthly  asks the own node for the statistics of a month in its\n"
  "         time zone (node/timezone, Beijing time by default; the\n"
  "         current month gives the counts so far), computed from its\n"
  "         audit log and signed with its key (the electronic seal).\n"
  "         Prints one row per kind, program, relation and township\n"
  "         (the terminal's township that asked or reported; on the\n"
  "         registration side the township a query or notice names),\n"
  "         totals per kind and per township and kind, and the seal's\n"
  "         key id; --out saves the sealed report\n"
  "         armored (-----BEGIN XIECHA REPORT-----).\n"
  "verify   checks a saved report offline with the trust list (its\n"
  "         root signature and validity period now first): the\n"
  "         key belongs to the reporting node and was valid when the\n"
  "         report was generated, and the seal verifies.  Prints VALID\n"
  "         or INVALID: <why>, then the table (only when valid).\n"
  "\n"
  "Row kinds: QUERY_SENT, CERTIFICATE_RECEIVED (residence side);\n"
  "CERTIFICATE_ISSUED, SUBJECT_RECEIVING, SUBJECT_NOT_RECEIVING\n"
  "(registration side); ENROLLMENT_SENT, TERMINATION_SENT,\n"
  "EMERGENCY_AID_SENT (reported to the registration county);\n"
  "ENROLLMENT_APPLIED, TERMINATION_APPLIED, EMERGENCY_AID_APPLIED\n"
  "(reported to this node); REFUSED (peer messages refused).  A\n"
  "message about several programs counts once under each.\n"
  "\n"
  "  -m, --month YYYY-MM    the month (the node's local time)\n"
  "  -o, --out FILE         save the sealed report, armored\n"
  "verify takes the trust anchor options:\n"] = (
  "用法：xiecha report monthly --month YYYY-MM [--out FILE] [--json]\n"
  "                             [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "      xiecha report verify FILE --trust TRUSTFILE (--root HEX |\n"
  "                            --root-file FILE | -c CONFIG) [--json]\n"
  "\n"
  "monthly  向本节点索取按其时区（node/timezone，默认北京时间）统计的某月\n"
  "         报表（当月为截至目前的数字），由其审计日志计算并以其密钥签名\n"
  "         （电子签章）。每个种类、救助类别、两地关系和乡镇（街道）一行\n"
  "         （居住地一侧为查询或告知的终端所属乡镇；户籍地一侧为查询或\n"
  "         告知所写的乡镇），另有按种类及按乡镇和种类的合计，以及签章的\n"
  "         密钥编号；--out 将签章报表以封装文本保存\n"
  "         （-----BEGIN XIECHA REPORT-----）。\n"
  "verify   用信任列表（先核验其根签名和当前有效期）离线核验保存的报表：\n"
  "         密钥属于出具报表的节点、生成报表时有效，且签章成立。\n"
  "         先输出“有效”或“无效：<原因>”，再输出表格（仅在有效时）。\n"
  "\n"
  "行种类：QUERY_SENT、CERTIFICATE_RECEIVED（居住地一侧）；\n"
  "CERTIFICATE_ISSUED、SUBJECT_RECEIVING、SUBJECT_NOT_RECEIVING\n"
  "（户籍地一侧）；ENROLLMENT_SENT、TERMINATION_SENT、\n"
  "EMERGENCY_AID_SENT（告知户籍地县）；\n"
  "ENROLLMENT_APPLIED、TERMINATION_APPLIED、EMERGENCY_AID_APPLIED\n"
  "（告知本节点）；REFUSED（被拒绝的对端节点消息）。涉及多个救助类别的\n"
  "消息在每个类别下各计一次。\n"
  "\n"
  "  -m, --month YYYY-MM    月份（节点当地时间）\n"
  "  -o, --out FILE         以封装文本保存签章报表\n"
  "verify 接受信任锚选项：\n")
T["  -h, --help             this text\n"
  "\n"
  "Exit status:\n"
  "  0  report made / the report is valid\n"
  "  1  failure (node error, timeout, file not saved) / the report is\n"
  "     invalid (bad seal, unknown key, key of another node)\n"
  "  2  bad input (options, month, unreadable file, no armor block,\n"
  "     a trust list that cannot be loaded, is not signed by the\n"
  "     root key or has expired)\n"] = (
  "  -h, --help             显示本说明\n"
  "\n"
  "退出状态：\n"
  "  0  报表已生成／报表有效\n"
  "  1  失败（节点错误、超时、文件未保存）／报表无效（签章错误、密钥未知、\n"
  "     密钥属于其他节点）\n"
  "  2  输入有误（选项、月份、文件无法读取、无封装块、信任列表无法加载、\n"
  "     未经根密钥签名或已过期）\n")

T["Usage: xiecha roster show --id ID [--json]\n"
  "       xiecha roster close --id ID --program P [--until YYYY-MM-DD]\n"
  "                           [--json]\n"
  "                           [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "show   lists every enrollment of the person at the own node, of\n"
  "       every paying county, ended ones included, and the date of\n"
  "       the node's last roster snapshot of each program.\n"
  "close  ends the enrollment of the person and program that this\n"
  "       node's own roster pays on --until (default: today), as the\n"
  "       next snapshot would if it left the person out.  Nothing is\n"
  "       deleted; enrollments other counties reported by notice are\n"
  "       theirs to end (xiecha terminate there).  A conflict the\n"
  "       enrollment was in is resolved, and the other county told.\n"
  "To correct an enrollment's dates, import a one-row file with\n"
  "`xiecha import --delta`: a new since replaces the open one.\n"
  "Both are recorded in the audit log.\n"
  "\n"
  "  -i, --id ID            the person's ID number\n"
  "  -p, --program P        close: dibao, tekun, low_income,\n"
  "                         dibao_edge or temp\n"
  "  -u, --until DATE       close: the last day paid\n"
  "  -j, --json             machine-readable output\n"] = (
  "用法：xiecha roster show --id ID [--json]\n"
  "      xiecha roster close --id ID --program P [--until YYYY-MM-DD]\n"
  "                           [--json]\n"
  "                           [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "show   列出此人在本节点的全部救助记录（各支付县的，含已终止的），以及\n"
  "       本节点各救助类别最近一次名册快照的日期。\n"
  "close  按 --until（默认今天）终止本节点名册支付的此人该类别的救助，\n"
  "       效果同下一次名册快照不再包含此人。不删除任何内容；其他县以告知\n"
  "       报来的救助记录由其自行终止（在当地 xiecha terminate）。该救助\n"
  "       所涉的重复享受随之解决，并告知另一县。\n"
  "如需更正救助日期，用 `xiecha import --delta` 导入只有一行的文件：新的\n"
  "开始日期取代未结束的那条。\n"
  "两者都记入审计日志。\n"
  "\n"
  "  -i, --id ID            此人的身份证号码\n"
  "  -p, --program P        close：dibao、tekun、low_income、\n"
  "                         dibao_edge 或 temp\n"
  "  -u, --until DATE       close：支付的最后一天\n"
  "  -j, --json             输出供程序读取的结果\n")
T["  (1 also when close finds no enrollment of the roster to end)\n"] = (
  "  （close 找不到名册中可终止的救助记录时也为1）\n")
T["Usage: xiecha conflicts [--id ID [--salt FILE]] [--json]\n"
  "                        [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "Lists every conflict the own node found or was told of: one person\n"
  "paid one program by two counties in overlapping periods, the\n"
  "registration county's roster and another county's enrollment\n"
  "notice.  The registration node finds them (when a roster import\n"
  "or a notice makes them) and tells the other county with a signed\n"
  "notice, so both list the same.  A conflict is resolved when one\n"
  "side's enrollment ends (its termination, or a roster that closes\n"
  "it); resolved ones stay listed with the date.  With --id, only\n"
  "the conflicts about that person (matched by subject ref with the\n"
  "network salt; the ID goes nowhere).\n"
  "\n"
  "  -i, --id ID            only conflicts about this ID number\n"
  "  -S, --salt FILE        the network salt (hex), for --id; default\n"
  "                         trust/salt of the node config -c\n"
  "  -j, --json             machine-readable output\n"] = (
  "用法：xiecha conflicts [--id ID [--salt FILE]] [--json]\n"
  "                        [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "列出本节点发现或被告知的全部重复享受：同一人同一救助类别在重叠期间由\n"
  "两个县支付，即户籍地县的名册和另一县的纳入告知。户籍地节点在名册导入\n"
  "或告知造成重复时发现，并以签名告知通知另一县，两地所列相同。一方的救助\n"
  "终止（其终止告知，或名册不再包含）即为解决；已解决的连同日期继续列出。\n"
  "使用 --id 时只列出关于此人的重复享受（用全网盐值按对象编号比对，身份证\n"
  "号码不外传）。\n"
  "\n"
  "  -i, --id ID            只列出关于此身份证号码的重复享受\n"
  "  -S, --salt FILE        全网盐值（十六进制），供 --id 使用；默认为\n"
  "                         节点配置 -c 的 trust/salt\n"
  "  -j, --json             输出供程序读取的结果\n")

T["Usage: xiecha status [--json] [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "Shows the node's code, name, version, uptime, index size, audit\n"
  "log length and head, query counters and peers, and its store's\n"
  "integrity: what was verified at start, and the last scrub of the\n"
  "whole store (result, when, what failed; see 'xiecha audit check');\n"
  "its limits per\n"
  "peer and per terminal (limits/* in its config) with the most\n"
  "the audit log can grow from one peer's refusals in an hour; the\n"
  "peers refused most (throttled: over a rate; unkept: beyond the\n"
  "audit budget, in summary entries only) and the terminals\n"
  "answered busy most.  For each program: the date of its last\n"
  "roster snapshot (\"roster as of\"), its age, and whether the\n"
  "node may still certify NOT_RECEIVING from it (no older than the\n"
  "trust list's max_roster_age_days); and the conflicts still open.\n"
  "\n"
  "  -j, --json             machine-readable output\n"] = (
  "用法：xiecha status [--json] [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
  "\n"
  "显示节点的区划代码、名称、版本、运行时间、索引规模、审计日志长度和末条，\n"
  "查询计数和对端节点，以及存储的完整性：启动时核验了什么，最近一次全库\n"
  "巡检（结果、时间、何处失败；见 'xiecha audit check'）；每个对端节点和\n"
  "每个终端的限额（配置中的 limits/*），以及一个对端节点的被拒消息一小时内\n"
  "最多使审计日志增长多少；被拒最多的对端节点（限流：超过速率；未留存：\n"
  "超出审计预算，只计入汇总条目）和被答复繁忙最多的终端。每个救助类别：\n"
  "最近一次名册快照的日期（“名册截至”）、已过天数，以及节点是否仍可据此\n"
  "出具未享受结论（不早于信任列表的 max_roster_age_days）；以及尚未解决的\n"
  "重复享受。\n"
  "\n"
  "  -j, --json             输出供程序读取的结果\n")

# ---- Errors
T.update({
  "--at: '%s' is not an ISO 8601 time (2026-11-23T08:00:00Z)":
      "--at：“%s”不是 ISO 8601 时间（如 2026-11-23T08:00:00Z）",
  "FILE or --qr IMAGE is required": "须给出 FILE 或 --qr IMAGE",
  "FILE and --qr exclude each other": "FILE 和 --qr 不能同时使用",
  "unexpected argument '%s'": "多余的参数“%s”",
  "the certificate is not about %s (none of its %zu subjects)":
      "证明与 %s 不符（其 %zu 个对象均不是此人）",
  "%s; the commands are 'xiecha cert verify FILE --trust TRUSTFILE --root HEX' and 'xiecha cert print FILE --out OUT.pdf ...'":
      "%s；可用命令为 'xiecha cert verify FILE --trust TRUSTFILE --root HEX' 和 'xiecha cert print FILE --out OUT.pdf ...'",
  "unknown subcommand": "未知的子命令",
  "missing subcommand": "缺少子命令",
  "--person: at most %d": "--person：最多 %d 个",
  "FILE is required": "须给出 FILE",
  "--out is required (.pdf or .html)": "须给出 --out（.pdf 或 .html）",
  "--out %s: name a .pdf or .html file": "--out %s：须为 .pdf 或 .html 文件",
  "--person %s: not a person this certificate is about":
      "--person %s：不是此证明所涉及的人",
  "out of memory": "内存不足",
  "short write": "写入不完整",
  "%s exists; use --force to replace it": "%s 已存在；用 --force 覆盖",
  "%s: not a regular file": "%s：不是普通文件",
  "%s: '%s' is not a calendar date (YYYY-MM-DD)":
      "%s：“%s”不是有效日期（YYYY-MM-DD）",
  "--id is required": "须给出 --id",
  "--name is required": "须给出 --name",
  "--home is required": "须给出 --home",
  "--program is required": "须给出 --program",
  "%s is required": "须给出 %s",
  "--reason is required": "须给出 --reason",
  "--band is required": "须给出 --band",
  "--reason-category is required": "须给出 --reason-category",
  "--member %zu: expected ID:NAME": "--member 第 %zu 个：应为 ID:NAME",
  "--member: at most %d household members": "--member：最多 %d 名家庭成员",
  "--program: unknown program '%s' (dibao, tekun, low_income, dibao_edge, temp)":
      "--program：未知的救助类别“%s”（dibao、tekun、low_income、dibao_edge、temp）",
  "%s: '%s' is not a date (YYYY-MM-DD)": "%s：“%s”不是日期（YYYY-MM-DD）",
  "--reason: unknown reason '%s' (moved_away, recheck_ineligible, death, voluntary, other)":
      "--reason：未知的原因“%s”（moved_away、recheck_ineligible、death、voluntary、other）",
  "--band: '%s' is not a band (1..%d)": "--band：“%s”不是金额档次（1..%d）",
  "--wait: '%s' is not a number of ms (0..%d)": "--wait：“%s”不是毫秒数（0..%d）",
  "%s: cannot make the PDF: %s": "%s：无法生成 PDF：%s",
  "%zu bytes do not fit in a QR code (level Q holds at most 1,663 bytes)":
      "%zu 字节放不进二维码（纠错等级 Q 最多容纳 1,663 字节）",
  "%s: not an image this command reads (PNG, or PGM/PPM with 8-bit samples)":
      "%s：不是本命令能读取的图片（PNG，或8位采样的 PGM/PPM）",
  "%s: %d QR codes; scan the certificate's alone":
      "%s：有 %d 个二维码；请只扫描证明上的二维码",
  "%s: no QR code found (scan the whole code, flat and in focus)":
      "%s：未找到二维码（请完整、平整、清晰地扫描）",
  "--member %zu: permit months must be 0..%d":
      "--member 第 %zu 个：居住证月数须为 0..%d",
  "--residence-months: '%s' is not 0..%d": "--residence-months：“%s”不在 0..%d 之内",
  "--permit-months: '%s' is not 0..%d": "--permit-months：“%s”不在 0..%d 之内",
  "--out %s: cannot armor": "--out %s：无法封装",
  "%s: %s: too long": "%s：%s：过长",
  "%s: trust/salt is not set": "%s：未设置 trust/salt",
  "%s: trust/salt: path too long": "%s：trust/salt：路径过长",
  "the network salt is needed to match ID numbers: give --salt FILE or -c NODECONFIG":
      "比对身份证号码需要全网盐值：请给出 --salt FILE 或 -c 节点配置",
  "--id: at most %d": "--id：最多 %d 个",
  "--month is required (YYYY-MM)": "须给出 --month（YYYY-MM）",
  "--trust, --root, --root-file and --insecure-unsigned-trust are for 'report verify'":
      "--trust、--root、--root-file 和 --insecure-unsigned-trust 用于 'report verify'",
  "--month and --out are for 'report monthly'": "--month 和 --out 用于 'report monthly'",
  "the node's report does not parse": "节点的报表无法解析",
  "%s; the commands are 'xiecha report monthly --month YYYY-MM' and 'xiecha report verify FILE --trust TRUSTFILE --root HEX'":
      "%s；可用命令为 'xiecha report monthly --month YYYY-MM' 和 'xiecha report verify FILE --trust TRUSTFILE --root HEX'",
  "unknown program (dibao, tekun, low_income, dibao_edge, temp)":
      "未知的救助类别（dibao、tekun、low_income、dibao_edge、temp）",
  "only for close": "只用于 close",
  "not a date (YYYY-MM-DD)": "不是日期（YYYY-MM-DD）",
  "%s; the commands are 'xiecha roster show --id ID' and 'xiecha roster close --id ID --program P'":
      "%s；可用命令为 'xiecha roster show --id ID' 和 'xiecha roster close --id ID --program P'",
})

# ---- Output: labels (padded to 13 columns), tables, lines
T.update({
  "VALID": "有效",
  "INVALID: %s\n": "无效：%s\n",
  "%llud%02lluh": "%llu天%02llu时",
  "%lluh%02llum": "%llu时%02llu分",
  "%llum%02llus": "%llu分%02llu秒",
  "%llus": "%llu秒",
  "issuer": "出具节点",
  "key id": "密钥编号",
  "requester": "申请地",
  "relation": "两地关系",
  "issued": "签发时间",
  "valid until": "有效期至",
  "programs": "救助类别",
  ", ": "、",
  "roster": "名册",
  "subject %zu": "对象 %zu",
  "printed %s (%zu subject(s), %zu named); QR code version %d, %zu bytes, level Q\n":
      "已打印 %s（%zu 个对象，%zu 个填写了姓名）；二维码版本 %d，%zu 字节，纠错等级 Q\n",
  "household of %s recorded as absent since %s\n": "已登记 %s 的家庭自 %s 起离开\n",
  "household of %s checked in on %s\n": "%s 的家庭已于 %s 报到\n",
  "check-in overdue": "逾期未报到",
  "absent over 3 months: aid should stop": "离开超过3个月，应停止救助",
  "PROGRAM": "救助类别",
  "SUBJECT": "对象编号",
  "HOME": "户籍地",
  "SINCE": "纳入日期",
  "CHECK-IN": "最近报到",
  "ABSENT": "离开日期",
  "REASON": "原因",
  "%zu household due as of %s (%zu absent over 3 months, %zu check-in overdue)\n":
      "%zu 户截至 %s 到期（离开超过3个月 %zu 户，逾期未报到 %zu 户）\n",
  "%zu households due as of %s (%zu absent over 3 months, %zu check-in overdue)\n":
      "%zu 户截至 %s 到期（离开超过3个月 %zu 户，逾期未报到 %zu 户）\n",
  "%s %s of %u person(s) recorded at this node (no registration county)\n":
      "%s告知 %s（%u 人）已记录在本节点（无户籍地县）\n",
  "%s %s of %u person(s) queued for %s; delivered: acknowledged by %s\n":
      "%s告知 %s（%u 人）已排队发往 %s；已投递：%s 已确认\n",
  "%s %s of %u person(s) queued for %s; not yet delivered (queued; see xiecha outbox)\n":
      "%s告知 %s（%u 人）已排队发往 %s；尚未投递（在队列中；见 xiecha outbox）\n",
  "ID": "编号",
  "KIND": "种类",
  "AGE": "已过时间",
  "ATTEMPTS": "投递次数",
  "NEXT IN": "下次投递",
  "REJECTED": "已拒绝",
  "now": "现在",
  "%zu notice pending": "%zu 条告知待确认",
  "%zu notices pending": "%zu 条告知待确认",
  ", %zu rejected by the registration node": "，%zu 条被户籍地节点拒绝",
  "certificate": "证明",
  "from %s to %s (%s)\n": "由 %s 出具给 %s（%s）\n",
  "query id": "核对编号",
  "member %zu": "家庭成员 %zu",
  "applicant": "申请人",
  "answered in %u ms\n": "%u 毫秒内答复\n",
  "certificate saved to %s\n": "证明已保存到 %s\n",
  "queries sent": "发出查询",
  "certificates received": "收到证明",
  "certificates issued": "出具证明",
  "people receiving": "正在享受人次",
  "people not receiving": "未享受人次",
  "enrollments reported": "告知纳入",
  "terminations reported": "告知终止",
  "emergency aid reported": "告知急难救助",
  "enrollments applied": "登记纳入",
  "terminations applied": "登记终止",
  "emergency aid applied": "登记急难救助",
  "refused": "已拒绝",
  "per township": "按乡镇（街道）",
  "node": "节点",
  "month": "月份",
  "period": "期间",
  "generated": "生成时间",
  "audit log": "审计日志",
  "%llu entries, head %s\n": "%llu 条，末条 %s\n",
  "seal": "签章",
  "key %s\n": "密钥 %s\n",
  "saved": "已保存",
  "no activity in %s\n": "%s 无业务\n",
  "RELATION": "两地关系",
  "TOWNSHIP": "乡镇（街道）",
  "COUNT": "数量",
  "totals (a message about several programs counts once under each)":
      "合计（涉及多个救助类别的消息在每个类别下各计一次）",
  "person": "本人",
  "%s  subject %.*s…\n": "%s  对象编号 %.*s…\n",
  "enrollments": "救助记录",
  "none": "无",
  "program": "救助类别",
  "subject": "对象编号",
  "notice": "告知",
  "found": "发现日期",
  "resolved": "解决日期",
  "open": "未结束",
  "no conflicts": "没有重复享受",
  "%llud %lluh %llum": "%llu天%llu时%llu分",
  "%lluh %llum": "%llu时%llu分",
  "%llum %llus": "%llu分%llu秒",
  ": cannot certify NOT_RECEIVING": "：不能出具未享受结论",
  ", %lld day old%s": "，已过 %lld 天%s",
  ", %lld days old%s": "，已过 %lld 天%s",
  "integrity": "完整性",
  "at start: audit entries %llu..%llu verified": "启动时：已核验审计条目 %llu..%llu",
  ", checkpoint %llu": "，检查点 %llu",
  "ALARM: scrub %llu FAILED at %s: %s\n": "警报：第 %llu 次巡检于 %s 失败：%s\n",
  "scrub %llu ok at %s: %llu entries, %llu subjects\n":
      "第 %llu 次巡检于 %s 正常：%llu 条，%llu 个对象\n",
  "scrub %llu did not finish at %s: %s\n": "第 %llu 次巡检于 %s 未完成：%s\n",
  "no scrub since start\n": "启动以来尚未巡检\n",
  "scrub %llu running (%s %llu/%llu)\n": "第 %llu 次巡检进行中（%s %llu/%llu）\n",
  "scrubbed every %u s\n": "每 %u 秒巡检一次\n",
  "scrubbed on demand only (xiecha audit check)\n": "仅按需巡检（xiecha audit check）\n",
  "listed": "已列入",
  "%u terminals; %llu queries over their rate, %llu requests refused (role, revoked, unlisted)\n":
      "%u 个终端；%llu 次查询超过速率，%llu 个请求被拒绝（角色、吊销、未列入）\n",
  "by terminal": "各终端",
  "%s (%s) %llu requests, %llu queries, %llu throttled, %llu refused\n":
      "%s（%s）%llu 个请求，%llu 次查询，%llu 次限流，%llu 次拒绝\n",
  "limits": "限额",
  "a peer: %u messages/s (burst %u), %u subject lookups/s (burst %u)\n":
      "每个对端节点：每秒 %u 条消息（突发 %u），每秒 %u 次对象查找（突发 %u）\n",
  "audit: %u refusals a minute kept, %u-byte prefix; at most %llu bytes a peer an hour\n":
      "审计：每分钟留存 %u 条拒绝，前缀 %u 字节；每个对端节点每小时最多 %llu 字节\n",
  "a terminal: %u requests outstanding, queues of %u, %u queries a minute (burst %u)\n":
      "每个终端：%u 个未完成请求，队列 %u，每分钟 %u 次查询（突发 %u）\n",
  "throttled": "限流",
  "%llu (over a rate), %llu unkept (beyond the audit budget)\n":
      "%llu（超过速率），%llu 未留存（超出审计预算）\n",
  "top peers": "主要对端",
  "%llu refused, %llu throttled, %llu repeated, %llu unkept\n":
      "%llu 次拒绝，%llu 次限流，%llu 次重复，%llu 未留存\n",
  "terminals": "终端",
  "%llu with requests open, %llu at the limit, %llu requests answered busy\n":
      "%llu 个有未完成请求，%llu 个达到限额，%llu 个请求答复繁忙\n",
  "top busy": "最繁忙",
  "%s %llu busy\n": "%s 繁忙 %llu 次\n",
  "version": "版本",
  "uptime": "运行时间",
  "%s (since %s)\n": "%s（自 %s 起）\n",
  "subjects": "对象数",
  "audit": "审计",
  "queries": "查询",
  "%llu answered, %llu sent\n": "答复 %llu 次，发出 %llu 次\n",
  "peers": "对端节点",
  "disk": "磁盘",
  "%s, %llu MiB reserve\n": "%s，预留 %llu MiB\n",
  "FULL: imports, notices and check-ins refused": "已满：拒绝导入、告知和报到",
  "ok": "正常",
  "conflicts": "重复享受",
  "%llu open\n": "%llu 起未解决\n",
})

# ---- Enrollments and roster dates (cli_text.c)
T.update({
  "%s since %s until %s at %s": "%s 自 %s 至 %s，%s",
  "%s since %s at %s": "%s 自 %s 起，%s",
  " (a newer snapshot was interrupted: import again)": "（较新的快照导入中断：请重新导入）",
  "%s as of %s%s": "%s 截至 %s%s",
  "%s no roster%s": "%s 无名册%s",
})

# Texts another part translates (one translation per text):
T.pop('FILE is required', None)
