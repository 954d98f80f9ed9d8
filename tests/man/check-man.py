#!/usr/bin/env python3
"""check-man.py BUILDDIR PAGE... - the man pages render cleanly, and each
Chinese page documents what its English page does.

PAGE is a name such as xiecha.1; the configured pages are read from
BUILDDIR/man/PAGE (English) and BUILDDIR/man/zh_CN/PAGE (Chinese).

Fails, naming the page and what differs, when
  - `man --warnings -l` (groff underneath) writes any warning for a page,
    English or Chinese, or renders it empty;
  - the two pages differ in their sections: the number of .SH headings,
    or the .SS headings (command names, which stay English);
  - within any section or subsection (matched by position) the Chinese
    page lacks, or adds, a long option (--id), a config key (limits/...),
    or an exit status; or the Chinese section has no Chinese text at all
    (left untranslated);
  - the synopses' `xiecha COMMAND` lines differ (the second section);
  - the build does not install the Chinese pages under share/man/zh_CN,
    or man(1) does not pick them for LANG=zh_CN.UTF-8 from such a tree.
Exit statuses are read where the text says so: after "exit"/"exits"/
"exit status" in English and after 退出状态 in Chinese, every single digit
to the end of that sentence (a full stop before a capital, or 。) or
paragraph; in the EXIT STATUS section, every digit that
starts an item."""
import json, os, re, shutil, subprocess, sys, tempfile

build = sys.argv[1]
pages = sys.argv[2:]
bad = []

CJK = re.compile(r'[\u4e00-\u9fff]')
OPTION = re.compile(r'(?<![\w-])--[a-z][a-z0-9-]*')
KEY = re.compile(r'(?<![\w/.:-])(?:node|keys|trust|policy|limits|out_of_province)'
                 r'/(?:[a-z_]+|\*)')
DIGIT = r'(?<![\w.\-:/])[0-8](?![\w\-/]|\.\d)'
EXIT_EN = re.compile(r'\b[Ee]xit(?:s|ed)?\b(.*?)(?:\.(?=\s+[A-Z]|\s*\Z)|\n\s*\n|\Z)', re.S)
EXIT_ZH = re.compile(r'退出状态(.*?)(?:。|\n\s*\n|\Z)', re.S)


def text_of (roff):
    """The words of a roff source: requests' arguments kept, escapes
    that stand for characters replaced by them, fonts dropped."""
    t = roff.replace('\\-', '-').replace('\\e', '\\').replace('\\(dq', '"')
    t = re.sub(r'\\f[BIRP]', '', t)
    t = re.sub(r'\\&', '', t)
    t = re.sub(r'^\.(?:B|I|BR|RB|IR|RI|BI|IB|TP|TQ|PP|RS|RE|EX|EE|br)\b ?',
               '', t, flags=re.M)
    return t.replace('"', ' ')


def units (roff):
    """The page cut at .SH and .SS: a list of (request, heading, body)."""
    out = [('', '', [])]
    for line in roff.splitlines():
        m = re.match(r'\.(SH|SS) (.*)', line)
        if m:
            out.append((m.group(1), m.group(2).strip().strip('"'), []))
        else:
            out[-1][2].append(line)
    return [(r, h, '\n'.join(b)) for r, h, b in out]


def exits (heading_en, body, chinese):
    text = text_of (body)
    found = set()
    for m in (EXIT_ZH if chinese else EXIT_EN).finditer(text):
        found |= set(re.findall(DIGIT, m.group(1)))
    if heading_en == 'EXIT STATUS':
        # xiecha.1: .TP / .B N items; xiechad.8: "0 after ...; 1 on ..."
        found |= set(re.findall(r'^\.B ([0-8])$', body, re.M))
        found |= set(re.findall(r'(?:^|[;；]\s*)([0-8])(?=[ ：:])', text, re.M))
    return found


