"""Weekly alignment digests: audiences, builder, renderers, ledger, sender and worker."""
