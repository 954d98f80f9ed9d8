#!/usr/bin/env python3
"""run-vectors.py - the test vectors' two checks (tests/vectors/README.md).

    run-vectors.py run XIECHA VECTORS_DIR
        every MANIFEST line: runs `XIECHA <command>` in VECTORS_DIR with {}
        replaced by the file, and checks the exit code and that the reason
        appears in what it printed; then runs it again with --json and
        checks that the output is JSON whose "valid" agrees.  Lines marked
        lands-with=<part> are skipped, counted and listed: their verdict is
        the correct one, which today's verifier does not give yet.

    run-vectors.py fresh MAKE_VECTORS VECTORS_DIR
        writes the vectors anew in a temporary folder and compares them
        with the committed ones, byte for byte and file for file.

Exit 0 when everything holds, 1 otherwise (naming each failure).
"""
import concurrent.futures
import datetime
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

# Folders make-vectors writes; every file in them is a vector or an input
# of one (a trust list, its .sig, a root key).
VECTOR_DIRS = ["trust", "cert", "report", "audit", "armor"]

# The anchor part of issue 11 adds these to the offline verifiers.  Until
# a verifier lists an option in its --help, the option is left out of its
# command line (a --root-file becomes --root HEX where --root exists), so
# the vectors of today's behaviour run now and the same MANIFEST runs
# unchanged after the merge.  Remove once every verifier has them.
BRIDGED = ["--root-file", "--at"]
VECTORS_NOW_MS = 1795420800000   # 2026-11-23T08:00:00Z, every vector's now


def parse_manifest(path):
    """Lines of MANIFEST as dicts; a malformed line is an error."""
    lines = []
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            text = raw.rstrip("\n")
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            cols = [c.strip() for c in text.split(" | ")]
            if len(cols) not in (4, 5):
                sys.exit(f"MANIFEST:{number}: need 4 or 5 columns "
                         f"separated by ' | ', got {len(cols)}")
            lands = None
            if len(cols) == 5:
                m = re.fullmatch(r"lands-with=(\w+)", cols[4])
                if not m:
                    sys.exit(f"MANIFEST:{number}: fifth column must be "
                             f"lands-with=<part>, got '{cols[4]}'")
                lands = m.group(1)
            if not cols[2].isdigit():
                sys.exit(f"MANIFEST:{number}: exit code '{cols[2]}' "
                         f"is not a number")
            lines.append({"line": number, "file": cols[0],
                          "command": cols[1], "exit": int(cols[2]),
                          "reason": cols[3], "lands": lands})
    return lines


class Bridge:
    """What each verifier's --help says it takes."""

    def __init__(self, xiecha, cwd):
        self.xiecha, self.cwd, self.helps = xiecha, cwd, {}
        self.used = {}

    def _help(self, verb):
        if verb not in self.helps:
            out = subprocess.run([self.xiecha, *verb, "--help"],
                                 cwd=self.cwd, capture_output=True,
                                 text=True)
            self.helps[verb] = out.stdout + out.stderr
        return self.helps[verb]

    def _knows(self, verb, option):
        return re.search(re.escape(option) + r"\b(?!-)",
                         self._help(verb)) is not None

    def apply(self, argv):
        """The command as the verifier takes it, and the clock to run it
        at (UTC ms): an --at it does not take becomes its clock, else the
        vectors' fixed now, so no line depends on the day it runs."""
        verb, out, i = tuple(argv[:2]), argv[:2], 2
        now = VECTORS_NOW_MS
        while i < len(argv):
            arg = argv[i]
            if arg in BRIDGED and not self._knows(verb, arg):
                key = " ".join(verb) + " " + arg
                self.used[key] = self.used.get(key, 0) + 1
                if arg == "--root-file" and self._knows(verb, "--root"):
                    with open(os.path.join(self.cwd, argv[i + 1])) as f:
                        out += ["--root", f.read().strip()]
                if arg == "--at":
                    now = iso_ms(argv[i + 1])
                i += 2
                continue
            out.append(arg)
            i += 1
        return out, now


def iso_ms(text):
    """UTC ms of 2026-11-23 or 2026-11-23T08:00:00Z."""
    t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp() * 1000)


