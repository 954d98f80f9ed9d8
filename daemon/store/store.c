/*  store.c - the node's one LMDB environment and its named databases.

    One environment per node directory, opened once per process and never
    used across fork() (both break LMDB's locking).  Writes are synchronous:
    no MDB_NOSYNC / MDB_NOMETASYNC, because what we acknowledge must survive
    a power cut.  A synced commit costs two fsyncs, so callers batch many
    messages into one xc_store_write (group commit). */
#include "store/store.h"
#include "xiecha/text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <unistd.h>

#include <xiecha/error.h>

#define XC_STORE_DEFAULT_MAP ((size_t) 64 << 20) /* 64 MiB */
#define XC_STORE_GROW_TRIES 8 /* map doublings per xc_store_write */
#define XC_STORE_ROOM_MIN (64u << 10) /* less free disk than this: full */

struct _xc_store_t {
    MDB_env *env;              /* the environment; owned */
    MDB_dbi dbi[XC_DB_COUNT];  /* handles of the named databases */
    unsigned present;          /* bit 1 << db: that database exists */
    size_t map_size;           /* current map size, tracked across growth */
    pid_t pid;                 /* process that opened env: never cross fork */
    dev_t dev;                 /* device of dir, to spot a second open */
    ino_t ino;                 /* inode of dir, to spot a second open */
    xc_store_t *next;          /* next store open in this process */
    pthread_t owner;           /* thread that opened it: the only writer */
    /*  Held shared by other threads for the life of each read txn, and
        exclusively by the owner while it remaps: mdb_env_set_mapsize is
        legal only while no transaction is open anywhere in the process. */
    pthread_rwlock_t remap;
    char dir[PATH_MAX];        /* the environment's directory, for causes */
    /*  The reserve: disk blocks kept allocated past the end of the data
        (fallocate, FALLOC_FL_KEEP_SIZE), so that when the disk fills up
        the node still has room for what it must write (answers to
        peers, audit entries) while it refuses work that grows the store
        (xc_store_short). */
    size_t reserve;            /* bytes to keep; 0: none */
    size_t reserved_to;        /* file offset allocated up to */
    bool short_of_space;       /* the last try to keep it failed */
};

/*  Why this thread's last store call failed ("No space left on device
    (ENOSPC) committing ..."), for xc_store_cause. */
static _Thread_local char s_cause[256];

/*  Stores open in this process.  LMDB's POSIX locks are per process, so a
    second open of the same environment would silently drop the first's
    locks when closed; we refuse it instead.  The worker thread opens
    scratch stores (replay), hence the lock. */
static xc_store_t *s_open_stores = NULL;
static pthread_mutex_t s_open_lock = PTHREAD_MUTEX_INITIALIZER;

/*  Names of the named databases, in xc_db_t order. */
static const char *const s_db_names[XC_DB_COUNT] = {
    "index", "seen", "audit", "meta", "outbox", "households", "rosters",
    "conflicts"
};

/*  The one mapping of LMDB and system codes to ours.  A failure also
    leaves its cause for xc_store_cause: LMDB's text, the errno's name
    (LMDB passes write(2) and fsync(2) errors up as errno values), and
    step, what the store was doing, when it is not NULL. */
static int
s_store_fail (int mdb_rc, const char *step, const xc_store_t *self)
{
    int rc;
    switch (mdb_rc) {
    case MDB_SUCCESS: return XC_OK;
    case MDB_NOTFOUND: return XC_ENOTFOUND;
    case MDB_MAP_FULL: rc = XC_EFULL; break;
    case ENOSPC:
    case EDQUOT: rc = XC_ENOSPC; break;
    default: rc = XC_ESTORE; break;
    }
    const char *name = mdb_rc > 0 ? strerrorname_np (mdb_rc) : NULL;
    int n = snprintf (s_cause, sizeof s_cause, "%s", mdb_strerror (mdb_rc));
    if (name && n >= 0 && (size_t) n < sizeof s_cause)
        n += snprintf (s_cause + n, sizeof s_cause - n, " (%s)", name);
    if (step && n >= 0 && (size_t) n < sizeof s_cause)
        snprintf (s_cause + n, sizeof s_cause - n, " %s in %s", step,
                  self ? self->dir : "the store");
    return rc;
}

