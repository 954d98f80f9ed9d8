/*  replay.c - runs a fuzz target over files, without libFuzzer, so the
    ordinary test build (gcc, ASan/UBSan) replays every seed and every
    regression input on each run (suite fuzz-replay).

        replay_<target> DIR_OR_FILE...

    Each file is one input, in name order within a directory.  A crash
    or a sanitizer report fails the test; an input that returns is a
    pass.  Prints how many inputs ran.  A directory that does not exist
    counts as empty (a target without regressions yet). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xf.h"

__attribute__ ((weak)) int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    return 0;
}

static void
s_run_file (const char *path, size_t *runs)
{
    FILE *f = fopen (path, "rb");
    if (!f) {
        fprintf (stderr, "replay: %s: %s\n", path, strerror (errno));
        exit (1);
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            buf = realloc (buf, cap);
            if (!buf)
                abort ();
        }
        got = fread (buf + len, 1, cap - len, f);
        len += got;
    } while (got);
    fclose (f);
    LLVMFuzzerTestOneInput (buf, len);
    free (buf);
    (*runs)++;
}

static int
s_by_name (const struct dirent **a, const struct dirent **b)
{
    return strcmp ((*a)->d_name, (*b)->d_name);
}

static void
s_run (const char *path, size_t *runs)
{
    struct stat st;
    if (stat (path, &st) != 0)
        return;
    if (!S_ISDIR (st.st_mode)) {
        s_run_file (path, runs);
        return;
    }
    struct dirent **names;
    int n = scandir (path, &names, NULL, s_by_name);
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            char full[4096];
            snprintf (full, sizeof full, "%s/%s", path, names[i]->d_name);
            s_run (full, runs);
        }
        free (names[i]);
    }
    free (n >= 0 ? names : NULL);
}

int
main (int argc, char **argv)
{
    LLVMFuzzerInitialize (&argc, &argv);
    size_t runs = 0;
    for (int i = 1; i < argc; i++)
        s_run (argv[i], &runs);
    printf ("%s: %zu inputs replayed\n", argv[0], runs);
    return 0;
}
