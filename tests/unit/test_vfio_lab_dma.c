/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DMA through the IOMMU, in the lab (docs/lab.md): two e1000e (82574L) on vfio-pci, probed by
 * lib/pci, programmed with raw register writes through px_pci_device (BAR0 pointer, config
 * space). One port sends a frame from a hugepage memzone (its IOVA mapped by lib/vfio through
 * the EAL's memory events), the other receives it into a ring set up the same way; the bytes
 * must match. Case 23: a descriptor pointing at an IOVA never mapped sends nothing from there
 * and leaves process memory untouched, and the port works again after a reset.
 *
 * Registers and descriptors: Intel 82574 GbE Controller Family datasheet (rev 3.4), §10.2
 * registers, §7.1.4 legacy RX and §7.2.10.1 legacy TX descriptors, from the PMD's register
 * map (drivers/net/e1000e/e1000e_regs.h).
 *
 * The EAL runs in va mode: lib/vfio places IOVAs inside every container's usable ranges (IOVA
 * = VA on x86_64 and aarch64; on ppc64le inside the DMA window lib/vfio creates, docs/vfio.md).
 */
#include <dirent.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/pci_regs.h>

#include <px_eal.h>
#include <px_malloc.h>
#include <px_memory.h>
#include <px_memzone.h>
#include <px_pci.h>

#include "e1000e_regs.h"
#include "px_test.h"
#include "lab_dma.h"

#define NDESC E1000E_DESC_MULTIPLE /* the smallest ring: RDLEN/TDLEN are multiples of 128 bytes */
#define BUF_SZ 2048
#define FRAME_LEN 142

/* The memzone's layout: both rings, one TX buffer, the RX buffers. */
#define OFF_TXR 0x0000
#define OFF_RXR 0x1000
#define OFF_TXB 0x2000
#define OFF_RXB 0x4000
#define MZ_LEN (OFF_RXB + NDESC * BUF_SZ)

struct px_pci_device *lab_dma_ports[2];
static unsigned int nr_ports;

static int lab_probe(struct px_pci_driver *drv, struct px_pci_device *dev)
{
	(void)drv;
	if (nr_ports < 2)
		lab_dma_ports[nr_ports++] = dev;
	return 0;
}

static const struct px_pci_id lab_ids[] = {{0x8086, 0x10d3, PX_PCI_ANY_ID, PX_PCI_ANY_ID}, {0}};
static struct px_pci_driver lab_drv = {
	.name = "lab_e1000e_raw", .id_table = lab_ids, .probe = lab_probe};

static void wr32(volatile uint32_t *bar, uint32_t reg, uint32_t v)
{
	bar[reg / 4] = v;
}