int
xc_store_rc (int mdb_rc)
{
    return s_store_fail (mdb_rc, NULL, NULL);
}

const char *
xc_store_cause (void)
{
    return s_cause;
}

const char *
xc_store_describe (int rc, char *buf, size_t len)
{
    if (xc_store_failed (rc) && s_cause[0])
        snprintf (buf, len, "%s: %s", xc_strerror (rc), s_cause);
    else
        snprintf (buf, len, "%s", xc_strerror (rc));
    return buf;
}

static int
s_store_is_open (dev_t dev, ino_t ino)
{
    int found = 0;
    pthread_mutex_lock (&s_open_lock);
    for (xc_store_t *s = s_open_stores; s && !found; s = s->next)
        found = s->dev == dev && s->ino == ino;
    pthread_mutex_unlock (&s_open_lock);
    return found;
}

static void
s_store_unlink (xc_store_t *self)
{
    pthread_mutex_lock (&s_open_lock);
    for (xc_store_t **p = &s_open_stores; *p; p = &(*p)->next)
        if (*p == self) {
            *p = self->next;
            break;
        }
    pthread_mutex_unlock (&s_open_lock);
}

/*  Write fn for xc_store_new: opens (creating) every named database.  The
    handles become valid for the whole environment once this commits. */
static int
s_open_dbis (MDB_txn *txn, void *arg)
{
    xc_store_t *self = arg;
    for (int i = 0; i < XC_DB_COUNT; i++) {
        int rc = mdb_dbi_open (txn, s_db_names[i], MDB_CREATE, &self->dbi[i]);
        if (rc != MDB_SUCCESS)
            return xc_store_rc (rc);
        self->present |= 1u << i;
    }
    return 0;
}

/*  Reads the map size LMDB actually uses: it raises a map smaller than the
    data already in the file. */
static void
s_store_sync_map_size (xc_store_t *self)
{
    MDB_envinfo info;
    if (mdb_env_info (self->env, &info) == MDB_SUCCESS)
        self->map_size = info.me_mapsize;
}

/*  The size of dir/data.mdb, which must exist and not be empty: a
    zero-length file would be taken by LMDB for a new environment and
    silently filled, and a first start is explicit.  Returns 0 or
    XC_ENOTFOUND / XC_ESTORE with why. */
static int
s_store_file (const char *dir, off_t *size, char *why, size_t why_len)
{
    char path[PATH_MAX];
    struct stat st;
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    if (stat (path, &st) != 0)
        return xc_why (why, why_len, errno == ENOENT ? XC_ENOTFOUND
                                                     : XC_ESTORE,
                       _("store %s: %s: %s"), dir, path, strerror (errno));
    if (!S_ISREG (st.st_mode))
        return xc_why (why, why_len, XC_ESTORE,
                       _("store %s: %s is not a regular file"), dir, path);
    if (st.st_size == 0)
        return xc_why (why, why_len, XC_ESTORE,
                       _("store %s: %s is empty (0 bytes): no store is "
                         "there, only its name"), dir, path);
    *size = st.st_size;
    return 0;
}

/*  LMDB reads its two meta pages with read(), then reaches every other
    page through the map: a file shorter than its last page kills the
    process with SIGBUS at the first touch.  Compares the file's size
    with what the meta says before any transaction exists.  Reading
    info and stat is safe: the meta pages mdb_env_open has just read
    lie in the file. */