def run_one(xiecha, cwd, argv, now_ms):
    # The clock is outside the system: the one thing a test may fake.
    env = dict(os.environ, XIECHA_FAKE_NOW_MS=str(now_ms))
    p = subprocess.run([xiecha] + argv, cwd=cwd, capture_output=True,
                       text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def check_json(xiecha, cwd, argv, now_ms, want_exit):
    """The --json run: same exit code, JSON on stdout, "valid" agrees."""
    code, out, err = run_one(xiecha, cwd, argv + ["--json"], now_ms)
    if code != want_exit:
        return f"--json: exit {code}, expected {want_exit}"
    if want_exit == 2:
        return None   # bad input: said on stderr
    try:
        doc = json.loads(out)
    except ValueError:
        return f"--json: stdout is not JSON: {out[:200]!r}"
    if isinstance(doc, dict) and "valid" in doc \
            and doc["valid"] != (want_exit == 0):
        return f"--json: \"valid\" is {doc['valid']}, exit {want_exit}"
    return None


def check_line(xiecha, vdir, v, run):
    """One MANIFEST line; None when it holds, else what went wrong."""
    argv, now_ms = run
    code, out, err = run_one(xiecha, vdir, argv, now_ms)
    said = out + err
    where = f"MANIFEST:{v['line']}: {v['file']}: xiecha {' '.join(argv)}"
    if code != v["exit"]:
        return (f"{where}\n    exit {code}, expected {v['exit']}"
                f"\n    said: {said.strip()[:400]}")
    if v["reason"] not in said:
        return (f"{where}\n    reason '{v['reason']}' not in: "
                f"{said.strip()[:400]}")
    why = check_json(xiecha, vdir, argv, now_ms, v["exit"])
    return f"{where}\n    {why}" if why else None


def cmd_run(xiecha, vdir):
    lines = parse_manifest(os.path.join(vdir, "MANIFEST"))
    bridge = Bridge(xiecha, vdir)
    failures, skipped, todo = [], [], []
    named = set()
    for v in lines:
        argv = [a.replace("{}", v["file"])
                for a in shlex.split(v["command"])]
        named.update(a for a in argv if os.path.exists(os.path.join(vdir, a)))
        named.add(v["file"])
        if not os.path.exists(os.path.join(vdir, v["file"])):
            failures.append(f"MANIFEST:{v['line']}: {v['file']}: no such "
                            f"file (run regenerate.sh?)")
            continue
        if v["lands"]:
            skipped.append(v)
            continue
        todo.append((v, bridge.apply(argv)))
    # Two at a time: the machine's cores; results in MANIFEST order.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for why in pool.map(lambda t: check_line(xiecha, vdir, *t), todo):
            if why:
                failures.append(why)
    # Every file make-vectors writes is named by some line.
    for d in VECTOR_DIRS:
        for name in sorted(os.listdir(os.path.join(vdir, d))):
            rel = f"{d}/{name}"
            if rel not in named and not name.endswith(".sig"):
                failures.append(f"{rel}: not named in MANIFEST")
    print(f"vectors: {len(todo)} checked, {len(failures)} failed, "
          f"{len(skipped)} skipped until their part lands")
    parts = {}
    for v in skipped:
        parts.setdefault(v["lands"], []).append(v)
    for part, vs in sorted(parts.items()):
        print(f"  lands-with={part}: {len(vs)}")
        for v in vs:
            print(f"    MANIFEST:{v['line']}: {v['file']} "
                  f"(expects exit {v['exit']}, '{v['reason']}')")
    for key, n in sorted(bridge.used.items()):
        print(f"  bridged: {key} left out on {n} lines (not in its --help)")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


def cmd_fresh(make_vectors, vdir):
    with tempfile.TemporaryDirectory(prefix="xiecha-vectors.") as tmp:
        p = subprocess.run([make_vectors, tmp], capture_output=True,
                           text=True)
        if p.returncode != 0:
            print(f"make-vectors failed: {p.stderr}")
            return 1
        failures = []
        for d in VECTOR_DIRS:
            new = set(os.listdir(os.path.join(tmp, d)))
            old = set(os.listdir(os.path.join(vdir, d))) \
                if os.path.isdir(os.path.join(vdir, d)) else set()
            for name in sorted(new - old):
                failures.append(f"{d}/{name}: written but not committed")
            for name in sorted(old - new):
                failures.append(f"{d}/{name}: committed but no longer "
                                f"written")
            for name in sorted(new & old):
                with open(os.path.join(tmp, d, name), "rb") as a, \
                        open(os.path.join(vdir, d, name), "rb") as b:
                    if a.read() != b.read():
                        failures.append(f"{d}/{name}: differs from what "
                                        f"make-vectors writes")
        print(f"vectors-fresh: {len(failures)} differences "
              f"(tests/vectors/regenerate.sh writes them anew)")
        for f in failures:
            print("FAIL " + f)
        return 1 if failures else 0


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("run", "fresh"):
        sys.exit(__doc__)
    tool, vdir = os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    if sys.argv[1] == "run":
        return cmd_run(tool, vdir)
    return cmd_fresh(tool, vdir)


if __name__ == "__main__":
    sys.exit(main())
