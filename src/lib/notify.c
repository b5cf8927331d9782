#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "notify.h"
#include "sip.h"

/* ---- the bucket ---- */

void
notify_bucket_init(struct notify_bucket *b, double rate, double now)
{
	b->rate = rate > 0 ? rate : 1;
	b->cap = b->rate / 20 > 1 ? b->rate / 20 : 1;
	b->tokens = 1;
	b->last = now;
}

double
notify_bucket_take(struct notify_bucket *b, double now)
{
	b->tokens += (now - b->last) * b->rate;
	if (b->tokens > b->cap)
		b->tokens = b->cap;
	b->last = now;
	/* A nanosecond's worth of rounding is no reason to sleep again. */
	if (b->tokens >= 1 - 1e-9) {
		b->tokens -= 1;
		return 0;
	}
	return (1 - b->tokens) / b->rate;
}

static double
monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_for(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) *
	    1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- selection ---- */

static const char *
vendor_of(const struct phone *ph)
{
	if (ph->pack == NULL)
		return "cisco";
	return strncmp(ph->pack->name, "cisco", 5) == 0 ? "cisco" :
	    ph->pack->name;
}

static const char *
model_of(const struct phone *ph)
{
	return ph->pmodel != NULL ? ph->pmodel->name : ph->model;
}

static int
selected(const struct phone *ph, const char *sel, const struct phone *one)
{
	const char *m;

	if (ph->mac[0] == '\0')
		return 0;
	if (one != NULL)
		return ph == one;
	if (strcmp(sel, "all") == 0)
		return 1;
	if (strncmp(sel, "vendor:", 7) == 0)
		return (ph->pack != NULL && strcasecmp(ph->pack->name, sel + 7)
		    == 0) || strcasecmp(vendor_of(ph), sel + 7) == 0;
	if (strncmp(sel, "model:", 6) == 0)
		return (m = model_of(ph)) != NULL && strcasecmp(m, sel + 6) ==
		    0;
	return 0;
}

/* The phone entry's sip_contact, which wins over a learned one: an
 * admin sets it where learning cannot work (a NAT, no PnP). */
static int
configured(const struct phone *ph, struct contact *c)
{
	if (ph->sip_addr == NULL)
		return 0;
	memset(c, 0, sizeof(*c));
	memcpy(c->mac, ph->mac, sizeof(c->mac));
	snprintf(c->addr, sizeof(c->addr), "%s", ph->sip_addr);
	c->port = ph->sip_port;
	snprintf(c->source, sizeof(c->source), "config");
	return 1;
}

long
notify_select(const struct snapshot *s, const char *data_dir,
    const char *sel, struct notify_target **out, char *err, size_t errsz)
{
	const struct phone *one = NULL;
	char key[IDENT_MAX + 1];
	size_t n = 0;

	*out = NULL;
	if (strcmp(sel, "all") != 0 && strncmp(sel, "vendor:", 7) != 0 &&
	    strncmp(sel, "model:", 6) != 0) {
		if (ident_plausible(sel, strlen(sel))) {
			ident_key(sel, strlen(sel), key);
			one = snapshot_find(s, key);
		}
		if (one == NULL || one->mac[0] == '\0') {
			snprintf(err, errsz, "no phone with a MAC is called %s",
			    DIAG_Q(sel));
			return -1;
		}
	}
	*out = xcalloc(s->n_phones + 1, sizeof(**out));
	for (size_t i = 0; i < s->n_phones; i++) {
		const struct phone *ph = &s->phones[i];
		struct notify_target *t = &(*out)[n];

		if (!selected(ph, sel, one))
			continue;
		memcpy(t->mac, ph->mac, sizeof(t->mac));
		t->id = ph->id;
		t->vendor = vendor_of(ph);
		t->have_contact = configured(ph, &t->c) ||
		    contact_get(data_dir, ph->mac, &t->c) == 0;
		n++;
	}
	return (long)n;
}

/* ---- sending ---- */

