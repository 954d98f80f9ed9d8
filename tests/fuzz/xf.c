/*  xf.c - records and scratch files for the fuzz targets (xf.h). */
#include "xf.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xiecha/armor.h>
#include <xiecha/error.h>

#include "xt_sys.h"

size_t
xf_records (const uint8_t *data, size_t size, xf_rec_t *recs, size_t max)
{
    size_t n = 0;
    while (size >= 2 && n < max) {
        size_t len = (size_t) data[0] << 8 | data[1];
        data += 2;
        size -= 2;
        if (len > size || n + 1 == max)
            len = size;
        recs[n].data = data;
        recs[n].len = len;
        n++;
        data += len;
        size -= len;
    }
    return n;
}

void
xf_record_put (zchunk_t *chunk, const void *data, size_t len)
{
    uint8_t head[2] = {(uint8_t) (len >> 8), (uint8_t) len};
    zchunk_extend (chunk, head, sizeof head);
    zchunk_extend (chunk, data, len);
}

char *
xf_text (const uint8_t *data, size_t len)
{
    char *s = malloc (len + 1);
    if (!s)
        abort ();
    if (len)
        memcpy (s, data, len);
    s[len] = '\0';
    return s;
}

void
xf_seed (const char *dir, const char *name, const void *data, size_t len)
{
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen (path, "wb");
    if (!f || (len && fwrite (data, 1, len, f) != len) || fclose (f) != 0)
        xt_fail ("cannot write %s", path);
}

const char *
xf_file (const char *name, const uint8_t *data, size_t len)
{
    static char dir[PATH_MAX];
    static char path[PATH_MAX + 64];
    if (!dir[0])
        xt_tmpdir_new (dir, sizeof dir, NULL, "fuzz");
    xf_seed (dir, name, data, len);
    snprintf (path, sizeof path, "%s/%s", dir, name);
    return path;
}

xc_trust_t *
xf_trust (const xf_rec_t *rec)
{
    char *text = xf_text (rec->data, rec->len);
    char why[512];
    xc_trust_t *trust = xc_trust_load_text (text, "trust", why, sizeof why);
    xf_say ("trust list", trust ? 0 : XC_EMALFORMED, why);
    free (text);
    return trust;
}

void
xf_say (const char *step, int rc, const char *why)
{
    static int verbose = -1;
    if (verbose < 0)
        verbose = getenv ("XF_VERBOSE") != NULL;
    if (verbose)
        fprintf (stderr, "%s: %s%s%s\n", step, rc ? xc_strerror (rc) : "ok",
                 why && *why ? ": " : "", why ? why : "");
}

int
xf_with_trust (const uint8_t *data, size_t size, xc_trust_t **trust,
               xf_rec_t *recs, size_t want)
{
    xf_rec_t all[XF_MAX_RECORDS];
    *trust = NULL;
    if (want + 1 > XF_MAX_RECORDS
        || xf_records (data, size, all, want + 1) != want + 1)
        return 0;
    memcpy (recs, all + 1, want * sizeof *recs);
    *trust = xf_trust (&all[0]);
    return 1;
}

int
xf_unarmor (const xf_rec_t *file, const char *label, uint8_t **out,
            size_t *len)
{
    char why[256];
    *out = NULL;
    *len = 0;
    int rc = xc_armor_decode ((const char *) file->data, file->len, label,
                              out, len, why, sizeof why);
    xf_say ("armor", rc, why);
    return rc;
}
