/*  lock.c - one daemon per data directory; see lock.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "node/lock.h"
#include "xiecha/text.h"
#include "xiecha/xiecha.h"

struct _xc_lock_t {
    int fd;                    /* holds the lock while open */
};

static void
s_path (const char *data_dir, char *out, size_t len)
{
    snprintf (out, len, "%s/%s", data_dir, XC_LOCK_FILE);
}

/*  The whole file, written: the lock covers its bytes, present and to
    come. */
static struct flock
s_whole (short type)
{
    struct flock fl;
    memset (&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    return fl;
}

/*  One "key=value" line of what the holder wrote, into out; "?" when
    missing (a holder that has locked but not yet written). */
static void
s_field (const char *text, const char *key, char *out, size_t len)
{
    snprintf (out, len, "?");
    size_t klen = strlen (key);
    for (const char *p = text; *p;) {
        if (strncmp (p, key, klen) == 0 && p[klen] == '=') {
            const char *v = p + klen + 1;
            size_t n = strcspn (v, "\n");
            snprintf (out, len, "%.*s", (int) (n < len ? n : len - 1), v);
            return;
        }
        const char *nl = strchr (p, '\n');
        if (!nl)
            return;
        p = nl + 1;
    }
}

/*  "xiechad pid N (node C, peers P, clients Q, since T)" from the file
    and, for the pid, the kernel's word (F_GETLK). */
static void
s_describe (int fd, pid_t pid, char *out, size_t len)
{
    char text[2048] = "";
    ssize_t got = pread (fd, text, sizeof text - 1, 0);
    text[got > 0 ? got : 0] = '\0';
    char node[16], peers[256], clients[512], since[40], filepid[16];
    s_field (text, "node", node, sizeof node);
    s_field (text, "peer_bind", peers, sizeof peers);
    s_field (text, "client_bind", clients, sizeof clients);
    s_field (text, "started", since, sizeof since);
    s_field (text, "pid", filepid, sizeof filepid);
    if (pid > 0)
        snprintf (filepid, sizeof filepid, "%ld", (long) pid);
    snprintf (out, len, "xiechad pid %s (node %s, peers %s, clients %s, "
              "since %s)", filepid, node, peers, clients, since);
}

/*  Who holds fd's lock: 1 with holder, 0 none. */
static int
s_holder (int fd, char *holder, size_t len)
{
    struct flock fl = s_whole (F_WRLCK);
    if (fcntl (fd, F_GETLK, &fl) != 0) {
        snprintf (holder, len, _("cannot test the lock: %s"), strerror (errno));
        return -1;
    }
    if (fl.l_type == F_UNLCK)
        return 0;
    s_describe (fd, fl.l_pid, holder, len);
    return 1;
}

static int
s_record (int fd, const xc_config_t *c)
{
    char iso[32], text[2048];
    xc_time_iso (xc_now_ms (), iso);
    int n = snprintf (text, sizeof text, "pid=%ld\nnode=%s\npeer_bind=%s\n"
                      "client_bind=%s\nstarted=%s\n", (long) getpid (),
                      c->code, c->peer_bind, c->client_bind, iso);
    if (n < 0 || (size_t) n >= sizeof text || ftruncate (fd, 0) != 0)
        return -1;
    return pwrite (fd, text, (size_t) n, 0) == n ? 0 : -1;
}

xc_lock_t *
xc_lock_new (const xc_config_t *config, char *why, size_t why_len)
{
    char path[PATH_MAX + 32];
    s_path (config->data_dir, path, sizeof path);
    xc_lock_t *self = calloc (1, sizeof *self);
    if (!self) {
        xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
        return NULL;
    }
    self->fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (self->fd < 0) {
        xc_why (why, why_len, XC_EIO, _("node/data_dir: cannot open %s: %s"),
                path, strerror (errno));
        free (self);
        return NULL;
    }
    struct flock fl = s_whole (F_WRLCK);
    if (fcntl (self->fd, F_SETLK, &fl) != 0) {
        int err = errno;
        char holder[1024] = "another process";
        if (err != EACCES && err != EAGAIN)
            snprintf (holder, sizeof holder, "? (%s)", strerror (err));
        else if (s_holder (self->fd, holder, sizeof holder) != 1)
            snprintf (holder, sizeof holder, _("a process that has just "
                        "stopped; try again"));
        xc_why (why, why_len, XC_ECONFIG, _("node/data_dir %s is in use by %s: "
                  "one data directory serves one daemon; stop that one first "
                  "or give this one its own"), config->data_dir, holder);
        xc_lock_destroy (&self);
        return NULL;
    }
    if (s_record (self->fd, config) != 0) {
        xc_why (why, why_len, XC_EIO, _("node/data_dir: cannot write %s: %s"),
                path, strerror (errno));
        xc_lock_destroy (&self);
        return NULL;
    }
    return self;
}

int
xc_lock_holder (const char *data_dir, char *holder, size_t holder_len)
{
    char path[PATH_MAX + 32];
    s_path (data_dir, path, sizeof path);
    int fd = open (path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        snprintf (holder, holder_len, _("cannot open %s: %s"), path,
                  strerror (errno));
        return -1;
    }
    int rc = s_holder (fd, holder, holder_len);
    close (fd);
    return rc;
}

void
xc_lock_destroy (xc_lock_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_lock_t *self = *self_p;
    if (self->fd >= 0)
        close (self->fd);   /* and with it the lock */
    free (self);
    *self_p = NULL;
}
