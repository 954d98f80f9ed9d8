/*  cli_files.h - the CLI's large files: an output written in pieces that
    appears whole or not at all, an input read through a mapping instead
    of into memory.  (Progress while either takes long: cli.h.) */
#ifndef XIECHA_CLI_FILES_H
#define XIECHA_CLI_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*  Output: written to a temporary file beside path (same file system),
    synced, then renamed over path, so a crash or an error never leaves a
    half-written file under the final name. */
typedef struct _cli_out_t cli_out_t;

/*  Creates the temporary file with mode (the umask is not applied).
    Returns NULL with why naming the path. */
cli_out_t *cli_out_open (const char *path, unsigned mode, char *why,
                         size_t why_len);

/*  Appends.  Returns 0 or XC_EIO with why. */
int cli_out_write (cli_out_t *self, const void *data, size_t len, char *why,
                   size_t why_len);

/*  Syncs and moves the file into place, then frees *self_p.  With
    overwrite it replaces what was there; without, an existing path is
    left alone and the result is XC_EINVAL.  Returns 0, XC_EINVAL or
    XC_EIO; the temporary file is gone either way. */
int cli_out_commit (cli_out_t **self_p, bool overwrite, char *why,
                    size_t why_len);

/*  Discards the temporary file; harmless on NULL. */
void cli_out_abort (cli_out_t **self_p);

/*  Input: maps path read-only.  Returns 0, or XC_EIO with why (missing,
    unreadable, a directory).  An empty file gives *data NULL, *len 0. */
int cli_map_file (const char *path, const uint8_t **data, size_t *len,
                  char *why, size_t why_len);
void cli_unmap_file (const uint8_t *data, size_t len);

#endif
