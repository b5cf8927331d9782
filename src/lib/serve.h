/* The accept → handle → respond → free loop shared by every executable. It
 * runs as FastCGI under a web server, or answers one request as plain CGI
 * when started with the request in its environment. */
#ifndef DESKPROV_SERVE_H
#define DESKPROV_SERVE_H

#include "http.h"
#include "log.h"
#include "metrics.h"

typedef void	(*handler_fn)(void *app, const struct request *,
		    struct response *, struct logline *);

/* Runs until the web server closes the socket; returns the exit status.
 * Every request is counted in `m` (which may be NULL). */
int	serve_main(const char *prog, handler_fn, void *app, struct metrics *m);

/* Answers one request described by the process environment (CGI), writing
 * the response to stdout.  Used by serve_main and the command-line tool. */
int	serve_cgi_once(const char *prog, handler_fn, void *app,
	    struct metrics *m);

#endif