struct sender {
	int		 fd;
	unsigned	 port;		/* its own, for Via and Contact */
	unsigned	 tag;		/* per run, random */
	char		*answered;	/* per target: 0, 1 ok, 2 refused */
	size_t		 n;
	struct in6_addr	 last_peer;	/* local_for() of the last target */
	char		 last_local[80];
};

/* The address of this host toward `to` (what the routing table picks),
 * as "host:port" with the sender's own port. */
static void
local_for(const struct sockaddr_in6 *to, unsigned port, char *out,
    size_t outsz)
{
	struct sockaddr_in6 me;
	socklen_t len = sizeof(me);
	char host[INET6_ADDRSTRLEN] = "0.0.0.0";
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && connect(fd, (const struct sockaddr *)to,
	    sizeof(*to)) == 0 && getsockname(fd, (struct sockaddr *)&me,
	    &len) == 0) {
		if (IN6_IS_ADDR_V4MAPPED(&me.sin6_addr))
			inet_ntop(AF_INET, me.sin6_addr.s6_addr + 12, host,
			    sizeof(host));
		else
			inet_ntop(AF_INET6, &me.sin6_addr, host, sizeof(host));
	}
	if (fd >= 0)
		close(fd);
	snprintf(out, outsz, strchr(host, ':') ? "[%s]:%u" : "%s:%u", host,
	    port);
}

/* Every target as an IPv6 socket address (IPv4 ones mapped), so that one
 * dual-stack socket reaches both. */
static int
target_addr(const struct contact *c, struct sockaddr_in6 *a)
{
	struct in_addr v4;

	memset(a, 0, sizeof(*a));
	a->sin6_family = AF_INET6;
	a->sin6_port = htons((uint16_t)c->port);
	if (inet_pton(AF_INET, c->addr, &v4) == 1) {
		a->sin6_addr.s6_addr[10] = 0xff;
		a->sin6_addr.s6_addr[11] = 0xff;
		memcpy(a->sin6_addr.s6_addr + 12, &v4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, c->addr, &a->sin6_addr) == 1 ? 0 : -1;
}

/* data_dir/pnp/notified.count: how many markers may be waiting.  mark()
 * counts one before it creates a marker, notify_confirm() one less after
 * it claimed one.  While it is 0 a fetch has nothing to claim and asks
 * the file system nothing: every 200 of profile.fcgi used to try an
 * unlink(2), about 3 us of its 20.  A marker removed by hand leaves the
 * count above 0, and fetches look as they did before. */
#define PENDING_FILE	"notified.count"

static uint64_t *
pending_map(const char *data_dir)
{
	char path[4096];
	struct stat st;
	void *p = MAP_FAILED;
	int fd;

	snprintf(path, sizeof(path), "%s/" CONTACT_DIR, data_dir);
	if (mkdir(path, 0750) < 0 && errno != EEXIST)
		return NULL;
	snprintf(path, sizeof(path), "%s/" CONTACT_DIR "/" PENDING_FILE,
	    data_dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0640)) < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && (st.st_size >= (off_t)sizeof(uint64_t) ||
	    ftruncate(fd, sizeof(uint64_t)) == 0))
		p = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

/* The count of data_dir, mapped once per process (and again when the
 * data directory changes, as between tests); NULL when it cannot be:
 * then every fetch looks for its marker. */
static uint64_t *
pending_of(const char *data_dir)
{
	static char dir[4096];
	static uint64_t *count;

	if (count != NULL && strcmp(dir, data_dir) == 0)
		return count;
	if (count != NULL)
		munmap(count, sizeof(uint64_t));
	snprintf(dir, sizeof(dir), "%s", data_dir);
	return count = pending_map(data_dir);
}

/* The marker notify_confirm() claims; a failure only loses the
 * confirmation, never the NOTIFY.  Counted first, so that a fetch that
 * sees no count finds no marker either. */
