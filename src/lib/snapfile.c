#define _GNU_SOURCE		/* fallocate() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "atomicfile.h"
#include "buf.h"
#include "devstore.h"
#include "snapfile.h"
#include "text.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000	/* Linux 4.17 */
#endif

/* The address space an image may take: SNAP_SLOTS slots of SNAP_RESERVE
 * bytes from SNAP_LOW, far above where Linux puts PIE executables, their
 * heap and shared libraries (0x55..., 0x7f...) and inside the high
 * application memory of AddressSanitizer.  Each compile takes a random
 * slot other than the current file's, so that a process can map the new
 * image while it still serves the old one.  The last SNAP_PIN bytes of a
 * slot hold the vendor packs' tables (config.c: pin_packs). */
#define SNAP_LOW	UINT64_C(0x200000000000)
#define SNAP_RESERVE	(UINT64_C(1) << 36)		/* 64 GB */
#define SNAP_SLOTS	256
#define SNAP_PIN	((size_t)1 << 20)
#define SNAP_HEADER	4096				/* the arena follows */

static const char snap_magic[8] = { 'D', 'P', 'S', 'N', 'A', 'P', '\r', '\n' };

/* The first bytes of the file.  Every field is little-endian of the
 * machine that compiled it; a file of another byte order fails the
 * version check. */
struct snap_header {
	char		magic[8];
	uint32_t	version;
	uint32_t	header_size;
	uint64_t	layout;		/* snap_layout() of the compiler */
	uint64_t	base;		/* the address it is mapped at */
	uint64_t	length;		/* of the whole file */
	uint64_t	pin_used;	/* bytes of pack tables at the pin */
	uint64_t	root;		/* offset of struct snap_root */
	uint64_t	source_hash;
	uint64_t	source_sig;
	uint64_t	etc_hash;	/* of the etc path it was compiled from */
	int64_t		compiled_at;
	uint64_t	n_phones;
	double		compile_seconds;
	unsigned char	boot[16];	/* boot_id of the compiling machine */
	uint64_t	body_sum;	/* snap_sum() of [SNAP_HEADER, length) */
	uint64_t	tail_sum;	/* snap_sum() of [root, length) */
	uint64_t	head_sum;	/* snap_sum() of the fields above */
};

/* A copy of a config file other than phones.yml; cf is its enum
 * config_file, or -1 for a pack or template file named rel. */
struct snap_file {
	int		 cf;
	const char	*rel;
	const char	*data;
	size_t		 len;
};

/* Where a reader finds what the compiler built: inside the arena. */
struct snap_root {
	struct phone		*phones;
	size_t			 n_phones;
	size_t			 n_devices;
	struct strmap		 by_ident;
	struct strmap		 by_link_key;
	struct strmap		 fleet_hosts;
	struct netlist		 fleet_ranges;
	struct diag		 warnings[SNAPSHOT_WARN_MAX];
	size_t			 n_warnings;
	uint32_t		*rank[SNAPSHOT_ORDERS];
	struct snap_file	*files;
	size_t			 n_files;
};

struct snapfile_map {
	unsigned char	*base;
	size_t		 length;
	unsigned char	*pin;
};

/* The build's layout: a file written by a deskprov whose structs differ
 * is refused instead of being read as garbage. */
static uint64_t
snap_layout(void)
{
	const uint64_t v[] = {
		SNAPFILE_VERSION, sizeof(struct snap_header),
		sizeof(struct snap_root), sizeof(struct snap_file),
		sizeof(struct phone), offsetof(struct phone, params),
		offsetof(struct phone, pack), offsetof(struct phone, tag),
		offsetof(struct phone, rules), offsetof(struct phone, sip_addr),
		sizeof(struct phone_rules),
		sizeof(struct param), sizeof(struct ipnet),
		sizeof(struct strmap_slot), sizeof(struct strmap),
		sizeof(struct pack), sizeof(struct pack_model),
		sizeof(struct diag), SNAP_RESERVE, SNAP_PIN, SNAP_HEADER,
	};

	return hash_bytes(HASH_SEED, v, sizeof(v));
}

