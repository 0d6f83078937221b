"""Certification: certificates, their holders and states, renewal, recertification and revocation."""
