/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interrupt thread (px_intr.h): one epoll loop for control-path event descriptors.
 *
 * Sources live in a fixed table under one mutex. The thread copies a source's callback out
 * under the mutex, marks it running, and calls it unlocked; unregistration removes the fd from
 * epoll first and then waits (condition variable) until no call of it is running, so a
 * caller that frees the callback's argument afterwards is safe. A wake-up eventfd in the epoll
 * set lets cleanup stop the thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "eal_private.h"
#include "px_intr.h"
#include "px_log.h"

#define INTR_MAX_SOURCES 64
#define INTR_WAKE_TAG UINT64_MAX

struct intr_source {
	int fd; /* -1: free slot */
	px_intr_cb_t cb;
	void *arg;
	unsigned int running; /* calls in progress (0 or 1: one thread) */
	uint32_t gen;         /* bumped at each registration: stale epoll events are dropped */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t idle; /* signalled when a call returns */
	struct intr_source src[INTR_MAX_SOURCES];
	int epfd;
	int wakefd;
	bool thread_up;
	bool stop;
	pthread_t thread;
} intr = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.idle = PTHREAD_COND_INITIALIZER,
	.epfd = -1,
	.wakefd = -1,
};

int px_intr_is_intr_thread(void)
{
	int ret;

	pthread_mutex_lock(&intr.lock);
	ret = intr.thread_up && pthread_equal(pthread_self(), intr.thread);
	pthread_mutex_unlock(&intr.lock);
	return ret;
}

static void *intr_thread(void *unused)
{
	(void)unused;
	for (;;) {
		struct epoll_event ev[8];
		int n = epoll_wait(intr.epfd, ev, 8, -1);

		if (n < 0 && errno != EINTR) {
			EAL_LOG(ERR, "interrupt thread: epoll_wait: %s", strerror(errno));
			return NULL;
		}
		for (int i = 0; i < n; i++) {
			unsigned int slot = (uint32_t)ev[i].data.u64;
			uint32_t gen = (uint32_t)(ev[i].data.u64 >> 32);
			struct intr_source *s;
			px_intr_cb_t cb;
			void *arg;
			int fd;

			if (ev[i].data.u64 == INTR_WAKE_TAG) {
				uint64_t v;
				bool stop;

				pthread_mutex_lock(&intr.lock);
				stop = intr.stop;
				pthread_mutex_unlock(&intr.lock);
				if (stop)
					return NULL;
				if (read(intr.wakefd, &v, sizeof(v)) < 0)
					EAL_LOG(DEBUG, "interrupt thread: wake-up read: %s",
						strerror(errno));
				continue;
			}
			pthread_mutex_lock(&intr.lock);
			s = &intr.src[slot];
			if (s->fd < 0 || s->gen != gen) { /* unregistered after epoll_wait */
				pthread_mutex_unlock(&intr.lock);
				continue;
			}
			cb = s->cb;
			arg = s->arg;
			fd = s->fd;
			s->running++;
			pthread_mutex_unlock(&intr.lock);
			cb(fd, arg);
			pthread_mutex_lock(&intr.lock);
			s->running--;
			pthread_cond_broadcast(&intr.idle);
			pthread_mutex_unlock(&intr.lock);
		}
	}
}

/* Create the epoll set, the wake-up eventfd and the thread. Called with the lock held. */
static int intr_start(void)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = INTR_WAKE_TAG};
	int ret;

	intr.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (intr.epfd < 0)
		return -errno;
	intr.wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (intr.wakefd < 0 || epoll_ctl(intr.epfd, EPOLL_CTL_ADD, intr.wakefd, &ev) < 0) {
		ret = -errno;
		goto close_fds;
	}
	intr.stop = false;
	ret = px_ctrl_thread_create(&intr.thread, "px-intr", intr_thread, NULL);
	if (ret < 0)
		goto close_fds;
	intr.thread_up = true;
	for (unsigned int i = 0; i < INTR_MAX_SOURCES; i++)
		intr.src[i].fd = -1;
	return 0;

close_fds:
	if (intr.wakefd >= 0)
		close(intr.wakefd);
	close(intr.epfd);
	intr.epfd = intr.wakefd = -1;
	return ret;
}

int px_intr_callback_register(int fd, px_intr_cb_t cb, void *arg)
{
	struct epoll_event ev = {.events = EPOLLIN};
	struct intr_source *free_slot = NULL;
	int ret = 0;

	if (fd < 0 || cb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&intr.lock);
	if (!intr.thread_up)
		ret = intr_start();
	for (unsigned int i = 0; ret == 0 && i < INTR_MAX_SOURCES; i++) {
		if (intr.src[i].fd == fd)
			ret = -EEXIST;
		else if (intr.src[i].fd < 0 && intr.src[i].running == 0 && free_slot == NULL)
			free_slot = &intr.src[i];
	}
	if (ret == 0 && free_slot == NULL) {
		EAL_LOG(ERR, "interrupt thread: all %d sources in use", INTR_MAX_SOURCES);
		ret = -ENOMEM;
	}
	if (ret == 0) {
		uint32_t gen = free_slot->gen + 1;

		ev.data.u64 = (uint64_t)(free_slot - intr.src) | (uint64_t)gen << 32;
		if (epoll_ctl(intr.epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
			ret = -errno;
		else
			*free_slot =
				(struct intr_source){.fd = fd, .cb = cb, .arg = arg, .gen = gen};
	}
	pthread_mutex_unlock(&intr.lock);
	return ret;
}

int px_intr_callback_unregister(int fd, px_intr_cb_t cb, void *arg)
{
	bool self = px_intr_is_intr_thread();
	struct intr_source *s = NULL;

	if (fd < 0 || cb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&intr.lock);
	for (unsigned int i = 0; intr.thread_up && i < INTR_MAX_SOURCES; i++)
		if (intr.src[i].fd == fd && intr.src[i].cb == cb && intr.src[i].arg == arg)
			s = &intr.src[i];
	if (s == NULL) {
		pthread_mutex_unlock(&intr.lock);
		return -ENOENT;
	}
	epoll_ctl(intr.epfd, EPOLL_CTL_DEL, fd, NULL);
	s->fd = -1;
	while (!self && s->running)
		pthread_cond_wait(&intr.idle, &intr.lock);
	pthread_mutex_unlock(&intr.lock);
	return 0;
}

void eal_intr_cleanup(void)
{
	uint64_t one = 1;

	pthread_mutex_lock(&intr.lock);
	if (!intr.thread_up) {
		pthread_mutex_unlock(&intr.lock);
		return;
	}
	for (unsigned int i = 0; i < INTR_MAX_SOURCES; i++)
		if (intr.src[i].fd >= 0)
			EAL_LOG(WARNING, "interrupt source fd %d still registered at cleanup",
				intr.src[i].fd);
	intr.stop = true;
	pthread_mutex_unlock(&intr.lock);
	if (write(intr.wakefd, &one, sizeof(one)) != sizeof(one))
		EAL_LOG(ERR, "interrupt thread: wake-up: %s", strerror(errno));
	pthread_join(intr.thread, NULL);
	pthread_mutex_lock(&intr.lock);
	intr.thread_up = false;
	close(intr.wakefd);
	close(intr.epfd);
	intr.epfd = intr.wakefd = -1;
	pthread_mutex_unlock(&intr.lock);
}
