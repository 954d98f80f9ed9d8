/*  xt_sys.c - failing, temporary directories, children, ports (xt_sys.h). */
#include "xt_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <czmq.h>

extern char *program_invocation_short_name;

/* ---- failing ------------------------------------------------------------ */

static void
s_fail_default (const char *message)
{
    fprintf (stderr, "%s: error: %s\n", program_invocation_short_name,
             message);
    exit (1);
}

static xt_fail_fn *s_fail = s_fail_default;

void
xt_set_fail (xt_fail_fn *fn)
{
    s_fail = fn ? fn : s_fail_default;
}

void
xt_fail (const char *fmt, ...)
{
    char message[8192];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (message, sizeof message, fmt, ap);
    va_end (ap);
    s_fail (message);
    abort ();   /* a hook that returned */
}

void
xt_assert_has (const char *text, const char *needle)
{
    if (!strstr (text, needle))
        xt_fail ("output does not contain '%s':\n%s", needle, text);
}

unsigned long long
xt_json_uint (const char *text, const char *key)
{
    const char *t = strstr (text, key);
    if (!t)
        xt_fail ("no %s in:\n%s", key, text);
    return strtoull (t + strlen (key), NULL, 10);
}

/* ---- the registry ------------------------------------------------------- */

/*  What the signal path reads.  A slot's contents are written before its
    state says it is in use (the fence keeps that order for a handler
    running on this thread), so the handler never sees half a path. */
static char s_dirs[XT_MAX_TMPDIRS][PATH_MAX];
static volatile sig_atomic_t s_dir_used[XT_MAX_TMPDIRS];
static volatile pid_t s_children[XT_MAX_CHILDREN];

static const int s_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT,
                                SIGABRT, SIGSEGV, SIGBUS};
#define S_SIGNALS (sizeof s_signals / sizeof *s_signals)
static struct sigaction s_previous[S_SIGNALS];

static void
s_child_add (pid_t pid)
{
    for (size_t i = 0; i < XT_MAX_CHILDREN; i++)
        if (s_children[i] == 0) {
            s_children[i] = pid;
            return;
        }
    kill (pid, SIGKILL);
    waitpid (pid, NULL, 0);
    xt_fail ("more than %d children at once", XT_MAX_CHILDREN);
}

static void
s_child_forget (pid_t pid)
{
    for (size_t i = 0; i < XT_MAX_CHILDREN; i++)
        if (s_children[i] == pid)
            s_children[i] = 0;
}

/*  rm -rf by fork and exec: both are async-signal-safe. */
static void
s_rm_rf_exec (const char *dir)
{
    pid_t pid = fork ();
    if (pid == 0) {
        char *const argv[] = {"rm", "-rf", "--", (char *) dir, NULL};
        char *const envp[] = {NULL};
        execve ("/bin/rm", argv, envp);
        _exit (127);
    }
    if (pid > 0)
        while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
            ;
}

static void
s_on_signal (int sig)
{
    int saved = errno;
    for (size_t i = 0; i < XT_MAX_CHILDREN; i++)
        if (s_children[i] > 0)
            kill (s_children[i], SIGKILL);
    for (size_t i = 0; i < XT_MAX_CHILDREN; i++)
        if (s_children[i] > 0)
            waitpid (s_children[i], NULL, 0);
    for (size_t i = 0; i < XT_MAX_TMPDIRS; i++)
        if (s_dir_used[i])
            s_rm_rf_exec (s_dirs[i]);
    for (size_t i = 0; i < S_SIGNALS; i++)
        if (s_signals[i] == sig)
            sigaction (sig, &s_previous[i], NULL);
    errno = saved;
    raise (sig);
}

static int
s_rm_entry (const char *path, const struct stat *st, int flag,
            struct FTW *ftw)
{
    (void) st;
    (void) flag;
    (void) ftw;
    return remove (path) == 0 || errno == ENOENT ? 0 : -1;
}

