/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vhost's vhost-user backend: the front-end's requests (QEMU docs/interop/vhost-user.rst,
 * "Front-end message types") applied to one device: features, the memory table (mapped here),
 * the vrings' size, addresses, bases, eventfds and enable state. Runs on the PMD's control
 * thread. A request that is wrong (an index out of range, an address outside the memory, a
 * region that does not fit its file) is refused with a log line and, where REPLY_ACK was
 * negotiated, a non-zero status; the connection stays. What vhost.h says about the data path
 * holds here: a vring is changed only after vring_stop().
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vhost.h"

PX_LOG_REGISTER(vhost_logtype, "pmd.net.vhost", DEFAULT);

/* How long the message's parts may take once its first byte came. */
#define VHOST_MSG_TIMEOUT_MS 5000

/* ---- vrings ------------------------------------------------------------------------------- */

/* Take vring @vr away from the data path and wait until the lcore is out of its burst. */
static void vring_stop(struct vhost_vring *vr)
{
	atomic_store_explicit(&vr->ready, 0, memory_order_seq_cst);
	while (atomic_load_explicit(&vr->busy, memory_order_seq_cst) != 0)
		px_pause();
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Forget everything about @vr (stopped first). */
static void vring_reset(struct vhost_vring *vr)
{
	vring_stop(vr);
	close_fd(&vr->kickfd);
	close_fd(&vr->callfd);
	vr->num = 0;
	vr->base = 0;
	vr->addr_set = false;
	vr->started = false;
	vr->enabled = false;
	vr->last_avail = vr->last_used = 0;
	vr->avail_wrap = vr->used_wrap = true;
}

/* The frontend's address @uva (of @len bytes) here, or NULL. */
static void *uva_to_ptr(const struct vhost_mem *m, uint64_t uva, uint64_t len)
{
	for (uint32_t i = 0; i < m->nregions; i++) {
		const struct vhost_region *r = &m->r[i];
		uint64_t off = uva - r->uva;

		if (uva >= r->uva && off < r->size && len <= r->size - off)
			return r->host + off;
	}
	return NULL;
}

/* Translate @vr's ring addresses for its size and features. @return 0 or -EFAULT */
static int vring_translate(struct vhost_dev *d, struct vhost_vring *vr, unsigned int i)
{
	const struct vhost_user_vring_addr *a = &vr->addr;
	uint64_t n = vr->num;
	void *desc, *drv, *dev;

	if (vr->is_packed) {
		desc = uva_to_ptr(&d->mem, a->desc_user_addr, n * sizeof(struct vring_packed_desc));
		drv = uva_to_ptr(&d->mem, a->avail_user_addr, sizeof(struct vring_packed_event));
		dev = uva_to_ptr(&d->mem, a->used_user_addr, sizeof(struct vring_packed_event));
	} else {
		desc = uva_to_ptr(&d->mem, a->desc_user_addr, n * sizeof(struct vring_desc));
		drv = uva_to_ptr(&d->mem, a->avail_user_addr, 6 + 2 * n);
		dev = uva_to_ptr(&d->mem, a->used_user_addr,
				 6 + n * sizeof(struct vring_used_elem));
	}
	if (desc == NULL || drv == NULL || dev == NULL) {
		VHOST_LOG(ERR,
			  "%s: vring %u: its addresses (desc %#" PRIx64 ", avail %#" PRIx64
			  ", used %#" PRIx64 ", %" PRIu64 " entries) are not inside the memory "
			  "table: refused",
			  d->name, i, a->desc_user_addr, a->avail_user_addr, a->used_user_addr, n);
		return -EFAULT;
	}
	if (vr->is_packed) {
		vr->packed.desc = desc;
		vr->packed.driver = drv;
		vr->packed.device = dev;
	} else {
		vr->split.desc = desc;
		vr->split.avail = drv;
		vr->split.used = dev;
	}
	return 0;
}

/* Give @vr to the data path if the frontend has set it up completely ("Starting and stopping
 * rings": started by SET_VRING_KICK, enabled by SET_VRING_ENABLE). */
static void vring_update(struct vhost_dev *d, unsigned int i)
{
	struct vhost_vring *vr = &d->vring[i];

	vring_stop(vr);
	if (d->mem.nregions == 0 || vr->num == 0 || !vr->addr_set || !vr->started || !vr->enabled ||
	    d->conn < 0)
		return;
	/* with SET_STATUS the driver says when it is done (§3.1.1: DRIVER_OK) */
	if ((d->protocol_features & VIRTIO_BIT(VHOST_USER_PROTOCOL_F_STATUS)) &&
	    !(d->status & VIRTIO_STATUS_DRIVER_OK))
		return;
	vr->size = (uint16_t)vr->num; /* 32768 fits: num <= VHOST_MAX_RING */
	vr->is_packed = !!(d->features & VIRTIO_BIT(VIRTIO_F_RING_PACKED));
	vr->event_idx = !!(d->features & VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX));
	vr->mrg = !!(d->features & VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF));
	vr->hdr_len = (d->features &
		       (VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF)))
			      ? 12
			      : 10;
	if (!vr->is_packed && (vr->num & (vr->num - 1)) != 0) {
		VHOST_LOG(ERR, "%s: vring %u: split ring of %u entries (a power of 2 wanted)",
			  d->name, i, vr->num);
		return;
	}
	if (vring_translate(d, vr, i) < 0)
		return;
	vr->mem = &d->mem;
	vr->signalled_valid = false;
	if (vr->is_packed) {
		vr->last_avail = (uint16_t)(vr->base & VHOST_USER_PACKED_IDX_MASK);
		vr->avail_wrap = !!(vr->base & VHOST_USER_PACKED_WRAP);
		if (vr->last_avail >= vr->size) {
			VHOST_LOG(ERR, "%s: vring %u: base %u beyond the ring's %u entries",
				  d->name, i, vr->last_avail, vr->size);
			return;
		}
		vr->last_used = vr->last_avail;
		vr->used_wrap = vr->avail_wrap;
		vr->signalled_used = vr->last_used;
		/* we poll: no kicks (§2.8.10) */
		__atomic_store_n(&vr->packed.device->flags, VRING_PACKED_EVENT_FLAG_DISABLE,
				 __ATOMIC_RELEASE);
	} else {
		vr->last_avail = (uint16_t)vr->base;
		vr->last_used = vr->last_avail;
		vr->signalled_used = vr->last_used;
		/* we poll: no kicks (§2.7.10); with EVENT_IDX avail_event is left where it is,
		 * so the driver kicks about once per 2^16 buffers */
		__atomic_store_n(&vr->split.used->flags, VRING_USED_F_NO_NOTIFY, __ATOMIC_RELEASE);
	}
	atomic_store_explicit(&vr->ready, 1, memory_order_release);
	VHOST_LOG(DEBUG, "%s: vring %u ready: %u entries, %s, base %u", d->name, i, vr->size,
		  vr->is_packed ? "packed" : "split", vr->last_avail);
}