def compare (page, en, zh):
    ue, uz = units (en), units (zh)
    if [r for r, _, _ in ue] != [r for r, _, _ in uz]:
        bad.append('%s: sections differ: English %s, Chinese %s' % (page,
                   ' '.join(r + ':' + h for r, h, _ in ue[1:]),
                   ' '.join(r + ':' + h for r, h, _ in uz[1:])))
        return
    for (req, he, be), (_, hz, bz) in zip (ue, uz):
        where = '%s: %s %s' % (page, req or 'header', he)
        if req == 'SS' and he != hz:
            bad.append('%s: the Chinese page has .SS %s here' % (where, hz))
        if req == 'SH' and not CJK.search(hz):
            bad.append('%s: heading "%s" is not translated' % (where, hz))
        prose = re.search(r'[A-Za-z]+ [a-z]+ [a-z]+', text_of (be))
        if req and he != 'SYNOPSIS' and prose and not CJK.search(bz):
            bad.append('%s: no Chinese text in this section' % where)
        for what, get in (('option', lambda b, z: set(OPTION.findall(text_of (b)))),
                          ('config key', lambda b, z: set(KEY.findall(text_of (b)))),
                          ('exit status', lambda b, z: exits (he, b, z))):
            se, sz = get (be, False), get (bz, True)
            for x in sorted(se - sz):
                bad.append('%s: the Chinese page lacks %s %s' % (where, what, x))
            for x in sorted(sz - se):
                bad.append('%s: the Chinese page has %s %s, the English not' % (where, what, x))
    syn = lambda roff: [l for l in units (roff)[2][2].splitlines()
                        if re.match(r'\.B xiecha\b', l)]
    if syn (en) != syn (zh):
        bad.append('%s: the synopsis lines differ:\n  %s\n  %s' % (page,
                   '\n  '.join(sorted(set(syn (en)) - set(syn (zh)))),
                   '\n  '.join(sorted(set(syn (zh)) - set(syn (en))))))


def render (path):
    env = dict(os.environ, LC_ALL='C.UTF-8', MANWIDTH='80', MAN_KEEP_FORMATTING='')
    r = subprocess.run(['man', '--warnings', '-l', path], capture_output=True,
                       text=True, env=env)
    if r.returncode != 0 or r.stderr.strip():
        bad.append('%s: man --warnings -l says (exit %d):\n%s' % (path, r.returncode,
                   r.stderr.strip()))
    if len(r.stdout.splitlines()) < 20:
        bad.append('%s: renders to almost nothing' % path)
    return r.stdout


if not shutil.which('man') or not shutil.which('groff'):
    sys.exit('man and groff are needed (deploy/packages.sh installs man-db and groff)')
for page in pages:
    en_path = os.path.join(build, 'man', page)
    zh_path = os.path.join(build, 'man', 'zh_CN', page)
    render (en_path)
    out = render (zh_path)
    if not CJK.search(out):
        bad.append('%s: the rendered Chinese page shows no Chinese' % zh_path)
    compare (page, open(en_path, encoding='utf-8').read(),
             open(zh_path, encoding='utf-8').read())

# Installed where man looks for a Chinese locale: share/man/zh_CN/manN.
r = subprocess.run(['meson', 'introspect', '--installed', build],
                   capture_output=True, text=True, check=True)
installed = json.loads(r.stdout)
with tempfile.TemporaryDirectory() as tmp:
    for page in pages:
        src = os.path.join(build, 'man', 'zh_CN', page)
        dest = next((d for s, d in installed.items()
                     if os.path.realpath(s) == os.path.realpath(src)), None)
        sec = 'man' + page.rsplit('.', 1)[1]
        if dest is None or not dest.endswith('/share/man/zh_CN/%s/%s' % (sec, page)):
            bad.append('%s is installed as %s, not under share/man/zh_CN/%s' % (src, dest, sec))
            continue
        os.makedirs(os.path.join(tmp, 'zh_CN', sec), exist_ok=True)
        shutil.copy(src, os.path.join(tmp, 'zh_CN', sec, page))
        os.makedirs(os.path.join(tmp, sec), exist_ok=True)
        shutil.copy(os.path.join(build, 'man', page), os.path.join(tmp, sec, page))
        name = page.rsplit('.', 1)[0]
        for lang, want in (('zh_CN.UTF-8', '/zh_CN/'), ('C.UTF-8', '/%s/' % sec)):
            env = dict(os.environ, MANPATH=tmp, LC_ALL=lang, LANG=lang, LANGUAGE='')
            w = subprocess.run(['man', '-w', name], capture_output=True, text=True,
                               env=env).stdout.strip()
            if want not in w or (lang.startswith('C') and '/zh_CN/' in w):
                bad.append('man -w %s under LANG=%s finds %r' % (name, lang, w))

for b in bad:
    print('FAIL: ' + b, file=sys.stderr)
if bad:
    sys.exit(1)
print('ok: %s render without warnings and document the same options, keys, '
      'commands and exit statuses in English and Chinese' % ' '.join(pages))