/* A checksum over words (hash_words()): it finds damage, not tampering. */
static uint64_t
snap_sum(const void *p, size_t n)
{
	return hash_words(HASH_SEED, p, n);
}

static uint64_t
head_sum(const struct snap_header *h)
{
	return snap_sum(h, offsetof(struct snap_header, head_sum));
}

/* This boot's id (boot_id in proc(5)), read once: all zeros when it
 * cannot be read, and then no image counts as this boot's. */
static const unsigned char *
this_boot(void)
{
	static unsigned char id[16];
	static int read_once;
	char text[64];
	size_t nib = 0;
	ssize_t n = -1;
	int fd;

	if (read_once)
		return id;
	read_once = 1;
	if ((fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY |
	    O_CLOEXEC)) >= 0) {
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
	}
	for (ssize_t i = 0; i < n && nib < 32; i++) {
		int v = hex_value((unsigned char)text[i]);

		if (v < 0)
			continue;	/* the dashes, the newline */
		id[nib / 2] |= (unsigned char)(nib % 2 ? v : v << 4);
		nib++;
	}
	if (nib != 32)
		memset(id, 0, sizeof(id));
	return id;
}

/* Whether this boot wrote the image: its bytes are then the page cache's,
 * whole since its rename, whether or not they reached the disk. */
static int
written_this_boot(const struct snap_header *h)
{
	static const unsigned char none[16];
	const unsigned char *id = this_boot();

	return memcmp(id, none, sizeof(none)) != 0 &&
	    memcmp(h->boot, id, sizeof(h->boot)) == 0;
}

/* ---- compiling ---- */

/* Reserves a slot of address space, zero-filled; NULL when none of a few
 * random slots is free. */
static unsigned char *
reserve_slot(void)
{
	for (int tries = 0; tries < 16; tries++) {
		uint16_t r;
		void *want, *got;

		if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
			r = (uint16_t)(getpid() + tries);
		want = (void *)(uintptr_t)(SNAP_LOW + (r % SNAP_SLOTS) *
		    SNAP_RESERVE);
		got = mmap(want, SNAP_RESERVE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		    MAP_FIXED_NOREPLACE, -1, 0);
		if (got == want)
			return got;
		if (got != MAP_FAILED)
			munmap(got, SNAP_RESERVE);
	}
	return NULL;
}

/* 1 when p is NULL or inside [lo, hi). */
static int
inside(const void *p, const unsigned char *lo, const unsigned char *hi)
{
	const unsigned char *c = p;

	return p == NULL || (c >= lo && c < hi);
}

static int
param_inside(const struct param *p, const unsigned char *lo,
    const unsigned char *hi)
{
	return inside(p->name, lo, hi) && inside(p->value, lo, hi) &&
	    inside(p->ua, lo, hi);
}

/* 1 when everything phone ph points to is in the image: the arena
 * [lo, hi) or the pack tables [pin, pin_hi).  A pointer field added to
 * struct phone (or struct phone_rules) must be checked here:
 * tests/check_snapfile.c lists them and fails when struct phone grows. */
int
snapfile_phone_inside(const struct phone *ph, const unsigned char *lo,
    const unsigned char *hi, const unsigned char *pin,
    const unsigned char *pin_hi)
{
	if (!inside(ph->id, lo, hi) || !inside(ph->serial, lo, hi) ||
	    !inside(ph->model, lo, hi) || !inside(ph->nets, lo, hi) ||
	    !inside(ph->params, lo, hi) || !inside(ph->device, lo, hi) ||
	    !inside(ph->pack, pin, pin_hi) || !inside(ph->pmodel, pin, pin_hi) ||
	    !inside(ph->rules.link_key, lo, hi) ||
	    !inside(ph->rules.allow, lo, hi) || !inside(ph->sip_addr, lo, hi))
		return 0;
	for (uint32_t i = 0; i < ph->n_params; i++)
		if (!param_inside(&ph->params[i], lo, hi))
			return 0;
	return 1;
}

