/*  flushcount.c - counts a process's device flushes, for the benchmarks.

    Loaded into a daemon with LD_PRELOAD (bench/probe.c does it), it
    passes every call on unchanged and counts, in a small file named by
    $XC_FLUSH_COUNTS that the benchmark reads while the daemon runs:

      fdatasync, fsync, msync (MS_SYNC)   each a flush of the device
      writes to a descriptor opened with O_DSYNC or O_SYNC
                                           each a flush as well: LMDB
                                           writes its meta page that way,
                                           once per synced commit

    so "flushes per query" is counted in the process that flushes, not
    inferred from how many commits the design says there are.  Only
    open (not openat) is watched for O_DSYNC: it is what liblmdb calls
    (`nm -D liblmdb.so.0`).  Not installed; never linked into xiechad. */
/*  The build's _FILE_OFFSET_BITS=64 would rename open to open64 in the
    headers, and liblmdb calls open: the wrappers must carry libc's own
    names. */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "flushcount.h"

#define S_FDS 4096

static xb_flush_counts_t *s_counts;   /* the shared file, or NULL */
static unsigned char s_dsync[S_FDS];  /* fd -> opened with O_DSYNC */

static void
s_count (uint64_t *counter)
{
    if (s_counts)
        __atomic_fetch_add (counter, 1, __ATOMIC_RELAXED);
}

__attribute__ ((constructor)) static void
s_attach (void)
{
    const char *path = getenv (XB_FLUSH_COUNTS_ENV);
    if (!path)
        return;
    int fd = ((__typeof__ (open) *) dlsym (RTLD_NEXT, "open")) (
        path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    if (ftruncate (fd, sizeof *s_counts) == 0) {
        void *m = mmap (NULL, sizeof *s_counts, PROT_READ | PROT_WRITE,
                        MAP_SHARED, fd, 0);
        if (m != MAP_FAILED) {
            s_counts = m;
            s_counts->magic = XB_FLUSH_COUNTS_MAGIC;
        }
    }
    close (fd);
}

static void
s_mark (int fd, int flags)
{
    if (fd >= 0 && fd < S_FDS)
        s_dsync[fd] = (flags & O_DSYNC) != 0;   /* O_SYNC includes it */
}

static void
s_written (int fd, ssize_t n)
{
    if (n > 0 && fd >= 0 && fd < S_FDS && s_dsync[fd] && s_counts)
        s_count (&s_counts->dsync_writes);
}

/*  The next definition of fn (libc's), looked up on first use. */
#define S_REAL(fn) \
    static __typeof__ (fn) *real; \
    if (!real) \
        real = (__typeof__ (fn) *) dlsym (RTLD_NEXT, #fn)

int
open (const char *path, int flags, ...)
{
    S_REAL (open);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start (ap, flags);
        mode = (mode_t) va_arg (ap, int);
        va_end (ap);
    }
    int fd = real (path, flags, mode);
    s_mark (fd, flags);
    return fd;
}

int
close (int fd)
{
    S_REAL (close);
    s_mark (fd, 0);
    return real (fd);
}

ssize_t
pwrite (int fd, const void *buf, size_t n, off_t off)
{
    S_REAL (pwrite);
    ssize_t w = real (fd, buf, n, off);
    s_written (fd, w);
    return w;
}

ssize_t
write (int fd, const void *buf, size_t n)
{
    S_REAL (write);
    ssize_t w = real (fd, buf, n);
    s_written (fd, w);
    return w;
}

ssize_t
writev (int fd, const struct iovec *iov, int count)
{
    S_REAL (writev);
    ssize_t w = real (fd, iov, count);
    s_written (fd, w);
    return w;
}

int
fdatasync (int fd)
{
    S_REAL (fdatasync);
    if (s_counts)
        s_count (&s_counts->fdatasync);
    return real (fd);
}

int
fsync (int fd)
{
    S_REAL (fsync);
    if (s_counts)
        s_count (&s_counts->fsync);
    return real (fd);
}

int
msync (void *addr, size_t len, int flags)
{
    S_REAL (msync);
    if (s_counts && (flags & MS_SYNC))
        s_count (&s_counts->msync);
    return real (addr, len, flags);
}