static uint32_t rd32(volatile uint32_t *bar, uint32_t reg)
{
	return bar[reg / 4];
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Poll @p until (*p & mask) or @ms pass; returns the last value read. */
static uint32_t wait8(volatile uint8_t *p, uint8_t mask, int ms)
{
	uint64_t end = now_ms() + ms;

	while (!(*p & mask) && now_ms() < end)
		usleep(1000);
	return *p;
}

/* §4.6.2: a software reset (CTRL.RST, self-clearing) stops DMA and clears the rings. */
int lab_dma_port_reset(volatile uint32_t *bar)
{
	uint64_t end;

	wr32(bar, E1000_IMC, E1000_IMC_ALL);
	wr32(bar, E1000_RCTL, 0);
	wr32(bar, E1000_TCTL, 0);
	wr32(bar, E1000_CTRL, rd32(bar, E1000_CTRL) | E1000_CTRL_RST);
	usleep(10000);
	for (end = now_ms() + 1000; rd32(bar, E1000_CTRL) & E1000_CTRL_RST; usleep(1000))
		if (now_ms() > end)
			return -ETIMEDOUT;
	wr32(bar, E1000_IMC, E1000_IMC_ALL);
	wr32(bar, E1000_CTRL, rd32(bar, E1000_CTRL) | E1000_CTRL_SLU);
	for (end = now_ms() + 3000; !(rd32(bar, E1000_STATUS) & E1000_STATUS_LU); usleep(1000))
		if (now_ms() > end)
			return -ENOLINK;
	return 0;
}

int lab_dma_bus_master(struct px_pci_device *dev)
{
	uint16_t cmd;
	int ret = px_pci_cfg_read(dev, PCI_COMMAND, &cmd, 2);

	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	return ret ? ret : px_pci_cfg_write(dev, PCI_COMMAND, &cmd, 2);
}

/* Port 1 receives (descriptor 0 into @buf0 when not 0): every descriptor but one given to the
 * device (RDT one behind RDH, §7.1.8). */
static void rx_start(struct dma_lab *l, uint64_t buf0)
{
	uint64_t ring = l->mz->iova + OFF_RXR;

	memset(l->rxb, 0, NDESC * BUF_SZ);
	for (unsigned int i = 0; i < NDESC; i++)
		l->rxr[i] = (struct e1000e_rx_desc){
			.addr = htole64(l->mz->iova + OFF_RXB + i * BUF_SZ)};
	if (buf0)
		l->rxr[0].addr = htole64(buf0);
	wr32(l->bar[1], E1000_RDBAL0, (uint32_t)ring);
	wr32(l->bar[1], E1000_RDBAH0, (uint32_t)(ring >> 32));
	wr32(l->bar[1], E1000_RDLEN0, NDESC * sizeof(struct e1000e_rx_desc));
	wr32(l->bar[1], E1000_RDH0, 0);
	wr32(l->bar[1], E1000_RDT0, NDESC - 1);
	wr32(l->bar[1], E1000_RCTL,
	     E1000_RCTL_EN | E1000_RCTL_UPE | E1000_RCTL_MPE | E1000_RCTL_BAM | E1000_RCTL_SECRC);
}

/* Port 0 sends one frame of @len bytes from device address @addr; returns the TX status. */
static uint8_t tx_one(struct dma_lab *l, uint64_t addr, uint16_t len)
{
	uint64_t ring = l->mz->iova + OFF_TXR;

	memset((void *)l->txr, 0, NDESC * sizeof(struct e1000e_tx_desc));
	l->txr[0] = (struct e1000e_tx_desc){
		.addr = htole64(addr),
		.lower = htole32(len | E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS)};
	wr32(l->bar[0], E1000_TDBAL0, (uint32_t)ring);
	wr32(l->bar[0], E1000_TDBAH0, (uint32_t)(ring >> 32));
	wr32(l->bar[0], E1000_TDLEN0, NDESC * sizeof(struct e1000e_tx_desc));
	wr32(l->bar[0], E1000_TDH0, 0);
	wr32(l->bar[0], E1000_TDT0, 0);
	wr32(l->bar[0], E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP);
	px_io_wmb(); /* descriptor in memory before the doorbell */
	wr32(l->bar[0], E1000_TDT0, 1);
	/* STA (DD in bit 0) is the descriptor's byte 12: upper's low byte, little-endian */
	return wait8((volatile uint8_t *)&l->txr[0].upper, E1000_TXD_STAT_DD, 2000);
}

static void make_frame(uint8_t *f, uint8_t seed)
{
	static const uint8_t hdr[14] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02,
		0,    0,    0,    0,    1,    0x88, 0xb5}; /* broadcast, local experimental type */

	memcpy(f, hdr, sizeof(hdr));
	for (unsigned int i = sizeof(hdr); i < FRAME_LEN; i++)
		f[i] = (uint8_t)(i * 7 + seed);
}

/* Send a fresh frame 0 -> 1 and compare what port 1 wrote into its first RX buffer. */
int lab_dma_send_and_compare(struct dma_lab *l, uint8_t seed)
{
	uint8_t st;

	rx_start(l, 0);
	make_frame(l->txb, seed);
	st = tx_one(l, l->mz->iova + OFF_TXB, FRAME_LEN);
	PX_TEST_ASSERT(st & E1000_TXD_STAT_DD, "TX descriptor done (TDH %u)",
		       rd32(l->bar[0], E1000_TDH0));
	st = wait8(&l->rxr[0].status, E1000_RXD_STAT_DD, 2000);
	PX_TEST_ASSERT((st & (E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP)) ==
			       (E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP),
		       "RX descriptor done, one buffer (status 0x%x, RDH %u)", st,
		       rd32(l->bar[1], E1000_RDH0));
	PX_TEST_ASSERT_EQ(le16toh(l->rxr[0].length), FRAME_LEN, "received length (CRC stripped)");
	PX_TEST_ASSERT(memcmp(l->rxb, l->txb, FRAME_LEN) == 0, "received bytes equal sent bytes");
	return PX_TEST_OK;
}

