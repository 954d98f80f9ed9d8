# Translations of branch sheet (CSV reader, import, query --batch).
T = {
    "Usage: xiecha query --batch FILE --out-dir DIR [--programs LIST]\n                    [--home CODE] [--jobs N] [--encoding E]\n                    [--progress] [--json]\n                    [-s ENDPOINT | -c CONFIG] [--timeout MS]\n\nAsks about every household of a spreadsheet of applicants (CSV,\nread as `xiecha import` reads a roster: UTF-8 or GB18030/GBK,\nheader row in any column order).  Columns:\n  身份证号码 id_number   the person's ID number\n  姓名 name              sent to the own node only\n  户主身份证号码 household  (also 家庭编号, 户号) rows with the same\n                         value are one household; the row whose ID\n                         number it is, else its first row, is the\n                         applicant; empty: a household of one\n  户籍地 home            registration county code (default --home)\n  救助类别 program       programs to ask about, added to --programs\nWithout a header the columns are in this order.  A household with\na bad row is not queried: its rows are reported with their lines,\nand every other household goes on.\n\nDIR receives results.csv, one row per person (ID number masked,\nname, household, registration place, the status per program, the\ncertificate file, the error), UTF-8 with BOM, and one certificate\nper household answered (household-001.pem, ...: what --out\nwrites, for `cert verify` and `cert print`).  A summary follows.\n\n  -B, --batch FILE       the applicants\n  -O, --out-dir DIR      where results and certificates go (made\n                         when missing)\n  -p, --programs LIST    dibao, tekun, low_income, dibao_edge, temp\n      --home CODE        registration county of rows without one\n  -J, --jobs N           queries in flight at once, 1..16 (4)\n  -e, --encoding E       auto (default), utf-8, gb18030 or gbk\n  -P, --progress         progress line even when stderr is no tty\n  -j, --json             the summary as JSON\n":
        '用法：xiecha query --batch 文件 --out-dir 目录 [--programs 列表]\n                    [--home 代码] [--jobs N] [--encoding 编码]\n                    [--progress] [--json]\n                    [-s 端点 | -c 配置] [--timeout 毫秒]\n\n对申请人表格（CSV，读法与 `xiecha import` 读名册相同：UTF-8 或\nGB18030/GBK，表头各列顺序不限）中的每个家庭逐一查询。各列：\n  身份证号码 id_number   本人身份证号码\n  姓名 name              只发送给本节点\n  户主身份证号码 household  （也可为 家庭编号、户号）此列相同的行为同一\n                         家庭；身份证号码与此列相同的行为申请人，否则\n                         以该家庭第一行为申请人；为空：单人家庭\n  户籍地 home            户籍地区划代码（默认 --home）\n  救助类别 program       要查询的救助类别，与 --programs 合并\n没有表头时各列按上述顺序。有错误行的家庭不查询：报告其各行及行号，\n其他家庭照常查询。\n\n目录中写入 results.csv，每人一行（身份证号码脱敏、姓名、家庭、户籍地、\n各救助类别的状态、证明文件、错误），UTF-8 带 BOM；每个得到答复的家庭\n一份证明（household-001.pem……：与 --out 写出的相同，可用于\n`cert verify` 和 `cert print`）。最后输出汇总。\n\n  -B, --batch 文件       申请人表格\n  -O, --out-dir 目录     结果和证明写入的目录（不存在时创建）\n  -p, --programs 列表    dibao、tekun、low_income、dibao_edge、temp\n      --home 代码        未填户籍地的行所用的户籍地\n  -J, --jobs N           同时进行的查询数，1..16（4）\n  -e, --encoding 编码    auto（默认）、utf-8、gb18030 或 gbk\n  -P, --progress         即使标准错误不是终端也显示进度\n  -j, --json             以 JSON 输出汇总\n',
    '  -h, --help             this text\n\nExit status: 0 when every household was answered, else the\nlargest status of a household that was not (2 a bad row, 3 its\nregistration node did not answer, ...), as below; 1 also when\nresults.csv could not be written.\n\n':
        '  -h, --help             显示本帮助\n\n退出状态：所有家庭都得到答复时为 0，否则为未得到答复的家庭中最大的\n退出状态（2 有错误行，3 户籍地节点未答复……），含义见下；无法写入\nresults.csv 时至少为 1。\n\n',
    "--home: '%s' is not a division code":
        '--home：“%s”不是区划代码',
    "--jobs: '%s' is not 1..%d":
        '--jobs：“%s”不在 1..%d 之内',
    "--encoding: '%s' is not auto, utf-8, gb18030 or gbk":
        '--encoding：“%s”不是 auto、utf-8、gb18030 或 gbk',
    "unexpected argument '%s'":
        '多余的参数“%s”',
    '--batch FILE is required':
        '必须给出 --batch 文件',
    '--out-dir DIR is required':
        '必须给出 --out-dir 目录',
    'missing':
        '缺失',
    'out of memory':
        '内存不足',
    'line %u is bad: %s':
        '第%u行有错误：%s',
    "line %u: registration place %s differs from the household's first row (%s)":
        '第%u行：户籍地 %s 与本家庭第一行（%s）不同',
    'no program to ask about: give --programs or a 救助类别 (program) column':
        '没有要查询的救助类别：请给出 --programs 或“救助类别”（program）列',
    '%zu people: a household has at most %d':
        '%zu人：一个家庭最多%d人',
    'querying households':
        '正在查询家庭',
    'cannot start a thread':
        '无法启动线程',
    'ID number':
        '身份证号码',
    'name':
        '姓名',
    'household':
        '家庭',
    'registration place':
        '户籍地',
    'certificate file':
        '证明文件',
    'error':
        '错误',
    'household %zu, line %u (%s)':
        '家庭 %zu，第%u行（%s）',
    '%s: exit %d: %s':
        '%s：退出状态 %d：%s',
    'households %zu: %zu answered, %zu failed\n':
        '家庭 %zu 个：%zu 个已答复，%zu 个失败\n',
    'people %zu: %zu receiving, %zu not receiving, %zu failed\n':
        '人员 %zu 人：%zu 人正在享受，%zu 人未享受，%zu 人失败\n',
    'results in %s/%s\n':
        '结果见 %s/%s\n',
    '%s: the file is UTF-16 (Excel\'s "Unicode text"); save it as "CSV UTF-8" or "CSV"':
        '%s：文件为 UTF-16 编码（Excel 的“Unicode 文本”）；请另存为“CSV UTF-8”或“CSV”',
    '%s:%u: not UTF-8 (byte 0x%02x); --encoding gb18030 reads a file saved as GBK':
        '%s:%u: 不是 UTF-8（字节 0x%02x）；GBK 文件请用 --encoding gb18030 读取',
    '%s:%u: not GB18030 (byte 0x%02x)':
        '%s:%u: 不是 GB18030（字节 0x%02x）',
    '%s:%u: neither UTF-8 nor GB18030 (byte 0x%02x); save the file as "CSV UTF-8"':
        '%s:%u: 既不是 UTF-8 也不是 GB18030（字节 0x%02x）；请将文件另存为“CSV UTF-8”',
    'a quoted cell is not closed':
        '带引号的单元格没有结束引号',
    'text after the closing quote of a cell':
        '单元格的结束引号后还有文字',
    '%s:%u: the header has no column %s (%s)':
        '%s:%u: 表头没有“%s”（%s）列',
    '%s: larger than %u MiB':
        '%s：大于 %u MiB',
    '%s:%u: expected %zu to %zu columns (%s), found %zu':
        '%s:%u: 应有 %zu 至 %zu 列（%s），实有 %zu 列',
    '%s:%u: %s “%s”: %s':
        '%s:%u: %s “%s”：%s',
    '%s:%u: %s: %s':
        '%s:%u: %s：%s',
    'the spreadsheet made a number of it and lost its last digits; format the column as text and enter the numbers again':
        '表格已将其变成数字，末尾几位已丢失；请将该列设为文本格式后重新录入',
    '17 digits: the final X is missing (a spreadsheet drops it from a number); format the column as text':
        '17位数字：缺少末位X（表格把它当作数字时会丢掉X）；请将该列设为文本格式',
    'must be 18 characters, found %zu':
        '应为18位，实为%zu位',
    "a spreadsheet's day number, not a date; format the column as a date or as text":
        '这是表格的日期序号，不是日期；请将该列设为日期或文本格式',
    'not a date (2018-12-04, 2018/12/4, 2018.12.4, 20181204 or 2018年12月4日)':
        '不是日期（2018-12-04、2018/12/4、2018.12.4、20181204 或 2018年12月4日）',
    'no such day':
        '没有这一天',
    'unknown program (最低生活保障 or 低保, 特困人员救助供养 or 特困, 低收入家庭, 低保边缘家庭, 临时救助; or dibao, tekun, low_income, dibao_edge, temp)':
        '未知的救助类别（最低生活保障或低保、特困人员救助供养或特困、低收入家庭、低保边缘家庭、临时救助；或 dibao、tekun、low_income、dibao_edge、temp）',
    'not a division code (six digits, such as 469021)':
        '不是区划代码（六位数字，如 469021）',
    'Usage: xiecha import FILE [--as-of DATE] [--program P[,P...]]\n                    [--delta] [--encoding E] [--json] [--progress]\n                    [-s ENDPOINT | -c CONFIG] [--timeout MS]\n\nLoads this county\'s roster (CSV, as a spreadsheet saves it) into\nthe node\'s index.  Columns, found by the header row in any order\n(other columns are ignored), or in this order without one:\n  身份证号码 id_number   the ID number (also 身份证号, 公民身份号码)\n  姓名 name              checked, never sent\n  救助类别 program       最低生活保障 (低保), 特困人员救助供养 (特困),\n                         低收入家庭, 低保边缘家庭, 临时救助; or dibao,\n                         tekun, low_income, dibao_edge, temp\n  开始日期 since         first day\n  结束日期 until         last day, empty while open\nDates as 2018-12-04, 2018/12/4, 2018.12.4, 20181204 or 2018年12月4日;\nfull-width digits and Ｘ are read as digits and X.  The file is\nUTF-8 (with or without BOM) or GB18030/GBK, told apart by its\nbytes.  Blank lines and lines starting with \'#\' are skipped.  An ID\nnumber a spreadsheet turned into a number (4.69021E+17, or 17\ndigits without the final X) is refused: its digits are lost.\nEvery row is checked before anything is sent; one bad row, or two\nrows of the same person and program (both lines are named), and\nnothing is imported (exit 2).\n\nThe file is a snapshot: everything this county pays in its\nprograms as of a date.  Each row sets the county\'s enrollment of\nthat person and program (a corrected since replaces the open\none); an enrollment of the node\'s own roster that the snapshot\nmisses is closed on its date (until = the date), never deleted.\nEnrollments other counties reported by notice are untouched; one\nthat overlaps a row is a conflict, shown by `xiecha conflicts` on\nboth nodes.  A snapshot older than the last one of a program is\nrefused.  The date becomes the program\'s "roster as of", which\nevery certificate carries: a node does not certify NOT_RECEIVING\nfrom a roster older than the trust list\'s max_roster_age_days.\n\n  -a, --as-of DATE       the snapshot\'s date, YYYY-MM-DD (default:\n                         the node\'s today)\n  -p, --program LIST     the programs it covers, comma-separated\n                         (default: those of its rows); a program\n                         with no rows says nobody is paid it\n  -D, --delta            the rows only: add, correct (a new since),\n                         or close (a row with until); no date\n  -e, --encoding E       auto (default), utf-8, gb18030 or gbk\n  -j, --json             machine-readable output, no progress line\n  -P, --progress         progress line even when stderr is no tty\n':
        '用法：xiecha import 文件 [--as-of 日期] [--program 类别[,类别...]]\n                    [--delta] [--encoding 编码] [--json] [--progress]\n                    [-s 端点 | -c 配置] [--timeout 毫秒]\n\n将本县名册（CSV，即表格软件另存的格式）导入节点索引。各列按表头\n识别，顺序不限（其他列忽略）；没有表头时按以下顺序：\n  身份证号码 id_number   身份证号码（也可为 身份证号、公民身份号码）\n  姓名 name              只检查，不发送\n  救助类别 program       最低生活保障（低保）、特困人员救助供养（特困）、\n                         低收入家庭、低保边缘家庭、临时救助；或 dibao、\n                         tekun、low_income、dibao_edge、temp\n  开始日期 since         起始日\n  结束日期 until         终止日，尚未终止时为空\n日期可写作 2018-12-04、2018/12/4、2018.12.4、20181204 或 2018年12月4日；\n全角数字和Ｘ按半角读取。文件为 UTF-8（带或不带 BOM）或 GB18030/GBK，\n按内容自动识别。空行和以“#”开头的行跳过。被表格变成数字的身份证号码\n（4.69021E+17，或缺少末位X的17位数字）拒绝导入：其数字已丢失。\n发送前检查每一行；只要有一行错误，或同一人、同一救助类别出现两行（两行\n行号都会列出），就不导入任何内容（退出状态 2）。\n\n文件是一份快照：本县截至某日发放的全部救助。每行设定本县此人此救助\n类别的救助记录（更正的开始日期替换未终止的记录）；本节点名册中有而\n快照中没有的救助记录在快照日期终止（结束日期即该日期），不会删除。\n其他县通过告知报来的救助记录不受影响；与某行重叠的即为重复享受，两个\n节点的 `xiecha conflicts` 都会显示。比某救助类别上一份快照更早的快照\n会被拒绝。快照日期成为该救助类别的“名册截至日期”，每份证明都载明：\n名册早于信任列表 max_roster_age_days 时，节点不出具 NOT_RECEIVING 证明。\n\n  -a, --as-of 日期       快照日期，YYYY-MM-DD（默认：节点的今天）\n  -p, --program 列表     快照涵盖的救助类别，逗号分隔（默认：各行中\n                         出现的类别）；没有任何行的类别表示无人享受\n  -D, --delta            只处理各行：新增、更正（新的开始日期）或终止\n                         （带结束日期的行）；不带日期\n  -e, --encoding 编码    auto（默认）、utf-8、gb18030 或 gbk\n  -j, --json             机器可读输出，不显示进度\n  -P, --progress         即使标准错误不是终端也显示进度\n',
    '  -h, --help             this text\n\n':
        '  -h, --help             显示本帮助\n\n',
    "--as-of: '%s' is not a date (YYYY-MM-DD)":
        '--as-of：“%s”不是日期（YYYY-MM-DD）',
    "--delta changes its rows only; --as-of and --program are a snapshot's":
        '--delta 只变更其中各行；--as-of 和 --program 用于快照',
    'FILE is required':
        '必须给出文件',
    '... and %zu more':
        '……另有 %zu 处',
    '%s: %zu bad row; nothing was imported':
        '%s：%zu 行有错误；未导入任何内容',
    '%s: %zu bad rows; nothing was imported':
        '%s：%zu 行有错误；未导入任何内容',
    'imported %llu rows from %s':
        '已从 %2$s 导入 %1$llu 行',
    ' as a snapshot as of %s':
        '，作为截至 %s 的快照',
    ': %llu added, %llu changed, %llu closed, %llu unchanged; index holds %llu subjects\n':
        '：新增 %llu，变更 %llu，终止 %llu，未变 %llu；索引共 %llu 个对象\n',
    '%llu conflict with other paying counties: see `xiecha conflicts`\n':
        '与其他发放县重复享受 %llu 处：见 `xiecha conflicts`\n',
    '%llu conflicts with other paying counties: see `xiecha conflicts`\n':
        '与其他发放县重复享受 %llu 处：见 `xiecha conflicts`\n',
    "%llu row not applied: the person's index record holds 32 enrollments already (see the node's log)\n":
        '%llu 行未应用：此人的索引记录已有32条救助记录（见节点日志）\n',
    "%llu rows not applied: the person's index record holds 32 enrollments already (see the node's log)\n":
        '%llu 行未应用：此人的索引记录已有32条救助记录（见节点日志）\n',
    'same person and program (%s) as line %u':
        '与第%2$u行为同一人、同一救助类别（%1$s）',
    '%s: no rows to import':
        '%s：没有可导入的行',
    '%s: no rows to import (a snapshot of nobody paid names its programs: --program)':
        '%s：没有可导入的行（无人享受的快照须用 --program 指明救助类别）',
    'sending rows':
        '正在发送各行',
    '%s: import failed: %s':
        '%s：导入失败：%s',
}

# Texts another part translates (one translation per text):
T.pop('  -h, --help             this text\n\n', None)
T.pop("unexpected argument '%s'", None)
T.pop('FILE is required', None)
T.pop('out of memory', None)
