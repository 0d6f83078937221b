"""`partnerhub ...`: the command line over the domain."""
