/* The accept → handle → respond → free loop shared by every executable. It
 * runs as FastCGI under a web server, or answers one request as plain CGI
 * when started with the request in its environment. */
#ifndef DESKPROV_SERVE_H
#define DESKPROV_SERVE_H

#include "app.h"
#include "http.h"
#include "log.h"

/* Every program's request handler has this shape: it answers into rs and
 * adds its details to the log line, which serve.c starts and ends. */
typedef void	(*handler_fn)(struct app *, const struct request *,
		    struct response *, struct logline *);

/* Runs until the web server closes the socket; returns the exit status.
 * Every request is logged under app->prog and counted in app->metrics. */
int	serve_main(struct app *, handler_fn);

/* Answers one request described by the process environment (CGI), writing
 * the response to stdout. */
int	serve_cgi_once(struct app *, handler_fn);

#endif
