/*  xt_fault.c - an LD_PRELOAD shim that makes the Nth allocation fail.

    Preloaded into a real xiechad (tests/integration/itest_alloc_fail.c),
    it forwards malloc, calloc and realloc to the next definition (libc's,
    or ASan's in the sanitized build: run with
    ASAN_OPTIONS=verify_asan_link_order=0, since ASan wants to come first
    and the shim must come before it to be called at all) until it is
    armed, and then returns NULL, errno ENOMEM, from the Nth allocation
    made by the process's main thread: the daemon's reactor, where every
    request path runs.  Other threads (libzmq's I/O threads, the back
    office) are left alone, so that N names the same step of a request
    from one run to the next.  One allocation fails; the ones after it
    succeed again, as after a passing memory shortage.

    Armed through a file, not a signal: a signal would break the
    reactor's poll, which the daemon takes for a request to stop.  A
    thread of the shim's own looks every 5 ms for the file named by
    $XT_FAULT_ARM; when it appears, the shim reads N from it and deletes
    it, so that the test, once the file is gone, knows the shim is armed.
    N = 0 disarms.  Each arming and disarming is reported on stderr (the
    daemon's log):

        xt-fault: armed: allocation N of the main thread fails
        xt-fault: allocation N (SIZE bytes) failed
        xt-fault: disarmed after K allocations

    which also lets a test count the allocations of a request (arm with
    a large N, make the request, disarm).  Without $XT_FAULT_ARM the shim
    only forwards.

    Not instrumented by the sanitizers (tests/fault/meson.build): its
    own bookkeeping must not allocate, and it never frees. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef void *(s_malloc_fn) (size_t);
typedef void *(s_calloc_fn) (size_t, size_t);
typedef void *(s_realloc_fn) (void *, size_t);
typedef void (s_free_fn) (void *);

static s_malloc_fn *s_next_malloc;
static s_calloc_fn *s_next_calloc;
static s_realloc_fn *s_next_realloc;
static s_free_fn *s_next_free;

static atomic_long s_target;     /* N while armed, else 0 */
static atomic_long s_count;      /* main-thread allocations since armed */
static char s_arm_path[4096];    /* $XT_FAULT_ARM, or "" */

/*  While dlsym finds the next functions it allocates itself (ASan's
    start-up looks up hundreds of symbols this way): those allocations
    come from here, each after a 16-byte header holding its size, and
    are never freed. */
static _Alignas (16) char s_boot[64 * 1024];
static size_t s_boot_used;

/*  One line on stderr; fmt takes up to two longs, a and b. */
static void
s_say (const char *fmt, long a, long b)
{
    char line[160];
    int n = snprintf (line, sizeof line, fmt, a, b);
    if (n > 0)
        (void) !write (2, line, (size_t) n < sizeof line ? (size_t) n
                                                          : sizeof line - 1);
}

static int
s_is_boot (const void *p)
{
    return (const char *) p >= s_boot && (const char *) p < s_boot + sizeof s_boot;
}

static void *
s_boot_alloc (size_t size)
{
    size_t want = 16 + ((size + 15) & ~(size_t) 15);
    if (want > sizeof s_boot - s_boot_used)
        return NULL;
    char *p = s_boot + s_boot_used;
    s_boot_used += want;
    memcpy (p, &size, sizeof size);
    return p + 16;              /* zeroed: static storage */
}

/*  Finds the next definitions; false while that is still under way (a
    call from inside dlsym). */
static int
s_resolve (void)
{
    //  Not _Thread_local: this runs inside the dynamic loader, before
    //  TLS of a preloaded library can be reached; that early there is
    //  one thread only.
    static int resolving;
    if (s_next_free)
        return 1;
    if (resolving)
        return 0;
    resolving = 1;
    s_next_malloc = (s_malloc_fn *) dlsym (RTLD_NEXT, "malloc");
    s_next_calloc = (s_calloc_fn *) dlsym (RTLD_NEXT, "calloc");
    s_next_realloc = (s_realloc_fn *) dlsym (RTLD_NEXT, "realloc");
    s_next_free = (s_free_fn *) dlsym (RTLD_NEXT, "free");
    resolving = 0;
    return s_next_free != NULL;
}

/*  Whether this allocation is the one to fail. */
static int
s_fails (size_t size)
{
    long target = atomic_load (&s_target);
    if (!target || gettid () != getpid ())
        return 0;
    long n = atomic_fetch_add (&s_count, 1) + 1;
    if (n != target)
        return 0;
    s_say ("xt-fault: allocation %ld (%ld bytes) failed\n", n, (long) size);
    errno = ENOMEM;
    return 1;
}

void *
malloc (size_t size)
{
    if (!s_resolve ())
        return s_boot_alloc (size);
    if (s_fails (size))
        return NULL;
    return s_next_malloc (size);
}

void *
calloc (size_t count, size_t size)
{
    if (size && count > (size_t) -1 / size)
        return NULL;
    if (!s_resolve ())
        return s_boot_alloc (count * size);
    if (s_fails (count * size))
        return NULL;
    return s_next_calloc (count, size);
}

void *
realloc (void *ptr, size_t size)
{
    if (!s_resolve () || s_is_boot (ptr)) {
        //  Moves a start-up block out of the boot area (or into it).
        void *p = s_resolve () ? s_next_malloc (size) : s_boot_alloc (size);
        if (p && ptr) {
            size_t was;
            memcpy (&was, (char *) ptr - 16, sizeof was);
            memcpy (p, ptr, was < size ? was : size);
        }
        return p;
    }
    if (s_fails (size))
        return NULL;
    return s_next_realloc (ptr, size);
}

void
free (void *ptr)
{
    if (!ptr || s_is_boot (ptr) || !s_resolve ())
        return;
    s_next_free (ptr);
}

/*  Reads N from the arm file without allocating; -1 when unreadable. */
static long
s_read_arm (void)
{
    char buf[32] = "";
    int fd = open (s_arm_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t got = read (fd, buf, sizeof buf - 1);
    close (fd);
    unlink (s_arm_path);
    if (got <= 0)
        return -1;
    buf[got] = '\0';
    return strtol (buf, NULL, 10);
}

static void *
s_watch (void *arg)
{
    (void) arg;
    struct timespec nap = {0, 5 * 1000 * 1000};
    for (;;) {
        nanosleep (&nap, NULL);
        if (access (s_arm_path, F_OK) != 0)
            continue;
        long n = s_read_arm ();
        if (n < 0)
            continue;
        long was = atomic_exchange (&s_target, 0);
        if (was)
            s_say ("xt-fault: disarmed after %ld allocations\n",
                   atomic_load (&s_count), 0);
        atomic_store (&s_count, 0);
        if (n > 0)
            s_say ("xt-fault: armed: allocation %ld of the main thread "
                   "fails\n", n, 0);
        atomic_store (&s_target, n);
    }
    return NULL;
}

__attribute__ ((constructor)) static void
s_start (void)
{
    const char *path = getenv ("XT_FAULT_ARM");
    if (!path || !*path || strlen (path) >= sizeof s_arm_path)
        return;
    memcpy (s_arm_path, path, strlen (path) + 1);
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init (&attr);
    pthread_attr_setdetachstate (&attr, PTHREAD_CREATE_DETACHED);
    pthread_create (&t, &attr, s_watch, NULL);
    pthread_attr_destroy (&attr);
}
