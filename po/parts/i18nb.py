# Translations of branch i18nb (the CLI's back-office commands):
# English msgid -> Simplified Chinese; applied with po/tools/po-fill.py.
T = {
    "option '%s' needs a value":
        '选项“%s”需要一个值',
    "unknown option '-%c'":
        '未知选项“-%c”',
    "unknown option '%s'":
        '未知选项“%s”',
    "Try 'xiecha %s --help'.\n":
        '请运行“xiecha %s --help”查看用法。\n',
    "%s: unknown program '%s' (dibao, tekun, low_income, dibao_edge, temp)":
        '%s：未知救助类别“%s”（dibao、tekun、low_income、dibao_edge、temp）',
    'xiecha %s: warning: --code: %s (%s); check the code\n':
        'xiecha %s：警告：--code：%s（%s）；请核对该代码\n',
    '--code: %s':
        '--code：%s',
    '%s since %s until %s at %s':
        '%s，自 %s 起至 %s，在 %s',
    '%s since %s at %s':
        '%s，自 %s 起，在 %s',
    ' (a newer snapshot was interrupted: import again)':
        '（较新的名册快照导入中断：请重新导入）',
    '%s as of %s%s':
        '%s 名册截至 %s%s',
    '%s no roster%s':
        '%s 无名册%s',
    '--config %s: cannot read or parse the file':
        '--config %s：无法读取或解析该文件',
    '%s: node/client_bind is not set':
        '%s：未设置 node/client_bind',
    '%s: node/client_bind is too long':
        '%s：node/client_bind 过长',
    '--socket: too long':
        '--socket：过长',
    'XIECHA_SOCKET: too long':
        'XIECHA_SOCKET：过长',
    'no node endpoint: use -s/--socket ENDPOINT, -c/--config FILE, --client-config FILE, set XIECHA_SOCKET, or write ~/.config/xiecha/client.zpl or /etc/xiecha/client.zpl':
        '没有节点端点：请使用 -s/--socket 端点、-c/--config 文件、--client-config 文件，设置 XIECHA_SOCKET，或写入 ~/.config/xiecha/client.zpl 或 /etc/xiecha/client.zpl',
    "--timeout: '%s' is not a number of ms (1..3600000)":
        '--timeout：“%s”不是毫秒数（1..3600000）',
    "unexpected argument '%s'":
        '多余的参数“%s”',
    '%s: larger than %zu bytes':
        '%s：超过 %zu 字节',
    'out of memory':
        '内存不足',
    '%s: read error':
        '%s：读取错误',
    '  -T, --trust FILE       the trust list (ZPL); default: trust/list of\n                         -c CONFIG\n      --root HEX         the network\'s root public key (64 hex): the\n                         list\'s signature LIST.sig must verify under\n                         it and the list be valid (issued ..\n                         next_update) at the time checked\n      --root-file FILE   the same, read from FILE (one line of hex)\n                         default: trust/root of -c CONFIG\n      --insecure-unsigned-trust\n                         use the list without checking its signature\n                         or validity (warns; "insecure": true)\n':
        '  -T, --trust 文件       信任列表（ZPL）；默认：-c 配置中的\n                         trust/list\n      --root 十六进制    全网根公钥（64 位十六进制）：列表的签名\n                         LIST.sig 必须能用它验证，且列表在核验时刻\n                         处于有效期内（issued .. next_update）\n      --root-file 文件   同上，从文件读取（一行十六进制）\n                         默认：-c 配置中的 trust/root\n      --insecure-unsigned-trust\n                         不检查列表的签名和有效期即使用\n                         （会警告；"insecure": true）\n',
    '%s: trust/root: must be 64 hex characters':
        '%s：trust/root：必须是 64 位十六进制字符',
    "%s: must be 64 hex characters (the root's Ed25519 public key)":
        '%s：必须是 64 位十六进制字符（根密钥的 Ed25519 公钥）',
    '%s: must hold one line, the root public key in 64 hex':
        '%s：必须只有一行，即 64 位十六进制的根公钥',
    '--trust LIST is required (or -c CONFIG, whose trust/list is used)':
        '必须给出 --trust 列表（或 -c 配置，使用其 trust/list）',
    '--root and --root-file: give one':
        '--root 与 --root-file：只能给一个',
    'no root key to check the trust list with: give --root HEX or --root-file FILE (or -c CONFIG with trust/root); --insecure-unsigned-trust uses the list unchecked, and the config sets no trust/root':
        '没有用于核验信任列表的根密钥：请给出 --root 十六进制或 --root-file 文件（或带 trust/root 的 -c 配置）；--insecure-unsigned-trust 则不经检查使用列表；该配置未设置 trust/root',
    'no root key to check the trust list with: give --root HEX or --root-file FILE (or -c CONFIG with trust/root); --insecure-unsigned-trust uses the list unchecked':
        '没有用于核验信任列表的根密钥：请给出 --root 十六进制或 --root-file 文件（或带 trust/root 的 -c 配置）；--insecure-unsigned-trust 则不经检查使用列表',
    'xiecha %s: WARNING: --insecure-unsigned-trust: the trust list %s is used WITHOUT checking its root signature or validity period; anyone who could change that file decides what this check says\n':
        'xiecha %s：警告：--insecure-unsigned-trust：信任列表 %s 未经根签名和有效期检查即被使用；任何能修改该文件的人都能决定本次核验的结论\n',
    '--trust: %s':
        '--trust：%s',
    'trust list refused: %s':
        '信任列表被拒绝：%s',
    "Usage: xiecha audit export [--from N] [--to M] --out FILE [--progress]\n                           [--json] [-s ENDPOINT | -c CONFIG] [--timeout MS]\n       xiecha audit verify FILE --trust TRUSTFILE (--root HEX | --root-file FILE\n                           | -c CONFIG) [--threads N] [--progress]\n                           [--json]\n       xiecha audit list FILE --trust TRUSTFILE [--terminal ID]\n                           [--township CODE] [--json]\n       xiecha audit replay [--json] [-s ENDPOINT | -c CONFIG]\n       xiecha audit check [--progress] [--json] [-s ENDPOINT | -c CONFIG]\n       xiecha audit prove --cert FILE --trust TRUSTFILE --root HEX [--json]\n                          [-s ENDPOINT | -c CONFIG]\n\nexport   saves the own node's audit log: entries N..M in full\n         (default all), every signed checkpoint in full, and the\n         hash of every other entry, so the checkpoints still\n         verify.  The export ends at a signed checkpoint: the\n         node signs one first when entries of the range come\n         after its last (an older range ends at the last one).\n         Fetched in pages of a few MiB (the first pins the size)\n         and written to FILE only when complete.\nverify   checks an export offline with the trust list (its root\n         signature and validity period now first): order and\n         completeness, the hash chain, each checkpoint's signature\n         (key of its node valid at its time), its Merkle root over\n         the entries before it and consistency with the previous\n         one, every sent/received envelope's signature, and that\n         the header's range is the entries held in full.  Prints\n         VALID only when every entry is covered by a signed\n         checkpoint; NOT COVERED: entries N..M ... when all holds\n         but the entries after the last checkpoint (or all, with\n         none) are signed by nobody (exit 7); INVALID: <first bad\n         entry and why>.  Then a summary, with each actor's\n         entries per kind (the terminal, its township and\n         operator that caused them).\nlist     verifies an export as verify does, then lists its full\n         entries: one terminal's (--terminal) or one township's\n         (--township) actions, or every entry (see 'xiecha audit\n         list --help').\nreplay   asks the own node to rebuild its subject index from the\n         audit log alone and compare it with the live index;\n         prints the differences (at most 100), exit 1 if any.\ncheck    asks the own node to re-verify its whole store now, as\n         its scheduled scrub does (limits/scrub_interval_s): every\n         link of the audit chain, every checkpoint (what it covers,\n         its Merkle root, its signature), the head, and the index\n         against the one the log rebuilds.  Waits for the result,\n         showing progress; prints OK or FAILED: <what>, exit 1 if\n         the store is damaged or the check could not finish.\nprove    asks the own node for the sent entry holding a\n         certificate and its inclusion proof under the latest\n         signed checkpoint, and checks both offline (see\n         'xiecha audit prove --help').\n\n  -f, --from N           first entry exported in full (1-based)\n  -u, --to M             last entry exported in full\n  -o, --out FILE         where to save the export\nverify takes the trust anchor options:\n":
        '用法：xiecha audit export [--from N] [--to M] --out 文件 [--progress]\n                           [--json] [-s 端点 | -c 配置] [--timeout 毫秒]\n      xiecha audit verify 文件 --trust 信任列表 (--root 十六进制 |\n                           --root-file 文件 | -c 配置) [--threads N]\n                           [--progress] [--json]\n      xiecha audit list 文件 --trust 信任列表 [--terminal 编号]\n                           [--township 代码] [--json]\n      xiecha audit replay [--json] [-s 端点 | -c 配置]\n      xiecha audit check [--progress] [--json] [-s 端点 | -c 配置]\n      xiecha audit prove --cert 文件 --trust 信任列表 --root 十六进制 [--json]\n                          [-s 端点 | -c 配置]\n\nexport   导出本节点的审计日志：完整导出第 N..M 条（默认全部）、\n         每个签名检查点，以及其余每条的哈希，使检查点仍可核验。\n         导出止于一个签名检查点：若范围内有条目在最后一个检查点\n         之后，节点先签一个新的（较早的范围止于最后一个）。按每页\n         数 MiB 分页获取（第一页确定总量），全部完成后才写入文件。\nverify   用信任列表离线核验导出文件（先核验其根签名和当前有效期）：\n         顺序与完整性、哈希链、每个检查点的签名（其节点在该时刻\n         有效的密钥）、检查点对之前条目的 Merkle 根及与上一个检查点\n         的一致性、每个收发信封的签名，以及文件头的范围正是完整\n         导出的条目。仅当每条都被签名检查点覆盖时输出“有效”；\n         其余都成立、但最后一个检查点之后的条目（或没有检查点时的\n         全部条目）无人签名时，输出“未覆盖：条目 N..M ……”（退出\n         状态 7）；否则输出“无效：<第一个错误条目及原因>”。随后是\n         汇总，含每个操作者按类型统计的条目（引起这些条目的终端、\n         其乡镇（街道）和经办人）。\nlist     像 verify 一样核验导出文件，然后列出其完整导出的条目：某个\n         终端（--terminal）或某个乡镇（街道）（--township）的操作，\n         或全部条目（见“xiecha audit list --help”）。\nreplay   请本节点仅凭审计日志重建对象索引并与当前索引比较；输出\n         差异（至多 100 条），有差异则退出状态为 1。\ncheck    请本节点立即重新核验其全部存储，与定期自检\n         （limits/scrub_interval_s）相同：审计链的每一环、每个检查点\n         （覆盖范围、Merkle 根、签名）、链头，以及索引与日志重建的\n         索引是否一致。等待结果并显示进度；输出 OK 或 FAILED：\n         <问题>，存储损坏或检查未能完成时退出状态为 1。\nprove    向本节点索取含某份证明的发送条目及其在最新签名检查点下的\n         包含证明，并离线核验两者（见“xiecha audit prove --help”）。\n\n  -f, --from N           完整导出的第一条（从 1 起）\n  -u, --to M             完整导出的最后一条\n  -o, --out 文件         导出文件的保存位置\nverify 接受以下信任锚选项：\n',
    '  -N, --threads N        verify envelope signatures on N threads\n                         (default: the CPUs online)\n  -P, --progress         show progress on stderr even when it is\n                         not a terminal (on a terminal: always)\n  -j, --json             machine-readable output\n':
        '  -N, --threads N        用 N 个线程核验信封签名\n                         （默认：在线 CPU 数）\n  -P, --progress         即使 stderr 不是终端也显示进度\n                         （是终端时总是显示）\n  -j, --json             输出机器可读格式\n',
    '  -h, --help             this text\n\nExit status:\n  0  saved / the export is valid / the store is sound\n  1  failure / the export is invalid / the store is damaged\n  2  bad input (options, unreadable file, a trust list that\n     cannot be loaded, is not signed by the root key or has\n     expired)\n  7  verify: every check holds, but some entries are covered by\n     no signed checkpoint\n':
        '  -h, --help             显示本帮助\n\n退出状态：\n  0  已保存 / 导出文件有效 / 存储完好\n  1  失败 / 导出文件无效 / 存储已损坏\n  2  输入有误（选项、无法读取的文件、无法加载、未经根密钥签名\n     或已过期的信任列表）\n  7  verify：各项检查均成立，但部分条目不在任何签名检查点之下\n',
    "--%s: '%s' is not an entry number (1, 2, ...)":
        '--%s：“%s”不是条目编号（1、2、……）',
    "--threads: '%s' is not a number of threads (1..256)":
        '--threads：“%s”不是线程数（1..256）',
    'saved %llu entries (%llu bytes, %llu pages) to %s\n':
        '已将 %llu 条（%llu 字节，%llu 页）保存到 %s\n',
    '--out is required':
        '必须给出 --out',
    "--trust, --root, --root-file and --insecure-unsigned-trust are for 'audit verify' and 'audit prove'":
        '--trust、--root、--root-file 和 --insecure-unsigned-trust 用于“audit verify”和“audit prove”',
    '--from is after --to':
        '--from 在 --to 之后',
    'exported entries':
        '已导出条目',
    'VALID\n':
        '有效\n',
    'NOT COVERED: %s\n':
        '未覆盖：%s\n',
    'INVALID: %s\n':
        '无效：%s\n',
    'entries':
        '条目',
    '%llu read of %llu, %llu in full\n':
        '读取 %llu 条，共 %llu 条，完整 %llu 条\n',
    'time range':
        '时间范围',
    'checkpoints':
        '检查点',
    '%llu verified, last covers %llu entries, node %s\n':
        '已核验 %llu 个，最后一个覆盖 %llu 条，节点 %s\n',
    '%llu verified, last covers %llu entries\n':
        '已核验 %llu 个，最后一个覆盖 %llu 条\n',
    'envelopes':
        '信封',
    '%llu verified\n':
        '已核验 %llu 个\n',
    'uncovered':
        '未覆盖',
    'entries %llu..%llu: no signed checkpoint covers them\n':
        '条目 %llu..%llu：没有签名检查点覆盖\n',
    'kind':
        '类型',
    'peer':
        '对端节点',
    'FILE is required':
        '必须给出文件',
    'verified entries':
        '已核验条目',
    'index matches the log (%llu subjects)\n':
        '索引与日志一致（%llu 个对象）\n',
    'index differs from the log: %llu subject(s) (live %llu, rebuilt %llu)\n':
        '索引与日志不一致：%llu 个对象（当前 %llu，重建 %llu）\n',
    '%s\n  live     %s\n  rebuilt  %s\n':
        '%s\n  当前     %s\n  重建     %s\n',
    '(none)':
        '（无）',
    'OK: %llu audit entries and %llu subjects checked (scrub %llu, %.1f s)\n':
        'OK：已检查 %llu 条审计条目和 %llu 个对象（第 %llu 次自检，%.1f 秒）\n',
    'FAILED: %s\n':
        'FAILED：%s\n',
    'the check did not finish (%s): %s\n':
        '检查未完成（%s）：%s\n',
    'the node restarted during the check; run it again':
        '检查期间节点重启了；请重新运行',
    'checked audit entries':
        '已检查审计条目',
    'compared subjects':
        '已比较对象',
    "unknown subcommand '%s' (export, verify, list, replay, prove, check)":
        '未知子命令“%s”（export、verify、list、replay、prove、check）',
    'Usage: xiecha audit list FILE --trust TRUSTFILE (--root HEX |\n                         --root-file FILE | -c CONFIG)\n                         [--terminal ID] [--township CODE] [--json]\n\nVerifies the audit export FILE as \'xiecha audit verify\' does, then\nlists its entries exported in full, in order: entry number, local\ntime with its offset, kind, peer, the terminal, township and\noperator that caused it ("-" for entries no client request\ncaused; "ipc" for the node\'s local administrator) and its note.\nWith --terminal only that terminal\'s entries, with --township only\nthose of terminals of that township; both: entries matching both.\nEntries exported by hash only (outside --from..--to of the export)\nare not listed.\n\n  -i, --terminal ID      only entries of this terminal\n  -w, --township CODE    only entries of this township (9 digits)\n':
        '用法：xiecha audit list 文件 --trust 信任列表 (--root 十六进制 |\n                         --root-file 文件 | -c 配置)\n                         [--terminal 编号] [--township 代码] [--json]\n\n像“xiecha audit verify”一样核验审计导出文件，然后按顺序列出其完整\n导出的条目：条目编号、本地时间（带时区偏移）、类型、对端节点、\n引起该条目的终端、乡镇（街道）和经办人（非客户端请求引起的条目为\n“-”；节点本地管理员为“ipc”）及其备注。用 --terminal 只列该终端的\n条目，用 --township 只列该乡镇（街道）各终端的条目；两者同时给出时\n列出同时符合的条目。仅以哈希导出的条目（在导出的 --from..--to 之外）\n不列出。\n\n  -i, --terminal 编号    只列此终端的条目\n  -w, --township 代码    只列此乡镇（街道）的条目（9 位数字）\n',
    '  -j, --json             machine-readable output\n  -c, --config FILE      node config (trust list and root defaults)\n  -h, --help             this text\n\nExit status:\n  0  the export is valid (listed, maybe no entry matched)\n  1  the export is invalid: INVALID: <first bad entry and why>,\n     nothing listed\n  2  bad input (options, unreadable file, a trust list that\n     cannot be loaded, is not signed by the root key or has\n     expired)\n':
        '  -j, --json             输出机器可读格式\n  -c, --config 文件      节点配置（信任列表和根密钥的默认值）\n  -h, --help             显示本帮助\n\n退出状态：\n  0  导出文件有效（已列出，可能没有匹配的条目）\n  1  导出文件无效：无效：<第一个错误条目及原因>，不列出任何条目\n  2  输入有误（选项、无法读取的文件、无法加载、未经根密钥签名\n     或已过期的信任列表）\n',
    'KIND':
        '类型',
    'PEER':
        '对端',
    'TERMINAL':
        '终端',
    'TOWNSHIP':
        '乡镇（街道）',
    'OPERATOR':
        '经办人',
    'ENTRY':
        '条目',
    'TIME':
        '时间',
    'NOTE':
        '备注',
    '%llu entry listed\n':
        '已列出 %llu 条\n',
    '%llu entries listed\n':
        '已列出 %llu 条\n',
    "--terminal: '%s' is not a terminal id (a-z 0-9 . _ -, at most %d)":
        '--terminal：“%s”不是终端编号（a-z 0-9 . _ -，至多 %d 个字符）',
    "--township: '%s' is not a 9-digit township code":
        '--township：“%s”不是 9 位乡镇（街道）代码',
    'actor':
        '操作者',
    '%s (township %s, %s) %llu:':
        '%s（乡镇（街道）%s，%s）%llu 条：',
    'attributed':
        '已归属',
    '%llu entries name who caused them\n':
        '%llu 条注明了引起者\n',
    "Usage: xiecha audit prove --cert FILE --trust TRUSTFILE [--size N]\n                          [--root HEX | --root-file FILE]\n                          [--out PROOF] [--json]\n                          [-s ENDPOINT | -c CONFIG] [--timeout MS]\n\nAsks the own node where the certificate in FILE (armored) sits in\nits audit log and checks the answer offline: the sent entry holds\nthe envelope byte for byte, its hash, the signed checkpoint after\nit (trust list) and the Merkle inclusion proof under that\ncheckpoint.  Prints where the certificate is, or INVALID: why,\nthen the hashes (entry, leaf, path, root) and the checkpoint, so\nthe proof can be checked from the output.  With --out the proof\nis saved as one armored bundle (-----BEGIN XIECHA PROOF-----) that\n'xiecha proof verify' checks with the trust list alone.\nThe trust list is checked first: its root signature and its\nvalidity period now (root and list default to -c CONFIG's).\n\n  -C, --cert FILE        the certificate (armored)\n":
        '用法：xiecha audit prove --cert 文件 --trust 信任列表 [--size N]\n                          [--root 十六进制 | --root-file 文件]\n                          [--out 证据] [--json]\n                          [-s 端点 | -c 配置] [--timeout 毫秒]\n\n向本节点查询文件中的证明（封装格式）位于其审计日志的何处，并离线\n核验答复：发送条目逐字节包含该信封、条目哈希、其后的签名检查点\n（信任列表）以及该检查点下的 Merkle 包含证明。输出证明所在位置，\n或“无效：原因”，然后输出各哈希（条目、叶、路径、根）和检查点，\n以便根据输出复核。用 --out 将证据保存为一个封装包\n（-----BEGIN XIECHA PROOF-----），“xiecha proof verify”仅凭信任\n列表即可核验。先核验信任列表：其根签名和当前有效期（根密钥和列表\n默认取自 -c 配置）。\n\n  -C, --cert 文件        证明文件（封装格式）\n',
    '  -n, --size N           prove under the checkpoint of tree size N\n                         (an older one; default the latest)\n  -o, --out PROOF        save the proof bundle (not overwritten)\n  -j, --json             machine-readable output\n':
        '  -n, --size N           在树大小为 N 的检查点下证明\n                         （较早的检查点；默认最新的）\n  -o, --out 证据         保存证据包（不覆盖已有文件）\n  -j, --json             输出机器可读格式\n',
    '  -h, --help             this text\n\nExit status:\n  0  the certificate is in the log under a valid checkpoint\n  1  the certificate does not open (a field twice, unknown\n     fields: named), not in the log, no such checkpoint yet, the\n     proof is invalid or not saved\n  2  bad input (options, unreadable file, a trust list that\n     cannot be loaded, is not signed by the root key or has\n     expired)\n':
        '  -h, --help             显示本帮助\n\n退出状态：\n  0  证明在日志中，且位于有效的检查点之下\n  1  证明无法打开（字段重复、未知字段：会指明）、不在日志中、\n     尚无该检查点、证据无效或未能保存\n  2  输入有误（选项、无法读取的文件、无法加载、未经根密钥签名\n     或已过期的信任列表）\n',
    "--size: '%s' is not a tree size (1, 2, ...)":
        '--size：“%s”不是树大小（1、2、……）',
    '--cert is required':
        '必须给出 --cert',
    "certificate is entry %llu of node %s's log, included under checkpoint of size %llu (signed %s)\n":
        '该证明是节点 %2$s 日志的第 %1$llu 条，包含在大小为 %3$llu 的检查点之下（签名时间 %4$s）\n',
    'saved':
        '已保存',
    '--cert: %s':
        '--cert：%s',
    "Usage: xiecha keygen --code CODE --dir DIR [--name NAME]\n                     [--endpoint ENDPOINT] [--force] [--json]\n       xiecha keygen --terminal --dir DIR [--force] [--json]\n       xiecha keygen --salt FILE [--force] [--json]\n\nThe first form creates DIR (mode 0700) with the node's signing key\nDIR/sign.key and CURVE certificate DIR/curve.cert (secret half in\nDIR/curve.cert_secret, mode 0600), and prints the node's entry for\nthe trust list on stdout, indented to paste under `trust`.\nThe second form, on a township terminal, writes its CURVE key pair\nDIR/terminal.cert and DIR/terminal.cert_secret (mode 0600) and\nprints its public key for the node's admin (xiecha terminal add\n--curve KEY); the terminal's client.zpl names the secret file.\nThe third form writes a new 32-byte network salt as hex (mode 0600).\n\n  -C, --code CODE        the node's 6-digit division code\n  -d, --dir DIR          where the keys go\n  -n, --name NAME        display name for the trust list\n  -e, --endpoint EP      peer endpoint for the trust list\n                         (e.g. tcp://10.1.2.3:7101)\n  -T, --terminal         a terminal's key pair instead\n  -S, --salt FILE        write a network salt instead\n  -f, --force            replace existing keys or salt\n  -j, --json             machine-readable output\n  -h, --help             this text\n\n":
        '用法：xiecha keygen --code 代码 --dir 目录 [--name 名称]\n                     [--endpoint 端点] [--force] [--json]\n      xiecha keygen --terminal --dir 目录 [--force] [--json]\n      xiecha keygen --salt 文件 [--force] [--json]\n\n第一种形式创建目录（权限 0700），内含节点的签名密钥 目录/sign.key\n和 CURVE 证书 目录/curve.cert（私钥部分在 目录/curve.cert_secret，\n权限 0600），并在标准输出打印该节点在信任列表中的条目，已缩进，\n可直接粘贴到 `trust` 之下。\n第二种形式用于乡镇（街道）终端：写入其 CURVE 密钥对\n目录/terminal.cert 和 目录/terminal.cert_secret（权限 0600），并打印\n其公钥交给节点管理员（xiecha terminal add --curve 密钥）；终端的\nclient.zpl 指向私钥文件。\n第三种形式写入新的 32 字节全网盐值，十六进制（权限 0600）。\n\n  -C, --code 代码        节点的 6 位区划代码\n  -d, --dir 目录         密钥存放位置\n  -n, --name 名称        信任列表中的显示名称\n  -e, --endpoint 端点    信任列表中的对端端点\n                         （如 tcp://10.1.2.3:7101）\n  -T, --terminal         改为生成终端的密钥对\n  -S, --salt 文件        改为写入全网盐值\n  -f, --force            替换已有的密钥或盐值\n  -j, --json             输出机器可读格式\n  -h, --help             显示本帮助\n\n',
    '--terminal takes --dir DIR only (and --force, --json)':
        '--terminal 只接受 --dir 目录（以及 --force、--json）',
    '--salt does not go with --code, --dir, --name or --endpoint':
        '--salt 不能与 --code、--dir、--name 或 --endpoint 同用',
    '--code and --dir are required (or --salt FILE)':
        '必须给出 --code 和 --dir（或 --salt 文件）',
    '%s: not a directory':
        '%s：不是目录',
    '%s exists; use --force to replace it':
        '%s 已存在；使用 --force 替换',
    '%s: cannot write (%s)':
        '%s：无法写入（%s）',
    'signing key  %s (key id %s)\n':
        '签名密钥     %s（密钥编号 %s）\n',
    'CURVE cert   %s (secret in %s_secret)\n':
        'CURVE 证书   %s（私钥在 %s_secret）\n',
    'trust-list entry for %s follows\n':
        '以下是 %s 的信任列表条目\n',
    'trust-list entry for %s follows; set its endpoint before use\n':
        '以下是 %s 的信任列表条目；使用前请设置其端点\n',
    '--dir: path too long':
        '--dir：路径过长',
    '--name: cannot hold both kinds of quotes or a line break':
        '--name：不能同时含两种引号或换行',
    '--endpoint: cannot hold both kinds of quotes or a line break':
        '--endpoint：不能同时含两种引号或换行',
    'cannot generate an Ed25519 key':
        '无法生成 Ed25519 密钥',
    'cannot generate a CURVE key pair':
        '无法生成 CURVE 密钥对',
    'wrote a %d-byte network salt to %s\nEvery node of the network needs this same file.\n':
        '已将 %d 字节的全网盐值写入 %s\n全网每个节点都需要这同一个文件。\n',
    "CURVE key pair %s (secret in %s_secret); give the public key below to the node's admin, and name the secret file as client/secret_key in client.zpl\n":
        'CURVE 密钥对 %s（私钥在 %s_secret）；将下面的公钥交给节点管理员，并在 client.zpl 中以 client/secret_key 指向私钥文件\n',
    "Usage: xiecha proof verify PROOF --trust TRUSTFILE (--root HEX |\n                           --root-file FILE | -c CONFIG)\n                           [--cert FILE] [--json]\n\nChecks a proof bundle (-----BEGIN XIECHA PROOF-----, written by\n'xiecha audit prove --out') offline with the trust list alone:\nthe certificate it holds is valid (expired since is allowed: the\nproof is of what was issued), its bytes are the audit entry at\nthe leaf, the checkpoint is signed by a key of the issuing node\nand covers the entry, and the inclusion path leads from the leaf\nto the checkpoint's root.  When the issuing key is revoked as\ncompromised, only a bundle under the key's trusted_checkpoint in\nthe trust list is accepted.  Prints VALID or INVALID: why, then\nthe hashes: leaf, path, root, checkpoint.\n\n":
        '用法：xiecha proof verify 证据 --trust 信任列表 (--root 十六进制 |\n                           --root-file 文件 | -c 配置)\n                           [--cert 文件] [--json]\n\n仅凭信任列表离线核验证据包（-----BEGIN XIECHA PROOF-----，由\n“xiecha audit prove --out”写出）：其中的证明有效（允许此后已过期：\n证据证明的是当时的签发），其字节正是叶处的审计条目，检查点由签发\n节点的密钥签名并覆盖该条目，包含路径从叶通向检查点的根。签发密钥\n因泄露而吊销时，只接受位于信任列表中该密钥 trusted_checkpoint 之下\n的证据包。输出“有效”或“无效：原因”，然后输出各哈希：叶、路径、\n根、检查点。\n\n',
    '  -c, --config FILE      a node config: its trust/root and\n                         trust/list are the defaults\n  -C, --cert FILE        also require the bundle to be about this\n                         certificate (armored), byte for byte\n  -j, --json             machine-readable output\n  -h, --help             this text\n\nExit status:\n  0  the proof holds\n  1  it does not\n  2  bad input (options, unreadable file, no proof block, a\n     trust list that cannot be loaded, is not signed by the root\n     key or has expired)\n':
        '  -c, --config 文件      节点配置：其 trust/root 和 trust/list\n                         为默认值\n  -C, --cert 文件        还要求证据包逐字节对应此证明（封装格式）\n  -j, --json             输出机器可读格式\n  -h, --help             显示本帮助\n\n退出状态：\n  0  证据成立\n  1  证据不成立\n  2  输入有误（选项、无法读取的文件、没有证据块、无法加载、\n     未经根密钥签名或已过期的信任列表）\n',
    'entry':
        '条目',
    "%llu (leaf index %llu) of node %s's log\n":
        '节点 %3$s 日志的第 %1$llu 条（叶索引 %2$llu）\n',
    'entry hash':
        '条目哈希',
    'leaf hash':
        '叶哈希',
    'root':
        '根',
    'checkpoint':
        '检查点',
    'tree size %llu, signed %s by key %s\n':
        '树大小 %llu，签名时间 %s，密钥 %s\n',
    'note':
        '备注',
    'the certificate has expired since\n':
        '此证明后来已过期\n',
    "its key was revoked as compromised; accepted under the trust\n             list's trusted checkpoint\n":
        '其密钥已因泄露而吊销；因位于信任列表的\n             可信检查点之下而接受\n',
    'PROOF is required':
        '必须给出证据文件',
    'the bundle is about another certificate than %s':
        '该证据包涉及的不是证明 %s',
    "VALID: the certificate is entry %llu of node %s's log, under its checkpoint of size %llu\n":
        '有效：该证明是节点 %2$s 日志的第 %1$llu 条，位于其大小为 %3$llu 的检查点之下\n',
    "Usage: xiecha terminal add -c NODE.zpl --id ID --township CODE\n                       --township-name NAME --operator NAME\n                       --curve KEY --roles ROLE[,ROLE...]\n                       [--not-before ISO] [--not-after ISO] [--json]\n       xiecha terminal revoke -c NODE.zpl --id ID [--json]\n       xiecha terminal list -c NODE.zpl [--json]\n\nEdits the node's terminal list, the file node/terminals of the node\nconfig names (created by the first add), and replaces it only when\nthe result is a valid list.  The running node applies it on SIGHUP\n(systemctl reload xiechad); a revoked terminal is refused from then\non, on open connections too.\n\n  -c, --config FILE      the node config (node/code, node/terminals)\n  -i, --id ID            the terminal's id: 1..32 of a-z 0-9 . _ -\n  -T, --township CODE    its 9-digit township (乡镇/街道) code, under\n                         the node's county\n  -N, --township-name N  the township's name\n  -o, --operator NAME    the case worker or system using it\n  -k, --curve KEY        its CURVE public key (xiecha keygen\n                         --terminal on the terminal)\n  -r, --roles LIST       caseworker (query, enroll, terminate,\n                         emergency, checkin, due, outbox), roster\n                         (import, roster, conflicts), auditor (audit,\n                         report), admin (status, everything)\n  -b, --not-before ISO   valid from (YYYY-MM-DDTHH:MM:SSZ)\n  -a, --not-after ISO    valid until\n  -j, --json             machine-readable output\n  -h, --help             this text\n\n":
        '用法：xiecha terminal add -c 节点.zpl --id 编号 --township 代码\n                       --township-name 名称 --operator 姓名\n                       --curve 密钥 --roles 角色[,角色...]\n                       [--not-before ISO] [--not-after ISO] [--json]\n      xiecha terminal revoke -c 节点.zpl --id 编号 [--json]\n      xiecha terminal list -c 节点.zpl [--json]\n\n编辑节点的终端列表，即节点配置中 node/terminals 指定的文件（首次\nadd 时创建），仅当结果是有效列表时才替换该文件。运行中的节点在\n收到 SIGHUP 时应用它（systemctl reload xiechad）；此后被吊销的终端\n即被拒绝，已打开的连接也一样。\n\n  -c, --config 文件      节点配置（node/code、node/terminals）\n  -i, --id 编号          终端编号：1..32 个 a-z 0-9 . _ - 字符\n  -T, --township 代码    其 9 位乡镇（街道）代码，须属于本节点的县\n  -N, --township-name 名称\n                         乡镇（街道）名称\n  -o, --operator 姓名    使用它的经办人或系统\n  -k, --curve 密钥       其 CURVE 公钥（在终端上运行 xiecha keygen\n                         --terminal 得到）\n  -r, --roles 列表       caseworker（query、enroll、terminate、\n                         emergency、checkin、due、outbox），roster\n                         （import、roster、conflicts），auditor（audit、\n                         report），admin（status，全部）\n  -b, --not-before ISO   生效时间（YYYY-MM-DDTHH:MM:SSZ）\n  -a, --not-after ISO    有效期至\n  -j, --json             输出机器可读格式\n  -h, --help             显示本帮助\n\n',
    '-c/--config NODE.zpl is required':
        '必须给出 -c/--config 节点.zpl',
    '%s takes --id only':
        '%s 只接受 --id',
    '%s needs --id':
        '%s 需要 --id',
    'add needs --township, --township-name, --operator, --curve and --roles':
        'add 需要 --township、--township-name、--operator、--curve 和 --roles',
    '%s: node/code: missing or not a 6-digit code':
        '%s：node/code：缺失或不是 6 位代码',
    '%s: node/terminals is not set: name the terminal list file there first':
        '%s：未设置 node/terminals：请先在其中指定终端列表文件',
    '%s: node/terminals: too long':
        '%s：node/terminals：过长',
    'terminal %s added in %s (%zu terminals); %s\n':
        '终端 %s 已添加到 %s（共 %zu 个终端）；%s\n',
    'terminal %s revoked in %s (%zu terminals); %s\n':
        '终端 %s 已在 %s 中吊销（共 %zu 个终端）；%s\n',
    'terminal %s was revoked already in %s (%zu terminals); %s\n':
        '终端 %s 此前已在 %s 中吊销（共 %zu 个终端）；%s\n',
    '--%s: cannot hold both kinds of quotes or a line break':
        '--%s：不能同时含两种引号或换行',
    '%s: no terminal %s':
        '%s：没有终端 %s',
    '%s: cannot find the line `id = "%s"` to edit':
        '%s：找不到要编辑的行 `id = "%s"`',
    '%s: terminal %s is still not revoked':
        '%s：终端 %s 仍未吊销',
    'revoked':
        '已吊销',
    'not yet valid':
        '尚未生效',
    'expired':
        '已过期',
    'valid':
        '有效',
    'ID':
        '编号',
    'NAME':
        '名称',
    'ROLES':
        '角色',
    'STATE':
        '状态',
    '%zu terminals in %s\n':
        '%2$s 中共 %1$zu 个终端\n',
    "unknown action '%s' (add, revoke, list)":
        '未知操作“%s”（add、revoke、list）',
    'the edited list would not load (%s); %s left unchanged':
        '修改后的列表无法加载（%s）；%s 未改动',
    '%s; %s left unchanged':
        '%s；%s 未改动',
    'xiecha trust: %s changed since it was signed: sign it again with a higher serial (xiecha trust sign %s --key ROOT --bump) before nodes load it\n':
        'xiecha trust：%s 在签名后已被修改：节点加载前请以更高的序号重新签名（xiecha trust sign %s --key 根密钥 --bump）\n',
    'xiecha trust: %s carries a serial: sign it (xiecha trust sign %s --key ROOT) before nodes load it\n':
        'xiecha trust：%s 带有序号：节点加载前请签名（xiecha trust sign %s --key 根密钥）\n',
    "%s: '%s' is not an ISO 8601 time":
        '%s：“%s”不是 ISO 8601 时间',
    'retired':
        '停用',
    'compromised':
        '泄露',
    "Usage: xiecha trust root-keygen --out KEY [--force] [--json]\n       xiecha trust sign LIST --key KEY [--bump | --serial N]\n                    [--next-update ISO | --valid-days D] [--json]\n                    (see xiecha trust sign --help)\n       xiecha trust verify LIST (--root HEX | --root-file FILE)\n                           [--min-serial N] [--at TIME]\n                    [--json]\n       xiecha trust show LIST [--json]\n       xiecha trust create|add-node|remove-node LIST ...\n                    (see xiecha trust create --help)\n       xiecha trust add-key|revoke-key LIST ...\n                    (see xiecha trust add-key --help)\n\nroot-keygen writes a new Ed25519 root key (PEM, mode 0600) and\nprints its public key: put that in every node's trust/root.\nsign writes LIST.sig (root key id and signature over the exact\nbytes of LIST); the list must carry serial, issued and next_update.\nA changed list needs a higher serial: sign --bump raises it.\nverify checks LIST.sig against the root public key, the list, and\nthat it is valid (issued .. next_update) now or at --at: a list\npast its next_update fails (exit 1), as offline verifiers refuse\nit;\nshow prints the nodes and their keys with validity windows.\ncreate begins a new list; add-node, remove-node, add-key and\nrevoke-key change one in place (then sign it with --bump).\n\n  -o, --out KEY          root-keygen: where the private key goes\n  -r, --root HEX         verify: the root public key, 64 hex\n      --root-file FILE   verify: the same, read from FILE (one\n                         line of hex, as the offline verifiers\n                         take it)\n  -m, --min-serial N     verify: refuse a serial below N\n  -a, --at TIME          verify: check the validity period at this\n                         ISO 8601 time instead of now\n  -f, --force            root-keygen: replace an existing file\n  -j, --json             machine-readable output\n  -h, --help             this text\n\n":
        '用法：xiecha trust root-keygen --out 密钥 [--force] [--json]\n      xiecha trust sign 列表 --key 密钥 [--bump | --serial N]\n                    [--next-update ISO | --valid-days D] [--json]\n                    （见 xiecha trust sign --help）\n      xiecha trust verify 列表 (--root 十六进制 | --root-file 文件)\n                           [--min-serial N] [--at 时间]\n                    [--json]\n      xiecha trust show 列表 [--json]\n      xiecha trust create|add-node|remove-node 列表 ...\n                    （见 xiecha trust create --help）\n      xiecha trust add-key|revoke-key 列表 ...\n                    （见 xiecha trust add-key --help）\n\nroot-keygen 写入新的 Ed25519 根密钥（PEM，权限 0600）并打印其公钥：\n把它填入每个节点的 trust/root。\nsign 写入 列表.sig（根密钥编号及对列表原样字节的签名）；列表必须\n带有 serial、issued 和 next_update。修改过的列表需要更高的序号：\nsign --bump 将其加一。\nverify 用根公钥核验 列表.sig、列表本身，以及列表在当前或 --at 时刻\n处于有效期内（issued .. next_update）：超过 next_update 的列表不通过\n（退出状态 1），因为离线核验方会拒绝它；\nshow 打印各节点及其密钥和有效期。\ncreate 新建列表；add-node、remove-node、add-key 和 revoke-key 就地\n修改列表（之后用 --bump 签名）。\n\n  -o, --out 密钥         root-keygen：私钥的存放位置\n  -r, --root 十六进制    verify：根公钥，64 位十六进制\n      --root-file 文件   verify：同上，从文件读取（一行十六进制，\n                         与离线核验方的读法相同）\n  -m, --min-serial N     verify：拒绝低于 N 的序号\n  -a, --at 时间          verify：按此 ISO 8601 时间而非当前时间\n                         检查有效期\n  -f, --force            root-keygen：替换已有文件\n  -j, --json             输出机器可读格式\n  -h, --help             显示本帮助\n\n',
    "unknown action '%s' (root-keygen, create, add-node, remove-node, add-key, revoke-key, sign, verify, show; the action comes first)":
        '未知操作“%s”（root-keygen、create、add-node、remove-node、add-key、revoke-key、sign、verify、show；操作须放在最前）',
    '--out and --force go with root-keygen only, which needs --out':
        '--out 和 --force 只用于 root-keygen，且 root-keygen 需要 --out',
    '--root, --min-serial and --at go with verify only, which needs --root':
        '--root、--min-serial 和 --at 只用于 verify，且 verify 需要 --root',
    '--root-file %s':
        '--root-file %s',
    '--root-file %s: not one line of 64 hex characters':
        '--root-file %s：不是一行 64 位十六进制字符',
    "--min-serial: '%s' is not a number":
        '--min-serial：“%s”不是数字',
    "--at: '%s' is not an ISO 8601 time (2026-11-23T08:00:00Z)":
        '--at：“%s”不是 ISO 8601 时间（2026-11-23T08:00:00Z）',
    'which action? (root-keygen, create, add-node, remove-node, add-key, revoke-key, sign, verify, show; see --help)':
        '要执行什么操作？（root-keygen、create、add-node、remove-node、add-key、revoke-key、sign、verify、show；见 --help）',
    '%s exists (use --force to replace it)':
        '%s 已存在（使用 --force 替换）',
    'cannot generate a key':
        '无法生成密钥',
    '%s: cannot write the key':
        '%s：无法写入密钥',
    '    key %s  valid %s .. %s':
        '    密钥 %s  有效期 %s .. %s',
    '  REVOKED at %s (%s)':
        '  已于 %s 吊销（%s）',
    '  trusted checkpoint %llu:%s':
        '  可信检查点 %llu:%s',
    '%s: %zu nodes, %zu keys':
        '%s：%zu 个节点，%zu 个密钥',
    ', serial %llu, issued %s, next update %s':
        '，序号 %llu，签发时间 %s，下次更新 %s',
    ', NOT_RECEIVING from rosters of at most %u days, certificates valid at most %u days\n':
        '，仅依据不超过 %u 天的名册认定“未享受”，证明有效期至多 %u 天\n',
    '%s  curve %s\n':
        '%s  CURVE %s\n',
    '%s: signature OK (root key %.16s...)\n':
        '%s：签名正确（根密钥 %.16s...）\n',
    'warning: next_update has passed: a newer list should exist; offline verifiers refuse it\n':
        '警告：已过 next_update：应已有更新的列表；离线核验方会拒绝此列表\n',
    '--root: must be 64 hex characters':
        '--root：必须是 64 位十六进制字符',
    "Usage: xiecha trust add-key LIST --node CODE --public HEX\n                    [--not-before ISO] [--not-after ISO] [--json]\n       xiecha trust revoke-key LIST --key KEYID --at ISO\n                    [--reason retired|compromised]\n                    [--trusted-checkpoint SIZE:ROOT] [--json]\n\nadd-key adds an Ed25519 public key to a node of the trust list\n(a `key` block at the end of the node's section); revoke-key sets\nrevoked_at and revoked_reason of a key.  A retired key (superseded)\nkeeps what it signed before --at: every time a message asserts\nmust be before it.  A compromised key keeps nothing, whatever time\nit claims (its thief writes the times): except what a proof bundle\nshows under --trusted-checkpoint, the last checkpoint of its node\nfrom before the compromise (tree size and Merkle root, as an audit\nexport or `audit prove` shows them).  The file keeps its comments\nand layout, is\nreplaced atomically and only when the result still loads.  Times\nare kept to the second.  A signed list must be re-signed after,\nwith a higher serial (xiecha trust sign LIST --key ROOT --bump).\n\n  -n, --node CODE        add-key: the node the key speaks for\n  -p, --public HEX       add-key: the public key, 64 hex\n  -b, --not-before ISO   add-key: valid from\n  -a, --not-after ISO    add-key: valid until\n  -k, --key KEYID        revoke-key: the key id (trust show)\n  -t, --at ISO           revoke-key: the revocation instant\n  -r, --reason WHY       revoke-key: retired or compromised\n                         (default compromised, the safe reading)\n  -c, --trusted-checkpoint SIZE:ROOT\n                         revoke-key, compromised only: tree size and\n                         root (64 hex) of the last checkpoint held\n                         from before the compromise\n  -j, --json             machine-readable output\n  -h, --help             this text\n\n":
        '用法：xiecha trust add-key 列表 --node 代码 --public 十六进制\n                    [--not-before ISO] [--not-after ISO] [--json]\n      xiecha trust revoke-key 列表 --key 密钥编号 --at ISO\n                    [--reason retired|compromised]\n                    [--trusted-checkpoint 大小:根] [--json]\n\nadd-key 为信任列表中的某个节点添加 Ed25519 公钥（在该节点一节末尾\n加一个 `key` 块）；revoke-key 设置密钥的 revoked_at 和\nrevoked_reason。停用（retired，被替换）的密钥保留其在 --at 之前签署\n的内容：消息声称的每个时间都必须早于它。泄露（compromised）的密钥\n什么都不保留，无论它声称什么时间（窃取者可以随意写时间）：唯一例外\n是证据包在 --trusted-checkpoint 之下所示的内容，即该节点在泄露之前的\n最后一个检查点（树大小和 Merkle 根，如审计导出或 `audit prove` 所\n示）。文件保留其注释和排版，以原子方式替换，且仅当结果仍可加载时\n才替换。时间精确到秒。已签名的列表修改后须以更高的序号重新签名\n（xiecha trust sign 列表 --key 根密钥 --bump）。\n\n  -n, --node 代码        add-key：密钥所代表的节点\n  -p, --public 十六进制  add-key：公钥，64 位十六进制\n  -b, --not-before ISO   add-key：生效时间\n  -a, --not-after ISO    add-key：有效期至\n  -k, --key 密钥编号     revoke-key：密钥编号（见 trust show）\n  -t, --at ISO           revoke-key：吊销时刻\n  -r, --reason 原因      revoke-key：retired（停用）或 compromised\n                         （泄露；默认值，较安全的解读）\n  -c, --trusted-checkpoint 大小:根\n                         revoke-key，仅用于 compromised：泄露之前\n                         所持最后一个检查点的树大小和根（64 位\n                         十六进制）\n  -j, --json             输出机器可读格式\n  -h, --help             显示本帮助\n\n',
    'which action? (add-key, revoke-key)':
        '要执行什么操作？（add-key、revoke-key）',
    '%s needs LIST':
        '%s 需要列表',
    'add-key needs --node and --public':
        'add-key 需要 --node 和 --public',
    '--key, --at, --reason and --trusted-checkpoint go with revoke-key':
        '--key、--at、--reason 和 --trusted-checkpoint 用于 revoke-key',
    'revoke-key needs --key and --at':
        'revoke-key 需要 --key 和 --at',
    '--node, --public, --not-before and --not-after go with add-key':
        '--node、--public、--not-before 和 --not-after 用于 add-key',
    "--reason: '%s' is not retired or compromised":
        '--reason：“%s”既不是 retired 也不是 compromised',
    '--trusted-checkpoint goes with --reason compromised (a retired key keeps what it made before --at)':
        '--trusted-checkpoint 须与 --reason compromised 同用（停用的密钥保留其在 --at 之前签署的内容）',
    'the edit did not take (layout not understood)':
        '修改未生效（无法理解文件排版）',
    '%s: key %s revoked at %s (%s), trusted checkpoint %s\n':
        '%s：密钥 %s 已于 %s 吊销（%s），可信检查点 %s\n',
    '%s: key %s revoked at %s (%s)\n':
        '%s：密钥 %s 已于 %s 吊销（%s）\n',
    '%s: key %s added to node %s\n':
        '%s：密钥 %s 已添加到节点 %s\n',
    '--public: must be 64 hex characters':
        '--public：必须是 64 位十六进制字符',
    '%s: no node with code %s':
        '%s：没有代码为 %s 的节点',
    '--key: a key id is %d hex characters':
        '--key：密钥编号为 %d 位十六进制字符',
    '%s: no key with id %s':
        '%s：没有编号为 %s 的密钥',
    "Usage: xiecha trust create LIST [--serial N] [--next-update ISO]\n                    [--json]\n       xiecha trust add-node LIST --code CODE --name NAME\n                    --endpoint tcp://HOST:PORT --curve KEY\n                    --public HEX [--not-before ISO]\n                    [--not-after ISO] [--json]\n       xiecha trust remove-node LIST --code CODE [--json]\n\ncreate writes a new trust list with no node yet: its header\n(serial 1 unless --serial; issued now; next_update from\n--next-update, or 30 days on) under a comment saying what comes\nnext.  It never replaces an existing file.  The network salt is\nnot part of the list, which auditors see: make it once with\nxiecha keygen --salt FILE.\nadd-node appends a node with its first signing key; remove-node\ndeletes a node's section with all its keys, so what the node\nsigned no longer verifies with the new list (revoke-key --reason\nretired ends a key and keeps its past valid).  Both keep the file's\ncomments and layout and replace it atomically, only when the\nresult still loads.  A signed list must then be signed again with a higher\nserial (xiecha trust sign LIST --key ROOT --bump).\n\n  -C, --code CODE        the node's 6-digit division code\n  -n, --name NAME        add-node: display name, under 96 bytes\n  -e, --endpoint EP      add-node: peer endpoint, tcp://HOST:PORT\n  -z, --curve KEY        add-node: CURVE public key, 40 Z85\n                         characters (curve_public in keygen\n                         --json) or 64 hex\n  -p, --public HEX       add-node: Ed25519 signing key, 64 hex\n  -b, --not-before ISO   add-node: that key valid from\n  -a, --not-after ISO    add-node: that key valid until\n  -s, --serial N         create: the first serial (1)\n  -u, --next-update ISO  create: when a newer list is due\n  -j, --json             machine-readable output\n  -h, --help             this text\n\nA bad field, an unknown code or an existing LIST (create) exits\n2; a change the list refuses (code, signing key or CURVE key\nalready listed) exits 1.\n\n":
        '用法：xiecha trust create 列表 [--serial N] [--next-update ISO]\n                    [--json]\n      xiecha trust add-node 列表 --code 代码 --name 名称\n                    --endpoint tcp://主机:端口 --curve 密钥\n                    --public 十六进制 [--not-before ISO]\n                    [--not-after ISO] [--json]\n      xiecha trust remove-node 列表 --code 代码 [--json]\n\ncreate 新建一个尚无节点的信任列表：写入列表头（序号为 1，除非给出\n--serial；签发时间为当前；next_update 取自 --next-update，或 30 天\n后），其上有一段注释说明下一步做什么。它从不替换已有文件。全网盐值\n不属于列表（审计人员能看到列表）：用 xiecha keygen --salt 文件 生成\n一次。\nadd-node 追加一个节点及其第一个签名密钥；remove-node 删除节点的一节\n及其全部密钥，因此该节点签署的内容用新列表将不再能核验\n（revoke-key --reason retired 结束一个密钥并保留其过去的有效性）。\n两者都保留文件的注释和排版并以原子方式替换，且仅当结果仍可加载时\n才替换。已签名的列表之后须以更高的序号重新签名\n（xiecha trust sign 列表 --key 根密钥 --bump）。\n\n  -C, --code 代码        节点的 6 位区划代码\n  -n, --name 名称        add-node：显示名称，少于 96 字节\n  -e, --endpoint 端点    add-node：对端端点，tcp://主机:端口\n  -z, --curve 密钥       add-node：CURVE 公钥，40 个 Z85 字符\n                         （keygen --json 中的 curve_public）或 64 位\n                         十六进制\n  -p, --public 十六进制  add-node：Ed25519 签名密钥，64 位十六进制\n  -b, --not-before ISO   add-node：该密钥的生效时间\n  -a, --not-after ISO    add-node：该密钥的有效期至\n  -s, --serial N         create：初始序号（1）\n  -u, --next-update ISO  create：何时应有更新的列表\n  -j, --json             输出机器可读格式\n  -h, --help             显示本帮助\n\n字段有误、代码未知或列表已存在（create）时退出状态为 2；列表拒绝的\n修改（代码、签名密钥或 CURVE 密钥已在列表中）退出状态为 1。\n\n',
    '--serial and --next-update go with create':
        '--serial 和 --next-update 用于 create',
    'create takes no --code: add nodes with add-node':
        'create 不接受 --code：请用 add-node 添加节点',
    '%s needs --code':
        '%s 需要 --code',
    '--name, --endpoint, --curve, --public, --not-before and --not-after go with add-node':
        '--name、--endpoint、--curve、--public、--not-before 和 --not-after 用于 add-node',
    'add-node needs --name, --endpoint, --curve and --public':
        'add-node 需要 --name、--endpoint、--curve 和 --public',
    'which action? (create, add-node, remove-node)':
        '要执行什么操作？（create、add-node、remove-node）',
    "--serial: '%s' is not a positive integer":
        '--serial：“%s”不是正整数',
    '%s: new trust list, serial %llu, issued %s, next update %s; no nodes yet\n':
        '%s：新的信任列表，序号 %llu，签发时间 %s，下次更新 %s；尚无节点\n',
    'next: xiecha trust add-node %s --code CODE ... (the comment at the top of the list says what follows)\n':
        '下一步：xiecha trust add-node %s --code 代码 ...（列表顶部的注释说明了后续步骤）\n',
    '--next-update: %s is not later than now (%s), when the list is issued':
        '--next-update：%s 不晚于当前时间（%s，即列表的签发时间）',
    '%s exists: create never replaces a list (change it with add-node/remove-node, or move it away)':
        '%s 已存在：create 从不替换列表（请用 add-node/remove-node 修改，或将其移走）',
    '--public: must be 64 hex characters (an Ed25519 public key)':
        '--public：必须是 64 位十六进制字符（Ed25519 公钥）',
    '--public: not a usable Ed25519 public key':
        '--public：不是可用的 Ed25519 公钥',
    '--not-after: must be later than --not-before':
        '--not-after：必须晚于 --not-before',
    '--name: must be 1 to 95 bytes of text, without control characters or both kinds of quotes':
        '--name：必须是 1 到 95 字节的文字，不含控制字符，也不能同时含两种引号',
    "--endpoint: '%s' is not tcp://HOST:PORT (a host the other nodes can reach, not *; port 1..65535; IPv6 in brackets)":
        '--endpoint：“%s”不是 tcp://主机:端口（须是其他节点能访问的主机，不能是 *；端口 1..65535；IPv6 加方括号）',
    '--curve: must be a CURVE public key, 40 Z85 or 64 hex characters':
        '--curve：必须是 CURVE 公钥，40 个 Z85 字符或 64 位十六进制字符',
    '%s: node %s (%s) added, endpoint %s, key %s\n':
        '%s：节点 %s（%s）已添加，端点 %s，密钥 %s\n',
    '%s: node %s is already listed (line %zu); %s left unchanged':
        '%s：节点 %s 已在列表中（第 %zu 行）；%s 未改动',
    '%s: no `trust` section':
        '%s：没有 `trust` 节',
    'the edit did not take (node %s still listed)':
        '修改未生效（节点 %s 仍在列表中）',
    '%s: node %s (%s) removed with its %zu key\n':
        '%s：节点 %s（%s）已删除，连同其 %zu 个密钥\n',
    '%s: node %s (%s) removed with its %zu keys\n':
        '%s：节点 %s（%s）已删除，连同其 %zu 个密钥\n',
    "Usage: xiecha trust sign LIST --key KEY [--bump | --serial N]\n                    [--next-update ISO | --valid-days D] [--json]\n\nsign writes LIST.sig: the root key's id and its signature over the\nexact bytes of LIST, which must carry serial, issued and\nnext_update and list at least one node.\nNodes refuse a list older than one they have used, and a list of\nthe same serial with other bytes, so a changed list needs a higher\nserial: --bump raises it by one, --serial N sets it to N (higher\nthan the list's).  Either also sets issued to now and next_update\nto --next-update, or --valid-days after now, or leaves it when it\nis still ahead.  The header lines are changed in the list's text\n(comments and layout stay) and the list replaced atomically before\nit is signed.  Signing the same bytes again is harmless: nodes take\nit as no change.\n\n  -k, --key KEY          the root private key (trust root-keygen)\n  -b, --bump             serial + 1, issued now\n  -s, --serial N         serial N (> the list's), issued now\n  -u, --next-update ISO  with --bump/--serial: when a newer list\n                         is due\n  -d, --valid-days D     with --bump/--serial: next_update D days\n                         after now (1..36500)\n  -j, --json             machine-readable output\n  -h, --help             this text\n\nA bad option, a serial not above the list's or a next_update not\nafter now exits 2, LIST unchanged; a list that cannot be signed\n(no node, header missing) exits 1.\n\n":
        '用法：xiecha trust sign 列表 --key 密钥 [--bump | --serial N]\n                    [--next-update ISO | --valid-days D] [--json]\n\nsign 写入 列表.sig：根密钥的编号及其对列表原样字节的签名；列表必须\n带有 serial、issued 和 next_update，且至少列出一个节点。\n节点拒绝比其用过的列表更旧的列表，也拒绝序号相同但字节不同的列表，\n因此修改过的列表需要更高的序号：--bump 将其加一，--serial N 将其设为\nN（须高于列表现有的）。两者还会把 issued 设为当前时间，把 next_update\n设为 --next-update 或当前时间之后 --valid-days 天；若原值仍在将来则\n保留。列表头各行在列表文本中修改（注释和排版不变），列表在签名前以\n原子方式替换。对同样的字节再次签名无害：节点视为未改变。\n\n  -k, --key 密钥         根私钥（trust root-keygen 生成）\n  -b, --bump             序号加一，签发时间为当前\n  -s, --serial N         序号设为 N（须大于列表现有的），签发时间为当前\n  -u, --next-update ISO  与 --bump/--serial 同用：何时应有更新的列表\n  -d, --valid-days D     与 --bump/--serial 同用：next_update 为当前\n                         时间之后 D 天（1..36500）\n  -j, --json             输出机器可读格式\n  -h, --help             显示本帮助\n\n选项有误、序号不高于列表现有的或 next_update 不晚于当前时间时退出\n状态为 2，列表不变；无法签名的列表（没有节点、缺少列表头）退出状态\n为 1。\n\n',
    'sign needs LIST':
        'sign 需要列表',
    'sign needs --key (the root private key)':
        'sign 需要 --key（根私钥）',
    '--bump and --serial: give one':
        '--bump 与 --serial：只能给一个',
    '--next-update and --valid-days: give one':
        '--next-update 与 --valid-days：只能给一个',
    '--next-update and --valid-days go with --bump or --serial (a changed list needs a higher serial)':
        '--next-update 和 --valid-days 须与 --bump 或 --serial 同用（修改过的列表需要更高的序号）',
    'the action comes first: xiecha trust sign LIST --key KEY':
        '操作须放在最前：xiecha trust sign 列表 --key 密钥',
    "%s: '%s' is not a whole number from 1 to %llu":
        '%s：“%s”不是 1 到 %llu 之间的整数',
    '--bump: serial %llu is the largest there is':
        '--bump：序号 %llu 已是最大值',
    '--serial %llu: must be greater than the serial of %s, %llu (nodes refuse an older list, and another list of the same serial)':
        '--serial %llu：必须大于 %s 的序号 %llu（节点拒绝更旧的列表，也拒绝序号相同的另一个列表）',
    'next_update of %s, %s, is not later than now (%s), when the list is issued: give --next-update or --valid-days':
        '%s 的 next_update（%s）不晚于当前时间（%s，即列表的签发时间）：请给出 --next-update 或 --valid-days',
    '%s: lists no node yet; add them first (xiecha trust add-node)':
        '%s：尚未列出任何节点；请先添加（xiecha trust add-node）',
    '%s: trust: a signed list needs serial, issued and next_update (--bump or --serial writes them)':
        '%s：trust：已签名的列表需要 serial、issued 和 next_update（--bump 或 --serial 会写入）',
    '%s: trust: next_update must be later than issued':
        '%s：trust：next_update 必须晚于 issued',
    '%s: serial %llu -> %llu, issued %s, next update %s\n':
        '%s：序号 %llu -> %llu，签发时间 %s，下次更新 %s\n',
    '%s: signed, serial %llu, sha256 %s; signature in %s.sig\n':
        '%s：已签名，序号 %llu，sha256 %s；签名在 %s.sig 中\n',
    "unknown subcommand '%s' (verify)":
        '未知子命令“%s”（verify）',
}

# Texts another part translates (one translation per text):
T.pop("--at: '%s' is not an ISO 8601 time (2026-11-23T08:00:00Z)", None)
T.pop("unexpected argument '%s'", None)
T.pop('out of memory', None)
T.pop('%s exists; use --force to replace it', None)
T.pop('INVALID: %s\n', None)
T.pop('ID', None)
T.pop('KIND', None)
T.pop('saved', None)
T.pop('TOWNSHIP', None)
T.pop('%s since %s until %s at %s', None)
T.pop('%s since %s at %s', None)
T.pop(' (a newer snapshot was interrupted: import again)', None)
T.pop('%s as of %s%s', None)
T.pop('%s no roster%s', None)
