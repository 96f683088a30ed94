/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Intel 82574 GbE Controller Family Datasheet (316080, rev 3.x): the registers, bits and
 * descriptor layouts this driver uses, and the three register helpers. Section numbers below
 * refer to that document; every value was also checked against QEMU's model
 * (hw/net/e1000e_core.c, e1000_regs.h), which is what the lab runs. The lab's raw-register
 * tests (tests/unit/test_vfio_lab_*.c) include this header too: one register map.
 */
#ifndef E1000E_REGS_H
#define E1000E_REGS_H

#include <assert.h>
#include <endian.h>
#include <stddef.h>
#include <stdint.h>

#include <px_common.h>

/* BAR0 (memory, 128 KiB on the 82574): every register below lies in its first 64 KiB. */
#define E1000E_BAR0_MIN_LEN 0x10000

/* §10.2.2 general registers */
#define E1000_CTRL 0x00000
#define E1000_CTRL_SLU (1u << 6)  /* set link up */
#define E1000_CTRL_RST (1u << 26) /* global reset, self-clearing */
#define E1000_STATUS 0x00008
#define E1000_STATUS_FD (1u << 0)
#define E1000_STATUS_LU (1u << 1)
#define E1000_STATUS_SPEED_SHIFT 6 /* 00: 10, 01: 100, 1x: 1000 Mb/s */
#define E1000_STATUS_SPEED_MASK (3u << E1000_STATUS_SPEED_SHIFT)
#define E1000_EECD 0x00010
#define E1000_EECD_AUTO_RD (1u << 9) /* NVM auto-read done */
#define E1000_EERD 0x00014
#define E1000_MDIC 0x00020 /* MDI control: PHY register access */
#define E1000_MDIC_DATA_MASK 0xFFFFu
#define E1000_MDIC_REG_SHIFT 16
#define E1000_MDIC_PHY_ADDR (1u << 21) /* the internal PHY is at address 1 */
#define E1000_MDIC_OP_WRITE (1u << 26)
#define E1000_MDIC_OP_READ (2u << 26)
#define E1000_MDIC_READY (1u << 28)
#define E1000_MDIC_ERROR (1u << 30)

/* PHY registers (IEEE 802.3 clause 22, read and written through MDIC) */
#define E1000_PHY_CTRL 0x00
#define E1000_PHY_CTRL_RESTART_AN (1u << 9)
#define E1000_PHY_CTRL_POWER_DOWN (1u << 11)
#define E1000_PHY_CTRL_AN_ENABLE (1u << 12)

/* §10.2.4 interrupts: all masked but the MSI-X causes the driver arms (RXQ0, LSC/OTHER) */
#define E1000_ICR 0x000C0
#define E1000_IMS 0x000D0
#define E1000_IMC 0x000D8
#define E1000_IMC_ALL 0xFFFFFFFFu
#define E1000_ICS 0x000C8          /* cause set: raises the interrupt of the causes written */
#define E1000_ICR_LSC (1u << 2)    /* link status change */
#define E1000_ICR_RXQ0 (1u << 20)  /* RX queue 0 (MSI-X mode) */
#define E1000_ICR_OTHER (1u << 24) /* MSI-X: LSC and the other non-queue causes */
#define E1000_EITR(n) (0x000E8 + 4 * (n))   /* per-vector throttling interval, n = 0..4 */
#define E1000_EITR_NUM 5                    /* one per MSI-X vector */
#define E1000_IVAR 0x000E4                  /* IVAR: interrupt cause -> MSI-X vector allocation */
#define E1000_IVAR_RXQ0_VEC(v) ((v) | 0x8u) /* bits 2:0 vector, 3 valid */
#define E1000_IVAR_OTHER_VEC(v) (((v) | 0x8u) << 16) /* bits 18:16 vector, 19 valid */

/* §10.2.5 receive */
#define E1000_RCTL 0x00100
#define E1000_RCTL_EN (1u << 1)
#define E1000_RCTL_UPE (1u << 3) /* unicast promiscuous */
#define E1000_RCTL_MPE (1u << 4) /* multicast promiscuous */
#define E1000_RCTL_LPE (1u << 5) /* long packets: frames above 1522 bytes */
#define E1000_RCTL_BAM (1u << 15)
#define E1000_RCTL_BSIZE_2048 (0u << 16) /* with BSEX = 0 */
#define E1000_RCTL_SECRC (1u << 26)      /* strip the Ethernet CRC */
#define E1000_RDBAL0 0x02800
#define E1000_RDBAH0 0x02804
#define E1000_RDLEN0 0x02808
#define E1000_RDH0 0x02810
#define E1000_RDT0 0x02818
#define E1000_RXDCTL0 0x02828
#define E1000_RXCSUM 0x05000             /* receive checksum control */
#define E1000_RXCSUM_IPOFLD (1u << 8)    /* IPv4 header checksum checked */
#define E1000_RXCSUM_TUOFLD (1u << 9)    /* TCP/UDP checksum checked */
#define E1000_MTA(i) (0x05200 + 4 * (i)) /* multicast table array, entries 0..127 */
#define E1000_MTA_NUM 128
#define E1000_RAL0 0x05400
#define E1000_RAH0 0x05404
#define E1000_RAL(i) (E1000_RAL0 + 8 * (i)) /* receive address entries 0..15 */
#define E1000_RAH(i) (E1000_RAH0 + 8 * (i))
#define E1000_RAR_ENTRIES 16
#define E1000_RAH_AV (1u << 31)

