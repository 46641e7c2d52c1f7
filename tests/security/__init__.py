"""Security: rate limits, hardening checks and attack corpora."""
