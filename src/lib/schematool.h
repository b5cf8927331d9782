/* The discovery workflow's schema tools (`deskprov schema generate` and
 * `deskprov schema verify`): a schema.yml written from what a phone
 * reports, and the names reported and configured side by side.
 *
 * A generated schema holds every reported parameter with its reported
 * value as the default, except secrets (secret.h: by name, or a stored
 * hash), whose default is left empty: a schema must never carry a
 * password, and a hash is no value a phone could use. */
#ifndef DESKPROV_SCHEMATOOL_H
#define DESKPROV_SCHEMATOOL_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "report.h"
#include "settings.h"
#include "strmap.h"
#include "yamltree.h"

#define SCHEMA_FILE	"schema.yml"

/* Appends a complete schema.yml: a comment naming `source` (escaped: it
 * may be a file name), then schema.flat_profile_params from r in report
 * order, then schema.xml_structure copied from `structure` (the old
 * schema's node; NULL: device > flat-profile).  libyaml's emitter quotes
 * every value so it reads back exactly.  Returns the number of secrets
 * left empty, or -1 when the emitter failed (out then holds nothing new). */
int	schema_generate(const struct report *r,
	    const struct comparison_settings *, const struct ynode *structure,
	    const char *source, time_t when, struct buf *out);

/* Reads a report from a file: a stored report (JSON, as the store writes
 * it) or a report body as a phone uploads it (XML).  0, or -1 with err. */
int	schema_report_from_file(const char *path, struct report *out,
	    char *err, size_t errsz);

/* Installs data as etc/schema.yml: a temporary file in etc (fsync'd),
 * the current schema.yml kept as schema.yml.bak-<UTC time> (a hard link,
 * so it stays whole), then rename(2) over schema.yml and an fsync of the
 * directory.  The backup's name goes to backup (empty when there was no
 * schema.yml).  0, or -1 with err and nothing changed. */
int	schema_install(const char *etc, const char *data, size_t n,
	    time_t when, char *backup, size_t backupsz, char *err,
	    size_t errsz);

/* The parameter names of schema.flat_profile_params in a schema file,
 * as keys of `names` (strings in doc, which the caller frees with
 * ydoc_free() after strmap_free()).  *structure gets the xml_structure
 * node (NULL when absent).  0, or -1 with err. */
int	schema_names(const char *path, struct ydoc *doc, struct strmap *names,
	    const struct ynode **structure, char *err, size_t errsz);

#endif
