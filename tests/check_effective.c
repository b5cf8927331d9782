/* flatprofile_params() must list exactly what flatprofile_render() sends. */
#include <check.h>
#include <string.h>

#include "config.h"
#include "flatprofile.h"

struct collect {
	const struct snapshot	*snap;
	struct buf		 xml;
	int			 phone_layer;
	int			 common_layer;
};

static void
collect(void *ctx, const struct effective_param *e)
{
	struct collect *c = ctx;

	flatprofile_param_xml(&c->xml, c->snap->param_indent, e->param, e->ua);
	c->phone_layer += e->layer == LAYER_PHONE;
	c->common_layer += e->layer == LAYER_COMMON;
}

START_TEST(test_effective_matches_profile)
{
	struct diag err;
	struct snapshot *s = snapshot_load("etc", "schema", &err);
	struct collect c;
	struct buf body;

	ck_assert_msg(s != NULL, "etc/ does not load: %s", err.msg);
	for (size_t i = 0; i < s->n_phones; i++) {
		const struct phone *ph = &s->phones[i];

		memset(&c, 0, sizeof(c));
		c.snap = s;
		buf_init(&c.xml);
		buf_init(&body);
		flatprofile_render(s, ph, &body);
		flatprofile_params(s, ph, collect, &c);
		ck_assert_uint_eq(body.len, s->head_len + c.xml.len + s->tail_len);
		ck_assert(memcmp(body.data + s->head_len, c.xml.data,
		    c.xml.len) == 0);
		ck_assert_int_eq(c.phone_layer, (int)ph->n_params);
		ck_assert_int_eq(c.common_layer + c.phone_layer > 0, 1);
		buf_free(&c.xml);
		buf_free(&body);
	}
	snapshot_free(s);
}
END_TEST

/* phones.yml's model: is kept for the pages, and never sent to a phone. */
START_TEST(test_model_meta_kept_not_sent)
{
	struct diag err;
	struct snapshot *s = snapshot_load("etc", "schema", &err);
	const struct phone *ph;
	struct buf body;

	ck_assert_msg(s != NULL, "etc/ does not load: %s", err.msg);
	ck_assert_ptr_nonnull(ph = snapshot_find(s, "reception"));
	ck_assert_str_eq(ph->model, "CP-6841-3PCC");
	ck_assert_ptr_null(snapshot_find(s, "warehouse")->model);
	buf_init(&body);
	flatprofile_render(s, ph, &body);
	ck_assert_ptr_null(strstr(body.data, "CP-6841-3PCC"));
	ck_assert_ptr_null(strstr(body.data, "<model"));
	buf_free(&body);
	snapshot_free(s);
}
END_TEST

Suite *effective_suite(void);

Suite *
effective_suite(void)
{
	Suite *s = suite_create("effective");
	TCase *tc = tcase_create("effective");

	tcase_add_test(tc, test_effective_matches_profile);
	tcase_add_test(tc, test_model_meta_kept_not_sent);
	suite_add_tcase(s, tc);
	return s;
}
