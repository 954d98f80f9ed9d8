/*  restore.c - the RESTORE entry at start; see restore.h. */
#include "node/restore.h"
#include "store/audit.h"
#include "store/backup.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <xiecha/bytes.h>
#include <xiecha/error.h>
#include <xiecha/text.h>

#define S_HOME_LEN 16   /* u64 st_dev | u64 st_ino */

static int
s_home_of (const char *dir, uint8_t home[S_HOME_LEN])
{
    char path[PATH_MAX];
    struct stat st;
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    if (stat (path, &st) != 0)
        return XC_ESTORE;
    xc_put_u64 (home, (uint64_t) st.st_dev);
    xc_put_u64 (home + 8, (uint64_t) st.st_ino);
    return 0;
}

int
xc_restore_home (xc_store_t *store, MDB_txn *txn, const char *dir)
{
    uint8_t home[S_HOME_LEN];
    int rc = s_home_of (dir, home);
    return rc ? rc : xc_store_meta_put (store, txn, XC_RESTORE_HOME_KEY, home,
                                        sizeof home);
}

/*  --restored-from FILE: the store must be FILE as it was written. */
static int
s_check_file (const char *dir, const char *file, uint8_t sha[32], char *why,
              size_t why_len)
{
    char path[PATH_MAX], inner[512];
    uint8_t ours[32];
    uint64_t n1, n2;
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    if (xc_backup_hash (file, &n1, sha, inner, sizeof inner) != 0)
        return xc_why (why, why_len, XC_EINVAL, _("--restored-from: %s"),
                       inner);
    if (xc_backup_hash (path, &n2, ours, inner, sizeof inner) != 0)
        return xc_why (why, why_len, XC_ESTORE, "%s", inner);
    if (n1 != n2 || memcmp (sha, ours, 32) != 0)
        return xc_why (why, why_len, XC_EINVAL, _("--restored-from %s: %s "
                       "is not that backup (other contents): install the "
                       "backup as data.mdb and start the node on it before "
                       "anything else, or leave the option out"), file, path);
    return 0;
}

typedef struct {
    xc_store_t *store;
    const char *dir;
    int how;                 /* 0: nothing to record */
    const uint8_t *sha;      /* the backup's, or NULL */
    uint64_t now;
} s_start_t;

/*  Whether the store is a copy: its data file is not the one recorded. */
static int
s_noticed (s_start_t *s, MDB_txn *txn)
{
    uint8_t home[S_HOME_LEN];
    MDB_val was;
    int rc = s_home_of (s->dir, home);
    if (rc == 0)
        rc = xc_store_meta_get (s->store, txn, XC_RESTORE_HOME_KEY,
                                S_HOME_LEN, &was);
    if (rc == XC_ENOTFOUND)   /* a store older than the mark: no word */
        return 0;
    if (rc == 0 && memcmp (was.mv_data, home, S_HOME_LEN) != 0)
        s->how = XC_RESTORE_NOTICED;
    return rc;
}

static int
s_record (s_start_t *s, MDB_txn *txn)
{
    xc_backup_info_t info;
    int rc = xc_backup_describe (s->store, txn, &info);
    if (rc)
        return rc;
    uint8_t data[XC_AUDIT_RESTORE_LEN] = {XC_RESTORE_FORMAT, (uint8_t) s->how};
    xc_put_u64 (data + 2, info.entries);
    xc_put_u64 (data + 10, info.last_ms);
    xc_put_u64 (data + 18, info.sealed);
    if (s->sha)
        memcpy (data + 26, s->sha, 32);
    char note[400];
    snprintf (note, sizeof note, "store restored (%s): this log is the copy's "
              "up to entry %llu; entries the node wrote after that copy are "
              "not in it", s->how == XC_RESTORE_SAID
                               ? "xiechad --restored-from"
                               : "the data file is not the one the node "
                                 "last served from",
              (unsigned long long) info.entries);
    return xc_audit_append (s->store, txn, XC_AUDIT_RESTORE, NULL, s->now,
                            note, data, sizeof data, NULL);
}

static int
s_start_write (MDB_txn *txn, void *arg)
{
    s_start_t *s = arg;
    int rc = s->how ? 0 : s_noticed (s, txn);
    if (rc == 0 && s->how)
        rc = s_record (s, txn);
    if (rc == 0)
        rc = xc_restore_home (s->store, txn, s->dir);
    return rc;
}

int
xc_restore_start (xc_store_t *store, const char *dir,
                  const char *restored_from, uint64_t now, int *recorded,
                  char *why, size_t why_len)
{
    uint8_t sha[32];
    s_start_t s = {store, dir, 0, NULL, now};
    *recorded = 0;
    if (restored_from) {
        int rc = s_check_file (dir, restored_from, sha, why, why_len);
        if (rc)
            return rc;
        s.how = XC_RESTORE_SAID;
        s.sha = sha;
    }
    int rc = xc_store_write (store, s_start_write, &s);
    if (rc)
        return xc_why (why, why_len, rc, _("store %s: cannot record the "
                       "restore: %s"), dir, xc_strerror (rc));
    *recorded = s.how != 0;
    return 0;
}
