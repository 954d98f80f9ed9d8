/*  xt_sys.h - the system side of the test and benchmark harness: failing,
    temporary directories, child processes and loopback ports.

    Whatever is made here is undone when the process ends: at exit, and
    on SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV and SIGBUS, every
    child still registered is killed and every registered directory is
    removed with everything in it.  The signal path makes only
    async-signal-safe calls (kill, waitpid, fork, execve, sigaction,
    raise); children also get PR_SET_PDEATHSIG, so even SIGKILL of the
    test takes them down.

    Every function that can fail calls xt_fail, which does not return:
    in a cmocka test (link xcfed_check) it fails the running test, in a
    benchmark it prints the message and exits, which runs the cleanup. */
#ifndef XIECHA_TESTS_XT_SYS_H
#define XIECHA_TESTS_XT_SYS_H

#include <stddef.h>
#include <sys/types.h>

#define XT_MAX_TMPDIRS 32     /* registered directories at one time */
#define XT_MAX_CHILDREN 64    /* registered children at one time */

/* ---- failing ------------------------------------------------------------ */

/*  Receives the formatted message; must not return (fail the test or
    exit). */
typedef void (xt_fail_fn) (const char *message);

/*  Formats the message and hands it to the failure hook.  The default
    hook prints "<program>: error: <message>" to stderr and exits 1. */
void xt_fail (const char *fmt, ...)
    __attribute__ ((format (printf, 1, 2), noreturn));

/*  Replaces the failure hook; NULL restores the default. */
void xt_set_fail (xt_fail_fn *fn);

/*  Fails, showing text, unless it contains needle. */
void xt_assert_has (const char *text, const char *needle);

/*  The number after the first key (say "\"total\": ") in text; fails,
    showing text, when key is not there. */
unsigned long long xt_json_uint (const char *text, const char *key);

/* ---- cleanup ------------------------------------------------------------ */

/*  Registers, once, the atexit cleanup and the signal handlers (a signal
    that is ignored stays ignored).  Turns CZMQ's SIGINT/SIGTERM handler
    off, which would otherwise swallow them.  After cleaning up, a
    handler restores the action it replaced and raises the signal again.
    xt_tmpdir_new and xt_spawn call it; call it yourself to catch signals
    before either. */
void xt_cleanup_install (void);

/* ---- temporary directories ---------------------------------------------- */

/*  Makes <base>/xt-<name>-XXXXXX with mkdtemp and writes its path to dir
    (size bytes).  base NULL: $TMPDIR, else /tmp.  The directory is
    removed at exit or on a signal until xt_tmpdir_remove or
    xt_tmpdir_forget. */
void xt_tmpdir_new (char *dir, size_t size, const char *base,
                    const char *name);

/*  Removes dir with everything under it now, and forgets it.  Returns 0,
    or -1 if something could not be removed. */
int xt_tmpdir_remove (const char *dir);

/*  Forgets dir: it stays at exit (kept on purpose, or the caller removes
    it itself). */
void xt_tmpdir_forget (const char *dir);

/* ---- child processes ---------------------------------------------------- */

/*  fork and exec argv[0] (a path) with PR_SET_PDEATHSIG = SIGKILL: the
    child dies when the calling thread does.  Its stdout goes to out_fd
    (-1: /dev/null), its stderr is appended to err_path (NULL: ours).
    The child is registered until it is reaped by xt_child_wait or
    xt_child_stop.  An exec that fails exits the child with status 127. */
pid_t xt_spawn (char *const argv[], int out_fd, const char *err_path);

/*  Waits up to timeout_ms (-1: for ever, 0: not at all) for pid to end.
    Returns 1 and its wait status in *status (may be NULL) once reaped,
    0 while it still runs. */
int xt_child_wait (pid_t pid, int timeout_ms, int *status);

/*  Sends sig to pid and reaps it; if it has not ended after grace_ms,
    kills it with SIGKILL.  Returns the wait status. */
int xt_child_stop (pid_t pid, int sig, int grace_ms);

/* ---- ports -------------------------------------------------------------- */

/*  A free TCP port on 127.0.0.1, held for the caller: a socket bound to
    it (port 0, then getsockname) with SO_REUSEADDR, never listening.
    While *fd stays open no other bind(0) or outgoing connection gets the
    port, and a server that sets SO_REUSEADDR (ZeroMQ does) can still
    bind and listen on it -- also again after a restart.  The socket is
    close-on-exec; close *fd when the port is no longer needed. */
int xt_port_reserve (int *fd);

/* ---- files -------------------------------------------------------------- */

/*  Writes a file (created or truncated). */
void xt_writef (const char *path, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

/*  The program's own path's directory, then one and two levels up, each
    joined with rel (e.g. "daemon/xiechad"): the first that is an
    executable file, in a static buffer; NULL if none is.  Finds the
    build tree's programs from bench/ and tests/integration/. */
const char *xt_find_program (const char *rel);

#endif
