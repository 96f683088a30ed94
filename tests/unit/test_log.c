/* SPDX-License-Identifier: BSD-3-Clause */
/* Logging: components, levels, globs, --log-level. */
#include <px_eal.h>
#include "px_test.h"

static int test_log_levels(void)
{
	int a = px_log_register("test.log.a", PX_LOG_NOTICE);
	int b = px_log_register("test.log.b", PX_LOG_ERR);
	const char *out;

	PX_TEST_ASSERT(a >= 0 && b >= 0 && a != b, "register");
	PX_TEST_ASSERT_EQ(px_log_register("test.log.a", PX_LOG_DEBUG), a, "same name, same id");
	PX_TEST_ASSERT_EQ(px_log_lookup("test.log.b"), b, "lookup");
	PX_TEST_ASSERT_EQ(px_log_lookup("test.log.none"), -ENOENT, "unknown");
	/* Levels set explicitly: a global --log-level set by an earlier test in this process would
	 * otherwise apply to these new components too (as it should). */
	PX_TEST_ASSERT_EQ(px_log_set_level_pattern("test.log.a", PX_LOG_NOTICE), 1, "set a");
	PX_TEST_ASSERT_EQ(px_log_set_level_pattern("test.log.b", PX_LOG_ERR), 1, "set b");
	PX_TEST_ASSERT_EQ(px_log_get_level(a), PX_LOG_NOTICE, "level of a");
	PX_TEST_ASSERT_EQ(px_log_register("", PX_LOG_DEBUG), -EINVAL, "empty name");
	PX_TEST_ASSERT_EQ(px_log_register("x", 0), -EINVAL, "bad level");

	px_test_log_capture_start();
	PX_LOG(INFO, a, "hidden %d", 1);
	PX_LOG(NOTICE, a, "shown %d", 2);
	PX_LOG(WARNING, b, "hidden %d", 3);
	PX_LOG(ERR, b, "shown %d", 4);
	out = px_test_log_capture_stop();
	PX_TEST_ASSERT(strstr(out, "hidden") == NULL, "filtered: '%s'", out);
	PX_TEST_ASSERT(strstr(out, "test.log.a: shown 2\n") != NULL, "notice: '%s'", out);
	PX_TEST_ASSERT(strstr(out, "test.log.b: error: shown 4\n") != NULL, "error: '%s'", out);

	PX_TEST_ASSERT_EQ(px_log_parse_level("debug"), PX_LOG_DEBUG, "name");
	PX_TEST_ASSERT_EQ(px_log_parse_level("WARNING"), PX_LOG_WARNING, "case");
	PX_TEST_ASSERT_EQ(px_log_parse_level("4"), PX_LOG_ERR, "number");
	PX_TEST_ASSERT_EQ(px_log_parse_level("9"), -EINVAL, "out of range");
	PX_TEST_ASSERT_EQ(px_log_parse_level("loud"), -EINVAL, "unknown");
	return PX_TEST_OK;
}
PX_TEST(log_levels_autotest, PX_TEST_F_FAST, test_log_levels)

static int test_log_globs(void)
{
	int x = px_log_register("test.glob.x", PX_LOG_NOTICE);
	int y = px_log_register("test.glob.y", PX_LOG_NOTICE);
	int other = px_log_register("test.other", PX_LOG_NOTICE);
	int later;

	PX_TEST_ASSERT_EQ(px_log_set_level_pattern("test.glob.*", PX_LOG_DEBUG), 2, "two matched");
	PX_TEST_ASSERT(px_log_get_level(x) == PX_LOG_DEBUG && px_log_get_level(y) == PX_LOG_DEBUG,
		       "both changed");
	PX_TEST_ASSERT_EQ(px_log_get_level(other), PX_LOG_NOTICE, "other unchanged");
	later = px_log_register("test.glob.later", PX_LOG_ERR);
	PX_TEST_ASSERT_EQ(px_log_get_level(later), PX_LOG_DEBUG,
			  "pattern applies to later components");
	PX_TEST_ASSERT_EQ(px_log_set_level_pattern("test.glob.?", PX_LOG_CRIT), 2, "? glob");
	PX_TEST_ASSERT_EQ(px_log_get_level(later), PX_LOG_DEBUG, "'later' is not one character");
	PX_TEST_ASSERT_EQ(px_log_set_level_pattern("", PX_LOG_CRIT), -EINVAL, "empty pattern");

	/* through the command line */
	PX_TEST_ASSERT(px_test_eal_init("-l 0 --no-huge --log-level=test.other:debug") >= 0,
		       "init");
	PX_TEST_ASSERT_EQ(px_log_get_level(other), PX_LOG_DEBUG, "--log-level pattern");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	PX_TEST_ASSERT(px_test_eal_init("-l 0 --no-huge --log-level=err") >= 0, "init");
	PX_TEST_ASSERT_EQ(px_log_get_level(other), PX_LOG_ERR, "--log-level global");
	PX_TEST_ASSERT_EQ(px_log_get_level(px_log_lookup("eal")), PX_LOG_ERR, "eal too");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	px_log_set_global_level(PX_LOG_NOTICE);
	return PX_TEST_OK;
}
PX_TEST(log_glob_autotest, PX_TEST_F_FAST, test_log_globs)
