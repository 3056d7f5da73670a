"""Signal receivers: keep the compiled-claims cache in step with the configuration."""