static int
s_store_check_size (xc_store_t *self, const char *dir, off_t size,
                    char *why, size_t why_len)
{
    MDB_envinfo info;
    MDB_stat st;
    if (mdb_env_info (self->env, &info) != MDB_SUCCESS
        || mdb_env_stat (self->env, &st) != MDB_SUCCESS)
        return xc_why (why, why_len, XC_ESTORE,
                       _("store %s: cannot read the environment's metadata"),
                       dir);
    uint64_t need = ((uint64_t) info.me_last_pgno + 1) * st.ms_psize;
    if ((uint64_t) size < need)
        return xc_why (why, why_len, XC_ESTORE,
                       _("store %s: data.mdb is truncated: %lld bytes, but "
                         "its metadata says pages 0..%llu of %u bytes, %llu "
                         "bytes"), dir, (long long) size,
                       (unsigned long long) info.me_last_pgno, st.ms_psize,
                       (unsigned long long) need);
    return 0;
}

/*  Why mdb_env_open refused an existing file, in the operator's words. */
static int
s_store_open_failed (const char *dir, off_t size, int rc, char *why,
                     size_t why_len)
{
    if (rc == MDB_INVALID)
        return xc_why (why, why_len, XC_ESTORE,
                       _("store %s: data.mdb (%lld bytes) is not an LMDB "
                         "environment: its meta pages are damaged (zeroed, "
                         "truncated or overwritten?)"), dir, (long long) size);
    return xc_why (why, why_len, XC_ESTORE, _("store %s: %s"), dir,
                   mdb_strerror (rc));
}

/*  Opens the environment with flags: read-write (map of map_size, stale
    readers cleared) or MDB_RDONLY (the map as the file says; the lock
    table left to the processes that own it).  size is the data file's
    size when it exists (checked against the meta), -1 when LMDB is to
    create it. */
static int
s_store_open_env (xc_store_t *self, const char *dir, size_t map_size,
                  unsigned flags, off_t size, char *why, size_t why_len)
{
    int rc = mdb_env_create (&self->env);
    if (rc != MDB_SUCCESS) {
        self->env = NULL;
        return xc_why (why, why_len, XC_ESTORE, _("store: %s"),
                       mdb_strerror (rc));
    }
    rc = mdb_env_set_maxdbs (self->env, XC_DB_COUNT);
    if (rc == MDB_SUCCESS && map_size)
        rc = mdb_env_set_mapsize (self->env, map_size);
    //  MDB_NOTLS: read txns are not tied to the thread (the worker thread
    //  reads beside the reactor; a reader slot per txn).  Mode 0600: the files hold subject
    //  refs and the audit log, for the node's own user only.
    if (rc == MDB_SUCCESS)
        rc = mdb_env_open (self->env, dir, flags | MDB_NOTLS, 0600);
    if (rc != MDB_SUCCESS)
        return size >= 0 ? s_store_open_failed (dir, size, rc, why, why_len)
                         : xc_why (why, why_len, XC_ESTORE, _("store %s: %s"),
                                   dir, mdb_strerror (rc));
    if (size >= 0 && s_store_check_size (self, dir, size, why, why_len) != 0)
        return XC_ESTORE;
    if (flags & MDB_RDONLY)
        return 0;
    //  Readers left by a crashed process would pin old pages for ever.
    int dead = 0;
    rc = mdb_reader_check (self->env, &dead);
    if (rc != MDB_SUCCESS)
        return xc_why (why, why_len, XC_ESTORE, _("store %s: reader check: %s"),
                       dir, mdb_strerror (rc));
    return 0;
}

/*  A store for dir, not open yet; NULL with why when dir is not a
    directory or is open in this process already. */