/* §10.2.6 transmit */
#define E1000_TCTL 0x00400
#define E1000_TCTL_EN (1u << 1)
#define E1000_TCTL_PSP (1u << 3)      /* pad short packets */
#define E1000_TCTL_CT (0x0Fu << 4)    /* collision threshold (IEEE value) */
#define E1000_TCTL_COLD (0x3Fu << 12) /* collision distance, full duplex */
#define E1000_TIPG 0x00410
#define E1000_TIPG_DEFAULT (8u | (8u << 10) | (6u << 20)) /* IPGT 8, IPGR1 8, IPGR2 6 */
#define E1000_TDBAL0 0x03800
#define E1000_TDBAH0 0x03804
#define E1000_TDLEN0 0x03808
#define E1000_TDH0 0x03810
#define E1000_TDT0 0x03818
#define E1000_TXDCTL0 0x03828

/* §10.2.7 statistics: all clear-on-read (64-bit pairs clear when the high half is read) */
#define E1000_CRCERRS 0x04000
#define E1000_ALGNERRC 0x04004
#define E1000_RXERRC 0x0400C
#define E1000_MPC 0x04010
#define E1000_COLC 0x04028
#define E1000_RLEC 0x04040
#define E1000_GPRC 0x04074
#define E1000_BPRC 0x04078
#define E1000_MPRC 0x0407C
#define E1000_GPTC 0x04080
#define E1000_GORCL 0x04088
#define E1000_GORCH 0x0408C
#define E1000_GOTCL 0x04090
#define E1000_GOTCH 0x04094
#define E1000_RNBC 0x040A0
#define E1000_RUC 0x040A4
#define E1000_ROC 0x040AC
#define E1000_TPR 0x040D0
#define E1000_TPT 0x040D4
#define E1000_MPTC 0x040F0
#define E1000_BPTC 0x040F4
/* a 64-bit counter is two registers, the high half right after the low */
#define E1000_STAT_HIGH(low) ((low) + 4)
static_assert(E1000_STAT_HIGH(E1000_GORCL) == E1000_GORCH, "GORC pair");
static_assert(E1000_STAT_HIGH(E1000_GOTCL) == E1000_GOTCH, "GOTC pair");

/* §7.1.4 legacy receive descriptor (RFCTL.EXSTEN = 0), 16 bytes */
struct e1000e_rx_desc {
	uint64_t addr;
	uint16_t length;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
};
#define E1000_RXD_STAT_DD 0x01
#define E1000_RXD_STAT_EOP 0x02
#define E1000_RXD_STAT_IXSM 0x04  /* ignore the checksum bits */
#define E1000_RXD_STAT_UDPCS 0x10 /* the L4 checksum checked was UDP's */
#define E1000_RXD_STAT_TCPCS 0x20 /* L4 (TCP or UDP) checksum checked */
#define E1000_RXD_STAT_IPCS 0x40  /* IPv4 header checksum checked */
#define E1000_RXD_ERR_TCPE 0x20   /* ... and found wrong */
#define E1000_RXD_ERR_IPE 0x40
/* frame errors (CE, SE, SEQ, RXE); the checksum bits (IPE, TCPE) only report offload results */
#define E1000_RXD_ERR_FRAME 0x87
static_assert(sizeof(struct e1000e_rx_desc) == 16, "legacy RX descriptor: 16 bytes");
static_assert(offsetof(struct e1000e_rx_desc, length) == 8 &&
		      offsetof(struct e1000e_rx_desc, status) == 12 &&
		      offsetof(struct e1000e_rx_desc, special) == 14,
	      "legacy RX descriptor layout (§7.1.4)");

