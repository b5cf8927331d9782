/* deskprov-pnpd: answers the SIP Plug-and-Play SUBSCRIBEs of phones that
 * look for their provisioning server (pnp.h, deskprov-pnpd(8)). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pnp_serve.h"

int
main(int argc, char **argv)
{
	struct app app;
	struct pnp pnp;
	const struct snapshot *s;
	char err[512];
	int fd, rc = 1;

	if (argc > 1) {
		fprintf(stderr, "usage: deskprov-pnpd (settings: the pnp: "
		    "section of serviceconfig.yml)\n");
		return strcmp(argv[1], "-h") == 0 ? 0 : 2;
	}
	app_init_server(&app, "pnpd");
	if ((s = config_state_get(&app.cs)) == NULL) {
		log_msg(app.prog, "error", "no configuration: %s", app.cs.error);
		goto out;
	}
	if (!s->svc.pnp.enabled) {
		log_msg(app.prog, "error", "pnp.enabled is off in "
		    "serviceconfig.yml");
		goto out;
	}
	if (pnp_init(&pnp, &s->svc.pnp, app.data_dir, app.metrics, err,
	    sizeof(err)) < 0 ||
	    (fd = pnp_serve_open(&s->svc.pnp, err, sizeof(err))) < 0) {
		log_msg(app.prog, "error", "%s", err);
		goto out_pnp;
	}
	if (pnp_serve_drop(s->svc.pnp.user, err, sizeof(err)) < 0) {
		log_msg(app.prog, "error", "%s", err);
		close(fd);
		goto out_pnp;
	}
	if (s->svc.pnp.one_time_links && s->svc.links.base_url == NULL)
		log_msg(app.prog, "warning", "pnp.one_time_links needs "
		    "links.base_url; phones get their plain URL");
	log_msg(app.prog, "info", "listening on UDP port %ld, group "
	    PNP_MCAST_GROUP, s->svc.pnp.port);
	rc = pnp_serve_loop(&app, &pnp, fd, s->svc.pnp.port);
	close(fd);
out_pnp:
	pnp_free(&pnp);
out:
	app_free(&app);
	return rc;
}
