"""Account service: an HTTP user API behind a repository, and the service on top."""
