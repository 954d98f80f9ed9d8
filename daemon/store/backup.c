/*  backup.c - a consistent copy of a store and what it holds; see
    backup.h. */
#include "store/audit.h"
#include "store/backup.h"
#include "store/rosters.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xiecha/checkpoint.h>
#include <xiecha/crypto.h>
#include <xiecha/error.h>
#include <xiecha/text.h>

/*  The last checkpoint: which entry, when signed, by whom. */
static int
s_describe_seal (xc_store_t *store, MDB_txn *txn, xc_backup_info_t *info)
{
    int rc = xc_audit_sealed (store, txn, &info->sealed);
    if (rc || !info->sealed)
        return rc;
    xc_audit_entry_t e;
    rc = xc_audit_get (store, txn, info->sealed, &e);
    xc_checkpoint_t cp;
    if (rc == 0 && xc_checkpoint_decode (e.data, e.data_len, &cp) != 0)
        rc = XC_EMALFORMED;
    if (rc)
        return rc;
    info->sealed_ms = cp.time_ms;
    memcpy (info->node, cp.node, sizeof info->node);
    return 0;
}

int
xc_backup_describe (xc_store_t *store, MDB_txn *txn, xc_backup_info_t *info)
{
    memset (info, 0, sizeof *info);
    uint8_t head[32];
    int rc = xc_audit_head (store, txn, &info->entries, head);
    xc_audit_entry_t last;
    if (rc == 0 && info->entries
        && (rc = xc_audit_get (store, txn, info->entries, &last)) == 0)
        info->last_ms = last.time_ms;
    if (rc == 0)
        rc = s_describe_seal (store, txn, info);
    if (rc == 0)
        rc = xc_store_entries (store, txn, XC_DB_INDEX, &info->subjects);
    if (rc == 0)
        rc = xc_store_entries (store, txn, XC_DB_HOUSEHOLDS,
                               &info->households);
    if (rc == 0)
        rc = xc_store_entries (store, txn, XC_DB_OUTBOX, &info->outbox);
    if (rc == 0)
        rc = xc_store_entries (store, txn, XC_DB_CONFLICTS, &info->conflicts);
    bool rosters = xc_store_has (store, XC_DB_ROSTERS);   /* older stores */
    for (int p = 1; rc == 0 && rosters && p <= XC_BACKUP_PROGRAMS; p++) {
        xc_roster_date_t d;
        if ((rc = xc_rosters_get (store, txn, p, &d)) == 0)
            info->rosters[p - 1] = d.as_of;
    }
    return rc;
}

int
xc_backup_hash (const char *path, uint64_t *bytes, uint8_t sha256[32],
                char *why, size_t why_len)
{
    int fd = open (path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat (fd, &st) != 0) {
        int e = errno;
        if (fd >= 0)
            close (fd);
        return xc_why (why, why_len, XC_EIO, "%s: %s", path, strerror (e));
    }
    *bytes = (uint64_t) st.st_size;
    //  One mapping, hashed in one call: the file is the node's store,
    //  which LMDB maps whole anyway.
    void *map = st.st_size ? mmap (NULL, (size_t) st.st_size, PROT_READ,
                                   MAP_PRIVATE, fd, 0)
                           : NULL;
    int e = errno;
    close (fd);
    if (st.st_size && map == MAP_FAILED)
        return xc_why (why, why_len, XC_EIO, "%s: %s", path, strerror (e));
    xc_sha256 (map, (size_t) st.st_size, sha256);
    if (map)
        munmap (map, (size_t) st.st_size);
    return 0;
}

