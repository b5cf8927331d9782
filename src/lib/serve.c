#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static ssize_t
stdin_read(void *ctx, char *p, size_t n)
{
	(void)ctx;
	return read(STDIN_FILENO, p, n);
}

static void
fill_request(struct request *rq, getparam_fn get, void *ctx)
{
	memset(rq, 0, sizeof(*rq));
	rq->method = get(ctx, "REQUEST_METHOD");
	rq->uri = get(ctx, "REQUEST_URI");
	rq->remote_addr = get(ctx, "REMOTE_ADDR");
	rq->forwarded_for = get(ctx, "HTTP_X_FORWARDED_FOR");
	rq->user_agent = get(ctx, "HTTP_USER_AGENT");
	rq->if_none_match = get(ctx, "HTTP_IF_NONE_MATCH");
	rq->remote_user = get(ctx, "REMOTE_USER");
	rq->content_length = get(ctx, "CONTENT_LENGTH");
	rq->content_type = get(ctx, "CONTENT_TYPE");
	/* Without REQUEST_URI (some CGI setups), rebuild it. */
	if (rq->uri == NULL)
		rq->uri = get(ctx, "PATH_INFO");
}

/* Runs the handler and logs the outcome; the caller writes `out`. */
static void
handle(const char *prog, handler_fn fn, void *app, struct request *rq,
    struct buf *out)
{
	struct response rs;
	struct logline log;

	response_init(&rs);
	logline_start(&log, prog);
	logline_str(&log, "client", rq->remote_addr);
	fn(app, rq, &rs, &log);
	logline_str(&log, "outcome", rs.outcome);
	logline_int(&log, "status", rs.status);
	logline_int(&log, "bytes", rs.omit_body || rs.status == 304 ? 0 :
	    (long long)rs.body.len);
	logline_strn(&log, "ua", rq->user_agent, rq->user_agent ?
	    strnlen(rq->user_agent, 200) : 0);
	logline_end(&log);
	response_serialize(&rs, out);
	response_free(&rs);
}

int
serve_cgi_once(const char *prog, handler_fn fn, void *app)
{
	struct request rq;
	struct buf out;
	size_t off = 0;
	ssize_t w;

	buf_init(&out);
	fill_request(&rq, env_param, NULL);
	rq.read_body = stdin_read;
	handle(prog, fn, app, &rq, &out);
	while (off < out.len &&
	    (w = write(STDOUT_FILENO, out.data + off, out.len - off)) > 0)
		off += (size_t)w;
	buf_free(&out);
	return off == out.len ? 0 : 1;
}

int
serve_main(const char *prog, handler_fn fn, void *app)
{
	FCGX_Request req;
	struct request rq;
	struct buf out;

	if (FCGX_IsCGI())
		return serve_cgi_once(prog, fn, app);
	/* A phone hanging up mid-answer must not kill the process. */
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0) {
		fprintf(stderr, "deskprov[%s]: cannot initialise FastCGI\n",
		    prog);
		return 1;
	}
	buf_init(&out);
	while (FCGX_Accept_r(&req) >= 0) {
		fill_request(&rq, fcgi_param, &req);
		rq.read_body = fcgi_read;
		rq.body_ctx = &req;
		buf_reset(&out);
		handle(prog, fn, app, &rq, &out);
		FCGX_PutStr(out.data, (int)out.len, req.out);
		FCGX_Finish_r(&req);
	}
	buf_free(&out);
	return 0;
}