static xc_store_t *
s_store_alloc (const char *dir, char *why, size_t why_len)
{
    struct stat st;
    if (stat (dir, &st) != 0) {
        xc_why (why, why_len, XC_EIO, _("store %s: %s"), dir, strerror (errno));
        return NULL;
    }
    if (!S_ISDIR (st.st_mode)) {
        xc_why (why, why_len, XC_EIO, _("store %s: not a directory"), dir);
        return NULL;
    }
    if (s_store_is_open (st.st_dev, st.st_ino)) {
        xc_why (why, why_len, XC_ESTORE,
                _("store %s: already open in this process"), dir);
        return NULL;
    }
    xc_store_t *self = calloc (1, sizeof *self);
    if (!self) {
        xc_why (why, why_len, XC_ENOMEM, _("store: out of memory"));
        return NULL;
    }
    self->pid = getpid ();
    self->owner = pthread_self ();
    pthread_rwlock_init (&self->remap, NULL);
    self->dev = st.st_dev;
    self->ino = st.st_ino;
    snprintf (self->dir, sizeof self->dir, "%s", dir);
    return self;
}

static void
s_store_free (xc_store_t *self)
{
    if (self->env)
        mdb_env_close (self->env);
    pthread_rwlock_destroy (&self->remap);
    free (self);
}

static void
s_store_register (xc_store_t *self)
{
    pthread_mutex_lock (&s_open_lock);
    self->next = s_open_stores;
    s_open_stores = self;
    pthread_mutex_unlock (&s_open_lock);
}

/*  The end of the data in the file, in bytes. */
static size_t
s_store_used (xc_store_t *self)
{
    MDB_envinfo info;
    MDB_stat st;
    if (mdb_env_info (self->env, &info) != MDB_SUCCESS
        || mdb_env_stat (self->env, &st) != MDB_SUCCESS)
        return 0;
    return (info.me_last_pgno + 1) * (size_t) st.ms_psize;
}

/*  LMDB raises a map smaller than the data to exactly the data's size,
    so a restarted node would have to grow at one of its first commits,
    and a growth waits for any back-office read in progress (the remap
    lock).  Doubling until the data fills at most half the map, here,
    before any transaction exists, makes that rare again.  Costs address
    space only. */
static void
s_store_headroom (xc_store_t *self)
{
    size_t used = s_store_used (self);
    size_t want = self->map_size;
    while (want < SIZE_MAX / 2 && want < 2 * used)
        want *= 2;
    if (want != self->map_size
        && mdb_env_set_mapsize (self->env, want) == MDB_SUCCESS)
        s_store_sync_map_size (self);
}

/*  Opens dir read-write: an existing data file (size >= 0), or a new
    one (size -1). */
static xc_store_t *
s_store_open_rw (const char *dir, size_t map_size, off_t size, char *why,
                 size_t why_len)
{
    xc_store_t *self = s_store_alloc (dir, why, why_len);
    if (!self)
        return NULL;
    self->map_size = map_size ? map_size : XC_STORE_DEFAULT_MAP;
    if (s_store_open_env (self, dir, self->map_size, 0, size, why, why_len)
        != 0)
        goto fail;
    s_store_sync_map_size (self);
    s_store_headroom (self);
    int rc = xc_store_write (self, s_open_dbis, self);
    if (rc != 0) {
        xc_why (why, why_len, rc, _("store %s: cannot open databases: %s"), dir,
                xc_strerror (rc));
        goto fail;
    }
    s_store_register (self);
    return self;
fail:
    s_store_free (self);
    return NULL;
}

xc_store_t *
xc_store_new (const char *dir, size_t map_size, char *why, size_t why_len)
{
    off_t size = -1;
    int rc = s_store_file (dir, &size, why, why_len);
    if (rc != 0 && rc != XC_ENOTFOUND)
        return NULL;
    return s_store_open_rw (dir, map_size, rc ? -1 : size, why, why_len);
}

xc_store_t *
xc_store_open (const char *dir, size_t map_size, char *why, size_t why_len)
{
    off_t size = -1;
    if (s_store_file (dir, &size, why, why_len) != 0)
        return NULL;
    return s_store_open_rw (dir, map_size, size, why, why_len);
}

void
xc_store_destroy (xc_store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    s_store_unlink (*self_p);
    s_store_free (*self_p);
    *self_p = NULL;
}

