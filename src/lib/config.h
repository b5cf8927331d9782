/* The configuration snapshot: every YAML file of the config directory parsed, validated and
 * indexed once, then shared read-only by every request until a file
 * changes.  All memory lives in the snapshot's arena. */
#ifndef DESKPROV_CONFIG_H
#define DESKPROV_CONFIG_H

#include <stdint.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "ident.h"
#include "ipnet.h"
#include "pack.h"
#include "settings.h"
#include "strmap.h"

#define SLOT_NONE	UINT32_MAX
/* Per YAML file: with the YAML budget (yamltree.h) a load of this much
 * takes at most about 600 MB; docs/limits.md has the fleet this holds. */
#define CONFIG_FILE_MAX	(64u * 1024 * 1024)
/* phones.yml alone: since the servers share one compiled snapshot
 * (snapfile.h), only the one compiling process holds its tree, so it may
 * hold a million phones (about 270 MB written as bench/gen-fleet does). */
#define CONFIG_PHONES_MAX	(512u * 1024 * 1024)

/* The files of a configuration directory, in the order they are read. */
enum config_file {
	CF_PHONES, CF_COMMON, CF_SERVICE, CF_FIRMWARE, CF_COMPARISON,
	CF_DEVICES, CF_VENDORS, CF_SCHEMA, CF_COUNT
};

/* One flat-profile parameter as the admin wrote it. */
struct param {
	const char	*name;
	const char	*value;		/* "" for an empty or null value */
	const char	*ua;		/* "na", "ro", "rw"; NULL: default */
	uint32_t	 name_len;
	uint32_t	 value_len;
	uint32_t	 slot;		/* index into the base list, or NONE */
};

struct snapfile_map;
/* A phone entry's access rules (links.h parses and enforces them). */
struct phone_rules {
	const char		*link_key;	/* personal key, or NULL */
	time_t			 expires;	/* links.expires; 0: never */
	const struct ipnet	*allow;		/* links.allow */
	uint32_t		 n_allow;
	uint8_t			 disabled;	/* enabled: false */
	uint8_t			 no_mac_check;	/* links.mac_check: false */
};

struct phone {
	const char		*id;		/* key in phones.yml */
	const char		*serial;	/* NULL when not set */
	const char		*model;		/* phones.yml model:, or NULL */
	char			 mac[MAC_LEN + 1];	/* "" when not set */
	int			 line;
	const struct ipnet	*nets;		/* ip_address entries */
	uint32_t		 n_nets;
	uint32_t		 n_params;
	const struct param	*params;	/* by slot, extras last */
	/* A device (a phones.yml entry with vendor:); NULL for a Cisco
	 * flat-profile phone. */
	const struct pack	*pack;
	const struct pack_model	*pmodel;
	const char		*device;	/* its own layer, as JSON */
	/* The flat profile's tag (ETag) for a Cisco phone, computed once at
	 * load, so that a 304 renders nothing; 0 for a device. */
	uint64_t		 tag;
	struct phone_rules	 rules;
	/* sip_contact: where `deskprov notify` reaches it, an address
	 * (sip_addr, validated) and port; NULL when not set. */
	const char		*sip_addr;
	unsigned		 sip_port;
};

/* Warnings a snapshot keeps (the first ones; the count goes on). */
#define SNAPSHOT_WARN_MAX	32

/* The fleet page's orders, computed once per configuration (by the
 * compile, for every process that maps its image). */
enum snapshot_order {
	SNAPSHOT_BY_NAME, SNAPSHOT_BY_MAC, SNAPSHOT_BY_VENDOR,
	SNAPSHOT_ORDERS
};

struct snapshot {
	struct arena		 arena;
	struct phone		*phones;
	size_t			 n_phones;
	size_t			 n_phones_yml;	/* phones.yml's, then devices.d */
	struct strmap		 by_ident;	/* MAC, id, serial → phone */
	struct strmap		 by_link_key;	/* SHA-256 of link_key → phone */

	/* The base list: schema defaults overlaid by common.yml, in
	 * common.yml order then schema order.  Pre-rendered as XML. */
	struct param		*base;
	size_t			 n_base;
	size_t			 n_schema;
	size_t			 n_common;
	struct strmap		 base_slots;	/* name → struct param */
	char			*base_xml;
	uint32_t		*base_off;	/* n_base + 1 offsets */
	const char		*xml_head;	/* document up to the params */
	const char		*xml_tail;
	size_t			 head_len, tail_len;
	int			 param_indent;
	uint64_t		 base_hash;

	struct strmap		 fleet_hosts;	/* IP policy "fleet" */
	struct netlist		 fleet_ranges;

	struct service_settings	 svc;
	struct firmware_settings fw;
	struct comparison_settings cmp;
	time_t			 loaded_at;
	double			 load_seconds;
	/* The wall clock when the load began to read the files: a file
	 * whose change time is later may not be in the snapshot. */
	struct timespec		 read_from;
	uint64_t		 source_hash;	/* of every file's bytes */
	struct packset		 packs;		/* vendor packs, templates */
	size_t			 n_devices;	/* phones with a pack */
	/* What loads but is most likely a mistake: a key of a Cisco phone
	 * one typo away from a phone-entry key or a parameter name
	 * ("ip_adress", "Staton_Name"), sent to the phone as written, or a
	 * common.yml parameter one typo away from a schema one.  The
	 * first SNAPSHOT_WARN_MAX, in file order, with file and line;
	 * n_warnings counts them all. */
	struct diag		 warnings[SNAPSHOT_WARN_MAX];
	size_t			 n_warnings;

