"""Pages for admins: the state of background jobs (and, later, audit and statistics)."""
