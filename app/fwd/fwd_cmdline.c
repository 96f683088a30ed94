/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px-fwd -i: a prompt with testpmd's common commands. Lines are read with libedit (line
 * editing, history) where px-fwd was built with it and stdin is a terminal, else plainly. The
 * prompt runs on the main lcore; forwarding runs on the workers between start and stop.
 * A command that is unknown or malformed gets one line saying so, and px-fwd carries on.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef PX_FWD_LIBEDIT
#include <editline/readline.h>
#endif

#include "fwd.h"

#define MAX_WORDS 8

struct cmd {
	const char *words; /* the fixed words, space separated */
	int nargs;         /* arguments after them */
	const char *args;  /* for help */
	const char *help;
	int (*fn)(char **args);
};

static bool quit;

/* "all", or a port number: call @fn on each port meant. @return -EINVAL when there is none. */
static int for_ports(const char *arg, int (*fn)(uint16_t p))
{
	char *end;
	unsigned long p;
	uint16_t q;

	if (strcmp(arg, "all") == 0) {
		PX_ETH_FOREACH_DEV (q)
			fn(q);
		return 0;
	}
	p = strtoul(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || p >= PX_MAX_ETHPORTS || !px_eth_dev_is_valid_port(p)) {
		printf("Invalid port %s (a port number, or all)\n", arg);
		return -EINVAL;
	}
	return fn((uint16_t)p);
}

static bool forwarding_stopped(void)
{
	if (fwd_running())
		printf("Please stop forwarding first\n");
	return !fwd_running();
}

static int cmd_start(char **a)
{
	(void)a;
	return fwd_start(false);
}

static int cmd_start_tx_first(char **a)
{
	(void)a;
	return fwd_start(true);
}

static int cmd_stop(char **a)
{
	(void)a;
	return fwd_stop_forwarding();
}

static int cmd_show_stats(char **a)
{
	return for_ports(a[0], fwd_stats_show_port);
}

static int cmd_show_info(char **a)
{
	return for_ports(a[0], fwd_stats_show_info);
}

static int cmd_show_xstats(char **a)
{
	return for_ports(a[0], fwd_stats_show_xstats);
}

static int clear_stats(uint16_t p)
{
	px_eth_stats_reset(p);
	px_eth_xstats_reset(p);
	printf("\n  NIC statistics for port %d cleared\n", p);
	return 0;
}

static int cmd_clear_stats(char **a)
{
	return for_ports(a[0], clear_stats);
}

static int cmd_set_fwd(char **a)
{
	const struct fwd_mode *m = fwd_mode_find(a[0]);

	if (m == NULL) {
		printf("Invalid %s packet forwarding mode (one of ", a[0]);
		fwd_modes_list(stdout);
		printf(")\n");
		return -EINVAL;
	}
	if (!forwarding_stopped())
		return -EBUSY;
	fwd_cfg.mode = m;
	printf("Set %s packet forwarding mode\n", m->name);
	return 0;
}

static int port_stop(uint16_t p)
{
	int ret;

	printf("Stopping ports...\n");
	ret = fwd_port_stop(p);
	if (ret < 0)
		printf("Port %u: stop failed: %s\n", p, strerror(-ret));
	printf("Checking link statuses...\nDone\n");
	return ret;
}

static int port_start(uint16_t p)
{
	char mac[PX_ETHER_ADDR_FMT_SIZE];
	int ret;

	if (!fwd_port_is_forwarding(p)) {
		printf("Port %u is not one px-fwd configured (--portmask)\n", p);
		return -EINVAL;
	}
	ret = fwd_port_start(p);
	if (ret < 0) {
		printf("Fail to start port %u: %s\n", p, strerror(-ret));
		return ret;
	}
	px_ether_addr_format(mac, sizeof(mac), &fwd_cfg.port_mac[p]);
	printf("Port %u: %s\nChecking link statuses...\nDone\n", p, mac);
	return 0;
}

