/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/vdev: the kvargs grammar, and the vdev bus with test drivers registered here: the right
 * device gets the right arguments, removal in reverse order at cleanup, and the refusals (unknown
 * driver, unknown key, duplicate name, failed probe) with messages that give the remedy.
 */
#include <stdlib.h>
#include <string.h>

#include <px_eal.h>
#include <px_kvargs.h>
#include <px_vdev.h>
#include "px_test.h"

/* ---- kvargs ---- */

/* "k=v;k=v" for comparison with the expected pairs. */
static void kv_join(const struct px_kvargs *kv, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < kv->count && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s=%s", i ? ";" : "",
					kv->pairs[i].key, kv->pairs[i].value);
}

static const char *const test_keys[] = {"size", "mode", "list", "iface", NULL};

struct kv_case {
	const char *args;
	const char *const *keys; /* NULL: any key */
	const char *pairs;       /* expected "k=v;k=v"; NULL: refused */
	int err;                 /* errno when refused */
	const char *msg;         /* substring of the log line when refused */
};

static const struct kv_case kv_cases[] = {
	{"", test_keys, "", 0, NULL},
	{"size=64", test_keys, "size=64", 0, NULL},
	{"size=64,mode=a", test_keys, "size=64;mode=a", 0, NULL},
	{"list=[0,1,2],size=1", test_keys, "list=[0,1,2];size=1", 0, NULL},
	{"list=[[0,1],[2,3]]", test_keys, "list=[[0,1],[2,3]]", 0, NULL},
	{"list=a[1,2]b,mode=x", test_keys, "list=a[1,2]b;mode=x", 0, NULL},
	{"iface=a,iface=b", test_keys, "iface=a;iface=b", 0, NULL},
	{",size=1,,mode=2,", test_keys, "size=1;mode=2", 0, NULL},
	{"path=/a=b", NULL, "path=/a=b", 0, NULL},
	{"any.key-1_x=v", NULL, "any.key-1_x=v", 0, NULL},
	{"mode=[]", test_keys, "mode=[]", 0, NULL},
	{"sise=1", test_keys, NULL, EINVAL,
	 "unknown key 'sise'; valid keys: size, mode, list, iface"},
	{"size", test_keys, NULL, EINVAL, "key 'size' has no value"},
	{"size=1,mode", test_keys, NULL, EINVAL, "key 'mode' has no value"},
	{"size=", test_keys, NULL, EINVAL, "key 'size' has an empty value"},
	{"size=,mode=1", test_keys, NULL, EINVAL, "empty value"},
	{"=1", test_keys, NULL, EINVAL, "bad key"},
	{"si ze=1", test_keys, NULL, EINVAL, "bad key"},
	{"list=[0,1", test_keys, NULL, EINVAL, "unbalanced brackets"},
	{"list=0,1]", test_keys, NULL, EINVAL, "bad key at '1]'"},
	{"list=]0[", test_keys, NULL, EINVAL, "unbalanced brackets"},
	{"x=1", (const char *const[]){NULL}, NULL, EINVAL, "takes no arguments"},
};

static int kv_run_case(const struct kv_case *c)
{
	struct px_kvargs *kv;
	const char *log;
	char got[512];
	int err;

	px_test_log_capture_start();
	kv = px_kvargs_parse(c->args, c->keys);
	err = errno;
	log = px_test_log_capture_stop();
	if (c->pairs == NULL) {
		PX_TEST_ASSERT(kv == NULL, "'%s' accepted", c->args);
		PX_TEST_ASSERT_EQ(err, c->err, "'%s'", c->args);
		PX_TEST_ASSERT(strstr(log, c->msg) != NULL, "'%s': expected '%s' in '%s'", c->args,
			       c->msg, log);
		return PX_TEST_OK;
	}
	PX_TEST_ASSERT(kv != NULL, "'%s' refused: %s", c->args, log);
	kv_join(kv, got, sizeof(got));
	px_kvargs_free(kv);
	PX_TEST_ASSERT(strcmp(got, c->pairs) == 0, "'%s' gave '%s', want '%s'", c->args, got,
		       c->pairs);
	PX_TEST_ASSERT(*log == '\0', "'%s' logged '%s'", c->args, log);
	return PX_TEST_OK;
}

