/* deskprov-pnpd's sockets: one UDP socket on the PnP port that joins
 * 224.0.1.75 on each configured interface, privileges dropped once it is
 * bound, then receive -> pnp_handle() -> send to the source until a
 * signal asks to stop. */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pnp_serve.h"

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static double
monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An interface by name ("eth0") or by one of its IPv4 addresses. */
static int
join(int fd, const char *iface, char *err, size_t errsz)
{
	struct ip_mreqn mr;

	memset(&mr, 0, sizeof(mr));
	inet_pton(AF_INET, PNP_MCAST_GROUP, &mr.imr_multiaddr);
	if (iface != NULL && inet_pton(AF_INET, iface, &mr.imr_address) != 1 &&
	    (mr.imr_ifindex = (int)if_nametoindex(iface)) == 0) {
		snprintf(err, errsz, "no interface %.64s", iface);
		return -1;
	}
	if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) <
	    0) {
		snprintf(err, errsz, "joining " PNP_MCAST_GROUP " on %.64s: %s",
		    iface != NULL ? iface : "the default interface",
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
pnp_serve_open(const struct pnp_settings *set, char *err, size_t errsz)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)set->port),
	    .sin_addr.s_addr = htonl(INADDR_ANY) };
	int fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(err, errsz, "UDP port %ld: %s", set->port,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (set->interfaces.n == 0 && join(fd, NULL, err, errsz) < 0)
		goto fail;
	for (size_t i = 0; i < set->interfaces.n; i++)
		if (join(fd, set->interfaces.items[i], err, errsz) < 0)
			goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

int
pnp_serve_drop(const char *user, char *err, size_t errsz)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	if (user == NULL) {
		snprintf(err, errsz, "running as root: set pnp.user in "
		    "serviceconfig.yml to the user to run as");
		return -1;
	}
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(err, errsz, "no user %.64s", user);
		return -1;
	}
	if (setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 ||
	    setuid(pw->pw_uid) < 0 || setuid(0) == 0) {
		snprintf(err, errsz, "cannot become %.64s: %s", user,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* One datagram in: its bytes, source, and the local address it reached
 * (IP_PKTINFO), which replies leave from and the URL names. */
static ssize_t
receive(int fd, char *buf, size_t bufsz, struct pnp_datagram *d,
    struct in_pktinfo *pi, long port)
{
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct iovec iov = { buf, bufsz };
	struct msghdr mh = { .msg_name = &d->src,
	    .msg_namelen = sizeof(d->src), .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	ssize_t n = recvmsg(fd, &mh, MSG_TRUNC);

	memset(pi, 0, sizeof(*pi));
	if (n < 0)
		return n;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c != NULL;
	    c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
			memcpy(pi, CMSG_DATA(c), sizeof(*pi));
	inet_ntop(AF_INET, &pi->ipi_spec_dst, d->local_host,
	    sizeof(d->local_host));
	snprintf(d->local, sizeof(d->local), "%s:%ld", d->local_host, port);
	return n;
}

static void
reply(int fd, const struct pnp_datagram *d, const struct in_pktinfo *in,
    const struct buf *b)
{
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct in_pktinfo pi = { .ipi_spec_dst = in->ipi_spec_dst };
	struct iovec iov = { b->data, b->len };
	struct msghdr mh = { .msg_name = (void *)(uintptr_t)&d->src,
	    .msg_namelen = sizeof(struct sockaddr_in), .msg_iov = &iov,
	    .msg_iovlen = 1, .msg_control = cbuf,
	    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	memset(cbuf, 0, sizeof(cbuf));
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	if (sendmsg(fd, &mh, 0) < 0)
		log_msg("pnpd", "warning", "send: %s", strerror(errno));
}

static void
one(struct app *app, struct pnp *p, int fd, long port)
{
	static char buf[SIP_MSG_MAX + 1];
	struct pnp_datagram d = { .data = buf };
	struct pnp_result r;
	struct in_pktinfo pi;
	struct logline log;
	const struct snapshot *s;
	ssize_t n;

	if ((n = receive(fd, buf, sizeof(buf), &d, &pi, port)) < 0)
		return;
	/* MSG_TRUNC: n is the datagram's real size, so an oversized one
	 * is refused as such instead of parsed cut. */
	d.len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf);
	d.now = monotonic();
	d.wall = (long long)time(NULL);
	if ((s = config_state_get(&app->cs)) == NULL)
		return;
	pnp_result_init(&r);
	logline_start(&log, app->prog);
	pnp_handle(p, s, &d, &r, &log);
	logline_end(&log);
	if (r.send) {
		reply(fd, &d, &pi, &r.ok);
		reply(fd, &d, &pi, &r.notify);
	}
	pnp_result_free(&r);
}

int
pnp_serve_loop(struct app *app, struct pnp *p, int fd, long port)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	while (!stopping) {
		one(app, p, fd, port);
		app_after_request(app);
	}
	return 0;
}
