"""Community's plumbing, shared by every feature: the unit of work and the job seam,
errors, forms, formatting, languages, privacy, rate limits, security headers and the
moderated-post core. Features live beside this package, one package each."""