static int test_kvargs_grammar(void)
{
	char many[512] = "";
	struct px_kvargs *kv;

	for (size_t i = 0; i < PX_DIM(kv_cases); i++)
		if (kv_run_case(&kv_cases[i]) != PX_TEST_OK)
			return PX_TEST_FAILED;
	kv = px_kvargs_parse(NULL, test_keys);
	PX_TEST_ASSERT(kv != NULL && kv->count == 0, "NULL is an empty list");
	px_kvargs_free(kv);
	/* PX_KVARGS_MAX pairs fit, one more does not */
	for (int i = 0; i < PX_KVARGS_MAX; i++)
		strcat(many, "k=1,");
	kv = px_kvargs_parse(many, NULL);
	PX_TEST_ASSERT(kv != NULL && kv->count == PX_KVARGS_MAX, "%d pairs", PX_KVARGS_MAX);
	px_kvargs_free(kv);
	strcat(many, "k=1");
	px_test_log_capture_start();
	kv = px_kvargs_parse(many, NULL);
	PX_TEST_ASSERT(kv == NULL && errno == E2BIG, "%d pairs accepted", PX_KVARGS_MAX + 1);
	px_test_log_capture_stop();
	return PX_TEST_OK;
}
PX_TEST(vdev_kvargs_grammar_autotest, PX_TEST_F_FAST, test_kvargs_grammar);

static int collect(const char *key, const char *value, void *opaque)
{
	char *buf = opaque;

	if (strcmp(value, "stop") == 0)
		return -ECANCELED;
	strcat(buf, key);
	strcat(buf, "=");
	strcat(buf, value);
	strcat(buf, ";");
	return 0;
}

static int test_kvargs_api(void)
{
	struct px_kvargs *kv = px_kvargs_parse("iface=a,size=2,iface=[b,c],mode=stop", test_keys);
	char buf[256] = "";

	PX_TEST_ASSERT(kv != NULL, "parse");
	PX_TEST_ASSERT_EQ(px_kvargs_count(kv, NULL), 4, "all pairs");
	PX_TEST_ASSERT_EQ(px_kvargs_count(kv, "iface"), 2, "repeated key");
	PX_TEST_ASSERT_EQ(px_kvargs_count(kv, "list"), 0, "absent key");
	PX_TEST_ASSERT(strcmp(px_kvargs_get(kv, "iface"), "a") == 0, "first occurrence");
	PX_TEST_ASSERT(px_kvargs_get(kv, "list") == NULL, "absent key");
	PX_TEST_ASSERT_EQ(px_kvargs_process(kv, "iface", collect, buf), 0, "process iface");
	PX_TEST_ASSERT(strcmp(buf, "iface=a;iface=[b,c];") == 0, "in order: '%s'", buf);
	buf[0] = '\0';
	PX_TEST_ASSERT_EQ(px_kvargs_process(kv, NULL, collect, buf), -ECANCELED, "handler stops");
	PX_TEST_ASSERT(strcmp(buf, "iface=a;size=2;iface=[b,c];") == 0, "stopped: '%s'", buf);
	PX_TEST_ASSERT_EQ(px_kvargs_process(kv, "list", collect, buf), 0, "no pair, no call");
	PX_TEST_ASSERT_EQ(px_kvargs_process(NULL, NULL, collect, buf), -EINVAL, "NULL list");
	PX_TEST_ASSERT_EQ(px_kvargs_process(kv, NULL, NULL, buf), -EINVAL, "NULL handler");
	PX_TEST_ASSERT_EQ(px_kvargs_count(NULL, NULL), 0, "NULL list");
	px_kvargs_free(kv);
	px_kvargs_free(NULL);
	return PX_TEST_OK;
}
PX_TEST(vdev_kvargs_api_autotest, PX_TEST_F_FAST, test_kvargs_api);

/* ---- test drivers ---- */

/* What the drivers saw: "probe:NAME:k=v;k=v" and "remove:NAME", one per line, in order. */
static char events[2048];

