"""What the kiosk prints for a citizen: receipts, slips and the reprint of a receipt lost to the printer."""
