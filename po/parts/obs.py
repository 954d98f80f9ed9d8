# Translations of branch obs (xiecha status: state, trust list, key,
# outbox, checkpoint, import, peers); see /po/tools/po-fill.py.
T = {
    "\nState (\"state\" in --json): answering (exit 0); busy: the node's\n"
    "socket takes the connection but no answer came within --timeout\n"
    "(1000 ms by default for status; exit 1); down: no socket file, or\n"
    "nobody listening on it (exit 3, at once, without waiting).\n":
    "\n状态（--json 中的 \"state\"）：answering 正在答复（退出码 0）；busy 繁忙：\n"
    "节点的套接字接受连接，但在 --timeout 内没有答复（status 默认 1000 毫秒；\n"
    "退出码 1）；down 停止：没有套接字文件，或无人监听（退出码 3，立即返回，\n"
    "不等待）。\n",
    "none": "无",
    "%s (%s ago)": "%s（%s前）",
    ", clock %+.3f s": "，时钟偏差 %+.3f 秒",
    "reach": "对端节点",
    "connected": "已连接",
    "NOT connected": "未连接",
    "not contacted": "尚未联系",
    "state": "状态",
    "answering": "正在答复",
    "trust": "信任列表",
    "serial %llu, next update %s\n": "序号 %llu，下次更新 %s\n",
    "key": "密钥",
    "outbox": "待确认告知",
    "%llu waiting for their ack, oldest %s\n": "%llu 条等待确认，最早 %s\n",
    "checkpoint": "检查点",
    "last %s (kept in the store)\n": "最近 %s（保存在存储中）\n",
    "import": "导入",
    "last %s (since this start)\n": "最近 %s（自本次启动）\n",
    "the node is down: %s": "节点已停止：%s",
    "the node is busy: %s": "节点繁忙：%s",
    "no socket file %s": "没有套接字文件 %s",
    "nobody listens on %s (%s)": "无人监听 %s（%s）",
    "nobody listens on %s (connection refused)": "无人监听 %s（连接被拒绝）",
}