MDB_dbi
xc_store_dbi (xc_store_t *self, xc_db_t db)
{
    return self->dbi[db];
}

bool
xc_store_has (xc_store_t *self, xc_db_t db)
{
    return (self->present >> db) & 1;
}

int
xc_store_meta_get (xc_store_t *self, MDB_txn *txn, const char *name,
                   size_t size, MDB_val *val)
{
    if (!xc_store_has (self, XC_DB_META))
        return XC_ENOTFOUND;
    MDB_val key = {strlen (name), (void *) name};
    int rc = mdb_get (txn, self->dbi[XC_DB_META], &key, val);
    if (rc == MDB_SUCCESS && size && val->mv_size != size)
        return XC_EMALFORMED;
    return xc_store_rc (rc) == XC_EFULL ? XC_ESTORE : xc_store_rc (rc);
}

int
xc_store_meta_put (xc_store_t *self, MDB_txn *txn, const char *name,
                   const void *bytes, size_t len)
{
    MDB_val key = {strlen (name), (void *) name};
    MDB_val val = {len, (void *) bytes};
    return xc_store_rc (mdb_put (txn, self->dbi[XC_DB_META], &key, &val, 0));
}

size_t
xc_store_map_size (xc_store_t *self)
{
    return self->map_size;
}

int
xc_store_copy (xc_store_t *self, int fd)
{
    //  LMDB writes the copy from a thread of its own and reports write(2)
    //  errors as errno values; s_store_fail keeps them for xc_store_cause.
    int rc = mdb_env_copyfd2 (self->env, fd, MDB_CP_COMPACT);
    return s_store_fail (rc, "copying the store", self);
}

int
xc_store_entries (xc_store_t *self, MDB_txn *txn, xc_db_t db,
                  uint64_t *count)
{
    *count = 0;
    if (!xc_store_has (self, db))
        return 0;
    MDB_stat st;
    int rc = mdb_stat (txn, self->dbi[db], &st);
    if (rc != MDB_SUCCESS)
        return s_store_fail (rc, "counting records", self);
    *count = st.ms_entries;
    return 0;
}

/*  Begins a transaction, adopting a map grown by another process
    (MDB_MAP_RESIZED) once.  Returns an LMDB code. */
static int
s_store_begin (xc_store_t *self, unsigned flags, MDB_txn **txn)
{
    if (getpid () != self->pid)
        return EINVAL; //  an env used across fork() corrupts the lock table
    int rc = mdb_txn_begin (self->env, NULL, flags, txn);
    //  Only the owner may adopt the new size: another thread holds the
    //  remap lock shared here and would wait for itself.
    if (rc == MDB_MAP_RESIZED && pthread_equal (pthread_self (), self->owner)) {
        pthread_rwlock_wrlock (&self->remap);
        rc = mdb_env_set_mapsize (self->env, 0);
        pthread_rwlock_unlock (&self->remap);
        if (rc == MDB_SUCCESS) {
            s_store_sync_map_size (self);
            rc = mdb_txn_begin (self->env, NULL, flags, txn);
        }
    }
    return rc;
}

/*  Opens the databases that exist, in a read transaction, committed so
    that the handles outlive it. */
static int
s_open_dbis_rdonly (xc_store_t *self)
{
    MDB_txn *txn = NULL;
    int rc = s_store_begin (self, MDB_RDONLY, &txn);
    for (int i = 0; rc == MDB_SUCCESS && i < XC_DB_COUNT; i++) {
        rc = mdb_dbi_open (txn, s_db_names[i], 0, &self->dbi[i]);
        if (rc == MDB_SUCCESS)
            self->present |= 1u << i;
        else if (rc == MDB_NOTFOUND)
            rc = MDB_SUCCESS;
    }
    if (rc == MDB_SUCCESS)
        return mdb_txn_commit (txn);
    if (txn)
        mdb_txn_abort (txn);
    return rc;
}

