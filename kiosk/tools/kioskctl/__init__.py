"""kioskctl: the admin tool that keeps the signed config repository and talks to the fleet."""