static void event(const char *what, const char *name, const struct px_kvargs *kv)
{
	size_t len = strlen(events);
	char pairs[512] = "";

	if (kv)
		kv_join(kv, pairs, sizeof(pairs));
	snprintf(events + len, sizeof(events) - len, "%s:%s%s%s\n", what, name, kv ? ":" : "",
		 pairs);
}

static int pxtest_probe(const char *name, const struct px_kvargs *args)
{
	const char *size = px_kvargs_get(args, "size");

	event("probe", name, args);
	return size && strcmp(size, "fail") == 0 ? -EIO : 0;
}

static int pxtest_remove(const char *name)
{
	event("remove", name, NULL);
	return 0;
}

static struct px_vdev_driver pxtest_drv = {
	.name = "net_pxtest",
	.params = "size=<int> mode=<a|b> list=<[x,...]>",
	.probe = pxtest_probe,
	.remove = pxtest_remove,
};
PX_VDEV_REGISTER(pxtest_drv);

/* A longer name that starts like the first: devices named net_pxtestx* are its own. */
static struct px_vdev_driver pxtestx_drv = {
	.name = "net_pxtestx",
	.probe = pxtest_probe,
	.remove = pxtest_remove,
};
PX_VDEV_REGISTER(pxtestx_drv);

/* px_eal_init() on @args, capturing the log. */
static int eal_init_log(const char *args, const char **log)
{
	int ret;

	events[0] = '\0';
	px_test_log_capture_start();
	ret = px_test_eal_init(args);
	*log = px_test_log_capture_stop();
	return ret;
}

static int test_vdev_probe(void)
{
	const char *log;
	int ret = eal_init_log("-l 0 --no-huge --vdev net_pxtest0,size=64,list=[1,2],mode=a "
			       "--vdev net_pxtestx1 --vdev net_pxtest_b,list=[x]",
			       &log);

	PX_TEST_ASSERT(ret >= 0, "init: %s", strerror(-ret));
	PX_TEST_ASSERT(strcmp(events, "probe:net_pxtest0:size=64;list=[1,2];mode=a\n"
				      "probe:net_pxtestx1:\n"
				      "probe:net_pxtest_b:list=[x]\n") == 0,
		       "probes: '%s'", events);
	PX_TEST_ASSERT(px_vdev_exists("net_pxtest0") && px_vdev_exists("net_pxtestx1"), "exist");
	events[0] = '\0';
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	PX_TEST_ASSERT(strcmp(events, "remove:net_pxtest_b\nremove:net_pxtestx1\n"
				      "remove:net_pxtest0\n") == 0,
		       "removed in reverse order: '%s'", events);
	PX_TEST_ASSERT(!px_vdev_exists("net_pxtest0"), "gone after cleanup");
	return PX_TEST_OK;
}
PX_TEST(vdev_bus_probe_autotest, PX_TEST_F_FAST, test_vdev_probe);

struct bus_err_case {
	const char *args;
	int ret;
	const char *msg[3]; /* substrings the log must contain */
	const char *events; /* what the drivers saw */
};

static const struct bus_err_case bus_err_cases[] = {
	{"--vdev net_nosuch0",
	 -ENODEV,
	 {"net_nosuch0: no vdev driver", "net_pxtest", "net_pxtestx"},
	 ""},
	{"--vdev net_pxtest0 --vdev net_pxtest1,sise=1",
	 -EINVAL,
	 {"unknown key 'sise'; valid keys: size, mode, list",
	  "net_pxtest1: bad arguments 'sise=1'; net_pxtest takes: size=<int> mode=<a|b>"},
	 ""},
	{"--vdev net_pxtestx0,size=1",
	 -EINVAL,
	 {"this driver takes no arguments", "net_pxtestx takes: no arguments"},
	 ""},
	{"--vdev net_pxtest0,list=[1 --vdev net_pxtest1", -EINVAL, {"unbalanced brackets"}, ""},
	{"--vdev net_pxtest0,size=1 --vdev net_pxtest0",
	 -EEXIST,
	 {"net_pxtest0: a vdev with this name exists already"},
	 ""},
	{"--vdev net_pxtest0 --vdev net_pxtest1,size=fail --vdev net_pxtest2",
	 -EIO,
	 {"net_pxtest1: driver net_pxtest failed to probe"},
	 "probe:net_pxtest0:\nprobe:net_pxtest1:size=fail\nremove:net_pxtest0\n"},
};

