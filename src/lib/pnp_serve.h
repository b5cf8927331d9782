/* deskprov-pnpd's sockets and loop (see pnp.h for what it answers). */
#ifndef DESKPROV_PNP_SERVE_H
#define DESKPROV_PNP_SERVE_H

#include "app.h"
#include "pnp.h"

/* Binds UDP port set->port on every IPv4 address and joins 224.0.1.75 on
 * each of set->interfaces (names or addresses; none: the default
 * interface).  The socket, or -1 with err. */
int	pnp_serve_open(const struct pnp_settings *, char *err, size_t errsz);
/* As root: becomes `user` (groups, gid, uid; checked that root cannot be
 * had back).  Not root: nothing to do.  0, or -1 with err (root without a
 * user is an error: the daemon never serves as root). */
int	pnp_serve_drop(const char *user, char *err, size_t errsz);
/* Serves until SIGTERM or SIGINT; 0. */
int	pnp_serve_loop(struct app *, struct pnp *, int fd, long port);

#endif
