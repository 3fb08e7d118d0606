"""Working days (工作日) by the statutory calendar, and the deadlines counted on them."""