static int port_close(uint16_t p)
{
	int ret;

	if (fwd_port_started[p]) {
		printf("Please stop port %u first\n", p);
		return -EBUSY;
	}
	printf("Closing ports...\n");
	ret = fwd_port_close(p);
	if (ret < 0)
		printf("Port %u: close failed: %s\n", p, strerror(-ret));
	else
		printf("Port %u is closed\n", p);
	printf("Done\n");
	return ret;
}

static int cmd_port_stop(char **a)
{
	return forwarding_stopped() ? for_ports(a[0], port_stop) : -EBUSY;
}

static int cmd_port_start(char **a)
{
	return forwarding_stopped() ? for_ports(a[0], port_start) : -EBUSY;
}

static int cmd_port_close(char **a)
{
	return forwarding_stopped() ? for_ports(a[0], port_close) : -EBUSY;
}

static bool promisc_on;

static int set_promisc(uint16_t p)
{
	int ret = promisc_on ? px_eth_promiscuous_enable(p) : px_eth_promiscuous_disable(p);

	if (ret < 0)
		printf("Port %u: promiscuous mode %s failed: %s\n", p, promisc_on ? "on" : "off",
		       strerror(-ret));
	return ret;
}

static int cmd_set_promisc(char **a)
{
	if (strcmp(a[1], "on") != 0 && strcmp(a[1], "off") != 0) {
		printf("Bad arguments: set promisc %s %s: expected on or off\n", a[0], a[1]);
		return -EINVAL;
	}
	promisc_on = strcmp(a[1], "on") == 0;
	return for_ports(a[0], set_promisc);
}

static int cmd_quit(char **a)
{
	(void)a;
	quit = true;
	return 0;
}

static int cmd_help(char **a);

/* Longer fixed words first: "start tx_first" before "start". */
static const struct cmd cmds[] = {
	{"start tx_first", 0, "", "send a burst of txonly frames per stream, then start",
	 cmd_start_tx_first},
	{"start", 0, "", "start forwarding", cmd_start},
	{"stop", 0, "", "stop forwarding and show the forward statistics", cmd_stop},
	{"show port stats", 1, "all|N", "a port's counters and rates", cmd_show_stats},
	{"show port info", 1, "all|N", "a port's driver, link, MTU, modes and limits",
	 cmd_show_info},
	{"show port xstats", 1, "all|N", "a port's extended counters", cmd_show_xstats},
	{"clear port stats", 1, "all|N", "reset a port's counters", cmd_clear_stats},
	{"set fwd", 1, "MODE", "the forwarding mode (forwarding stopped)", cmd_set_fwd},
	{"set promisc", 2, "all|N on|off", "promiscuous mode", cmd_set_promisc},
	{"port stop", 1, "all|N", "stop a port (forwarding stopped)", cmd_port_stop},
	{"port start", 1, "all|N", "start a stopped port", cmd_port_start},
	{"port close", 1, "all|N", "close a stopped port for good", cmd_port_close},
	{"help", 0, "", "this list", cmd_help},
	{"quit", 0, "", "stop forwarding and exit", cmd_quit},
};

static int cmd_help(char **a)
{
	(void)a;
	printf("Commands:\n");
	for (size_t i = 0; i < PX_DIM(cmds); i++) {
		char usage[64];

		snprintf(usage, sizeof(usage), "%s %s", cmds[i].words, cmds[i].args);
		printf("  %-30s %s\n", usage, cmds[i].help);
	}
	printf("Modes for set fwd: ");
	fwd_modes_list(stdout);
	printf("\n");
	return 0;
}

/* Does @w (nw words) start with the fixed words of @c? @return how many it has, or 0. */
static int match_words(const struct cmd *c, char **w, int nw)
{
	char buf[64];
	int k = 0;

	snprintf(buf, sizeof(buf), "%s", c->words);
	for (char *save, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save), k++)
		if (k >= nw || strcmp(t, w[k]) != 0)
			return 0;
	return k;
}

