# Translations of the texts marked on main before the branches (po/tools/po-fill.py).
T = {
"ask the registration county whether an applicant receives aid": "向户籍地县（市、区）查询申请人是否正在享受社会救助",
"load this county's roster of enrollments into the node": "将本县救助对象名册导入节点",
"create a node's keys, a terminal's CURVE key pair, or a salt": "生成节点密钥、终端 CURVE 密钥对或盐值",
"verify a saved certificate offline, or print it": "离线核验已保存的证明，或打印证明",
"show the node's state and counters": "显示节点状态和计数",
"report an enrollment made here to the registration county": "将在本地办理的救助纳入告知户籍地",
"report the end of an enrollment made here": "将在本地办理的救助终止告知户籍地",
"report temporary aid granted here first": "告知在本地先行给予的临时救助",
"list notices not yet acknowledged by their registration county": "列出户籍地尚未确认收到的告知",
"monthly statistics under the node's seal; verify a saved report": "节点签章的月度统计；核验已保存的报表",
"export the node's audit log; verify an export offline": "导出节点审计日志；离线核验导出文件",
"verify a certificate's proof bundle offline": "离线核验证明的证据包",
"record a household's check-in here, or that it has left": "登记家庭在本地的核查报到，或已离开",
"make the root key; create, edit, sign, verify or show a trust list": "生成根密钥；创建、编辑、签署、核验或显示信任列表",
"list households overdue for check-in or absent over 3 months": "列出逾期未报到或离开超过3个月的家庭",
"show one person's enrollments here; close one of this roster's": "显示某人在本地的救助记录；终止本名册中的一条",
"list people two counties pay the same program, open and resolved": "列出被两个县重复发放同一救助的人员（未处理和已处理）",
"the subject ref of an ID number, computed here (find a person)": "在本地计算身份证号码对应的对象编号（用于查找人员）",
"add, revoke or list the township terminals this node admits": "添加、吊销或列出本节点接入的乡镇（街道）终端",
"Usage: xiecha COMMAND [options]\n       xiecha COMMAND --help\n\nCross-jurisdiction verification of social-assistance enrollment (xiecha %s).\n\nCommands:\n":
"用法：xiecha 命令 [选项]\n      xiecha 命令 --help\n\n社会救助跨地区协查核验（xiecha %s）。\n\n命令：\n",
"\nEvery command takes --json for machine-readable output.\n": "\n每个命令都接受 --json，输出供程序读取的格式（JSON）。\n",
"\nSee xiecha(1).\n": "\n详见 xiecha(1)。\n",
"unknown command '%s'; try 'xiecha --help'": "未知命令“%s”；请运行“xiecha --help”",
"Exit status:\n  0  answered / ok\n  1  failure (node error, timeout of the own node, policy refusal,\n     invalid certificate)\n  2  bad input (options, fields, files)\n  3  no answer of the registration node arrived within the deadline\n     (it is down, not connected, or slow)\n  4  the registration node answered but the own node refused the\n     answer: its clock is off (by how much is said), its signature\n     or key is bad, unknown or revoked, or it does not answer this\n     query\n  5  the registration node refused the query with a signed error\n  6  registration node cannot answer for a program: its roster is\n     missing or older than the trust list allows\n  7  audit verify: every signature holds, but some entries are\n     under no signed checkpoint\n  8  the own node refused this terminal: it lacks the role the\n     request needs, or is revoked, expired or not listed\n":
"退出状态：\n  0  已答复 / 成功\n  1  失败（节点错误、本节点超时、政策拒绝、证明无效）\n  2  输入有误（选项、字段、文件）\n  3  在时限内未收到户籍地节点的答复\n     （对方停机、未连接或响应慢）\n  4  户籍地节点已答复，但本节点拒收该答复：对方时钟偏差\n     （会说明偏差多少）、签名或密钥有误、未知或已吊销，\n     或答复与本次查询不符\n  5  户籍地节点以签名的错误拒绝了查询\n  6  户籍地节点无法就某项救助作答：其名册缺失，\n     或早于信任列表允许的时限\n  7  审计核验：所有签名均成立，但部分条目不在任何签名检查点之下\n  8  本节点拒绝此终端：终端缺少该请求所需的角色，\n     或已吊销、过期或未登记\n",
"  -s, --socket ENDPOINT  node client endpoint (e.g. ipc:///run/x.sock)\n  -c, --config FILE      take node/client_bind from a node config\n      --client-config FILE  a terminal's endpoint and CURVE keys\n  -t, --timeout MS       wait at most MS ms for the node (10000)\n                         endpoint order: -s, -c, --client-config,\n                         $XIECHA_SOCKET, ~/.config/xiecha/client.zpl,\n                         /etc/xiecha/client.zpl\n":
"  -s, --socket 端点      节点客户端端点（如 ipc:///run/x.sock）\n  -c, --config 文件      从节点配置中读取 node/client_bind\n      --client-config 文件  终端的端点和 CURVE 密钥\n  -t, --timeout 毫秒     等待节点最多多少毫秒（10000）\n                         端点查找顺序：-s、-c、--client-config、\n                         $XIECHA_SOCKET、~/.config/xiecha/client.zpl、\n                         /etc/xiecha/client.zpl\n",
}
T["xiecha: warning: %s; times are shown in UTC\n"] = "xiecha：警告：%s；时间按 UTC 显示\n"

# Texts another part translates (one translation per text):
T.pop('Exit status:\n  0  answered / ok\n  1  failure (node error, timeout of the own node, policy refusal,\n     invalid certificate)\n  2  bad input (options, fields, files)\n  3  no answer of the registration node arrived within the deadline\n     (it is down, not connected, or slow)\n  4  the registration node answered but the own node refused the\n     answer: its clock is off (by how much is said), its signature\n     or key is bad, unknown or revoked, or it does not answer this\n     query\n  5  the registration node refused the query with a signed error\n  6  registration node cannot answer for a program: its roster is\n     missing or older than the trust list allows\n  7  audit verify: every signature holds, but some entries are\n     under no signed checkpoint\n  8  the own node refused this terminal: it lacks the role the\n     request needs, or is revoked, expired or not listed\n', None)
T.pop("  -s, --socket ENDPOINT  node client endpoint (e.g. ipc:///run/x.sock)\n  -c, --config FILE      take node/client_bind from a node config\n      --client-config FILE  a terminal's endpoint and CURVE keys\n  -t, --timeout MS       wait at most MS ms for the node (10000)\n                         endpoint order: -s, -c, --client-config,\n                         $XIECHA_SOCKET, ~/.config/xiecha/client.zpl,\n                         /etc/xiecha/client.zpl\n", None)
T.pop('Usage: xiecha COMMAND [options]\n       xiecha COMMAND --help\n\nCross-jurisdiction verification of social-assistance enrollment (xiecha %s).\n\nCommands:\n', None)
T.pop('\nEvery command takes --json for machine-readable output.\n', None)
T.pop('\nSee xiecha(1).\n', None)
T["HOST:PORT (or PORT: 127.0.0.1) of the HTTP endpoint serving GET /metrics in the Prometheus text format (empty: off)"] = "以 Prometheus 文本格式提供 GET /metrics 的 HTTP 端点，HOST:PORT（只写 PORT 时为 127.0.0.1）（空：关闭）"