bool
xc_store_exists (const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    return stat (path, &st) == 0;
}

xc_store_t *
xc_store_open_rdonly (const char *dir, char *why, size_t why_len)
{
    off_t size = -1;
    if (s_store_file (dir, &size, why, why_len) != 0)
        return NULL;
    xc_store_t *self = s_store_alloc (dir, why, why_len);
    if (!self)
        return NULL;
    if (s_store_open_env (self, dir, 0, MDB_RDONLY, size, why, why_len) != 0)
        goto fail;
    s_store_sync_map_size (self);
    int rc = s_open_dbis_rdonly (self);
    if (rc != MDB_SUCCESS) {
        xc_why (why, why_len, XC_ESTORE, _("store %s: cannot open databases: "
                  "%s"), dir, mdb_strerror (rc));
        goto fail;
    }
    s_store_register (self);
    return self;
fail:
    s_store_free (self);
    return NULL;
}

/*  Doubles the map.  Legal only while this process has no transaction
    open; it remaps the file, so it costs a munmap/mmap but no copying. */
static int
s_store_grow (xc_store_t *self)
{
    if (self->map_size > SIZE_MAX / 2)
        return XC_EFULL;
    pthread_rwlock_wrlock (&self->remap);
    int rc = mdb_env_set_mapsize (self->env, self->map_size * 2);
    pthread_rwlock_unlock (&self->remap);
    if (rc != MDB_SUCCESS)
        return s_store_fail (rc, "growing the map", self) == XC_ENOSPC
                   ? XC_ENOSPC : XC_ESTORE;
    s_store_sync_map_size (self);
    return 0;
}

/*  Whether the disk under the store has no room left.  LMDB reports a
    write(2) that wrote less than it asked as EIO, and that is how a
    large commit meets a full disk (the first pages fit, the rest do
    not): EIO with no room left is ENOSPC.  Root may write into the
    blocks reserved for it, other users may not. */
static bool
s_store_disk_full (xc_store_t *self)
{
    int fd = -1;
    struct statvfs vfs;
    if (mdb_env_get_fd (self->env, &fd) != MDB_SUCCESS
        || fstatvfs (fd, &vfs) != 0)
        return false;
    unsigned long long left = geteuid () == 0 ? vfs.f_bfree : vfs.f_bavail;
    return left * vfs.f_frsize < XC_STORE_ROOM_MIN;
}

/*  One attempt: begin, run fn, commit.  Returns 0 or an XC_E* code; the
    transaction is gone either way. */
static int
s_store_write_once (xc_store_t *self, xc_write_fn *fn, void *arg)
{
    MDB_txn *txn = NULL;
    int rc = s_store_begin (self, 0, &txn);
    if (rc != MDB_SUCCESS)
        return s_store_fail (rc, "beginning a write transaction", self);
    rc = fn (txn, arg);
    if (rc != 0) {
        mdb_txn_abort (txn);
        return rc;
    }
    //  mdb_txn_commit frees txn even when it fails, and a failed commit
    //  leaves the environment as the last good one did: LMDB writes the
    //  meta page last, so a write(2) that fails (ENOSPC) or an fsync that
    //  fails leaves nothing of this transaction in the data.
    rc = mdb_txn_commit (txn);
    if (rc == EIO && s_store_disk_full (self))
        rc = ENOSPC;
    return s_store_fail (rc, "committing", self);
}

/*  Allocates the reserve past the data's end, without changing the
    file's size (LMDB reads that as its own).  Past the file's end when
    that lies further: a commit that failed on a full disk leaves what it
    wrote there, and a reserve over those blocks would cost no new space
    on most file systems (tmpfs counts it anew), so it would say "room"
    on a disk still full.  Returns 0, XC_ENOSPC when the disk has no room
    for it, or XC_ESTORE; the cause is kept. */