/* EAL arguments and the filler reserved before the lab memzone (0: none), per test. */
struct dma_lab_cfg {
	const char *eal;
	size_t filler;
};

static const struct dma_lab_cfg default_cfg = {
	"-l 0 --log-level=pci:info --log-level=vfio:info --log-level=eal.mem:info", 0};

/* Two vfio-pci NICs probed by lib/pci with the EAL, a memzone for rings and buffers. */
static int dma_lab_open(struct dma_lab *l, const struct dma_lab_cfg *cfg)
{
	int ret;

	/* registered last, so matched before any e1000e PMD in the build; unregistered at close
	 * so that later tests of the same process get the PMD again */
	px_pci_driver_register(&lab_drv);
	nr_ports = 0;
	ret = px_test_eal_init(cfg->eal);
	if (ret < 0) /* else the number of arguments consumed */
		return ret;
	if (nr_ports < 2)
		return -ENODEV;
	if (cfg->filler) {
		l->filler =
			px_memzone_reserve("lab_filler", cfg->filler, PX_SOCKET_ID_ANY, 0, 0, 0);
		if (l->filler == NULL)
			return -errno;
	}
	l->mz = px_memzone_reserve("lab_dma", MZ_LEN, PX_SOCKET_ID_ANY, 0, 4096, 0);
	if (l->mz == NULL)
		return -errno;
	if (l->mz->iova == PX_BAD_IOVA)
		return -EFAULT;
	l->txr = (volatile struct e1000e_tx_desc *)((uint8_t *)l->mz->addr + OFF_TXR);
	l->rxr = (volatile struct e1000e_rx_desc *)((uint8_t *)l->mz->addr + OFF_RXR);
	l->txb = (uint8_t *)l->mz->addr + OFF_TXB;
	l->rxb = (uint8_t *)l->mz->addr + OFF_RXB;
	for (int i = 0; i < 2; i++) {
		l->bar[i] = lab_dma_ports[i]->bar[0];
		if (l->bar[i] == NULL || lab_dma_ports[i]->bar_len[0] < E1000E_BAR0_MIN_LEN)
			return -ENXIO;
		ret = lab_dma_bus_master(lab_dma_ports[i]);
		if (ret == 0)
			ret = lab_dma_port_reset(l->bar[i]);
		if (ret)
			return ret;
	}
	printf("lab dma: %s -> %s, memzone va %p iova 0x%llx\n", lab_dma_ports[0]->name,
	       lab_dma_ports[1]->name, l->mz->addr, (unsigned long long)l->mz->iova);
	px_memseg_dump(stdout);
	return 0;
}

/* Stop both ports' DMA before their memory goes away, then the EAL (closes the container). */
static void dma_lab_close(struct dma_lab *l)
{
	for (int i = 0; i < 2; i++)
		if (l->bar[i])
			lab_dma_port_reset(l->bar[i]);
	if (l->mz)
		px_memzone_free(l->mz);
	if (l->filler)
		px_memzone_free(l->filler);
	if (px_eal_initialized())
		px_eal_cleanup();
	px_pci_driver_unregister(&lab_drv);
}

/* Devices bound to vfio-pci: the lab has two, the host none. */
static unsigned int vfio_pci_count(void)
{
	DIR *d = opendir("/sys/bus/pci/drivers/vfio-pci");
	struct dirent *de;
	unsigned int n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		n += strchr(de->d_name, ':') != NULL;
	closedir(d);
	return n;
}

static int run_dma_lab_cfg(int (*body)(struct dma_lab *), const char *name,
			   const struct dma_lab_cfg *cfg)
{
	struct dma_lab l = {0};
	int ret;

	if (vfio_pci_count() < 2)
		PX_TEST_SKIP("%s: needs two NICs on vfio-pci (run in the lab)", name);
	ret = dma_lab_open(&l, cfg);
	if (ret) {
		fprintf(stderr, "%s: set-up: %s\n", name, strerror(-ret));
		ret = PX_TEST_FAILED;
	} else {
		ret = body(&l);
	}
	dma_lab_close(&l); /* also after a failure: later tests in this boot need the groups */
	return ret;
}

int lab_dma_run(int (*body)(struct dma_lab *), const char *name)
{
	return run_dma_lab_cfg(body, name, &default_cfg);
}