/* Is @first the first word of the command's fixed words? */
static bool first_word_is(const struct cmd *c, const char *first)
{
	size_t n = strlen(first);

	return strncmp(c->words, first, n) == 0 && (c->words[n] == ' ' || c->words[n] == '\0');
}

/* A line that starts like some commands but is none: their usages on one line. @return false
 * when no command starts with @first. */
static bool bad_arguments(const char *first)
{
	const char *sep = "";

	for (size_t i = 0; i < PX_DIM(cmds); i++)
		if (first_word_is(&cmds[i], first)) {
			printf("%s %s%s%s", *sep ? sep : "Bad arguments: usage:", cmds[i].words,
			       *cmds[i].args ? " " : "", cmds[i].args);
			sep = " |";
		}
	if (*sep)
		printf("\n");
	return *sep != '\0';
}

/* Run one line. Unknown or malformed: one line on stdout, nothing else changes. */
static void run_line(char *line)
{
	char *w[MAX_WORDS + 1], *save;
	int nw = 0;

	for (char *t = strtok_r(line, " \t\r\n", &save); t && nw <= MAX_WORDS;
	     t = strtok_r(NULL, " \t\r\n", &save))
		w[nw++] = t;
	if (nw == 0 || w[0][0] == '#')
		return;
	for (size_t i = 0; i < PX_DIM(cmds); i++) {
		int k = match_words(&cmds[i], w, nw);

		if (k && nw - k == cmds[i].nargs) {
			cmds[i].fn(w + k);
			return;
		}
	}
	if (!bad_arguments(w[0]))
		printf("Command not found: '%s' (help lists the commands)\n", w[0]);
}

static bool interrupted(void)
{
	return __atomic_load_n(&fwd_interrupted, __ATOMIC_RELAXED);
}

#ifdef PX_FWD_LIBEDIT
/* libedit reads through this, so a Ctrl-C ends the line with EOF wherever it lands: as SIGINT
 * (whose handler only sets flags) when the terminal is in cooked mode, where libedit would have
 * restarted its read, or as the byte 0x03 itself while libedit has the terminal in raw mode. */
static int prompt_getc(FILE *f)
{
	struct pollfd p = {.fd = fileno(f), .events = POLLIN};
	unsigned char c;

	while (!interrupted()) {
		int r = poll(&p, 1, 100);

		if (r > 0) {
			if (read(p.fd, &c, 1) != 1)
				return EOF;
			if (c != 0x03)
				return c;
			__atomic_store_n(&fwd_interrupted, 1, __ATOMIC_RELAXED);
			__atomic_store_n(&fwd_stop, 1, __ATOMIC_RELAXED);
			return EOF;
		}
		if (r < 0 && errno != EINTR)
			return EOF;
	}
	return EOF;
}
#endif

/* One line from the operator, malloc'd; NULL at end of input or after a Ctrl-C. */
static char *read_line(bool edit)
{
	char *line = NULL;
	size_t cap = 0;

#ifdef PX_FWD_LIBEDIT
	if (edit) {
		line = readline("px-fwd> ");
		if (line && *line)
			add_history(line);
		return line;
	}
#endif
	(void)edit;
	printf("px-fwd> ");
	fflush(stdout);
	if (getline(&line, &cap, stdin) < 0 || interrupted()) {
		free(line);
		return NULL;
	}
	return line;
}

void fwd_prompt(void)
{
	bool edit = isatty(STDIN_FILENO);

#ifdef PX_FWD_LIBEDIT
	if (edit) {
		/* before using_history(), which initialises libedit with what these say */
		rl_catch_signals = 0; /* px-fwd's handler, not libedit's */
		rl_getc_function = prompt_getc;
		using_history();
	}
#endif
	while (!quit && !interrupted()) {
		char *line = read_line(edit);

		if (line == NULL) { /* end of input: as quit */
			printf("\n");
			break;
		}
		run_line(line);
		free(line);
		fflush(stdout);
	}
	if (fwd_running())
		fwd_stop_forwarding();
	printf("Bye...\n");
	fflush(stdout);
}
