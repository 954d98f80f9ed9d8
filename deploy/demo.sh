#!/usr/bin/env bash
# deploy/demo.sh - a local federation of three county nodes on loopback:
#   Ding'an County  469021 (Hainan)   - residence node where people apply
#   Lingshui County 469028 (Hainan)
#   Tunxi District  341002 (Anhui)    - registration node with a roster
# Each node gets its own keys, data directory and config; all share one
# trust list and network salt.  The demo imports each county's roster
# snapshot, asks from Ding'an (NOT_RECEIVING, RECEIVING, a household),
# verifies a saved certificate offline, surfaces a conflict between
# Tunxi's roster and Lingshui's enrollment on both nodes, shows what
# happens when a registration node is down, and stops every process it
# started.
#
# It speaks the case worker's language: under a Chinese locale
# (LANG=zh_CN.UTF-8, or LC_ALL / LC_MESSAGES) the narration and the
# programs' output are Chinese, else English.  Its own checks read exit
# statuses and --json, never the translated texts.
#
# Environment: XIECHA_DEMO_PORT (first peer port, default 7101),
#              XIECHA_DEMO_KEEP=1 keeps the run directory.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/deploy/packages.sh"
build="$top/build"
[ -d "$build" ] || meson setup "$build" "$top" >/dev/null
ninja -C "$build" >/dev/null
xiecha="$build/client/cli/xiecha"
xiechad="$build/daemon/xiechad"
# Place names come from the division table, and the Chinese texts from
# the catalogue the build compiles (po/zh_CN/LC_MESSAGES/xiecha.mo): the
# build tree has installed neither.
export XIECHA_DIVISIONS="${XIECHA_DIVISIONS:-$top/data/divisions.tsv}"
export XIECHA_LOCALEDIR="${XIECHA_LOCALEDIR:-$build/po}"

# The narration's language, decided as gettext decides the programs': the
# first of LC_ALL, LC_MESSAGES, LANG that is set; zh... is Chinese.
lang=${LC_ALL:-${LC_MESSAGES:-${LANG:-C}}}
# pick ENGLISH CHINESE: the line in the demo's language.
pick() { case $lang in zh*) printf '%s\n' "$2" ;; *) printf '%s\n' "$1" ;; esac; }
say() { printf '\n\033[1m== %s\033[0m\n' "$(pick "$1" "$2")"; }

run=$(mktemp -d /tmp/xiecha-demo-XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "${XIECHA_DEMO_KEEP:-0}" = 1 ]; then
        pick "run directory kept: $run" "运行目录已保留：$run"
    else
        rm -rf "$run"
    fi
}
trap cleanup EXIT

port=${XIECHA_DEMO_PORT:-7101}
codes=(469021 469028 341002)
names=("Ding'an County" "Lingshui County" "Tunxi District")

say "Keys and trust list for ${codes[*]}" "为 ${codes[*]} 生成密钥和信任列表"
"$xiecha" keygen --salt "$run/salt.hex" 2>/dev/null
# The network's root key signs the trust list; nodes and auditors hold
# only its public half (trust/root, --root, --root-file).
root=$("$xiecha" trust root-keygen --out "$run/root.key" --json |
       python3 -c 'import json, sys; print (json.load (sys.stdin)["public"])')
echo "$root" > "$run/root.pub"
printf 'trust\n    version = 1\n' > "$run/trust.zpl"
for i in 0 1 2; do
    code=${codes[$i]}
    "$xiecha" keygen --code "$code" --dir "$run/$code" --name "${names[$i]}" \
        --endpoint "tcp://127.0.0.1:$((port + i))" >> "$run/trust.zpl" 2>/dev/null
    cat > "$run/$code/node.zpl" <<CONF
node
    code = "$code"
    name = "${names[$i]}"
    data_dir = "data"
    peer_bind = "tcp://127.0.0.1:$((port + i))"
    client_bind = "ipc://client.sock"
keys
    signing = "sign.key"
    curve = "curve.cert"
trust
    list = "../trust.zpl"
    salt = "../salt.hex"
    root = "$root"
limits
    query_deadline_ms = 2000
    checkpoint_interval_s = 2
CONF
done
"$xiecha" trust sign "$run/trust.zpl" --key "$run/root.key" --bump \
    --valid-days 30
# A node's first start is explicit: --init makes its store (and refuses
# one that is there); afterwards a missing or damaged store is refused.
for code in "${codes[@]}"; do
    "$xiechad" --init --config "$run/$code/node.zpl"
    "$xiechad" --check --config "$run/$code/node.zpl"
