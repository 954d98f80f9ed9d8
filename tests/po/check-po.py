#!/usr/bin/env python3
"""check-po.py SRCDIR - every text is marked where it is listed, and
translated.

Fails, naming the file or the text, when
  - a source file under client/ or daemon/ marks texts (_(" or N_(")
    but po/POTFILES does not list it (xgettext would never see them),
    or POTFILES lists a file that does not exist;
  - a marked text has no Chinese translation in po/zh_CN.po, or only a
    fuzzy one (msgmerge against a fresh extraction);
  - msgfmt --check finds a translation whose printf directives differ
    from its English text (a crash or garbage at run time)."""
import os, re, subprocess, sys, tempfile

src = sys.argv[1]
po_dir = os.path.join(src, 'po')
listed = [l.strip() for l in open(os.path.join(po_dir, 'POTFILES')) if l.strip()]
bad = []
for f in listed:
    if not os.path.exists(os.path.join(src, f)):
        bad.append('po/POTFILES lists %s, which does not exist' % f)
mark = re.compile(r'\bN?_ ?\("')
for top in ('client', 'daemon'):
    for d, _, files in os.walk(os.path.join(src, top)):
        for n in files:
            if n.endswith('.c'):
                rel = os.path.relpath(os.path.join(d, n), src)
                if rel not in listed and mark.search(open(os.path.join(d, n), encoding='utf-8').read()):
                    bad.append('%s marks texts but po/POTFILES does not list it' % rel)
with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, 'xiecha.pot')
    subprocess.run(['xgettext', '--from-code=UTF-8', '--keyword=_', '--keyword=N_',
                    '--keyword=xc_text', '--keyword=xc_ntext:1,2',
                    '--add-comments=TRANSLATORS', '-f', os.path.join(po_dir, 'POTFILES'),
                    '-D', src, '-o', pot], check=True)
    merged = os.path.join(tmp, 'zh_CN.po')
    subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged,
                    os.path.join(po_dir, 'zh_CN.po'), pot], check=True)
    r = subprocess.run(['msgfmt', '--check', '-o', os.devnull, merged],
                       capture_output=True, text=True)
    if r.returncode != 0:
        bad.append('msgfmt --check: ' + r.stderr.strip())
    for kind, opt in (('untranslated', '--untranslated'), ('fuzzy', '--only-fuzzy')):
        out = subprocess.run(['msgattrib', opt, '--no-obsolete', merged],
                             capture_output=True, text=True, check=True).stdout
        ids = [m for m in re.findall(r'^msgid "(.*)"\n((?:".*"\n)*)', out, re.M)]
        for first, rest in ids:
            text = first + ''.join(re.findall(r'"(.*)"', rest))
            if text:
                bad.append('%s in po/zh_CN.po: "%s"' % (kind, text[:100]))
for b in bad:
    print(b)
print('%d problem(s)' % len(bad))
sys.exit(1 if bad else 0)
