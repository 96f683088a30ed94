/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Virtual I/O Device (VIRTIO) Version 1.2 (OASIS, 2022): the layouts and bits this driver uses,
 * for the modern (1.0+) PCI transport and the network device. Section numbers (§) refer to that
 * document; every value was also checked against Linux's include/uapi/linux/virtio_*.h and
 * QEMU 7.2's model (hw/virtio/virtio-pci.c, hw/net/virtio-net.c), which the lab runs.
 * Everything the device reads or writes is little-endian (§1.4, VIRTIO_F_VERSION_1).
 */
#ifndef VIRTIO_SPEC_H
#define VIRTIO_SPEC_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

/* §4.1.2 PCI device IDs: 0x1040 + device type for modern-only devices; 0x1000 is the
 * transitional network device (modern interface present unless disable-modern). */
#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_PCI_DEVICE_NET_LEGACY 0x1000
#define VIRTIO_PCI_DEVICE_NET_MODERN 0x1041

/* §4.1.4 virtio structure PCI capabilities (vendor-specific capability, ID 0x09) */
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4

struct virtio_pci_cap {
	uint8_t cap_vndr; /* PCI_CAP_ID_VNDR */
	uint8_t cap_next;
	uint8_t cap_len;
	uint8_t cfg_type; /* VIRTIO_PCI_CAP_* */
	uint8_t bar;
	uint8_t id;
	uint8_t padding[2];
	uint32_t offset; /* within the BAR */
	uint32_t length;
};
static_assert(sizeof(struct virtio_pci_cap) == 16, "§4.1.4");

/* §4.1.4.4: the notify capability adds the multiplier of queue_notify_off */
struct virtio_pci_notify_cap {
	struct virtio_pci_cap cap;
	uint32_t notify_off_multiplier;
};

/* §4.1.4.3 common configuration structure (offsets into it) */
#define VIRTIO_PCI_COMMON_DFSELECT 0   /* le32 device_feature_select */
#define VIRTIO_PCI_COMMON_DF 4         /* le32 device_feature */
#define VIRTIO_PCI_COMMON_GFSELECT 8   /* le32 driver_feature_select */
#define VIRTIO_PCI_COMMON_GF 12        /* le32 driver_feature */
#define VIRTIO_PCI_COMMON_MSIX 16      /* le16 config_msix_vector */
#define VIRTIO_PCI_COMMON_NUMQ 18      /* le16 num_queues */
#define VIRTIO_PCI_COMMON_STATUS 20    /* u8 device_status */
#define VIRTIO_PCI_COMMON_CFGGEN 21    /* u8 config_generation */
#define VIRTIO_PCI_COMMON_Q_SELECT 22  /* le16 queue_select */
#define VIRTIO_PCI_COMMON_Q_SIZE 24    /* le16 queue_size */
#define VIRTIO_PCI_COMMON_Q_MSIX 26    /* le16 queue_msix_vector */
#define VIRTIO_PCI_COMMON_Q_ENABLE 28  /* le16 queue_enable */
#define VIRTIO_PCI_COMMON_Q_NOFF 30    /* le16 queue_notify_off */
#define VIRTIO_PCI_COMMON_Q_DESCLO 32  /* le64 queue_desc */
#define VIRTIO_PCI_COMMON_Q_AVAILLO 40 /* le64 queue_driver */
#define VIRTIO_PCI_COMMON_Q_USEDLO 48  /* le64 queue_device */
#define VIRTIO_PCI_COMMON_LEN 56       /* the fields above, all a 1.0 device has */
#define VIRTIO_MSI_NO_VECTOR 0xffff

/* §2.1 device status field */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

/* §6 reserved (device-independent) feature bits */
#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33
#define VIRTIO_F_RING_PACKED 34
#define VIRTIO_F_IN_ORDER 35

/* §5.1.3 network device feature bits */
#define VIRTIO_NET_F_CSUM 0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MTU 3
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_GUEST_TSO4 7
#define VIRTIO_NET_F_GUEST_TSO6 8
#define VIRTIO_NET_F_HOST_TSO4 11
#define VIRTIO_NET_F_HOST_TSO6 12
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS 16
#define VIRTIO_NET_F_CTRL_VQ 17
#define VIRTIO_NET_F_CTRL_RX 18
#define VIRTIO_NET_F_CTRL_VLAN 19
#define VIRTIO_NET_F_GUEST_ANNOUNCE 21
#define VIRTIO_NET_F_MQ 22
#define VIRTIO_NET_F_CTRL_MAC_ADDR 23
#define VIRTIO_NET_F_RSS 60
#define VIRTIO_NET_F_SPEED_DUPLEX 63

#define VIRTIO_BIT(b) (1ull << (b))

