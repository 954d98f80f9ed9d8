/*  schema.c - reads a ZPL tree through a table of keys.  See schema.h. */
#include <czmq.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node/schema.h"
#include "xiecha/error.h"
#include "xiecha/text.h"

static int
s_set_int (const xc_schema_key_t *k, const char *v, const char *file,
           void *dst, char *why, size_t why_len)
{
    char *end = NULL;
    long n = strtol (v, &end, 10);
    if (*v == '\0' || *end != '\0')
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: %s: '%s' is not an integer"), file, k->key, v);
    if (n < k->min || n > k->max)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: %s: %ld is outside %ld..%ld"), file, k->key, n,
                       k->min, k->max);
    *(int *) ((char *) dst + k->offset) = (int) n;
    return 0;
}

int
xc_schema_set_text (const xc_schema_key_t *k, const char *v, const char *file,
                    void *dst, char *why, size_t why_len)
{
    /* Cut short, a policy name would misname every refusal and a path
       would name another file: refuse it. */
    if (strlen (v) >= k->size)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: %s: longer than %zu bytes"), file, k->key,
                       k->size - 1);
    snprintf ((char *) dst + k->offset, k->size, "%s", v);
    return 0;
}

static int
s_set (const xc_schema_t *schema, const xc_schema_key_t *k, const char *v,
       const char *file, void *dst, char *why, size_t why_len)
{
    if (k->type == XC_SCHEMA_INT)
        return s_set_int (k, v, file, dst, why, why_len);
    if (k->type == XC_SCHEMA_TEXT)
        return xc_schema_set_text (k, v, file, dst, why, why_len);
    return schema->set_own (k, v, file, dst, why, why_len);
}

static const xc_schema_key_t *
s_find (const xc_schema_t *schema, const char *path)
{
    for (size_t i = 0; i < schema->count; i++)
        if (streq (schema->keys[i].key, path))
            return &schema->keys[i];
    return NULL;
}

/*  Walks every leaf in the tree so that a misspelt key is an error
    rather than a silently ignored line (or a rule silently left at its
    default).  O(leaves x rows): both are a few dozen. */
static int
s_check_unknown (const xc_schema_t *schema, zconfig_t *node,
                 const char *prefix, const char *file, char *why,
                 size_t why_len)
{
    for (zconfig_t *c = zconfig_child (node); c; c = zconfig_next (c)) {
        char path[256];
        snprintf (path, sizeof path, "%s%s%s", prefix, *prefix ? "/" : "",
                  zconfig_name (c));
        if (zconfig_child (c)) {
            int rc = s_check_unknown (schema, c, path, file, why, why_len);
            if (rc)
                return rc;
            continue;
        }
        if (!s_find (schema, path))
            return xc_why (why, why_len, XC_ECONFIG,
                           _("%s: unknown key '%s'%s"), file, path,
                           schema->unknown_hint ? _(schema->unknown_hint) : "");
    }
    return 0;
}

int
xc_schema_load (const char *path, zconfig_t **root, char *why,
                size_t why_len)
{
    *root = NULL;
    FILE *f = fopen (path, "r");
    if (!f)
        return xc_why (why, why_len, XC_ECONFIG, _("%s: cannot read: %s"), path,
                       strerror (errno));
    char *buf = malloc (XC_SCHEMA_MAX_FILE + 1);
    size_t len = buf ? fread (buf, 1, XC_SCHEMA_MAX_FILE + 1, f) : 0;
    int bad = ferror (f);
    fclose (f);
    if (!buf)
        return xc_why (why, why_len, XC_ENOMEM, _("%s: out of memory"), path);
    if (bad || len > XC_SCHEMA_MAX_FILE) {
        free (buf);
        return xc_why (why, why_len, XC_ECONFIG, "%s: %s", path,
                       bad ? "read error" : "larger than 64 KiB");
    }
    buf[len] = '\0';
    *root = zconfig_str_load (buf);
    free (buf);
    if (!*root)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: not valid ZPL (indent by 4 spaces, key = value)"),
                       path);
    return 0;
}

int
xc_schema_read (const xc_schema_t *schema, zconfig_t *root, const char *file,
                void *dst, char *why, size_t why_len)
{
    int rc = s_check_unknown (schema, root, "", file, why, why_len);
    for (size_t i = 0; rc == 0 && i < schema->count; i++) {
        const xc_schema_key_t *k = &schema->keys[i];
        const char *v = zconfig_get (root, k->key, k->def);
        if (!v)
            rc = xc_why (why, why_len, XC_ECONFIG, _("%s: %s: required (%s)"),
                         file, k->key, _(k->meaning));
        else
            rc = s_set (schema, k, v, file, dst, why, why_len);
    }
    return rc;
}
