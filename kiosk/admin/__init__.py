"""Admin-side tools: the signed config repository (`repository`) and `kioskctl` (`cli`)."""
