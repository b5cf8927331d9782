/* The files a snapshot is built from besides the YAML of the config
 * directory: every vendor pack shipped under the schema directory
 * (<pack>/pack.yml and <pack>/<name>.tpl) and the admin's local templates
 * (etc/templates/<name>.tpl, etc/templates/<pack>/<name>.tpl), and the
 * devices the API manages (etc/devices.d/<id>.yml, devstore.h).
 *
 * Each file has a relative name that is also where it lives in a last-good
 * copy: "<pack>/pack.yml", "<pack>/base.tpl", "templates/<name>.tpl",
 * "templates/<pack>/<name>.tpl", "devices.d/<id>.yml".  A copy directory used as both the
 * config and the schema directory therefore finds every file again. */
#ifndef DESKPROV_EXTRAFILES_H
#define DESKPROV_EXTRAFILES_H

#include <stddef.h>
#include <stdint.h>

#define EXTRA_FILES_MAX	4096		/* files in all */
#define EXTRA_FILE_MAX	(1024 * 1024)	/* bytes in one file */
#define PACK_NAME_MAX	32

struct extra_file {
	char	*rel;		/* relative name, as above */
	char	*data;		/* NUL-terminated bytes */
	size_t	 len;
};

struct extra_files {
	struct extra_file	*v;	/* sorted by rel */
	size_t			 n;
};

/* 1 when s is a pack name: 1..PACK_NAME_MAX of [a-z0-9-], not starting
 * with '-', and not "templates". */
int	pack_name_ok(const char *s);
/* 1 when s is a template file name: [A-Za-z0-9_.-]+ ending in ".tpl", not
 * starting with '.', at most 128 bytes. */
int	template_file_name_ok(const char *s);

/* Reads every such file (caller frees with extra_files_free, also after a
 * failure).  0, or -1 with a one-line reason in err. */
int	extra_files_read(const char *etc, const char *schema_dir,
	    struct extra_files *, char *err, size_t errsz);
void	extra_files_free(struct extra_files *);
/* A deep copy of src into dst (caller frees dst).  0, or -1. */
int	extra_files_copy(struct extra_files *dst,
	    const struct extra_files *src);
/* Continues a hash over the names and bytes of every file. */
uint64_t	extra_files_hash(uint64_t h, const struct extra_files *);
/* A signature of the same files from stat(2) alone (names, inodes, sizes,
 * mtimes): it changes when any of them is added, removed or edited. */
uint64_t	extra_files_sig(const char *etc, const char *schema_dir);
/* Moves every file whose relative name starts with prefix from `from` to
 * `to` (which it empties first; the caller frees both), keeping the
 * order of both. */
void	extra_files_take_prefix(struct extra_files *from, const char *prefix,
	    struct extra_files *to);
/* The file called rel, or NULL. */
const struct extra_file	*extra_files_find(const struct extra_files *,
			    const char *rel);

#endif