static int test_vdev_bus_errors(void)
{
	for (size_t i = 0; i < PX_DIM(bus_err_cases); i++) {
		const struct bus_err_case *c = &bus_err_cases[i];
		char line[256];
		const char *log;
		int ret;

		snprintf(line, sizeof(line), "-l 0 --no-huge %s", c->args);
		ret = eal_init_log(line, &log);
		if (ret >= 0)
			px_eal_cleanup();
		PX_TEST_ASSERT_EQ(ret, c->ret, "'%s'", c->args);
		PX_TEST_ASSERT(!px_eal_initialized(), "'%s' left the EAL up", c->args);
		for (int m = 0; m < 3 && c->msg[m]; m++)
			PX_TEST_ASSERT(strstr(log, c->msg[m]) != NULL, "'%s': no '%s' in '%s'",
				       c->args, c->msg[m], log);
		PX_TEST_ASSERT(strcmp(events, c->events) == 0, "'%s': drivers saw '%s'", c->args,
			       events);
		PX_TEST_ASSERT(!px_vdev_exists("net_pxtest0"), "'%s' left a device", c->args);
	}
	return PX_TEST_OK;
}
PX_TEST(vdev_bus_errors_autotest, PX_TEST_F_FAST, test_vdev_bus_errors);

static int test_vdev_runtime(void)
{
	const char *log;

	events[0] = '\0';
	PX_TEST_ASSERT_EQ(px_vdev_init("net_pxtest7", "mode=b"), 0, "create");
	PX_TEST_ASSERT(px_vdev_exists("net_pxtest7"), "exists");
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_vdev_init("net_pxtest7", NULL), -EEXIST, "twice");
	PX_TEST_ASSERT_EQ(px_vdev_init("net_zz0", NULL), -ENODEV, "no driver");
	PX_TEST_ASSERT_EQ(px_vdev_init("net_pxtest,8", NULL), -EINVAL, "bad name");
	PX_TEST_ASSERT_EQ(px_vdev_init("", NULL), -EINVAL, "empty name");
	PX_TEST_ASSERT_EQ(px_vdev_init("net_pxtest8", "size=fail"), -EIO, "probe fails");
	PX_TEST_ASSERT_EQ(px_vdev_driver_unregister(&pxtest_drv), -EBUSY, "driver in use");
	log = px_test_log_capture_stop();
	PX_TEST_ASSERT(strstr(log, "net_pxtest,8") != NULL, "bad name named: '%s'", log);
	PX_TEST_ASSERT(!px_vdev_exists("net_pxtest8"), "a failed probe leaves no device");
	PX_TEST_ASSERT_EQ(px_vdev_uninit("net_pxtest7"), 0, "remove");
	PX_TEST_ASSERT_EQ(px_vdev_uninit("net_pxtest7"), -ENOENT, "remove twice");
	PX_TEST_ASSERT(strcmp(events, "probe:net_pxtest7:mode=b\nprobe:net_pxtest8:size=fail\n"
				      "remove:net_pxtest7\n") == 0,
		       "drivers saw '%s'", events);
	return PX_TEST_OK;
}
PX_TEST(vdev_runtime_autotest, PX_TEST_F_FAST, test_vdev_runtime);

static int nop_probe(const char *name, const struct px_kvargs *args)
{
	(void)name;
	(void)args;
	return 0;
}