static int dma_body(struct dma_lab *l)
{
	for (uint8_t seed = 0; seed < 3; seed++)
		if (lab_dma_send_and_compare(l, seed) != PX_TEST_OK)
			return PX_TEST_FAILED;
	printf("vfio_lab_dma: 3 frames of %d bytes crossed %s -> %s through the IOMMU\n", FRAME_LEN,
	       lab_dma_ports[0]->name, lab_dma_ports[1]->name);
	return PX_TEST_OK;
}

/* A frame from a hugepage memzone through one port's TX DMA to the other's RX DMA. */
static int test_lab_dma(void)
{
	return lab_dma_run(dma_body, "vfio_lab_dma");
}
PX_TEST(vfio_lab_dma_autotest, PX_TEST_F_LAB, test_lab_dma)

/* A page of this process that no IOMMU maps: the target of the isolation test. 64 KiB, so it is
 * whole pages with 4 KiB and 64 KiB pages (ppc64le). From the heap, not a 64 KiB-aligned static
 * array: such an array can give .bss a load segment of its own, which valgrind 3.19 does not map,
 * and callgrind then loses every symbol of px-test. Allocated once, kept as the array was. */
#define VICTIM_LEN (1u << 16)
static uint8_t *victim;

/* Physical address of @p (/proc/self/pagemap, root only); 0 when unknown. */
static uint64_t phys_of(const void *p)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t e = 0;
	FILE *f = fopen("/proc/self/pagemap", "r");

	if (f == NULL)
		return 0;
	if (fseek(f, (long)((uintptr_t)p / pg * 8), SEEK_SET) || fread(&e, 8, 1, f) != 1)
		e = 0;
	fclose(f);
	if (!(e & (1ull << 63)) || (e & ((1ull << 55) - 1)) == 0)
		return 0;
	return (e & ((1ull << 55) - 1)) * pg + (uintptr_t)p % pg;
}

/* TX from the victim's physical address: whatever goes out, it is not the victim's bytes. */
static int tx_unmapped(struct dma_lab *l, uint64_t pa)
{
	uint8_t st;

	rx_start(l, 0);
	make_frame(victim, 0x5a);
	st = tx_one(l, pa, FRAME_LEN);
	st = wait8(&l->rxr[0].status, E1000_RXD_STAT_DD, 500);
	if (st & E1000_RXD_STAT_DD)
		PX_TEST_ASSERT(memcmp(l->rxb, victim, FRAME_LEN) != 0,
			       "the device read the victim's page: DMA not blocked");
	printf("vfio_lab_dma_isolation: TX from unmapped 0x%llx: %s\n", (unsigned long long)pa,
	       st & E1000_RXD_STAT_DD ? "a frame went out, not with the victim's bytes"
				      : "nothing sent");
	return PX_TEST_OK;
}

/* RX into the victim's physical address: the victim stays as it was. */
static int rx_unmapped(struct dma_lab *l, uint64_t pa)
{
	uint8_t st;

	memset(victim, 0xa5, VICTIM_LEN);
	rx_start(l, pa);
	make_frame(l->txb, 0x33);
	st = tx_one(l, l->mz->iova + OFF_TXB, FRAME_LEN);
	PX_TEST_ASSERT(st & E1000_TXD_STAT_DD, "TX of a good frame");
	wait8(&l->rxr[0].status, E1000_RXD_STAT_DD, 1000);
	usleep(100000);
	for (size_t i = 0; i < VICTIM_LEN; i++)
		PX_TEST_ASSERT(victim[i] == 0xa5,
			       "victim byte %zu changed to 0x%x: DMA not blocked", i, victim[i]);
	printf("vfio_lab_dma_isolation: RX into unmapped 0x%llx: victim untouched (RX status "
	       "0x%x)\n",
	       (unsigned long long)pa, l->rxr[0].status);
	return PX_TEST_OK;
}