/* ---- memory ------------------------------------------------------------------------------- */

static void mem_unmap(struct vhost_mem *m)
{
	for (uint32_t i = 0; i < m->nregions; i++)
		munmap(m->r[i].map, m->r[i].map_len);
	memset(m, 0, sizeof(*m));
}

/* Map region @r with @fd (kept open by the caller). @return 0 or a negative errno */
static int region_map(struct vhost_dev *d, unsigned int i, const struct vhost_user_mem_region *r,
		      int fd, struct vhost_region *out)
{
	struct stat st;
	uint64_t end, len, align, off;
	void *map;

	if (r->memory_size == 0 || __builtin_add_overflow(r->mmap_offset, r->memory_size, &end) ||
	    r->guest_phys_addr + r->memory_size < r->guest_phys_addr ||
	    r->userspace_addr + r->memory_size < r->userspace_addr || fstat(fd, &st) < 0 ||
	    (uint64_t)st.st_size < end) {
		VHOST_LOG(ERR,
			  "%s: memory region %u (%#" PRIx64 " bytes at offset %#" PRIx64
			  ") does not fit its file: refused",
			  d->name, i, r->memory_size, r->mmap_offset);
		return -EINVAL;
	}
	/* Only the region's part of the file (QEMU gives a guest's RAM above and below a PCI hole
	 * as two regions of one file, the second at an offset), in whole pages: hugetlbfs maps
	 * whole pages, so round to the file's block size (its page size) */
	align = st.st_blksize > 0 ? (uint64_t)st.st_blksize : 4096;
	off = r->mmap_offset / align * align;
	len = (end - off + align - 1) / align * align;
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);
	if (map == MAP_FAILED) {
		int ret = -errno;

		VHOST_LOG(ERR,
			  "%s: memory region %u: mmap of %#" PRIx64 " bytes at offset %#" PRIx64
			  ": %s",
			  d->name, i, len, off, strerror(-ret));
		return ret;
	}
	*out = (struct vhost_region){.gpa = r->guest_phys_addr,
				     .size = r->memory_size,
				     .uva = r->userspace_addr,
				     .host = (uint8_t *)map + (r->mmap_offset - off),
				     .map = map,
				     .map_len = len};
	VHOST_LOG(DEBUG,
		  "%s: memory region %u: guest %#" PRIx64 ", %#" PRIx64 " bytes, frontend %#" PRIx64
		  ", file offset %#" PRIx64,
		  d->name, i, r->guest_phys_addr, r->memory_size, r->userspace_addr,
		  r->mmap_offset);
	return 0;
}

