/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Device regions on the host (checklist case 19, the parts that need no device): the region
 * info capability chain parser on crafted buffers, and the areas of a BAR left around its
 * MSI-X table. The same code on a real device: vfio_lab_region_autotest (test_vfio_lab_dev.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <linux/vfio.h>

#include <px_pci.h>

#include "px_test.h"
#include "vfio_private.h"

#define BAR_SIZE 0x4000ull

/* A region info buffer, 8-byte aligned like the kernel's. */
struct rbuf {
	union {
		struct vfio_region_info ri;
		uint64_t u64[64];
	};
};

static struct vfio_info_cap_header *cap_at(struct rbuf *b, uint32_t off)
{
	return (struct vfio_info_cap_header *)((char *)b + off);
}

/* BAR3 with three caps: MSIX_MAPPABLE at 32 -> TYPE at 40 -> SPARSE (2 areas) at 56; 104
 * bytes in all. */
static void craft(struct rbuf *b)
{
	struct vfio_region_info_cap_type *t;
	struct vfio_region_info_cap_sparse_mmap *s;

	memset(b, 0, sizeof(*b));
	b->ri = (struct vfio_region_info){
		.argsz = 104,
		.flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
			 VFIO_REGION_INFO_FLAG_MMAP | VFIO_REGION_INFO_FLAG_CAPS,
		.index = 3,
		.cap_offset = 32,
		.size = BAR_SIZE,
		.offset = 3ull << 40};
	*cap_at(b, 32) = (struct vfio_info_cap_header){
		.id = VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, .version = 1, .next = 40};
	t = (void *)cap_at(b, 40);
	t->header = (struct vfio_info_cap_header){
		.id = VFIO_REGION_INFO_CAP_TYPE, .version = 1, .next = 56};
	t->type = 1;
	t->subtype = 2;
	s = (void *)cap_at(b, 56);
	s->header = (struct vfio_info_cap_header){
		.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP, .version = 1, .next = 0};
	s->nr_areas = 2;
	s->areas[0].offset = 0x1000;
	s->areas[0].size = 0x1000;
	s->areas[1].offset = 0x3000;
	s->areas[1].size = 0x1000;
}

static struct vfio_region_info_cap_sparse_mmap *sparse_of(struct rbuf *b)
{
	return (void *)cap_at(b, 56);
}

/* Parse @b (@len bytes); expect @want, and for an error a log line containing @msg. */
static int parse_expect(struct rbuf *b, size_t len, int want, const char *msg, const char *what)
{
	struct px_vfio_region r;
	uint32_t ids;
	const char *out;
	int ret;

	px_test_log_capture_start();
	ret = vfio_region_parse("test", b, len, &r, &ids);
	out = px_test_log_capture_stop();
	PX_TEST_ASSERT_EQ(ret, want, "%s", what);
	if (msg)
		PX_TEST_ASSERT(strstr(out, msg) != NULL, "%s: the log says \"%s\": %s", what, msg,
			       out);
	return PX_TEST_OK;
}

#define EXPECT(b, len, want, msg, what)                                  \
	do {                                                             \
		if (parse_expect(b, len, want, msg, what) != PX_TEST_OK) \
			return PX_TEST_FAILED;                           \
	} while (0)

static int test_region_caps(void)
{
	struct px_vfio_region r;
	struct rbuf b;
	uint32_t ids;

	/* a chain of three, every one seen, the sparse areas listed */
	craft(&b);
	PX_TEST_ASSERT_EQ(vfio_region_parse("test", &b, sizeof(b), &r, &ids), 0, "good chain");
	PX_TEST_ASSERT_EQ(ids,
			  (1u << VFIO_REGION_INFO_CAP_SPARSE_MMAP) |
				  (1u << VFIO_REGION_INFO_CAP_TYPE) |
				  (1u << VFIO_REGION_INFO_CAP_MSIX_MAPPABLE),
			  "three cap ids seen");
	PX_TEST_ASSERT(r.index == 3 && r.size == BAR_SIZE && r.offset == 3ull << 40, "header");
	PX_TEST_ASSERT_EQ(r.nr_sparse, 2, "two sparse areas");
	PX_TEST_ASSERT(r.sparse[0].offset == 0x1000 && r.sparse[0].size == 0x1000 &&
			       r.sparse[1].offset == 0x3000 && r.sparse[1].size == 0x1000,
		       "areas as listed");

	/* no FLAG_CAPS, or FLAG_CAPS with cap_offset 0 (the kernel's answer to a small argsz) */
	craft(&b);
	b.ri.flags &= ~VFIO_REGION_INFO_FLAG_CAPS;
	EXPECT(&b, sizeof(b), 0, NULL, "no caps flag");
	craft(&b);
	b.ri.cap_offset = 0;
	b.ri.argsz = sizeof(b.ri);
	PX_TEST_ASSERT_EQ(vfio_region_parse("test", &b, sizeof(b.ri), &r, &ids), 0,
			  "caps not copied");
	PX_TEST_ASSERT(ids == 0 && r.nr_sparse == 0, "nothing parsed");

	/* loops: back to the first cap, and onto itself */
	craft(&b);
	cap_at(&b, 56)->next = 32;
	EXPECT(&b, sizeof(b), -ELOOP, "loops", "loop back");
	craft(&b);
	cap_at(&b, 40)->next = 40;
	EXPECT(&b, sizeof(b), -ELOOP, "loops", "self loop");

	/* truncated: argsz ends inside the third header, then inside its areas */
	craft(&b);
	b.ri.argsz = 60;
	EXPECT(&b, sizeof(b), -EPROTO, "truncated", "header past argsz");
	craft(&b);
	b.ri.argsz = 80;
	EXPECT(&b, sizeof(b), -EPROTO, "runs past the end", "areas past argsz");
	/* argsz claims more than the buffer holds: the buffer's size wins */
	craft(&b);
	b.ri.argsz = 4096;
	EXPECT(&b, 80, -EPROTO, "runs past the end", "areas past the buffer");

	/* a cap past argsz, and one past the buffer */
	craft(&b);
	b.ri.cap_offset = 200;
	EXPECT(&b, sizeof(b), -EPROTO, "truncated", "first cap past argsz");
	craft(&b);
	b.ri.argsz = UINT32_MAX;
	cap_at(&b, 56)->next = 0xfffffff8;
	EXPECT(&b, sizeof(b), -EPROTO, "truncated", "next far past the buffer");

	/* misaligned, inside the header */
	craft(&b);
	b.ri.cap_offset = 36;
	EXPECT(&b, sizeof(b), -EPROTO, "misaligned", "misaligned cap");
	craft(&b);
	b.ri.cap_offset = 8;
	EXPECT(&b, sizeof(b), -EPROTO, "inside the region info header", "cap in the header");

	/* sparse: too many areas, an area outside the region, an area that wraps */
	craft(&b);
	sparse_of(&b)->nr_areas = 9;
	b.ri.argsz = 56 + 16 + 9 * 16;
	EXPECT(&b, sizeof(b), -E2BIG, "at most 8", "nine areas");
	craft(&b);
	sparse_of(&b)->areas[1].size = 0x2000;
	EXPECT(&b, sizeof(b), -EPROTO, "outside the region", "area past the end");
	craft(&b);
	sparse_of(&b)->areas[0].offset = UINT64_MAX - 0xfff;
	EXPECT(&b, sizeof(b), -EPROTO, "outside the region", "area that wraps");
	craft(&b);
	sparse_of(&b)->nr_areas = UINT32_MAX;
	EXPECT(&b, sizeof(b), -EPROTO, "runs past the end", "2^32-1 areas");

	/* shorter than the header */
	craft(&b);
	EXPECT(&b, 16, -EPROTO, "shorter than its header", "16 bytes");
	return PX_TEST_OK;
}
PX_TEST(vfio_region_caps_autotest, PX_TEST_F_FAST, test_region_caps)

/* The pages of a BAR left around its MSI-X table (mapped when the kernel has neither a
 * sparse list nor MSIX_MAPPABLE). */
static int test_msix_areas(void)
{
	struct px_vfio_region r;

	/* e1000e's BAR3 with 4 KiB pages: table (5 entries) at 0, PBA at 0x2000 */
	PX_TEST_ASSERT_EQ(vfio_msix_areas(BAR_SIZE, 0x1000, 0, 5 * 16, &r), 1, "one area");
	PX_TEST_ASSERT(r.sparse[0].offset == 0x1000 && r.sparse[0].size == 0x3000, "after table");
	/* the same with 64 KiB pages: no page free of the table */
	PX_TEST_ASSERT_EQ(vfio_msix_areas(BAR_SIZE, 0x10000, 0, 5 * 16, &r), 0, "64K pages");
	/* a table in the middle: the pages before and after */
	PX_TEST_ASSERT_EQ(vfio_msix_areas(0x20000, 0x1000, 0x10000, 0x800, &r), 2, "middle");
	PX_TEST_ASSERT(r.sparse[0].offset == 0 && r.sparse[0].size == 0x10000 &&
			       r.sparse[1].offset == 0x11000 && r.sparse[1].size == 0xf000,
		       "before and after");
	/* at the end, and straddling a page boundary */
	PX_TEST_ASSERT_EQ(vfio_msix_areas(BAR_SIZE, 0x1000, 0x3000, 0x100, &r), 1, "end");
	PX_TEST_ASSERT(r.sparse[0].offset == 0 && r.sparse[0].size == 0x3000, "before it");
	PX_TEST_ASSERT_EQ(vfio_msix_areas(BAR_SIZE, 0x1000, 0xff0, 0x20, &r), 1, "straddling");
	PX_TEST_ASSERT(r.sparse[0].offset == 0x2000 && r.sparse[0].size == 0x2000,
		       "both pages of the table left out");
	return PX_TEST_OK;
}
PX_TEST(vfio_msix_areas_autotest, PX_TEST_F_FAST, test_msix_areas)

/* Device requests with no device armed: nothing to wait for, no wait. */
static int test_pci_req_idle(void)
{
	int fd = px_pci_req_fd();

	PX_TEST_ASSERT(fd >= 0, "an epoll fd: %d", fd);
	PX_TEST_ASSERT_EQ(px_pci_req_fd(), fd, "the same fd each time");
	PX_TEST_ASSERT_EQ(px_pci_req_poll(0), 0, "nothing pending");
	PX_TEST_ASSERT_EQ(px_pci_req_poll(10), 0, "nothing within 10 ms");
	return PX_TEST_OK;
}
PX_TEST(pci_req_idle_autotest, PX_TEST_F_FAST, test_pci_req_idle)
