"""The citizen portal (市民端) at `/portal/`: report, ask, follow, rate, and the public list of handled appeals.

Pure rules (`otp`, `limits`, `challenge`, `photos`, `publication`, `plain`, `rules`) are tested without a
database; `service.Portal` runs them over storage and the ordinary intake and order services; `pages`
is the thin web shell (no account: a phone verified by a one-time code).
"""
