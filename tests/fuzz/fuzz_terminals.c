/*  fuzz_terminals.c - the node's terminal list (xiecha/terminal.h):
    parsed from text as xiechad and `xiecha terminal` read it, and every
    terminal found again by id and by key, its window and roles read.

    Input: the text of a list (for county 469021). */
#include <stdlib.h>

#include <xiecha/xiecha.h>

#include "xf.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *text = xf_text (data, size);
    char why[512];
    xc_terminals_t *list = text ? xc_terminals_load_text (text, "fuzz",
                                                          "469021", why,
                                                          sizeof why)
                                : NULL;
    free (text);
    for (size_t i = 0; i < xc_terminals_size (list); i++) {
        const xc_terminal_t *t = xc_terminals_at (list, i);
        if (xc_terminals_find (list, t->id) != t
            || xc_terminals_by_curve (list, t->curve) != t
            || !xc_terminal_id_valid (t->id) || t->roles == 0)
            abort ();   /* each terminal finds itself, by id and by key */
        char roles[64];
        unsigned back;
        xc_roles_text (t->roles, roles, sizeof roles);
        if (xc_roles_parse (roles, &back, why, sizeof why) != 0
            || back != t->roles)
            abort ();
        xc_terminal_admitted (t, XF_NOW, why, sizeof why);
    }
    xc_terminals_destroy (&list);
    return 0;
}
