"""Optional integrations with other packages."""
