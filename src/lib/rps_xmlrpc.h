/* XML-RPC for the redirect services, through xmlrpc-c's value building,
 * serialising and response parsing (libxmlrpc, Debian's
 * libxmlrpc-core-c3; https://xmlrpc-c.sourceforge.io/), never through
 * hand-built XML and never through its transport: libcurl (rps_http.c)
 * carries the bytes. */
#ifndef DESKPROV_RPS_XMLRPC_H
#define DESKPROV_RPS_XMLRPC_H

#include <stddef.h>

#include "buf.h"

/* One positional parameter: a string, or an array of strings. */
struct rps_xmlrpc_arg {
	const char		*s;	/* a string, or NULL for the array */
	const char *const	*v;	/* the array's strings */
	size_t			 n;
};

/* Appends a methodCall of method with args to out.  -1 with err on a
 * failure of the library (a string that is not valid UTF-8). */
int	rps_xmlrpc_call(const char *method, const struct rps_xmlrpc_arg *,
	    size_t nargs, struct buf *out, char *err, size_t errsz);

/* The shapes of answer the vendors give. */
enum rps_xmlrpc_kind {
	RPS_XMLRPC_PAIR,	/* [boolean, message]: every vendor's */
	RPS_XMLRPC_BOOL,	/* a bare boolean */
	RPS_XMLRPC_STRING,	/* a bare string: check calls */
	RPS_XMLRPC_FAULT,	/* a <fault> */
};

#define RPS_XMLRPC_MSG_MAX	512

struct rps_xmlrpc_reply {
	enum rps_xmlrpc_kind	 kind;
	int			 ok;		/* PAIR, BOOL */
	int			 fault_code;	/* FAULT */
	/* The message (PAIR, STRING) or fault string, cut to fit, bytes
	 * outside printable ASCII replaced by '?': it goes to JSON answers,
	 * logs and pages. */
	char			 msg[RPS_XMLRPC_MSG_MAX];
};

/* Parses a methodResponse of n bytes.  0 with *r filled; -1 for anything
 * else (not XML, not XML-RPC, another shape, a DOCTYPE), with why in err.
 * Bounded: a DOCTYPE is refused before parsing (no entity is ever
 * expanded), nesting is xmlrpc-c's limit, size the caller's cap. */
int	rps_xmlrpc_parse(const char *xml, size_t n, struct rps_xmlrpc_reply *r,
	    char *err, size_t errsz);

#endif