/* Every vring stopped, then the old table unmapped, the new one mapped, the vrings restarted. */
static int set_mem_table(struct vhost_dev *d, struct vhost_user_msg *msg)
{
	const struct vhost_user_memory *mt = &msg->payload.memory;
	struct vhost_mem m = {0};
	int ret = 0;

	for (unsigned int i = 0; i < VHOST_MAX_VRINGS; i++)
		vring_stop(&d->vring[i]);
	mem_unmap(&d->mem);
	for (uint32_t i = 0; i < mt->nregions && ret == 0; i++) {
		ret = region_map(d, i, &mt->regions[i], msg->fds[i], &m.r[i]);
		if (ret == 0)
			m.nregions = i + 1;
	}
	vhost_user_msg_close_fds(msg); /* the mappings hold the files */
	if (ret < 0) {
		mem_unmap(&m);
		return ret;
	}
	d->mem = m;
	for (unsigned int i = 0; i < VHOST_MAX_VRINGS; i++)
		vring_update(d, i);
	return 0;
}

/* ---- requests ----------------------------------------------------------------------------- */

/* The vring a request names, or NULL (logged). */
static struct vhost_vring *vring_of(struct vhost_dev *d, uint32_t index, const char *req)
{
	if (index >= 2u * d->max_pairs) {
		VHOST_LOG(ERR, "%s: %s for vring %u (this port has %u): refused", d->name, req,
			  index, 2u * d->max_pairs);
		return NULL;
	}
	return &d->vring[index];
}

static int set_features(struct vhost_dev *d, uint64_t features)
{
	if (features & ~VHOST_FEATURES) {
		VHOST_LOG(ERR, "%s: SET_FEATURES %#" PRIx64 " has bits not offered (%#" PRIx64 ")",
			  d->name, features, features & ~(uint64_t)VHOST_FEATURES);
		return -EINVAL;
	}
	d->features = features;
	d->features_set = true;
	for (unsigned int i = 0; i < VHOST_MAX_VRINGS; i++) {
		/* without protocol features a vring is enabled once started */
		if (!(features & VIRTIO_BIT(VHOST_USER_F_PROTOCOL_FEATURES)))
			d->vring[i].enabled = true;
		vring_update(d, i);
	}
	return 0;
}

static int set_vring_fd(struct vhost_dev *d, struct vhost_user_msg *msg)
{
	uint32_t index = (uint32_t)(msg->payload.u64 & VHOST_USER_VRING_IDX_MASK);
	struct vhost_vring *vr = vring_of(d, index, vhost_user_req_name(msg->hdr.request));
	int fd = msg->nfds ? msg->fds[0] : -1;

	if (vr == NULL)
		return -EINVAL;
	msg->nfds = 0; /* ours now */
	vring_stop(vr);
	switch (msg->hdr.request) {
	case VHOST_USER_SET_VRING_KICK:
		close_fd(&vr->kickfd);
		vr->kickfd = fd; /* never read: we poll */
		vr->started = true;
		if (!(d->features & VIRTIO_BIT(VHOST_USER_F_PROTOCOL_FEATURES)))
			vr->enabled = true;
		break;
	case VHOST_USER_SET_VRING_CALL:
		close_fd(&vr->callfd);
		vr->callfd = fd;
		break;
	default: /* SET_VRING_ERR: we report no errors */
		if (fd >= 0)
			close(fd);
	}
	vring_update(d, index);
	return 0;
}