done

say "Starting three xiechad daemons" "启动三个 xiechad 守护进程"
for code in "${codes[@]}"; do
    "$xiechad" --config "$run/$code/node.zpl" 2>>"$run/$code/xiechad.log" &
    pids+=($!)
done
for code in "${codes[@]}"; do
    for _ in $(seq 50); do
        "$xiecha" status -c "$run/$code/node.zpl" >/dev/null 2>&1 && break
        sleep 0.1
    done
    "$xiecha" status -c "$run/$code/node.zpl"
done

# A roster is a snapshot of everything a county pays, as of a date (today
# by default); a node certifies NOT_RECEIVING only from a roster of the
# program no older than the trust list allows (45 days).
programs=dibao,tekun,low_income,dibao_edge,temp
# The nodes' today: their node/timezone is Beijing time by default.
today=$(TZ=Asia/Shanghai date +%Y-%m-%d)
say "Tunxi District (341002) imports its roster snapshot" \
    "屯溪区（341002）导入其名册快照"
cat > "$run/roster.csv" <<'CSV'
id_number,name,program,since,until
341002198001011237,Wang Fang,dibao,2024-03-01
341002197511114565,Li Lei,tekun,2019-01-01,2020-12-31
341002200805050012,Zhang Wei,temp,2025-06-01
CSV
"$xiecha" import "$run/roster.csv" --program "$programs" \
    -c "$run/341002/node.zpl"

say "Ding'an and Lingshui import theirs: they pay nobody yet" \
    "定安县和陵水黎族自治县导入各自的名册：尚未向任何人发放救助"
echo "id_number,name,program,since,until" > "$run/nobody.csv"
for code in 469021 469028; do
    "$xiecha" import "$run/nobody.csv" --program "$programs" \
        -c "$run/$code/node.zpl"
done

say "Ding'an asks Tunxi about an applicant who receives nothing there" \
    "定安县向屯溪区查询一位在当地未享受任何救助的申请人"
"$xiecha" query --id 11010519491231002X --name "Chen Jing" --home 341002 \
    --program dibao,tekun -c "$run/469021/node.zpl"

say "Ding'an asks Tunxi about Wang Fang, who receives DIBAO there (saved)" \
    "定安县查询在屯溪区享受最低生活保障的王芳（保存证明）"
"$xiecha" query --id 341002198001011237 --name "Wang Fang" --home 341002 \
    --program dibao,tekun,low_income --out "$run/wang-fang.cert" \
    -c "$run/469021/node.zpl"

say "A household: applicant plus two members, one of them receiving" \
    "一个家庭：申请人和两名家庭成员，其中一人正在享受救助"
"$xiecha" query --id 341002197511114565 --name "Li Lei" --home 341002 \
    --program dibao,tekun,temp \
    --member "341002198001011237:Wang Fang" \
    --member "341002200805050012:Zhang Wei" -c "$run/469021/node.zpl"

say "Offline verification of the saved certificate (trust list and root key)" \
    "离线核验已保存的证明（信任列表和根密钥）"
head -3 "$run/wang-fang.cert"
echo "..."
"$xiecha" cert verify "$run/wang-fang.cert" --trust "$run/trust.zpl" \
    --root-file "$run/root.pub"

say "The certificate on paper for the case file, scanned back and verified" \
    "打印纸质证明存档，再扫描回来核验"
"$xiecha" cert print "$run/wang-fang.cert" --out "$run/wang-fang.pdf" \
    --trust "$run/trust.zpl" --root-file "$run/root.pub" \
    -c "$run/469021/node.zpl" --person "341002198001011237:王芳" \
    --township "定城镇"
pdftoppm -r 150 -gray -png -singlefile "$run/wang-fang.pdf" "$run/scan"
"$xiecha" cert verify --qr "$run/scan.png" --trust "$run/trust.zpl" \
    --root-file "$run/root.pub" --id 341002198001011237 \
    -c "$run/469021/node.zpl"

say "Same province: Ding'an asks Lingshui (469028), JSON output" \
    "同省：定安县向陵水黎族自治县（469028）查询，JSON 输出"
"$xiecha" query --id 11010519491231002X --name "Chen Jing" --home 469028 \
    --program temp --json -c "$run/469021/node.zpl"