static int
s_rm_tree (const char *dir)
{
    return nftw (dir, s_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*  A normal exit, also through xt_fail's default hook: children get
    SIGTERM and a few seconds to stop cleanly, then SIGKILL. */
static void
s_at_exit (void)
{
    for (size_t i = 0; i < XT_MAX_CHILDREN; i++)
        if (s_children[i] > 0)
            kill (s_children[i], SIGTERM);
    for (size_t i = 0; i < XT_MAX_CHILDREN; i++)
        if (s_children[i] > 0)
            xt_child_stop (s_children[i], SIGTERM, 5000);
    for (size_t i = 0; i < XT_MAX_TMPDIRS; i++)
        if (s_dir_used[i]) {
            s_rm_tree (s_dirs[i]);
            s_dir_used[i] = 0;
        }
}

void
xt_cleanup_install (void)
{
    static bool installed;
    if (installed)
        return;
    installed = true;
    zsys_handler_set (NULL);
    atexit (s_at_exit);
    struct sigaction sa;
    memset (&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigemptyset (&sa.sa_mask);
    for (size_t i = 0; i < S_SIGNALS; i++) {
        sigaction (s_signals[i], NULL, &s_previous[i]);
        if (s_previous[i].sa_handler != SIG_IGN)
            sigaction (s_signals[i], &sa, NULL);
    }
}

/* ---- temporary directories ---------------------------------------------- */

void
xt_tmpdir_new (char *dir, size_t size, const char *base, const char *name)
{
    xt_cleanup_install ();
    if (!base) {
        base = getenv ("TMPDIR");
        if (!base || !*base)
            base = "/tmp";
    }
    int len = snprintf (dir, size, "%s/xt-%s-XXXXXX", base, name);
    if (len < 0 || (size_t) len >= size || (size_t) len >= PATH_MAX)
        xt_fail ("temporary directory %s/xt-%s-XXXXXX: longer than %zu bytes",
                 base, name, size - 1);
    size_t slot = 0;
    while (slot < XT_MAX_TMPDIRS && s_dir_used[slot])
        slot++;
    if (slot == XT_MAX_TMPDIRS)
        xt_fail ("more than %d temporary directories at once",
                 XT_MAX_TMPDIRS);
    if (!mkdtemp (dir))
        xt_fail ("mkdtemp %s: %s", dir, strerror (errno));
    memcpy (s_dirs[slot], dir, (size_t) len + 1);
    atomic_signal_fence (memory_order_seq_cst);
    s_dir_used[slot] = 1;
}

void
xt_tmpdir_forget (const char *dir)
{
    for (size_t i = 0; i < XT_MAX_TMPDIRS; i++)
        if (s_dir_used[i] && strcmp (s_dirs[i], dir) == 0)
            s_dir_used[i] = 0;
}

int
xt_tmpdir_remove (const char *dir)
{
    xt_tmpdir_forget (dir);
    return s_rm_tree (dir);
}

/* ---- child processes ---------------------------------------------------- */

pid_t
xt_spawn (char *const argv[], int out_fd, const char *err_path)
{
    xt_cleanup_install ();
    pid_t parent = getpid ();
    pid_t pid = fork ();
    if (pid < 0)
        xt_fail ("fork: %s", strerror (errno));
    if (pid == 0) {
        //  Only async-signal-safe calls between fork and exec.
        prctl (PR_SET_PDEATHSIG, SIGKILL);
        if (getppid () != parent)
            _exit (127);
        int out = out_fd >= 0 ? out_fd : open ("/dev/null", O_WRONLY);
        if (out < 0 || dup2 (out, 1) < 0)
            _exit (127);
        if (err_path) {
            int err = open (err_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
            if (err < 0 || dup2 (err, 2) < 0)
                _exit (127);
        }
        execv (argv[0], argv);
        _exit (127);
    }
    s_child_add (pid);
    return pid;
}

int
xt_child_wait (pid_t pid, int timeout_ms, int *status)
{
    int st = 0;
    struct timespec nap = {0, 5 * 1000 * 1000};
    for (int waited = 0;; waited += 5) {
        pid_t got = waitpid (pid, &st, timeout_ms < 0 ? 0 : WNOHANG);
        if (got == pid || (got < 0 && errno == ECHILD)) {
            s_child_forget (pid);
            if (status)
                *status = got == pid ? st : 0;
            return 1;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (waited >= timeout_ms)
            return 0;
        nanosleep (&nap, NULL);
    }
}

int
xt_child_stop (pid_t pid, int sig, int grace_ms)
{
    int status = 0;
    kill (pid, sig);
    if (sig != SIGKILL && xt_child_wait (pid, grace_ms, &status))
        return status;
    kill (pid, SIGKILL);
    xt_child_wait (pid, -1, &status);
    return status;
}

/* ---- ports -------------------------------------------------------------- */

int
xt_port_reserve (int *fd)
{
    int s = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl (INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (s < 0 || setsockopt (s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one)
        || bind (s, (struct sockaddr *) &a, sizeof a)
        || getsockname (s, (struct sockaddr *) &a, &len)) {
        int err = errno;
        if (s >= 0)
            close (s);
        xt_fail ("cannot reserve a loopback TCP port: %s", strerror (err));
    }
    *fd = s;
    return ntohs (a.sin_port);
}

/* ---- files -------------------------------------------------------------- */

void
xt_writef (const char *path, const char *fmt, ...)
{
    FILE *f = fopen (path, "w");
    if (!f)
        xt_fail ("cannot write %s: %s", path, strerror (errno));
    va_list ap;
    va_start (ap, fmt);
    vfprintf (f, fmt, ap);
    va_end (ap);
    if (fclose (f) != 0)
        xt_fail ("cannot write %s: %s", path, strerror (errno));
}

const char *
xt_find_program (const char *rel)
{
    static char path[PATH_MAX];
    char dir[PATH_MAX];
    ssize_t len = readlink ("/proc/self/exe", dir, sizeof dir - 1);
    if (len <= 0)
        return NULL;
    dir[len] = '\0';
    char *slash = strrchr (dir, '/');
    if (slash)
        *slash = '\0';
    const char *up[] = {"", "/..", "/../.."};
    for (size_t i = 0; i < sizeof up / sizeof *up; i++) {
        snprintf (path, sizeof path, "%s%s/%s", dir, up[i], rel);
        struct stat st;
        if (stat (path, &st) == 0 && S_ISREG (st.st_mode)
            && access (path, X_OK) == 0)
            return path;
    }
    return NULL;
}
