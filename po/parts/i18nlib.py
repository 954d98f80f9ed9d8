# Translations of libxiecha's texts (why, xc_strerror) and of xiechad's
# help, usage, configuration and --check / --init output (branch i18nlib).
# Applied with po/tools/po-fill.py po/zh_CN.po po/parts/i18nlib.py.
T = {
    'armor: body line %zu: byte 0x%02x is not base64':
        'armor：正文第 %zu 行：字节 0x%02x 不是 base64 字符',
    'armor: base64 length %zu is not a multiple of 4':
        'armor：base64 长度 %zu 不是 4 的倍数',
    "armor: '=' padding inside the base64 body":
        'armor：base64 正文中间出现“=”填充',
    'armor: bad base64':
        'armor：base64 编码错误',
    'armor: no %s block found':
        'armor：未找到 %s 块',
    'armor: missing %s':
        'armor：缺少 %s',
    'entry %llu: %s':
        '第 %llu 条：%s',
    "checkpoint entry carries a note, a peer, an actor or a time other than the checkpoint's":
        '检查点条目带有与检查点不同的备注、对端节点、操作人或时间',
    'checkpoint by node %s, earlier ones by %s':
        '检查点由节点 %s 签发，此前的由 %s 签发',
    'checkpoint covers %llu entries, not %llu':
        '检查点覆盖 %llu 条，而不是 %llu 条',
    'checkpoint root does not match the entries before it':
        '检查点根与其之前的条目不符',
    'checkpoint not consistent with the previous one':
        '检查点与上一个检查点不一致',
    'envelope: %s':
        '信封：%s',
    'malformed':
        '格式错误',
    'prev_hash does not match hash of entry %llu':
        'prev_hash 与第 %llu 条的哈希不符',
    'prev_hash is not zero':
        'prev_hash 不为零',
    'file truncated':
        '文件被截断',
    'missing':
        '缺失',
    'out of order (found entry %llu)':
        '顺序错乱（发现第 %llu 条）',
    'only a hash, inside the exported range %llu..%llu':
        '只有哈希，却在导出范围 %llu..%llu 之内',
    'bad record flag':
        '记录标志错误',
    'in full, outside the exported range %llu..%llu':
        '完整条目，却在导出范围 %llu..%llu 之外',
    'certificate expired at %s (%llu s ago)':
        '证明已于 %s 过期（%llu 秒前）',
    'certificate issued at %s, %llu s in the future (tolerance %d s)':
        '证明签发时间为 %s，在未来 %llu 秒（容差 %d 秒）',
    'certificate.%s: %s':
        'certificate.%s：%s',
    'certificate.rosters: %zu roster dates for %zu programs checked':
        'certificate.rosters：%zu 个名册日期，却查了 %zu 个救助类别',
    'certificate.rosters[%zu]: not the roster date of %s':
        'certificate.rosters[%zu]：不是 %s 的名册日期',
    'certificate.rosters[%zu]: %s roster dated %s, after the certificate was issued':
        'certificate.rosters[%zu]：%s 名册日期为 %s，晚于证明签发时间',
    'certificate says NOT_RECEIVING of %s without a roster of it':
        '证明称 %s 未享受，却没有该类别的名册',
    'certificate says NOT_RECEIVING of %s from a roster of %s, %lld days before it was issued (the trust list allows %u)':
        '证明称 %s 未享受，依据的是 %s 的名册，比签发时间早 %lld 天（信任列表允许 %u 天）',
    'header.created_at: 0, a certificate is made at a time':
        'header.created_at：为 0，证明必须有制作时间',
    'header.in_reply_to: not certificate.query_id':
        'header.in_reply_to：不是 certificate.query_id',
    'certificate.requester: not header.recipient %s':
        'certificate.requester：不是 header.recipient %s',
    'certificate.relation: says %s but %s and %s are %s':
        'certificate.relation：写的是 %s，但 %s 与 %s 为 %s',
    'certificate.issued_at: 0':
        'certificate.issued_at：为 0',
    'certificate.valid_until: not after issued_at':
        'certificate.valid_until：不晚于 issued_at',
    "certificate valid for %.1f days (issued_at to valid_until), over the trust list's max_cert_lifetime_days of %u":
        '证明有效期 %.1f 天（issued_at 至 valid_until），超过信任列表的 max_cert_lifetime_days %u 天',
    'certificate.programs: no program checked':
        'certificate.programs：未查任何救助类别',
    '%s: %s, a program the certificate did not check':
        '%s：%s，证明未查的救助类别',
    '%s.node: not a division code':
        '%s.node：不是区划代码',
    '%s: since %u, until %u is not a period':
        '%s：自 %u 至 %u 不是一个期间',
    '%s: not active on the day the certificate was issued':
        '%s：在证明签发当天不在享受期内',
    'certificate.results: no subject answered':
        'certificate.results：没有答复任何对象',
    'certificate.results[%zu].status: %d is neither NOT_RECEIVING nor RECEIVING':
        'certificate.results[%zu].status：%d 既不是 NOT_RECEIVING 也不是 RECEIVING',
    'certificate.results[%zu]: %s with %zu enrollments':
        'certificate.results[%zu]：%s，带有 %zu 条救助记录',
    'certificate.query_id: not the id of our query':
        'certificate.query_id：不是本查询的编号',
    'certificate.query_digest: not the digest of our query':
        'certificate.query_digest：不是本查询的摘要',
    'certificate.requester: issued to %s, not to %s':
        'certificate.requester：签发给 %s，而不是 %s',
    'header.sender: answer from %s to a query sent to %s':
        'header.sender：来自 %s 的答复，而查询发给的是 %s',
    'certificate.results: %zu results for %zu subjects':
        'certificate.results：%zu 个结果对应 %zu 个对象',
    'certificate.results[%zu].subject: not the subject we asked about':
        'certificate.results[%zu].subject：不是所查询的对象',
    'certificate.programs: not the programs of the query':
        'certificate.programs：与查询的救助类别不符',
    'certificate.relation: not the relation of the query':
        'certificate.relation：与查询的关系不符',
    'certificate: missing':
        '证明：缺失',
    'header.type: must be CERTIFICATE, got %s':
        'header.type：必须是 CERTIFICATE，实为 %s',
    'checkpoint malformed':
        '检查点格式错误',
    'checkpoint key %s not in the trust list':
        '检查点密钥 %s 不在信任列表中',
    'checkpoint key %s belongs to %s, not %s':
        '检查点密钥 %s 属于 %s，而不是 %s',
    'checkpoint %s':
        '检查点%s',
    'checkpoint signature does not verify':
        '检查点签名验证失败',
    'missing argument':
        '缺少参数',
    'report reply is empty':
        '报表答复为空',
    'out of memory':
        '内存不足',
    'audit export page is empty':
        '审计日志导出页为空',
    'audit export: page says %llu entries, the first said %llu':
        '审计日志导出：此页称有 %llu 条，第一页称有 %llu 条',
    'audit export: next page %llu does not follow %llu':
        '审计日志导出：下一页 %llu 不接续 %llu',
    'from: after to':
        'from：晚于 to',
    'audit export: not saved':
        '审计日志导出：未保存',
    'replay reply is empty':
        '重放答复为空',
    'audit check reply is empty':
        '审计检查答复为空',
    'prove reply is empty':
        '证明材料答复为空',
    'server_key: not a 40-character Z85 CURVE key':
        'server_key：不是 40 个字符的 Z85 CURVE 密钥',
    'secret_key %s: cannot read a CURVE secret key (xiecha keygen --terminal)':
        'secret_key %s：无法读取 CURVE 私钥（xiecha keygen --terminal）',
    'endpoint: missing':
        'endpoint：缺失',
    'cannot create a ZeroMQ socket':
        '无法创建 ZeroMQ 套接字',
    'endpoint %s: cannot connect (%s)':
        '端点 %s：无法连接（%s）',
    'cannot create a poller':
        '无法创建轮询器',
    '%s: %s: missing':
        '%s：%s：缺失',
    '%s: %s: too long':
        '%s：%s：过长',
    '%s: cannot read or parse the client configuration':
        '%s：无法读取或解析客户端配置',
    '%s: client/secret_key: too long':
        '%s：client/secret_key：过长',
    'request of %zu bytes exceeds %d':
        '请求 %zu 字节，超过 %d',
    'node at %s did not take the request within %d ms':
        '位于 %s 的节点未在 %d 毫秒内接收请求',
    'interrupted':
        '已中断',
    'node at %s did not answer within %d ms%s':
        '位于 %s 的节点未在 %d 毫秒内答复%s',
    'node at %s answered with the wrong reply type %d':
        '位于 %s 的节点以错误的答复类型 %d 答复',
    'members: missing':
        'members：缺失',
    'status reply is empty':
        '状态答复为空',
    'programs: at most %d':
        'programs：最多 %d 个',
    'line %u: same person and program (%s) as line %u; nothing was imported':
        '第 %1$u 行：与第 %3$u 行的人员和救助类别（%2$s）相同；未导入任何内容',
    'import reply is empty':
        '导入答复为空',
    'node staged %llu rows, %zu were sent':
        '节点暂存了 %llu 行，发送的是 %zu 行',
    'node answered BEGIN without an import id':
        '节点对 BEGIN 的答复中没有导入编号',
    'node committed %llu rows, %zu were sent':
        '节点提交了 %llu 行，发送的是 %zu 行',
    'check-in reply does not name the subject':
        '报到答复未写明对象',
    'check-in reply does not say the date recorded':
        '报到答复未写明记录的日期',
    'wait_ms: %d is not 0..%d ms':
        'wait_ms：%d 不在 0..%d 毫秒之内',
    'notice reply is empty':
        '告知答复为空',
    'node at %s answered with a notice id of %zu bytes':
        '位于 %s 的节点答复的告知编号为 %zu 字节',
    'outbox reply is empty':
        '待确认告知答复为空',
    'node at %s answered without a certificate':
        '位于 %s 的节点答复中没有证明',
    'certificate: envelope does not carry a certificate':
        '证明：信封中不是证明',
    'certificate: %zu results for %zu subjects':
        '证明：%zu 个结果对应 %zu 个对象',
    'roster reply is empty':
        '名册答复为空',
    '%s: not a PEM (PKCS#8) private key':
        '%s：不是 PEM（PKCS#8）私钥',
    '%s: not an Ed25519 key':
        '%s：不是 Ed25519 密钥',
    '%s: salt must be an even number of hex characters, got %zu':
        '%s：盐值必须是偶数个十六进制字符，实为 %zu 个',
    '%s: salt must be %d..%d bytes, got %zu':
        '%s：盐值必须为 %d..%d 字节，实为 %zu 字节',
    '%s: salt must be one line of hex characters':
        '%s：盐值必须是一行十六进制字符',
    '%s: read error':
        '%s：读取错误',
    '%s: salt must be a single line':
        '%s：盐值必须只有一行',
    '%s: salt must be at most %d bytes':
        '%s：盐值最多 %d 字节',
    '%s:%zu: the name of %s is %zu bytes, at most %d':
        '%s:%zu：%s 的名称长 %zu 字节，最多 %d 字节',
    '%s:%zu: the name of %s holds control byte 0x%02x':
        '%s:%zu：%s 的名称含控制字节 0x%02x',
    "%s:%zu: %s is a %s by its code, not '%.*s'":
        '%s:%zu：按代码 %s 是%s，而不是“%.*s”',
    "%s:%zu: the parent of %s is %s by its code, not '%.*s'":
        '%s:%zu：按代码 %s 的上级是 %s，而不是“%.*s”',
    "%s:%zu: '%.*s' is not a division code (6 digits, province 11..82)":
        '%s:%zu：“%.*s”不是区划代码（6 位数字，省份 11..82）',
    '%s:%zu: %s has no name':
        '%s:%zu：%s 没有名称',
    '%s:%zu: expected code, name, and optionally level and parent':
        '%s:%zu：应为代码、名称，以及可选的级别和上级',
    '%s:%zu: %s is listed twice (lines %zu and %zu)':
        '%s:%zu：%s 出现两次（第 %zu 行和第 %zu 行）',
    '%s:%zu: %s %s belongs to %s, which is not listed':
        '%s:%zu：%s %s 属于 %s，而后者未列出',
    '%s: out of memory':
        '%s：内存不足',
    '%s: cannot read: %s':
        '%s：无法读取：%s',
    'read error':
        '读取错误',
    'larger than 4 MiB':
        '大于 4 MiB',
    "'%s' is not a division code (6 digits, province 11..82)":
        '“%s”不是区划代码（6 位数字，省份 11..82）',
    '%s groups the units of %s (省直辖县级行政区划, 市辖区 or 县) and is no unit itself':
        '%s 是%s所辖单位的汇总代码（省直辖县级行政区划、市辖区或县），本身不是单位',
    'a municipality':
        '直辖市',
    'a province':
        '省',
    '%s is not in the division table':
        '%s 不在区划表中',
    'success':
        '成功',
    'invalid input':
        '输入无效',
    'input/output error':
        '输入/输出错误',
    'malformed message':
        '消息格式错误',
    'signature does not verify':
        '签名验证失败',
    'sender or key not in the trust list':
        '发送方或密钥不在信任列表中',
    'addressed to another node':
        '发给了其他节点',
    'message or certificate too old':
        '消息或证明过旧',
    'created too far in the future':
        '创建时间超前太多',
    'message id reused with other content':
        '消息编号被重复用于不同内容',
    'over a size limit':
        '超过大小限制',
    'timed out':
        '超时',
    'storage failure':
        '存储故障',
    'key missing, unreadable or of the wrong kind':
        '密钥缺失、无法读取或类型不对',
    'configuration error':
        '配置错误',
    'not found':
        '未找到',
    'refused by the peer':
        '被对端节点拒绝',
    'answer not bound to the request':
        '答复与请求不对应',
    'registration node unreachable':
        '户籍地节点无法连接',
    'internal error':
        '内部错误',
    'storage map full':
        '存储映射已满',
    'already receiving this program elsewhere':
        '已在别处享受该救助类别',
    'no such enrollment':
        '没有该救助记录',
    'refused by the local eligibility policy':
        '被本地资格政策拒绝',
    "the node's data disk is full":
        '本节点的数据盘已满',
    'over the rate limit for this peer; retry later':
        '超过该对端节点的速率限制；请稍后重试',
    'too many requests outstanding; retry later':
        '未完成的请求过多；请稍后重试',
    "the registration node's roster is missing or too old to certify NOT_RECEIVING":
        '户籍地节点的名册缺失或过旧，无法证明未享受',
    "the registration node's answer was refused by the own node":
        '户籍地节点的答复被本节点拒绝',
    'this terminal may not make this request':
        '此终端无权发出此请求',
    'some audit entries are not covered by a signed checkpoint':
        '部分审计条目未被已签名的检查点覆盖',
    'unknown error':
        '未知错误',
    "%s: character %d is '%c', must be a digit%s":
        '%s：第 %d 个字符是“%c”，必须是数字%s',
    " or 'X'":
        '或“X”',
    '%s: character %d (byte 0x%02x) must be a digit%s':
        '%s：第 %d 个字符（字节 0x%02x）必须是数字%s',
    '%s: date of birth %08u is not a calendar date':
        '%s：出生日期 %08u 不是有效日期',
    '%s: date of birth %08u is before 1900':
        '%s：出生日期 %08u 早于 1900 年',
    '%s: date of birth %08u is after today (%08u)':
        '%s：出生日期 %08u 晚于今天（%08u）',
    "%s: a foreigner's permanent residence ID (9...) names the mainland province that issued it in characters 2-3; %.2s is none":
        '%s：外国人永久居留身份证（9 开头）的第 2-3 位是签发地内地省份代码；%.2s 不是',
    "%s: a foreigner's permanent residence ID (9...) holds a country code in characters 4-6; 000 is none":
        '%s：外国人永久居留身份证（9 开头）的第 4-6 位是国籍代码；000 不是',
    '%s: area code %s: a %s number starts %s':
        '%s：地区码 %s：%s号码以 %s 开头',
    '%s: area code %s is not a division code (province must be 11..82)':
        '%s：地区码 %s 不是区划代码（省份必须为 11..82）',
    "%s: area code %s is not in a province of the mainland; Hong Kong, Macao and Taiwan residents' permits start 810000, 820000 or 830000":
        '%s：地区码 %s 不在内地省份；港澳台居民居住证以 810000、820000 或 830000 开头',
    '%s: missing':
        '%s：缺失',
    '%s: must be %d characters, got %zu':
        '%s：必须为 %d 个字符，实为 %zu 个',
    "%s: check character is '%c' but should be '%c'":
        '%s：校验码是“%c”，应为“%c”',
    'proof.entry: not an audit entry, or its length does not match its header':
        'proof.entry：不是审计条目，或其长度与头部不符',
    'proof.entry: entry %llu is not a sent entry (kind %u)':
        'proof.entry：第 %llu 条不是发送条目（类型 %u）',
    'proof.entry: holds no envelope':
        'proof.entry：不含信封',
    'proof: not a proof bundle (magic %s)':
        'proof：不是证明材料包（标识 %s）',
    'proof.seq: is 0':
        'proof.seq：为 0',
    'proof.entry_len: %zu does not fit the %zu bytes':
        'proof.entry_len：%zu 与 %zu 字节不符',
    'proof.path: %zu hashes need %zu bytes in all, the bundle has %zu':
        'proof.path：%zu 个哈希共需 %zu 字节，材料包只有 %zu 字节',
    'proof.checkpoint: malformed':
        'proof.checkpoint：格式错误',
    'key %s of node %s was revoked as compromised and the trust list holds no trusted checkpoint for it':
        '节点 %2$s 的密钥 %1$s 已因泄露被吊销，而信任列表中没有它的可信检查点',
    'key %s of node %s was revoked as compromised: a proof is accepted only under its trusted checkpoint %llu:%s, not %llu:%s':
        '节点 %2$s 的密钥 %1$s 已因泄露被吊销：证明材料只在其可信检查点 %3$llu:%4$s 下才被接受，而不是 %5$llu:%6$s',
    'header.type: must be CERTIFICATE':
        'header.type：必须是 CERTIFICATE',
    'key_id %s: belongs to node %s, not to sender %s':
        'key_id %s：属于节点 %s，而不是发送方 %s',
    'certificate: signature does not verify with key %s of node %s':
        '证明：用节点 %2$s 的密钥 %1$s 验证签名失败',
    'certificate: %s':
        '证明：%s',
    'proof.checkpoint: signed by node %s, the certificate by %s':
        'proof.checkpoint：由节点 %s 签名，证明由 %s 签名',
    'proof.checkpoint: %s':
        'proof.checkpoint：%s',
    'proof.checkpoint: of node %s, the certificate is by %s':
        'proof.checkpoint：属于节点 %s，证明由 %s 签发',
    'proof.checkpoint: of size %llu does not cover entry %llu':
        'proof.checkpoint：大小 %llu，未覆盖第 %llu 条',
    "proof.path: does not lead from entry %llu to the checkpoint's root":
        'proof.path：不能从第 %llu 条通到检查点的根',
    'proof too long':
        '证明材料过长',
    'checkpoint: %zu bytes, not %d':
        '检查点：%zu 字节，而不是 %d 字节',
    'proof hash %zu is not 32 bytes':
        '证明材料哈希 %zu 不是 32 字节',
    'entry is malformed':
        '条目格式错误',
    'entry %llu does not contain this certificate':
        '第 %llu 条不含此证明',
    'entry hash does not match SHA-256 of the entry':
        '条目哈希与条目的 SHA-256 不符',
    'month: missing (YYYY-MM)':
        'month：缺失（YYYY-MM）',
    "month: '%s' is not of the form YYYY-MM":
        'month：“%s”不是 YYYY-MM 格式',
    'month: year %d is before 1970':
        'month：年份 %d 早于 1970',
    "month: '%s' has no month %02d (01..12)":
        'month：“%s”没有 %02d 月（01..12）',
    'report.%s':
        'report.%s',
    'report.period: %llu..%llu is not one month':
        'report.period：%llu..%llu 不是一个月',
    'report.rows[%zu].kind: missing':
        'report.rows[%zu].kind：缺失',
    'report.rows[%zu].township: not empty nor a 9-digit township code':
        'report.rows[%zu].township：既不为空，也不是 9 位乡镇（街道）代码',
    'signed_report.signature: %zu bytes, not %d':
        'signed_report.signature：%zu 字节，而不是 %d 字节',
    'signed_report.key_id %s: not in the trust list':
        'signed_report.key_id %s：不在信任列表中',
    'signature does not verify with key %s of node %s':
        '用节点 %2$s 的密钥 %1$s 验证签名失败',
    'key_id %s: belongs to node %s, not to report.node %s':
        'key_id %s：属于节点 %s，而不是 report.node %s',
    'signed_report: empty':
        'signed_report：为空',
    'home_county: missing (the 6-digit code of the registration county)':
        'home_county：缺失（户籍地县的 6 位代码）',
    'home_county: %s':
        'home_county：%s',
    'home_county: %s is not on the mainland: Taiwan, Hong Kong and Macao keep no household register a registration node answers for':
        'home_county：%s 不在内地：台湾、香港和澳门没有户籍地节点负责的户籍',
    'home_county: the applicant holds a %s and has no registration county; leave home_county empty and the notice is recorded at this node':
        'home_county：申请人持有%s，没有户籍地县；请将 home_county 留空，告知记录在本节点',
    '%s: %u is not a calendar date (YYYYMMDD)':
        '%s：%u 不是有效日期（YYYYMMDD）',
    '%s: %u is before %u':
        '%s：%u 早于 %u',
    '%s: %s is in the future (tolerance %d day)':
        '%s：%s 在未来（容差 %d 天）',
    '%s.name: missing':
        '%s.name：缺失',
    'members: at most %d household members':
        'members：最多 %d 名家庭成员',
    '%s.id_number: same person as %s':
        '%s.id_number：与%s是同一人',
    'an earlier member':
        '前面的家庭成员',
    'the applicant':
        '申请人',
    'query: missing':
        '查询：缺失',
    'applicant.id_number: a %s names no registration county, so no registration node can be asked; emergency TEMP for its holder is recorded at this node (a notice without home_county: xiecha emergency without --home)':
        'applicant.id_number：%s不指明户籍地县，无法查询户籍地节点；其持有人的急难临时救助记录在本节点（不带 home_county 的告知：xiecha emergency 不加 --home）',
    'programs: at least one program is required':
        'programs：至少需要一个救助类别',
    'notice: missing':
        '告知：缺失',
    'kind: unknown notice kind %d':
        'kind：未知的告知类型 %d',
    'program: missing':
        'program：缺失',
    'program: unknown program %d':
        'program：未知的救助类别 %d',
    'program: emergency aid is always TEMP, got %s':
        'program：急难救助总是 TEMP，实为 %s',
    'reason: missing':
        'reason：缺失',
    'reason: unknown termination reason %d':
        'reason：未知的终止原因 %d',
    "member_only: only a termination can end one member's aid alone":
        'member_only：只有终止才能单独结束一名家庭成员的救助',
    'amount_band: %u is not a band (1..%d)':
        'amount_band：%u 不是有效档次（1..%d）',
    'aid_reason: missing':
        'aid_reason：缺失',
    'aid_reason: %zu bytes, longer than %d':
        'aid_reason：%zu 字节，超过 %d',
    'wait_ms: %u is not 0..%d ms':
        'wait_ms：%u 不在 0..%d 毫秒之内',
    'checkin: missing':
        '报到：缺失',
    'due: missing':
        '到期：缺失',
    'import: missing':
        '导入：缺失',
    "%s: a delta changes its rows only; a date and programs are a snapshot's":
        '%s：增量只改变其中的行；日期和救助类别属于快照',
    'roster: missing':
        '名册：缺失',
    'action: unknown action %d':
        'action：未知操作 %d',
    'row: missing':
        'row：缺失',
    'until: %s is before since %s':
        'until：%s 早于 since %s',
    '%s: %s (in %s)':
        '%s：%s（在 %s 中）',
    'field %u (%s): value %s':
        '字段 %u（%s）：值%s',
    'field %u (%s): %lld is not a value of %s':
        '字段 %u（%s）：%lld 不是 %s 的值',
    'field %u (%s): %llu is out of range for its type':
        '字段 %u（%s）：%llu 超出其类型的范围',
    'field %u (%s): nested deeper than %d':
        '字段 %u（%s）：嵌套深于 %d 层',
    'field %u (%s): empty packed run (an empty repeated field is absent)':
        '字段 %u（%s）：空的 packed 序列（空的 repeated 字段应省略）',
    'field %u (%s): packed run of %zu bytes is not a multiple of %zu':
        '字段 %u（%s）：%zu 字节的 packed 序列不是 %zu 的倍数',
    'field %u (%s): holds its default (empty) and must be absent':
        '字段 %u（%s）：为默认值（空），必须省略',
    'field %u (%s): %s':
        '字段 %u（%s）：%s',
    'field %u (%s): %s, its canonical form is %s':
        '字段 %u（%s）：%s，其规范形式为 %s',
    'packed':
        'packed',
    'not packed':
        '非 packed',
    'unpacked':
        '非 packed',
    'field %u (%s): wire type %d, its type takes %d':
        '字段 %u（%s）：线路类型 %d，其类型应为 %d',
    'field %u (%s) occurs twice':
        '字段 %u（%s）出现两次',
    'field %u (%s) after field %u: fields must be in ascending order':
        '字段 %u（%s）在字段 %u 之后：字段必须按升序排列',
    'fields %u (%s) and %u (%s) of one oneof are both present':
        '同一 oneof 的字段 %u（%s）和 %u（%s）同时出现',
    'a field tag at byte %zu %s':
        '第 %zu 字节处的字段标签%s',
    'field number %llu at byte %zu is not a field number':
        '第 %2$zu 字节处的字段号 %1$llu 不是有效字段号',
    'unknown field %llu':
        '未知字段 %llu',
    'field %u (%s): holds its default (0) and must be absent':
        '字段 %u（%s）：为默认值（0），必须省略',
    'field %u (%s): value is cut off':
        '字段 %u（%s）：值被截断',
    'field %u (%s): length %s':
        '字段 %u（%s）：长度%s',
    'field %u (%s): %llu bytes announced, %zu left':
        '字段 %u（%s）：声明 %llu 字节，只剩 %zu 字节',
    'has %u fields, more than the walker handles':
        '有 %u 个字段，超过检查程序能处理的数量',
    'strict check: no message':
        '严格检查：没有消息',
    '%s: cannot unpack':
        '%s：无法解码',
    "role '%.*s' is none of caseworker, roster, auditor, admin":
        '角色“%.*s”不是 caseworker、roster、auditor、admin 之一',
    'no role given (caseworker, roster, auditor, admin)':
        '未给出角色（caseworker、roster、auditor、admin）',
    "terminal %s is revoked in the node's terminal list":
        '终端 %s 在本节点的终端列表中已被吊销',
    'terminal %s is not valid before %s':
        '终端 %s 在 %s 之前无效',
    'terminal %s expired at %s':
        '终端 %s 已于 %s 过期',
    '%s: terminal %s: %s: %s':
        '%s：终端 %s：%s：%s',
    '%s: terminal #%zu: %s: %s':
        '%s：终端 #%zu：%s：%s',
    'unknown field':
        '未知字段',
    'given twice':
        '出现两次',
    'must be later than not_before':
        '必须晚于 not_before',
    '%s: terminal %s is listed twice':
        '%s：终端 %s 出现两次',
    '%s: terminals %s and %s have the same CURVE key: every terminal needs its own':
        '%s：终端 %s 和 %s 的 CURVE 密钥相同：每个终端需要自己的密钥',
    "%s: '%s': only 'terminal' sections belong in a terminal list":
        '%s：“%s”：终端列表中只能有“terminal”节',
    '%s: more than %d terminals':
        '%s：终端超过 %d 个',
    '%s: not valid ZPL (indent by 4 spaces, key = value)':
        '%s：不是有效的 ZPL（缩进 4 个空格，键 = 值）',
    '%s: cannot read the terminal list':
        '%s：无法读取终端列表',
    '%s: %s: key %d: %s: %s':
        '%s：%s：密钥 %d：%s：%s',
    'must be a UTC time like 2026-01-01T00:00:00Z':
        '必须是 UTC 时间，如 2026-01-01T00:00:00Z',
    'must be "retired" or "compromised"':
        '必须是“retired”或“compromised”',
    'must be "SIZE:ROOT", a tree size and its Merkle root in 64 hex characters':
        '必须是“SIZE:ROOT”，即树大小及其 64 个十六进制字符的 Merkle 根',
    'must be 64 hex characters (Ed25519 public key)':
        '必须是 64 个十六进制字符（Ed25519 公钥）',
    'not a usable Ed25519 public key':
        '不是可用的 Ed25519 公钥',
    'needs revoked_at':
        '需要 revoked_at',
    'goes with revoked_reason "compromised" only (a retired key keeps what it made before revoked_at)':
        '只能与 revoked_reason “compromised”同用（停用的密钥在 revoked_at 之前签发的仍然有效）',
    'given twice in one key':
        '在同一密钥中出现两次',
    'must not be earlier than not_before':
        '不得早于 not_before',
    'must be a 6-digit division code with a province 11..82':
        '必须是省份为 11..82 的 6 位区划代码',
    'must be under 96 bytes of text':
        '文本必须少于 96 字节',
    'must be a ZeroMQ endpoint like tcp://host:port, under 256 bytes':
        '必须是 ZeroMQ 端点，如 tcp://host:port，少于 256 字节',
    'must be 40 Z85 characters':
        '必须是 40 个 Z85 字符',
    'given twice in one node':
        '在同一节点中出现两次',
    'a node needs at least one key':
        '节点至少需要一个密钥',
    '%s: node %d (%s): code: listed twice (also node %d)':
        '%s：节点 %d（%s）：code：出现两次（另见节点 %d）',
    '%s: key %s: listed twice (node %d (%s) key %d and node %d (%s) key %d)':
        '%s：密钥 %s：出现两次（节点 %d（%s）的密钥 %d 和节点 %d（%s）的密钥 %d）',
    '%s: curve key of node %s also listed for node %s':
        '%s：节点 %s 的 curve 密钥也列给了节点 %s',
    '%s: trust: serial: must be a positive integer':
        '%s：trust：serial：必须是正整数',
    '%s: trust: %s: must be a UTC time like 2026-01-01T00:00:00Z':
        '%s：trust：%s：必须是 UTC 时间，如 2026-01-01T00:00:00Z',
    "%s: trust: %s: must be 1..366 days, got '%s'":
        '%s：trust：%s：必须为 1..366 天，实为“%s”',
    '%s: no `trust` section':
        '%s：没有 `trust` 节',
    '%s: trust: version: must be 1':
        '%s：trust：version：必须为 1',
    '%s: trust: %s: given twice':
        '%s：trust：%s：出现两次',
    '%s: trust: %s: unknown field':
        '%s：trust：%s：未知字段',
    '%s: not valid ZPL':
        '%s：不是有效的 ZPL',
    '%s: cannot read':
        '%s：无法读取',
    'no key':
        '没有密钥',
    'key %s of node %s not valid at %s (valid from %s)':
        '节点 %2$s 的密钥 %1$s 在 %3$s 无效（自 %4$s 起有效）',
    'key %s of node %s not valid at %s (expired %s)':
        '节点 %2$s 的密钥 %1$s 在 %3$s 无效（已于 %4$s 过期）',
    'key %s of node %s revoked as compromised at %s: nothing it signed is trusted (claims %s)':
        '节点 %2$s 的密钥 %1$s 已于 %3$s 因泄露被吊销：它签发的任何内容都不可信（声称 %4$s）',
    'key %s of node %s retired at %s (made at %s)':
        '节点 %2$s 的密钥 %1$s 已于 %3$s 停用（签发于 %4$s）',
    '%s: too large':
        '%s：过大',
    '%s: missing or unreadable: the trust list is not signed':
        '%s：缺失或无法读取：信任列表未签名',
    '%s: must be one line: key id (16 hex) and signature (128 hex)':
        '%s：必须是一行：密钥编号（16 个十六进制字符）和签名（128 个十六进制字符）',
    '%s: signed by key %s, not the root key %s':
        '%s：由密钥 %s 签名，而不是根密钥 %s',
    'root key: not a usable Ed25519 public key':
        '根密钥：不是可用的 Ed25519 公钥',
    '%s: signature by root key %s does not match the file (changed since it was signed?)':
        '%s：根密钥 %s 的签名与文件不符（签名后被改动过？）',
    '%s: trust: a signed list needs serial, issued and next_update':
        '%s：trust：已签名的列表需要 serial、issued 和 next_update',
    '%s: trust: next_update must be later than issued':
        '%s：trust：next_update 必须晚于 issued',
    '%s: trust: serial %llu is older than %llu, the oldest accepted':
        '%s：trust：serial %llu 早于可接受的最早序号 %llu',
    '%s: contains a NUL byte':
        '%s：含 NUL 字节',
    'trust list %s gives no issued/next_update: no validity period to check':
        '信任列表 %s 未给出 issued/next_update：无有效期可查',
    'trust list %s (serial %llu) expired at %s (next update due then; checked at %s)':
        '信任列表 %s（序号 %llu）已于 %s 过期（届时应更新；检查时间 %s）',
    'trust list %s (serial %llu) not issued until %s (checked at %s)':
        '信任列表 %s（序号 %llu）在 %s 之前未签发（检查时间 %s）',
    'root key: cannot sign (no private half?)':
        '根密钥：无法签名（缺少私钥？）',
    'query.subjects: must hold 1..%d subjects, got %zu':
        'query.subjects：必须有 1..%d 个对象，实为 %zu 个',
    'query.subjects[%zu]: must be %d bytes, got %zu':
        'query.subjects[%zu]：必须为 %d 字节，实为 %zu 字节',
    'query.programs: must name at least one program':
        'query.programs：必须至少指明一个救助类别',
    'query.relation: unknown relation %d':
        'query.relation：未知关系 %d',
    'certificate.query_id: must be %d bytes, got %zu':
        'certificate.query_id：必须为 %d 字节，实为 %zu 字节',
    'certificate.query_digest: must be %d bytes, got %zu':
        'certificate.query_digest：必须为 %d 字节，实为 %zu 字节',
    'certificate.results: at most %d, got %zu':
        'certificate.results：最多 %d 个，实为 %zu 个',
    'certificate.results[%zu].subject: must be %d bytes, got %zu':
        'certificate.results[%zu].subject：必须为 %d 字节，实为 %zu 字节',
    'certificate.relation: unknown relation %d':
        'certificate.relation：未知关系 %d',
    'error.request_digest: must be empty or %d bytes, got %zu':
        'error.request_digest：必须为空或 %d 字节，实为 %zu 字节',
    '%s: %u is not a calendar date':
        '%s：%u 不是有效日期',
    'notice.conflict: missing from a CONFLICT notice':
        'notice.conflict：CONFLICT 告知中缺失',
    'notice.kind: unknown kind %d':
        'notice.kind：未知类型 %d',
    'notice.subjects: must hold 1..%d subjects, got %zu':
        'notice.subjects：必须有 1..%d 个对象，实为 %zu 个',
    'notice.subjects[%zu]: must be %d bytes, got %zu':
        'notice.subjects[%zu]：必须为 %d 字节，实为 %zu 字节',
    'notice.program: unknown program %d':
        'notice.program：未知救助类别 %d',
    'notice.program: emergency aid is TEMP, got %s':
        'notice.program：急难救助是 TEMP，实为 %s',
    'notice.conflict: only in a CONFLICT notice':
        'notice.conflict：只能出现在 CONFLICT 告知中',
    'notice.reason: unknown reason %d':
        'notice.reason：未知原因 %d',
    'notice.subjects: a CONFLICT notice is about one subject, got %zu':
        'notice.subjects：CONFLICT 告知只涉及一个对象，实为 %zu 个',
    'ack.notice_digest: must be %d bytes, got %zu':
        'ack.notice_digest：必须为 %d 字节，实为 %zu 字节',
    '%s.township: must be empty or a 9-digit township code of the sender\'s county %s, got "%s"':
        '%s.township：必须为空，或是发送方所在县 %s 的 9 位乡镇（街道）代码，实为“%s”',
    'header: missing':
        'header：缺失',
    'header.version: must be %d, got %u':
        'header.version：必须为 %d，实为 %u',
    'header.msg_id: must be %d bytes, got %zu':
        'header.msg_id：必须为 %d 字节，实为 %zu 字节',
    'header.sender: must be a 6-digit division code, got "%s"':
        'header.sender：必须是 6 位区划代码，实为“%s”',
    'header.recipient: must be a 6-digit division code, got "%s"':
        'header.recipient：必须是 6 位区划代码，实为“%s”',
    'header.in_reply_to: must be empty or %d bytes, got %zu':
        'header.in_reply_to：必须为空或 %d 字节，实为 %zu 字节',
    'header.type: unknown message type %d':
        'header.type：未知消息类型 %d',
    'body: header.type is %s but the body is %s':
        'body：header.type 是 %s，而消息体是 %s',
    'envelope.signature: must be %d bytes, got %zu':
        'envelope.signature：必须为 %d 字节，实为 %zu 字节',
    'envelope.key_id: must be %d lower-case hex characters, got "%s"':
        'envelope.key_id：必须是 %d 个小写十六进制字符，实为“%s”',
    'envelope.signed: empty':
        'envelope.signed：为空',
    'envelope: empty':
        '信封：为空',
    'envelope: %zu bytes, over the limit of %d':
        '信封：%zu 字节，超过上限 %d',
    'envelope: does not parse as an Envelope':
        '信封：无法解析为 Envelope',
    'envelope.signed: does not parse as a Signed message':
        'envelope.signed：无法解析为 Signed 消息',
    'envelope: not opened':
        '信封：未打开',
    'key_id %s: not in the trust list':
        'key_id %s：不在信任列表中',
    '%s[%zu]: unknown program %d':
        '%s[%zu]：未知救助类别 %d',
    '%s[%zu]: %s %s twice':
        '%s[%zu]：%s %s两次',
    "node/timezone: '%s' is not a time zone name (e.g. %s)":
        'node/timezone：“%s”不是时区名（例如 %s）',
    'node/timezone: no zone %s (%s not found; is the tzdata package installed?)':
        'node/timezone：没有时区 %s（未找到 %s；是否安装了 tzdata 软件包？）',
    'node/timezone: %s is not time zone data':
        'node/timezone：%s 不是时区数据',
    'node/timezone: cannot set':
        'node/timezone：无法设置',
    "Usage: xiechad --config FILE [--check | --init] [--verbose]\n\nxiechad is the xiecha node daemon of one county civil-affairs bureau.\nIt answers signed cross-jurisdiction queries from other nodes and\nasks them on behalf of its township terminals. It runs in the\nforeground and logs to stderr; stop it with SIGTERM or SIGINT.\n\nOptions:\n  -c, --config FILE   node configuration (ZPL)\n  -n, --check         check the configuration, keys and trust list\n                      and, read-only, the store in node/data_dir\n                      as a start would (its owner, size, audit\n                      log tail and last checkpoint, the trust\n                      list's serial and digest), then exit: 0 if\n                      good, 1 naming what is wrong\n  -i, --init          first start: create node/data_dir (mode 0700)\n                      if missing and a new store in it recording\n                      this node's code, key and creation time,\n                      then exit.  Refused when a store is there.\n                      Without it the node refuses a missing, empty\n                      or damaged store instead of starting afresh\n  -v, --verbose       log debug lines too\n  -h, --help          this text\n  -V, --version       print the version\n\nConfiguration keys (ZPL, 4-space indent):\n":
        '用法：xiechad --config FILE [--check | --init] [--verbose]\n\nxiechad 是一个县民政局的 xiecha 节点守护进程。\n它答复其他节点发来的已签名跨地区查询，并代本县乡镇（街道）\n终端向其他节点查询。它在前台运行，日志写到标准错误；\n用 SIGTERM 或 SIGINT 停止。\n\n选项：\n  -c, --config FILE   节点配置（ZPL）\n  -n, --check         检查配置、密钥和信任列表，并以只读方式\n                      像启动时一样检查 node/data_dir 中的存储\n                      （其归属、大小、审计日志末尾和最后一个\n                      检查点、信任列表的序号和摘要），然后退出：\n                      无误为 0，有误为 1 并指明错在哪里\n  -i, --init          首次启动：创建 node/data_dir（权限 0700，\n                      若不存在）及其中的新存储，记录本节点的\n                      代码、密钥和创建时间，然后退出。已有存储时\n                      拒绝执行。不加此选项时，节点拒绝缺失、\n                      为空或损坏的存储，而不会从头开始\n  -v, --verbose       也记录调试日志\n  -h, --help          显示本说明\n  -V, --version       显示版本\n\n配置项（ZPL，缩进 4 个空格）：\n',
    '\nSee xiechad(8).\n':
        '\n详见 xiechad(8)。\n',
    '%s: division table not loaded (%s): names unknown, relations unaffected\n':
        '%s：区划表未加载（%s）：名称未知，关系不受影响\n',
    '%s: division table %s: %zu divisions; node %s %s\n':
        '%s：区划表 %s：%zu 个区划；节点 %s %s\n',
    'is not listed in it':
        '不在表中',
    '%s: warning: node/code: %s\n':
        '%s：警告：node/code：%s\n',
    '%s: store created in %s for node %s (%s), key %s; start the node with: xiechad --config %s\n':
        '%s：已在 %s 中为节点 %s（%s）创建存储，密钥 %s；启动节点：xiechad --config %s\n',
    '%s: configuration OK: node %s (%s), key %s, trust list of %zu nodes\n':
        '%s：配置无误：节点 %s（%s），密钥 %s，信任列表共 %zu 个节点\n',
    '%s: next signing key %s%s\n':
        '%s：下一个签名密钥 %s%s\n',
    ' (in the trust list)':
        '（已在信任列表中）',
    ' (not in the trust list yet)':
        '（尚未列入信任列表）',
    '%s: trust list %s signed by the root key, serial %llu\n':
        '%s：信任列表 %s 由根密钥签名，序号 %llu\n',
    '%s: trust list %s not checked for a signature (trust/root not set)\n':
        '%s：信任列表 %s 未检查签名（未设置 trust/root）\n',
    '%s: limits: a peer %d messages/s (burst %d) and %d subject lookups/s (burst %d); its refusals add at most %llu bytes of audit entries an hour; a terminal %d requests outstanding\n':
        '%s：限额：每个对端节点每秒 %d 条消息（突发 %d）、每秒查 %d 个对象（突发 %d）；其被拒消息每小时最多增加 %llu 字节审计条目；每个终端最多 %d 个未完成请求\n',
    '%s: terminals on %s (CURVE): %zu terminals in %s; a terminal %d queries a minute (burst %d)\n':
        '%s：终端端点 %s（CURVE）：%zu 个终端，列于 %s；每个终端每分钟 %d 次查询（突发 %d）\n',
    '%s: no terminal endpoint (node/terminal_bind): local administration over %s only\n':
        '%s：没有终端端点（node/terminal_bind）：只能通过 %s 本地管理\n',
    '%s: trust list serial %llu may follow serial %llu, the last this node used (store %s)\n':
        '%s：信任列表序号 %llu 可接续序号 %llu，即本节点上次使用的序号（存储 %s）\n',
    '%s: no trust list serial stored in %s yet\n':
        '%s：%s 中尚未记录信任列表序号\n',
    '%s: store %s: audit entries %llu..%llu verified%s':
        '%s：存储 %s：审计条目 %llu..%llu 已验证%s',
    ', last checkpoint ':
        '，最后一个检查点 ',
    ' (no checkpoint yet)':
        '（尚无检查点）',
    '%llu signed':
        '%llu 已签名',
    '%s: %s is in use by %s\n':
        '%s：%s 正被 %s 使用\n',
    '%s: no daemon runs on %s\n':
        '%s：%s 上没有运行中的守护进程\n',
    '--config FILE is required':
        '必须给出 --config FILE',
    '--check and --init exclude each other':
        '--check 和 --init 不能同时使用',
    'unexpected argument':
        '多余的参数',
    "this node's 6-digit division code (GB/T 2260)":
        '本节点的 6 位区划代码（GB/T 2260）',
    'display name':
        '显示名称',
    "IANA time zone of the county: today's date, check-in and due dates, roster dates and the months of reports are reckoned in it":
        '本县的 IANA 时区：今天的日期、报到和到期日期、名册日期以及报表的月份都按此时区计算',
    'directory of the LMDB environment (made by xiechad --init)':
        'LMDB 环境所在目录（由 xiechad --init 创建）',
    'disk kept allocated for the store, so a full disk still leaves room to answer peers; imports, notices and check-ins are refused while it cannot be kept (0: none)':
        '为存储预留的磁盘空间，磁盘满时仍可答复对端节点；无法保持预留时拒绝导入、告知和报到（0：不预留）',
    'endpoint of the peer ROUTER (CURVE server), e.g. tcp://0.0.0.0:7101':
        '对端 ROUTER 的端点（CURVE 服务端），例如 tcp://0.0.0.0:7101',
    'IPC endpoint for local administration (every role); never tcp://, which would be plain: remote terminals use terminal_bind':
        '本地管理用的 IPC 端点（所有角色）；不能用 tcp://，那是明文的：远程终端使用 terminal_bind',
    "group given the client IPC socket, so a local admin group may use it (empty: the daemon's own)":
        '赋予客户端 IPC 套接字的用户组，使本地管理组可以使用它（空：守护进程自己的组）',
    'octal mode of the client IPC socket (0600, or 0660 with a group)':
        '客户端 IPC 套接字的八进制权限（0600，或配合用户组用 0660）',
    'tcp://HOST:PORT for township terminals: CURVE with keys/curve, admitting only the keys of node/terminals (empty: none)':
        '乡镇（街道）终端用的 tcp://HOST:PORT：使用 keys/curve 的 CURVE，只接纳 node/terminals 中的密钥（空：不开放）',
    'the terminal list (id, township, operator, CURVE key, roles, validity, revoked); reloaded on SIGHUP':
        '终端列表（编号、乡镇（街道）、经办人、CURVE 密钥、角色、有效期、吊销）；收到 SIGHUP 时重新读取',
    'Ed25519 private key, PEM (xiecha keygen)':
        'Ed25519 私钥，PEM 格式（xiecha keygen）',
    'the next Ed25519 key; used from its not_before in the trust list':
        '下一个 Ed25519 密钥；自其在信任列表中的 not_before 起使用',
    'CURVE certificate; the secret is read from FILE_secret':
        'CURVE 证书；私钥从 FILE_secret 读取',
    'trust list file':
        '信任列表文件',
    'network salt for subject refs, hex':
        '对象编号用的网络盐值，十六进制',
    'root Ed25519 public key, 64 hex; when set the trust list must be signed by it (LIST.sig)':
        '根 Ed25519 公钥，64 个十六进制字符；设置后信任列表必须由其签名（LIST.sig）',
    'eligibility policy preset (config/policy/*.zpl); empty = permissive':
        '资格政策预设（config/policy/*.zpl）；空 = 不限制',
    'how long to wait for the registration node':
        '等待户籍地节点的时长',
    "how far a peer's created-at may be from our clock":
        '对端节点的创建时间与本节点时钟最多相差多少',
    'how long an issued certificate stays valid':
        '签发的证明有效多久',
    'largest peer message accepted':
        '接受的最大对端消息',
    'messages handled per write transaction (group commit)':
        '每个写事务处理的消息数（成组提交）',
    'longest pause between deliveries of an unacknowledged notice':
        '未确认告知两次投递之间的最长间隔',
    'how often to sign an audit checkpoint when the log grew':
        '审计日志增长时多久签发一次审计检查点',
    'audit entries per export page (one back-office job)':
        '每个导出页的审计条目数（一个后台任务）',
    'how often the back office re-verifies the whole audit log and the index against it (0: never; `xiecha audit check` on demand)':
        '后台多久重新验证一次整个审计日志及据其建立的索引（0：从不；可随时用 `xiecha audit check`）',
    'messages one peer may send a second, sustained':
        '每个对端节点每秒可发送的消息数（持续）',
    'messages one peer may send at once beyond the rate':
        '每个对端节点在速率之外可一次发送的消息数',
    'subject lookups one peer may ask for a second, sustained':
        '每个对端节点每秒可查询的对象数（持续）',
    "subject lookups one peer may ask for at once (at least a full query's 64)":
        '每个对端节点一次可查询的对象数（至少为一次完整查询的 64 个）',
    'refused or repeated messages of one peer kept one by one a minute; beyond, counted in one summary entry':
        '每个对端节点每分钟逐条保留的被拒或重复消息数；超出部分计入一条汇总条目',
    'bytes of a refused or repeated message kept in the audit log beside its SHA-256 and length':
        '被拒或重复消息在审计日志中保留的字节数（另有其 SHA-256 和长度）',
    'requests one terminal may have unanswered; beyond, "busy"':
        '每个终端可有的未答复请求数；超出则为“忙”',
    'messages queued per terminal each way on the client socket':
        '客户端套接字上每个终端每个方向排队的消息数',
    'queries one terminal may make a minute, sustained (IPC: unlimited)':
        '每个终端每分钟可发出的查询数（持续；IPC 不限）',
    'queries one terminal may make at once beyond the rate':
        '每个终端在速率之外可一次发出的查询数',
    "how many days before its making a notice's start or end date may lie":
        '告知的开始或结束日期最多可早于其制作日多少天',
    "how many days ahead a notice's, a roster row's or a snapshot's date may lie":
        '告知、名册行或快照的日期最多可晚于今天多少天',
    "how long past a peer query's signed deadline it is still answered (clock difference and time in flight; its asker has given up by then)":
        '对端查询签名的截止时间过后多久仍予答复（时钟差和传输时间；那时提问方已放弃）',
    '%s: %s: resolved path longer than %zu bytes':
        '%s：%s：解析后的路径超过 %zu 字节',
    "%s: %s: '%s' is not an octal mode of read and write bits for owner and group (0600 or 0660)":
        '%s：%s：“%s”不是属主和属组读写位的八进制权限（0600 或 0660）',
    "%s: %s: '%s' is not a 6-digit division code":
        '%s：%s：“%s”不是 6 位区划代码',
    "%s: %s: '%s' is not an endpoint (tcp://HOST:PORT or ipc://PATH)":
        '%s：%s：“%s”不是端点（tcp://HOST:PORT 或 ipc://PATH）',
    ' (xiechad --help lists them)':
        '（xiechad --help 列出全部配置项）',
    "%s: node/client_bind: '%s' is not ipc://: a TCP client endpoint would be plain, unauthenticated; serve remote terminals with node/terminal_bind (CURVE) and node/terminals":
        '%s：node/client_bind：“%s”不是 ipc://：TCP 客户端端点是明文、未经认证的；远程终端请用 node/terminal_bind（CURVE）和 node/terminals',
    "%s: node/client_ipc_group: no group '%s' on this host":
        '%s：node/client_ipc_group：本机没有用户组“%s”',
    "%s: node/terminal_bind: '%s' is not tcp://HOST:PORT":
        '%s：node/terminal_bind：“%s”不是 tcp://HOST:PORT',
    '%s: node/terminal_bind needs node/terminals: the list of terminals (and their keys) it admits':
        '%s：node/terminal_bind 需要 node/terminals：它所接纳的终端（及其密钥）列表',
    ' [%ld..%ld, default %s]':
        ' [%ld..%ld，默认 %s]',
    ' [default %s]':
        ' [默认 %s]',
    ' [required]':
        ' [必填]',
    'store %s records no node identity: it was not made by xiechad --init (an empty or replaced store?)':
        '存储 %s 没有记录节点身份：不是由 xiechad --init 创建的（空的或被替换的存储？）',
    'store %s: its node identity (%s) cannot be read: %s':
        '存储 %s：无法读取其节点身份（%s）：%s',
    'store %s belongs to node %s (created %s with key %s), not to node %s: is node/data_dir right?':
        '存储 %s 属于节点 %s（创建于 %s，密钥 %s），而不是节点 %s：node/data_dir 是否正确？',
    'signed for node %s':
        '为节点 %s 签名',
    'store %s: audit entry %llu, the last checkpoint: %s':
        '存储 %s：审计条目 %llu，即最后一个检查点：%s',
    'store %s has no audit log':
        '存储 %s 没有审计日志',
    'store %s: audit log: %s (checked at start: entries %llu..%llu)':
        '存储 %s：审计日志：%s（启动时检查：条目 %llu..%llu）',
    'store %s: the audit log is empty, though xiechad --init wrote its first entry':
        '存储 %s：审计日志为空，而 xiechad --init 已写入第一条',
    'store %s: cannot read it':
        '存储 %s：无法读取',
    'cannot test the lock: %s':
        '无法检测锁：%s',
    'node/data_dir: cannot open %s: %s':
        'node/data_dir：无法打开 %s：%s',
    'a process that has just stopped; try again':
        '一个刚停止的进程；请重试',
    'node/data_dir %s is in use by %s: one data directory serves one daemon; stop that one first or give this one its own':
        'node/data_dir %s 正被 %s 使用：一个数据目录只供一个守护进程使用；请先停止那个，或给这个单独的目录',
    'node/data_dir: cannot write %s: %s':
        'node/data_dir：无法写入 %s：%s',
    'cannot open %s: %s':
        '无法打开 %s：%s',
    'keys/next_signing: the same key as keys/signing (%s)':
        'keys/next_signing：与 keys/signing 是同一个密钥（%s）',
    'keys/curve: cannot load CURVE certificate %s (and %s_secret)':
        'keys/curve：无法加载 CURVE 证书 %s（及 %s_secret）',
    'node/code %s is not in the trust list %s':
        'node/code %s 不在信任列表 %s 中',
    'keys/signing: key %s is not listed for node %s in %s':
        'keys/signing：密钥 %s 没有列给节点 %s（%s）',
    "keys/curve: public key %s differs from the trust list's %s for node %s":
        'keys/curve：公钥 %s 与信任列表中的 %s（节点 %s）不同',
    "%s: limits/certificate_valid_s %d s is longer than the trust list's max_cert_lifetime_days %u (%u s): every certificate this node issued would verify as INVALID":
        '%s：limits/certificate_valid_s %d 秒超过信任列表的 max_cert_lifetime_days %u 天（%u 秒）：本节点签发的每份证明都会验证为无效',
    '%s: %s in the trust list %s: everything this node signs would verify as INVALID; put a key the list makes valid in place':
        '%s：%s（信任列表 %s）：本节点签名的一切都会验证为无效；请换上该列表认为有效的密钥',
    "%s: trust/root: must be 64 hex characters (the root's Ed25519 public key)":
        '%s：trust/root：必须是 64 个十六进制字符（根的 Ed25519 公钥）',
    'trust list refused (trust/root is set): %s':
        '信任列表被拒绝（已设置 trust/root）：%s',
    "header.created_at %s is %.1f s %s this node's clock (tolerance %.0f s)":
        'header.created_at %1$s 比本节点时钟%3$s %2$.1f 秒（容差 %4$.0f 秒）',
    'query.deadline: missing (a query says when its asker gives up)':
        'query.deadline：缺失（查询须写明提问方何时放弃）',
    'query.deadline: not after header.created_at':
        'query.deadline：不晚于 header.created_at',
    "query.deadline %s passed %.1f s ago by this node's clock (grace %.1f s, limits/deadline_grace_ms): the asking node has given up, so it is not answered (or the two clocks differ by that much)":
        'query.deadline %s 按本节点时钟已过去 %.1f 秒（宽限 %.1f 秒，limits/deadline_grace_ms）：提问节点已放弃，故不予答复（或两边时钟相差这么多）',
    'cannot read %s from the store':
        '无法从存储读取 %s',
    'cannot store %s':
        '无法存储 %s',
    "node/data_dir %s: %s (is the data disk mounted?); a node's first start is explicit: xiechad --init --config %s makes its store":
        'node/data_dir %s：%s（数据盘是否已挂载？）；节点首次启动须明确执行：xiechad --init --config %s 创建其存储',
    "node/data_dir %s holds no store (no data.mdb; is the data disk mounted?); a node's first start is explicit: xiechad --init --config %s makes its store":
        'node/data_dir %s 中没有存储（没有 data.mdb；数据盘是否已挂载？）；节点首次启动须明确执行：xiechad --init --config %s 创建其存储',
    '%s. The node does not serve from a store it cannot trust: restore node/data_dir %s from a backup (for a new node: move it away and run xiechad --init --config %s)':
        '%s。节点不会使用无法信任的存储提供服务：请从备份恢复 node/data_dir %s（新节点：把它移走后运行 xiechad --init --config %s）',
    'node/data_dir: cannot create %s: %s':
        'node/data_dir：无法创建 %s：%s',
    'node/data_dir %s already holds a store (data.mdb): --init makes a new store only, it never replaces one; start the node without --init, or move the store away first':
        'node/data_dir %s 中已有存储（data.mdb）：--init 只创建新存储，从不替换已有的；请不加 --init 启动节点，或先把存储移走',
    "store %s: cannot record the node's identity: %s":
        '存储 %s：无法记录节点身份：%s',
    '%s: %s: unknown program \'%.*s\' (use DIBAO, TEKUN, LOW_INCOME, DIBAO_EDGE, TEMP, "all" or "")':
        '%s：%s：未知救助类别“%.*s”（可用 DIBAO、TEKUN、LOW_INCOME、DIBAO_EDGE、TEMP、“all”或“”）',
    'case: program %d is not a Xiecha program (1..5)':
        'case：救助类别 %d 不是 Xiecha 救助类别（1..5）',
    'case: relation %d is not SAME_COUNTY..OTHER_PROVINCE':
        'case：关系 %d 不在 SAME_COUNTY..OTHER_PROVINCE 之内',
    'case: residence_months %d is negative':
        'case：residence_months %d 为负数',
    'case: permit months below -1 (-1 means no permit)':
        'case：居住证月数小于 -1（-1 表示没有居住证）',
    "policy '%s': rule out_of_province/allowed: a household registered in another province may apply for %s; %s is not among them":
        '政策“%s”：规则 out_of_province/allowed：户籍在外省的家庭可申请 %s；%s 不在其中',
    "policy '%s': rule out_of_province/when_enrolled: a household registered in another province may apply for %s only while it receives %s here; it receives none":
        '政策“%1$s”：规则 out_of_province/when_enrolled：户籍在外省的家庭只有在本地享受 %3$s 期间才可申请 %2$s；该家庭都未享受',
    "policy '%s': rule residence/%s_months: %s needs %d months of residence, household has %d":
        '政策“%s”：规则 residence/%s_months：%s 需要居住 %d 个月，该家庭为 %d 个月',
    "policy '%s': rule permit/required: %s needs a residence permit (居住证), the applicant has none":
        '政策“%s”：规则 permit/required：%s 需要居住证，申请人没有',
    "policy '%s': rule permit/months: %s needs a residence permit held %d months, the applicant has held it %d":
        '政策“%s”：规则 permit/months：%s 需要持有居住证 %d 个月，申请人持有 %d 个月',
    "policy '%s': rule permit/all_members: %s needs a residence permit for every household member, a member has none":
        '政策“%s”：规则 permit/all_members：%s 需要每名家庭成员都有居住证，有成员没有',
    "policy '%s': rule permit/all_members: %s needs every household member to have held a residence permit %d months, one has held it %d":
        '政策“%s”：规则 permit/all_members：%s 需要每名家庭成员持有居住证 %d 个月，有一名持有 %d 个月',
    'case: no policy or case':
        'case：没有政策或案例',
    "policy '%s': rule emergency/temp_bypass: TEMP at the place of an emergency (急难) is granted first and registered afterwards":
        '政策“%s”：规则 emergency/temp_bypass：在急难发生地的临时救助（急难）先予救助，事后登记',
    "policy '%s': registered in this county, residence and permit rules do not apply":
        '政策“%s”：户籍在本县，居住和居住证规则不适用',
    "policy '%s': %s meets the residence, permit and out-of-province rules":
        '政策“%s”：%s 符合居住、居住证和外省规则',
    "%s: %s: '%s' is not an integer":
        '%s：%s：“%s”不是整数',
    '%s: %s: %ld is outside %ld..%ld':
        '%s：%s：%ld 不在 %ld..%ld 之内',
    '%s: %s: longer than %zu bytes':
        '%s：%s：超过 %zu 字节',
    "%s: unknown key '%s'%s":
        '%s：未知配置项“%s”%s',
    '%s: %s: required (%s)':
        '%s：%s：必填（%s）',
    'trust list %s: serial %llu is older than serial %llu this node has already used (a replayed list?)':
        '信任列表 %s：序号 %llu 早于本节点已用过的序号 %llu（被重放的列表？）',
    'trust list %s: serial %llu (sha256 %s) differs from the list of serial %llu this node has already used (sha256 %s): a changed list needs a higher serial (a replayed or re-signed list?)':
        '信任列表 %s：序号 %llu（sha256 %s）与本节点已用过的序号 %llu 的列表（sha256 %s）不同：改动过的列表需要更高的序号（被重放或重新签名的列表？）',
    'entry %llu: checkpoint is malformed':
        '第 %llu 条：检查点格式错误',
    'entry %llu: checkpoint covers %llu entries, not the %llu before it':
        '第 %llu 条：检查点覆盖 %llu 条，而不是其前的 %llu 条',
    'entry %llu: checkpoint root does not match the entries before it':
        '第 %llu 条：检查点根与其之前的条目不符',
    'entry %llu: key is %zu bytes, not 8':
        '第 %llu 条：键为 %zu 字节，而不是 8 字节',
    'entry %llu missing':
        '第 %llu 条缺失',
    'entry %llu: malformed':
        '第 %llu 条：格式错误',
    'entry 1: prev_hash is not zero':
        '第 1 条：prev_hash 不为零',
    'entry %llu: prev_hash does not match hash of entry %llu':
        '第 %llu 条：prev_hash 与第 %llu 条的哈希不符',
    'head is malformed':
        '头部格式错误',
    'head says %llu entries, log has %llu':
        '头部称有 %llu 条，日志有 %llu 条',
    'head hash does not match hash of entry %llu':
        '头部哈希与第 %llu 条的哈希不符',
    'audit.frontier (the range the next checkpoint signs) does not match entries 1..%llu':
        'audit.frontier（下一个检查点签署的范围）与第 1..%llu 条不符',
    'audit.head is malformed':
        'audit.head 格式错误',
    'audit.sealed is malformed':
        'audit.sealed 格式错误',
    'audit.sealed names checkpoint entry %llu, the log has %llu entries':
        'audit.sealed 指向检查点条目 %llu，而日志只有 %llu 条',
    'entry %llu missing or malformed':
        '第 %llu 条缺失或格式错误',
    'audit.sealed names entry %llu, which is not a checkpoint':
        'audit.sealed 指向第 %llu 条，它不是检查点',
    'store %s: %s: %s':
        '存储 %s：%s：%s',
    'store %s: %s is not a regular file':
        '存储 %s：%s 不是普通文件',
    'store %s: %s is empty (0 bytes): no store is there, only its name':
        '存储 %s：%s 为空（0 字节）：那里没有存储，只有它的名字',
    "store %s: cannot read the environment's metadata":
        '存储 %s：无法读取环境的元数据',
    'store %s: data.mdb is truncated: %lld bytes, but its metadata says pages 0..%llu of %u bytes, %llu bytes':
        '存储 %s：data.mdb 被截断：%lld 字节，而其元数据称有 0..%llu 页，每页 %u 字节，共 %llu 字节',
    'store %s: data.mdb (%lld bytes) is not an LMDB environment: its meta pages are damaged (zeroed, truncated or overwritten?)':
        '存储 %s：data.mdb（%lld 字节）不是 LMDB 环境：其元数据页已损坏（被清零、截断或覆盖？）',
    'store %s: %s':
        '存储 %s：%s',
    'store: %s':
        '存储：%s',
    'store %s: reader check: %s':
        '存储 %s：读者检查：%s',
    'store %s: not a directory':
        '存储 %s：不是目录',
    'store %s: already open in this process':
        '存储 %s：已在本进程中打开',
    'store: out of memory':
        '存储：内存不足',
    'store %s: cannot open databases: %s':
        '存储 %s：无法打开数据库：%s',
    'is cut off':
        '被截断',
    'is longer than 10 bytes or above 2^64 - 1':
        '超过 10 字节或大于 2^64 - 1',
    'is not in its shortest form':
        '不是最短形式',
    'listed':
        '列出',
    'checked':
        '查询',
    'behind':
        '慢',
    'ahead of':
        '快',
    'key %s is not listed for node %s':
        '密钥 %s 没有列给节点 %s',
    'resident ID':
        '居民身份证',
    'Hong Kong residence permit':
        '香港居民居住证',
    'Macao residence permit':
        '澳门居民居住证',
    'Taiwan residence permit':
        '台湾居民居住证',
    "foreigner's permanent residence ID":
        '外国人永久居留身份证',
}
