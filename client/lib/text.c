/*  text.c - gettext for every text a person reads; display widths.  */
#include <libintl.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xiecha/text.h"

#ifndef XC_LOCALEDIR
#define XC_LOCALEDIR "/usr/share/locale"
#endif

void
xc_text_init (void)
{
    //  Only messages and characters follow the locale: a decimal comma
    //  (LC_NUMERIC) would change what --json and the CSV files say.
    setlocale (LC_CTYPE, "");
    setlocale (LC_MESSAGES, "");
    const char *dir = getenv ("XIECHA_LOCALEDIR");
    bindtextdomain (XC_TEXT_DOMAIN, dir && *dir ? dir : XC_LOCALEDIR);
    //  UTF-8 whatever LC_CTYPE says: the texts go into PDFs and CSV files
    //  as well as terminals, and a C locale would turn Chinese into '?'.
    bind_textdomain_codeset (XC_TEXT_DOMAIN, "UTF-8");
}

void
xc_text_machine (void)
{
    //  LC_MESSAGES alone: LC_CTYPE stays UTF-8-aware, so display widths
    //  and the reading of names in files do not change with it.
    setlocale (LC_MESSAGES, "C");
}

const char *
xc_text (const char *msgid)
{
    return dgettext (XC_TEXT_DOMAIN, msgid);
}

const char *
xc_ntext (const char *singular, const char *plural, unsigned long n)
{
    return dngettext (XC_TEXT_DOMAIN, singular, plural, n);
}

bool
xc_text_chinese (void)
{
    //  The catalogue's own answer: the header entry "" is translated only
    //  when a catalogue was found, and ours names its language.
    static const char header_id[] = "";    /* not a literal: xgettext
                                              would take it for a text */
    const char *header = dgettext (XC_TEXT_DOMAIN, header_id);
    return header && *header && strstr (header, "Language: zh") != NULL;
}

//  The East Asian Wide and Fullwidth ranges of Unicode (UAX #11) that
//  Chinese text uses, by code point.
static bool
s_wide (uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E)
        || (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF)
        || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60)
        || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

size_t
xc_text_width (const char *s)
{
    size_t cols = 0;
    const unsigned char *p = (const unsigned char *) s;
    while (*p) {
        uint32_t c = *p;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        c &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0x7F;
        p++;
        //  Continuation bytes only: a cut sequence counts what it has.
        for (; more > 0 && (*p & 0xC0) == 0x80; more--, p++)
            c = (c << 6) | (*p & 0x3F);
        cols += s_wide (c) ? 2 : 1;
    }
    return cols;
}
