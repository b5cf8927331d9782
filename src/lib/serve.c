#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "instrument.h"
#include "serve.h"

typedef const char	*(*getparam_fn)(void *, const char *);

static const char *
env_param(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

static const char *
fcgi_param(void *ctx, const char *name)
{
	return FCGX_GetParam(name, ((FCGX_Request *)ctx)->envp);
}

static ssize_t
fcgi_read(void *ctx, char *p, size_t n)
{
	int r = FCGX_GetStr(p, (int)(n > 65536 ? 65536 : n),
	    ((FCGX_Request *)ctx)->in);

	return r < 0 ? -1 : r;
}

static void
fcgi_log(void *ctx, const char *line, size_t n)
{
	FCGX_PutStr(line, (int)n, (FCGX_Stream *)ctx);
}

static ssize_t
stdin_read(void *ctx, char *p, size_t n)
{
	(void)ctx;
	return read(STDIN_FILENO, p, n);
}

/* The one place a request is read from the server's variables, whether
 * they come from FastCGI or from a CGI environment. */
static struct request
request_from(getparam_fn get, void *ctx, ssize_t (*read_body)(void *,
    char *, size_t), void *body_ctx)
{
	const char *uri = get(ctx, "REQUEST_URI");

	return (struct request){
		.method = get(ctx, "REQUEST_METHOD"),
		/* Without REQUEST_URI (some CGI setups), rebuild it. */
		.uri = uri != NULL ? uri : get(ctx, "PATH_INFO"),
		.remote_addr = get(ctx, "REMOTE_ADDR"),
		.forwarded_for = get(ctx, "HTTP_X_FORWARDED_FOR"),
		.user_agent = get(ctx, "HTTP_USER_AGENT"),
		.if_none_match = get(ctx, "HTTP_IF_NONE_MATCH"),
		.remote_user = get(ctx, "REMOTE_USER"),
		.content_length = get(ctx, "CONTENT_LENGTH"),
		.content_type = get(ctx, "CONTENT_TYPE"),
		.if_match = get(ctx, "HTTP_IF_MATCH"),
		.host = get(ctx, "HTTP_HOST"),
		.https = get(ctx, "HTTPS"),
		.origin = get(ctx, "HTTP_ORIGIN"),
		.referer = get(ctx, "HTTP_REFERER"),
		.read_body = read_body,
		.body_ctx = body_ctx,
	};
}

/* Runs the handler and logs the outcome; the caller sends the response
 * (head in `head`, body in rs->body when the return value says so) and
 * frees it. */
static int
handle(struct app *app, handler_fn fn, struct request *rq,
    struct response *rs, struct buf *head)
{
	struct logline log;

	logline_start(&log, app->prog);
	logline_str(&log, "client", rq->remote_addr);
	fn(app, rq, rs, &log);
	instrument_request(app->metrics, app->prog, rs);
	logline_str(&log, "outcome", rs->outcome);
	logline_int(&log, "status", rs->status);
	logline_int(&log, "bytes", rs->omit_body || rs->status == 304 ? 0 :
	    (long long)rs->body.len);
	logline_strn(&log, "ua", rq->user_agent, rq->user_agent ?
	    strnlen(rq->user_agent, 200) : 0);
	logline_end(&log);
	return response_serialize_head(rs, head);
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
serve_cgi_once(struct app *app, handler_fn fn)
{
	struct request rq;
	struct response rs;
	struct buf head;
	int rc;

	buf_init(&head);
	response_init(&rs);
	rq = request_from(env_param, NULL, stdin_read, NULL);
	if (handle(app, fn, &rq, &rs, &head))
		rc = write_all(STDOUT_FILENO, head.data, head.len) < 0 ||
		    write_all(STDOUT_FILENO, rs.body.data, rs.body.len) < 0;
	else
		rc = write_all(STDOUT_FILENO, head.data, head.len) < 0;
	buf_free(&head);
	response_free(&rs);
	app_after_request(app);
	return rc;
}

/* spawn-fcgi connects its children's stderr to /dev/null (or closes it):
 * then the log lines go to the request's FastCGI error stream, which the
 * web server writes to its error log.  Otherwise (lighttpd's own spawning,
 * systemd, a shell redirect) stderr is where the admin wants them. */
static int
stderr_goes_nowhere(void)
{
	struct stat err, null;

	if (fstat(STDERR_FILENO, &err) < 0)
		return 1;
	return stat("/dev/null", &null) == 0 && S_ISCHR(err.st_mode) &&
	    err.st_rdev == null.st_rdev;
}

int
serve_main(struct app *app, handler_fn fn)
{
	FCGX_Request req;
	struct request rq;
	struct response rs;
	struct buf head;
	int to_fcgi_err;

	if (FCGX_IsCGI())
		return serve_cgi_once(app, fn);
	/* A phone hanging up mid-answer must not kill the process. */
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0) {
		fprintf(stderr, "deskprov[%s]: cannot initialise FastCGI\n",
		    app->prog);
		return 1;
	}
	buf_init(&head);
	to_fcgi_err = stderr_goes_nowhere();
	while (FCGX_Accept_r(&req) >= 0) {
		rq = request_from(fcgi_param, &req, fcgi_read, &req);
		buf_reset(&head);
		response_init(&rs);
		if (to_fcgi_err)
			log_set_sink(fcgi_log, req.err);
		/* The body goes out straight from the handler's buffer. */
		if (handle(app, fn, &rq, &rs, &head)) {
			FCGX_PutStr(head.data, (int)head.len, req.out);
			FCGX_PutStr(rs.body.data, (int)rs.body.len, req.out);
		} else
			FCGX_PutStr(head.data, (int)head.len, req.out);
		response_free(&rs);
		log_set_sink(NULL, NULL);
		FCGX_Finish_r(&req);
		app_after_request(app);
	}
	buf_free(&head);
	return 0;
}