static int
s_store_allocate (xc_store_t *self, size_t used)
{
    int fd = -1;
    struct stat st;
    if (mdb_env_get_fd (self->env, &fd) != MDB_SUCCESS || fstat (fd, &st))
        return XC_ESTORE;
    if ((size_t) st.st_size > used)
        used = (size_t) st.st_size;
    if (fallocate (fd, FALLOC_FL_KEEP_SIZE, (off_t) used,
                   (off_t) self->reserve) != 0) {
        int err = errno;
        //  A file system without fallocate keeps no reserve: the node
        //  then runs as it would with reserve 0.
        if (err == EOPNOTSUPP || err == ENOSYS)
            self->reserve = 0;
        self->short_of_space = err != EOPNOTSUPP && err != ENOSYS;
        return s_store_fail (err, "keeping the disk reserve", self);
    }
    self->reserved_to = used + self->reserve;
    self->short_of_space = false;
    return 0;
}

/*  After a commit: tops the reserve up once half of it has been written
    into, so it costs one fallocate per reserve/2 bytes of growth.  Once
    short, only xc_store_space tries again: on a full disk each try
    allocates up to the whole reserve before it fails. */
static void
s_store_keep_reserve (xc_store_t *self)
{
    if (!self->reserve || self->short_of_space
        || !pthread_equal (pthread_self (), self->owner))
        return;
    size_t used = s_store_used (self);
    if (used + self->reserve / 2 > self->reserved_to)
        s_store_allocate (self, used);
}

int
xc_store_write (xc_store_t *self, xc_write_fn *fn, void *arg)
{
    s_cause[0] = '\0';
    int rc = s_store_write_once (self, fn, arg);
    for (int tries = 0; rc == XC_EFULL && tries < XC_STORE_GROW_TRIES;
         tries++) {
        int grc = s_store_grow (self);
        if (grc != 0)
            return grc;
        rc = s_store_write_once (self, fn, arg);
    }
    if (rc == 0)
        s_store_keep_reserve (self);
    else if (rc == XC_ENOSPC)
        self->short_of_space = self->reserve > 0;
    return rc;
}

void
xc_store_set_reserve (xc_store_t *self, size_t bytes)
{
    self->reserve = bytes;
    self->reserved_to = 0;
    self->short_of_space = false;
    s_store_keep_reserve (self);
}

int
xc_store_space (xc_store_t *self)
{
    if (!self->reserve)
        return 0;
    s_cause[0] = '\0';
    return s_store_allocate (self, s_store_used (self));
}

bool
xc_store_short (const xc_store_t *self)
{
    return self->short_of_space;
}

size_t
xc_store_reserve (const xc_store_t *self)
{
    return self->reserve;
}

int
xc_store_nest (MDB_txn *txn, xc_write_fn *fn, void *arg)
{
    MDB_txn *child = NULL;
    int rc = s_store_fail (mdb_txn_begin (mdb_txn_env (txn), txn, 0, &child),
                           "beginning a nested transaction", NULL);
    if (rc)
        return xc_store_failed (rc) ? rc : XC_ESTORE;
    rc = fn (child, arg);
    if (rc) {
        mdb_txn_abort (child);
        return rc;
    }
    rc = s_store_fail (mdb_txn_commit (child),
                       "committing a nested transaction", NULL);
    return rc == 0 || xc_store_failed (rc) ? rc : XC_ESTORE;
}

bool
xc_store_failed (int rc)
{
    return rc == XC_EFULL || rc == XC_ESTORE || rc == XC_ENOSPC;
}

void
xc_store_share_begin (xc_store_t *self)
{
    pthread_rwlock_rdlock (&self->remap);
}

void
xc_store_share_end (xc_store_t *self)
{
    pthread_rwlock_unlock (&self->remap);
}

int
xc_store_read (xc_store_t *self, MDB_txn **txn)
{
    int rc = s_store_begin (self, MDB_RDONLY, txn);
    if (rc != MDB_SUCCESS) {
        *txn = NULL;
        return XC_ESTORE;
    }
    return 0;
}