static int vring_state(struct vhost_dev *d, struct vhost_user_msg *msg)
{
	struct vhost_user_vring_state *s = &msg->payload.state;
	struct vhost_vring *vr = vring_of(d, s->index, vhost_user_req_name(msg->hdr.request));

	if (vr == NULL)
		return -EINVAL;
	switch (msg->hdr.request) {
	case VHOST_USER_SET_VRING_NUM:
		if (s->num == 0 || s->num > VHOST_MAX_RING) {
			VHOST_LOG(ERR, "%s: SET_VRING_NUM %u for vring %u (1..%d): refused",
				  d->name, s->num, s->index, VHOST_MAX_RING);
			return -EINVAL;
		}
		vring_stop(vr);
		vr->num = s->num;
		break;
	case VHOST_USER_SET_VRING_BASE:
		vring_stop(vr);
		vr->base = s->num;
		break;
	case VHOST_USER_SET_VRING_ENABLE:
		vr->enabled = s->num != 0;
		break;
	case VHOST_USER_GET_VRING_BASE:
		/* the ring stops; the reply says where to resume */
		vring_stop(vr);
		s->num = vr->is_packed ? (uint32_t)vr->last_avail |
						 (vr->avail_wrap ? VHOST_USER_PACKED_WRAP : 0)
				       : vr->last_avail;
		if (vr->size == 0)
			s->num = vr->base;
		vr->base = s->num;
		vr->started = false;
		close_fd(&vr->kickfd);
		close_fd(&vr->callfd);
		return 0;
	default: /* SET_VRING_ENDIAN: everything is little-endian here */
		return 0;
	}
	vring_update(d, s->index);
	return 0;
}

static int set_vring_addr(struct vhost_dev *d, struct vhost_user_msg *msg)
{
	struct vhost_user_vring_addr *a = &msg->payload.addr;
	struct vhost_vring *vr = vring_of(d, a->index, "SET_VRING_ADDR");

	if (vr == NULL)
		return -EINVAL;
	if (a->flags & 1) {
		VHOST_LOG(ERR,
			  "%s: SET_VRING_ADDR asks for used-ring logging (live migration), "
			  "which net_vhost does not do: refused",
			  d->name);
		return -ENOTSUP;
	}
	vring_stop(vr);
	vr->addr = *a;
	vr->addr_set = true;
	vring_update(d, a->index);
	return 0;
}

/* Handle one request; sets *reply for the GET_*s. @return 0 or a negative errno (refused). */
static int handle(struct vhost_dev *d, struct vhost_user_msg *msg)
{
	union vhost_user_payload *p = &msg->payload;

	switch (msg->hdr.request) {
	case VHOST_USER_GET_FEATURES:
		p->u64 = VHOST_FEATURES;
		return 0;
	case VHOST_USER_SET_FEATURES:
		return set_features(d, p->u64);
	case VHOST_USER_GET_PROTOCOL_FEATURES:
		p->u64 = VHOST_PROTOCOL_FEATURES;
		return 0;
	case VHOST_USER_SET_PROTOCOL_FEATURES:
		if (p->u64 & ~(uint64_t)VHOST_PROTOCOL_FEATURES) {
			VHOST_LOG(ERR, "%s: protocol features %#" PRIx64 " not offered", d->name,
				  p->u64);
			return -EINVAL;
		}
		d->protocol_features = p->u64;
		return 0;
	case VHOST_USER_SET_OWNER:
		return 0;
	case VHOST_USER_RESET_OWNER:
	case VHOST_USER_RESET_DEVICE:
		vhost_dev_reset(d);
		return 0;
	case VHOST_USER_GET_QUEUE_NUM:
		p->u64 = d->max_pairs;
		return 0;
	case VHOST_USER_SET_MEM_TABLE:
		return set_mem_table(d, msg);
	case VHOST_USER_SET_VRING_ADDR:
		return set_vring_addr(d, msg);
	case VHOST_USER_SET_VRING_NUM:
	case VHOST_USER_SET_VRING_BASE:
	case VHOST_USER_GET_VRING_BASE:
	case VHOST_USER_SET_VRING_ENABLE:
	case VHOST_USER_SET_VRING_ENDIAN:
		return vring_state(d, msg);
	case VHOST_USER_SET_VRING_KICK:
	case VHOST_USER_SET_VRING_CALL:
	case VHOST_USER_SET_VRING_ERR:
		return set_vring_fd(d, msg);
	case VHOST_USER_SET_STATUS:
		d->status = (uint8_t)p->u64;
		for (unsigned int i = 0; i < VHOST_MAX_VRINGS; i++)
			vring_update(d, i);
		return 0;
	case VHOST_USER_GET_STATUS:
		p->u64 = d->status;
		return 0;
	case VHOST_USER_GET_MAX_MEM_SLOTS:
		p->u64 = VHOST_MEMORY_BASELINE_NREGIONS;
		return 0;
	case VHOST_USER_SEND_RARP:
	case VHOST_USER_NET_SET_MTU:
		return 0;
	default:
		VHOST_LOG(ERR, "%s: %s not supported (%s): refused", d->name,
			  vhost_user_req_name(msg->hdr.request),
			  msg->hdr.request == VHOST_USER_SET_LOG_BASE ||
					  msg->hdr.request == VHOST_USER_SET_LOG_FD
				  ? "no dirty-page logging, so no live migration"
				  : "not offered");
		return -ENOTSUP;
	}
}