static void
mark(const char *data_dir, const char *mac)
{
	char path[4096];
	uint64_t *count;
	int fd;

	if (data_dir == NULL)
		return;
	if ((count = pending_of(data_dir)) != NULL)
		__atomic_add_fetch(count, 1, __ATOMIC_SEQ_CST);
	snprintf(path, sizeof(path), "%s/" CONTACT_DIR "/%s.notified",
	    data_dir, mac);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0640)) >= 0)
		close(fd);
	else if (count != NULL)	/* there already, or none made */
		__atomic_sub_fetch(count, 1, __ATOMIC_SEQ_CST);
}

static int
send_one(struct sender *sd, const struct notify_target *t, size_t i,
    int reboot)
{
	struct sockaddr_in6 to;
	char local[80], target[80], branch[32], tag[24], callid[64];
	struct buf b;
	ssize_t w;
	int rc;

	if (target_addr(&t->c, &to) < 0)
		return -1;
	/* Phones of one site share a route: ask the kernel once a peer. */
	if (memcmp(&to.sin6_addr, &sd->last_peer, sizeof(to.sin6_addr)) != 0 ||
	    sd->last_local[0] == '\0') {
		local_for(&to, sd->port, sd->last_local, sizeof(sd->last_local));
		sd->last_peer = to.sin6_addr;
	}
	snprintf(local, sizeof(local), "%s", sd->last_local);
	snprintf(target, sizeof(target), strchr(t->c.addr, ':') ?
	    "[%s]:%u" : "%s:%u", t->c.addr, t->c.port);
	snprintf(branch, sizeof(branch), "dn%x%zx", sd->tag, i);
	snprintf(tag, sizeof(tag), "dn%x", sd->tag);
	snprintf(callid, sizeof(callid), "dn%x-%zu@deskprov", sd->tag, i);
	buf_init(&b);
	sip_build_notify(&(struct sip_notify){ .local = local,
	    .target = target, .user = t->mac,
	    .event = sip_resync_event(t->vendor, reboot), .branch = branch,
	    .tag = tag, .call_id = callid, .cseq = 1 }, &b);
	w = sendto(sd->fd, b.data, b.len, 0, (struct sockaddr *)&to,
	    sizeof(to));
	rc = w == (ssize_t)b.len ? 0 : -1;
	buf_free(&b);
	return rc;
}

/* Reads every answer waiting on the socket: a final response whose
 * Call-ID is one of ours marks its target answered (2xx) or refused. */
static void
drain(struct sender *sd)
{
	char buf[SIP_MSG_MAX + 1], want[24];
	struct sip_msg m;
	ssize_t n;

	snprintf(want, sizeof(want), "dn%x-", sd->tag);
	while ((n = recv(sd->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		struct sip_str c;
		size_t i = 0, wl = strlen(want), k;

		if (sip_parse(buf, (size_t)n, &m) != SIP_OK || m.is_request ||
		    m.status < 200)
			continue;
		c = m.h[SIP_H_CALL_ID];
		if (c.n <= wl || strncmp(c.p, want, wl) != 0)
			continue;
		for (k = wl; k < c.n && c.p[k] >= '0' && c.p[k] <= '9' &&
		    i < sd->n; k++)
			i = i * 10 + (size_t)(c.p[k] - '0');
		if (k < c.n && c.p[k] == '@' && i < sd->n &&
		    sd->answered[i] == 0)
			sd->answered[i] = m.status < 300 ? 1 : 2;
	}
}

static void
wait_answers(struct sender *sd, double seconds)
{
	double end = monotonic() + seconds;
	struct pollfd p = { .fd = sd->fd, .events = POLLIN };
	size_t got;

	for (;;) {
		double left = end - monotonic();

		drain(sd);
		got = 0;
		for (size_t i = 0; i < sd->n; i++)
			got += sd->answered[i] != 0;
		if (left <= 0 || got == sd->n)
			return;
		poll(&p, 1, (int)(left * 1000) + 1);
	}
}

static void
tally(const struct sender *sd, const struct notify_target *t,
    const char *sent, struct notify_summary *sum)
{
	for (size_t i = 0; i < sd->n; i++) {
		if (!t[i].have_contact)
			sum->no_contact++;
		else if (!sent[i])
			sum->failed++;
		else if (sd->answered[i] == 1)
			sum->answered++;
		else if (sd->answered[i] == 2)
			sum->refused++;
		else
			sum->no_answer++;
	}
	sum->failed += sum->no_contact + sum->refused + sum->no_answer;
}

/* A dual-stack UDP socket on a port of its own; -1 on failure. */
static int
open_socket(unsigned *port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
	    .sin6_addr = IN6ADDR_ANY_INIT };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0), off = 0;

	if (fd < 0)
		return -1;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(a.sin6_port);
	return fd;
}

