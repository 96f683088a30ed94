/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lcores: one thread per listed lcore, pinned to its core, or to the CPU set --lcores gave it.
 *
 * A worker sleeps on its condition variable until px_remote_launch() hands it a function, runs
 * it, and reports the result. Launching is the control path, so a mutex and a condition variable
 * per lcore are the simple and correct choice; the function itself runs without any lock.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "eal_private.h"

__thread unsigned int px_per_lcore_id = PX_LCORE_ID_ANY;

struct lcore {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum px_lcore_state state;
	px_lcore_function_t f;
	void *arg;
	int ret;
	bool quit;
	bool enabled;
	bool started; /* thread created */
	int cpu;
	int socket;
	cpu_set_t cpus;
};

static struct lcore lcores[PX_MAX_LCORE];
static unsigned int main_lcore;
static unsigned int lcore_count;
static bool lcores_up;
static cpu_set_t main_affinity; /* the caller's affinity before pinning, restored at cleanup */

int eal_cpu_socket(int cpu)
{
	char path[96];

	/* sysfs places a nodeN link in the directory of each CPU */
	for (int node = 0; node < PX_MAX_NUMA_NODES; node++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/node%d", cpu, node);
		if (access(path, F_OK) == 0)
			return node;
	}
	return 0;
}

static int pin_to(pthread_t t, const cpu_set_t *cpus)
{
	return -pthread_setaffinity_np(t, sizeof(*cpus), cpus);
}

static void *worker_main(void *p)
{
	struct lcore *lc = p;

	px_per_lcore_id = (unsigned int)(lc - lcores);
	pthread_mutex_lock(&lc->lock);
	for (;;) {
		while (lc->state != PX_LCORE_RUNNING && !lc->quit)
			pthread_cond_wait(&lc->cond, &lc->lock);
		if (lc->quit)
			break;
		pthread_mutex_unlock(&lc->lock);
		int ret = lc->f(lc->arg);
		pthread_mutex_lock(&lc->lock);
		lc->ret = ret;
		lc->state = PX_LCORE_FINISHED;
		pthread_cond_broadcast(&lc->cond);
	}
	pthread_mutex_unlock(&lc->lock);
	return NULL;
}

static void stop_workers(void)
{
	for (unsigned int i = 0; i < PX_MAX_LCORE; i++) {
		struct lcore *lc = &lcores[i];

		if (!lc->started)
			continue;
		pthread_mutex_lock(&lc->lock);
		lc->quit = true;
		pthread_cond_broadcast(&lc->cond);
		pthread_mutex_unlock(&lc->lock);
		pthread_join(lc->thread, NULL);
		pthread_cond_destroy(&lc->cond);
		pthread_mutex_destroy(&lc->lock);
		lc->started = false;
	}
}

static int start_worker(unsigned int i)
{
	struct lcore *lc = &lcores[i];
	char name[16];
	int ret;

	pthread_mutex_init(&lc->lock, NULL);
	pthread_cond_init(&lc->cond, NULL);
	snprintf(name, sizeof(name), "px-lcore-%u", i);
	ret = px_ctrl_thread_create(&lc->thread, name, worker_main, lc);
	if (ret < 0) {
		EAL_LOG(ERR, "cannot create the thread of lcore %u: %s", i, strerror(-ret));
		goto destroy;
	}
	lc->started = true;
	ret = pin_to(lc->thread, &lc->cpus);
	if (ret < 0)
		EAL_LOG(ERR, "cannot pin lcore %u to cpu %d%s: %s", i, lc->cpu,
			CPU_COUNT(&lc->cpus) > 1 ? " and others" : "", strerror(-ret));
	return ret;
destroy:
	pthread_cond_destroy(&lc->cond);
	pthread_mutex_destroy(&lc->lock);
	return ret;
}

int eal_lcore_init(const struct eal_cfg *cfg)
{
	int ret;

	memset(lcores, 0, sizeof(lcores));
	main_lcore = cfg->main_lcore;
	lcore_count = cfg->lcore_count;
	for (unsigned int i = 0; i < PX_MAX_LCORE; i++) {
		if (!cfg->lcore[i].enabled)
			continue;
		lcores[i].enabled = true;
		lcores[i].cpu = cfg->lcore[i].cpu;
		lcores[i].cpus = cfg->lcore[i].cpus;
		lcores[i].socket = eal_cpu_socket(cfg->lcore[i].cpu);
		lcores[i].state = PX_LCORE_WAIT;
	}
	ret = -pthread_getaffinity_np(pthread_self(), sizeof(main_affinity), &main_affinity);
	if (ret < 0)
		return ret;
	ret = pin_to(pthread_self(), &lcores[main_lcore].cpus);
	if (ret < 0) {
		EAL_LOG(ERR, "cannot pin the main lcore %u to cpu %d: %s", main_lcore,
			lcores[main_lcore].cpu, strerror(-ret));
		return ret;
	}
	px_per_lcore_id = main_lcore;
	for (unsigned int i = 0; i < PX_MAX_LCORE; i++) {
		if (!lcores[i].enabled || i == main_lcore)
			continue;
		ret = start_worker(i);
		if (ret < 0) {
			stop_workers();
			pthread_setaffinity_np(pthread_self(), sizeof(main_affinity),
					       &main_affinity);
			px_per_lcore_id = PX_LCORE_ID_ANY;
			return ret;
		}
	}
	lcores_up = true;
	return 0;
}

