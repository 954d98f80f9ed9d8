# Translations of the texts marked on branch pkg: xiecha reload (po/tools/po-fill.py).
T = {
"make the node read its trust list, terminals and policy again": "让节点重新读取信任列表、终端列表和政策",
"Usage: xiecha reload [--json] [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
"\n"
"Asks the own node to read its trust list (trust/list), its\n"
"terminal list (node/terminals) and its policy (policy/file)\n"
"again, as SIGHUP does, and prints what changed: the trust\n"
"list's serial old and new, the terminals added and removed,\n"
"the policy's name.  Each part is taken or refused on its own;\n"
"a refused part keeps the one in use, the reason is printed and\n"
"the exit status is 1.  Only the local administrator may reload\n"
"(the IPC socket); a township terminal is refused (exit 8).\n"
"\n"
"  -j, --json             machine-readable output\n":
"用法：xiecha reload [--json] [-s ENDPOINT | -c CONFIG] [--timeout MS]\n"
"\n"
"让本节点重新读取信任列表（trust/list）、终端列表（node/terminals）\n"
"和政策文件（policy/file），与 SIGHUP 的效果相同，并显示变化：\n"
"信任列表的原序号和新序号、增加和移除的终端、政策名称。\n"
"各部分分别采用或拒绝；被拒绝的部分继续使用原有内容，\n"
"显示拒绝原因，退出状态为 1。只有本地管理员（通过 IPC 套接字）\n"
"可以重新加载；乡镇（街道）终端会被拒绝（退出状态 8）。\n"
"\n"
"  -j, --json             机器可读的输出\n",
"  -h, --help             this text\n\n": "  -h, --help             显示本帮助\n\n",
"trust list": "信任列表",
"REFUSED, keeping serial %llu: %s\n": "已拒绝，继续使用序号 %llu：%s\n",
"serial %llu → %llu\n": "序号 %llu → %llu\n",
"unchanged, serial %llu\n": "未变化，序号 %llu\n",
"terminals": "终端",
"none configured (node/terminals)\n": "未配置（node/terminals）\n",
"REFUSED, keeping the list in use: %s\n": "已拒绝，继续使用当前列表：%s\n",
"unchanged\n": "未变化\n",
"%zu added": "增加 %zu 个",
", %zu removed": "，移除 %zu 个",
"; roles or validity changed": "；角色或有效期有变化",
"policy": "政策",
"none configured (policy/file): \"%s\"\n": "未配置（policy/file）：“%s”\n",
"REFUSED, keeping \"%s\": %s\n": "已拒绝，继续使用“%s”：%s\n",
"\"%s\" → \"%s\" (changed)\n": "“%s” → “%s”（已变化）\n",
"unchanged, \"%s\"\n": "未变化，“%s”\n",
"refused: the node keeps what it had for the parts marked REFUSED": "已拒绝：标为“已拒绝”的部分，节点继续使用原有内容",
}

# Texts another part translates (one translation per text):

T.pop('  -h, --help             this text\n\n', None)