say "Ding'an approves DIBAO for Chen Jing and reports it to Tunxi" \
    "定安县批准陈静享受最低生活保障，并告知屯溪区"
"$xiecha" enroll --id 11010519491231002X --name "Chen Jing" --home 341002 \
    --program dibao --since "$today" -c "$run/469021/node.zpl"

say "Lingshui now asks Tunxi about Chen Jing: RECEIVING, paid by Ding'an" \
    "陵水黎族自治县再向屯溪区查询陈静：正在享受，由定安县发放"
"$xiecha" query --id 11010519491231002X --name "Chen Jing" --home 341002 \
    --program dibao -c "$run/469028/node.zpl"

say "Lingshui may not enroll her in DIBAO too: the registration node refuses" \
    "陵水黎族自治县不能再将她纳入最低生活保障：户籍地节点拒绝"
set +e
"$xiecha" enroll --id 11010519491231002X --name "Chen Jing" --home 341002 \
    --program dibao --since "$today" -c "$run/469028/node.zpl"
rc=$?
set -e
pick "exit status: $rc (1 = refused: she already receives DIBAO)" \
     "退出状态：$rc（1 = 被拒绝：她已在享受最低生活保障）"
[ "$rc" = 1 ]
"$xiecha" outbox -c "$run/469028/node.zpl"

say "Lingshui enrolls Wang Fang in DIBAO, which Tunxi's own roster pays" \
    "陵水黎族自治县将王芳纳入最低生活保障，而屯溪区自己的名册也在发放"
# Both are facts (the roster says what Tunxi pays, the notice what
# Lingshui pays): the notice is acknowledged and the conflict surfaced.
"$xiecha" enroll --id 341002198001011237 --name "Wang Fang" --home 341002 \
    --program dibao --since "$today" -c "$run/469028/node.zpl"
"$xiecha" conflicts -c "$run/341002/node.zpl"
sleep 1   # the conflict notice is delivered store-and-forward
"$xiecha" conflicts -c "$run/469028/node.zpl"

say "Tunxi's next snapshot no longer lists her: closed, the conflict resolved" \
    "屯溪区的下一次快照不再列入她：救助记录终止，重复享受解决"
grep -v "Wang Fang" "$run/roster.csv" > "$run/roster-next.csv"
"$xiecha" import "$run/roster-next.csv" --program "$programs" \
    -c "$run/341002/node.zpl"
"$xiecha" roster show --id 341002198001011237 -c "$run/341002/node.zpl"
sleep 1
"$xiecha" conflicts -c "$run/469028/node.zpl"

say "Tunxi's signed monthly report (electronic seal), verified offline" \
    "屯溪区签名的月度报表（电子印章），离线核验"
month=${today%-*}
"$xiecha" report monthly --month "$month" --out "$run/report.txt" \
    -c "$run/341002/node.zpl"
"$xiecha" report verify "$run/report.txt" --trust "$run/trust.zpl" \
    --root "$root" | head -3

say "An auditor takes Tunxi's audit log away and checks it offline" \
    "审计人员取走屯溪区的审计日志并离线检查"
sleep 2.5   # one signed checkpoint (limits/checkpoint_interval_s = 2)
"$xiecha" audit export --out "$run/341002.audit" -c "$run/341002/node.zpl"
"$xiecha" audit verify "$run/341002.audit" --trust "$run/trust.zpl" \
    --root "$root"
# -c: the root key and the list from a node config (trust/root, trust/list)
"$xiecha" audit prove --cert "$run/wang-fang.cert" -c "$run/341002/node.zpl"
"$xiecha" audit replay -c "$run/341002/node.zpl"
"$xiecha" audit check -c "$run/341002/node.zpl"   # the whole store, now

say "Lingshui goes down: the query fails at the deadline with exit 3" \
    "陵水黎族自治县停机：查询在超时后失败，退出状态 3"
kill "${pids[1]}"; wait "${pids[1]}" 2>/dev/null || true
set +e
"$xiecha" query --id 11010519491231002X --name "Chen Jing" --home 469028 \
    --program temp -c "$run/469021/node.zpl"
rc=$?
set -e
pick "exit status: $rc (3 = registration node unreachable)" \
     "退出状态：$rc（3 = 无法连接户籍地节点）"
[ "$rc" = 3 ]

say "Node status after the demo" "演示结束后的节点状态"
"$xiecha" status -c "$run/341002/node.zpl"

say "Demo complete; stopping every daemon" "演示完成；停止所有守护进程"