static int test_vdev_driver_register(void)
{
	struct px_vdev_driver bad_params = {
		.name = "net_bad", .params = "size", .probe = nop_probe};
	struct px_vdev_driver no_probe = {.name = "net_bad"};
	struct px_vdev_driver dup = {.name = "net_pxtest", .probe = nop_probe};
	struct px_vdev_driver ok = {.name = "net_ok", .params = "a=<x>  b=<y>", .probe = nop_probe};

	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_vdev_driver_register(&bad_params), -EINVAL, "params without '='");
	PX_TEST_ASSERT_EQ(px_vdev_driver_register(&no_probe), -EINVAL, "no probe");
	PX_TEST_ASSERT_EQ(px_vdev_driver_register(&dup), -EEXIST, "name taken");
	px_test_log_capture_stop();
	PX_TEST_ASSERT_EQ(px_vdev_driver_register(&ok), 0, "register");
	PX_TEST_ASSERT_EQ(px_vdev_init("net_ok0", "b=1,a=2"), 0, "keys from params");
	PX_TEST_ASSERT_EQ(px_vdev_uninit("net_ok0"), 0, "no remove callback");
	PX_TEST_ASSERT_EQ(px_vdev_driver_unregister(&ok), 0, "unregister");
	PX_TEST_ASSERT_EQ(px_vdev_driver_unregister(&ok), -ENOENT, "unregister twice");
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_vdev_init("net_ok0", NULL), -ENODEV, "driver gone");
	px_test_log_capture_stop();
	return PX_TEST_OK;
}
PX_TEST(vdev_driver_register_autotest, PX_TEST_F_FAST, test_vdev_driver_register);

static int test_kvargs_numbers(void)
{
	struct px_kvargs *kv = px_kvargs_parse(
		"a=64,b=0x40,c=-1,d=12x,e=,f=99999999999999999999999,g=1,h=2,i=1,j= 5", NULL);
	uint64_t v = 7;
	bool f = false;

	PX_TEST_ASSERT(kv == NULL, "empty value refused");
	kv = px_kvargs_parse("a=64,b=0x40,c=-1,d=12x,f=99999999999999999999999,g=1,h=2,j= 5,k=0",
			     NULL);
	PX_TEST_ASSERT(kv != NULL, "parse");
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_kvargs_get_u64(kv, "zz", 0, 100, &v), 0, "absent");
	PX_TEST_ASSERT_EQ(v, 7, "absent keeps the default");
	PX_TEST_ASSERT_EQ(px_kvargs_get_u64(kv, "a", 0, 100, &v), 0, "decimal");
	PX_TEST_ASSERT_EQ(v, 64, "decimal");
	PX_TEST_ASSERT_EQ(px_kvargs_get_u64(kv, "b", 0, 100, &v), 0, "hex");
	PX_TEST_ASSERT_EQ(v, 0x40, "hex");
	PX_TEST_ASSERT_EQ(px_kvargs_get_u64(kv, "a", 65, 100, &v), -ERANGE, "below min");
	PX_TEST_ASSERT_EQ(px_kvargs_get_u64(kv, "a", 0, 63, &v), -ERANGE, "above max");
	PX_TEST_ASSERT_EQ(px_kvargs_get_u64(kv, "c", 0, 100, &v), -EINVAL, "negative");
	PX_TEST_ASSERT_EQ(px_kvargs_get_u64(kv, "d", 0, 100, &v), -EINVAL, "trailing junk");
	PX_TEST_ASSERT_EQ(px_kvargs_get_u64(kv, "f", 0, UINT64_MAX, &v), -EINVAL, "overflow");
	PX_TEST_ASSERT_EQ(px_kvargs_get_u64(kv, "j", 0, 100, &v), -EINVAL, "leading space");
	PX_TEST_ASSERT_EQ(v, 0x40, "errors keep the value");
	PX_TEST_ASSERT_EQ(px_kvargs_get_bool(kv, "g", &f), 0, "flag 1");
	PX_TEST_ASSERT(f, "flag 1 is true");
	PX_TEST_ASSERT_EQ(px_kvargs_get_bool(kv, "k", &f), 0, "flag 0");
	PX_TEST_ASSERT(!f, "flag 0 is false");
	PX_TEST_ASSERT_EQ(px_kvargs_get_bool(kv, "h", &f), -EINVAL, "flag 2");
	PX_TEST_ASSERT(strstr(px_test_log_capture_stop(), "h=2: write h=0 or h=1") != NULL,
		       "flag message");
	px_kvargs_free(kv);
	return PX_TEST_OK;
}
PX_TEST(vdev_kvargs_numbers_autotest, PX_TEST_F_FAST, test_kvargs_numbers);
