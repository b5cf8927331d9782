/* Fuzz driver: any bytes through the hardened libxml2 parse, with small
 * attribute limits so that the pre-scan's count meets libxml2's own
 * reading of start tags often.  Whatever the input: at most one problem,
 * -1 exactly when there was one, its line inside the input, and no
 * handler after it. */
#include <stdint.h>
#include <string.h>

#include "xmlsafe.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct state {
	int		 problems;
	size_t		 attrs;		/* seen on the widest element */
	unsigned	 lines;
};

static void
on_start(struct xmlsafe *x, const char *name, const char *prefix,
    int nb_attrs, const xmlChar **attrs)
{
	struct state *st = xmlsafe_user(x);

	(void)name; (void)prefix; (void)attrs;
	if (st->problems != 0)
		__builtin_trap();
	if ((size_t)nb_attrs > st->attrs)
		st->attrs = (size_t)nb_attrs;
}

static void
on_text(struct xmlsafe *x, const char *s, size_t n)
{
	struct state *st = xmlsafe_user(x);

	if (st->problems != 0 || (n > 0 && s == NULL))
		__builtin_trap();
}

static void
on_problem(struct xmlsafe *x, const struct xmlsafe_problem *p)
{
	struct state *st = xmlsafe_user(x);

	if (st->problems++ != 0 || p->msg == NULL || p->msg[0] == '\0' ||
	    p->line > st->lines || xmlsafe_open_element(x) == NULL)
		__builtin_trap();
}

static const struct xmlsafe_sax handlers = {
	.start = on_start,
	.text = on_text,
	.problem = on_problem,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state st = { 0, 0, 1 };
	const struct xmlsafe_opts opts = {
		.sax = &handlers,
		.user = &st,
		.max_attrs = 4,
		.max_attrs_total = 16,
	};
	int rc;

	for (size_t i = 0; i < size; i++)
		st.lines += data[i] == '\n';
	rc = xmlsafe_parse(&opts, (const char *)data, size);
	if ((rc == -1) != (st.problems == 1) || st.attrs > 4)
		__builtin_trap();
	return 0;
}
