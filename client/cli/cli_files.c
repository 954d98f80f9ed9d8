/*  cli_files.c - atomic streamed output, mapped input, progress. */
#include "cli_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xiecha/error.h>
#include <xiecha/text.h>

struct _cli_out_t {
    char *path;              /* final name */
    char *tmp;               /* temporary name beside it */
    int fd;
};

cli_out_t *
cli_out_open (const char *path, unsigned mode, char *why, size_t why_len)
{
    cli_out_t *self = calloc (1, sizeof *self);
    size_t n = strlen (path) + sizeof ".tmp.XXXXXX";
    if (self) {
        self->fd = -1;
        self->path = strdup (path);
        self->tmp = calloc (1, n);
    }
    if (!self || !self->path || !self->tmp) {
        xc_why (why, why_len, XC_ENOMEM, "%s", _("out of memory"));
        cli_out_abort (&self);
        return NULL;
    }
    snprintf (self->tmp, n, "%s.tmp.XXXXXX", path);
    self->fd = mkstemp (self->tmp);
    //  mkstemp made it 0600; fchmod does not apply the umask.
    if (self->fd < 0 || fchmod (self->fd, (mode_t) mode) != 0) {
        xc_why (why, why_len, XC_EIO, "%s: %s", path, strerror (errno));
        cli_out_abort (&self);
        return NULL;
    }
    return self;
}

int
cli_out_write (cli_out_t *self, const void *data, size_t len, char *why,
               size_t why_len)
{
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t n = write (self->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return xc_why (why, why_len, XC_EIO, "%s: %s", self->path,
                           n < 0 ? strerror (errno) : _("short write"));
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

int
cli_out_commit (cli_out_t **self_p, bool overwrite, char *why,
                size_t why_len)
{
    cli_out_t *self = *self_p;
    int rc = 0;
    if (fsync (self->fd) != 0 || close (self->fd) != 0)
        rc = xc_why (why, why_len, XC_EIO, "%s: %s", self->path,
                     strerror (errno));
    self->fd = -1;
    //  link() fails if path exists, so "no overwrite" has no race.
    if (rc == 0 && (overwrite ? rename (self->tmp, self->path)
                              : link (self->tmp, self->path)) != 0) {
        int err = errno;
        rc = err == EEXIST && !overwrite
                 ? xc_why (why, why_len, XC_EINVAL,
                           _("%s exists; use --force to replace it"),
                           self->path)
                 : xc_why (why, why_len, XC_EIO, "%s: %s", self->path,
                           strerror (err));
    }
    cli_out_abort (self_p);   /* unlinks the temporary name if left */
    return rc;
}

void
cli_out_abort (cli_out_t **self_p)
{
    cli_out_t *self = self_p ? *self_p : NULL;
    if (!self)
        return;
    if (self->fd >= 0)
        close (self->fd);
    //  After a successful rename the name is gone and this is a no-op.
    if (self->tmp && self->tmp[0])
        unlink (self->tmp);
    free (self->tmp);
    free (self->path);
    free (self);
    *self_p = NULL;
}

int
cli_map_file (const char *path, const uint8_t **data, size_t *len,
              char *why, size_t why_len)
{
    *data = NULL;
    *len = 0;
    int fd = open (path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat (fd, &st) != 0) {
        int err = errno;
        if (fd >= 0)
            close (fd);
        return xc_why (why, why_len, XC_EIO, "%s: %s", path, strerror (err));
    }
    int rc = 0;
    if (!S_ISREG (st.st_mode))
        rc = xc_why (why, why_len, XC_EIO, _("%s: not a regular file"), path);
    else if (st.st_size > 0) {
        void *p = mmap (NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE,
                        fd, 0);
        if (p == MAP_FAILED)
            rc = xc_why (why, why_len, XC_EIO, "%s: %s", path,
                         strerror (errno));
        else {
            //  Read front to back once: let the kernel read ahead.
            madvise (p, (size_t) st.st_size, MADV_SEQUENTIAL);
            *data = p;
            *len = (size_t) st.st_size;
        }
    }
    close (fd);
    return rc;
}

void
cli_unmap_file (const uint8_t *data, size_t len)
{
    if (data && len)
        munmap ((void *) data, len);
}