static int
map_inside(const struct strmap *m, const unsigned char *lo,
    const unsigned char *hi, int values_are_phones)
{
	if (!inside(m->slots, lo, hi))
		return 0;
	for (size_t i = 0; i < m->cap; i++)
		if (!inside(m->slots[i].key, lo, hi) || (values_are_phones &&
		    !inside(m->slots[i].value, lo, hi)))
			return 0;
	return 1;
}

/* The walker: an image whose phones point outside it (a string literal
 * or a heap block of the compiling process, which another process does
 * not have) is never written.  Returns the first bad phone's id, "the
 * indexes", or NULL when all is inside. */
static const char *
root_escape(const struct snap_root *r, const unsigned char *lo,
    const unsigned char *hi, const unsigned char *pin)
{
	for (size_t i = 0; i < r->n_phones; i++)
		if (!snapfile_phone_inside(&r->phones[i], lo, hi, pin,
		    pin + SNAP_PIN))
			return inside(r->phones[i].id, lo, hi) ?
			    r->phones[i].id : "a phone";
	for (int k = 0; k < SNAPSHOT_ORDERS; k++)
		if (!inside(r->rank[k], lo, hi))
			return "the indexes";
	if (!map_inside(&r->by_ident, lo, hi, 1) ||
	    !map_inside(&r->by_link_key, lo, hi, 1) ||
	    !map_inside(&r->fleet_hosts, lo, hi, 0) ||
	    !inside(r->fleet_ranges.nets, lo, hi))
		return "the indexes";
	return NULL;
}

/* A table as the image keeps it: its slots in the arena (copied there
 * unless they were built there), no pointer to the compiler's arena. */
static void
copy_map(struct arena *a, struct strmap *dst, const struct strmap *src)
{
	*dst = *src;
	dst->arena = NULL;
	if (src->cap == 0 || src->arena == a)
		return;
	dst->slots = arena_alloc(a, src->cap * sizeof(*src->slots));
	memcpy(dst->slots, src->slots, src->cap * sizeof(*src->slots));
}

static void
add_files(struct arena *a, struct snap_root *r, const struct config_files *f)
{
	size_t n = 0;

	r->files = arena_calloc(a, CF_COUNT + f->extra.n + 1,
	    sizeof(*r->files));
	for (int i = 0; i < CF_COUNT; i++) {
		if (i == CF_PHONES || f->data[i] == NULL)
			continue;
		r->files[n].cf = i;
		r->files[n].rel = arena_strndup(a, config_file_name(i),
		    strlen(config_file_name(i)));
		r->files[n].data = arena_strndup(a, f->data[i], f->len[i]);
		r->files[n++].len = f->len[i];
	}
	for (size_t i = 0; i < f->extra.n; i++) {
		const struct extra_file *e = &f->extra.v[i];
		/* The API's devices.d files are phones: the image has them. */
		if (strncmp(e->rel, DEVSTORE_DIR "/",
		    sizeof(DEVSTORE_DIR)) == 0)
			continue;
		r->files[n].cf = -1;
		r->files[n].rel = arena_strndup(a, e->rel, strlen(e->rel));
		r->files[n].data = arena_strndup(a, e->data, e->len);
		r->files[n++].len = e->len;
	}
	r->n_files = n;
}

static struct snap_root *
build_root(struct snapshot *s, const struct config_files *f)
{
	struct arena *a = &s->arena;
	struct snap_root *r = arena_calloc(a, 1, sizeof(*r));

	r->phones = s->phones;
	r->n_phones = s->n_phones;
	r->n_devices = s->n_devices;
	copy_map(a, &r->by_ident, &s->by_ident);
	copy_map(a, &r->by_link_key, &s->by_link_key);
	copy_map(a, &r->fleet_hosts, &s->fleet_hosts);
	r->fleet_ranges = s->fleet_ranges;
	memcpy(r->warnings, s->warnings, sizeof(r->warnings));
	r->n_warnings = s->n_warnings;
	memcpy(r->rank, s->rank, sizeof(r->rank));
	add_files(a, r, f);
	return r;
}

