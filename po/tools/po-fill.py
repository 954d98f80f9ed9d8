#!/usr/bin/env python3
"""po-fill.py PO TRANSLATIONS.py - fill msgstr entries of a .po file.

TRANSLATIONS.py defines T = {msgid: msgstr, ...} (plain Python strings,
real newlines).  Entries whose msgid is in T get that msgstr (and lose a
fuzzy flag); others stay as they are.  Prints how many were filled and
how many entries remain untranslated.  A maintainer's tool: translators
may as well edit the .po file by hand."""
import re, sys

def unq(s):
    return bytes(s, 'utf-8').decode('unicode_escape').encode('latin-1').decode('utf-8')

def q(s):
    return s.replace('\\', '\\\\').replace('"', '\\"').replace('\t', '\\t')

def fmt(key, text):
    if '\n' not in text[:-1] and len(text) < 70:
        return '%s "%s"\n' % (key, q(text).replace('\n', '\\n'))
    parts = re.findall(r'[^\n]*\n|[^\n]+$', text)
    return '%s ""\n' % key + ''.join('"%s"\n' % q(p).replace('\n', '\\n') for p in parts)

def main():
    po, tr = sys.argv[1], sys.argv[2]
    ns = {}
    exec(open(tr, encoding='utf-8').read(), ns)
    T = ns['T']
    blocks = open(po, encoding='utf-8').read().split('\n\n')
    filled = left = 0
    out = []
    for b in blocks:
        m = re.search(r'^msgid ((?:".*"\n?)+)', b, re.M)
        if not m or 'msgid_plural' in b:
            out.append(b); continue
        mid = ''.join(unq(x) for x in re.findall(r'"(.*)"', m.group(1)))
        if mid and mid in T:
            head = b[:m.start()]
            head = re.sub(r'^#, fuzzy\n', '', head, flags=re.M)
            head = re.sub(r'^#, fuzzy, ', '#, ', head, flags=re.M)
            head = re.sub(r'^(#,.*?), fuzzy', r'\1', head, flags=re.M)
            head = re.sub(r'^#\| .*\n', '', head, flags=re.M)
            b = head + fmt('msgid', mid) + fmt('msgstr', T[mid]).rstrip('\n')
            filled += 1
        elif mid and re.search(r'^msgstr ""\s*$', b, re.M):
            left += 1
        out.append(b)
    open(po, 'w', encoding='utf-8').write('\n\n'.join(out))
    print('filled %d, untranslated %d' % (filled, left))

main()