/*  The copy of dir's store into part/data.mdb, synced. */
static int
s_copy (const char *dir, const char *part, char *why, size_t why_len)
{
    char inner[1024];
    xc_store_t *store = xc_store_open_rdonly (dir, inner, sizeof inner);
    if (!store)
        return xc_why (why, why_len, XC_ESTORE, "%s", inner);
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/data.mdb", part);
    int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int rc = fd < 0 ? xc_why (why, why_len, XC_EIO, "%s: %s", path,
                              strerror (errno))
                    : xc_store_copy (store, fd);
    if (fd >= 0 && rc)
        xc_why (why, why_len, rc, _("copying the store in %s: %s"), dir,
                xc_store_cause ());
    if (fd >= 0 && rc == 0 && fsync (fd) != 0)
        rc = xc_why (why, why_len, XC_EIO, "%s: fsync: %s", path,
                     strerror (errno));
    if (fd >= 0 && close (fd) != 0 && rc == 0)
        rc = xc_why (why, why_len, XC_EIO, "%s: %s", path, strerror (errno));
    xc_store_destroy (&store);
    return rc;
}

/*  What the copy in part holds, read from the copy itself. */
static int
s_describe_copy (const char *part, xc_backup_info_t *info, char *why,
                 size_t why_len)
{
    char inner[1024];
    xc_store_t *copy = xc_store_open_rdonly (part, inner, sizeof inner);
    if (!copy)
        return xc_why (why, why_len, XC_ESTORE, _("the copy does not open: "
                       "%s"), inner);
    MDB_txn *txn = NULL;
    int rc = xc_store_read (copy, &txn);
    if (rc == 0)
        rc = xc_backup_describe (copy, txn, info);
    if (txn)
        mdb_txn_abort (txn);
    xc_store_destroy (&copy);
    if (rc)
        return xc_why (why, why_len, rc, _("the copy cannot be read: %s"),
                       xc_strerror (rc));
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/data.mdb", part);
    return xc_backup_hash (path, &info->bytes, info->sha256, why, why_len);
}

/*  Leaves nothing of the copy's directory behind (the data file too,
    unless published under out first). */
static void
s_discard (const char *part)
{
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/data.mdb", part);
    unlink (path);
    snprintf (path, sizeof path, "%s/lock.mdb", part);
    unlink (path);
    rmdir (part);
}

/*  Makes the copy's name final and durable: the rename, then the
    directory that holds it. */
static int
s_publish (const char *part, const char *out, char *why, size_t why_len)
{
    char path[PATH_MAX], parent[PATH_MAX];
    snprintf (path, sizeof path, "%s/data.mdb", part);
    //  link(2), not rename(2): it refuses an out made meanwhile.
    if (link (path, out) != 0)
        return xc_why (why, why_len, errno == EEXIST ? XC_EINVAL : XC_EIO,
                       "%s: %s", out, strerror (errno));
    s_discard (part);
    snprintf (parent, sizeof parent, "%s", out);
    int dfd = open (dirname (parent), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = dfd >= 0 && fsync (dfd) == 0 ? 0 : errno;
    if (dfd >= 0)
        close (dfd);
    return rc ? xc_why (why, why_len, XC_EIO, "%s: fsync of its directory: "
                        "%s", out, strerror (rc))
              : 0;
}

int
xc_backup_make (const char *dir, const char *out, xc_backup_info_t *info,
                char *why, size_t why_len)
{
    memset (info, 0, sizeof *info);
    struct stat st;
    if (lstat (out, &st) == 0)
        return xc_why (why, why_len, XC_EINVAL, _("%s exists: a backup "
                       "overwrites nothing; name a new file"), out);
    char part[PATH_MAX];
    if ((size_t) snprintf (part, sizeof part, "%s.part", out) >= sizeof part)
        return xc_why (why, why_len, XC_EINVAL, _("%s: path too long"), out);
    if (mkdir (part, 0700) != 0) {
        if (errno == EEXIST)
            return xc_why (why, why_len, XC_EINVAL, _("%s exists: another "
                           "backup to the same file is running, or one was "
                           "interrupted (remove it)"), part);
        return xc_why (why, why_len, errno == ENOENT ? XC_EINVAL : XC_EIO,
                       "%s: %s", part, strerror (errno));
    }
    int rc = s_copy (dir, part, why, why_len);
    if (rc == 0)
        rc = s_describe_copy (part, info, why, why_len);
    if (rc == 0)
        rc = s_publish (part, out, why, why_len);
    if (rc)
        s_discard (part);
    return rc;
}