	/* rank[k][i]: phone i's place when the phones are ordered by
	 * snapshot_order k (text, then position); every load makes them
	 * for all n_phones (phones_tail()), an image carries them. */
	uint32_t		*rank[SNAPSHOT_ORDERS];

	/* A snapshot compiled into or opened from an image (snapfile.h):
	 * the pack tables copied to the fixed address `pin`, so that the
	 * phones of the image point at them in every process; and the
	 * mapped image holding phones and indexes (NULL: a private load,
	 * which owns them). */
	unsigned char		*pin;
	size_t			 pin_cap, pin_used;
	struct snapfile_map	*image;
};

/* A file of the config directory as a write would leave it: rel is its
 * relative name ("devices.d/x.yml"), data NULL for a removal. */
struct config_override {
	const char	*rel;
	const char	*data;
	size_t		 len;
};

/* How snapshot_load_with() builds; all zero is snapshot_load(). */
struct snapshot_opts {
	unsigned char		*region;	/* arena here (snapfile.c) */
	size_t			 region_cap;
	unsigned char		*pin;		/* pack tables here */
	size_t			 pin_cap;
	/* The files' bytes instead of the directory (borrowed; the extra
	 * files are copied). */
	const struct config_files *src;
	int			 no_phones;	/* phones come from an image */
	/* One file replaced in memory (snapshot_load_override()). */
	const struct config_override *ov;
};

/* The bytes a snapshot was built from, for keeping a last-good copy. */
struct config_files {
	char			*data[CF_COUNT];	/* NULL: file absent */
	size_t			 len[CF_COUNT];
	struct extra_files	 extra;		/* packs and templates */
};


/* Where each file is read from: etc/<name>, and schema.yml from etc/ when
 * present there, else from schema_dir.  Writes CF_COUNT paths. */
void	config_paths(const char *etc, const char *schema_dir,
	    char paths[CF_COUNT][4096]);
const char	*config_file_name(enum config_file);

/* Loads and validates a whole directory.  Returns a new snapshot (caller
 * frees with snapshot_free) or NULL with err describing the first problem:
 * the file by its name in the directory ("phones.yml", "acme/pack.yml"),
 * the line and the message (see diag.h for what a message may quote). */
struct snapshot	*snapshot_load(const char *etc, const char *schema_dir,
		    struct diag *err);
/* The same with options (snapfile.c compiles and opens images). */
struct snapshot	*snapshot_load_with(const char *etc, const char *schema_dir,
		    const struct snapshot_opts *, struct diag *err);
/* snapshot_load() with one file replaced in memory: how a write is
 * checked by the same loader before anything reaches the disk. */
struct snapshot	*snapshot_load_override(const char *etc,
		    const char *schema_dir, const struct config_override *,
		    struct diag *err);
void		 snapshot_free(struct snapshot *);
/* Reads the bytes of every file snapshot_load() would read (caller frees
 * with config_files_free) and their hash (hash may be NULL: not wanted),
 * comparable with a snapshot's source_hash.  -1 when a file cannot be
 * read. */
int		 config_files_read(const char *etc, const char *schema_dir,
		    struct config_files *, uint64_t *hash);
void		 config_files_free(struct config_files *);

/* Checks devices.d entries a write would add, one at a time, with the
 * loader's own code and messages (those of `deskprov check`), against a
 * loaded snapshot and the entries checked before, without loading the rest
 * of the configuration again: a write costs the same at 10 and at 10,000
 * devices.  Of the whole configuration it checks what one entry can break:
 * that no other phone has its name, MAC, serial number or link key.  A
 * phone of the snapshot that a checked entry replaces (the same id), or
 * whose devices.d file is gone, no longer counts.  Everything else (packs,
 * settings, phones.yml) is the snapshot's, which a whole load checked. */
struct config_check;
/* A checker over base (borrowed until config_check_free) and the config
 * directory etc it was loaded from. */
struct config_check	*config_check_new(const struct snapshot *base,
			    const char *etc);
/* Checks data as the file rel ("devices.d/<id>.yml") and, when it passes,
 * counts it for the entries checked after it.  The phone as loaded
 * (borrowed until config_check_free), or NULL with err. */
const struct phone	*config_check_device(struct config_check *,
			    const char *rel, const char *data, size_t len,
			    struct diag *err);
void			 config_check_free(struct config_check *);

/* The warnings kept in a snapshot: min(n_warnings, SNAPSHOT_WARN_MAX). */
size_t		 snapshot_warnings_kept(const struct snapshot *);

/* Finds a phone by a lookup key made with ident_key(). */
const struct phone	*snapshot_find(const struct snapshot *, const char *key);
/* Finds a phone by canonical MAC. */
const struct phone	*snapshot_find_mac(const struct snapshot *,
			    const char *mac);
/* The vendor as pages name it: the pack, or Cisco's flat profile. */
const char		*snapshot_vendor_name(const struct phone *);

#endif
