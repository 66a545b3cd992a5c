"""Files taken from partners and other systems: what was taken, and the rows held back with their reasons."""
