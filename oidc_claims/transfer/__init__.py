"""Moving claim configuration in and out: our file format, its importer, Okta's format."""
