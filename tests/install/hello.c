/* A program outside the tree, built against the installed libpollux. */
#include <stdio.h>
#include <px_eal.h>

static int hello(void *arg)
{
	(void)arg;
	return (int)px_lcore_id() + 1;
}

int main(int argc, char **argv)
{
	unsigned int i;
	int ret = px_eal_init(argc, argv);

	if (ret < 0) {
		fprintf(stderr, "px_eal_init failed: %d\n", ret);
		return 1;
	}
	PX_LCORE_FOREACH_WORKER (i) {
		px_remote_launch(hello, NULL, i);
		if (px_wait_lcore(i) != (int)i + 1)
			return 1;
	}
	printf("hello from %u lcore(s), main lcore %u\n", px_lcore_count(), px_get_main_lcore());
	return px_eal_cleanup() == 0 ? 0 : 1;
}
