#!/usr/bin/env python3
"""check-layers.py - the daemon's dependencies point one way only.

Reads every '#include "layer/module.h"' under daemon/ and fails (exit 1,
naming each offending include) when
  * a file includes a module of a higher layer, or
  * the modules' include graph has a circle (a.h/a.c and b.h/b.c that
    reach each other, in one layer or across).

Layers, lowest first.  A module may include its own layer and any lower
one; main.c may include anything.
    store   LMDB: store, index, seen, audit, outbox, rosters, conflicts
    node    config, keys, trust list, policy (shared by everything above)
    decide  peer intake and the decisions; never a socket
    office  back office; reads the store (replay re-applies decisions)
    net     sockets, doors, request table, deliveries, worker thread

Usage: check-layers.py [DAEMON_DIR]   (default: daemon/ beside tests/)
"""
import os
import re
import sys

RANK = {"store": 0, "node": 1, "decide": 2, "office": 3, "net": 4}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/([a-z_]+)\.h"', re.M)


def modules(top):
    """{'layer/name': set of 'layer/name' it includes}, .c and .h merged."""
    graph = {}
    for layer in RANK:
        folder = os.path.join(top, layer)
        if not os.path.isdir(folder):
            continue
        for f in sorted(os.listdir(folder)):
            if not f.endswith((".c", ".h")):
                continue
            name = layer + "/" + f[:-2]
            text = open(os.path.join(folder, f), encoding="utf-8").read()
            deps = graph.setdefault(name, set())
            for lay, mod in INCLUDE.findall(text):
                if lay == "xiecha":
                    continue   # libxiecha's public headers: below every layer
                dep = lay + "/" + mod
                if dep != name:
                    deps.add(dep)
    return graph


def upward(graph):
    bad = []
    for name, deps in sorted(graph.items()):
        for dep in sorted(deps):
            lay = dep.split("/")[0]
            if lay not in RANK:
                bad.append(f"{name} includes {dep}: no such layer")
            elif RANK[lay] > RANK[name.split("/")[0]]:
                bad.append(f"{name} includes {dep}: a lower layer uses a "
                           f"higher one")
    return bad


def circles(graph):
    """Every strongly connected component of more than one module."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [f"circle: {' <-> '.join(c)}" for c in out]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "..", "daemon")
    graph = modules(top)
    if not graph:
        print(f"check-layers: no modules under {top}", file=sys.stderr)
        return 1
    bad = upward(graph) + circles(graph)
    for b in bad:
        print(f"check-layers: {b}", file=sys.stderr)
    edges = sum(len(d) for d in graph.values())
    print(f"check-layers: {len(graph)} modules, {edges} includes, "
          f"{len(bad)} violations")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