int vhost_dev_handle(struct vhost_dev *d, struct vhost_user_msg *msg)
{
	struct vhost_user_hdr req = msg->hdr;
	int ret;

	VHOST_LOG(DEBUG, "%s: %s (%u-byte payload%s%" PRIx64 ")", d->name,
		  vhost_user_req_name(req.request), req.size, req.size >= 8 ? ", first word " : "",
		  req.size >= 8 ? msg->payload.u64 : 0);
	ret = handle(d, msg);
	vhost_user_msg_close_fds(msg); /* the ones a handler did not keep */
	if (!(d->protocol_features & VIRTIO_BIT(VHOST_USER_PROTOCOL_F_REPLY_ACK)))
		req.flags &= ~VHOST_USER_NEED_REPLY;
	if (ret < 0 && vhost_user_has_reply(req.request))
		memset(&msg->payload, 0, sizeof(msg->payload)); /* a GET_* still answers */
	if (d->state_changed)
		d->state_changed(d, d->cb_arg);
	if (d->conn < 0)
		return 0;
	return vhost_user_reply(d->conn, &req, msg, ret < 0 ? 1 : 0);
}

int vhost_dev_process(struct vhost_dev *d)
{
	struct vhost_user_msg msg;
	int ret = vhost_user_recv(d->conn, &msg, VHOST_USER_NONE, VHOST_MSG_TIMEOUT_MS);

	if (ret == -ENOTSUP) {
		/* read whole and skipped; answer a REPLY_ACK so the frontend does not wait */
		if ((msg.hdr.flags & VHOST_USER_NEED_REPLY) &&
		    (d->protocol_features & VIRTIO_BIT(VHOST_USER_PROTOCOL_F_REPLY_ACK)) &&
		    !vhost_user_has_reply(msg.hdr.request))
			return vhost_user_reply(d->conn, &msg.hdr, &msg, 1);
		return 0;
	}
	if (ret < 0)
		return ret;
	return vhost_dev_handle(d, &msg);
}

void vhost_dev_reset(struct vhost_dev *d)
{
	for (unsigned int i = 0; i < VHOST_MAX_VRINGS; i++)
		vring_reset(&d->vring[i]);
	mem_unmap(&d->mem);
	d->features = 0;
	d->features_set = false;
	d->protocol_features = 0;
	d->status = 0;
}

void vhost_dev_init(struct vhost_dev *d, const char *name, uint16_t max_pairs)
{
	memset(d, 0, sizeof(*d));
	d->name = name;
	d->conn = -1;
	d->max_pairs = max_pairs;
	for (unsigned int i = 0; i < VHOST_MAX_VRINGS; i++) {
		d->vring[i].kickfd = d->vring[i].callfd = -1;
		d->vring[i].avail_wrap = d->vring[i].used_wrap = true;
	}
}