/* §5.1.4 network device configuration layout (offsets into the device config) */
#define VIRTIO_NET_CFG_MAC 0             /* u8 mac[6] (VIRTIO_NET_F_MAC) */
#define VIRTIO_NET_CFG_STATUS 6          /* le16 status (VIRTIO_NET_F_STATUS) */
#define VIRTIO_NET_CFG_MAX_PAIRS 8       /* le16 max_virtqueue_pairs (VIRTIO_NET_F_MQ) */
#define VIRTIO_NET_CFG_MTU 10            /* le16 mtu (VIRTIO_NET_F_MTU) */
#define VIRTIO_NET_CFG_SPEED 12          /* le32 speed in Mb/s (VIRTIO_NET_F_SPEED_DUPLEX) */
#define VIRTIO_NET_CFG_DUPLEX 16         /* u8 */
#define VIRTIO_NET_CFG_RSS_MAX_KEY 17    /* u8 rss_max_key_size (VIRTIO_NET_F_RSS) */
#define VIRTIO_NET_CFG_RSS_MAX_TABLE 18  /* le16 rss_max_indirection_table_length */
#define VIRTIO_NET_CFG_RSS_HASH_TYPES 20 /* le32 supported_hash_types */
#define VIRTIO_NET_S_LINK_UP 1

/* §5.1.6.5 control virtqueue classes and commands beyond RX and MAC (virtio.h) */
#define VIRTIO_NET_CTRL_VLAN 2 /* §5.1.6.5.3, VIRTIO_NET_F_CTRL_VLAN: data le16 vid */
#define VIRTIO_NET_CTRL_VLAN_ADD 0
#define VIRTIO_NET_CTRL_VLAN_DEL 1
#define VIRTIO_NET_CTRL_MQ 4              /* §5.1.6.5.6 */
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET 0 /* data le16 virtqueue_pairs (VIRTIO_NET_F_MQ) */
#define VIRTIO_NET_CTRL_MQ_RSS_CONFIG 1   /* struct virtio_net_rss_config (VIRTIO_NET_F_RSS) */

/* §5.1.6.5.7.1 RSS hash types (hash_types, supported_hash_types) */
#define VIRTIO_NET_RSS_HASH_TYPE_IPV4 (1u << 0)
#define VIRTIO_NET_RSS_HASH_TYPE_TCPV4 (1u << 1)
#define VIRTIO_NET_RSS_HASH_TYPE_UDPV4 (1u << 2)
#define VIRTIO_NET_RSS_HASH_TYPE_IPV6 (1u << 3)
#define VIRTIO_NET_RSS_HASH_TYPE_TCPV6 (1u << 4)
#define VIRTIO_NET_RSS_HASH_TYPE_UDPV6 (1u << 5)

/* §5.1.6.5.7.1 VIRTIO_NET_CTRL_MQ_RSS_CONFIG's data: this head, le16 indirection_table[mask +
 * 1] (queue numbers), then le16 max_tx_vq, u8 hash_key_length and the key's bytes. */
struct virtio_net_rss_config_head {
	uint32_t hash_types;
	uint16_t indirection_table_mask; /* table length - 1, a power of two minus one */
	uint16_t unclassified_queue;
};
static_assert(sizeof(struct virtio_net_rss_config_head) == 8, "§5.1.6.5.7.1");

/* §5.1.6 the header in front of every packet; with VIRTIO_F_VERSION_1 it always has
 * num_buffers, so it is 12 bytes whether VIRTIO_NET_F_MRG_RXBUF is negotiated or not. */
struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers; /* RX with MRG_RXBUF: buffers this packet spans */
};
static_assert(sizeof(struct virtio_net_hdr) == 12, "§5.1.6");
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_NONE 0
#define VIRTIO_NET_HDR_GSO_TCPV4 1
#define VIRTIO_NET_HDR_GSO_TCPV6 4

/* §2.7 split virtqueues: the descriptor table, the driver area (available ring), the device
 * area (used ring). Alignment: 16, 2, 4 (§2.7.2). */
struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
static_assert(sizeof(struct vring_desc) == 16, "§2.7.5");
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_DESC_F_INDIRECT 4

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[]; /* queue size entries, then used_event (VIRTIO_F_RING_EVENT_IDX) */
};
#define VRING_AVAIL_F_NO_INTERRUPT 1

struct vring_used_elem {
	uint32_t id;  /* head of the descriptor chain */
	uint32_t len; /* bytes written into the chain's device-writable buffers */
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[]; /* queue size entries, then le16 avail_event */
};
#define VRING_USED_F_NO_NOTIFY 1

/* §2.7.10: with VIRTIO_F_RING_EVENT_IDX, notify when the new index passed @event since @old */
static inline int vring_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

/* §2.8 packed virtqueues: one descriptor ring that both sides write, and two event
 * suppression structures (driver's, device's). */
struct vring_packed_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t id;
	uint16_t flags;
};
static_assert(sizeof(struct vring_packed_desc) == 16, "§2.8.13");
#define VRING_PACKED_DESC_F_AVAIL (1u << 7)
#define VRING_PACKED_DESC_F_USED (1u << 15)

struct vring_packed_event {
	uint16_t off_wrap; /* descriptor offset (bits 0..14) and wrap counter (bit 15) */
	uint16_t flags;    /* VRING_PACKED_EVENT_FLAG_* */
};
#define VRING_PACKED_EVENT_FLAG_ENABLE 0
#define VRING_PACKED_EVENT_FLAG_DISABLE 1
#define VRING_PACKED_EVENT_FLAG_DESC 2

#endif /* VIRTIO_SPEC_H */
