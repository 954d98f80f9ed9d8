/*  text.h - the language of what xiecha says to people.

    Every text a person reads (help, output, errors, refusal reasons) is
    written in English in the source and translated by gettext, domain
    "xiecha": the locale picks the language (LANG=zh_CN.UTF-8 gives
    Simplified Chinese, anything else English).  Catalogues come from
    po/ (po/zh_CN.po) and are installed under share/locale; the
    environment variable XIECHA_LOCALEDIR points elsewhere (the tests and
    the demo use the build tree's).

    What machines read never changes with the locale: --json keys and
    enum values, the wire, the audit log, log keys.  A text used as a
    stable identifier is therefore never passed through xc_text.

    The library's texts (xc_strerror, the `why` of every check) are
    marked too: the CLI shows them to people.  The daemon writes the
    same texts into signed refusals, audit entries and log lines, which
    must read the same on every node whatever its locale.  The rule, by
    construction rather than by care at each call: a program that
    writes for machines calls xc_text_machine () once it is done
    talking to a person, and from then on every text of the process is
    its English msgid.  xiechad speaks the locale's language for
    --help, usage, configuration errors and --check / --init (a county's
    IT staff read those) and calls xc_text_machine () after reading its
    configuration, before it opens the store and serves.

    Source files mark texts with _("...") (translated where it is used)
    and N_("...") (a table entry, translated later with _(table[i])).
    Translators' notes are comments starting with TRANSLATORS. */
#ifndef XIECHA_TEXT_H
#define XIECHA_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#define XC_TEXT_DOMAIN "xiecha"

/*  Sets the process's message language and character handling from the
    environment (LC_MESSAGES and LC_CTYPE only: numbers and times are
    formatted by xiecha itself, the same way in every locale) and binds
    the catalogue, always delivered as UTF-8.  Call once, first thing in
    main. */
void xc_text_init (void);

/*  Turns translation off for the rest of the process: LC_MESSAGES
    becomes "C", so xc_text returns every msgid unchanged (LANGUAGE too
    is ignored in the C locale).  Call it while the process has one
    thread: setlocale is not safe against threads reading the locale. */
void xc_text_machine (void);

/*  The translation of msgid in the active language, or msgid itself.
    format_arg: a printf format passed through it is still checked
    against its arguments at compile time. */
const char *xc_text (const char *msgid)
    __attribute__ ((format_arg (1), returns_nonnull));

/*  The same for a text with a count: singular for n == 1 in English. */
const char *xc_ntext (const char *singular, const char *plural,
                      unsigned long n)
    __attribute__ ((format_arg (1), format_arg (2), returns_nonnull));

/*  True when texts come out in Chinese (the catalogue in use is zh). */
bool xc_text_chinese (void);

/*  Columns the UTF-8 text s takes on a terminal: two for each East Asian
    wide or full-width character (Chinese, full-width digits), one for
    others.  Independent of the locale, so tables line up the same under
    LANG=C as under zh_CN.UTF-8. */
size_t xc_text_width (const char *s);

/*  What people call the wire's enum values, in the active language: the
    names the policy documents use (最低生活保障, 特困人员救助供养, 低收入
    家庭, 低保边缘家庭, 临时救助: ../shared/policy-documents/
    dingan-county-residence-application-pilot.txt and
    city-residence-application-scheme.txt), in English otherwise.  "?"
    for a value that has no name.  The _zh forms are always Chinese:
    the printed certificate is a Chinese document whatever the locale.
    --json never uses these; it uses xc_program_name and friends
    (wire.h), the stable identifiers. */
const char *xc_program_title (int program);
const char *xc_program_title_zh (int program);
const char *xc_status_title (int status);          /* 未享受 / 正在享受 */
const char *xc_relation_title (int relation);      /* 同县 ... 跨省 */
const char *xc_relation_title_zh (int relation);
const char *xc_notice_kind_title (int kind);       /* 纳入, 终止, ... */
const char *xc_reason_title (int reason);          /* a TerminationReason */

#ifndef _
#define _(s) xc_text (s)
#endif
#ifndef N_
#define N_(s) (s)
#endif

#endif
