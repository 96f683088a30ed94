# IOVA placement and sPAPR DMA windows in the lab (issue 5).
