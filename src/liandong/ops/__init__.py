"""Running Liandong in production (运维): logs, rate limits, job leases, health, backups, metrics."""