/* §7.2.10.1 legacy transmit descriptor (DEXT = 0), 16 bytes */
struct e1000e_tx_desc {
	uint64_t addr;
	uint32_t lower; /* length 15:0, CSO 23:16, CMD 31:24 */
	uint32_t upper; /* STA 3:0, CSS 15:8, special 31:16 */
};
#define E1000_TXD_CMD_EOP (0x01u << 24)
#define E1000_TXD_CMD_IFCS (0x02u << 24)
#define E1000_TXD_CMD_RS (0x08u << 24)
#define E1000_TXD_CMD_DEXT (0x20u << 24) /* extended: context or data descriptor */
#define E1000_TXD_STAT_DD 0x01u          /* STA bit 0, the low bits of upper */
static_assert(sizeof(struct e1000e_tx_desc) == 16, "legacy TX descriptor: 16 bytes");
static_assert(offsetof(struct e1000e_tx_desc, lower) == 8 &&
		      offsetof(struct e1000e_tx_desc, upper) == 12,
	      "legacy TX descriptor layout (§7.2.10.1)");

/* TCP/IP context descriptor (DEXT = 1, DTYP = 0000): where the checksums start, sit and end.
 * Takes one ring slot; its STA.DD sits in the same place as a data descriptor's. */
struct e1000e_tx_ctx_desc {
	uint8_t ipcss;           /* IP checksum start */
	uint8_t ipcso;           /* IP checksum offset (where it is written) */
	uint16_t ipcse;          /* IP checksum end (inclusive) */
	uint8_t tucss;           /* TCP/UDP checksum start */
	uint8_t tucso;           /* TCP/UDP checksum offset */
	uint16_t tucse;          /* TCP/UDP checksum end, 0: to the end of the frame */
	uint32_t cmd_and_length; /* PAYLEN 19:0, DTYP 23:20, TUCMD 31:24 */
	uint32_t upper;          /* STA 3:0, HDRLEN 15:8, MSS 31:16 */
};
#define E1000_TXD_CTX_TCP (0x01u << 24) /* TUCMD.TCP: the L4 protocol is TCP (else UDP) */
#define E1000_TXD_CTX_IP (0x02u << 24)  /* TUCMD.IP: IPv4 (else IPv6) */
static_assert(sizeof(struct e1000e_tx_ctx_desc) == sizeof(struct e1000e_tx_desc),
	      "a context descriptor takes one ring slot");
static_assert(offsetof(struct e1000e_tx_ctx_desc, tucss) == 4 &&
		      offsetof(struct e1000e_tx_ctx_desc, cmd_and_length) == 8,
	      "TCP/IP context descriptor layout");
static_assert(offsetof(struct e1000e_tx_ctx_desc, upper) == offsetof(struct e1000e_tx_desc, upper),
	      "STA.DD of a context descriptor where a data descriptor has it");
/* TCP/IP data descriptor (DEXT = 1, DTYP = 0001): same layout as legacy, POPTS in upper */
#define E1000_TXD_DTYP_D (0x1u << 20)
#define E1000_TXD_POPTS_IXSM (0x01u << 8) /* insert the IP checksum */
#define E1000_TXD_POPTS_TXSM (0x02u << 8) /* insert the TCP/UDP checksum */

/* §7.1.8 and §7.2 ring structure, RDLEN/TDLEN in §10.2.5/§10.2.6: a ring's length is a
 * multiple of 128 bytes (so of 8 descriptors) and its base is 128-byte aligned. */
#define E1000E_DESC_SIZE 16
#define E1000E_RING_ALIGN 128
#define E1000E_DESC_MULTIPLE (E1000E_RING_ALIGN / E1000E_DESC_SIZE)
static_assert(sizeof(struct e1000e_rx_desc) == E1000E_DESC_SIZE &&
		      sizeof(struct e1000e_tx_desc) == E1000E_DESC_SIZE,
	      "RDLEN/TDLEN count 16-byte descriptors");

/*
 * Register access. BAR0 is uncached MMIO mapped by VFIO; volatile makes each access one bus
 * transaction in program order with respect to other MMIO. Ordering against DMA memory is the
 * caller's business and is written once here: a store that hands descriptors to the device (a
 * tail write) must follow px_io_wmb(), so that the descriptor stores are visible to the device
 * before it sees the doorbell; a read of descriptor fields the device wrote must follow the read
 * of their DD bit and a px_io_rmb(), so that weakly ordered CPUs do not read the fields early.
 */
static inline uint32_t e1000e_read(volatile uint8_t *hw, uint32_t reg)
{
	return le32toh(*(volatile uint32_t *)(hw + reg));
}

static inline void e1000e_write(volatile uint8_t *hw, uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(hw + reg) = htole32(val);
}

/* Flush posted writes (a read of STATUS cannot pass them, PCIe ordering). */
static inline void e1000e_flush(volatile uint8_t *hw)
{
	(void)e1000e_read(hw, E1000_STATUS);
}

#endif /* E1000E_REGS_H */