int eal_lcore_busy(void)
{
	for (unsigned int i = 0; i < PX_MAX_LCORE; i++)
		if (lcores[i].started && px_lcore_state(i) == PX_LCORE_RUNNING)
			return 1;
	return 0;
}

int eal_lcore_cleanup(void)
{
	stop_workers();
	/* give the main thread back the CPUs it had, so a later init sees the same machine */
	pthread_setaffinity_np(pthread_self(), sizeof(main_affinity), &main_affinity);
	memset(lcores, 0, sizeof(lcores));
	lcore_count = 0;
	lcores_up = false;
	px_per_lcore_id = PX_LCORE_ID_ANY;
	return 0;
}

unsigned int px_get_main_lcore(void)
{
	return main_lcore;
}

unsigned int px_lcore_count(void)
{
	return lcore_count;
}

int px_lcore_is_enabled(unsigned int id)
{
	return id < PX_MAX_LCORE && lcores[id].enabled;
}

int px_lcore_to_cpu_id(unsigned int id)
{
	return px_lcore_is_enabled(id) ? lcores[id].cpu : -EINVAL;
}

int px_lcore_to_socket_id(unsigned int id)
{
	return px_lcore_is_enabled(id) ? lcores[id].socket : -EINVAL;
}

int px_socket_id(void)
{
	unsigned int id = px_lcore_id();

	return px_lcore_is_enabled(id) ? lcores[id].socket : 0;
}

unsigned int px_get_next_lcore(unsigned int i, int skip_main, int wrap)
{
	for (unsigned int n = 0; n < PX_MAX_LCORE; n++) {
		i++;
		if (i >= PX_MAX_LCORE) {
			if (!wrap)
				return PX_MAX_LCORE;
			i = 0;
		}
		if (lcores[i].enabled && !(skip_main && i == main_lcore))
			return i;
	}
	return PX_MAX_LCORE;
}

enum px_lcore_state px_lcore_state(unsigned int id)
{
	enum px_lcore_state s;

	if (id >= PX_MAX_LCORE || !lcores[id].started)
		return PX_LCORE_WAIT;
	pthread_mutex_lock(&lcores[id].lock);
	s = lcores[id].state;
	pthread_mutex_unlock(&lcores[id].lock);
	return s;
}

int px_remote_launch(px_lcore_function_t f, void *arg, unsigned int id)
{
	struct lcore *lc;
	int ret = 0;

	if (!lcores_up)
		return -ESRCH;
	if (f == NULL || id >= PX_MAX_LCORE || !lcores[id].started)
		return -EINVAL;
	lc = &lcores[id];
	pthread_mutex_lock(&lc->lock);
	if (lc->state != PX_LCORE_WAIT) {
		ret = -EBUSY;
	} else {
		lc->f = f;
		lc->arg = arg;
		lc->state = PX_LCORE_RUNNING;
		pthread_cond_broadcast(&lc->cond);
	}
	pthread_mutex_unlock(&lc->lock);
	return ret;
}

int px_wait_lcore(unsigned int id)
{
	struct lcore *lc;
	int ret;

	if (id >= PX_MAX_LCORE || !lcores[id].started)
		return -EINVAL;
	lc = &lcores[id];
	pthread_mutex_lock(&lc->lock);
	if (lc->state == PX_LCORE_WAIT) {
		pthread_mutex_unlock(&lc->lock);
		return 0;
	}
	while (lc->state != PX_LCORE_FINISHED)
		pthread_cond_wait(&lc->cond, &lc->lock);
	ret = lc->ret;
	lc->state = PX_LCORE_WAIT;
	pthread_mutex_unlock(&lc->lock);
	return ret;
}

int px_mp_remote_launch(px_lcore_function_t f, void *arg, int call_main)
{
	unsigned int i;
	int ret;

	if (!lcores_up)
		return -ESRCH;
	PX_LCORE_FOREACH_WORKER (i) {
		if (px_lcore_state(i) != PX_LCORE_WAIT)
			return -EBUSY;
	}
	PX_LCORE_FOREACH_WORKER (i) {
		ret = px_remote_launch(f, arg, i);
		if (ret < 0)
			return ret;
	}
	if (call_main)
		lcores[main_lcore].ret = f(arg);
	return 0;
}

int px_mp_wait_lcore(void)
{
	unsigned int i;
	int first = 0;

	PX_LCORE_FOREACH_WORKER (i) {
		int ret = px_wait_lcore(i);

		if (ret != 0 && first == 0)
			first = ret;
	}
	return first;
}

int px_ctrl_thread_create(pthread_t *thread, const char *name, void *(*start)(void *), void *arg)
{
	sigset_t all, old;
	int ret;

	/* the new thread inherits the creator's mask: block everything but the synchronous
	 * signals (a fault is delivered to the faulting thread whatever the mask says) */
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = -pthread_create(thread, NULL, start, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret == 0 && name)
		pthread_setname_np(*thread, name);
	return ret;
}
