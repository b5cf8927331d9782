/* deskprov: the command-line tool.  It links the same library as the
 * FastCGI executables, so what it checks and renders is exactly what they
 * would do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "profile.h"
#include "reload.h"
#include "settings.h"

static void
usage(void)
{
	fputs("usage: deskprov check [ETC]\n"
	    "       deskprov render IDENT [--ua USER-AGENT] [--ip ADDRESS] "
	    "[--etc ETC]\n"
	    "       deskprov version\n"
	    "ETC defaults to $DESKPROV_ETC, else ./etc; schema.yml is read "
	    "from ETC, else $DESKPROV_SCHEMA_DIR.\n", stderr);
	exit(2);
}

static void
warn_passwords(const struct snapshot *s)
{
	for (size_t i = 0; i < s->svc.n_users; i++)
		if (s->svc.users[i].has_password)
			printf("note: serviceconfig.yml: the password of user "
			    "'%s' is not used; put it in the web server's "
			    "password file (htpasswd)\n", s->svc.users[i].id);
}

static int
cmd_check(int argc, char **argv)
{
	struct config_state cs;
	const struct snapshot *s;

	if (argc > 1)
		setenv("DESKPROV_ETC", argv[1], 1);
	config_state_init(&cs, "check");
	s = cs.snap;
	if (s == NULL) {
		fprintf(stderr, "%s\n", cs.error);
		config_state_free(&cs);
		return 1;
	}
	printf("ok: %s: %zu phones, %zu common and %zu schema parameters, "
	    "loaded in %.3f s\n", cs.etc, s->n_phones, s->n_common,
	    s->n_schema, s->load_seconds);
	warn_passwords(s);
	config_state_free(&cs);
	return 0;
}

static int
cmd_render(int argc, char **argv)
{
	struct request rq;
	struct response rs;
	struct logline log;
	struct config_state cs;
	struct buf uri, out;
	int rc;

	if (argc < 2)
		usage();
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.remote_addr = "127.0.0.1";
	for (int i = 2; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--ua") == 0)
			rq.user_agent = argv[++i];
		else if (strcmp(argv[i], "--ip") == 0)
			rq.remote_addr = argv[++i];
		else if (strcmp(argv[i], "--etc") == 0)
			setenv("DESKPROV_ETC", argv[++i], 1);
		else
			usage();
	}
	buf_init(&uri);
	buf_printf(&uri, "/%s.xml", argv[1]);
	rq.uri = uri.data;
	config_state_init(&cs, "render");
	response_init(&rs);
	logline_start(&log, "render");
	profile_handle(&cs, &rq, &rs, &log);
	logline_discard(&log);
	buf_init(&out);
	response_serialize(&rs, &out);
	fwrite(out.data, 1, out.len, stdout);
	rc = rs.status < 400 ? 0 : 1;
	if (rs.status >= 500 && cs.error[0])
		fprintf(stderr, "%s\n", cs.error);
	buf_free(&out);
	buf_free(&uri);
	response_free(&rs);
	config_state_free(&cs);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "render") == 0)
		return cmd_render(argc - 1, argv + 1);
	if (strcmp(argv[1], "version") == 0) {
		printf("deskprov %s\n", DESKPROV_VERSION);
		return 0;
	}
	usage();
	return 2;
}