static int isolation_body(struct dma_lab *l)
{
	uint64_t pa;

	PX_TEST_ASSERT_EQ(lab_dma_send_and_compare(l, 1), PX_TEST_OK, "DMA works before");
	if (victim == NULL) {
		void *p = NULL;

		PX_TEST_ASSERT_EQ(posix_memalign(&p, VICTIM_LEN, VICTIM_LEN), 0, "the victim page");
		victim = p;
	}
	PX_TEST_ASSERT_EQ(mlock(victim, VICTIM_LEN), 0, "mlock the victim page");
	memset(victim, 0, VICTIM_LEN);
	pa = phys_of(victim);
	PX_TEST_ASSERT(pa != 0, "physical address of the victim (/proc/self/pagemap, root)");
	PX_TEST_ASSERT_EQ(tx_unmapped(l, pa), PX_TEST_OK, "TX from an unmapped IOVA");
	PX_TEST_ASSERT(lab_dma_port_reset(l->bar[0]) == 0 && lab_dma_port_reset(l->bar[1]) == 0,
		       "reset");
	PX_TEST_ASSERT_EQ(rx_unmapped(l, pa), PX_TEST_OK, "RX into an unmapped IOVA");
	PX_TEST_ASSERT(lab_dma_port_reset(l->bar[0]) == 0 && lab_dma_port_reset(l->bar[1]) == 0,
		       "reset");
	PX_TEST_ASSERT_EQ(lab_dma_send_and_compare(l, 2), PX_TEST_OK,
			  "DMA works again after the reset");
	munlock(victim, VICTIM_LEN);
	return PX_TEST_OK;
}

/* Case 23: DMA to and from an IOVA never mapped is blocked; the ports work after a reset. The
 * IOVA is the physical address of a page of this process: without the IOMMU, that is exactly
 * where the device would have read and written. */
static int test_lab_dma_isolation(void)
{
	return lab_dma_run(isolation_body, "vfio_lab_dma_isolation");
}
PX_TEST(vfio_lab_dma_isolation_autotest, PX_TEST_F_LAB, test_lab_dma_isolation)

/*
 * DMA memory larger than sPAPR's default 1 GiB window: -m 1200 reserves one 1200 MiB segment,
 * a 1100 MiB filler memzone takes its bottom, and the rings and buffers land above its first
 * GiB. Frames must still cross: on ppc64le lib/vfio replaced the default window with one that
 * holds the whole arena. Needs 1200 MiB of free hugepages (tests/lab/vfio_iova.cmake boots a
 * 2 GiB guest and reserves 640 pages).
 */
#define HIGH_MEM (1200ull << 20)
#define HIGH_FILLER (1100ull << 20)

static int high_body(struct dma_lab *l)
{
	uint64_t off = (uintptr_t)l->mz->addr - (uintptr_t)l->filler->addr;

	PX_TEST_ASSERT(off >= (1ull << 30),
		       "the lab memzone is %llu MiB above the start of DMA memory (want >= 1024)",
		       (unsigned long long)(off >> 20));
	PX_TEST_ASSERT_EQ(l->mz->iova - l->filler->iova, off, "one IOVA offset for the segment");
	for (uint8_t seed = 0; seed < 3; seed++)
		if (lab_dma_send_and_compare(l, seed) != PX_TEST_OK)
			return PX_TEST_FAILED;
	printf("vfio_lab_dma_high: 3 frames through buffers %llu MiB into DMA memory (IOVA "
	       "0x%llx)\n",
	       (unsigned long long)(off >> 20), (unsigned long long)l->mz->iova);
	return PX_TEST_OK;
}

static int test_lab_dma_high(void)
{
	static const struct dma_lab_cfg cfg = {
		"-l 0 -m 1200 --log-level=pci:info --log-level=vfio:info --log-level=eal.mem:info",
		HIGH_FILLER};
	struct px_hugepage_info hi[8];
	uint64_t free_bytes = 0;
	int n = px_hugepage_info_get(hi, PX_DIM(hi));

	for (int i = 0; i < n && i < (int)PX_DIM(hi); i++)
		free_bytes += (uint64_t)hi[i].free * hi[i].page_sz; /* per node, or system-wide */
	if (free_bytes < HIGH_MEM)
		PX_TEST_SKIP("vfio_lab_dma_high: needs %llu MiB of free hugepages, %llu free "
			     "(tests/lab/vfio_iova.cmake sets them up)",
			     HIGH_MEM >> 20, (unsigned long long)(free_bytes >> 20));
	return run_dma_lab_cfg(high_body, "vfio_lab_dma_high", &cfg);
}
PX_TEST(vfio_lab_dma_high_autotest, PX_TEST_F_LAB, test_lab_dma_high)
