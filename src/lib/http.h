/* Requests and responses independent of FastCGI, so handlers can be run
 * from tests, the command-line tool and the FastCGI loop alike. */
#ifndef DESKPROV_HTTP_H
#define DESKPROV_HTTP_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

#define URI_MAX		1024	/* longer request URIs are refused */

/* Borrowed pointers into the server's environment, valid for one request. */
struct request {
	const char	*method;
	const char	*uri;		/* REQUEST_URI, raw */
	const char	*remote_addr;
	const char	*forwarded_for;	/* X-Forwarded-For */
	const char	*user_agent;
	const char	*if_none_match;
	const char	*remote_user;
	const char	*content_length;
	const char	*content_type;
	const char	*if_match;	/* the management API's writes */
	const char	*host;		/* HTTP_HOST */
	const char	*https;		/* HTTPS: "on" behind TLS */
	/* Reads up to n body bytes; 0 at the end, -1 on error. */
	ssize_t		(*read_body)(void *ctx, char *, size_t n);
	void		*body_ctx;
};

struct response {
	int		 status;
	const char	*content_type;
	struct buf	 headers;	/* extra "Name: value\r\n" lines */
	struct buf	 body;
	int		 omit_body;	/* HEAD: headers only */
	const char	*outcome;	/* short word for the log line */
};

void	 response_init(struct response *);
void	 response_free(struct response *);
void	 response_header(struct response *, const char *name,
	    const char *value);
/* Sets a status with a one-line plain-text body. */
void	 response_error(struct response *, int status, const char *outcome,
	    const char *message);
/* Writes status line, headers and (unless omitted) body in CGI form. */
void	 response_serialize(const struct response *, struct buf *out);
/* Writes only the status line and headers (with the blank line); returns
 * whether the body follows.  Lets a caller send a large body without
 * copying it once more. */
int	 response_serialize_head(const struct response *, struct buf *out);
const char	*http_status_text(int status);

/* Copies the path of a raw REQUEST_URI (query dropped), percent-decoded.
 * Refuses invalid escapes, NUL and anything longer than outsz - 1.  */
int	 uri_path_decode(const char *uri, char *out, size_t outsz);

/* True when an If-None-Match header value matches the entity tag `etag`
 * (which includes its quotes), with weak comparison as RFC 9110 says. */
int	 etag_matches(const char *if_none_match, const char *etag);

#endif