/* Where an image is being written: its temporary file, open on fd in
 * the directory dfd, and whether the arena lives in a shared mapping of
 * it (else in anonymous memory, written out at the end). */
struct image_out {
	int	 dfd, fd;
	int	 mapped;
	char	 tmp[4200];
	char	 name[4096];
};

/* Free space a compile into a shared mapping wants: a write into a
 * mapping of a full disk is a SIGBUS, not an error, so the mapping is
 * used only with room to spare (the image of bench/gen-fleet's phones
 * takes 2.6 bytes per byte of the files).  Else the image is built in
 * memory and written, where a full disk is an error like any other. */
#define IMAGE_ROOM_PER_BYTE	8
#define IMAGE_ROOM_BASE		((uint64_t)256 << 20)
#define IMAGE_LIKELY_PER_BYTE	3
#define IMAGE_LIKELY_BASE	((uint64_t)1 << 20)

/* Opens the directory of path; its last component goes to name. */
static int
open_dir_of(const char *path, char *name, size_t name_size)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];

	if (slash == NULL) {
		snprintf(dir, sizeof(dir), ".");
		snprintf(name, name_size, "%s", path);
	} else {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
		snprintf(name, name_size, "%s", slash + 1);
	}
	if (dir[0] == '\0')
		snprintf(dir, sizeof(dir), "/");
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Creates the temporary file of path ("<name>.tmp.<pid>" beside it). */
static int
image_create(struct image_out *o, const char *path)
{
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	if ((o->dfd = open_dir_of(path, o->name, sizeof(o->name))) < 0)
		return -errno;
	snprintf(o->tmp, sizeof(o->tmp), "%s.tmp.%ld", o->name,
	    (long)getpid());
	unlinkat(o->dfd, o->tmp, 0);
	o->fd = openat(o->dfd, o->tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (o->fd < 0) {
		int e = errno;
		close(o->dfd);
		return -e;
	}
	return 0;
}

/* Puts the arena's part of the slot at base into a shared mapping of
 * the (sparse) temporary file, so that the compile writes the image in
 * place: no anonymous copy, no write(2) of 700 MB at a million phones
 * (2.6 s of the kernel's time copying it into the page cache).  Returns
 * 0 when it did; the slot stays anonymous otherwise. */
static int
image_map(struct image_out *o, unsigned char *base, uint64_t src_bytes)
{
	uint64_t want = src_bytes * IMAGE_ROOM_PER_BYTE + IMAGE_ROOM_BASE;
	size_t len = SNAP_RESERVE - SNAP_PIN;
	struct statvfs vfs;

	if (fstatvfs(o->fd, &vfs) < 0 ||
	    (uint64_t)vfs.f_bavail * vfs.f_frsize < want ||
	    ftruncate(o->fd, (off_t)len) < 0)
		return -1;
	/* Over the slot's own anonymous reservation, which is ours. */
	if (mmap(base, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
	    o->fd, 0) != base) {
		(void)ftruncate(o->fd, 0);
		/* MAP_FIXED may have unmapped the range: claim it again. */
		(void)mmap(base, len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		    MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
		return -1;
	}
	o->mapped = 1;
	/* Blocks for the image's likely size, allocated now (unwritten, read
	 * as zeros): a file written into blocks it already has carries no
	 * delayed allocation, which ext4 would otherwise flush in the rename
	 * over the old image (auto_da_alloc in ext4(5)), 0.1 s at 100,000
	 * phones on the way to every process.  Where it is refused, the
	 * rename pays. */
	(void)fallocate(o->fd, 0, 0,
	    (off_t)(src_bytes * IMAGE_LIKELY_PER_BYTE + IMAGE_LIKELY_BASE));
	return 0;
}

/* Gives the temporary file the image's len bytes (cut to length, or
 * written from memory) and renames it over the name, before any fsync:
 * every process of this boot reads it from the page cache, whole, the
 * moment it has its name, and the disk catches up afterwards
 * (snapfile_settle(), once the others have it).  An image that a power
 * loss caught on its way to the disk may have come back with holes; it
 * carries the id of the boot that wrote it, and snapfile_open() checks
 * every byte of an image from another boot. */
static int
image_publish(struct image_out *o, const void *data, size_t len)
{
	struct stat st;
	int rc = 0;

	if (o->mapped ? ftruncate(o->fd, (off_t)len) < 0 : 0)
		rc = -errno;
	else if (!o->mapped)
		rc = af_write_all(o->fd, data, len);
	if (close(o->fd) < 0 && rc == 0)
		rc = -errno;
	o->fd = -1;
	/* Compiled by root (deskprov compile) into a directory the servers
	 * own: theirs to read, as if they had compiled it. */
	if (rc == 0 && geteuid() == 0 && fstat(o->dfd, &st) == 0 &&
	    st.st_uid != 0 && fchownat(o->dfd, o->tmp, st.st_uid, st.st_gid,
	    AT_SYMLINK_NOFOLLOW) < 0)
		rc = -errno;
	if (rc == 0 && renameat(o->dfd, o->tmp, o->dfd, o->name) < 0)
		rc = -errno;
	return rc;
}

int
snapfile_settle(const char *path)
{
	char name[4096];
	int fd, dfd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -errno;
	if (fsync(fd) < 0)
		rc = -errno;
	close(fd);
	if ((dfd = open_dir_of(path, name, sizeof(name))) < 0)
		return rc < 0 ? rc : -errno;
	if (fsync(dfd) < 0 && rc == 0)
		rc = -errno;
	close(dfd);
	return rc;
}

/* Releases what image_create() opened; the temporary file goes unless
 * it was renamed into place. */
static void
image_close(struct image_out *o)
{
	if (o->fd >= 0)
		close(o->fd);
	af_discard(o->dfd, o->tmp);
	close(o->dfd);
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fills the header of a built image at base; returns the file length. */
static size_t
seal(unsigned char *base, const struct snapshot *s,
    const struct snap_root *r, uint64_t sig, uint64_t etc_hash,
    double seconds)
{
	struct snap_header *h = (struct snap_header *)(void *)base;
	size_t len = SNAP_HEADER + s->arena.region_used;

	memcpy(h->magic, snap_magic, sizeof(h->magic));
	h->version = SNAPFILE_VERSION;
	h->header_size = SNAP_HEADER;
	h->layout = snap_layout();
	h->base = (uint64_t)(uintptr_t)base;
	h->length = len;
	h->pin_used = s->pin_used;
	h->root = (uint64_t)((const unsigned char *)r - base);
	h->source_hash = s->source_hash;
	h->source_sig = sig;
	h->etc_hash = etc_hash;
	h->compiled_at = (int64_t)time(NULL);
	h->n_phones = s->n_phones;
	h->compile_seconds = seconds;
	memcpy(h->boot, this_boot(), sizeof(h->boot));
	h->body_sum = snap_sum(base + SNAP_HEADER, len - SNAP_HEADER);
	h->tail_sum = snap_sum(base + h->root, len - h->root);
	h->head_sum = head_sum(h);
	return len;
}

static void
info_from(struct snapfile_info *info, const struct snap_header *h)
{
	if (info == NULL)
		return;
	info->source_hash = h->source_hash;
	info->source_sig = h->source_sig;
	info->etc_hash = h->etc_hash;
	info->length = h->length;
	info->base = h->base;
	info->n_phones = h->n_phones;
	info->compiled_at = h->compiled_at;
	info->compile_seconds = h->compile_seconds;
}

/* The build itself, in the reserved slot at base, published through o. */
static int
compile_in(unsigned char *base, const struct config_files *files,
    struct image_out *o, uint64_t sig, uint64_t etc_hash,
    struct snapfile_info *info, struct diag *err)
{
	const struct snapshot_opts opts = {
		.region = base + SNAP_HEADER,
		.region_cap = SNAP_RESERVE - SNAP_HEADER - SNAP_PIN,
		.pin = base + SNAP_RESERVE - SNAP_PIN, .pin_cap = SNAP_PIN,
		.src = files,
	};
	double t0 = now_seconds();
	struct snapshot *s = snapshot_load_with(NULL, NULL, &opts, err);
	const struct snap_root *r;
	const char *bad;
	size_t len;
	int rc;

	if (s == NULL)
		return -1;
	r = build_root(s, files);
	bad = root_escape(r, opts.region, opts.region + s->arena.region_used,
	    opts.pin);
	if (bad != NULL) {
		diag_set(err, "", 0, 0, "internal error: %s points outside "
		    "the snapshot image", DIAG_Q(bad));
		snapshot_free(s);
		return -1;
	}
	len = seal(base, s, r, sig, etc_hash, now_seconds() - t0);
	snapshot_free(s);
	if ((rc = image_publish(o, base, len)) < 0) {
		diag_set(err, "", 0, 0, "cannot write the snapshot: %s",
		    strerror(-rc));
		return -1;
	}
	info_from(info, (const struct snap_header *)(void *)base);
	return 0;
}

/* Bytes of every file a compile reads. */
static uint64_t
files_bytes(const struct config_files *f)
{
	uint64_t n = 0;

	for (int i = 0; i < CF_COUNT; i++)
		n += f->len[i];
	for (size_t i = 0; i < f->extra.n; i++)
		n += f->extra.v[i].len;
	return n;
}

int
snapfile_compile(const char *etc, const char *schema_dir, const char *path,
    uint64_t sig, struct snapfile_info *info, struct diag *err)
{
	struct config_files files;
	struct image_out o;
	struct snapshot *s;
	unsigned char *base;
	int rc;

	diag_clear(err);
	/* The loader hashes the bytes as it parses them. */
	if (config_files_read(etc, schema_dir, &files, NULL) < 0) {
		/* The loader says why, with the file's name. */
		if ((s = snapshot_load(etc, schema_dir, err)) != NULL) {
			snapshot_free(s);
			diag_set(err, "", 0, 0, "the config files changed "
			    "while they were read");
		}
		return -1;
	}
	if ((base = reserve_slot()) == NULL) {
		config_files_free(&files);
		diag_set(err, "", 0, 0, "no free address range for a "
		    "snapshot image");
		return -1;
	}
	if ((rc = image_create(&o, path)) < 0) {
		diag_set(err, "", 0, 0, "cannot write the snapshot: %s",
		    strerror(-rc));
		rc = -1;
		goto out_unmap;
	}
	(void)image_map(&o, base, files_bytes(&files));
	rc = compile_in(base, &files, &o, sig, hash_bytes(HASH_SEED, etc,
	    strlen(etc)), info, err);
	image_close(&o);
out_unmap:
	munmap(base, SNAP_RESERVE);
	config_files_free(&files);
	return rc;
}

/* ---- opening ---- */

static int
refuse(enum snapfile_error *why, enum snapfile_error w, struct diag *err,
    const char *path, const char *what)
{
	const char *slash = strrchr(path, '/');

	*why = w;
	diag_set(err, "", 0, 0, "snapshot %s refused: %s", DIAG_Q(slash ?
	    slash + 1 : path), what);
	return -1;
}

/* Reads and checks the header of the file open on fd. */
static int
read_header(int fd, const char *path, struct snap_header *h,
    enum snapfile_error *why, struct diag *err)
{
	struct stat st;
	char what[160];
	ssize_t n;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return refuse(why, SNAPFILE_IO, err, path, "not a regular "
		    "file");
	n = pread(fd, h, sizeof(*h), 0);
	if (n < 0)
		return refuse(why, SNAPFILE_IO, err, path, strerror(errno));
	if ((size_t)n < sizeof(snap_magic) ||
	    memcmp(h->magic, snap_magic, sizeof(snap_magic)) != 0)
		return refuse(why, SNAPFILE_BAD, err, path, "not a deskprov "
		    "snapshot (no DPSNAP header)");
	if ((size_t)n < sizeof(*h))
		return refuse(why, SNAPFILE_BAD, err, path, "truncated in "
		    "its header");
	if (h->version != SNAPFILE_VERSION) {
		snprintf(what, sizeof(what), "format version %" PRIu32 ", "
		    "this deskprov reads version %d", h->version,
		    SNAPFILE_VERSION);
		return refuse(why, SNAPFILE_BAD, err, path, what);
	}
	if (h->head_sum != head_sum(h))
		return refuse(why, SNAPFILE_BAD, err, path, "its header is "
		    "damaged (checksum)");
	if (h->layout != snap_layout())
		return refuse(why, SNAPFILE_BAD, err, path, "compiled by a "
		    "deskprov build with another layout; compile it again");
	if ((uint64_t)st.st_size != h->length) {
		snprintf(what, sizeof(what), "truncated or extended: %lld "
		    "bytes, the header says %" PRIu64, (long long)st.st_size,
		    h->length);
		return refuse(why, SNAPFILE_BAD, err, path, what);
	}
	if (h->base < SNAP_LOW || h->base % SNAP_RESERVE != 0 ||
	    (h->base - SNAP_LOW) / SNAP_RESERVE >= SNAP_SLOTS ||
	    h->length < SNAP_HEADER + sizeof(struct snap_root) ||
	    h->length > SNAP_RESERVE - SNAP_PIN || h->pin_used > SNAP_PIN ||
	    h->root < SNAP_HEADER || h->root > h->length -
	    sizeof(struct snap_root))
		return refuse(why, SNAPFILE_BAD, err, path, "its header is "
		    "out of range");
	return 0;
}

int
snapfile_peek(const char *path, struct snapfile_info *info)
{
	enum snapfile_error why;
	struct snap_header h;
	struct diag err;
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = read_header(fd, path, &h, &why, &err);
	if (rc == 0 && fstat(fd, &st) == 0) {
		info_from(info, &h);
		info->dev = st.st_dev;
		info->ino = st.st_ino;
	}
	close(fd);
	return rc;
}

void
snapfile_unmap(struct snapfile_map *m)
{
	if (m == NULL)
		return;
	munmap(m->base, m->length);
	if (m->pin != NULL)
		munmap(m->pin, SNAP_PIN);
	free(m);
}

/* Maps the file at its base and an empty pin region; NULL when either
 * address is taken in this process. */
static struct snapfile_map *
map_image(int fd, const struct snap_header *h)
{
	struct snapfile_map *m = xcalloc(1, sizeof(*m));
	void *want = (void *)(uintptr_t)h->base, *pin, *got;

	pin = (unsigned char *)want + SNAP_RESERVE - SNAP_PIN;
	got = mmap(want, h->length, PROT_READ, MAP_SHARED |
	    MAP_FIXED_NOREPLACE, fd, 0);
	if (got != want) {
		if (got != MAP_FAILED)
			munmap(got, h->length);
		free(m);
		return NULL;
	}
	m->base = got;
	m->length = h->length;
	got = mmap(pin, SNAP_PIN, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (got != pin) {
		if (got != MAP_FAILED)
			munmap(got, SNAP_PIN);
		snapfile_unmap(m);
		return NULL;
	}
	m->pin = got;
	return m;
}

/* The image's copies of the small files, as the loader takes them. */
static void
files_view(const struct snap_root *r, struct config_files *v)
{
	size_t n = 0;

	memset(v, 0, sizeof(*v));
	v->extra.v = xcalloc(r->n_files + 1, sizeof(*v->extra.v));
	for (size_t i = 0; i < r->n_files; i++) {
		const struct snap_file *f = &r->files[i];
		if (f->cf >= 0 && f->cf < CF_COUNT) {
			v->data[f->cf] = (char *)(uintptr_t)f->data;
			v->len[f->cf] = f->len;
			continue;
		}
		v->extra.v[n].rel = (char *)(uintptr_t)f->rel;
		v->extra.v[n].data = (char *)(uintptr_t)f->data;
		v->extra.v[n++].len = f->len;
	}
	v->extra.n = n;
}

/* Loads the small part from the image's files, then points the snapshot
 * at the image's phones and indexes. */
static struct snapshot *
attach(struct snapfile_map *m, const struct snap_header *h,
    enum snapfile_error *why, struct diag *err)
{
	const struct snap_root *r = (const void *)(m->base + h->root);
	const struct snapshot_opts o = {
		.pin = m->pin, .pin_cap = SNAP_PIN, .no_phones = 1,
	};
	struct snapshot_opts oo = o;
	struct config_files v;
	struct snapshot *s;

	files_view(r, &v);
	oo.src = &v;
	s = snapshot_load_with(NULL, NULL, &oo, err);
	free(v.extra.v);
	if (s == NULL || s->pin_used != h->pin_used) {
		if (s == NULL)
			diag_prefix(err, "the snapshot's own files");
		else
			diag_set(err, "", 0, 0, "the snapshot's vendor packs "
			    "load differently here");
		snapshot_free(s);
		*why = SNAPFILE_CONFIG;
		return NULL;
	}
	s->image = m;
	s->phones = r->phones;
	s->n_phones = r->n_phones;
	s->n_devices = r->n_devices;
	s->by_ident = r->by_ident;
	s->by_link_key = r->by_link_key;
	s->fleet_hosts = r->fleet_hosts;
	s->fleet_ranges = r->fleet_ranges;
	memcpy(s->warnings, r->warnings, sizeof(s->warnings));
	s->n_warnings = r->n_warnings;
	memcpy(s->rank, r->rank, sizeof(s->rank));
	s->source_hash = h->source_hash;
	s->load_seconds = h->compile_seconds;
	return s;
}

/* The root and the small files' copies (the last allocations, so the
 * file's tail) are what a reader parses: always checked.  The whole body
 * is read for SNAPFILE_CHECK_ALL only: at a million phones that is most
 * of a second of reading, where a swap should take milliseconds. */
static int
sums_ok(const struct snapfile_map *m, const struct snap_header *h,
    enum snapfile_check check)
{
	if (snap_sum(m->base + h->root, m->length - h->root) != h->tail_sum)
		return 0;
	return check != SNAPFILE_CHECK_ALL || snap_sum(m->base + SNAP_HEADER,
	    m->length - SNAP_HEADER) == h->body_sum;
}

struct snapshot *
snapfile_open(const char *path, enum snapfile_check check,
    struct snapfile_info *info, enum snapfile_error *why, struct diag *err)
{
	struct snapfile_map *m;
	struct snap_header h;
	struct snapshot *s = NULL;
	struct stat st;
	int fd;

	diag_clear(err);
	*why = SNAPFILE_OK;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		refuse(why, SNAPFILE_IO, err, path, strerror(errno));
		return NULL;
	}
	if (read_header(fd, path, &h, why, err) < 0 || fstat(fd, &st) < 0)
		goto out_close;
	if (!written_this_boot(&h))
		check = SNAPFILE_CHECK_ALL;
	if ((m = map_image(fd, &h)) == NULL) {
		refuse(why, SNAPFILE_ADDRESS, err, path, "its address range "
		    "is taken in this process");
		goto out_close;
	}
	if (!sums_ok(m, &h, check)) {
		refuse(why, SNAPFILE_BAD, err, path, "damaged (checksum)");
		snapfile_unmap(m);
		goto out_close;
	}
	if ((s = attach(m, &h, why, err)) == NULL) {
		snapfile_unmap(m);
		goto out_close;
	}
	if (info != NULL) {
		info_from(info, &h);
		info->dev = st.st_dev;
		info->ino = st.st_ino;
	}
out_close:
	close(fd);
	return s;
}

void
snapfile_clean(const char *dir, const char *name)
{
	size_t n = strlen(name);
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, name, n) == 0 &&
		    strncmp(e->d_name + n, ".tmp.", 5) == 0) {
			char p[4400];
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
	closedir(d);
}