int
notify_send_all(const struct notify_target *t, size_t n,
    const struct notify_opts *o, struct notify_summary *sum)
{
	struct sender sd = { .n = n };
	struct notify_bucket bk;
	char *sent;

	memset(sum, 0, sizeof(*sum));
	if ((sd.fd = open_socket(&sd.port)) < 0)
		return -1;
	if (getrandom(&sd.tag, sizeof(sd.tag), GRND_NONBLOCK) < 0)
		sd.tag = (unsigned)getpid() ^ (unsigned)time(NULL);
	sd.answered = xcalloc(n + 1, 1);
	sent = xcalloc(n + 1, 1);
	notify_bucket_init(&bk, o->rate, monotonic());
	for (size_t i = 0; i < n; i++) {
		double w;

		if (!t[i].have_contact)
			continue;
		while ((w = notify_bucket_take(&bk, monotonic())) > 0) {
			drain(&sd);
			sleep_for(w);
		}
		sent[i] = send_one(&sd, &t[i], i, o->reboot) == 0;
		sum->sent += sent[i];
		if (sent[i])
			mark(o->data_dir, t[i].mac);
		if (o->progress != NULL)
			o->progress(o->ctx, i + 1, n);
	}
	wait_answers(&sd, o->wait);
	tally(&sd, t, sent, sum);
	close(sd.fd);
	free(sd.answered);
	free(sent);
	return 0;
}

enum notify_result
notify_phone(const struct snapshot *s, const char *data_dir,
    const char *ident, int reboot, struct notify_target *out)
{
	struct notify_target *t;
	struct notify_summary sum;
	struct notify_opts o = { .rate = 1, .reboot = reboot, .wait = 1.0,
	    .data_dir = data_dir };
	char err[128];
	long n = notify_select(s, data_dir, ident, &t, err, sizeof(err));
	enum notify_result rc;

	if (n != 1)
		rc = NOTIFY_NO_PHONE;
	else if (!t[0].have_contact)
		rc = NOTIFY_NO_CONTACT;
	else if (notify_send_all(t, 1, &o, &sum) < 0)
		rc = NOTIFY_NO_SOCKET;
	else
		rc = sum.answered == 1 ? NOTIFY_ANSWERED : sum.refused ?
		    NOTIFY_REFUSED : NOTIFY_SENT;
	if (out != NULL && n == 1)
		*out = t[0];
	free(t);
	return rc;
}

const char *
notify_result_name(enum notify_result r)
{
	static const char *const names[] = {
		[NOTIFY_ANSWERED] = "answered", [NOTIFY_SENT] = "sent",
		[NOTIFY_REFUSED] = "refused", [NOTIFY_NO_PHONE] = "no_phone",
		[NOTIFY_NO_CONTACT] = "no_contact",
		[NOTIFY_NO_SOCKET] = "no_socket",
	};

	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] :
	    "error";
}

int
notify_confirm(const char *data_dir, const char *mac, struct metrics *m)
{
	uint64_t *count = pending_of(data_dir);
	char path[4096];

	if (count != NULL && __atomic_load_n(count, __ATOMIC_SEQ_CST) == 0)
		return 0;
	snprintf(path, sizeof(path), "%s/" CONTACT_DIR "/%s.notified",
	    data_dir, mac);
	if (unlink(path) < 0)
		return 0;
	if (count != NULL)
		__atomic_sub_fetch(count, 1, __ATOMIC_SEQ_CST);
	metrics_inc(m, METRIC_NOTIFY_CONFIRMED, NULL, 1);
	return 1;
}
